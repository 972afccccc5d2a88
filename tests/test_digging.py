"""Digging in takes time: a level with the day's chance, never past max_entrenchment, never
lowering a built position; the engine and the computer commander read the same rule."""

import numpy as np
import pytest

from pokrovsk_tui.rules.digging import can_dig, dig_odds, dug
from pokrovsk_tui.rules.params import RulesParams
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario


def params(**kw):
    return RulesParams(**kw)


def test_a_level_comes_with_the_days_chance():
    p = params(dig_chance=[1.0, 0.35, 0.15], max_entrenchment=3)
    ent = np.array([0, 1, 1, 2, 2])
    u = np.array([0.99, 0.30, 0.40, 0.10, 0.20])
    assert dug(p, ent, np.ones(5, bool), u).tolist() == [1, 2, 1, 3, 2]
    assert dug(p, ent, np.zeros(5, bool), u).tolist() == ent.tolist()       # not digging: unchanged


def test_digging_stops_at_the_maximum_and_never_lowers_a_built_position():
    p = params(max_entrenchment=2)
    ent = np.array([1, 2, 3])
    assert dug(p, ent, np.ones(3, bool), np.zeros(3)).tolist() == [2, 2, 3]
    assert [can_dig(p, e) for e in (0, 1, 2, 3)] == [True, True, False, False]
    assert dig_odds(p, 2) == 0.0 and dig_odds(p, 1) == 1.0


def test_bad_chances_are_refused_with_the_field_named():
    with pytest.raises(ValueError, match="dig_chance"):
        params(dig_chance=[1.0, 0.5])
    with pytest.raises(ValueError, match="dig_chance"):
        params(dig_chance=[1.0, 1.5, 0.2])


def test_on_the_main_scenario_prepared_positions_take_days():
    world = build_world(load_scenario("pokrovsk-winter-2026"))
    p = world.params
    assert dig_odds(p, 0) == 1.0 and 0 < dig_odds(p, 1) < 0.5
    # 4,000 units digging from hasty for three days: about 1 - (1 - q)^3 reach prepared
    rng = np.random.default_rng(1)
    ent = np.ones(4000, np.int64)
    for _ in range(3):
        ent = dug(p, ent, np.ones(4000, bool), rng.random(4000))
    q = dig_odds(p, 1)
    assert abs((ent == 2).mean() - (1 - (1 - q) ** 3)) < 0.03
