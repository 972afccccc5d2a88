"""The replay's timeline: one cell per day, the current day and step highlighted, days with
an instructor's note marked ``✎`` and days with a surprise ``!``. A click on a day jumps to
it (``DayChosen``); every click has a key on the replay screen (``j``, ``[``, ``]``)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.widget import Widget

from ..messages import DayChosen

NOTE = "✎"
SURPRISE = "!"


@dataclass(frozen=True)
class StripLayout:
    """Where the days sit on the strip: ``first`` shown day, ``cell`` columns each."""

    label: int          # columns of the "Days " label
    cell: int
    first: int          # the first day shown
    count: int          # days shown


def layout(days: list[int], current: int, width: int) -> StripLayout:
    """Fit the days into ``width`` columns; when they do not all fit, a window of days
    around the current one (a pure function, tested without a screen)."""
    label = 5
    digits = len(str(max(days))) if days else 1
    cell = digits + 3                     # " 12✎!"
    room = max(1, (width - label) // cell)
    if len(days) <= room:
        return StripLayout(label, cell, days[0] if days else 1, len(days))
    i = days.index(current) if current in days else 0
    start = min(max(0, i - room // 2), len(days) - room)
    return StripLayout(label, cell, days[start], room)


def day_at(lay: StripLayout, days: list[int], x: int, y: int) -> int | None:
    """The day under cell (x, y) of the strip, or None."""
    if y != 0 or x < lay.label:
        return None
    k = (x - lay.label) // lay.cell
    if k >= lay.count:
        return None
    i = days.index(lay.first) + k if lay.first in days else k
    return days[i] if 0 <= i < len(days) else None


class DayStrip(Widget):
    """Two lines: the days with their marks, and under the current day the step shown."""

    COMPONENT_CLASSES = {"daystrip--day", "daystrip--current", "daystrip--note", "daystrip--surprise",
                         "daystrip--label", "daystrip--legend"}

    DEFAULT_CSS = """
    DayStrip { height: 2; background: $panel; }
    DayStrip > .daystrip--label { color: $text-muted; }
    DayStrip > .daystrip--day { color: $text; }
    DayStrip > .daystrip--current { background: $accent; color: $text; text-style: bold; }
    DayStrip > .daystrip--note { color: #ffd75f; text-style: bold; }
    DayStrip > .daystrip--surprise { color: #ff8c00; text-style: bold; }
    DayStrip > .daystrip--legend { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.days: list[int] = []
        self.current = 1
        self.stage = "orders"
        self.notes: set[int] = set()
        self.surprises: set[int] = set()

    def show(self, days: list[int], current: int, stage: str, notes: set[int], surprises: set[int]) -> None:
        self.days = list(days)
        self.current = current
        self.stage = stage
        self.notes = set(notes)
        self.surprises = set(surprises)
        self.refresh()

    def _layout(self) -> StripLayout:
        return layout(self.days, self.current, self.size.width or 120)

    def render(self) -> Text:
        st = self.get_component_rich_style
        lay = self._layout()
        top = Text(no_wrap=True, overflow="crop")
        bottom = Text(no_wrap=True, overflow="crop")
        top.append("Days ".ljust(lay.label), style=st("daystrip--label"))
        bottom.append(" " * lay.label)
        if not self.days:
            return Text.assemble(top, "\n", bottom)
        i0 = self.days.index(lay.first)
        digits = lay.cell - 3
        cur_x = None
        for k, d in enumerate(self.days[i0:i0 + lay.count]):
            base = st("daystrip--current") if d == self.current else st("daystrip--day")
            if d == self.current:
                cur_x = lay.label + k * lay.cell
            top.append(" " + str(d).rjust(digits), style=base)
            top.append(NOTE if d in self.notes else " ",
                       style=base + st("daystrip--note") if d in self.notes else base)
            top.append(SURPRISE if d in self.surprises else " ",
                       style=base + st("daystrip--surprise") if d in self.surprises else base)
        if cur_x is not None:
            word = "▲ orders" if self.stage == "orders" else "▲ results"
            bottom.append(" " * (cur_x - lay.label + 1))
            bottom.append(word, style="bold")
        legend = f"{NOTE} note  {SURPRISE} large missed losses  click a day or j: jump"
        pad = (self.size.width or 120) - bottom.cell_len - len(legend) - 1
        if pad > 1:
            bottom.append(" " * pad)
            bottom.append(legend, style=st("daystrip--legend"))
        return Text.assemble(top, "\n", bottom)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        d = day_at(self._layout(), self.days, offset.x, offset.y)
        if d is not None:
            event.stop()
            self.post_message(DayChosen(d))
