"""A game in progress, free of any UI: the world, the state, the history of resolved turns,
the orders being written for the coming turn (with undo, redo and a validated replace), the
mode, the players and the flow of a day (who gives orders next, when the day is resolved).

The Textual app drives one ``GameSession``: its screens show the session and ask it; they
never edit its orders or decide whose turn it is themselves. Saving a game is handing this
object to the store (see ``game/persist.py``). Nothing here imports Textual.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pokrovsk_tui.game.history import History
from pokrovsk_tui.game.loop import TurnRecord, decide, play_day, policy_rng
from pokrovsk_tui.game.orderbook import OrderBook
from pokrovsk_tui.rules.budgets import budget_left
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.legal import COUNTED
from pokrovsk_tui.rules.orders import Order, Refusal, validate
from pokrovsk_tui.rules.state import GameState, initial_state
from pokrovsk_tui.rules.view import SideView, events_for, view
from pokrovsk_tui.rules.world import World

if TYPE_CHECKING:
    from pokrovsk_tui.store.savefmt import SaveGame

MODES = ("solo", "hotseat", "watch")
SIDE_NAMES = ("Ukraine", "Russia")
SIDE_ADJ = ("Ukrainian", "Russian")
DEFAULT_AI = "normal"


def ai_levels() -> list[str]:
    """The AI levels available now, in order of strength where known."""
    from pokrovsk_tui.ai.policies import POLICIES

    order = ["easy", "normal", "hard", "random", "hold"]
    names = list(POLICIES)
    return sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n))


def default_ai_level() -> str:
    levels = ai_levels()
    return DEFAULT_AI if DEFAULT_AI in levels else ("random" if "random" in levels else levels[0])


def random_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)


@dataclass
class Player:
    """Who plays a side: a human (with a name) or the computer (with a level)."""

    kind: str            # "human" or "ai"
    name: str = ""
    level: str = ""

    @property
    def human(self) -> bool:
        return self.kind == "human"

    def label(self, side: int) -> str:
        if self.human:
            return self.name or f"the {SIDE_ADJ[side]} player"
        return f"computer ({self.level})"


# what comes next, said by ``opening``, ``finish_orders`` and ``after_day``
ORDERS = "orders"        # solo: ``side``'s player starts the day's orders
HANDOFF = "handoff"      # hot-seat: hand the screen to ``side``'s player
RESOLVE = "resolve"      # every side has its orders: resolve the day
RESULTS = "results"      # solo: show ``side`` the day's results
OVER = "over"            # the game is over: the result
PLAY_ON = "play_on"      # watch: the next day when the clock says so


@dataclass(frozen=True)
class Next:
    """What the game does next, and for which side (HANDOFF, RESULTS) if it matters."""

    kind: str
    side: int | None = None


class GameSession:
    """One game: everything a save needs and everything the screens read."""

    def __init__(self, world: World, *, scenario_ref: str, seed: int, mode: str, players: tuple[Player, Player],
                 initial: GameState | None = None, history: list[TurnRecord] | History | None = None,
                 pending: dict[int, list[Order]] | None = None, name: str = "",
                 scenario_text: str | None = None):
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r} (one of {', '.join(MODES)})")
        self.world = world
        self.scenario_ref = scenario_ref
        self.scenario_text = scenario_text
        self.seed = int(seed)
        self.mode = mode
        self.players = players
        self.initial = initial if initial is not None else initial_state(world)
        # each turn kept once: a turn in the save document is decoded from it when read
        self.history = history if isinstance(history, History) else History(world, history or ())
        self.books = {0: OrderBook((pending or {}).get(0)), 1: OrderBook((pending or {}).get(1))}
        self.done: dict[int, bool] = {0: False, 1: False}     # side has finished its orders this turn
        self.intents: dict[int, list[str]] = {0: [], 1: []}
        self.name = name or f"{world.scenario.id} seed {self.seed}"
        self.dice = Dice(self.seed)
        self.save_path: Path | None = None     # where the player last saved it, if anywhere
        self.unsaved = False           # orders or turns since the last save or autosave
        # the save document this game was read from or last written to (``persist.to_save``
        # appends only the turns played since); None until it is first saved
        self.save_doc: SaveGame | None = None

    # ----- reading ------------------------------------------------------------------------
    @property
    def state(self) -> GameState:
        return self.history[-1].state if self.history else self.initial

    @property
    def turn(self) -> int:
        return int(self.state.turn)

    @property
    def over(self) -> bool:
        return self.state.over

    @property
    def last(self) -> TurnRecord | None:
        return self.history[-1] if self.history else None

    def view(self, side: int) -> SideView:
        return view(self.world, self.state, side)

    def human_sides(self) -> list[int]:
        return [s for s in (0, 1) if self.players[s].human]

    def ai_sides(self) -> list[int]:
        return [s for s in (0, 1) if not self.players[s].human]

    def events_for(self, side: int | None, record: TurnRecord | None = None) -> list[Event]:
        """Events of one turn (the latest by default) as a side may read them (``rules.view.
        events_for`` with what it knew after that turn); all of them, unmasked, for None."""
        rec = record if record is not None else self.last
        if rec is None:
            return []
        if side is None:
            return list(rec.events)
        return events_for(view(self.world, rec.state, side), rec.events)

    def date_of(self, turn: int):
        import datetime as dt

        return self.world.scenario.start_date + dt.timedelta(days=max(turn, 1) - 1)

    # ----- orders -------------------------------------------------------------------------
    def try_order(self, side: int, order: Order) -> Refusal | None:
        """Check an order against the side's orders so far, as the engine will; None if fine."""
        candidate, _ = self.books[side].with_order(order)
        _, bad = validate(self.view(side).context(), candidate)
        for r in bad:
            if r.order == order or (r.order.unit == order.unit and r.order.kind == order.kind
                                    and r.order.target == order.target):
                return r
        return None

    def give(self, side: int, order: Order) -> Refusal | None:
        """Add (or replace) an order if the engine accepts it; the refusal otherwise."""
        refusal = self.try_order(side, order)
        if refusal is not None:
            return refusal
        self.books[side].add(order)
        self.unsaved = True
        return None

    def replace(self, side: int, old: Order, new: Order) -> Refusal | None:
        """Replace ``old`` (an order being edited) by ``new``, as one undo step, if the engine
        accepts ``new`` among the side's other orders; the refusal (``.reason`` says why) and
        nothing changed otherwise. ``old`` no longer in the book: the same as ``give``."""
        book = self.books[side]
        if old not in book.orders:
            return self.give(side, new)
        trial = OrderBook([o for o in book.orders if o != old])
        trial.add(new)
        _, bad = validate(self.view(side).context(), trial.orders)
        mine = [r for r in bad if r.order == new]
        if mine:
            return mine[0]
        book.replace_all(trial.orders)
        self.unsaved = True
        return None

    def remove_order(self, side: int, index: int) -> Order:
        """Delete the side's order at ``index`` (undoable); the order deleted."""
        out = self.books[side].remove(index)
        self.unsaved = True
        return out

    def undo(self, side: int) -> bool:
        """Undo the side's last change to its orders; False when there is none."""
        if self.books[side].undo():
            self.unsaved = True
            return True
        return False

    def redo(self, side: int) -> bool:
        """Redo the side's last undone change; False when there is none."""
        if self.books[side].redo():
            self.unsaved = True
            return True
        return False

    def count_left(self, side: int, unit: int | None, kind: str, probe: Order, editing: Order | None = None) -> int:
        """How many sorties, fires, runs or bombs ``probe`` (a counted order of ``unit``) may
        use: the budget left by the side's other orders, counting back what the order it
        would replace (or ``editing``, the order being edited) uses."""
        book = self.books[side]
        replacing = next((o for o in book.orders if book.same_slot(o, probe)), None)
        if editing is not None and replacing is None and book.same_slot(editing, probe):
            replacing = editing
        elif editing is not None and editing.unit == probe.unit and editing.kind in COUNTED:
            replacing = editing if replacing is None else replacing
        return budget_left(self.view(side), list(book.orders), unit, kind, replacing)

    def accepted(self, side: int) -> tuple[list[Order], list[Refusal]]:
        return validate(self.view(side).context(), list(self.books[side].orders))

    # ----- whose turn ---------------------------------------------------------------------
    def opening_side(self) -> int | None:
        """The side whose view a game opens on: solo, the player's; hot-seat, the first side
        still to give orders (a game saved at a handoff resumes there); watch, None."""
        if self.mode == "solo":
            return self.human_sides()[0]
        if self.mode == "hotseat":
            return next((s for s in (0, 1) if not self.done[s]), 0)
        return None

    def opening(self) -> Next:
        """What a game shows first when it opens: OVER for a finished game (its result);
        hot-seat, HANDOFF to the ``opening_side`` (a game saved at a handoff resumes there);
        solo, the player's ORDERS (the start of a day); watch, PLAY_ON."""
        if self.over:
            return Next(OVER)
        if self.mode == "hotseat":
            return Next(HANDOFF, self.opening_side())
        if self.mode == "solo":
            return Next(ORDERS, self.opening_side())
        return Next(PLAY_ON)

    def finished(self, side: int) -> bool:
        """The side has finished its orders for this day."""
        return self.done.get(side, False)

    def what_follows(self, side: int) -> Next:
        """What finishing ``side``'s orders would lead to, without finishing them."""
        if self.over:
            return Next(OVER)
        others = [x for x in self.human_sides() if x != side and not self.done[x]]
        return Next(HANDOFF, others[0]) if others else Next(RESOLVE)

    def finish_orders(self, side: int, intent: str | None = None) -> Next:
        """``side`` has given its orders for the day (with its stated intent, if any): HANDOFF
        to the other human side still to give orders, else RESOLVE (then ``resolve``); OVER
        for a game already over (nothing changes)."""
        nxt = self.what_follows(side)
        if nxt.kind == OVER:
            return nxt
        if intent:
            self.intents[side] = [intent]
        self.done[side] = True
        self.unsaved = True
        return nxt

    def reopen_orders(self) -> None:
        """The day could not be resolved: every side gives (or keeps) its orders again."""
        self.done = {0: False, 1: False}

    def after_day(self, record: TurnRecord | None = None) -> Next:
        """What follows a resolved day: OVER once the game is over; hot-seat, HANDOFF to the
        Ukrainian player (each side sees its results first); solo, the player's RESULTS;
        watch, PLAY_ON."""
        if self.over:
            return Next(RESULTS, self.human_sides()[0]) if self.mode == "solo" else Next(OVER)
        if self.mode == "hotseat":
            return Next(HANDOFF, 0)
        if self.mode == "solo":
            return Next(RESULTS, self.human_sides()[0])
        return Next(PLAY_ON)

    # ----- saving -------------------------------------------------------------------------
    def saved(self, path: Path | None = None) -> None:
        """The game as it stands is kept: saved to ``path`` (where it is saved from now on),
        or autosaved when None. Nothing is unsaved until the next order or day."""
        if path is not None:
            self.save_path = path
        self.unsaved = False

    # ----- turn ---------------------------------------------------------------------------
    def plan_ai(self, side: int) -> None:
        """The computer's orders (and intent) for ``side``, through the one way to ask a
        policy (``loop.decide``); an unknown level plays at the default one."""
        level = self.players[side].level
        if level not in ai_levels():
            level = default_ai_level()
        orders, intent = decide(level, self.view(side), policy_rng(self.seed, self.turn, side))
        self.books[side] = OrderBook(orders)
        self.intents[side] = intent
        self.done[side] = True

    def ready(self) -> bool:
        return all(self.done.values())

    def resolve(self, progress: Callable[[str], None] | None = None) -> TurnRecord:
        """Plan for the computer's sides that have not planned, then resolve the turn
        (``loop.play_day``)."""
        if self.over:
            raise ValueError("the game is over")
        for s in self.ai_sides():
            if not self.done[s]:
                if progress:
                    progress(f"The {SIDE_ADJ[s]} computer is planning")
                self.plan_ai(s)
        if progress:
            progress("Resolving the day")
        orders = {s: list(self.books[s].orders) for s in (0, 1)}
        rec = play_day(self.world, self.state, self.dice, orders, self.intents)
        self.history.append(rec)
        self.books = {0: OrderBook(), 1: OrderBook()}
        self.done = {0: False, 1: False}
        self.intents = {0: [], 1: []}
        self.unsaved = True
        return rec

    def previous_state(self, record: TurnRecord) -> GameState:
        i = self.history.index(record)       # by its turn
        return self.history[i - 1].state if i > 0 else self.initial


def new_session(scenario_ref: str, *, mode: str = "solo", side: int = 0, ai_level: str | None = None,
                seed: int | None = None, names: tuple[str, str] = ("", ""),
                watch_levels: tuple[str | None, str | None] = (None, None)) -> GameSession:
    """A fresh game of a bundled scenario id or a scenario file; raises ScenarioError.

    ``ai_level`` is the computer's level (solo: the opponent; watch: both sides, unless
    ``watch_levels`` names a side's own level)."""
    from pokrovsk_tui.rules.world import build_world
    from pokrovsk_tui.store.scenarios import load_scenario, resolve_ref

    scn = load_scenario(scenario_ref)
    try:
        text = resolve_ref(scenario_ref).read_text(encoding="utf-8")
    except OSError:
        text = None
    world = build_world(scn)
    level = ai_level or default_ai_level()
    if mode == "solo":
        players = tuple(Player("human", names[s]) if s == side else Player("ai", level=level) for s in (0, 1))
    elif mode == "hotseat":
        players = (Player("human", names[0]), Player("human", names[1]))
    else:
        players = tuple(Player("ai", level=watch_levels[s] or level) for s in (0, 1))
    return GameSession(world, scenario_ref=scn.id, seed=random_seed() if seed is None else seed, mode=mode,
                       players=players, scenario_text=text)  # type: ignore[arg-type]
