"""Engine-side order validation: every illegal order is refused with its reason."""

import pytest

from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import check_orders, context, resolve_turn
from pokrovsk_tui.rules.orders import Order, validate
from pokrovsk_tui.rules.view import view
from worlds import unit, world_and_state

UNITS = [
    unit("ua-inf", "ua", "infantry", "0403"),
    unit("ua-fpv", "ua", "fpv", "0203"),
    unit("ua-ugv", "ua", "ugv", "0303"),
    unit("ua-ew", "ua", "ew", "0302"),
    unit("ua-art", "ua", "artillery", "0103", supply=100),
    unit("ru-ag", "ru", "assault", "0503"),
    unit("ru-ew", "ru", "ew", "0703"),
]


@pytest.fixture(scope="module")
def ws():
    return world_and_state(UNITS, **{"deliveries": {"ru_glide_bombs": 3}})


def refuse(ws, side, *orders):
    w, st = ws
    ok, bad = validate(context(w, st, side), list(orders))
    return ok, [r.reason for r in bad]


@pytest.mark.parametrize(
    "side, order, words",
    [
        (0, Order(kind="hold", unit="nobody"), "unknown unit"),
        (0, Order(kind="hold", unit="ru-ag"), "wrong side"),
        (0, Order(kind="move", unit="ua-inf", path=("0603",)), "not next to"),
        (0, Order(kind="move", unit="ua-inf", path=("0402", "0401", "0501", "0601", "0701")), "unreachable"),
        (0, Order(kind="move", unit="ua-inf", path=("9999",)), "off the map"),
        (0, Order(kind="assault", unit="ua-inf", target="0603"), "not adjacent"),
        (0, Order(kind="assault", unit="ua-fpv", target="0303"), "only infantry"),
        (0, Order(kind="infiltrate", unit="ua-inf", target="0503"), "cannot infiltrate"),
        (0, Order(kind="raid", unit="ua-inf", target="0303"), "your own ground"),
        (0, Order(kind="strike", unit="ua-inf", target="0503"), "only drone units"),
        (0, Order(kind="strike", unit="ua-fpv", target="0503", count=13), "over budget"),
        (0, Order(kind="interdict", unit="ua-fpv", target="0502"), "not a road hex"),
        (0, Order(kind="resupply", unit="ua-ugv", target_unit="ru-ag"), "not a friendly unit"),
        (0, Order(kind="resupply", unit="ua-ugv", target_unit="ua-inf", count=4), "over budget"),
        (0, Order(kind="fire", unit="ua-art", target="0503", count=7), "over budget"),
        (0, Order(kind="jam", unit="ua-inf"), "only EW"),
        (0, Order(kind="bomb", target="0503"), "no glide bombs"),
        (1, Order(kind="bomb", target="0403", count=4), "over budget"),
    ],
)
def test_illegal_orders_are_refused_with_reason(ws, side, order, words):
    ok, reasons = refuse(ws, side, order)
    assert not ok
    assert len(reasons) == 1 and words in reasons[0], reasons


def test_out_of_range(ws):
    w, st = ws
    # fibre drones have range 12 on the 8-wide map: everything is in range; shrink via a far target instead
    ok, reasons = refuse(ws, 0, Order(kind="resupply", unit="ua-ugv", target_unit="ua-art", count=1))
    assert ok and not reasons
    big_w, big_st = world_and_state(UNITS, **{"unit_types.ugv": {"role": "ugv", "strength": 20, "mp": 4, "defence": 0.3,
                                                                 "signature": 0.3, "ugv_runs_per_day": 3, "ugv_range": 1}})
    ok, bad = validate(context(big_w, big_st, 0), [Order(kind="resupply", unit="ua-ugv", target_unit="ua-art")])
    assert not ok and "out of range" in bad[0].reason


def test_budget_counts_across_orders(ws):
    ok, reasons = refuse(ws, 0, Order(kind="strike", unit="ua-fpv", target="0503", count=8),
                         Order(kind="recon", unit="ua-fpv", target="0603", count=4),
                         Order(kind="hunt", unit="ua-fpv", target="0703", count=1))
    assert len(ok) == 2 and "0 sorties left" in reasons[0]


def test_one_ground_order_per_unit(ws):
    ok, reasons = refuse(ws, 0, Order(kind="dig_in", unit="ua-inf"), Order(kind="rest", unit="ua-inf"))
    assert len(ok) == 1 and "already has an order" in reasons[0]


def test_move_path_is_normalised_and_accepted(ws):
    ok, reasons = refuse(ws, 0, Order(kind="move", unit="ua-inf", path=("0403", "0402", "0401")))
    assert not reasons
    assert ok[0].path == ("0402", "0401") and ok[0].target == "0401"


def test_view_validates_like_the_state(ws):
    w, st = ws
    orders = [Order(kind="strike", unit="ua-fpv", target="0503", count=5), Order(kind="hold", unit="ru-ag"),
              Order(kind="move", unit="ua-inf", path=("0603",))]
    a = validate(context(w, st, 0), orders)
    b = validate(view(w, st, 0).context(), orders)
    assert [o.kind for o in a[0]] == [o.kind for o in b[0]]
    assert [r.reason for r in a[1]] == [r.reason for r in b[1]]


def test_refused_orders_become_events_for_their_side_only(ws):
    w, st = ws
    _, events = resolve_turn(w, st, {0: [Order(kind="hold", unit="ru-ag")]}, Dice(1))
    refused = [e for e in events if e.kind == "refused"]
    assert len(refused) == 1 and refused[0].visible_to == ("ua",)
    accepted, refusals = check_orders(w, st, {0: [Order(kind="hold", unit="ru-ag")]})
    assert accepted[0] == [] and refusals[0][0] == 0


@pytest.mark.parametrize("supply, runs", [(100, 3), (50, 3), (34, 2), (20, 1), (10, 0)])
def test_a_robot_section_runs_what_its_supply_allows(supply, runs):
    """A UGV section carries what reaches it: below supply 50 its runs fall in proportion,
    as artillery's fires do (3 runs a day at full supply)."""
    w, st = world_and_state(UNITS)
    st.supply[w.unit_index["ua-ugv"]] = supply
    ask = [Order(kind="resupply", unit="ua-ugv", target_unit="ua-inf", count=runs)] if runs else []
    ok, bad = validate(context(w, st, 0), ask + [Order(kind="resupply", unit="ua-ugv", target_unit="ua-art", count=1)])
    assert len(ok) == len(ask) and len(bad) == 1
    assert bad[0].reason == f"over budget: 0 runs left today (supply {supply}), asked 1"


def test_each_sides_compiled_orders_joined_are_both_compiled_at_once():
    import dataclasses

    import numpy as np

    from pokrovsk_tui.ai.policies import policy_rng, random_orders
    from pokrovsk_tui.rules.orders import compile_orders, join_sides
    from pokrovsk_tui.rules.state import initial_state
    from pokrovsk_tui.rules.world import build_world
    from pokrovsk_tui.store.scenarios import load_scenario

    world = build_world(load_scenario("pokrovsk-winter-2026"))
    state = initial_state(world)
    for seed in (1, 2, 3):
        given = {s: random_orders(view(world, state, s), policy_rng(seed, 1, s)) for s in (0, 1)}
        accepted, _ = check_orders(world, state, given)
        both = compile_orders(world, accepted)
        joined = join_sides(world, compile_orders(world, {0: accepted[0]}), compile_orders(world, {1: accepted[1]}))
        assert both.m_kind.size and both.r_unit.size and (both.ground != 0).any()     # something to join
        for f in dataclasses.fields(both):
            a, b = getattr(both, f.name), getattr(joined, f.name)
            assert (a is None and b is None) or (a.dtype == b.dtype and np.array_equal(a, b)), f.name
