"""The small helpers of fires and ground combat (kernels.unique_inverse, the combat events'
CRT chances) give what the plain numpy and rule functions give."""

from __future__ import annotations

import numpy as np
import pytest

from pokrovsk_tui.rules.dice import binomial_icdf
from pokrovsk_tui.rules.kernels import unique_inverse
from pokrovsk_tui.rules.params import RESULTS
from pokrovsk_tui.rules.phase_combat import crt_probs
from pokrovsk_tui.rules.phase_combat_events import crt_chances


def test_unique_inverse_is_numpys_unique_with_inverse():
    rng = np.random.default_rng(5)
    for size, top in [(0, 5), (1, 5), (7, 3), (40, 1000), (3000, 12000), (500, 1)]:
        keys = rng.integers(0, top, size)
        got, inverse = unique_inverse(keys)
        want, want_inverse = np.unique(keys, return_inverse=True)
        assert np.array_equal(got, want) and got.dtype == want.dtype
        assert np.array_equal(inverse, want_inverse) and inverse.dtype == want_inverse.dtype
        assert np.array_equal(got[inverse], keys)


def test_crt_chances_are_the_rules_crt_probabilities(all_roles_world):
    p = all_roles_world.params
    for col in range(len(p.crt)):
        for mod in range(-4, 5):
            chances = crt_chances(p, col, mod)
            assert list(chances) == list(RESULTS)
            assert list(chances.values()) == pytest.approx(crt_probs(p, col, mod).tolist())


def test_missions_of_no_sorties_draw_no_hits():
    # fires draws every pair's hits at once: a mission with no sorties must hit nothing
    u = np.array([0.0, 0.3, 0.999, 0.5])
    count = np.array([0, 0, 0, 4])
    p = np.array([0.2, 1.0, 0.9, 0.5])
    hits = binomial_icdf(u, count, p)
    assert hits[:3].tolist() == [0, 0, 0] and 0 <= hits[3] <= 4
