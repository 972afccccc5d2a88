"""The replay's outputs: charts, the per-turn CSV, the after-action report and an SVG
screenshot, written beside the save."""

from __future__ import annotations

from pathlib import Path

from ..review import (
    output_path,
)


class ReplayExports:
    """Mixed into ReplayScreen (replay.py)."""

    def action_charts(self) -> None:
        from pokrovsk_tui.report.series import series

        from .replay_dialogs import ChartsScreen

        try:
            data = series(self.review.save)
        except Exception as e:       # never a traceback
            self.notify(f"No charts: {type(e).__name__}: {e}", severity="error")
            return
        marker = self.step.turn if self.step.stage == "results" else self.step.turn - 1
        self.app.push_screen(ChartsScreen(self.review.save.name, data, marker, export=self.action_export_csv,
                                          screenshot=self.action_screenshot))

    def _beside(self, suffix: str) -> Path:
        r = self.review
        if r.path is not None:
            return output_path(r.path, suffix)
        from pokrovsk_tui.game.persist import save_dir

        return save_dir(getattr(self.app, "save_dir", None)) / f"replay{suffix}"

    def action_export_csv(self) -> Path | None:
        from pokrovsk_tui.report.series import write_csv

        out = self._beside("-series.csv")
        try:
            write_csv(self.review.save, out)
        except OSError as e:
            self.notify(f"Could not write the CSV: {e}", severity="error", timeout=10)
            return None
        self.notify(f"The series (one row a day) written to {out}", title="CSV", timeout=8)
        self._offer(out)
        return out

    def _offer(self, path: Path, binary: bool = False) -> None:
        """In a browser (``pokrovsk serve``), offer the file written as a download to that
        browser too: the file on the server is no use to a class."""
        if not getattr(self.app, "is_web", False):
            return
        try:
            if binary:
                self.app.deliver_binary(path, save_filename=path.name)
            else:
                self.app.deliver_text(path, save_filename=path.name)
        except Exception as e:          # never a traceback
            self.notify(f"Could not offer {path.name} as a download: {e}", severity="warning", timeout=8)

    def action_export_report(self) -> None:
        out = self._beside("-report.html")
        save = self.review.save
        src = str(self.review.path) if self.review.path else None
        self.notify("Writing the HTML report…", title="Report", timeout=3)

        def work() -> Path:
            from pokrovsk_tui.report.aar import write_report

            return write_report(save, out, "html", source=src)

        self.run_worker(work, thread=True, group="report", name="html report")

    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.worker.group != "report":
            return
        if event.state == WorkerState.SUCCESS:
            self.notify(f"The after-action report written to {event.worker.result}", title="Report", timeout=8)
            self._offer(Path(event.worker.result))
        elif event.state == WorkerState.ERROR:
            self.notify(f"Could not write the report: {event.worker.error}", severity="error", timeout=10)

    def action_screenshot(self) -> None:
        """An SVG of the screen beside the save, once the toasts on screen have cleared."""
        step = self.step
        name = f"{self.review.path.stem if self.review.path else 'replay'}-day{step.turn:02d}-{step.stage}-{self.who}.svg"
        folder = self._beside(".svg").parent
        self.app.clear_notifications()             # a toast is not part of the picture
        self.call_after_refresh(self._take_screenshot, name, folder)

    def _take_screenshot(self, name: str, folder: Path) -> str | None:
        try:
            out = self.app.save_screenshot(filename=name, path=str(folder))
        except OSError as e:
            self.notify(f"Could not save the screenshot: {e}", severity="error", timeout=10)
            return None
        self.notify(f"Screenshot saved: {out}", title="SVG", timeout=8)
        self._offer(Path(out))
        return out

    # ----- what if -----------------------------------------------------------------------
