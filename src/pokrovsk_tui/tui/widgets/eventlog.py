"""The game's event log under the map: the day's notes on top (what cannot be chosen), then
the events, each chosen by its index (Enter: why?)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pokrovsk_tui.rules.events import Event

BOLD_KINDS = frozenset({"assault", "infiltration", "raid", "lost", "sudden_death", "end"})


class EventLog(OptionList):
    """Notes atop the events; an option's id is its event's index in ``events``."""

    def show(self, notes: Sequence[Text], events: Sequence[Event], only: Collection[str] | None = None) -> None:
        """Show ``notes``, then the events (only those of the kinds in ``only`` when given)."""
        opts = [Option(t, disabled=True) for t in notes]
        for i, e in enumerate(events):
            if only is not None and e.kind not in only:
                continue
            style = "bold red" if e.kind == "refused" else "bold" if e.kind in BOLD_KINDS else ""
            opts.append(Option(Text(f"D{e.turn} {e.text}", style=style), id=str(i)))
        if not opts:
            opts.append(Option(Text("Nothing has happened yet: the events of each day appear here.", style="dim"),
                               disabled=True))
        self.clear_options()
        self.add_options(opts)
