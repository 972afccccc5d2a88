"""What the replay's "run it many times" dialogs share (re-roll a day, play on from a day): a
number typed in one field, checked, then handed to the dialog's ``start``."""

from __future__ import annotations

from textual.widgets import Input, ProgressBar


class CountEntry:
    """Mixed into a ModalScreen with one integer Input and a ProgressBar: Enter in the field
    checks the number against 1..``COUNT_MAX`` (named ``COUNT_NAME`` in the warnings) and calls
    ``self.start(n)``."""

    COUNT_NAME = "N"
    COUNT_MAX = 1

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            n = int(event.value.strip())
        except ValueError:
            self.notify(f"{self.COUNT_NAME} is a whole number.", severity="warning")
            return
        if not 1 <= n <= self.COUNT_MAX:
            self.notify(f"{self.COUNT_NAME} is 1 to {self.COUNT_MAX}.", severity="warning")
            return
        self.start(n)

    def start(self, n: int) -> None:          # the dialog's own run
        raise NotImplementedError
