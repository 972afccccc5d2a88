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
            assert [pl._p_detects([ask])[0] for ask in asks[:7]] == want[:7]


def test_supply_corridors_equal_path_by_path(world_states):
    """``Situation.corridor`` (all paths walked a step at a time, one bincount) equals adding
    each reachable consumer's weight on every hex of its path, consumer after consumer."""
    import pokrovsk_tui.ai.situation as situation_module

    world, states = world_states
    rng = np.random.default_rng(16)
    kept: list = []
    real = situation_module.dijkstra

    def spy(*args, **kwargs):
        got = real(*args, **kwargs)
        kept.append(got)
        return got

    for state in states:
        for side in (0, 1):
            sit = situation(view(world, state, side))
            for who in (side, 1 - side):
                consumers = rng.integers(0, sit.n, int(rng.integers(0, 40)))
                weights = rng.choice([1.0, 0.5, 6.0 / 7.0, 0.1], consumers.size)
                kept.clear()
                situation_module.dijkstra = spy
                try:
                    got = sit.corridor(who, consumers, weights)
                finally:
                    situation_module.dijkstra = real
                want = np.zeros(sit.n)
                if kept:
                    dist, pred, _ = kept[0]
                    for h, wgt in zip(consumers.tolist(), weights.tolist(), strict=True):
                        if not np.isfinite(dist[h]):
                            continue
                        while h >= 0:
                            want[h] += wgt
                            h = int(pred[h])
                else:
                    assert sit.st.src[who].size == 0 or consumers.size == 0
                assert got.tobytes() == want.tobytes()


def test_sampled_entrenchment_and_held_ground_equal_plain(world_states):
    """A sample's enemy units are dug in as the planner assumes on their hexes (combat units)
    or at 1; the ground held before, kept per decision, is ``territory`` of the batch; the
    units' own watch worked out for the side alone is its row of both sides' effort."""
    from pokrovsk_tui.ai.commander import held_before, territory
    from pokrovsk_tui.ai.determinise import sample_batch, sample_positions
    from pokrovsk_tui.ai.situation import R_ASLT, R_INF
    from pokrovsk_tui.rules.estimates import _work, own_effort
    from pokrovsk_tui.rules.phase_sense import _static_effort

    world, states = world_states
    for state in states:
        for side in (0, 1):
            v = view(world, state, side)
            sit = situation(v)
            rng = np.random.default_rng(17)
            slots, hexes, mid = sample_positions(sit, rng)
            batch = sample_batch(sit, rng, 3, (slots, hexes, mid))
            for u, h in zip(slots.tolist(), hexes.tolist(), strict=True):
                want = _assumed_entrench(sit, h) if world.u_role[u] in (R_INF, R_ASLT) else 1
                assert (batch.entrench[:, u] == want).all()
            assert held_before(sit, batch).tobytes() == territory(sit, batch.control).tobytes()
            assert held_before(sit, batch) is held_before(sit, batch)
            hx = np.where(v.own, v.hex, -1)
            both = _static_effort(_work(v, hx, v.own, 0.7), hx[None, :], v.own[None, :])[0, side]
            assert own_effort(v, 0.0, 0.7).tobytes() == both.tobytes()


def test_robot_runs_neediest_first_equal_the_plain_search():
    """``neediest_first`` (a heap) sends each run where a search of the units still in need
    for the greatest need (the lowest slot at equal need) sends it, ties and all."""
    from pokrovsk_tui.ai.plans_logistics import neediest_first

    rng = np.random.default_rng(18)
    for _ in range(300):
        units = rng.permutation(40)[: int(rng.integers(0, 25))].tolist()
        need = {u: float(rng.choice([0.0, 4.0, 6.0, 20.0, 35.5, 70.0 * 1.3])) + float(rng.integers(0, 3)) * 12.0
                for u in units}
        cand = [u for u in units if need[u] > 5]
        runs = int(rng.integers(0, 12))
        payload = float(rng.choice([12.0, 15.0, 7.5]))
        plain_need, left, plain = dict(need), list(cand), []
        for _r in range(runs):
            if not left:
                break
            u = max(left, key=lambda u: (plain_need[u], -u))
            plain.append(u)
            plain_need[u] -= payload
            if not plain_need[u] > 5:
                left.remove(u)
        assert neediest_first(need, cand, runs, payload) == plain
        assert need == plain_need


def test_touches_is_any_neighbour_in_the_mask(world_states):
    """``belief.touches``: a hex touches a mask when one of its neighbours on the map is in it."""
    from pokrovsk_tui.rules.belief import touches

    world, _states = world_states
    nb = world.grid.neighbours
    rng = np.random.default_rng(19)
    for share in (0.0, 0.02, 0.3, 1.0):
        mask = rng.random(world.grid.n) < share
        plain = np.array([any(mask[j] for j in row if j >= 0) for row in nb.tolist()], bool)
        assert touches(world, mask).tolist() == plain.tolist()


def test_drone_sorties_equal_the_plain_scan():
    """``plans_fires._sorties`` (values kept, the changed hex's worked out again) sends each
    pair where a scan of every target for the best value (the first of the best) sends it,
    with ties, targets without room and hexes listed twice."""
    from pokrovsk_tui.ai.plans_fires import _sorties

    def plain(targets, dealt, left):
        out = []
        while left > 0 and targets:
            best = None
            for h, kind, half, exp_dmg, tv in targets:
                room = half - dealt.get(h, 0.0)
                if room <= 0:
                    continue
                val = min(exp_dmg, room) * tv
                if best is None or val > best[0]:
                    best = (val, h, kind, exp_dmg)
            if best is None or best[0] < 0.02:
                break
            _, h, kind, exp_dmg = best
            n = min(2, left)
            out.append((h, kind, n))
            dealt[h] = dealt.get(h, 0.0) + exp_dmg * n
            left -= n
        return out

    rng = np.random.default_rng(20)
    for _ in range(400):
        m = int(rng.integers(0, 12))
        targets = [(int(rng.integers(0, 8)), str(rng.choice(["strike", "hunt"])), float(rng.choice([0.0, 0.5, 3.0, 7.25])),
                    float(rng.choice([0.0, 0.01, 0.4, 1.1])), float(rng.choice([0.22, 0.35, 0.5]))) for _ in range(m)]
        dealt = {int(h): float(rng.choice([0.0, 1.0, 9.0])) for h in rng.integers(0, 8, 3)}
        left = int(rng.integers(0, 15))
        want_dealt = dict(dealt)
        want = plain(targets, want_dealt, left)
        assert _sorties(targets, dealt, left) == want
        assert dealt == want_dealt


def test_sampled_positions_equal_the_plain_draws(world_states):
    """``sample_positions`` (Python numbers, a search of each prior's cumulative list) draws
    what drawing with numpy scalars and ``cdf.searchsorted`` draws, number for number."""
    from pokrovsk_tui.ai.determinise import _cdf, sample_positions
    from pokrovsk_tui.ai.situation import FRONT_SHARE, R_ASLT, R_INF

    def plain(sit, rng):
        w, nb = sit.world, sit.st.neighbours
        slots, hexes, strength = [], [], []
        for u, h, s, age in zip(sit.c_unit, sit.c_hex, sit.c_str, sit.c_age, strict=True):
            u, h = int(u), int(h)
            if age > 0 and rng.random() < 0.4:
                opts = nb[h][(nb[h] >= 0)]
                opts = opts[w.passable[opts] & (sit.control[opts] != sit.side)]
                if opts.size:
                    h = int(opts[rng.integers(opts.size)])
            slots.append(u)
            hexes.append(h)
            strength.append(float(s) * (1.0 if age == 0 else 0.9))
        taken = np.zeros(sit.n, np.int64)
        np.add.at(taken, np.asarray(hexes, np.int64), 1)
        cdfs = {key: _cdf(sit.hidden[key]) for key in ("near", "deep")}
        for u in sit.hidden["slots"]:
            u = int(u)
            front = w.u_role[u] in (R_INF, R_ASLT) and rng.random() < FRONT_SHARE
            cdf = cdfs["near" if front else "deep"]
            if cdf is None:
                continue
            h = int(cdf.searchsorted(rng.random(), side="right"))
            if taken[h] >= 2:
                h = int(cdf.searchsorted(rng.random(), side="right"))
            taken[h] += 1
            slots.append(u)
            hexes.append(h)
            strength.append(float(w.u_full[u]) * sit.attrition)
        return np.asarray(slots, np.int64), np.asarray(hexes, np.int64), np.asarray(strength)

    world, states = world_states
    for state in states:
        for side in (0, 1):
            sit = situation(view(world, state, side))
            for seed in (1, 2):
                got = sample_positions(sit, np.random.default_rng(seed))
                want = plain(sit, np.random.default_rng(seed))
                assert all(a.tobytes() == b.tobytes() and a.dtype == b.dtype for a, b in zip(got, want, strict=True))
