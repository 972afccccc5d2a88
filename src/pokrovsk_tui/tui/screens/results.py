"""The results of a day for one side: what it suffered and learned, with each notable
event's "why?"."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from pokrovsk_tui.game.loop import TurnRecord
from pokrovsk_tui.game.session import SIDE_NAMES, GameSession
from pokrovsk_tui.rules.events import Event

from .. import describe as D
from .dialogs import WhyScreen

# shown in this order: the worst news first
SHOWN = ("sudden_death", "end", "refused", "lost", "assault", "infiltration", "raid", "contact", "hit", "strike",
         "hunt", "artillery_fire", "glide_bombs", "interdict", "ugv", "arrives", "move", "supply", "detected")


class ResultsScreen(ModalScreen[None]):
    """Enter on an event shows why; Escape (or c) goes back to the map, where the hexes that
    changed are marked •."""

    BINDINGS = [
        Binding("escape,c", "close", "Continue", priority=True),
        Binding("w", "why", "Why?"),
    ]
    # the event list has the focus from the start (Textual focuses it once composed; a query
    # in on_mount raced the app's shutdown in tests on a loaded machine)
    AUTO_FOCUS = "#results-events"

    def __init__(self, session: GameSession, side: int | None, record: TurnRecord, events: list[Event]):
        super().__init__()
        self.session = session
        self.side = side
        self.record = record
        rank = {k: i for i, k in enumerate(SHOWN)}
        self.events = sorted((e for e in events if e.kind in SHOWN), key=lambda e: rank[e.kind])

    def compose(self) -> ComposeResult:
        s = self.session
        who = SIDE_NAMES[self.side] if self.side is not None else "both sides"
        date = s.date_of(self.record.turn).strftime("%d %B %Y")
        before = s.previous_state(self.record)
        with Vertical(classes="dialog wide tall", id="results"):
            yield Static(f"Day {self.record.turn}, {date}: results for {who}", classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll", id="results-summary"):
                yield Static(D.results_summary(s, self.side, self.record, before), classes="dialog-body")
            yield Static("Notable events (Enter: why?)", classes="panel-title")
            opts = [Option(Text(f"{e.phase}: {e.text}", style="bold red" if e.kind == "refused" else ""), id=str(i))
                    for i, e in enumerate(self.events)]
            if not opts:
                opts = [Option(Text("Nothing notable.", style="dim"), disabled=True)]
            yield OptionList(*opts, id="results-events")
            yield Static("[b]Enter[/b] why?   [b]Esc[/b] back to the map (changed hexes marked •)",
                         classes="dialog-keys")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.app.push_screen(WhyScreen(self.events[int(event.option.id)], self.session.world))

    def action_why(self) -> None:
        ol = self.query_one("#results-events", OptionList)
        if ol.highlighted is not None:
            opt = ol.get_option_at_index(ol.highlighted)
            if opt.id is not None:
                self.app.push_screen(WhyScreen(self.events[int(opt.id)], self.session.world))

    def action_close(self) -> None:
        self.dismiss(None)
