"""A game in progress, free of any UI: the world, the state, the history of resolved turns,
the orders being written for the coming turn (with undo and redo), the mode and the players.

The Textual app drives one ``GameSession``; saving a game is handing this object to the
store (see ``game/persist.py``). Nothing here imports Textual.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.orders import GROUND_KINDS, Order, Refusal, validate
from pokrovsk_tui.rules.state import GameState, initial_state
from pokrovsk_tui.rules.view import SideView, events_for, view
from pokrovsk_tui.rules.world import World

MODES = ("solo", "hotseat", "watch")
MODE_LABELS = {"solo": "solo against the computer", "hotseat": "hot-seat", "watch": "computer against computer"}
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


@dataclass
class TurnRecord:
    """One resolved turn: the orders as given, the AI's intents, the events, the state after."""

    turn: int
    orders: dict[int, list[Order]]
    events: list[Event]
    state: GameState
    intents: dict[int, list[str]] = field(default_factory=dict)


class OrderBook:
    """The orders one side is writing for the coming turn, with undo and redo.

    A ground order (hold, move, assault, ...) replaces the unit's earlier ground order; a
    support order (a mission, a resupply, a fire, a bomb) replaces an earlier one of the same
    unit, kind and target, and is added otherwise.
    """

    def __init__(self, orders: list[Order] | None = None):
        self.orders: list[Order] = list(orders or [])
        self._undo: list[list[Order]] = []
        self._redo: list[list[Order]] = []

    def __len__(self) -> int:
        return len(self.orders)

    def __iter__(self):
        return iter(self.orders)

    @staticmethod
    def same_slot(a: Order, b: Order) -> bool:
        if a.unit != b.unit:
            return False
        if a.kind in GROUND_KINDS and b.kind in GROUND_KINDS:
            return a.unit is not None
        return a.kind == b.kind and a.target == b.target and a.target_unit == b.target_unit

    def with_order(self, order: Order) -> tuple[list[Order], int | None]:
        """The list as it would be with ``order`` in it, and the index it replaced (or None)."""
        out = list(self.orders)
        for i, o in enumerate(out):
            if self.same_slot(o, order):
                out[i] = order
                return out, i
        out.append(order)
        return out, None

    def _push(self) -> None:
        self._undo.append(list(self.orders))
        self._redo.clear()

    def add(self, order: Order) -> int | None:
        new, replaced = self.with_order(order)
        self._push()
        self.orders = new
        return replaced

    def remove(self, index: int) -> Order:
        self._push()
        return self.orders.pop(index)

    def clear(self) -> None:
        if self.orders:
            self._push()
            self.orders = []

    def replace_all(self, orders: list[Order]) -> None:
        self._push()
        self.orders = list(orders)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> bool:
        if not self._undo:
            return False
        self._redo.append(self.orders)
        self.orders = self._undo.pop()
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        self._undo.append(self.orders)
        self.orders = self._redo.pop()
        return True

    def for_unit(self, unit: str) -> list[Order]:
        return [o for o in self.orders if o.unit == unit]


def plan_ai(level: str, v: SideView, rng: np.random.Generator) -> tuple[list[Order], list[str]]:
    """The computer's orders for a side, and its stated intent when the AI gives one.

    Uses ``pokrovsk_tui.ai.decide(level, view, rng)`` when the AI package provides it
    (returning orders and an intent), else the policy of that name in ``POLICIES``.
    """
    try:
        from pokrovsk_tui import ai as ai_pkg

        decide = getattr(ai_pkg, "decide", None)
    except ImportError:     # pragma: no cover - the package always exists
        decide = None
    if decide is not None:
        try:
            res = decide(level, v, rng)
        except TypeError:
            res = None
        if res is not None:
            orders, intent = _split_decision(res)
            return orders, intent
    from pokrovsk_tui.ai.policies import POLICIES

    policy = POLICIES.get(level) or POLICIES[default_ai_level()]
    return list(policy(v, rng)), []


def _split_decision(res) -> tuple[list[Order], list[str]]:
    orders = getattr(res, "orders", None)
    intent = getattr(res, "intent", None)
    if orders is None and isinstance(res, tuple) and len(res) == 2:
        orders, intent = res
    if orders is None:
        orders = res
    if intent is None:
        intent = []
    elif isinstance(intent, str):
        intent = [intent]
    else:
        intent = [str(x) for x in intent]
    return list(orders), intent


def policy_rng(seed: int, turn: int, side: int) -> np.random.Generator:
    from pokrovsk_tui.ai.policies import policy_rng as prng

    return prng(seed, turn, side)


class GameSession:
    """One game: everything a save needs and everything the screens read."""

    def __init__(self, world: World, *, scenario_ref: str, seed: int, mode: str, players: tuple[Player, Player],
                 initial: GameState | None = None, history: list[TurnRecord] | None = None,
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
        self.history: list[TurnRecord] = list(history or [])
        self.books = {0: OrderBook((pending or {}).get(0)), 1: OrderBook((pending or {}).get(1))}
        self.done: dict[int, bool] = {0: False, 1: False}     # side has finished its orders this turn
        self.intents: dict[int, list[str]] = {0: [], 1: []}
        self.name = name or f"{world.scenario.id} seed {self.seed}"
        self.dice = Dice(self.seed)
        self.save_path = None          # where the player last saved it (a Path), if anywhere
        self.unsaved = False           # orders or turns since the last save or autosave

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

    def accepted(self, side: int) -> tuple[list[Order], list[Refusal]]:
        return validate(self.view(side).context(), list(self.books[side].orders))

    # ----- turn ---------------------------------------------------------------------------
    def plan_ai(self, side: int) -> None:
        v = self.view(side)
        orders, intent = plan_ai(self.players[side].level, v, policy_rng(self.seed, self.turn, side))
        self.books[side] = OrderBook(orders)
        self.intents[side] = intent
        self.done[side] = True

    def ready(self) -> bool:
        return all(self.done.values())

    def resolve(self, progress: Callable[[str], None] | None = None) -> TurnRecord:
        """Plan for the computer's sides that have not planned, then resolve the turn."""
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
        turn = self.turn
        state, events = resolve_turn(self.world, self.state, orders, self.dice)
        rec = TurnRecord(turn=turn, orders=orders, events=events, state=state,
                         intents={s: list(self.intents[s]) for s in (0, 1) if self.intents[s]})
        self.history.append(rec)
        self.books = {0: OrderBook(), 1: OrderBook()}
        self.done = {0: False, 1: False}
        self.intents = {0: [], 1: []}
        self.unsaved = True
        return rec

    def previous_state(self, record: TurnRecord) -> GameState:
        i = self.history.index(record)
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
