"""The game screen: the map, the panels, giving orders and the flow of a turn.

Modes: solo (one human side, the computer the other), hot-seat (two humans, a handoff
screen between them that shows nothing of the game) and watch (computer against computer,
with pause and step). A finished game shows the ground truth. A saved game is replayed in
the replay screen (screens/replay.py).
"""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from pokrovsk_tui.game.session import HANDOFF, ORDERS, OVER, PLAY_ON, GameSession
from pokrovsk_tui.rules.budgets import budgets
from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.legal import actions_for
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.state import GameState
from pokrovsk_tui.rules.view import SideView

from .. import describe as D
from ..brief import tab_order
from ..messages import HexActivated
from ..order_keys import ACTIONS
from ..overlays import OVERLAYS, Overlay
from ..overlays import compute as compute_overlay
from ..picture import MapPicture, side_picture
from ..widgets.eventlog import EventLog
from ..widgets.orderlist import OrderList
from ..widgets.panels import TextPanel
from .daynotes import DayNotes
from .dialogs import (
    WhyScreen,
)
from .mapview import MAP_BINDINGS, MapView, chosen_id, focus_first
from .ordering import OrderEntry
from .previews import OrderPreviews
from .prompt import GamePrompt
from .turnflow import TurnFlow
from .watch import WatchMode


class GameScreen(OrderEntry, OrderPreviews, TurnFlow, WatchMode, DayNotes, GamePrompt, MapView, Screen[None]):
    """Where the game is played."""

    BINDINGS = [
        Binding("tab", "next_unit(1)", "Next unit", show=True),
        Binding("shift+tab", "next_unit(-1)", "Prev unit", show=False),
        Binding("escape", "cancel", "Cancel", show=True),
        *[Binding(key, f"order('{kind}')", label, show=False) for kind, (key, label, _) in ACTIONS.items()],
        Binding("x,delete", "delete_order", "Delete order", show=True),
        Binding("ctrl+z", "undo", "Undo", show=True),
        Binding("ctrl+y", "redo", "Redo", show=True),
        Binding("e", "end_turn", "End turn", show=True),
        Binding("v", "cycle_overlay", "Overlay", show=True),
        Binding("f6", "overlay('range')", "Range", show=False),
        Binding("f7", "brief", "Situation brief", show=False),
        Binding("space", "pause", "Run/pause", show=False, priority=True),
        Binding("plus,equals_sign", "pace(-1)", "Faster", show=False),
        Binding("minus", "pace(1)", "Slower", show=False),
        *MAP_BINDINGS,
        Binding("z", "zoom", "Zoom", show=False),
        Binding("k", "key_events", "Key events/all", show=True),
        Binding("o", "focus_orders", "Orders list", show=False),
        Binding("l", "focus_log", "Event log", show=False),
        Binding("n", "step", "Next day", show=True),
        Binding("s", "pause", "Run/pause", show=True),
        Binding("escape", "victory", "The result", show=True),
        Binding("t", "title", "Title screen", show=True),
        Binding("ctrl+s", "app.save_as", "Save", show=True),
        Binding("q", "app.quit_game", "Quit", show=True),
    ]

    def __init__(self, session: GameSession):
        super().__init__()
        self.session = session
        self.side: int | None = session.opening_side()
        self.selected: int | None = None
        self.action: str | None = None
        self.action_unit: int | None = None
        self.editing: Order | None = None
        self.overlay: str | None = None
        self.changed: frozenset[int] = frozenset()
        self.paused = session.mode == "watch"
        self._log_extra: list[str] = []
        self.briefed: set[int] = set()
        self.busy = False
        self.results_seen: dict[int, int] = {0: session.turn - 1, 1: session.turn - 1}
        self.log_events: list[Event] = []
        self._view_key = None
        self._view: SideView | None = None
        self._unit_key: tuple | None = None
        self._keys_key = None
        self._watch_timer = None
        self.ended_shown = False
        self.make_map(session.world, "map")
        self.header = TextPanel(id="header", fixed=True, classes=None)
        self.hexinfo = TextPanel(id="hexinfo", lines=7, more="\n… more: Enter on the hex", title="Hex")
        self.unitinfo = TextPanel(id="unitinfo", lines=10, title="Unit")
        self.alloc = TextPanel(id="alloc")
        self.prompt = TextPanel(id="prompt", fixed=True, classes=None)
        self.orders = OrderList(Static("Orders for today", id="orders-title", classes="panel-title"), id="orders")

    # ----- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield self.header
        with Horizontal(id="main"):
            yield self.map
            with VerticalScroll(id="side"):
                yield self.hexinfo
                yield self.unitinfo
                yield self.alloc
                yield self.orders.title
                yield self.orders
        with Vertical(id="bottom"):
            yield self.prompt
            yield EventLog(id="log")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        w = self.session.world
        self.query_one("#log").border_title = "Events (Enter: why?)"
        start = w.grid.n // 2 + w.grid.width // 2
        v = self.current_view()
        if v is not None and v.own_units.size:
            start = int(v.hex[v.own_units[0]])
        self.map.cursor = int(start)
        self.watch(self.map, "cursor", self.cursor_moved, init=False)
        self.refresh_all()
        self.map.focus()
        self.call_after_refresh(self.map.scroll_to_cursor, True)
        first = self.session.opening()
        if first.kind == HANDOFF and first.side is not None:
            self.handoff_to(first.side)          # at once, before this screen is ever drawn
        elif first.kind == PLAY_ON:
            self.start_watch()
        if self.session.last is not None:
            self.log_events = self._events_for_log(self.session.last)
        self._fill_log()
        if first.kind == OVER:
            self.call_after_refresh(self.show_victory)
        elif first.kind == ORDERS:
            self.call_after_refresh(self.start_of_day)

    # ----- what is shown -----------------------------------------------------------------
    @property
    def truth(self) -> bool:
        return self.side is None or self.session.over

    @property
    def playing(self) -> bool:
        return (self.side is not None and not self.session.over
                and not self.session.finished(self.side) and not self.busy)

    def displayed_state(self) -> GameState:
        return self.session.state

    def current_view(self) -> SideView | None:
        if self.side is None:
            return None
        key = (self.side, self.session.turn, len(self.session.history))
        if key != self._view_key:
            self._view = self.session.view(self.side)
            self._view_key = key
            self._overlay_cache.clear()
        return self._view

    def book(self):
        return self.session.books[self.side] if self.side is not None else None

    def own_units_at(self, h: int) -> list[int]:
        v = self.current_view()
        if v is None or self.truth:
            return []
        return [int(u) for u in v.own_units if int(v.hex[u]) == h]

    def _overlay(self) -> Overlay | None:
        if self.overlay is None:
            return None
        v = self.current_view()
        if v is None:
            return None
        unit = self.selected if self.overlay == "range" else None
        return self.cached_overlay((self.overlay, unit), lambda: compute_overlay(self.overlay, v, unit))

    def picture(self) -> MapPicture:
        v = self.current_view()
        return side_picture(self.session.world, self.displayed_state(), None if self.truth else v, self.map.cursor,
                            selected=self.selected, action=self.action, action_unit=self.action_unit,
                            book=self.book(), overlay=self._overlay(), changed=self.changed)

    # ----- refreshing --------------------------------------------------------------------
    def refresh_all(self) -> None:
        self.map.set_picture(self.picture())
        self.refresh_panels()
        self.refresh_orders()
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """Ask the footer to show the keys again, only when what they depend on changed (the
        footer is rebuilt each time it is asked)."""
        book = self.book()
        key = (self.playing, self.truth, self.action is not None or self.selected is not None,
               bool(book is not None and book.can_undo), bool(book is not None and book.can_redo),
               bool(book is not None and book.orders), self.session.over, self.busy)
        if key != self._keys_key:
            self._keys_key = key
            self.refresh_bindings()

    def on_resize(self, _event) -> None:
        # the prompt's wording depends on the width (see prompt_text)
        if self.is_mounted:
            self.refresh_panels()

    def refresh_panels(self) -> None:
        s = self.session
        note = ""
        if s.mode == "watch" and not s.over:
            note = self.watch_note()
        width = self.size.width - 2 if self.size.width > 2 else None
        self.header.text = D.header(s, None if self.truth else self.side, note, width)
        self._unit_key = None
        self.refresh_cursor_panels()
        self.prompt.text = self.prompt_text()

    def refresh_cursor_panels(self) -> None:
        """The panels about the hex under the cursor, and the unit there (or selected)."""
        w = self.session.world
        v = self.current_view()
        st = self.displayed_state()
        h = self.map.cursor
        ov = self._overlay()
        self.hexinfo.text = D.hex_panel(w, h, st.control, None if self.truth else v, st if self.truth else None, ov)
        unit = self.selected
        if unit is None:
            here = self.own_units_at(h)
            if here:
                unit = here[0]
            elif self.truth:
                at = np.flatnonzero(st.on_map & (st.hex == h))
                unit = int(at[0]) if at.size else None
        if self._unit_key == (unit,):
            return                         # the same unit as before: its panels stand
        self._unit_key = (unit,)
        book = self.book()
        orders = list(book.orders) if book is not None and not self.truth else []
        acts = actions_for(v, unit) if (v is not None and unit is not None and self.playing) else None
        self.unitinfo.text = D.unit_panel(w, unit, None if self.truth else v, st if self.truth else None, orders, acts)
        if self.truth or v is None:
            self.alloc.display = False
        else:
            self.alloc.display = True
            self.alloc.text = D.allocation_panel(w, budgets(v, orders), unit)

    def refresh_orders(self) -> None:
        book = self.book()
        self.orders.show(None if self.truth or book is None else book.orders)

    # ----- bindings shown ----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "order":
            # every order key works while playing (a wrong one is refused with the engine's
            # reason); the keys that suit the selected unit are listed in the Unit panel
            return self.playing
        if action in ("end_turn", "delete_order", "undo", "redo", "next_unit", "cycle_overlay"):
            if action == "cycle_overlay":
                return not self.truth
            if not self.playing:
                return False
            book = self.book()
            if action == "undo":
                return bool(book is not None and book.can_undo)
            if action == "redo":
                return bool(book is not None and book.can_redo)
            if action == "delete_order":
                return bool(book is not None and book.orders)
            return True
        if action == "cancel":
            return self.action is not None or self.selected is not None or not self.map.has_focus
        if action == "victory":
            return self.session.over and self.ended_shown
        if action == "title":
            return self.session.over
        if action in ("step", "pause", "pace"):
            return self.session.mode == "watch" and not self.session.over
        if action == "key_events":
            return self.session.mode == "watch"
        return True

    # ----- map events --------------------------------------------------------------------
    def cursor_moved(self) -> None:
        """The cursor is on a new hex: the panels follow in the same frame as the map."""
        if self.action == "move":
            self.map.set_picture(self.picture())
        self.refresh_cursor_panels()
        self.prompt.text = self.prompt_text()

    def on_hex_activated(self, message: HexActivated) -> None:
        h = message.hex
        if self.action is not None:
            self.confirm_target(h)
            return
        if self.truth:
            st = self.displayed_state()
            at = [int(u) for u in np.flatnonzero(st.on_map & (st.hex == h))]
            self.selected = self._cycle(at)
            self.refresh_all()
            return
        here = self.own_units_at(h)
        if not here:
            if self.selected is not None:
                self.selected = None
                self.refresh_all()
            return
        self.selected = self._cycle(here)
        self.refresh_all()

    def _cycle(self, units: list[int]) -> int | None:
        if not units:
            return None
        if self.selected in units:
            return units[(units.index(self.selected) + 1) % len(units)]
        return units[0]

    # ----- unit selection ----------------------------------------------------------------
    def action_next_unit(self, d: int = 1) -> None:
        v = self.current_view()
        if v is None or not v.own_units.size:
            return
        units = tab_order(self.session.world, v)     # by sector, north to south (brief.py)
        book = self.book()
        ordered = {o.unit for o in book.orders} if book else set()
        ids = self.session.world.unit_ids
        start = units.index(self.selected) if self.selected in units else -1
        order = [units[(start + d * k) % len(units)] for k in range(1, len(units) + 1)]
        pick = next((u for u in order if ids[u] not in ordered), order[0])
        before = self.selected
        self.select_unit(pick)
        self._announce_sector(v, before, pick, ordered)

    def select_unit(self, u: int) -> None:
        self.selected = u
        v = self.current_view()
        if v is not None and v.own[u]:
            self.map.move_cursor(int(v.hex[u]), center=True)
        self.refresh_all()

    def action_cancel(self) -> None:
        if not self.map.has_focus:
            self.map.focus()
            return
        if self.action is not None:
            self.action = None
            self.action_unit = None
            self.editing = None
        elif self.selected is not None:
            self.selected = None
        self.refresh_all()

    # ----- orders ------------------------------------------------------------------------
    OVERLAY_CYCLE = OVERLAYS

    def overlay_refused(self) -> str | None:
        return "Overlays read a side's knowledge; none while watching or reviewing." if self.truth else None

    def overlay_changed(self) -> None:
        self.refresh_all()

    def action_focus_orders(self) -> None:
        ol = self.orders
        ol.focus()
        if ol.highlighted is None and ol.option_count and not ol.get_option_at_index(0).disabled:
            ol.highlighted = 0
        self.notify("↑/↓ choose, Enter edits, x deletes, g back to the map.", title="Orders list", timeout=3)

    def action_focus_log(self) -> None:
        focus_first(self.query_one("#log", OptionList))

    def action_why(self) -> None:
        i = chosen_id(self.query_one("#log", OptionList))
        if i is not None:
            self.show_why(self.log_events[i])
            return
        self.notify("Highlight an event in the log (l, then arrows) to see why it happened.")

    def show_why(self, e: Event) -> None:
        self.app.push_screen(WhyScreen(e, self.session.world))

    # ----- the end of a turn -------------------------------------------------------------
