"""Replay, verify and branch saved games.

- ``replay(save)`` re-adjudicates the saved orders from the save's start (the scenario's
  initial state, or the ``[start]`` snapshot of a branch) with the game's seed.
- ``verify(save)`` replays and compares every turn with what the save says: the state
  snapshot field by field, the digest, and the events. The first difference is reported
  with its turn and field: the save was edited, or the engine is not deterministic (or has
  changed since the game was played).
- ``branch(save, turn, source)`` is a new save starting from the state at the start of
  ``turn``, with the same scenario and seed and its lineage recorded.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pokrovsk_tui import __version__
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.state import GameState, initial_state

from .checks import waived_rules
from .save_build import NAME_MAX, now_utc, safe_name, sha256_text
from .save_load import no_cycle_collection
from .savefmt import (
    FORMAT_VERSION,
    LineageStep,
    SavedEvent,
    SavedTurn,
    SaveGame,
    Snapshot,
    group_places,
)
from .snapshot import SnapshotError, decode_state, encode_event, encode_state, plain, state_digest


class BranchError(Exception):
    """A branch that cannot be made (turn out of range, game over)."""


@dataclass(frozen=True)
class Mismatch:
    turn: int | None        # None: not a turn (the embedded scenario, the start state)
    field: str
    what: str

    def __str__(self) -> str:
        where = f"turn {self.turn}: " if self.turn is not None else ""
        return f"{where}{self.field}: {self.what}"


@dataclass(frozen=True)
class VerifyResult:
    turns: int                      # turns replayed and matching
    first: int                      # first turn of the save
    mismatch: Mismatch | None = None

    @property
    def ok(self) -> bool:
        return self.mismatch is None


def orders_of(t: SavedTurn) -> dict[int, list[Order]]:
    return {0: list(t.orders.ua), 1: list(t.orders.ru)}


def turn_waives(world, state: GameState, t: SavedTurn, before: str | None = None) -> frozenset[str]:
    """The later target rules a saved turn was played without (see checks.waived_rules),
    from ``state`` (whose digest is ``before``, when known). Loading the save worked this out
    for the state saved before the turn: it is used again when ``state`` is that state."""
    if before is None:
        before = state_digest(state)
    got = t.checked().get("waives")
    if got is not None and got[0] == before:
        return got[1]
    waives = waived_rules(world, state, t.orders, t.event_list())
    t.checked()["waives"] = (before, waives)
    return waives


def turn_checked(t: SavedTurn, before: str, waives: frozenset[str]):
    """The engine's check of the turn's orders (``rules.engine.check_orders``) that loading
    the save made from the state whose digest is ``before``, when it applies (no rule
    waived); None otherwise (the engine checks them again)."""
    got = t.checked().get("orders")
    return got[1] if got is not None and got[0] == before and not waives else None


def start_state(save: SaveGame) -> GameState:
    """The state before the save's first turn."""
    world = save.world()
    return decode_state(world, save.start) if save.start is not None else initial_state(world)


def state_at(save: SaveGame, turn: int) -> GameState:
    """The state at the start of ``turn`` as saved (start_turn .. next_turn)."""
    if not save.start_turn <= turn <= save.next_turn:
        raise BranchError(f"turn {turn} is not in this save (it holds the starts of turns "
                          f"{save.start_turn} to {save.next_turn})")
    if turn == save.start_turn:
        return start_state(save)
    return decode_state(save.world(), save.turns[turn - save.start_turn - 1].state)


def current_state(save: SaveGame) -> GameState:
    """The state to play on from: after the last saved turn."""
    return state_at(save, save.next_turn)


def replay(save: SaveGame) -> Iterator[tuple[SavedTurn, GameState, list[Event]]]:
    """Each saved turn with the state and events its orders give when adjudicated again."""
    world = save.world()
    dice = Dice(save.seed)
    state = start_state(save)
    for t in save.turns:
        before = state_digest(state)
        waives = turn_waives(world, state, t, before)
        state, events = resolve_turn(world, state, orders_of(t), dice, waives, turn_checked(t, before, waives))
        yield t, state, events


def verify(save: SaveGame) -> VerifyResult:
    """Replay the whole save and compare; stops at the first difference."""
    with no_cycle_collection():        # the models just read are not gone over again
        return _verify(save)


def _verify(save: SaveGame) -> VerifyResult:
    first = save.start_turn
    if sha256_text(save.scenario.text) != save.scenario.sha256:
        return VerifyResult(0, first, Mismatch(None, "scenario.sha256",
                                               "does not match the embedded scenario text (edited?)"))
    world = save.world()
    state = start_state(save)
    digest = state_digest(state)
    if save.start_digest is not None and digest != save.start_digest:
        return VerifyResult(0, first, Mismatch(None, "start_digest", "does not match the [start] state (edited?)"))
    dice = Dice(save.seed)
    for n, t in enumerate(save.turns):
        if state.over:
            return VerifyResult(n, first, Mismatch(t.turn, "turn", "the game was already over before this turn"))
        waives = turn_waives(world, state, t, digest)
        state, events = resolve_turn(world, state, orders_of(t), dice, waives, turn_checked(t, digest, waives))
        digest = state_digest(state)
        bad = _compare_turn(world, t, state, events, digest)
        if bad is None and t.sealed_orders_digest() != t.orders_digest:
            bad = Mismatch(t.turn, "orders", "modified by hand: the orders or intents do not match "
                                             "orders_digest (they were edited after the turn was played)")
        if bad is not None:
            return VerifyResult(n, first, bad)
    return VerifyResult(len(save.turns), first)


def _compare_turn(world, t: SavedTurn, state: GameState, events: list[Event],
                  digest: str | None = None) -> Mismatch | None:
    """The first difference between a saved turn and the replayed ``state`` (whose digest is
    ``digest``) and ``events``; None when there is none."""
    if digest is None:
        digest = state_digest(state)
    saved_digest = t.checked().get("state_digest")      # found when the save was loaded
    if saved_digest is None:
        try:
            saved_digest = state_digest(decode_state(world, t.state))
        except SnapshotError as e:
            place, what = e.problems[0]
            return Mismatch(t.turn, f"state.{place}", what)
    if saved_digest != digest:     # find the first field that differs, for the message
        replayed = Snapshot.model_validate(encode_state(world, state)).model_dump()
        diff = first_diff(t.state.model_dump(), replayed, "state")
        if diff is None:
            return Mismatch(t.turn, "state", "differs from the replayed state")
        return Mismatch(t.turn, diff[0], f"saved {_show(diff[1])}, replayed {_show(diff[2])}")
    if digest != t.digest:
        return Mismatch(t.turn, "digest", f"saved {t.digest[:16]}..., replayed {digest[:16]}...")
    if _same_events(t.events, events):
        return None
    new_ev = [SavedEvent.model_validate(encode_event(e)) for e in events]
    if new_ev != t.events:
        places = group_places(t.events)
        for k, (a, b) in enumerate(zip(t.events, new_ev, strict=False)):
            if a != b:
                diff = first_diff(a.model_dump(), b.model_dump(), f"events.{places[k]}")
                if diff is not None:
                    return Mismatch(t.turn, diff[0], f"saved {_show(diff[1])}, replayed {_show(diff[2])}")
        return Mismatch(t.turn, "events", f"saved {len(t.events)} events, replayed {len(new_ev)}")
    return None


def _same_events(saved: list[SavedEvent], events: list[Event]) -> bool:
    """A quick yes: the saved events are the replayed ones as saving them writes them
    (``encode_event``), field by field, without encoding them. On a no they are compared as
    saved events (the models the file's events were read into), which finds the place that
    differs."""
    if len(saved) != len(events):
        return False
    for a, e in zip(saved, events, strict=True):
        if (a.kind != e.kind or a.text != e.template or a.phase != e.phase or a.hex != e.hex
                or a.units != list(e.units) or a.to != list(e.visible_to)):
            return False
        if not (_is_plain(a.why, e.why) if e.why else a.why == {}):
            return False
    return True


def _is_plain(a: Any, v: Any) -> bool:
    """``a == snapshot.plain(v)`` (a saved breakdown against a replayed one), without building
    ``plain(v)`` for the plain values it is made of. A table or list of plain values only (most
    breakdowns) is compared in one go, as ``plain`` would make it."""
    t = type(v)
    if t is float:
        return a == round(v, 4)
    if t is str or t is int or t is bool:
        return a == v
    if t is dict:
        if type(a) is not dict:
            return False
        if _FLAT.issuperset(map(type, v.values())) and all(type(k) is str for k in v):
            return a == {k: round(x, 4) if type(x) is float else x for k, x in v.items() if x is not None}
        n = 0
        for k, x in v.items():
            if x is None:
                continue
            n += 1
            k = k if type(k) is str else str(k)
            if k not in a or not _is_plain(a[k], x):
                return False
        return n == len(a)
    if t is list or t is tuple:
        if type(a) is not list or len(a) != len(v):
            return False
        if _FLAT.issuperset(map(type, v)):
            return a == [round(x, 4) if type(x) is float else "none" if x is None else x for x in v]
        return all(y == "none" if x is None else _is_plain(y, x) for x, y in zip(v, a, strict=True))
    return a == plain(v)


# the types of a breakdown's plain values (None: left out of a table, "none" in a list)
_FLAT = frozenset((float, int, str, bool, type(None)))


_MISSING = object()


def _show(v: Any) -> str:
    if v is _MISSING:
        return "nothing"
    text = repr(v)
    return text if len(text) <= 80 else text[:77] + "..."


def _label(item: Any, i: int) -> str:
    if isinstance(item, dict):
        for k in ("id", "unit", "hex"):
            if isinstance(item.get(k), str):
                return item[k]
    return str(i)


def first_diff(a: Any, b: Any, path: str) -> tuple[str, Any, Any] | None:
    """The first place where two plain structures differ: (path, a's value, b's value)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            sub = f"{path}.{k}"
            if k not in a or k not in b:
                return sub, a.get(k, _MISSING), b.get(k, _MISSING)
            d = first_diff(a[k], b[k], sub)
            if d:
                return d
        return None
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            d = first_diff(x, y, f"{path}[{_label(x, i)}]")
            if d:
                return d
        if len(a) != len(b):
            return path, f"{len(a)} entries", f"{len(b)} entries"
        return None
    if isinstance(a, float) and isinstance(b, float):
        return None if a == b or (math.isnan(a) and math.isnan(b)) else (path, a, b)
    if type(a) is not type(b) and not (isinstance(a, int | float) and isinstance(b, int | float)
                                       and not isinstance(a, bool) and not isinstance(b, bool)):
        return path, a, b
    return None if a == b else (path, a, b)


def branch(save: SaveGame, turn: int, source: str, name: str | None = None,
           now: dt.datetime | None = None, seed: int | None = None) -> SaveGame:
    """A new save starting from the state at the start of ``turn``; ``save`` is unchanged.
    ``seed``: the new game's dice (default the save's: resuming then replays the original)."""
    state = state_at(save, turn)
    if state.over:
        raise BranchError(f"the game is over before turn {turn}: there is nothing to play on")
    world = save.world()
    now = now or now_utc()
    digest = state_digest(state)
    step = LineageStep(file=str(source), name=save.name, turn=turn, digest=digest, created=save.created,
                       players=save.players.model_copy(deep=True))
    new = SaveGame(
        format_version=FORMAT_VERSION, app_version=__version__,
        name=name or f"{save.name}-branch-t{turn}", created=now, updated=now,
        mode=save.mode, seed=save.seed if seed is None else int(seed), start_turn=turn, turns_saved=0,
        players=save.players.model_copy(deep=True),
        lineage=[s.model_copy() for s in save.lineage] + [step],
        annotations=[a.model_copy() for a in save.annotations if a.turn < turn],
        start_digest=digest, start=Snapshot.model_validate(encode_state(world, state)),
        scenario=save.scenario.model_copy())
    new._world = world
    return new


def branch_file(folder, source_stem: str, turn: int):
    """A free file for a branch of ``source_stem`` at ``turn`` in ``folder``:
    ``<source>-branch-tTT.toml``, or ``...-tTT-2.toml``, ... — never cut short (names up to
    ``saves.NAME_MAX``), and free of that stem's autosaves too, so a branch named after its
    file (``name=path.stem``) never shares autosaves with another game."""
    import glob
    from pathlib import Path

    folder = Path(folder)
    base = f"{safe_name(source_stem, max_len=NAME_MAX - 16)}-branch-t{turn:02d}"
    stem, i = base, 1
    while (folder / f"{stem}.toml").exists() or any(folder.glob(f"{glob.escape(stem)}-turn*.toml")):
        i += 1
        stem = f"{base}-{i}"
    return folder / f"{stem}.toml"


def players_changed(save: SaveGame) -> str | None:
    """How a branch's players differ from the game it was branched from ("UA human (was AI
    hard)"), or None when they are the same (or not recorded)."""
    if not save.lineage or save.lineage[-1].players is None:
        return None
    was = save.lineage[-1].players
    parts = [f"{k.upper()} {getattr(save.players, k).label()} (was {getattr(was, k).label()})"
             for k in ("ua", "ru") if getattr(save.players, k) != getattr(was, k)]
    return "; ".join(parts) or None
