"""What the game and replay screens share about their text panels: a panel is updated only
when its text changed, and the screen laid out again only when the panel's height may have
(a relayout of the whole screen is the slow part of a key press)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class PanelText:
    """Mixed into a Screen that keeps ``self._panel_text: dict[str, Text]``."""

    FIXED: tuple[str, ...] = ()           # one-line panels: never a new layout
    FIXED_LINES: dict[str, int] = {}      # panels of a fixed height (app.tcss): what does not fit ends in '…'

    def more_note(self, selector: str) -> str:
        """The last line of a fixed-height panel whose text does not fit."""
        return "\n…"

    def _set(self, selector: str, text: Text, fixed: bool = False) -> None:
        widget = self.query_one(selector, Static)
        old = self._panel_text.get(selector)
        if old is not None and old == text:
            return
        self._panel_text[selector] = text
        width = widget.content_size.width
        limit = self.FIXED_LINES.get(selector)
        if limit is not None:
            fixed = True
            if width > 0:
                lines = text.wrap(self.app.console, width)
                if len(lines) > limit:
                    text = Text("\n").join(lines[: limit - 1])
                    text.append(self.more_note(selector), style="dim")
        layout = not (fixed or selector in self.FIXED)
        if layout and old is not None and width > 0:
            console = self.app.console
            layout = len(old.wrap(console, width)) != len(text.wrap(console, width))
        widget.update(text, layout=layout)
