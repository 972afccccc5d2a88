"""The supply a side can work out (rules.supply, behind the app's supply overlay) is what the
engine's logistics phase delivers; and the AI's light look-ahead (resolve_batch given a
``delivery``) is the engine's turn with only the logistics step replaced."""

from __future__ import annotations

import numpy as np
import pytest

from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import check_orders, resolve_batch, resolve_turn
from pokrovsk_tui.rules.orders import Order, compile_orders
from pokrovsk_tui.rules.supply import delivery_map
from worlds import unit, world_and_state

PLACES = {
    "beside its source": [unit("ua-1", "ua", "infantry", "0203", supply=40),
                          unit("ru-1", "ru", "assault", "0703", supply=40)],
    "a few hexes out": [unit("ua-1", "ua", "infantry", "0401", supply=40),
                        unit("ru-1", "ru", "assault", "0506", supply=40)],
    "an HQ near": [unit("ua-1", "ua", "infantry", "0406", supply=40), unit("ua-hq", "ua", "hq", "0305", supply=60),
                   unit("ru-1", "ru", "assault", "0801", supply=40)],
    # the HQ is reached but too far to be supplied itself: it relays nothing
    "an unsupplied HQ": [unit("ua-1", "ua", "infantry", "0704", supply=40), unit("ua-hq", "ua", "hq", "0703", supply=60),
                         unit("ru-1", "ru", "assault", "0801", supply=40)],
}


def place(name):
    if name == "an unsupplied HQ":    # UA ground up to column 7, supply reaching 2 cost points
        return world_and_state(PLACES[name], rules={"supply_max_cost": 2.0}, **{"map.control": ["uuuuuuur"] * 6})
    return world_and_state(PLACES[name])


def holding(world, state):
    return {s: [Order(kind="hold", unit=world.unit_ids[u]) for u in np.flatnonzero(state.on_map & (world.u_side == s))]
            for s in (0, 1)}


@pytest.mark.parametrize("name", PLACES)
def test_the_delivery_map_is_what_the_engine_delivers(name):
    world, state = place(name)
    new, _ = resolve_turn(world, state, holding(world, state), Dice(1))
    p = world.params
    for s in (0, 1):
        hq = [u for u in np.flatnonzero(world.u_side == s) if world.unit_ids[u].endswith("hq")]
        got = delivery_map(world, state.control, s, state.hex[hq])
        for u in np.flatnonzero(world.u_side == s):
            h = state.hex[u]
            assert got[h] > 0 or name == "an unsupplied HQ", world.unit_ids[u]
            assert new.supply[u] == pytest.approx(min(state.supply[u] + got[h] - p.consumption, 100.0))


@pytest.mark.parametrize("name", PLACES)
def test_the_light_look_ahead_with_the_true_delivery_is_the_full_turn(name):
    world, state = place(name)
    accepted, _ = check_orders(world, state, holding(world, state))
    co = compile_orders(world, accepted)
    delivery = np.zeros(world.n_units)
    for s in (0, 1):
        hq = [u for u in np.flatnonzero(world.u_side == s) if world.unit_ids[u].endswith("hq")]
        mine = world.u_side == s
        delivery[mine] = delivery_map(world, state.control, s, state.hex[hq])[state.hex[mine]]
    full = resolve_batch(world, state.batched(8), co, Dice(2))
    light = resolve_batch(world, state.batched(8), co, Dice(2), delivery=delivery)
    assert light.equal(full) == []
    starved = resolve_batch(world, state.batched(8), co, Dice(2), delivery=np.zeros(world.n_units))
    assert starved.equal(full) == ["supply"]


def test_trucks_keep_their_standoff_from_the_enemy():
    """With truck_standoff 2 nothing drives within two hexes of enemy ground: a unit in the
    front line gets nothing by truck (its supply falls by what it uses), while one further back
    is still fed; without the standoff both are fed. The supply overlay says the same."""
    units = [unit("ua-front", "ua", "infantry", "0303", supply=40), unit("ua-back", "ua", "infantry", "0101", supply=40),
             unit("ru-1", "ru", "assault", "0603", supply=40)]
    fed = {}
    for standoff in (0, 2, (0, 2)):
        world, state = world_and_state(units, rules={"truck_standoff": standoff})
        new, _ = resolve_turn(world, state, holding(world, state), Dice(1))
        p = world.params
        got = delivery_map(world, state.control, 0, np.zeros(0, np.int64))
        for uid in ("ua-front", "ua-back"):
            u = world.unit_index[uid]
            fed[(standoff, uid)] = float(new.supply[u] - state.supply[u] + p.consumption)
            assert fed[(standoff, uid)] == pytest.approx(got[state.hex[u]])
        assert new.isolated[world.unit_index["ua-front"]] == 0      # still connected on foot
    assert fed[(0, "ua-front")] > 0 and fed[(0, "ua-back")] > 0
    assert fed[(2, "ua-front")] == 0
    assert fed[(2, "ua-back")] == pytest.approx(fed[(0, "ua-back")])
    assert fed[((0, 2), "ua-front")] == pytest.approx(fed[(0, "ua-front")])   # Russia's standoff only


def test_a_standoff_is_one_number_or_one_per_side():
    from pokrovsk_tui.rules.params import RulesParams
    assert RulesParams(truck_standoff=2).truck_standoff == (2, 2)
    assert RulesParams(truck_standoff=[2, 0]).truck_standoff == (2, 0)
    with pytest.raises(ValueError, match="truck_standoff"):
        RulesParams(truck_standoff=[-1, 0])
