"""Luck or judgement from the day on screen: the rest of the game played N times with new dice
(``fromturn.from_turn``) in a worker thread, with progress, and the distribution of results
beside the actual game's."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, ProgressBar, Static

from pokrovsk_tui.game.fromturn import MAX_GAMES, format_lines

from .runs import CountEntry

DEFAULT_GAMES = 10


def fromturn_text(r: dict[str, Any]) -> Text:
    t = Text()
    lines = format_lines(r, width=30)
    t.append(lines[0] + "\n\n", style="bold")
    for line in lines[1:]:
        t.append(line.strip() + "\n" if not line.startswith("    ") else line + "\n",
                 style="bold" if "the actual game" in line else "")
    t.append("\nA result most replays share was decided by the position and the players; one far in the tails "
             "was luck.", style="italic")
    return t


def _humans_as_normal(save) -> dict[str, str]:
    """The sides no computer level of the save can play: the normal computer plays them."""
    from pokrovsk_tui.game.fromturn import POLICIES

    return {k: "normal" for k in ("ua", "ru")
            if not (getattr(save.players, k).kind == "ai" and getattr(save.players, k).level in POLICIES)}


class FromTurnScreen(CountEntry, ModalScreen[None]):
    """Enter (in the games field) runs, Esc closes (a running simulation is cancelled)."""

    BINDINGS = [Binding("escape", "close", "Close", priority=True)]
    COUNT_NAME, COUNT_MAX = "N", MAX_GAMES

    def __init__(self, save, turn: int, games: int = DEFAULT_GAMES):
        super().__init__()
        self.save = save
        self.turn = turn
        self.games = games
        self.done = 0

    def compose(self) -> ComposeResult:
        from pokrovsk_tui.game.fromturn import default_policies

        given = _humans_as_normal(self.save)
        p = default_policies(self.save, **given)
        who = f"UA {p['ua']} against RU {p['ru']}" + (
            f" (a human side played by the normal computer: {', '.join(k.upper() for k in given)})" if given
            else " (the save's computer players)")
        with Vertical(classes="dialog wide tall"):
            yield Static(f"Play on from the start of day {self.turn}, again and again", classes="dialog-title")
            yield Static(Text(f"The rest of the game from the start of day {self.turn}, played N times with new dice: "
                              f"{who}. Where does the actual game fall?", style="italic"))
            yield Label(f"Games N (1 to {MAX_GAMES}; each plays the remaining days)")
            yield Input(value=str(self.games), type="integer", id="fromturn-n", max_length=5)
            yield ProgressBar(total=self.games, show_eta=False, id="fromturn-progress")
            yield Static("", id="fromturn-status")
            with VerticalScroll(classes="dialog-scroll"):
                yield Static("", id="fromturn-result", classes="dialog-body")
            yield Static("[b]Enter[/b] play  [b]Esc[/b] close", classes="dialog-keys")
        yield Footer()

    def start(self, n: int) -> None:
        if self.running():
            return
        from pokrovsk_tui.game.fromturn import from_turn

        self.games, self.done = n, 0
        self.query_one(ProgressBar).update(total=n, progress=0)
        self.query_one("#fromturn-result", Static).update("")
        save, turn = self.save, self.turn
        given = _humans_as_normal(save)

        def progress(done: int, total: int) -> None:
            self.done = done

        self.run_counted(lambda: from_turn(save, turn, n, progress=progress, cancelled=lambda: self._cancel, **given),
                         group="fromturn", name=f"from day {turn} x{n}", tick=0.25)

    def _tick(self) -> None:
        self.query_one(ProgressBar).update(progress=self.done)
        took = time.perf_counter() - self._started
        eta = f", about {took / self.done * (self.games - self.done):.0f} s to go" if self.done else ""
        self.query_one("#fromturn-status", Static).update(
            Text(f"Playing on from day {self.turn}: {self.done} of {self.games} games, {took:.0f} s{eta} "
                 f"(Esc stops after the game being played)", style="bold"))

    def show_failure(self, error: str) -> None:
        self.query_one("#fromturn-status", Static).update(Text(f"It failed: {error}", style="bold red"))

    def show_result(self, result: dict[str, Any], took: float) -> None:
        self.query_one("#fromturn-status", Static).update(
            Text(f"Done: {result['games']} games in {took:.0f} s.", style="dim"))
        self.query_one("#fromturn-result", Static).update(fromturn_text(result))
