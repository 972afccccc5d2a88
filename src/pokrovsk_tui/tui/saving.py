"""Saving a game and quitting it: the autosave after each turn and handoff, Save as (a file
holding another game is replaced only when the player says so), and quitting with unsaved
work (save first, quit anyway, or stay). Mixed into PokrovskApp (app.py); the files are
game/persist.py's. The dialogs are imported when first shown (not for the title screen)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from pokrovsk_tui.game import persist

if TYPE_CHECKING:
    from pokrovsk_tui.game.session import GameSession


class SaveAndQuit:
    """Needs the app's ``save_dir``, ``autosave_enabled``, ``_autosave_failed``,
    ``game_screen``, ``session`` and ``_leave_branch`` (BranchNav)."""

    def autosave_session(self, session: GameSession) -> Path | None:
        if not self.autosave_enabled:
            session.saved()          # no autosaves (--no-autosave): nothing to ask about on quit
            return None
        try:
            out = persist.autosave(session, self.save_dir)
            self._autosave_failed = False
            return out
        except Exception as e:       # a full disk must not end the game
            self._autosave_failed = True
            self.notify(f"Autosave failed: {type(e).__name__}: {e}", severity="warning", timeout=10)
            return None

    def action_save_as(self) -> None:
        g = self.game_screen()
        if g is None:
            self.notify("No game to save.")
            return
        s = g.session
        folder = str(persist.save_dir(self.save_dir))
        default = s.save_path.stem if s.save_path else s.name
        from .screens.dialogs import SaveAsScreen

        self.push_screen(SaveAsScreen(default, folder), lambda name: self._save_named(s, name))

    def _save_named(self, session: GameSession, name: str | None) -> None:
        """Save under a typed name; a file of that name holding another game ("Lesson 1"
        and "LESSON_1!" are one file) is replaced only when the player says so."""
        if not name:
            return
        path = persist.save_path_for(name, self.save_dir)
        other = persist.other_game_at(session, path)
        if other is None:
            self._write_named(session, name, path, replace=path.exists())
            return
        from .screens.dialogs import ConfirmScreen

        self.push_screen(ConfirmScreen(
            f"Replace {path.name}?",
            Text(f"The name {name!r} saves to {path}, which holds another {other}. "
                 "Replace that game with this one?"),
            yes="Replace it", no="Keep it (choose another name)"),
            lambda yes: self._write_named(session, name, path, replace=True) if yes else
            self.notify(f"Not saved: {path.name} still holds the other game.", title="Save as"))

    def _write_named(self, session: GameSession, name: str, path: Path, replace: bool) -> None:
        try:
            out = persist.write(session, path, replace=replace)
        except Exception as e:
            self.notify(f"Could not save: {type(e).__name__}: {e}", severity="error", timeout=15)
            return
        self.notify(f"Saved {name!r} to the file {out}", title="Saved")

    def action_quit_game(self) -> None:
        g = self.game_screen()
        s = g.session if g is not None else None
        what = self.unsaved_work(s) if s is not None else None
        if what is not None:
            from .screens.dialogs import QuitScreen

            self.push_screen(QuitScreen(what), self._quit_answer)
            return
        if s is not None and self.autosave_enabled:
            # days journaled since the last whole autosave: leave one readable file behind
            # (if this fails, the file and its journal still hold every day)
            with contextlib.suppress(Exception):
                persist.fold_journal(s, self.save_dir)
        if self._leave_branch():
            return
        self._exit_clean()

    def unsaved_work(self, s: GameSession) -> str | None:
        """What quitting now would lose, or None when nothing would: today's orders of the
        human sides, or the days played since an autosave that failed. Orders given and then
        all deleted leave nothing to lose (the autosave holds the start of the day)."""
        if not s.unsaved:
            return None
        n = sum(len(s.books[x]) for x in s.human_sides())
        if n:
            return f"{n} order{'s' if n != 1 else ''} for day {s.turn}"
        if self._autosave_failed:
            return "the game since the last autosave (it failed)"
        return None

    def _quit_answer(self, answer: str | None) -> None:
        s = self.session()
        if answer == "stay" or answer is None or s is None:
            return
        if answer == "save":
            try:
                if s.save_path is not None and persist.AUTOSAVE_RE.search(s.save_path.name) is None:
                    persist.write(s, s.save_path)
                else:
                    persist.autosave(s, self.save_dir)
            except Exception as e:
                self.notify(f"Could not save: {type(e).__name__}: {e}", severity="error", timeout=15)
                return
        if self._leave_branch():
            return
        self._exit_clean()

    def _exit_clean(self) -> None:
        persist.clear_running(self.save_dir)
        self.exit()
