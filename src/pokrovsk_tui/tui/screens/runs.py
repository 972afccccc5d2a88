"""What the replay's "run it many times" dialogs share (re-roll a day, play on from a day): a
number typed in one field, checked, then handed to the dialog's ``start``; the run in a worker
thread with a ticking status line, its result or its failure, and Esc that stops it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.widgets import Input, ProgressBar
from textual.worker import Worker, WorkerState


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

    # ----- the run in a worker thread -------------------------------------------------------
    worker: Worker | None = None
    result: Any = None
    error: str | None = None
    _started = 0.0
    _timer: Any = None
    _cancel = False                            # asked to stop (a job may poll it)

    def running(self) -> bool:
        return self.worker is not None and self.worker.state == WorkerState.RUNNING

    def run_counted(self, job: Callable[[], Any], *, group: str, name: str, tick: float) -> None:
        """Run ``job`` in a thread, the status line ticking every ``tick`` seconds until it ends."""
        self.result, self.error, self._cancel = None, None, False
        self.query_one(ProgressBar).display = True
        self._started = time.perf_counter()
        self._tick()
        self._timer = self.set_interval(tick, self._tick)
        self.worker = self.run_worker(job, thread=True, exclusive=True, group=group, name=name)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self.worker or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if self._timer is not None:
            self._timer.stop()
        self.query_one(ProgressBar).display = False
        took = time.perf_counter() - self._started
        if event.state == WorkerState.ERROR:
            self.error = str(event.worker.error)
            self.show_failure(self.error)
            return
        self.result = event.worker.result
        self.show_result(self.result, took)

    def action_close(self) -> None:
        self._cancel = True
        if self.running():
            self.worker.cancel()
        self.dismiss(None)

    def _tick(self) -> None:                  # the status line while the run goes on
        raise NotImplementedError

    def show_failure(self, error: str) -> None:
        raise NotImplementedError

    def show_result(self, result: Any, took: float) -> None:
        raise NotImplementedError
