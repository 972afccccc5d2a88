"""The instructor's replay: a saved game day by day, in three views, with notes, charts,
re-rolls and "take command from here".

Each day is shown in two steps: its start, with the orders both sides gave drawn on the map,
then its results, with the events (Enter: why?) and the surprises. ``v`` (or t, u, r)
switches between the ground truth, what UA knew and what RU knew at any step; the map is the
game's own widget (``widgets/hexmap.py``) with the same overlays. What is shown is worked out
by ``tui/review.py`` from ``report/`` (no game logic here).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList

from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.store.savefmt import SaveGame

from .. import describe as D
from ..messages import DayChosen, HexActivated
from ..overlays import Overlay
from ..overlays import compute as compute_overlay
from ..picture import MapPicture
from ..review import (
    VIEW_TITLES,
    VIEWS,
    Review,
    Step,
)
from ..widgets.panels import TextPanel
from ..widgets.steplist import StepList
from ..widgets.timeline import DayStrip
from .dialogs import ConfirmScreen, TextScreen, WhyScreen
from .mapview import MAP_BINDINGS, MapView, chosen_id, focus_first
from .replay_command import ReplayCommand
from .replay_exports import ReplayExports
from .replay_filter import ReplayDebrief
from .replay_notes import ReplayNotes
from .replay_text import header_text, legend, prompt_text

PLAY_DELAY = 1.5            # seconds between steps while playing
REPLAY_OVERLAYS = ("supply", "killzone", "detection", "ew")


class ReplayScreen(ReplayNotes, ReplayExports, ReplayDebrief, ReplayCommand, MapView, Screen[None]):
    """A saved game, step by step: the start of each day with its orders, then its results."""

    BINDINGS = [
        Binding("right_square_bracket", "step(1)", "Step", show=True),
        Binding("left_square_bracket", "step(-1)", "Back", show=True),
        Binding("right_curly_bracket", "day(1)", "Next day", show=False),
        Binding("left_curly_bracket", "day(-1)", "Previous day", show=False),
        Binding("j", "jump", "Jump", show=True),
        Binding("p", "play", "Play", show=True),
        Binding("v", "cycle_view", "View", show=True),
        Binding("t", "view('truth')", "Ground truth", show=False),
        Binding("u", "view('ua')", "UA view", show=False),
        Binding("r", "view('ru')", "RU view", show=False),
        Binding("n", "note", "Note", show=True),
        Binding("N", "notes", "Notes", show=False),
        Binding("c", "charts", "Charts", show=True),
        Binding("x", "reroll", "Re-roll", show=True),
        Binding("s", "simulate_from", "Play on xN", show=False),
        Binding("slash", "filter_events", "Filter", show=False),
        Binding("b", "take_command", "Command", show=True),
        Binding("e", "export_csv", "CSV", show=False),
        Binding("h", "export_report", "HTML report", show=False),
        Binding("i,f9", "screenshot", "SVG", show=False),
        Binding("l", "focus_list", "List", show=False),
        Binding("o", "cycle_overlay", "Overlay", show=False),
        *MAP_BINDINGS,
        Binding("escape", "back", "Title", show=True),
        Binding("q", "app.quit_game", "Quit", show=False),
    ]

    def __init__(self, save: SaveGame, path: str | Path | None = None):
        super().__init__()
        self.review = Review(save, path)
        self.pos = 0
        self.who = "truth"
        self.overlay: str | None = None
        self.playing = False
        self._play_timer = None
        self._list_key = None
        self.event_filter = ""
        self._note_turns: set[int] = self.review.note_turns()
        self._surprise_turns: set[int] = self.review.surprise_turns()
        self.make_map(self.review.world, "rp-map")
        self.header = TextPanel(id="rp-header", fixed=True, classes=None)
        self.hexinfo = TextPanel(id="rp-hex", lines=9, more="\n… more than fits here", title="Hex")
        self.day = TextPanel(id="rp-day", lines=13, more="\n… more than fits here: the list below has it all")
        self.notes = TextPanel(id="rp-notes", title="Notes (n add, N list)")
        self.prompt = TextPanel(id="rp-prompt", fixed=True, classes=None)
        self.steps = StepList(id="rp-list")

    # ----- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield self.header
        yield DayStrip(id="rp-days")
        with Horizontal(id="rp-main"):
            yield self.map
            with VerticalScroll(id="rp-side"):
                yield self.hexinfo
                yield self.day
                yield self.notes
                yield TextPanel(legend(), id="rp-legend", title="On the map")
        with Vertical(id="rp-bottom"):
            yield self.prompt
            yield self.steps
        yield Footer(compact=True)

    def on_mount(self) -> None:
        w = self.review.world
        self.map.cursor = int(w.grid.n // 2 + w.grid.width // 2)
        self.watch(self.map, "cursor", self.refresh_hex, init=False)
        self.show()
        self.map.focus()
        self.call_after_refresh(self.map.scroll_to_cursor, True)

    # ----- where we are ------------------------------------------------------------------
    @property
    def step(self) -> Step:
        return self.review.steps[self.pos]

    def go(self, pos: int) -> None:
        """Show step ``pos`` (clamped to the game)."""
        pos = min(max(0, pos), len(self.review.steps) - 1)
        if pos != self.pos:
            self.pos = pos
            self.show()

    @property
    def _list_items(self) -> list[tuple[str, object]]:
        """(kind, what) of each item of the list that can be chosen."""
        return self.steps.items

    def goto_turn(self, turn: int, stage: str = "orders") -> None:
        self.go(self.review.index(turn, stage))

    def show(self) -> None:
        """Draw the current step in the current view: map, header, timeline, panels, list."""
        step, who, r = self.step, self.who, self.review
        self.map.set_picture(self.picture())
        self.query_one(DayStrip).show(r.tl.turns, step.turn, step.stage, self._note_turns, self._surprise_turns)
        self.header.text = header_text(self.review, self.step, self.who, self.overlay, self.playing)
        self.day.border_title = f"Day {step.turn}: {'orders' if step.stage == 'orders' else 'results'}"
        self.day.text = r.day_text(step, who)
        self.notes.text = r.notes_text(step)
        self.refresh_hex()
        self.prompt.text = prompt_text(self.step, self.who)
        self.fill_list()

    def picture(self) -> MapPicture:
        step, who, r = self.step, self.who, self.review
        return MapPicture(control=r.control(step, who), counters=r.counters(step, who), cursor=self.map.cursor,
                          overlay=self._overlay(), changed=r.changed(step), marks=r.marks(step, who))

    def _overlay(self) -> Overlay | None:
        if self.overlay is None:
            return None
        v = self.review.side_view(self.step, self.who)
        if v is None:
            return None
        overlay = self.overlay
        return self.cached_overlay((self.step, self.who, overlay), lambda: compute_overlay(overlay, v, None))

    def refresh_hex(self) -> None:
        step, who, r = self.step, self.who, self.review
        h = self.map.cursor
        v = r.side_view(step, who)
        t = D.hex_panel(r.world, h, r.control(step, who) if v is None else v.control, v,
                        r.truth_state(step) if v is None else None, self._overlay())
        hid = r.world.grid.hex_id(h)
        for i, a in r.notes(step.turn):
            if a.hex == hid:
                t.append(f"\n✎ #{i + 1} ", style="bold #ffd75f")
                t.append(a.text)
        self.hexinfo.text = t

    # ----- the list under the map --------------------------------------------------------
    def fill_list(self) -> None:
        step, who, r = self.step, self.who, self.review
        key = (step, who, self.event_filter)
        if key == self._list_key:
            return
        self._list_key = key
        if step.stage == "orders":
            style = {"head": "bold", "intent": "italic"}
            rows = [("head" if kind in style else "order", order, Text(line, style=style.get(kind, "")))
                    for kind, line, order in r.order_lines(step, who)]
            self.steps.fill(f"Orders of day {step.turn} (Enter: show on the map)", rows)
        else:
            from .replay_filter import event_rows

            title, rows = event_rows(r, step, who, self.event_filter)
            self.steps.fill(f"Events of day {step.turn} as {VIEW_TITLES[who]} (Enter: why? / filter){title}", rows)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "rp-list":
            return
        event.stop()
        if event.option.id is not None:
            self.open_item(int(event.option.id))

    def open_item(self, i: int) -> None:
        kind, obj = self.steps.item(i)
        g = self.review.world.grid
        if kind == "order":
            assert isinstance(obj, Order)
            h = self.review.order_hex(self.step, obj)
            if h is not None:
                self.map.move_cursor(h, center=True)
                self.refresh_hex()
            self.notify(obj.describe(), title="Order")
        elif kind == "surprise":
            assert isinstance(obj, dict)
            if obj.get("hex"):
                self.map.move_cursor(g.index(obj["hex"]), center=True)
            self.app.push_screen(TextScreen("Why was it a surprise?", self.review.surprise_text(obj)))
        elif kind == "event":
            assert isinstance(obj, Event)
            if obj.hex:
                try:
                    self.map.move_cursor(g.index(obj.hex), center=True)
                except (ValueError, KeyError):
                    pass
            self.app.push_screen(WhyScreen(obj, self.review.world))

    def action_why(self) -> None:
        i = chosen_id(self.steps)
        if i is not None:
            self.open_item(i)
            return
        self.notify("Highlight an event in the list (l, then ↑/↓) to see why it happened.")

    def action_focus_list(self) -> None:
        focus_first(self.steps)

    # ----- stepping ----------------------------------------------------------------------
    def action_step(self, d: int) -> None:
        self._move(self.pos + d)

    def action_day(self, d: int) -> None:
        self._move(self.pos + 2 * d)

    def _move(self, pos: int) -> None:
        # the keys stay on at the ends (greying them out would rebuild the footer: slow)
        if pos < 0:
            self.notify("This is the start of the first day.", title="Replay", timeout=2)
        elif pos >= len(self.review.steps):
            self.notify("This is the end of the game: [ steps back, j jumps to a day.", title="Replay", timeout=3)
        self.go(pos)

    def action_jump(self) -> None:
        from .replay_dialogs import JumpScreen

        r = self.review
        self.app.push_screen(JumpScreen(r.first, r.last, self.step.turn),
                             lambda day: self.goto_turn(day) if day is not None else None)

    def on_day_chosen(self, message: DayChosen) -> None:
        self.goto_turn(message.turn, self.step.stage)

    def action_play(self) -> None:
        if self.playing:
            self._stop_play()
            self.notify("Paused.", title="Replay")
        else:
            if self.pos >= len(self.review.steps) - 1:
                self.go(0)
            self.playing = True
            self._play_timer = self.set_interval(PLAY_DELAY, self._play_tick)
            self.notify(f"Playing: a step every {PLAY_DELAY:g} s; p pauses.", title="Replay")
        self.header.text = header_text(self.review, self.step, self.who, self.overlay, self.playing)

    def _stop_play(self) -> None:
        self.playing = False
        if self._play_timer is not None:
            self._play_timer.stop()
            self._play_timer = None

    def _play_tick(self) -> None:
        if not self.is_current:
            return
        if self.pos >= len(self.review.steps) - 1:
            self._stop_play()
            self.header.text = header_text(self.review, self.step, self.who, self.overlay, self.playing)
            self.notify("The end of the game.", title="Replay")
            return
        self.go(self.pos + 1)

    # ----- views, overlays, zoom ---------------------------------------------------------
    def action_view(self, who: str) -> None:
        if who == self.who:
            return
        self.who = who
        self.show()

    def action_cycle_view(self) -> None:
        self.action_view(VIEWS[(VIEWS.index(self.who) + 1) % len(VIEWS)])

    OVERLAY_CYCLE = REPLAY_OVERLAYS
    CYCLE_KEY = "o"

    def overlay_refused(self) -> str | None:
        if self.who == "truth":
            return "Overlays read a side's knowledge: switch to the UA (u) or RU (r) view first."
        return None

    def overlay_changed(self) -> None:
        self.show()

    # ----- map events --------------------------------------------------------------------
    def on_hex_activated(self, message: HexActivated) -> None:
        """Enter (or a click) on a hex: what happened there this day (why?), or the orders
        aimed at it."""
        self.refresh_hex()
        hid = self.review.world.grid.hex_id(message.hex)
        step = self.step
        if step.stage == "orders":
            here = [o for s in self.review.sides(self.who) for o in self.review.orders(step.turn)[s]
                    if self.review.order_hex(step, o) == message.hex]
            if here:
                self.notify("\n".join(o.describe() for o in here[:8]) + ("\n…" if len(here) > 8 else ""),
                            title=f"Orders aimed at {hid}", timeout=6)
            return
        events = [e for e in self.review.events(step, self.who) if e.hex == hid]
        if not events:
            self.notify(f"Nothing happened on {hid} this day (as {VIEW_TITLES[self.who]}).", timeout=3)
            return
        if len(events) == 1:
            self.app.push_screen(WhyScreen(events[0], self.review.world))
            return
        from .dialogs import PickScreen

        def picked(key: str | None) -> None:
            if key is not None:
                self.app.push_screen(WhyScreen(events[int(key)], self.review.world))

        self.app.push_screen(PickScreen(f"What happened on {hid}, day {step.turn} (Enter: why?)",
                                        [(str(i), f"{e.phase}: {e.text}") for i, e in enumerate(events)]), picked)

    # ----- leaving -----------------------------------------------------------------------
    def action_back(self) -> None:
        if not self.map.has_focus:
            self.map.focus()
            return
        self._stop_play()
        self.app.push_screen(ConfirmScreen("Leave the replay?", "Back to the title screen. Notes are saved as they "
                                           "are written; the replay reopens at the first day.", yes="Leave",
                                           no="Stay on day " + str(self.step.turn)),
                             lambda ok: self.app.action_to_title() if ok else None)

