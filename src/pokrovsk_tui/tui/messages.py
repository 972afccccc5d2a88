"""Messages that go up from widgets to screens: small dataclasses, data only."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class HexActivated(Message):
    """Enter, or a click, on a hex: select what is there or confirm it as a target."""

    hex: int


@dataclass
class OrderChosen(Message):
    """An order in the orders list was picked (to edit it)."""

    index: int


@dataclass
class EventChosen(Message):
    """An event in the log was picked (to see why it happened)."""

    index: int


@dataclass
class DayChosen(Message):
    """A day on the replay's timeline was clicked."""

    turn: int
