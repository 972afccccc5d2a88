"""Taking command from a replay: the branch opens as a game over the replay, and leaving the
game goes back to that replay at the day it was left on. Mixed into PokrovskApp (app.py)."""

from __future__ import annotations

from pathlib import Path

from pokrovsk_tui.game import persist


class BranchNav:
    def start_branch(self, save, source: Path | None, turn: int, *, mode: str, side: int, level: str,
                     levels: tuple[str, str] | None = None) -> None:
        """Take command from the start of ``turn`` of a replayed game: a new save (its branch
        recorded) in the save folder, opened as a new game over the replay, which leaving the
        game (q) returns to, at the same day."""
        from pokrovsk_tui.store.replay import BranchError, players_changed

        try:
            path, session = persist.take_command(save, source, turn, mode=mode, side=side, level=level,
                                                 levels=levels, folder=self.save_dir)
        except BranchError as e:
            self.notify(str(e), severity="error", title="Take command", timeout=10)
            return
        except Exception as e:       # never a traceback
            self.notify(f"Could not start the new game: {type(e).__name__}: {e}", severity="error", timeout=15)
            return
        while len(self.screen_stack) > 1 and type(self.screen).__name__ != "ReplayScreen":
            self.pop_screen()
        from .screens.game import GameScreen

        self.push_screen(GameScreen(session))
        try:
            changed = players_changed(session.save_doc)
        except Exception:
            changed = None
        differs = f"\nPlayers differ from the original: {changed}." if changed else ""
        self.notify(f"A new game from the start of day {turn}, saved as {path}.{differs}\nq returns to the replay.",
                    title="Took command", timeout=10)

    def _branch_replay(self):
        """The replay a branched game was opened from (under it in the stack), or None."""
        g = self.game_screen()
        if g is None:
            return None
        stack = self.screen_stack
        i = stack.index(g)
        return stack[i - 1] if i > 0 and type(stack[i - 1]).__name__ == "ReplayScreen" else None

    def _leave_branch(self) -> bool:
        """Leaving a game branched from a replay goes back to that replay (at the day it was
        left on); True when it did."""
        replay = self._branch_replay()
        if replay is None:
            return False
        persist.clear_running(self.save_dir)
        while self.screen is not replay:
            self.pop_screen()
        self.notify("Back in the replay. The branch is in the save folder (title screen: load).", title="Replay")
        return True
