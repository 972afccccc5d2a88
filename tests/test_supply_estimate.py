"""The computer commander's expected supply is the rules' logistics (rules/supply_estimate.py),
not a guess of its own: trucks stop at enemy fire control (``supply_block_fc``) and keep their
standoff from enemy ground, so a unit behind such a road gets nothing by truck, and lives on
its robot runs, which the look-ahead resolves as the engine does."""

from __future__ import annotations

import numpy as np
import pytest

from pokrovsk_tui.ai.rollout import expected_delivery
from pokrovsk_tui.ai.situation import situation
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import check_orders, resolve_batch, resolve_turn
from pokrovsk_tui.rules.orders import Order, compile_orders
from pokrovsk_tui.rules.supply import deliver
from pokrovsk_tui.rules.supply_estimate import deliveries
from pokrovsk_tui.rules.view import view
from worlds import unit, world_and_state

# a north-south road through column 3, between Ukraine's source (0103) and its front unit
SPUR = {"name": "spur", "kind": "road", "hexes": ["0301", "0302", "0303", "0304", "0305", "0306"]}


def orders(world, state, extra=()):
    out = {s: [Order(kind="hold", unit=world.unit_ids[u]) for u in np.flatnonzero(state.on_map & (world.u_side == s))
               if world.unit_ids[u] not in {o.unit for o in extra}] for s in (0, 1)}
    out[0] += list(extra)
    return out


def engine_delivery(world, state, extra=()):
    """(U,) what the engine's own turn delivered to each unit (nobody fights here)."""
    new, _ = resolve_turn(world, state, orders(world, state, extra), Dice(1))
    return new.supply - state.supply + world.params.consumption, new


def fire_controlled_world(level):
    units = [unit("ua-front", "ua", "infantry", "0403", supply=40), unit("ua-back", "ua", "infantry", "0203", supply=40),
             unit("ru-1", "ru", "assault", "0703", supply=40)]
    return world_and_state(units, **{"map.roads": [dict(SPUR)],
                                     "standing_fire": [{"side": "ru", "road": "spur", "level": level}]})


def test_a_unit_behind_a_road_under_fire_control_expects_nothing_by_truck():
    world, state = fire_controlled_world(4.0)
    p = world.params
    assert 4.0 >= p.supply_block_fc
    sit = situation(view(world, state, 0))
    expected = expected_delivery(sit)
    got, new = engine_delivery(world, state)
    front, back, ru = (world.unit_index[u] for u in ("ua-front", "ua-back", "ru-1"))
    assert got[front] == pytest.approx(0.0) and new.isolated[front] == 0      # cut for trucks, not on foot
    assert expected[front] == pytest.approx(0.0)
    assert expected[back] == pytest.approx(got[back]) and got[back] > 0
    # the old guess, the delivery over the side's own path cost, would have fed the front unit
    assert deliver(p, sit.supply[state.hex[front]]) > 1.0
    # the enemy's supply is not known to the side: a neutral guess
    assert expected[ru] == pytest.approx(p.consumption + 2.0)


def test_below_the_block_the_fire_control_only_makes_the_road_dear():
    world, state = fire_controlled_world(2.0)
    expected = expected_delivery(situation(view(world, state, 0)))
    got, _ = engine_delivery(world, state)
    for uid in ("ua-front", "ua-back"):
        u = world.unit_index[uid]
        assert expected[u] == pytest.approx(got[u]) and got[u] > 0


@pytest.mark.parametrize("standoff", [0, 2, (0, 2), (2, 0)])
def test_inside_ukraines_truck_standoff_a_unit_expects_what_the_rules_deliver(standoff):
    units = [unit("ua-front", "ua", "infantry", "0303", supply=40), unit("ua-back", "ua", "infantry", "0101", supply=40),
             unit("ru-1", "ru", "assault", "0603", supply=40)]
    world, state = world_and_state(units, rules={"truck_standoff": standoff})
    expected = expected_delivery(situation(view(world, state, 0)))
    got, _ = engine_delivery(world, state)
    front, back = world.unit_index["ua-front"], world.unit_index["ua-back"]
    assert expected[front] == pytest.approx(got[front])
    assert expected[back] == pytest.approx(got[back]) and got[back] > 0
    ua_standoff = standoff if isinstance(standoff, int) else standoff[0]
    assert (expected[front] == 0) == (ua_standoff == 2)


def test_inside_the_standoff_the_robots_carry_it_in_the_look_ahead_as_in_the_engine():
    """The look-ahead (light rollout) gives a unit inside the standoff only its robot runs,
    exactly what the engine's turn gives it."""
    units = [unit("ua-front", "ua", "infantry", "0303", supply=40), unit("ua-ugv", "ua", "ugv", "0101", supply=80),
             unit("ru-1", "ru", "assault", "0603", supply=40)]
    world, state = world_and_state(units, rules={"truck_standoff": 2})
    run = Order(kind="resupply", unit="ua-ugv", target_unit="ua-front", count=2)
    accepted, refused = check_orders(world, state, orders(world, state, [run]))
    assert not refused
    co = compile_orders(world, accepted)
    expected = expected_delivery(situation(view(world, state, 0)))
    front = world.unit_index["ua-front"]
    assert expected[front] == 0
    full = resolve_batch(world, state.batched(4), co, Dice(3))
    light = resolve_batch(world, state.batched(4), co, Dice(3), delivery=expected)
    ua = world.u_side == 0
    assert np.allclose(light.supply[:, ua], full.supply[:, ua])
    assert np.allclose(light.supply[:, front], state.supply[front] + 2 * world.params.ugv_payload
                       - world.params.consumption)
    # and without the runs it gets nothing
    idle = compile_orders(world, check_orders(world, state, orders(world, state))[0])
    starved = resolve_batch(world, state.batched(4), idle, Dice(3), delivery=expected)
    assert np.allclose(starved.supply[:, front], state.supply[front] - world.params.consumption)


def test_the_light_look_ahead_with_the_rules_delivery_is_the_full_turn_robots_and_all():
    units = [unit("ua-front", "ua", "infantry", "0303", supply=40), unit("ua-ugv", "ua", "ugv", "0101", supply=80),
             unit("ua-hq", "ua", "hq", "0202", supply=60), unit("ru-1", "ru", "assault", "0603", supply=40)]
    world, state = world_and_state(units, rules={"truck_standoff": 2})
    run = Order(kind="resupply", unit="ua-ugv", target_unit="ua-front", count=3)
    accepted, _ = check_orders(world, state, orders(world, state, [run]))
    co = compile_orders(world, accepted)
    fc = np.maximum(state.fire_control, world.standing_fc)
    truck = deliveries(world, state, fc)                  # trucks and HQs only: no orders given
    full = resolve_batch(world, state.batched(6), co, Dice(4))
    light = resolve_batch(world, state.batched(6), co, Dice(4), delivery=truck)
    assert light.equal(full) == []
    before = state.supply.copy()
    deliveries(world, state, fc)
    assert np.array_equal(state.supply, before)           # the state is not changed


def test_deliveries_says_what_is_wrong_with_its_input():
    world, state = world_and_state()
    with pytest.raises(ValueError, match="one game state"):
        deliveries(world, state.batched(2), np.zeros((2, world.grid.n)))
    with pytest.raises(ValueError, match="fire_control"):
        deliveries(world, state, np.zeros(world.grid.n))


def robot_runs_planned(features, standoff=2):
    from pokrovsk_tui.ai.plans import Planner
    from pokrovsk_tui.ai.plans_base import Knobs
    units = [unit("ua-front", "ua", "infantry", "0303", supply=40), unit("ua-back", "ua", "infantry", "0101", supply=35),
             unit("ua-ugv", "ua", "ugv", "0102", supply=80), unit("ru-1", "ru", "assault", "0703", supply=40)]
    world, state = world_and_state(units, rules={"truck_standoff": standoff})
    plan = Planner(situation(view(world, state, 0)), Knobs(), None, features).build()
    return {o.target_unit: o.count for o in plan.orders if o.kind == "resupply"}


def test_the_robots_go_first_where_the_trucks_do_not():
    """ua-back has less supply today, but the trucks feed it; ua-front, inside the standoff,
    gets nothing by truck: by the rules it is the hungrier tomorrow and gets most runs."""
    from pokrovsk_tui.ai.levels import LEVELS
    runs = robot_runs_planned(LEVELS["normal"].features)
    assert runs.get("ua-front", 0) == 2 and runs.get("ua-back", 0) == 1
    # without the standoff the trucks feed both, and the lower one comes first again
    assert robot_runs_planned(LEVELS["normal"].features, standoff=0).get("ua-back", 0) >= 2
    # the easy level plans without supply lines: today's supply only
    assert robot_runs_planned(LEVELS["easy"].features) == {"ua-back": 2, "ua-front": 1}


@pytest.mark.parametrize("turns", [0, 2, 4])
def test_a_sides_deliveries_are_the_whole_phases_for_its_units(turns):
    """``side_deliveries`` works out only its side's trucks and relays (the phase's own
    functions): its units get, bit for bit, what the whole logistics phase run on the same
    believed state gives them, in a played main-scenario game."""
    from pokrovsk_tui.ai.policies import policy_rng, random_orders
    from pokrovsk_tui.rules.belief import believed_state
    from pokrovsk_tui.rules.state import initial_state
    from pokrovsk_tui.rules.supply_estimate import side_deliveries
    from pokrovsk_tui.rules.world import build_world
    from pokrovsk_tui.store.scenarios import load_scenario
    world = build_world(load_scenario("pokrovsk-winter-2026"))
    state, dice = initial_state(world), Dice(4)
    for _ in range(turns):
        state, _ = resolve_turn(world, state, {s: random_orders(view(world, state, s), policy_rng(4, state.turn, s))
                                               for s in (0, 1)}, dice)
    rng = np.random.default_rng(turns)
    for side in (0, 1):
        v = view(world, state, side)
        fc_est = rng.exponential(1.0, world.grid.n) * (rng.random(world.grid.n) < 0.2)
        got = side_deliveries(v, fc_est)
        fc = np.zeros((2, world.grid.n))
        fc[side] = np.maximum(v.fire_control, world.standing_fc[side])
        fc[1 - side] = fc_est + world.standing_fc[1 - side]
        whole = deliveries(world, believed_state(v)[0], fc)
        own = world.u_side == side
        assert got.tobytes() == np.where(own, whole, 0.0).tobytes()
        assert (got[own] > 0).sum() > 5 and not got[~own].any()
