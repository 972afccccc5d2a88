"""The game screen's day notes: the situation brief on the first day, a guided scenario's
prompt for the day, the recon hint, the sector a Tab lands in, and the event log (the day's
results and key events in watch mode), plus the way back from the final map."""

from __future__ import annotations

from rich.text import Text

from pokrovsk_tui.game.loop import TurnRecord
from pokrovsk_tui.game.session import SIDE_NAMES
from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.scenario import SIDES

from ..brief import recon_hint, sectors, situation, situation_lines
from ..widgets.eventlog import EventLog
from .dialogs import TextScreen
from .watch import KEY_EVENTS


class DayNotes:
    """Mixed into GameScreen: needs ``session``, ``side``, ``playing``, ``truth``,
    ``current_view()`` and ``log_events``."""

    def _events_for_log(self, record: TurnRecord) -> list[Event]:
        """The day's events as this side may read them, key events first (report.keyevents)."""
        from pokrovsk_tui.report.keyevents import key_first

        objectives = frozenset(h for ob in self.session.world.scenario.objectives for h in ob.hexes)
        key, rest = key_first(self.session.events_for(None if self.truth else self.side, record), objectives)
        return key + rest

    def guide_lines(self) -> list[str]:
        """A guided scenario's prompts for today and the side playing (scenario ``guide``)."""
        s = self.session
        if self.side is None or s.over:
            return []
        me = SIDES[self.side]
        return [" ".join(g.text.split()) for g in s.world.scenario.guide
                if g.day == s.turn and g.side in (None, me)]

    def start_of_day(self) -> None:
        """The first day of a game: a word about the situation brief (once a side; it stands
        atop the event log, F7 shows it whole), then the day's prompt of a guided scenario."""
        s = self.session
        if s.turn == 1 and not s.history and self.playing and self.side not in self.briefed:
            self.briefed.add(self.side)
            self.notify("The situation and your units by sector are atop the event log (l). "
                        "F7 shows the whole brief; ? lists every key.",
                        title=f"Day 1, {s.date_of(1).strftime('%d %b %Y')}: {SIDE_NAMES[self.side]}", timeout=12)
        self.announce_guide()

    def action_brief(self) -> None:
        """F7: the situation brief (the scenario's words, objectives, sectors, where to look)."""
        v = self.current_view()
        if v is None or self.truth:
            self.notify("The brief is a side's: none while watching or after the game.")
            return
        s = self.session
        self.app.push_screen(TextScreen(f"Situation, day {s.turn}: {SIDE_NAMES[self.side]}", situation(s.world, v)))

    def announce_guide(self) -> None:
        """Show today's prompt of a guided scenario (it also stays atop the event log)."""
        lines = self.guide_lines()
        if lines and self.playing:
            self.notify("\n".join(lines), title=f"Day {self.session.turn}: try this", timeout=30, markup=False)

    def _fill_log(self, extra: list[str] | None = None) -> None:
        self._log_extra = list(extra or [])
        notes = []
        key_only = self.session.mode == "watch" and self.key_events_only
        for line in self.guide_lines():
            notes.append(Text.assemble(("Try today: ", "bold yellow"), (line, "italic")))
        v = self.current_view()
        if v is not None and not self.truth:
            if self.session.turn == 1 and not self.session.history:
                for head, line in situation_lines(self.session.world, v):
                    notes.append(Text.assemble((head, "bold"), (line, "italic")))
            notes.append(Text.assemble(("Recon: ", "bold cyan"), (recon_hint(self.session.world, v), "italic")))
        for line in extra or []:
            notes.append(Text(line, style="italic"))
        self.query_one("#log", EventLog).show(notes, self.log_events, KEY_EVENTS if key_only else None)

    def _announce_sector(self, v, before: int | None, pick: int, ordered: set[str]) -> None:
        """Tab into another sector: say which, and how many of its units still wait."""
        w = self.session.world
        groups = sectors(w, v)
        name_of = {u: name for name, us in groups for u in us}
        if before is not None and name_of.get(before) == name_of.get(pick):
            return
        us = next(us for name, us in groups if name == name_of[pick])
        left = sum(1 for u in us if w.unit_ids[u] not in ordered)
        self.notify(f"{len(us)} units, {left} without orders", title=f"Sector: {name_of[pick]}", timeout=3)

    def action_title(self) -> None:
        if self.session.over:
            self.app.action_to_title()

    def action_victory(self) -> None:
        """Back from the final map to the result."""
        from .victory import VictoryScreen

        if self.session.over:
            self.app.push_screen(VictoryScreen(self.session))
