"""The key reference and the rules summary."""

from __future__ import annotations

from importlib import resources

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, MarkdownViewer, Static

from .. import glyphs as G
from ..order_keys import ACTIONS
from ..overlays import OVERLAY_KEYS, OVERLAY_TITLES

# the header line of the game screen, item by item (shown first in the key reference)
HEADER = [
    ("Ukraine to move", "whose orders are being given (in hot-seat, the player's name beside it)"),
    ("Day 2/6, 15 Jan 2026", "today's number of the scenario's days, and its date"),
    ("frost (forecast)", "today's weather, forecast before the day is played: snow and thaw slow "
                         "movement and attacks, fog grounds most drones"),
    ("VP UA 5 RU 2", "victory points so far: each objective scores every day for whoever holds it"),
    ("(margin 8) / m8", "the lead needed to win after the last day; a smaller lead is a draw"),
    ("talks in 3d", "days until the talks day, when every objective counts double"),
    ("paused / running", "watch mode: whether the days play by themselves"),
]

KEYS = [
    ("Map", [
        ("arrows", "move the cursor (up/down keep the column)"),
        ("7 9 4 6 1 3 / Home PgUp End PgDn", "the six hex directions: NW NE W E SW SE"),
        ("Enter, Space, click", "select your unit there (again: the next unit in the stack); "
                                "when choosing a target: confirm it"),
        ("Tab / shift+Tab", "next / previous unit without orders"),
        ("Esc", "cancel the target choice, then the selection"),
        ("+ / -", "zoom: large counters or the whole sector"),
        ("v", "cycle the overlays"),
        *[(OVERLAY_KEYS[k], OVERLAY_TITLES[k]) for k in OVERLAY_KEYS],
        ("F7", "the situation brief: the scenario's words, objectives, your units by sector, where to look"),
    ]),
    ("Orders (for the selected unit)", [(v[0], f"{v[1]}" + {
        "hold": ": stay (the default)", "move": ": choose the destination; the path is the cheapest",
        "assault": ": an adjacent hex; odds shown first", "infiltrate": ": assault groups; enemy/contested hex",
        "raid": ": infantry; attack and come back", "dig_in": ": +1 entrenchment (past hasty, a chance a day)", "rest": ": +10 cohesion",
        "jam": ": EW posts", "recon": ": drone sorties on a hex", "strike": ": drone sorties; odds shown",
        "interdict": ": drone fire control on a road hex", "hunt": ": drones against drone/EW/UGV units",
        "resupply": ": UGV runs to a friendly unit", "fire": ": artillery; odds shown",
        "bomb": ": glide bombs (no unit needed); odds shown"}[k]) for k, v in ACTIONS.items()]),
    ("Orders list and turn", [
        ("o", "go to the orders list (Enter edits the highlighted order)"),
        ("x, Delete", "delete the highlighted order (or the selected unit's last)"),
        ("ctrl+z / ctrl+y", "undo / redo (until the turn is ended)"),
        ("e", "end the turn (asks first)"),
        ("l, then Enter or w", "the event log; why did it happen?"),
        ("g", "back to the map"),
    ]),
    ("Watching (starts paused)", [
        ("space or s", "run / pause: a day every few seconds"),
        ("n", "play one day (and pause)"),
        ("+ / -", "a faster / slower pace (1 to 20 s a day)"),
        ("k", "the event log: key events only (fighting, losses, bombs, arrivals) or every event"),
        ("z", "zoom"),
    ]),
    ("After the game (the final map)", [
        ("Esc", "back to the result"),
        ("t", "the title screen"),
    ]),
    ("Replay (title screen r, or pokrovsk replay SAVE)", [
        ("] / [", "a step on / back: the start of a day with its orders, then its results"),
        ("} / {", "a whole day on / back"),
        ("j, a click on the timeline", "jump to a day"),
        ("p", "play / pause (a step every 1.5 s)"),
        ("v; t u r", "the view: cycle; ground truth, what UA knew, what RU knew"),
        ("l, then Enter or w", "the list of orders or events (key events first): the map moves to the event's "
                               "hex; why did it happen?"),
        ("/", "filter and search the day's events: phase, ua/ru, a hex, a unit, 'key', any words"),
        ("Enter on the map", "what happened on that hex this day (why?), or the orders aimed at it"),
        ("n / N", "write a note on this day (or a hex) / every note: edit, delete"),
        ("c", "charts: strength, casualties, hexes, supply, drones, VP"),
        ("x", "re-roll this day K times: how likely was what happened?"),
        ("s", "play the rest of the game on from the day shown N times with new dice: luck or judgement?"),
        ("b", "take command from the start of the day shown: a new game (solo, hot-seat, watch)"),
        ("e / h", "write the series as CSV / the HTML after-action report beside the save"),
        ("i or F9", "an SVG screenshot beside the save"),
        ("o, F2-F5", "overlays of a side's view (UA or RU view)"),
        ("Esc", "back to the title screen"),
    ]),
    ("Anywhere", [
        ("? or F1", "this key reference"),
        ("ctrl+p", "command palette: every main action by name"),
        ("ctrl+s", "save as"),
        ("F8", "colour-blind-safe colours on/off"),
        ("F9", "an SVG screenshot of the screen (into the save folder; in a replay, beside the save)"),
        ("q / ctrl+q", "quit (asks only when something is unsaved)"),
    ]),
]


def keys_table() -> Table:
    t = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    t.add_column("key", style="bold", no_wrap=True, ratio=1)
    t.add_column("what", ratio=3)
    for section, rows in [("The header line", HEADER), *KEYS]:
        t.add_row(Text(section, style="bold underline"), "")
        for k, what in rows:
            t.add_row(k, what)
        t.add_row("", "")
    t.add_row(Text("Map glyphs", style="bold underline"), "")
    for g, what in G.LEGEND:
        t.add_row(g, what)
    t.add_row(Text("Unit letters", style="bold underline"), "")
    t.add_row(" ".join(k for k, _ in G.TYPE_LEGEND), ", ".join(f"{k} {v}" for k, v in G.TYPE_LEGEND))
    return t


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", priority=True),
                Binding("r", "rules", "Rules")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Static("Keys", classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll"):
                yield Static(keys_table())
            yield Static("[b]Esc[/b] close   [b]r[/b] rules summary   every mouse action has a key",
                         classes="dialog-keys")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_rules(self) -> None:
        self.dismiss(None)
        self.app.push_screen(RulesScreen())


def rules_markdown() -> str:
    return resources.files("pokrovsk_tui.tui").joinpath("rules_summary.md").read_text(encoding="utf-8")


class RulesScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        yield MarkdownViewer(rules_markdown(), show_table_of_contents=False, id="rules")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(MarkdownViewer).focus()

    def action_close(self) -> None:
        self.dismiss(None)
