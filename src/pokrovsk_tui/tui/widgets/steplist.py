"""The replay's list under the map: the orders or the events of the step shown."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class StepList(OptionList):
    """The orders or events of the step shown. Its size is set by the screen's layout (app.tcss:
    a fixed height, its vertical scrollbar always shown), so a new list of items needs no new
    layout of the whole screen, which would be most of the time of a step: its virtual size (the
    length of the list) is declared without a layout, and only its scrollbar follows it."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.items: list[tuple[str, object]] = []

    def watch_virtual_size(self, size: Size) -> None:
        self.vertical_scrollbar.window_virtual_size = size.height
        self.vertical_scrollbar.refresh()
        self.scroll_y = self.validate_scroll_y(self.scroll_y)

    def fill(self, title: str, rows: list[tuple[str, object, Text]]) -> None:
        """Show these rows: (kind, what it is about, its text); a row of kind "head" is a
        heading that cannot be chosen. ``item(i)`` is the (kind, what) of the option of id i."""
        self.border_title = title
        opts: list[Option] = []
        self.items = []
        for kind, obj, text in rows:
            if kind == "head":
                opts.append(Option(text, disabled=True))
            else:
                opts.append(Option(text, id=str(len(self.items))))
                self.items.append((kind, obj))
        if not opts:
            opts.append(Option(Text("Nothing here.", style="dim"), disabled=True))
        self.clear_options()
        self.add_options(opts)

    def item(self, i: int) -> tuple[str, object]:
        return self.items[i]
