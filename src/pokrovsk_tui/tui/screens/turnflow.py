"""The game screen's turn flow: ending a turn, the hot-seat handoff, resolving the day, the
results and victory screens, and watch mode's clock."""

from __future__ import annotations

import asyncio

import numpy as np
from rich.text import Text
from textual import work

from pokrovsk_tui.game.loop import TurnRecord
from pokrovsk_tui.game.session import HANDOFF, OVER, RESOLVE, RESULTS, SIDE_ADJ, SIDE_NAMES

from .dialogs import (
    HandoffScreen,
    ThinkingScreen,
)
from .intent import EndDayScreen


class TurnFlow:
    """Mixed into GameScreen: needs ``session``, ``side``, ``map`` and the screen's refresh helpers."""

    def action_end_turn(self) -> None:
        if not self.playing:
            return
        s = self.session
        book = self.book()
        v = self.current_view()
        have = {o.unit for o in book.orders}
        idle = [u for u in v.own_units if s.world.unit_ids[u] not in have]
        body = Text()
        body.append(f"{len(book.orders)} order(s) given. ")
        if idle:
            body.append(f"{len(idle)} unit(s) without orders will hold (drones patrol, EW jams).")
        nxt = s.what_follows(self.side)
        if nxt.kind == HANDOFF:
            body.append(f"\nThen the screen is handed to the {SIDE_ADJ[nxt.side]} player.")
        elif s.ai_sides():
            body.append("\nThen the computer plans and the day is resolved.")
        else:
            body.append("\nThen the day is resolved.")
        self.app.push_screen(EndDayScreen(f"End day {s.turn} for {SIDE_NAMES[self.side]}?", body,
                                          intent=" ".join(s.intents.get(self.side, []))), self._end_confirmed)

    def _end_confirmed(self, ok: bool | str | None) -> None:
        if not ok or self.side is None:
            return
        s = self.session
        nxt = s.finish_orders(self.side, ok if isinstance(ok, str) else None)
        self.selected = None
        self.action = None
        if nxt.kind == HANDOFF:
            self.app.autosave_session(s)
            self.handoff_to(nxt.side)
        elif nxt.kind == RESOLVE:
            self.resolve_flow()

    def handoff_to(self, side: int) -> None:
        """Hot-seat: cover the game with the handoff screen, then switch everything to the
        next side's view while it is hidden, so not one frame of the other side is drawn."""
        s = self.session
        name = s.players[side].name
        note = ""
        if side in s.human_sides() and s.last is not None and self.results_seen.get(side, 0) < s.last.turn:
            note = "You will see what your side learned yesterday first."
        self.app.push_screen(HandoffScreen(SIDE_ADJ[side], name, note), lambda _=None: self._after_handoff(side))
        self.side = side
        self.selected = None
        self.action = None
        self.editing = None
        self.overlay = None
        self._view_key = None
        self._overlay_cache.clear()
        v = self.current_view()
        if v is not None and v.own_units.size:
            self.map.cursor = int(v.hex[v.own_units[0]])
        if s.last is not None:
            self.log_events = self._events_for_log(s.last)
            self.changed = self._changed(s.last)
        else:
            self.log_events = []
            self.changed = frozenset()
        self._fill_log()
        self.refresh_all()

    def _after_handoff(self, side: int) -> None:
        s = self.session
        self.map.scroll_to_cursor(center=True)
        self.map.focus()
        if s.last is not None and self.results_seen.get(side, 0) < s.last.turn:
            self.show_results(side, s.last)
        else:
            self.start_of_day()

    def _changed(self, rec: TurnRecord) -> frozenset[int]:
        before = self.session.previous_state(rec)
        return frozenset(int(h) for h in np.flatnonzero(rec.state.control != before.control))

    @work(exclusive=True, group="turn")
    async def resolve_flow(self) -> None:
        s = self.session
        self.busy = True
        self.refresh_panels()
        msg = "The computer is planning its orders…" if s.ai_sides() else "Resolving the day…"
        thinking = ThinkingScreen(msg)
        await self.app.push_screen(thinking)

        def progress(text: str) -> None:
            self.app.call_from_thread(thinking.set_message, text + "…")

        try:
            rec = await asyncio.to_thread(s.resolve, progress)
        except Exception as e:        # never a traceback on screen
            self.busy = False
            thinking.dismiss(None)
            s.reopen_orders()
            self.app.notify(f"The day could not be resolved: {type(e).__name__}: {e}", severity="error",
                            title="Engine error", timeout=15)
            self.refresh_all()
            return
        thinking.dismiss(None)
        self.busy = False
        self.app.autosave_session(s)
        self.after_resolution(rec)

    def after_resolution(self, rec: TurnRecord) -> None:
        s = self.session
        nxt = s.after_day(rec)
        self.selected = None
        self.action = None
        self._view_key = None
        self._overlay_cache.clear()
        if nxt.kind == HANDOFF:
            self.handoff_to(nxt.side)
            return
        self.changed = self._changed(rec)
        self.log_events = self._events_for_log(rec)
        self._fill_log(self.watch_extra(rec) if s.mode == "watch" else [])
        self.refresh_all()
        if nxt.kind == RESULTS:
            self.show_results(nxt.side, rec)
        elif nxt.kind == OVER:
            self.show_victory()

    def show_results(self, side: int | None, rec: TurnRecord) -> None:
        from .results import ResultsScreen

        if side is not None:
            self.results_seen[side] = rec.turn
        events = self.session.events_for(side, rec)
        screen = ResultsScreen(self.session, side, rec, events)
        self.app.push_screen(screen, lambda _=None: self._after_results())

    def _after_results(self) -> None:
        if self.session.over:
            self.show_victory()
        else:
            self.map.focus()
            self.refresh_all()
            self.announce_guide()

    def show_victory(self) -> None:
        if self.ended_shown:
            return
        self.ended_shown = True
        if self._watch_timer is not None:
            self._watch_timer.stop()
        from .victory import VictoryScreen

        self.side = None if self.session.mode == "watch" else self.side
        self.log_events = self._events_for_log(self.session.last) if self.session.last else []
        self._fill_log()
        self.refresh_all()
        self.app.push_screen(VictoryScreen(self.session))
