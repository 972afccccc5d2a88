"""The commander's fires and look-ahead helpers that work several things out at once must give,
to the bit, what the plain one-at-a-time arithmetic gives."""

from __future__ import annotations

import numpy as np
import pytest

from pokrovsk_tui.ai.levels import LEVELS
from pokrovsk_tui.ai.plans import Knobs, Planner
from pokrovsk_tui.ai.plans_odds import _assumed_entrench
from pokrovsk_tui.ai.situation import situation
from pokrovsk_tui.rules.belief import detect_probability, recon_effort
from pokrovsk_tui.rules.view import view
from test_batches import situations


@pytest.fixture(scope="module", params=["pokrovsk-winter-2026", "all-roles"])
def world_states(request):
    world, states = situations(request.param)
    return world, states[::5]


def _p_detect_plain(sit, t: dict, recon: float, base: float) -> float:
    """A target's chance of being seen, one target at a time: the rules' detect_probability of
    its units, 1 - prod(1 - q)."""
    w = sit.world
    p = w.params
    h = t["hex"]
    sig = np.asarray(t["sig"]) * p.dug_in_signature ** max(_assumed_entrench(sit, h) - 1, 0)
    q = detect_probability(p, base + recon, sig, w.concealment[h], sit.visibility)
    return float(1.0 - np.prod(1.0 - q)) if sig.size else 0.0


def test_chances_of_seeing_targets_at_once_equal_one_by_one(world_states):
    """``_p_detects`` over many targets, recon efforts and base efforts (a fresh memo, and
    again from the memo) equals the plain chance worked out target by target, empty targets
    included."""
    world, states = world_states
    p = world.params
    rng = np.random.default_rng(15)
    for state in states:
        for side in (0, 1):
            sit = situation(view(world, state, side))
            pl = Planner(sit, Knobs(), features=LEVELS["normal"].features)
            eff = pl._effort()
            targets = pl._targets() + [pl._unknown_target(int(h)) for h in rng.integers(0, sit.n, 3)]
            targets.append({"hex": int(rng.integers(0, sit.n)), "sig": np.zeros(0)})
            targets.append({"hex": int(rng.integers(0, sit.n)), "sig": rng.uniform(0.1, 1.5, 9)})
            asks = [(t, recon_effort(p, n)[0], base) for t in targets for n in (0, 2, 3, 5)
                    for base in (eff[t["hex"]], float(rng.uniform(0.0, 3.0)))]
            want = [_p_detect_plain(sit, t, r, b) for t, r, b in asks]
            got = pl._p_detects(asks)
            assert np.array(got).tobytes() == np.array(want).tobytes()
            assert pl._p_detects(asks[::-1]) == want[::-1]
            assert [pl._p_detect(t, r, b) for t, r, b in asks[:7]] == want[:7]
