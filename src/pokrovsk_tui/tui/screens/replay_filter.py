"""The replay's event list a class can follow: key events first, then the rest
(``report.keyevents``), narrowed by a typed filter (``/``): phase, side, hex, unit, words."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from pokrovsk_tui.report.keyevents import PHASES, EventFilter, key_first, matches, parse_filter

KEY_STYLE = "bold"


class FilterScreen(ModalScreen[str | None]):
    """Type a filter; Enter applies it (empty: everything), Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True)]

    def __init__(self, current: str = ""):
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Filter and search the day's events", classes="dialog-title")
            yield Static(Text(
                f"Words, in any order: a phase ({', '.join(PHASES)}), a side (ua, ru), a hex id, a unit id, "
                "'key' for key events only; any other word is searched for in the events' text.\n"
                "Example: combat ru 2213   ·   fires destroyed   ·   key ua", style="italic"), classes="dialog-body")
            yield Input(value=self.current, id="filter-text", placeholder="e.g. combat ru 2213")
            yield Static("[b]Enter[/b] apply (empty: show everything)   [b]Esc[/b] cancel", classes="dialog-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


def event_rows(review, step, who: str, filter_text: str) -> tuple[str, list[tuple[str, object, Text | None]]]:
    """The results list: (a title, rows). Each row is (kind, object, text): kind "head" (a
    heading, no object), "event" or "surprise"; key events first."""
    world = review.world
    grid = world.grid
    obj_hexes = frozenset(h for ob in world.scenario.objectives for h in ob.hexes)
    side_of = {u: int(world.u_side[i]) for u, i in world.unit_index.items()}
    f: EventFilter = parse_filter(filter_text, set(grid.ids(range(grid.n))), set(world.unit_index)) \
        if filter_text else EventFilter()
    rows: list[tuple[str, object, Text | None]] = []
    key, rest = key_first(review.events(step, who), obj_hexes)
    shown = 0

    def events(title: str, events: list, is_key: bool) -> None:
        nonlocal shown
        picked = [e for e in events if f.empty or matches(e, f, side_of, key=is_key)]
        if not picked:
            return
        rows.append(("head", None, Text(f"{title} ({len(picked)}{'' if f.empty else f' of {len(events)}'})",
                                        style="bold underline")))
        for e in picked:
            style = "bold red" if e.kind == "refused" else (KEY_STYLE if is_key else "")
            rows.append(("event", e, Text(f"{e.phase}: {e.text}", style=style)))
            shown += 1

    events("Key events", key, True)
    sur = review.surprises(step, who)
    if sur and not f.key_only and not (f.phases or f.sides or f.hexes or f.units):
        picked = [s for s in sur if all(w in s["text"].lower() for w in f.words)]
        if picked:
            whose = "a side" if who == "truth" else who.upper()
            rows.append(("head", None, Text(f"Surprises: {len(picked)} (what {whose} did not see coming: "
                                            f"! missed, · unseeable by design; Enter: why)", style="bold underline")))
            for s in picked:
                mark = "! " if s.get("missed") else "· "
                rows.append(("surprise", s, Text.assemble((mark, "bold #ff8c00"), s["text"])))
    events("Everything else", rest, False)
    title = "" if f.empty else f" · filter: {f.describe()} ({shown} shown; / to change)"
    return title, rows


class ReplayDebrief:
    """Mixed into ReplayScreen (replay.py): the event filter (/) and playing on from the day
    shown (s)."""

    def action_filter_events(self) -> None:
        """Filter and search the day's events (phase, side, hex, unit, words)."""

        def done(text: str | None) -> None:
            if text is None:
                return
            self.event_filter = text
            self.fill_list()
            if text:
                self.action_focus_list()

        self.app.push_screen(FilterScreen(self.event_filter), done)

    def action_simulate_from(self) -> None:
        """Luck or judgement from the day on screen: the rest of the game N times, new dice."""
        from .replay_fromturn import FromTurnScreen

        turn = self.branch_turn()
        if turn is None:
            self.notify("The game ended on this day: step back ([) to play on from before the end.",
                        severity="warning", title="Play on")
            return
        self._stop_play()
        self.app.push_screen(FromTurnScreen(self.review.save, turn))
