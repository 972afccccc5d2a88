"""The save folder as a list: each save's full file name (a branch's lineage on a second
line), scenario, days played, date, mode; subfolders to browse; a typed path. Enter loads (or
replays) the highlighted save or opens the highlighted folder; a broken file shows its
problems and the list stays."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from pokrovsk_tui.game.persist import SaveInfo, list_folders, list_saves


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class LoadScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f5,ctrl+r", "reload", "Refresh list"),
        Binding("backspace", "up", "Up a folder", show=False),
        Binding("slash", "type_path", "Type a path", show=True),
    ]

    def __init__(self, purpose: str = "load"):
        super().__init__()
        self.purpose = purpose
        self.saves: list[SaveInfo] = []
        self.folders: list[Path] = []
        self.folder: Path | None = None          # None: the save folder

    def compose(self) -> ComposeResult:
        what = "Replay a saved game" if self.purpose == "replay" else "Load a saved game"
        with Vertical(id="load-box"):
            yield Static(what, id="load-title")
            yield Static("", id="load-folder")
            yield DataTable(id="saves", cursor_type="row", zebra_stripes=True)
            yield Input(id="load-path", placeholder="/ then a path to a save or a folder, Enter to open it")
            yield Static("[b]↑/↓[/b] choose   [b]Enter[/b] " + ("replay" if self.purpose == "replay" else "load")
                         + " (or open a folder)   [b]Backspace[/b] up a folder   [b]/[/b] type a path   "
                         "[b]Esc[/b] back", classes="dialog-keys")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one("#saves", DataTable)
        t.add_columns("save (full file name; a branch's lineage below)", "scenario", "days", "game date", "mode",
                      "saved at")
        self.action_reload()
        t.focus()

    def _here(self) -> Path:
        from pokrovsk_tui.game.persist import save_dir

        return self.folder if self.folder is not None else save_dir(self.app.save_dir)

    def action_reload(self) -> None:
        from pokrovsk_tui.game.persist import save_dir

        folder = self._here()
        home = save_dir(self.app.save_dir)
        where = "Save folder" if folder == home else "Folder"
        self.query_one("#load-folder", Static).update(Text(f"{where}: {folder}/", style="dim"))
        t = self.query_one("#saves", DataTable)
        t.clear()
        self.saves = list_saves(folder)
        self.folders = list_folders(folder)
        for i, s in enumerate(self.saves):
            name = Text(s.path.name + (" ⚠" if s.problem else ""))
            if s.lineage:
                name.append("\n  " + s.lineage, style="dim italic")
            t.add_row(name, _short(s.scenario, 22), str(s.turn), s.date, s.mode, s.updated, key=str(i),
                      height=2 if s.lineage else 1)
        if folder.parent != folder:
            t.add_row(Text("⬑ .. (up a folder)", style="bold"), "", "", "", "", "", key="up")
        for i, d in enumerate(self.folders):
            t.add_row(Text(f"▸ {d.name}/", style="bold"), "folder", "", "", "", "", key=f"dir{i}")
        if not self.saves:
            self.query_one("#load-folder", Static).update(
                Text(f"{where}: {folder}/ (no saves here: ctrl+s saves a game, and every day is autosaved)",
                     style="dim"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key is None or event.row_key.value is None:
            return
        key = event.row_key.value
        if key == "up":
            self.action_up()
            return
        if key.startswith("dir"):
            self.folder = self.folders[int(key[3:])]
            self.action_reload()
            return
        self._open(self.saves[int(key)].path)

    def _open(self, path: Path) -> None:
        if self.purpose == "replay":
            self.app.open_replay(path, from_list=True)
        else:
            self.app.open_save(path, from_list=True)

    def action_up(self) -> None:
        if self.focused is self.query_one("#load-path", Input):
            return
        here = self._here()
        if here.parent != here:
            self.folder = here.parent
            self.action_reload()

    def action_type_path(self) -> None:
        self.query_one("#load-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one("#saves", DataTable).focus()
            return
        p = Path(text).expanduser()
        if not p.is_absolute():
            p = self._here() / p
        if p.is_dir():
            self.folder = p
            event.input.value = ""
            self.action_reload()
            self.query_one("#saves", DataTable).focus()
        elif p.is_file():
            self._open(p)
        else:
            self.notify(f"{p}: no such file or folder.", severity="warning", title="Open")

    def action_back(self) -> None:
        self.dismiss(None)
