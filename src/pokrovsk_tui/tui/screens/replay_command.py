"""Take command from the start of a replayed day (the dialog is in command_dialog.py) and the
replay screen's take-command and re-roll actions."""

from __future__ import annotations

from .command_dialog import CommandScreen


class ReplayCommand:
    """Mixed into the replay screen: take command from the day on screen (a branch of the
    game) and re-roll the day shown."""

    def branch_turn(self) -> int | None:
        """The day whose start is on screen: this day at its start, the next after its results."""
        step = self.step
        if step.stage == "orders":
            return step.turn
        if self.review.frame(step).after.over:
            return None
        return step.turn + 1

    def action_take_command(self) -> None:
        from pokrovsk_tui.game.session import ai_levels, default_ai_level

        turn = self.branch_turn()
        if turn is None:
            self.notify("The game ended on this day: step back ([) to take command before the end.",
                        severity="warning", title="Take command")
            return
        self._stop_play()
        levels = ai_levels()
        self.app.push_screen(CommandScreen(turn, levels, default_ai_level(), players=self.review.save.players),
                             lambda pick: self._command(turn, pick))

    def _command(self, turn: int, pick) -> None:
        if pick is None:
            return
        mode, side, levels = pick
        self.app.start_branch(self.review.save, self.review.path, turn, mode=mode, side=side,
                              level=levels[1 - side], levels=levels)

    def action_reroll(self) -> None:
        from .replay_dialogs import RerollScreen

        self._stop_play()
        self.app.push_screen(RerollScreen(self.review.save, self.step.turn))
