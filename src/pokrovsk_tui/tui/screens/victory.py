"""The end of the game: who won, by what margin, and a summary."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from pokrovsk_tui.game.session import GameSession

from .. import describe as D


class VictoryScreen(Screen[None]):
    BINDINGS = [
        Binding("m,escape", "map", "See the final map"),
        Binding("t", "app.to_title", "Title screen"),
        Binding("ctrl+s", "app.save_as", "Save"),
        Binding("q", "app.quit_game", "Quit"),
    ]

    def __init__(self, session: GameSession):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        title, body = D.victory_summary(self.session)
        with Vertical(id="victory"):
            yield Static(title, id="victory-title")
            yield Static(self.session.world.scenario.title, id="victory-scenario")
            with VerticalScroll(id="victory-body"):
                yield Static(body)
            yield Static("[b]m[/b] see the final map (the whole truth)   [b]t[/b] title screen   "
                         "[b]ctrl+s[/b] save   [b]q[/b] quit", classes="dialog-keys")
        yield Footer()

    def action_map(self) -> None:
        self.dismiss(None)
