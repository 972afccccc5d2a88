"""The title screen. The new-game form it opens is in newgame.py, imported when first opened."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pokrovsk_tui import __version__
from pokrovsk_tui.game.persist import latest_autosave

from ..widgets.footer import KeysFooter

TITLE_ART = """\
 ╔═╗╔═╗╦╔═╦═╗╔═╗╦  ╦╔═╗╦╔═
 ╠═╝║ ║╠╩╗╠╦╝║ ║╚╗╔╝╚═╗╠╩╗
 ╩  ╚═╝╩ ╩╩╚═╚═╝ ╚╝ ╚═╝╩ ╩"""

MENU = [
    ("new", "n", "New game", "choose a scenario, a mode and a side"),
    ("continue", "c", "Continue", "the latest autosave"),
    ("load", "l", "Load", "a saved game from the save folder"),
    ("replay", "r", "Replay", "watch a saved game day by day"),
    ("rules", "u", "Rules", "how the game works"),
    ("quit", "q", "Quit", ""),
]


class TitleScreen(Screen[None]):
    BINDINGS = [Binding(key, f"choose('{item}')", label) for item, key, label, _ in MENU] + [
        Binding("question_mark,f1", "app.help", "Keys"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._shown_once = False

    def compose(self) -> ComposeResult:
        # the menu is built here, with its options, so the screen is laid out once when it opens
        info = latest_autosave(self.app.save_dir)
        with Vertical(id="title-box"):
            yield Static(TITLE_ART, id="title-art")
            yield Static("The Pokrovsk sector, winter 2025-26 · a turn-based hex wargame", id="title-sub")
            menu = OptionList(*self._options(info), id="title-menu")
            menu.highlighted = 1 if info is not None else 0
            yield menu
            yield Static(self._continue_text(info), id="title-continue")
            yield Static(f"An educational game: approximate public geography, generic forces.  v{__version__}",
                         id="title-note")
        yield KeysFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#title-menu", OptionList).focus()

    def on_screen_resume(self) -> None:
        if self._shown_once:          # back from a game or a dialog: the autosaves may have changed
            self.refresh_menu()
        self._shown_once = True

    @staticmethod
    def _options(info) -> list[Option]:
        out = []
        for item, key, label, help_ in MENU:
            t = Text.assemble((f" {key} ", "bold reverse"), " ", (label, "bold"))
            if help_:
                t.append(f"  {help_}", style="dim")
            out.append(Option(t, id=item, disabled=item == "continue" and info is None))
        return out

    @staticmethod
    def _continue_text(info) -> Text:
        if info is None:
            return Text("No autosave yet.", style="dim italic")
        # the name of an autosave already says its scenario ("tutorial-hryshyne seed 1")
        where = "" if info.scenario in info.name else f" ({info.scenario})"
        days = f"{info.turn} day{'s' if info.turn != 1 else ''} played"
        return Text(f"Continue: {info.name}{where}, {days}, {info.mode}", style="italic")

    def refresh_menu(self) -> None:
        info = latest_autosave(self.app.save_dir)
        menu = self.query_one("#title-menu", OptionList)
        hl = menu.highlighted
        menu.clear_options()
        menu.add_options(self._options(info))
        menu.highlighted = hl if hl is not None else (1 if info is not None else 0)
        self.query_one("#title-continue", Static).update(self._continue_text(info))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.action_choose(event.option.id)

    def action_choose(self, item: str) -> None:
        app = self.app
        if item == "new":
            from .newgame import NewGameScreen

            app.push_screen(NewGameScreen())
        elif item == "continue":
            app.continue_latest()
        elif item == "load":
            from .load import LoadScreen

            app.push_screen(LoadScreen(purpose="load"))
        elif item == "replay":
            from .load import LoadScreen

            app.push_screen(LoadScreen(purpose="replay"))
        elif item == "rules":
            from .help import RulesScreen

            app.push_screen(RulesScreen())
        elif item == "quit":
            app.action_quit_game()
