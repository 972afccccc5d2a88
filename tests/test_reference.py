"""The reference adjudicator (plain Python, the executable RULES.md) and the numpy engine,
fed the same draws, must give the same state and the same events, turn after turn."""

from __future__ import annotations

import copy
import math
from collections import Counter

import numpy as np
import pytest

from conftest import ALL_ROLES
from pokrovsk_tui.ai.policies import policy_rng, random_orders
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.reference import reference_resolve_turn
from pokrovsk_tui.rules.scenario import Scenario
from pokrovsk_tui.rules.state import initial_state
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import bundled_ids, load_scenario

# the all-roles scenario with harsher numbers: units are destroyed, cut off and isolated
DEADLY_RULES = {"fpv_damage": 6.0, "bomber_damage": 9.0, "artillery_damage": 6.0, "glide_damage": 15.0,
                "attacker_loss_rate": 0.2, "defender_loss_rate": 0.15, "killzone_coeff": 0.5,
                "supply_max_cost": 6.0, "supply_scale": 3.0, "isolation_strength": 0.2}


def variant(rules: dict | None = None, changes: dict[str, dict] | None = None, **top) -> Scenario:
    """The all-roles scenario with rules, some units' fields (by id) or top-level fields changed."""
    data = copy.deepcopy(ALL_ROLES)
    data["rules"] = rules or {}
    for u in data["units"]:
        u.update((changes or {}).get(u["id"], {}))
    data.update(copy.deepcopy(top))
    return Scenario.model_validate(data)


def why_diff(a, b, path: str) -> list[str]:
    """Where two ``why`` values differ: numbers beyond 1e-9, anything else not equal."""
    if isinstance(a, dict) or isinstance(b, dict):
        if not (isinstance(a, dict) and isinstance(b, dict)) or set(a) != set(b):
            return [f"{path}: {a!r} != {b!r}"]
        return [x for k in a for x in why_diff(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list | tuple | np.ndarray) or isinstance(b, list | tuple | np.ndarray):
        a, b = list(a), list(b)
        if len(a) != len(b):
            return [f"{path}: {a!r} != {b!r}"]
        return [x for i, (p, q) in enumerate(zip(a, b, strict=True)) for x in why_diff(p, q, f"{path}[{i}]")]
    if isinstance(a, str) or isinstance(b, str) or a is None or b is None:
        return [] if a == b else [f"{path}: {a!r} != {b!r}"]
    if bool(a) is a or bool(b) is b or isinstance(a, np.bool_) or isinstance(b, np.bool_):
        return [] if bool(a) == bool(b) else [f"{path}: {a!r} != {b!r}"]
    if math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9):
        return []
    return [f"{path}: {a!r} != {b!r}"]


def both_turns(world, state, orders, dice):
    """Resolve one turn with the engine and the reference; assert they agree; the engine's result."""
    new, ev = resolve_turn(world, state, orders, dice)
    ref, ref_ev = reference_resolve_turn(world, state, orders, dice)
    where = f"seed {dice.seed}, turn {state.turn}"
    assert new.equal(ref) == [], where
    key = [(e.turn, e.phase, e.kind, e.hex, e.units, e.visible_to, e.template) for e in ev]
    assert key == [(e.turn, e.phase, e.kind, e.hex, e.units, e.visible_to, e.template) for e in ref_ev], where
    for e, r in zip(ev, ref_ev, strict=True):
        assert why_diff(e.why, r.why, f"{where}: {e.phase}/{e.kind}.why") == []
    return new, ev


def random_policy(world, state, seed):
    return {s: random_orders(view(world, state, s), policy_rng(seed, state.turn, s)) for s in (0, 1)}


def play(world, seed: int, policy=random_policy, max_turns: int | None = None) -> tuple[int, list]:
    """Play one game through both adjudicators; the turns compared and all events."""
    dice, state, turns, events = Dice(seed), initial_state(world), 0, []
    while not state.over and (max_turns is None or turns < max_turns):
        state, ev = both_turns(world, state, policy(world, state, seed), dice)
        turns += 1
        events += ev
    return turns, events


@pytest.fixture(scope="module")
def tutorial():
    return build_world(load_scenario("tutorial-hryshyne"))


def test_random_games_on_the_tutorial(tutorial):
    turns = sum(play(tutorial, seed)[0] for seed in range(30))
    assert turns == 30 * tutorial.scenario.turns


@pytest.mark.parametrize("rules", [{}, DEADLY_RULES, {"truck_standoff": [2, 1], "supply_block_fc": 1.0,
                                                      "dig_chance": [0.8, 0.4, 0.2], "position_fire": 0.05,
                                                      "line_hold": 1}],
                         ids=["default-rules", "deadly-rules", "standoff-digging-position-fire-line"])
def test_random_games_with_every_role(rules):
    world = build_world(variant(rules))
    kinds: Counter = Counter()
    fire_from_positions = line_held = 0
    for seed in range(20):
        _, events = play(world, seed)
        kinds.update(e.kind for e in events)
        fire_from_positions += sum(bool((e.why or {}).get("position_fire_loss")) for e in events)
        line_held += sum(bool((e.why or {}).get("line_held"))
                         or "held by the fire" in str((e.why or {}).get("stopped", "")) for e in events)
    for kind in ("assault", "infiltration", "raid", "contact", "strike", "hunt", "artillery_fire",
                 "glide_bombs", "interdict", "ugv", "move", "arrives", "detected", "sudden_death", "end"):
        assert kinds[kind] > 0, kind
    if rules is DEADLY_RULES:
        assert kinds["lost"] > 0
    assert (fire_from_positions > 0) == ("position_fire" in rules)
    assert (line_held > 0) == ("line_hold" in rules)     # held lines stop moves and walk-ins


# hand-written orders for the all-roles scenario: every order kind, and a few illegal ones
HAND_ORDERS = {
    0: [Order(kind="raid", unit="ua-inf-1", target="0602"),
        Order(kind="assault", unit="ua-inf-2", target="0605"),
        Order(kind="dig_in", unit="ua-inf-3"),
        Order(kind="recon", unit="ua-fpv", target="0605", count=2),
        Order(kind="strike", unit="ua-fpv", target="0605", count=3),
        Order(kind="hunt", unit="ua-fpv", target="0904", count=2),
        Order(kind="interdict", unit="ua-bomber", target="0805", count=1),
        Order(kind="strike", unit="ua-bomber", target="0602", count=2),
        Order(kind="resupply", unit="ua-ugv", target_unit="ua-inf-2", count=2),
        Order(kind="jam", unit="ua-ew"),
        Order(kind="fire", unit="ua-art", target="0605", count=3),
        Order(kind="rest", unit="ua-hq"),
        Order(kind="move", unit="ua-inf-4", path=("0205", "0305", "0405")),
        Order(kind="bomb", target="0605", count=1),
        Order(kind="strike", unit="ru-fpv", target="0505"),                  # not UA's unit
        Order(kind="move", unit="ua-hq", path=("0909",))],                   # two orders, unreachable
    1: [Order(kind="infiltrate", unit="ru-ag-1", target="0502"),
        Order(kind="assault", unit="ru-ag-2", target="0505"),
        Order(kind="rest", unit="ru-ag-3"),
        Order(kind="strike", unit="ru-fpv", target="0505", count=3),
        Order(kind="recon", unit="ru-fpv", target="0502", count=2),
        Order(kind="interdict", unit="ru-fpv", target="0405", count=2),
        Order(kind="hunt", unit="ru-fpv", target="0303", count=1),
        Order(kind="strike", unit="ru-bomber", target="0607", count=2),
        Order(kind="move", unit="ru-ew", path=("0704",)),
        Order(kind="fire", unit="ru-art", target="0502", count=3),
        Order(kind="dig_in", unit="ru-hq"),
        Order(kind="resupply", unit="ru-ugv", target_unit="ru-ag-1", count=2),
        Order(kind="move", unit="ru-ag-4", path=("0905", "0805", "0705")),
        Order(kind="bomb", target="0502", count=2),
        Order(kind="bomb", target="0503", count=1),
        Order(kind="bomb", target="0505", count=5),                          # over budget
        Order(kind="raid", unit="ru-ag-3", target="0607")],                  # a second order
}


def test_hand_written_orders_of_every_kind(all_roles_world):
    """The same orders each turn (later turns refuse what no longer fits) under many seeds."""
    kinds: Counter = Counter()
    for seed in range(12):
        _, events = play(all_roles_world, seed, policy=lambda w, s, seed: HAND_ORDERS, max_turns=4)
        kinds.update(e.kind for e in events)
    for kind in ("refused", "raid", "assault", "infiltration", "contact", "detected", "strike", "hunt", "interdict", "artillery_fire", "glide_bombs", "hit", "ugv", "move", "arrives"):
        assert kinds[kind] > 0, kind
    used = {o.kind for orders in HAND_ORDERS.values() for o in orders}
    assert used == {"move", "assault", "infiltrate", "raid", "dig_in", "rest", "jam", "recon", "strike",
                    "interdict", "hunt", "resupply", "fire", "bomb"}


def test_a_defender_with_no_retreat_hex_surrenders():
    """A UA company in the map's corner, both its neighbours held by assaulting RU groups."""
    world = build_world(variant(changes={"ua-inf-1": {"hex": "0101", "strength": 40, "entrenchment": 0},
                                       "ru-ag-1": {"hex": "0201"}, "ru-ag-2": {"hex": "0102"}}))
    orders = {0: [], 1: [Order(kind="assault", unit="ru-ag-1", target="0101"),
                         Order(kind="assault", unit="ru-ag-2", target="0101")]}
    surrendered = 0
    for seed in range(12):
        _, events = play(world, seed, policy=lambda w, s, seed: orders, max_turns=1)
        surrendered += sum("surrendered" in e.why for e in events)
    assert surrendered > 0


def test_supply_ties_go_to_the_first_listed_source():
    """A unit at equal cost from two sources is fed by the one listed first: here the tiny
    one, on the higher hex number, so neither hex order nor search order would pick it."""
    sources = [{"name": "small", "side": "ua", "hex": "0106", "capacity": 1},
               {"name": "large", "side": "ua", "hex": "0104", "capacity": 100},
               {"name": "east depot", "side": "ru", "hex": "1005", "capacity": 60}]
    units = [{"id": "ua-inf-1", "side": "ua", "type": "infantry", "hex": "0105", "supply": 50},
             {"id": "ru-ag-1", "side": "ru", "type": "assault", "hex": "1005"}]
    world = build_world(variant(supply_sources=sources, units=units, reinforcements=[]))
    new, _ = both_turns(world, initial_state(world), {0: [], 1: []}, Dice(0))
    assert new.supply[0] == pytest.approx(50 + 1 - 8)       # capacity 1, consumption 8


def test_the_reference_leaves_the_state_alone_and_refuses_a_finished_game(all_roles_world):
    state = initial_state(all_roles_world)
    before = copy.deepcopy(state)
    reference_resolve_turn(all_roles_world, state, HAND_ORDERS, Dice(3))
    assert state.equal(before) == []
    with pytest.raises(ValueError):
        reference_resolve_turn(all_roles_world, state.copy_with(winner=np.array(0)), {}, Dice(3))


@pytest.mark.skipif("pokrovsk-winter-2026" not in bundled_ids(), reason="main scenario not bundled yet")
def test_random_turns_on_the_main_scenario():
    world = build_world(load_scenario("pokrovsk-winter-2026"))
    assert sum(play(world, seed, max_turns=3)[0] for seed in range(2)) == 6
