"""Watch mode, the computer against itself, at a pace a class can follow: it starts paused
(space runs and pauses, n plays one day), a day every few seconds (+ and - change the pace),
each day's results summary atop the event log, and the log showing the key events only
(k shows every event again)."""

from __future__ import annotations

import time

import numpy as np

from pokrovsk_tui.game.loop import TurnRecord
from pokrovsk_tui.rules.params import WEATHERS
from pokrovsk_tui.rules.scenario import SIDES
from pokrovsk_tui.rules.world import CAUSES

from .. import describe as D

# seconds a day when running; the default is the middle one
WATCH_PACES = (1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 20.0)
DEFAULT_PACE = 4.0
TICK = 0.25
# the events a class follows: fighting, losses, bombs, arrivals, what each side saw, the end
KEY_EVENTS = frozenset({"assault", "infiltration", "raid", "lost", "glide_bombs", "arrives", "isolated",
                        "summary", "sudden_death", "end", "refused"})


def day_summary_lines(session, record: TurnRecord) -> list[str]:
    """The day's results for both sides in three or four lines (the truth): losses by
    cause, units lost, hexes that changed hands, VP."""
    w = session.world
    before = session.previous_state(record)
    after = record.state
    wx = int(after.weather)
    parts = []
    for s in (0, 1):
        lost = after.casualties[s] - before.casualties[s]
        causes = ", ".join(f"{D.CAUSE_NAMES[c].split(' (')[0]} {lost[j]:.1f}" for j, c in enumerate(CAUSES)
                           if lost[j] > 0.05)
        parts.append(f"{SIDES[s].upper()} lost {float(lost.sum()):.1f}" + (f" ({causes})" if causes else ""))
    out = [f"Day {record.turn} results" + (f" ({WEATHERS[wx]})" if wx >= 0 else "") + ": " + "; ".join(parts)]
    gone = [w.unit_ids[u] for u in np.flatnonzero(after.lost & ~before.lost)]
    if gone:
        out.append("  units lost: " + ", ".join(gone))
    changed = np.flatnonzero(after.control != before.control)
    if changed.size:
        short = ("UA", "RU", "contested")
        hexes = ", ".join(f"{w.grid.hex_id(h)} {short[before.control[h]]}→{short[after.control[h]]}"
                          for h in changed[:8])
        out.append(f"  hexes changed: {changed.size}: {hexes}" + (" …" if changed.size > 8 else ""))
    gained = after.vp - before.vp
    out.append(f"  VP today UA +{gained[0]:.1f}, RU +{gained[1]:.1f}; total UA {after.vp[0]:.1f}, RU {after.vp[1]:.1f}")
    return out


class WatchMode:
    """Mixed into GameScreen: needs ``session``, ``paused``, ``busy`` and ``resolve_flow``."""

    pace: float = DEFAULT_PACE
    key_events_only: bool = True
    _next_day_at: float | None = None

    def start_watch(self) -> None:
        """Called once the screen is mounted in watch mode: paused, the clock ticking."""
        self.paused = True
        self._next_day_at = None
        self._watch_timer = self.set_interval(TICK, self._watch_tick)

    def watch_note(self) -> str:
        return f"{'paused' if self.paused else 'running'}, {self.pace:g} s a day"

    def watch_extra(self, record: TurnRecord) -> list[str]:
        """Lines atop the log after a day: its results, then each computer's intent."""
        out = day_summary_lines(self.session, record)
        for side, lines in sorted(record.intents.items()):
            out += [f"{SIDES[side].upper()} intent: {x}" for x in lines]
        self._next_day_at = time.monotonic() + self.pace
        return out

    def _watch_tick(self) -> None:
        if self.paused or self.busy or self.session.over or self.is_current is False:
            return
        now = time.monotonic()
        if self._next_day_at is None:
            self._next_day_at = now + self.pace
            return
        if now >= self._next_day_at:
            self._next_day_at = None
            self.resolve_flow()

    def action_pause(self) -> None:
        if self.session.mode != "watch":
            return
        self.paused = not self.paused
        if not self.paused:
            self._next_day_at = time.monotonic() + min(1.0, self.pace)   # the first day soon
        self.notify("Paused: space runs again, n plays one day." if self.paused else
                    f"Running: a day every {self.pace:g} s (+ faster, - slower).", title="Watch")
        self.refresh_panels()

    def action_step(self) -> None:
        if self.session.mode != "watch" or self.busy or self.session.over:
            return
        self.paused = True
        self.resolve_flow()

    def action_pace(self, d: int) -> None:
        """+ (d=-1) a shorter wait between days, - (d=1) a longer one."""
        if self.session.mode != "watch":
            return
        paces = WATCH_PACES
        i = min(range(len(paces)), key=lambda k: abs(paces[k] - self.pace))
        self.pace = paces[max(0, min(len(paces) - 1, i + d))]
        if self._next_day_at is not None:
            self._next_day_at = time.monotonic() + self.pace
        self.notify(f"A day every {self.pace:g} s.", title="Watch pace", timeout=2)
        self.refresh_panels()

    def action_key_events(self) -> None:
        """The log: the key events only, or every event."""
        self.key_events_only = not self.key_events_only
        self.notify("The log shows the key events: fighting, losses, bombs, arrivals, sightings."
                    if self.key_events_only else "The log shows every event.", title="Event log", timeout=3)
        self._fill_log(self._log_extra)
