"""What the replay screen shows at each step of a saved game, worked out without Textual.

A saved game is reviewed in *steps*: each day twice, first its start with the orders both
sides gave (``orders``), then its results (``results``). At any step the instructor picks
the *view*: the ground truth, what UA knew or what RU knew (``rules.view`` at the start of
the day for the orders, at its end for the results). Everything here comes from
``report.timeline`` (frames of the save's turns) and ``store.annotations``; the screen only
draws it (``screens/replay.py``), so it is tested without a screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rich.text import Text

from pokrovsk_tui.report.timeline import CAUSE_LABELS, TurnFrame, event_of, timeline
from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.scenario import SIDES
from pokrovsk_tui.rules.state import GameState
from pokrovsk_tui.rules.view import SideView
from pokrovsk_tui.store.annotations import annotations_at
from pokrovsk_tui.store.replay import orders_of
from pokrovsk_tui.store.savefmt import Annotation, SaveGame

from . import describe as D
from .picture import Counter, counters_truth, counters_view

STAGES = ("orders", "results")
STAGE_SHORT = {"orders": "START: ORDERS", "results": "RESULTS"}
VIEWS = ("truth", "ua", "ru")
VIEW_TITLES = {"truth": "ground truth", "ua": "what UA knew", "ru": "what RU knew"}
VIEW_SHORT = {"truth": "TRUTH", "ua": "UA VIEW", "ru": "RU VIEW"}

# the marks drawn on the map: (glyph, priority); the class is the side's (or note/surprise)
ORDER_MARKS = {
    "assault": ("⊗", 60), "infiltrate": ("⊗", 60), "raid": ("⊗", 60),
    "strike": ("◎", 50), "hunt": ("◎", 50), "fire": ("◎", 50), "bomb": ("◎", 50),
    "interdict": ("⊘", 40), "resupply": ("⇢", 30), "recon": ("○", 20),
}
MOVE_END = ("»", 15)
MOVE_PATH = ("∙", 10)
NOTE_MARK = ("✎", 100)
SURPRISE_MARK = ("!", 90)
MARK_LEGEND = [
    ("∙ »", "move: path, destination"), ("⊗", "assault, infiltration, raid"),
    ("◎", "strike, hunt, artillery, glide bombs"), ("⊘", "interdiction (road)"),
    ("⇢", "robot (UGV) runs to a unit"), ("○", "drone recon"),
    ("✎", "instructor's note"), ("!", "a surprise: a loss not seen coming"), ("•", "changed hands"),
]


@dataclass(frozen=True)
class Step:
    turn: int
    stage: str          # "orders" | "results"

    def label(self) -> str:
        return f"day {self.turn}, {'orders' if self.stage == 'orders' else 'results'}"


class Review:
    """One saved game under review: its steps and, for any step and view, what to show."""

    def __init__(self, save: SaveGame, path: str | Path | None = None):
        self.save = save
        self.path = Path(path) if path is not None else None
        self.tl = timeline(save)
        self.world = self.tl.world
        self.steps = [Step(t, s) for t in self.tl.turns for s in STAGES]
        self._orders: dict[int, dict[int, list[Order]]] = {}
        self._counters: dict[tuple[int, str, str], dict[int, Counter]] = {}

    # ----- steps -------------------------------------------------------------------------
    @property
    def first(self) -> int:
        return self.tl.first

    @property
    def last(self) -> int:
        return self.tl.last

    def index(self, turn: int, stage: str = "orders") -> int:
        turn = min(max(turn, self.first), self.last)
        return (turn - self.first) * 2 + STAGES.index(stage)

    def frame(self, step: Step) -> TurnFrame:
        return self.tl.frame(step.turn)

    def date(self, turn: int) -> dt.date:
        return self.world.scenario.start_date + dt.timedelta(days=turn - 1)

    # ----- what is on the map ------------------------------------------------------------
    def truth_state(self, step: Step) -> GameState:
        f = self.frame(step)
        return f.before if step.stage == "orders" else f.after

    def side_view(self, step: Step, who: str) -> SideView | None:
        if who == "truth":
            return None
        f = self.frame(step)
        return (f.views_before if step.stage == "orders" else f.views_after)[who]

    def digest(self, step: Step) -> str:
        """The digest of the true state shown at this step (the save's own for the results)."""
        f = self.frame(step)
        return f.digest_before if step.stage == "orders" else f.digest_after

    def control(self, step: Step, who: str) -> np.ndarray:
        v = self.side_view(step, who)
        return (v.control if v is not None else self.truth_state(step).control).copy()

    def counters(self, step: Step, who: str) -> dict[int, Counter]:
        key = (step.turn, step.stage, who)
        got = self._counters.get(key)
        if got is None:
            v = self.side_view(step, who)
            got = counters_view(self.world, v) if v is not None else counters_truth(self.world,
                                                                                     self.truth_state(step))
            self._counters[key] = got
        return got

    def orders(self, turn: int) -> dict[int, list[Order]]:
        got = self._orders.get(turn)
        if got is None:
            got = self._orders[turn] = orders_of(self.save.turns[turn - self.first])
        return got

    def sides(self, who: str) -> tuple[int, ...]:
        return (0, 1) if who == "truth" else (SIDES.index(who),)

    def changed(self, step: Step) -> frozenset[int]:
        if step.stage != "results":
            return frozenset()
        f = self.frame(step)
        return frozenset(int(h) for h in np.flatnonzero(f.before.control != f.after.control))

    def marks(self, step: Step, who: str) -> dict[int, tuple[str, str]]:
        """hex -> (glyph, class suffix): the orders at the start of the day (only the side's
        own in a side's view), the surprises in the results, the notes always."""
        g = self.world.grid
        best: dict[int, tuple[int, str, str]] = {}

        def put(h: int, glyph: str, prio: int, cls: str) -> None:
            if h < 0:
                return
            old = best.get(h)
            if old is None or prio > old[0]:
                best[h] = (prio, glyph, cls)

        if step.stage == "orders":
            before = self.frame(step).before
            for s in self.sides(who):
                cls = SIDES[s]
                for o in self.orders(step.turn)[s]:
                    try:
                        if o.kind == "move" and o.path:
                            hexes = [g.index(x) for x in o.path]
                            for h in hexes[:-1]:
                                put(h, MOVE_PATH[0], MOVE_PATH[1], cls)
                            put(hexes[-1], MOVE_END[0], MOVE_END[1], cls)
                        elif o.kind == "resupply" and o.target_unit in self.world.unit_index:
                            u = self.world.unit_index[o.target_unit]
                            if before.on_map[u]:
                                put(int(before.hex[u]), *ORDER_MARKS["resupply"], cls)
                        elif o.kind in ORDER_MARKS and o.target:
                            put(g.index(o.target), *ORDER_MARKS[o.kind], cls)
                    except (ValueError, KeyError):
                        continue
        else:
            for s in self.surprises(step, who):
                if s.get("hex"):
                    try:
                        put(g.index(s["hex"]), SURPRISE_MARK[0], SURPRISE_MARK[1], "surprise")
                    except (ValueError, KeyError):
                        pass
        for _, a in self.notes(step.turn):
            if a.hex:
                try:
                    put(g.index(a.hex), NOTE_MARK[0], NOTE_MARK[1], "note")
                except (ValueError, KeyError):
                    pass
        return {h: (glyph, cls) for h, (_, glyph, cls) in best.items()}

    # ----- lists ---------------------------------------------------------------------------
    def surprises(self, step: Step, who: str) -> list[dict[str, Any]]:
        if step.stage != "results":
            return []
        return self.frame(step).surprises_for(who)

    def events(self, step: Step, who: str) -> list[Event]:
        """The day's events as ``who`` could read them (``rules.view.events_for``: units it
        could not name at the end of the day described, never named)."""
        return [event_of(step.turn, e) for e in self.frame(step).events_for(who)]

    def order_lines(self, step: Step, who: str) -> list[tuple[str, str, Order | None]]:
        """(kind, text, order) rows for the orders list: a side's heading, its AI's intent,
        then its orders."""
        f = self.frame(step)
        rows: list[tuple[str, str, Order | None]] = []
        for s in self.sides(who):
            key = SIDES[s]
            orders = self.orders(step.turn)[s]
            player = getattr(self.save.players, key)
            rows.append(("head", f"{key.upper()} ({player.label()}): {len(orders)} order(s)", None))
            for line in f.intents.get(key, []):
                rows.append(("intent", f"intent: {line}", None))
            for o in orders:
                rows.append(("order", f"{key.upper()} {o.describe()}", o))
        return rows

    def order_hex(self, step: Step, o: Order) -> int | None:
        """Where an order points: its target, the end of its move, the unit it resupplies."""
        g = self.world.grid
        try:
            if o.kind == "move" and o.path:
                return g.index(o.path[-1])
            if o.target:
                return g.index(o.target)
            if o.kind == "resupply" and o.target_unit in self.world.unit_index:
                u = self.world.unit_index[o.target_unit]
            elif o.unit in self.world.unit_index:
                u = self.world.unit_index[o.unit]
            else:
                return None
            st = self.frame(step).before
            return int(st.hex[u]) if st.on_map[u] else None
        except (ValueError, KeyError):
            return None

    # ----- notes ---------------------------------------------------------------------------
    def notes(self, turn: int) -> list[tuple[int, Annotation]]:
        """(index, note) of a day; the set-up's (turn 0) go with the first day."""
        out = annotations_at(self.save, turn)
        if turn == self.first and self.first == 1:
            out = annotations_at(self.save, 0) + out
        return out

    def note_turns(self) -> set[int]:
        out = {a.turn for a in self.save.annotations}
        if 0 in out:
            out.add(self.first)
        return out

    def surprise_turns(self) -> set[int]:
        """Days marked "!": a side's losses to what recon could have found were large for this
        game (``report.timeline.surprise_days``)."""
        from pokrovsk_tui.report.timeline import surprise_days

        return {t for days in surprise_days(self.tl).values() for t in days}

    # ----- words -------------------------------------------------------------------------
    def day_text(self, step: Step, who: str) -> Text:
        """The Day panel: weather, the orders given or the day's results as ``who`` saw them."""
        f = self.frame(step)
        t = Text()
        t.append(f"{self.date(step.turn).strftime('%d %b %Y')}, {f.weather}\n", style="bold")
        if step.stage == "orders":
            for s in self.sides(who):
                key = SIDES[s]
                t.append(key.upper(), style=D.SIDE_STYLE[s])
                t.append(f" {len(self.orders(step.turn)[s])} orders")
                intent = f.intents.get(key, [])
                if intent:
                    t.append(f"; intent: {intent[0]}", style="italic")
                t.append("\n")
            if who != "truth":
                t.append(f"The other side's orders are not shown: {who.upper()} did not know them.\n",
                         style="dim")
            t.append("] the results", style="dim")
            return t
        for s in (0, 1):
            key = SIDES[s]
            t.append(key.upper(), style=D.SIDE_STYLE[s])
            if who not in ("truth", key):
                t.append(" losses: not known to " + who.upper() + "\n", style="dim")
                continue
            lost = f.losses[key]
            total = sum(lost.values())
            t.append(f" lost {total:.1f}")
            parts = [f"{CAUSE_LABELS[c]} {v:.1f}" for c, v in lost.items() if v >= 0.05]
            if parts:
                t.append(": " + ", ".join(parts), style="dim")
            gone = [x["unit"] for x in f.units_lost if x["side"] == key]
            if gone:
                t.append(f"; units lost: {', '.join(gone)}", style="bold")
            t.append("\n")
        ch = f.control_changes
        if ch:
            to_ua = sum(1 for c in ch if c["after"] == "ua")
            to_ru = sum(1 for c in ch if c["after"] == "ru")
            t.append(f"Hexes changed hands: {len(ch)} (to UA {to_ua}, to RU {to_ru}, "
                     f"contested {len(ch) - to_ua - to_ru})\n")
        else:
            t.append("No hex changed hands.\n")
        missed, design = f.surprise_totals(True), f.surprise_totals(False)
        shown = [k for k in SIDES if who in ("truth", k)]
        t.append("Not seen coming: ", style="bold")
        t.append(", ".join(f"{k.upper()} missed {missed[k]:.1f} (recon could have found it), "
                           f"{design[k]:.1f} unseeable by design" for k in shown) + "\n")
        vp = f.after.vp
        t.append(f"VP after the day: UA {vp[0]:.1f}, RU {vp[1]:.1f}")
        if f.after.over:
            win = {0: "UA wins", 1: "RU wins", 2: "a draw"}.get(int(f.after.winner), "over")
            t.append(f"\nThe game ended: {win}.", style="bold")
        return t

    def surprise_text(self, s: dict[str, Any]) -> Text:
        t = Text()
        t.append("A surprise for " + s["side"].upper() + "\n", style="bold")
        t.append(s["text"] + "\n\n")
        t.append("What: ", style="bold")
        t.append(f"{s.get('what', s['kind'])}\n")
        if s.get("by"):
            t.append("By: ", style="bold")
            t.append(f"{s['by']} ({(s.get('by_side') or '').upper()})\n")
        if s.get("hex"):
            t.append("Hex: ", style="bold")
            t.append(f"{s['hex']}\n")
        t.append("Strength lost: ", style="bold")
        t.append(f"{s['loss']:.1f}\n")
        t.append(f"What {s['side'].upper()} knew of it at the start of the day: ", style="bold")
        t.append(f"{s.get('known', '')}\n")
        t.append("Missed or unseeable? ", style="bold")
        t.append(("missed: " if s.get("missed") else "could not be seen by design: ") + f"{s.get('why_unseen', '')}\n")
        t.append("\nA surprise is a loss from something the side's view did not show at the start of the "
                 "day. Missed: fires from units it had not detected, assaults by attackers it had not "
                 "detected (recon could have found them). Unseeable by design: glide bombs, kill zones and "
                 "robots lost to enemy fire control (never shown to a side).", style="dim")
        return t

    def notes_text(self, step: Step) -> Text:
        t = Text()
        notes = self.notes(step.turn)
        if not notes:
            t.append("No note on this day. n adds one.", style="dim")
            return t
        for k, (i, a) in enumerate(notes):
            if k:
                t.append("\n")
            where = "set-up" if a.turn == 0 else f"day {a.turn}"
            if a.hex:
                where += f", hex {a.hex}"
            t.append(f"#{i + 1} ", style="bold")
            t.append(f"({where}{', ' + a.author if a.author else ''}) ", style="dim")
            t.append(a.text)
        return t


def output_path(save_path: Path, suffix: str) -> Path:
    """A file beside the save: ``game.toml`` -> ``game-series.csv`` etc."""
    return save_path.with_name(f"{save_path.stem}{suffix}")
