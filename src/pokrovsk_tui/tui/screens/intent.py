"""Ending a day with an optional intent: the player may write in a line what they mean to
achieve today. It is saved with the turn (beside the computer's intents), never shown to the
other player during the game, and shown in the replay and the after-action report."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static

from .dialogs import ConfirmScreen

MAX_INTENT = 300


class EndDayScreen(ConfirmScreen, inherit_bindings=False):
    """Enter ends the day (returning the intent typed, or True when none), Esc goes back
    (False). Typing goes to the intent field."""

    BINDINGS = [Binding("escape", "answer(False)", "Back to orders", priority=True)]

    def __init__(self, title: str, body: str | Text = "", yes: str = "End the day", no: str = "Back to orders",
                 intent: str = ""):
        super().__init__(title, body, yes, no)
        self.intent = intent

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.title_text, classes="dialog-title")
            if self.body:
                yield Static(self.body, classes="dialog-body")
            yield Static("Your intent for today (optional): kept with the game, hidden from the other player, "
                         "shown in the replay and the report.")
            yield Input(value=self.intent, id="intent-text", max_length=MAX_INTENT,
                        placeholder="e.g. hold Rodynske, take 2213, find their drone units")
            yield Static(f"[b]Enter[/b] {self.yes}    [b]Esc[/b] {self.no}", classes="dialog-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = " ".join(event.value.split())
        self.dismiss(text or True)
