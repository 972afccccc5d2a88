"""Checking a loaded save against its scenario: every turn's state, orders and events
must be what the rules say (the refusals a save records, the rules it was played under)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from pokrovsk_tui.rules.engine import Checked, check_orders
from pokrovsk_tui.rules.hexgrid import HexIdError
from pokrovsk_tui.rules.legal import LATER_RULES
from pokrovsk_tui.rules.orders import Order, Refusal
from pokrovsk_tui.rules.scenario import SIDES
from pokrovsk_tui.rules.state import GameState, initial_state
from pokrovsk_tui.rules.world import World, build_world, cached_world, keep_world, text_key

from .savefmt import (
    SaveGame,
    Snapshot,
    group_places,
)
from .scenarios import Problem, parse_toml_text, validate_data
from .snapshot import (
    SnapshotError,
    decode_state,
    state_digest,
)

MAX_WHY_DEPTH = 16     # nesting a breakdown may have


def resolve_why(save: SaveGame, name: str) -> list[Problem]:
    """Turn event breakdowns written as lists back into tables, using ``why_keys``."""
    out = []
    for i, t in enumerate(save.turns):
        places = None
        for j, e in enumerate(t.events):
            if isinstance(e.why, list):
                names = save.why_keys.get(e.phase, {}).get(e.kind)
                if names is not None and len(names) == len(e.why):
                    e.why = dict(zip(names, e.why, strict=True))
                    continue
                places = places or group_places(t.events)
                where = f"turns[{i}].events.{places[j]}.why"
                if names is None:
                    out.append(Problem(name, where, f"a list of values needs their names in why_keys.{e.phase}.{e.kind}"))
                else:
                    out.append(Problem(name, where, f"has {len(e.why)} values, why_keys.{e.phase}.{e.kind} "
                                                    f"names {len(names)}"))
    return out


def scenario_of(save: SaveGame, name: str) -> tuple[World | None, list[Problem]]:
    """The embedded scenario compiled (one World per text per process), or its problems
    placed under ``scenario.text``."""
    key = text_key(save.scenario.text)
    world = cached_world(key)
    if world is not None:                       # built from this very text: it validated
        return world, []
    data, found = parse_toml_text(save.scenario.text, name)
    if data is None:
        return None, [Problem(name, f"scenario.text ({p.place})", p.message) for p in found]
    scn, found = validate_data(data, name)
    if scn is None:
        return None, [Problem(name, f"scenario.text.{p.place}", p.message) for p in found]
    return keep_world(key, build_world(scn)), []


def check_save(save: SaveGame, name: str) -> list[Problem]:
    """Everything the models cannot see. Sets the save's world when the scenario is sound."""
    world, out = scenario_of(save, name)
    if world is None:
        return out

    def bad(place: str, msg: str) -> None:
        out.append(Problem(name, place, msg))

    scn = world.scenario
    if save.scenario.id != scn.id:
        bad("scenario.id", f"says {save.scenario.id!r} but the text is scenario {scn.id!r}")
    expect = {"solo": 1, "hot-seat": 2, "ai-vs-ai": 0}[save.mode]
    humans = sum(p.kind == "human" for p in (save.players.ua, save.players.ru))
    if humans != expect:
        bad("mode", f"mode {save.mode!r} needs {expect} human player(s), players has {humans}")
    for i, a in enumerate(save.annotations):
        if a.hex is not None:
            try:
                world.grid.index(a.hex)
            except HexIdError as e:
                bad(f"annotations[{i}].hex", str(e))

    modified: list[Problem] = []     # digests that do not match: the file was edited by hand

    def decode(place: str, snap: Snapshot) -> GameState | None:
        try:
            return decode_state(world, snap)
        except SnapshotError as e:
            out.extend(Problem(name, f"{place}.{p}", m) for p, m in e.problems)
            return None

    if save.start is not None:
        state = decode("start", save.start)
        if save.start.turn != save.start_turn:
            bad("start.turn", f"the start state is at turn {save.start.turn}, start_turn is {save.start_turn}")
    elif save.start_turn != 1:
        bad("start", f"a save that starts at turn {save.start_turn} needs its [start] state")
        state = None
    else:
        state = initial_state(world)
    before = state_digest(state) if state is not None else None      # of the state before each turn
    if save.start_turn > scn.turns + 1:
        bad("start_turn", f"turn {save.start_turn} is past the scenario's last turn {scn.turns}")

    for i, t in enumerate(save.turns):
        place = f"turns[{i}]"
        for k, e in enumerate(t.events):
            if not e.phase:
                bad(f"{place}.events[{k}].phase", "missing: say the event's phase (or group events by phase)")
            if _depth(e.why) > MAX_WHY_DEPTH:
                bad(f"{place}.events.{group_places(t.events)[k]}.why", f"nested more than {MAX_WHY_DEPTH} deep")
        want = save.start_turn + i
        if t.turn != want:
            bad(f"{place}.turn", f"expected turn {want} here, found {t.turn}")
        if t.turn > scn.turns:
            bad(f"{place}.turn", f"turn {t.turn} is past the scenario's last turn {scn.turns}")
        if t.state.turn != t.turn + 1:
            bad(f"{place}.state.turn", f"the state after turn {t.turn} must say turn = {t.turn + 1}")
        if state is not None:
            if state.over:
                bad(place, f"turn {t.turn} follows the end of the game")
            else:
                checked: list[Checked] = []
                refused = _unrecorded_refusals(world, state, t.orders, t.event_list(), checked)
                _report_refusals(refused, f"{place}.orders", t.turn, bad)
                waives = _waived(refused)
                t.checked()["waives"] = (before, waives)
                if not waives:       # the engine's own check of the turn: verify replays with it
                    t.checked()["orders"] = (before, checked[0])
        state = decode(f"{place}.state", t.state)
        before = state_digest(state) if state is not None else None
        if before is not None:
            t.checked()["state_digest"] = before
            if before != t.digest:
                modified.append(Problem(name, f"{place}.state", f"modified by hand: the state after turn {t.turn} "
                                                                "does not match its digest"))
        if t.sealed_orders_digest() != t.orders_digest:
            modified.append(Problem(name, f"{place}.orders", f"modified by hand: the orders or intents of turn "
                                                             f"{t.turn} do not match its orders_digest"))
    if save.start is not None and save.start_digest is not None:
        start = decode("start", save.start)
        if start is not None and state_digest(start) != save.start_digest:
            modified.append(Problem(name, "start", "modified by hand: the start state does not match start_digest"))
    save._modified = modified
    if save.pending is not None and state is not None:
        if state.over and (save.pending.ua or save.pending.ru):
            bad("pending", "the game is over: there is no turn to give orders for")
        elif not state.over:
            _check_refusals(world, state, save.pending, [], "pending", save.next_turn, bad)
    if not out:
        save._world = world
    return out


_SCALARS = frozenset((str, int, float, bool))


def _depth(v, limit: int = 64) -> int:
    """How deep a breakdown nests (a table or list of plain values: 1), counted to ``limit``."""
    items: Collection[Any]
    if isinstance(v, dict):
        items = v.values()
    elif isinstance(v, list):
        items = v
    else:
        return 0
    if limit <= 0 or _SCALARS.issuperset(map(type, items)):
        return 1
    return 1 + max(_depth(x, limit - 1) for x in items)


def _unrecorded_refusals(world: World, state: GameState, orders, events, keep: list[Checked] | None = None
                         ) -> list[tuple[int, list[Order], Refusal]]:
    """Refusals the engine gives these orders today that the saved events do not record
    (``check_orders``'s whole answer appended to ``keep``, when given)."""
    given = {0: list(orders.ua), 1: list(orders.ru)}
    result = check_orders(world, state, given)
    if keep is not None:
        keep.append(result)
    _, refused = result
    recorded = Counter((tuple(e.to), e.text) for e in events if e.phase == "orders" and e.kind == "refused")
    out = []
    for side, r in refused:
        key = ((SIDES[side],), f"Order refused: {r}")
        if recorded[key] > 0:
            recorded[key] -= 1
            continue
        out.append((side, given[side], r))
    return out


def waived_rules(world: World, state: GameState, orders, events) -> frozenset[str]:
    """The target rules added since old saves were written (``legal.LATER_RULES``) that a
    saved turn was played without: a rule that refuses one of its orders today while the
    save records no such refusal. Replaying the turn waives them, so it comes out as played."""
    return _waived(_unrecorded_refusals(world, state, orders, events))


def _waived(refused: list[tuple[int, list[Order], Refusal]]) -> frozenset[str]:
    return frozenset(r.rule for _, _, r in refused if r.rule in LATER_RULES)


def _check_refusals(world: World, state: GameState, orders, events, place: str, turn: int, bad) -> None:
    _report_refusals(_unrecorded_refusals(world, state, orders, events), place, turn, bad)


def _report_refusals(refused: list[tuple[int, list[Order], Refusal]], place: str, turn: int, bad) -> None:
    for side, given, r in refused:
        if r.rule in LATER_RULES:     # given under the older rules; a pending one is refused when the day is resolved
            continue
        j = next((j for j, o in enumerate(given) if o is r.order), None)
        where = f"{place}.{SIDES[side]}" + (f"[{j}]" if j is not None else "")
        bad(where, f"the engine refuses this order on turn {turn} ({SIDES[side]}): {r}")
