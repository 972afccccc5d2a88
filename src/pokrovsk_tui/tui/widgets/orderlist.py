"""The list of today's orders beside the map (Enter edits one, x deletes it), with its title
line above it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pokrovsk_tui.rules.orders import Order


class OrderList(OptionList):
    """Today's orders of the side playing; hidden, with its title, when there are none to show
    (``show(None)``: the ground truth, or no side playing). Each option's id is the order's
    index in the book."""

    def __init__(self, title: Static, *, id: str | None = None):
        super().__init__(id=id)
        self.title = title
        self._shown: tuple[Order, ...] | None | bool = False      # False: nothing shown yet

    def show(self, orders: Sequence[Order] | None) -> None:
        shown = None if orders is None else tuple(orders)
        if shown == self._shown:
            return
        self._shown = shown
        self.clear_options()
        self.display = self.title.display = shown is not None
        if shown is None:
            return
        if not shown:
            self.add_option(Option(Text("No orders yet: every unit holds, drones patrol.", style="dim"), disabled=True))
        else:
            self.add_options([Option(o.describe(), id=str(i)) for i, o in enumerate(shown)])
        self.title.update(Text.assemble(("Orders for today", "bold"), f" ({len(shown)})", ("  o: edit", "dim")))
