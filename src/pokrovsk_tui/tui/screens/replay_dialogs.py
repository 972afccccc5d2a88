"""The replay screen's dialogs: jump to a day, write or edit a note, the list of notes,
take command from a day, re-roll a day (in a worker, with a progress indicator) and the
charts. Each modal returns its result through ``dismiss``."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Footer,
    Input,
    Label,
    OptionList,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from pokrovsk_tui.report.reroll import DEFAULT_K, MAX_K
from pokrovsk_tui.report.words import ordinal
from pokrovsk_tui.rules.scenario import SIDES

from ..describe import SIDE_STYLE
from .command_dialog import CommandScreen  # noqa: F401  (take command; kept importable from here)
from .runs import CountEntry


class JumpScreen(ModalScreen[int | None]):
    """Type a day's number; Enter jumps to its start, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True)]

    def __init__(self, first: int, last: int, current: int):
        super().__init__()
        self.first = first
        self.last = last
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Jump to a day ({self.first} to {self.last})", classes="dialog-title")
            yield Input(value=str(self.current), type="integer", id="jump-day", max_length=6,
                        placeholder=f"{self.first}-{self.last}")
            yield Static("[b]Enter[/b] go to the start of that day   [b]Esc[/b] cancel", classes="dialog-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()      # the value is selected: typing replaces it

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            day = int(event.value.strip())
        except ValueError:
            self.notify("Type the day's number.", severity="warning")
            return
        if not self.first <= day <= self.last:
            self.notify(f"The days played are {self.first} to {self.last}.", severity="warning")
            return
        self.dismiss(day)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[dict | None]):
    """Write (or edit) an instructor's note: the text, the hex it is about (empty: the whole
    day) and the author. Enter saves, Tab moves between the fields, Esc cancels. ``check``
    returns a problem (the dialog stays open, saying it) or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True)]

    def __init__(self, title: str, *, text: str = "", hex: str = "", author: str = "",
                 check: Callable[[dict], str | None] | None = None):
        super().__init__()
        self.title_text = title
        self.values = {"text": text, "hex": hex, "author": author}
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.title_text, classes="dialog-title")
            yield Label("Note")
            yield Input(value=self.values["text"], id="note-text", max_length=2000,
                        placeholder="what the class should see here")
            yield Label("Hex (empty: a note on the whole day)")
            yield Input(value=self.values["hex"], id="note-hex", max_length=8, placeholder="e.g. 2022")
            yield Label("Author (optional)")
            yield Input(value=self.values["author"], id="note-author", max_length=200)
            yield Static("", id="note-problem")
            yield Static("[b]Enter[/b] save the note into the save file   [b]Tab[/b] next field   "
                         "[b]Esc[/b] cancel", classes="dialog-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#note-text", Input).focus()

    def result(self) -> dict:
        return {"text": self.query_one("#note-text", Input).value,
                "hex": self.query_one("#note-hex", Input).value.strip(),
                "author": self.query_one("#note-author", Input).value.strip()}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        values = self.result()
        if not values["text"].strip():
            self._problem("Write the note first.")
            self.query_one("#note-text", Input).focus()
            return
        problem = self.check(values) if self.check is not None else None
        if problem:
            self._problem(problem)
            return
        self.dismiss(values)

    def _problem(self, text: str) -> None:
        self.query_one("#note-problem", Static).update(Text(text, style="bold red"))

    def action_cancel(self) -> None:
        self.dismiss(None)


NoteChoice = tuple[str, int | None, int | None]
"""What was asked of the notes list: ("edit" | "delete" | "goto" | "new", the note's index,
the row highlighted, to open the list again at)."""


class NotesScreen(ModalScreen[NoteChoice | None]):
    """Every note of the game: Enter edits, x deletes (asks first), g goes to its day, n a
    new note on the day shown, Esc closes. It changes nothing itself: it is dismissed with
    what was asked (a ``NoteChoice``), and the replay does it and opens the list again."""

    BINDINGS = [
        Binding("escape", "close", "Close", priority=True),
        Binding("x,delete", "delete", "Delete"),
        Binding("g", "goto", "Go to its day"),
        Binding("n", "new", "New note"),
    ]

    def __init__(self, annotations: Sequence, keep: int | None = None):
        super().__init__()
        self.annotations = annotations
        self.keep = keep

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Instructor's notes (kept in the save file)", classes="dialog-title")
            yield OptionList(id="notes-list")
            yield Static("[b]↑/↓[/b] choose  [b]Enter[/b] edit  [b]x[/b] delete  [b]g[/b] go to its day  "
                         "[b]n[/b] new note  [b]Esc[/b] close", classes="dialog-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.fill(self.keep)
        self.query_one(OptionList).focus()

    def fill(self, keep: int | None = None) -> None:
        ol = self.query_one(OptionList)
        ol.clear_options()
        notes = list(enumerate(self.annotations))
        if not notes:
            ol.add_option(Option(Text("No notes yet: n writes one on the day shown.", style="dim"), disabled=True))
            return
        for i, a in sorted(notes, key=lambda p: (p[1].turn, p[0])):
            where = "set-up" if a.turn == 0 else f"day {a.turn}"
            if a.hex:
                where += f", hex {a.hex}"
            t = Text()
            t.append(f"#{i + 1} ", style="bold")
            t.append(f"{where}{' · ' + a.author if a.author else ''}: ", style="dim")
            t.append(a.text if len(a.text) <= 160 else a.text[:159] + "…")
            ol.add_option(Option(t, id=str(i)))
        if keep is not None and ol.option_count:
            ol.highlighted = min(keep, ol.option_count - 1)
        elif ol.option_count:
            ol.highlighted = 0

    def _current(self) -> int | None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None:
            return None
        opt = ol.get_option_at_index(ol.highlighted)
        return int(opt.id) if opt.id is not None else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(("edit", int(event.option.id), self.query_one(OptionList).highlighted))

    def action_delete(self) -> None:
        i = self._current()
        if i is not None:
            self.dismiss(("delete", i, self.query_one(OptionList).highlighted))

    def action_goto(self) -> None:
        i = self._current()
        if i is not None:
            self.dismiss(("goto", i, None))

    def action_new(self) -> None:
        self.dismiss(("new", None, None))

    def action_close(self) -> None:
        self.dismiss(None)


def _bar(parts: list[tuple[float, str, str]], width: int) -> Text:
    """A stacked bar of shares, each with its own glyph and style."""
    t = Text()
    used = 0
    for k, (p, glyph, style) in enumerate(parts):
        n = width - used if k == len(parts) - 1 and sum(x[0] for x in parts) >= 0.999 else int(round(p * width))
        n = max(0, min(n, width - used))
        t.append(glyph * n, style=style)
        used += n
    if used < width:
        t.append(" " * (width - used))
    return t


def _spread(d: dict[str, float], lo: float, hi: float, width: int) -> Text:
    """min ─ p10 ═ p90 ─ max on a scale lo..hi, the mean │ and what happened ◆."""
    span = max(hi - lo, 1e-9)

    def at(x: float) -> int:
        return max(0, min(width - 1, int(round((x - lo) / span * (width - 1)))))

    cells = [" "] * width
    styles = [""] * width
    for i in range(at(d["min"]), at(d["max"]) + 1):
        cells[i] = "─"
    for i in range(at(d["p10"]), at(d["p90"]) + 1):
        cells[i] = "═"
        styles[i] = "bold"
    cells[at(d["mean"])] = "│"
    styles[at(d["mean"])] = "bold"
    cells[at(d["actual"])] = "◆"
    styles[at(d["actual"])] = "bold #ffd75f"
    t = Text()
    for c, s in zip(cells, styles, strict=True):
        t.append(c, style=s)
    return t


def reroll_text(r: dict[str, Any], all_hexes: bool = False) -> Text:
    """A re-roll's result as the dialog shows it: each side's losses as a spread with what
    happened marked, the VP, the end of the game, and the key hexes' owners as bars."""
    t = Text()
    same = "equals" if r["replication_0_matches"] else "DOES NOT equal"
    t.append(f"Day {r['turn']} re-adjudicated {r['replications']} times with the same orders from the same "
             f"start (replication 0 {same} what happened).\n\n", style="bold")
    t.append("Losses  ", style="bold")
    t.append("─ min..max  ═ 10th..90th percentile  │ mean  ◆ what happened\n", style="dim")
    hi = max(max(r["losses"][k]["max"], r["losses"][k]["actual"]) for k in SIDES)
    for s, k in enumerate(SIDES):
        d = r["losses"][k]
        t.append(f"{k.upper()} ", style=SIDE_STYLE[s])
        t.append_text(_spread(d, 0.0, hi, 30))
        t.append(f"  happened {d['actual']:.1f}, mean {d['mean']:.1f} ({d['p10']:.1f}-{d['p90']:.1f}): "
                 f"the {ordinal(d['percentile'])} percentile\n")
    t.append("\nVP gained that day: ", style="bold")
    t.append("; ".join(f"{k.upper()} happened {r['vp'][k]['actual']:.1f}, mean {r['vp'][k]['mean']:.1f} "
                       f"({r['vp'][k]['p10']:.1f}-{r['vp'][k]['p90']:.1f})" for k in SIDES) + "\n")
    e = r.get("ends")
    if e is not None and e["going_on"] < 1.0:
        t.append(f"The game ends that day: UA wins {e['ua']:.0%}, RU wins {e['ru']:.0%}, draw {e['draw']:.0%} "
                 f"(happened: {e['actual'].replace('_', ' ')})\n")
    shown = [h for h in r["hexes"] if all_hexes or h["changed"] or h["p_actual"] < 0.95]
    t.append("\nKey hexes (objectives, and hexes that changed hands): who holds them after the day, the least "
             "likely outcome first\n", style="bold")
    t.append(f"{'hex':<20} {'█ UA  ▓ RU  ░ contested':<16}   UA   RU    ×  start→happened (its P)\n", style="dim")
    for h in sorted(shown, key=lambda h: h["p_actual"]):
        p = h["p"]
        t.append(f"{h['place'][:20]:<20} ")
        t.append_text(_bar([(p["ua"], "█", SIDE_STYLE[0]), (p["ru"], "▓", SIDE_STYLE[1]),
                            (p["contested"], "░", "#c79cff")], 16))
        short = {"ua": "UA", "ru": "RU", "contested": "×"}
        t.append(f" {p['ua']:>4.0%} {p['ru']:>4.0%} {p['contested']:>4.0%}  "
                 f"{short[h['before']]}→{short[h['actual']]} ({h['p_actual']:.0%})")
        if h["objective"]:
            t.append(f" {h['objective']}"[:24], style="dim")
        t.append("\n")
    if not shown:
        t.append("(none changed hands, and every objective kept its owner in at least 95% of the replications)\n",
                 style="dim")
    hidden = len(r["hexes"]) - len(shown)
    if hidden and shown:
        t.append(f"({hidden} more objective hexes kept their owner in at least 95% of the replications)\n",
                 style="dim")
    t.append("\nLuck or judgement? An outcome far out in the tails was luck; near the mean, the orders decided.",
             style="italic")
    return t


class RerollScreen(CountEntry, ModalScreen[None]):
    """Re-roll a day K times in a worker thread, with a progress indicator; the result as
    spreads and bars. Enter (in the K field) runs, Esc closes (a running re-roll is left to
    finish in the background and its result dropped)."""

    BINDINGS = [Binding("escape", "close", "Close", priority=True)]
    COUNT_NAME, COUNT_MAX = "K", MAX_K

    def __init__(self, save, turn: int, k: int = DEFAULT_K):
        super().__init__()
        self.save = save
        self.turn = turn
        self.k = k

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Static(f"Re-roll day {self.turn}: how likely was what happened?", classes="dialog-title")
            yield Static(Text("The same orders of both sides, re-adjudicated K times from the same start with "
                              "fresh dice (replication 0 is the real day).", style="italic"))
            yield Label(f"Replications K (1 to {MAX_K})")
            yield Input(value=str(self.k), type="integer", id="reroll-k", max_length=5)
            yield ProgressBar(total=None, show_eta=False, id="reroll-progress")
            yield Static("", id="reroll-status")
            with VerticalScroll(classes="dialog-scroll"):
                yield Static("", id="reroll-result", classes="dialog-body")
            yield Static("[b]Enter[/b] re-roll  [b]Esc[/b] close", classes="dialog-keys")
        yield Footer()

    def start(self, k: int) -> None:
        if self.running():
            return
        from pokrovsk_tui.report.reroll import reroll

        self.k = k
        self.query_one("#reroll-result", Static).update("")
        save, turn = self.save, self.turn
        self.run_counted(lambda: reroll(save, turn, k), group="reroll", name=f"reroll day {turn} x{k}", tick=0.2)

    def _tick(self) -> None:
        self.query_one("#reroll-status", Static).update(
            Text(f"Re-rolling day {self.turn} {self.k} times… {time.perf_counter() - self._started:.1f} s",
                 style="bold"))

    def show_failure(self, error: str) -> None:
        self.query_one("#reroll-status", Static).update(Text(f"The re-roll failed: {error}", style="bold red"))

    def show_result(self, result: dict[str, Any], took: float) -> None:
        self.query_one("#reroll-status", Static).update(Text(f"Done: {self.k} replications in {took:.1f} s.",
                                                             style="dim"))
        self.query_one("#reroll-result", Static).update(reroll_text(result))


class ChartsScreen(Screen[None]):
    """The game's series as charts, one tab each; the day being replayed is marked."""

    BINDINGS = [
        Binding("escape,q", "close", "Back to the replay"),
        Binding("e", "export", "Export CSV"),
        Binding("i,f9", "screenshot", "SVG screenshot"),
        *[Binding(str(i + 1), f"tab({i})", show=False) for i in range(9)],
    ]

    def __init__(self, name: str, data: dict[str, Any], turn: int, *, export: Callable[[], object],
                 screenshot: Callable[[], object]):
        super().__init__()
        from ..widgets.charts import charts

        self.title_name = name
        self.export = export                # what e and i do (the replay's CSV and SVG writers)
        self.screenshot = screenshot
        self.data = data
        self.turn = turn
        self.charts = charts(data)

    def compose(self) -> ComposeResult:
        from ..widgets.charts import ChartView

        yield Static(Text.assemble((" CHARTS ", "bold reverse"), f"  {self.title_name}  ",
                                   ("←/→ or 1-6: the next chart · e: the series as CSV · Esc: back", "dim")),
                     id="charts-header")
        with TabbedContent(id="charts-tabs"):
            for i, c in enumerate(self.charts):
                with TabPane(f"{i + 1} {c.title}", id=f"chart-{c.key}"):
                    yield ChartView(c, self.data["turn"], self.turn)
        yield Footer()

    def on_mount(self) -> None:
        from textual.widgets import Tabs

        self.query_one(Tabs).focus()

    def action_tab(self, i: int) -> None:
        if i < len(self.charts):
            self.query_one(TabbedContent).active = f"chart-{self.charts[i].key}"

    def action_export(self) -> None:
        self.export()

    def action_screenshot(self) -> None:
        self.screenshot()

    def action_close(self) -> None:
        self.dismiss(None)
