"""The adjudication engine: resolves both sides' orders at once, K replications in one call.

``resolve_turn(world, state, orders_by_side, dice)`` is the face the game uses;
``resolve_batch`` is the same turn for a (K, ...) batch, which Monte Carlo uses. Each phase
lives in its own module and works on a ``Work`` holding copies of the state's arrays plus the
turn's scratch layers; nothing in the caller's state is changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import numpy as np

from . import phase_combat, phase_end, phase_fires, phase_move, phase_sense, phase_supply
from .dice import Dice
from .events import Event
from .orders import CompiledOrders, Order, OrderContext, Refusal, compile_orders, validate
from .scenario import SIDES
from .state import ARRAY_FIELDS, GameState
from .world import CAUSES, World


class Work:
    """Mutable working copy of a batched state for one turn, plus scratch layers."""

    def __init__(self, world: World, state: GameState, co: CompiledOrders, dice: Dice,
                 events: list[Event] | None):
        self.world = world
        self.p = world.params
        self.co = co
        self.dice = dice
        self.turn = state.turn
        self.events = events
        for f in ARRAY_FIELDS:
            setattr(self, f, getattr(state, f).copy())
        K, U = self.hex.shape
        n = world.grid.n
        self.K, self.U, self.n = K, U, n
        self.v = np.ones(K)
        self.fc_total = np.zeros((K, 2, n))           # interdiction F + today's patrol field
        self.loss = np.zeros((K, U, len(CAUSES)))     # strength lost today by cause
        self.fought = np.zeros((K, U), bool)
        self.moved = np.zeros((K, U), bool)
        self.reach = np.zeros((K, 2, n), bool)        # hexes with a supply path, by side
        self.delivered = np.zeros((K, U))

    @property
    def live(self) -> np.ndarray:
        return self.on_map & (self.strength > 0)

    def hurt(self, amount: np.ndarray, cause: str) -> np.ndarray:
        """Take (K, U) strength away for a cause; returns what was actually lost."""
        taken = np.minimum(np.maximum(amount, 0.0), self.strength)
        self.strength = self.strength - taken
        self.loss[:, :, CAUSES.index(cause)] += taken
        return taken

    def emit(self, phase: str, kind: str, text: str, *, side: int | None = None, hex: int | None = None,
             units=(), why=None) -> None:
        if self.events is None:
            return
        g = self.world.grid
        self.events.append(Event(
            turn=self.turn, phase=phase, kind=kind, text="", template=text,
            visible_to=(SIDES[side],) if side is not None else ("ua", "ru"),
            hex=g.hex_id(hex) if hex is not None and hex >= 0 else None,
            units=tuple(self.world.unit_ids[u] for u in units), why=why or {}))

    def finish(self, state: GameState) -> GameState:
        return dataclasses.replace(state, turn=self.turn + 1,
                                   **{f: getattr(self, f) for f in ARRAY_FIELDS})


def resolve_batch(world: World, state: GameState, co: CompiledOrders, dice: Dice,
                  events: list[Event] | None = None, delivery: np.ndarray | None = None) -> GameState:
    """Resolve the state's turn for every replication of a batched state.

    ``delivery`` ((U,) supply each unit slot receives) replaces the logistics phase, whose
    path searches dominate a batch's cost, by a flat step: each live unit gets that supply,
    consumes as the rules say, and nobody becomes isolated. The computer's cheap look-ahead;
    every other phase is the engine's own."""
    w = Work(world, state, co, dice, events)
    phase_sense.weather(w)
    phase_sense.detection(w)
    phase_fires.fires(w)
    phase_move.movement(w)
    phase_combat.combat(w)
    if delivery is None:
        phase_supply.logistics(w)
    else:
        phase_supply.flat_logistics(w, delivery)
    phase_end.recovery(w)
    phase_end.control_and_victory(w)
    return w.finish(state)


def context(world: World, state: GameState, side: int) -> OrderContext:
    own = world.u_side == side
    return OrderContext(world=world, side=side, turn=state.turn, on_map=state.on_map & own,
                        hex=state.hex, stock=state.stock, supply=state.supply, control=state.control)


def check_orders(world: World, state: GameState, orders_by_side: dict[int, list[Order]],
                 waive: Iterable[str] = ()) -> tuple[dict[int, list[Order]], list[tuple[int, Refusal]]]:
    accepted: dict[int, list[Order]] = {}
    refused: list[tuple[int, Refusal]] = []
    for side in (0, 1):
        ok, bad = validate(context(world, state, side), list(orders_by_side.get(side, [])), waive)
        accepted[side] = ok
        refused += [(side, r) for r in bad]
    return accepted, refused


def resolve_turn(world: World, state: GameState, orders_by_side: dict[int, list[Order]], dice: Dice,
                 waive: Iterable[str] = ()) -> tuple[GameState, list[Event]]:
    """One turn of one game: validate, resolve, return the new state and the events.

    Refused orders are dropped (the unit holds) and reported as events to their side.
    ``waive``: target rules not applied (replaying a turn played before they existed).
    """
    if state.over:
        raise ValueError("the game is over")
    accepted, refused = check_orders(world, state, orders_by_side, waive)
    events: list[Event] = [
        Event(turn=state.turn, phase="orders", kind="refused", text=f"Order refused: {r}",
              visible_to=(SIDES[side],), units=(r.order.unit,) if r.order.unit else (),
              why={"reason": r.reason})
        for side, r in refused]
    co = compile_orders(world, accepted)
    batch = resolve_batch(world, state.batched(1), co, dice, events)
    return batch.replica(0), events
