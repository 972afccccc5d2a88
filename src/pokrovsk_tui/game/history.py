"""The played turns of a session, each kept once in memory.

A turn the session has put in its save document (``persist.to_save``: a ``store.savefmt.
SavedTurn``) is kept only there: asked for, it is decoded back into a ``TurnRecord`` (the
state, the events as saved, the orders and intents), and the last few records asked for are
kept decoded, so the screens reading the latest day and the one before it decode nothing. A
turn not yet in the document is kept as the record the engine gave until the document takes
it (``saved_as``). A game loaded from a file decodes only the turns it shows.

Before this, a session kept every turn twice: as the engine's record and as the save
document's models (about 0.3 MB and 0.5 MB a day of a busy game).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from pokrovsk_tui.game.loop import TurnRecord

if TYPE_CHECKING:
    from pokrovsk_tui.rules.world import World
    from pokrovsk_tui.store.savefmt import SavedTurn

KEEP_DECODED = 3        # records of saved turns kept decoded (the latest days are read most)


class History(Sequence[TurnRecord]):
    """The session's resolved turns in order, as ``TurnRecord``s (a sequence like a list)."""

    def __init__(self, world: World, turns: Iterable[TurnRecord | SavedTurn] = ()):
        """``turns``: records, or the saved turns of a loaded game (none decoded yet)."""
        self._world = world
        self._items: list[TurnRecord | SavedTurn] = list(turns)
        self._decoded: OrderedDict[int, TurnRecord] = OrderedDict()     # index -> record of a saved turn
        self._lock = threading.Lock()      # the app reads the history while a worker saves the day

    # ----- a sequence -----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, i: int) -> TurnRecord: ...

    @overload
    def __getitem__(self, i: slice) -> list[TurnRecord]: ...

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._record(j) for j in range(*i.indices(len(self._items)))]
        n = len(self._items)
        if not -n <= i < n:
            raise IndexError("history index out of range")
        return self._record(i % n)

    def __iter__(self) -> Iterator[TurnRecord]:
        for j in range(len(self._items)):
            yield self._record(j)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, History | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None     # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"History({len(self)} turns, {sum(isinstance(x, TurnRecord) for x in self._items)} not saved)"

    def index(self, record: Any, start: int = 0, stop: int | None = None) -> int:
        """The place of ``record`` (found by its turn: a record decoded again is the same turn)."""
        for j in range(start, len(self._items) if stop is None else stop):
            if self._turn(j) == record.turn:
                return j
        raise ValueError(f"turn {record.turn} is not in the history")

    # ----- growing and saving ---------------------------------------------------------------
    def append(self, record: TurnRecord) -> None:
        with self._lock:
            self._items.append(record)

    def unsaved_from(self) -> int:
        """The index of the first turn not yet in the save document (``len`` when none)."""
        for j, x in enumerate(self._items):
            if isinstance(x, TurnRecord):
                return j
        return len(self._items)

    def saved_as(self, i: int, turn: SavedTurn) -> None:
        """Turn ``i`` is now in the save document as ``turn``: it is kept there only (its
        record stays decoded while it is among the latest asked for)."""
        with self._lock:
            item = self._items[i]
            if isinstance(item, TurnRecord):
                self._remember(i, item)
            self._items[i] = turn

    # ----- inside -----------------------------------------------------------------------------
    def _turn(self, j: int) -> int:
        return int(self._items[j].turn)

    def _record(self, j: int) -> TurnRecord:
        with self._lock:
            item = self._items[j]
            if isinstance(item, TurnRecord):
                return item
            rec = self._decoded.get(j)
            if rec is None:
                return self._remember(j, decode_turn(self._world, item))
            self._decoded.move_to_end(j)
            return rec

    def _remember(self, j: int, rec: TurnRecord) -> TurnRecord:
        self._decoded[j] = rec
        self._decoded.move_to_end(j)
        while len(self._decoded) > KEEP_DECODED:
            self._decoded.popitem(last=False)
        return rec


def decode_turn(world: World, t: SavedTurn) -> TurnRecord:
    """A saved turn as the record the engine gave (its events as saved)."""
    from pokrovsk_tui.store.replay import orders_of
    from pokrovsk_tui.store.snapshot import decode_event, decode_state

    intents = {}
    if t.intents is not None:
        intents = {s: list(getattr(t.intents, k)) for s, k in enumerate(("ua", "ru")) if getattr(t.intents, k)}
    return TurnRecord(turn=t.turn, orders=orders_of(t), events=[decode_event(t.turn, e) for e in t.events],
                      state=decode_state(world, t.state), intents=intents)
