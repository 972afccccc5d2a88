"""The save folder as a list: scenario, days played, date, mode. Enter loads (or replays) the
highlighted save; a broken file shows its problems and the list stays."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ..persist import SaveInfo, list_saves


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class LoadScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f5,ctrl+r", "reload", "Refresh list"),
    ]

    def __init__(self, purpose: str = "load"):
        super().__init__()
        self.purpose = purpose
        self.saves: list[SaveInfo] = []

    def compose(self) -> ComposeResult:
        what = "Replay a saved game" if self.purpose == "replay" else "Load a saved game"
        with Vertical(id="load-box"):
            yield Static(what, id="load-title")
            yield Static("", id="load-folder")
            yield DataTable(id="saves", cursor_type="row", zebra_stripes=True)
            yield Static("[b]↑/↓[/b] choose   [b]Enter[/b] " + ("replay" if self.purpose == "replay" else "load")
                         + "   [b]Esc[/b] back", classes="dialog-keys")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one("#saves", DataTable)
        t.add_columns("save", "scenario", "days", "game date", "mode", "saved at")
        self.action_reload()
        t.focus()

    def action_reload(self) -> None:
        from ..persist import save_dir

        folder = save_dir(self.app.save_dir)
        self.query_one("#load-folder", Static).update(Text(f"Save folder: {folder}/", style="dim"))
        t = self.query_one("#saves", DataTable)
        t.clear()
        self.saves = list_saves(self.app.save_dir)
        for i, s in enumerate(self.saves):
            name = _short(s.path.stem, 26)
            if s.problem:
                name += " ⚠"
            t.add_row(name, _short(s.scenario, 18), str(s.turn), s.date, s.mode, s.updated, key=str(i))
        if not self.saves:
            self.query_one("#load-folder", Static).update(
                Text(f"Save folder: {folder}/ (no saves yet: ctrl+s saves a game, and every day is autosaved)",
                     style="dim"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key is None or event.row_key.value is None:
            return
        info = self.saves[int(event.row_key.value)]
        if self.purpose == "replay":
            self.app.open_replay(info.path, from_list=True)
        else:
            self.app.open_save(info.path, from_list=True)

    def action_back(self) -> None:
        self.dismiss(None)
