"""Progress of a long run (a tournament, a what-if, a ladder) on stderr.

The runs themselves (game/) report ``progress(done, total)`` through a callback and never
draw anything; this is the callback the command line gives them. On a terminal it is a
``rich.progress`` bar redrawn in place (games done, elapsed, time left); on a pipe, a plain
line every ~10% once the run has lasted a few seconds, so short runs stay silent and a log
file gets no control codes.
"""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class RunProgress:
    """A ``progress(done, total)`` callback; use it as a context manager so a bar on a
    terminal is closed (the cursor given back) however the run ends."""

    def __init__(self, label: str, stream=None, min_seconds: float = 5.0):
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.t0 = time.perf_counter()
        self.min_seconds = min_seconds
        self.last_step = -1
        self._bar: Progress | None = None
        self._task = None

    def __enter__(self) -> RunProgress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            if self._bar is None:
                self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                     console=Console(file=self.stream), transient=False)
                self._task = self._bar.add_task(self.label, total=total)
                self._bar.start()
            self._bar.update(self._task, completed=done, total=total)
            if done >= total:
                self.close()
            return
        el = time.perf_counter() - self.t0
        eta = el / done * (total - done) if done else 0.0
        step = done * 10 // total if total else 10
        if el >= self.min_seconds and step != self.last_step:
            self.last_step = step
            self.stream.write(f"{self.label}: {done}/{total} games, {el:.0f}s, ~{eta:.0f}s left\n")
            self.stream.flush()
