"""The text panels beside and under the map (hex, unit, allocation, the day, notes, header,
prompt), shared by the game and replay screens.

A panel's ``text`` is a reactive: setting the same text again does nothing; a new text is
drawn without a new layout of the screen unless the panel's height may change (a relayout of
the whole screen is the slow part of a key press). A panel of a fixed height (app.tcss) ends
in a "more" note when its text does not fit. Counting the wrapped lines is done on the plain
text, first with cheap bounds, then (only when they cannot tell) by wrapping, remembered per
text and width.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.cache import LRUCache
from textual.reactive import reactive
from textual.widgets import Static

_SPACES = re.compile(r" +")
_WRAPPED: LRUCache[tuple[str, int], int] = LRUCache(512)


def line_bounds(plain: str, width: int) -> tuple[int, int]:
    """(at least, at most) lines ``plain`` takes when word-wrapped at ``width`` cells: a
    wrapped line holds at most ``width`` cells and the spaces dropped at its end (a run of
    them at most), and at least ``width`` less the longest word plus one."""
    lo = hi = 0
    for line in plain.split("\n"):
        n = cell_len(line)
        run = max((len(r) for r in _SPACES.findall(line)), default=0)
        lo += max(1, -(-(cell_len(line.rstrip()) + run) // (width + run)))
        longest = max((cell_len(w) for w in line.split()), default=0)
        hi += max(1, -(-n // max(1, width - longest + 1))) if longest < width else max(1, n)
    return lo, hi


def wrapped_lines(console: Console, plain: str, width: int) -> int:
    """How many lines ``plain`` takes word-wrapped at ``width`` (as Rich wraps it)."""
    lo, hi = line_bounds(plain, width)
    if lo == hi:
        return lo
    key = (plain, width)
    n = _WRAPPED.get(key)
    if n is None:
        n = len(Text(plain).wrap(console, width))
        _WRAPPED.set(key, n)
    return n


class TextPanel(Static):
    """A panel of text. ``lines``: its fixed height in lines (what does not fit ends in
    ``more``); ``fixed``: its height never depends on its text (one-line panels)."""

    text: reactive[Text | None] = reactive(None, repaint=False, init=False)

    def __init__(self, text: Text | str = "", *, lines: int | None = None, more: str = "\n…",
                 fixed: bool = False, title: str | None = None, id: str | None = None,
                 classes: str | None = "panel"):
        super().__init__(text, id=id, classes=classes)
        self.lines = lines
        self.more = more
        self.fixed = fixed or lines is not None
        if title is not None:
            self.border_title = title

    def watch_text(self, old: Text | None, text: Text | None) -> None:
        if text is None:
            return
        width = self.content_size.width
        console = self.app.console
        if self.lines is not None and width > 0:
            lo, hi = line_bounds(text.plain, width)
            if hi > self.lines and (lo > self.lines or wrapped_lines(console, text.plain, width) > self.lines):
                wrapped = text.wrap(console, width)
                text = Text("\n").join(wrapped[: self.lines - 1])
                text.append(self.more, style="dim")
        layout = not self.fixed
        if layout and old is not None and width > 0:
            layout = wrapped_lines(console, old.plain, width) != wrapped_lines(console, text.plain, width)
        self.update(text, layout=layout)
