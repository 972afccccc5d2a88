"""The adjudication engine: resolves both sides' orders at once, K replications in one call.

``resolve_turn(world, state, orders_by_side, dice)`` is the face the game uses;
``resolve_batch`` is the same turn for a (K, ...) batch, which Monte Carlo uses. Each phase
lives in its own module and works on a ``Work`` (rules/work.py) holding copies of the state's
arrays plus the turn's scratch layers; nothing in the caller's state is changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from . import phase_combat, phase_end, phase_fires, phase_move, phase_sense, phase_supply
from .arrays import Floats
from .dice import Dice
from .events import Event
from .orders import (
    CompiledOrders,
    Order,
    OrderContext,
    Refusal,
    compile_orders,
    stack_orders,
    validate,
)
from .scenario import SIDES
from .state import ARRAY_FIELDS, GameState
from .work import Phase, Work
from .world import World

# The day's phases, in order: the engine, Monte Carlo (through resolve_batch), the AI's
# look-ahead (resolve_batch given a delivery) and the order previews (rules/odds.py) all run
# this one list. Each phase is named by its function's __name__.
PHASES: tuple[Phase, ...] = (
    phase_sense.weather,
    phase_sense.detection,
    phase_fires.fires,
    phase_move.movement,
    phase_combat.combat,
    phase_supply.logistics,
    phase_end.recovery,
    phase_end.control_and_victory,
)


def day_phases(delivery: Floats | None = None) -> tuple[Phase, ...]:
    """``PHASES``, with the logistics phase replaced by the flat step when ``delivery`` is given."""
    if delivery is None:
        return PHASES

    def logistics(w: Work) -> None:
        phase_supply.flat_logistics(w, delivery)

    return tuple(logistics if ph is phase_supply.logistics else ph for ph in PHASES)


def run_phases(w: Work, phases: tuple[Phase, ...] = PHASES, through: str | None = None) -> None:
    """Run ``phases`` on ``w`` in order, stopping after the one named ``through`` if given."""
    for phase in phases:
        phase(w)
        if phase.__name__ == through:
            break


def resolve_batch(world: World, state: GameState, co: CompiledOrders, dice: Dice,
                  events: list[Event] | None = None, delivery: Floats | None = None) -> GameState:
    """Resolve the state's turn for every replication of a batched state.

    ``delivery`` ((U,) supply each unit slot receives) replaces the logistics phase, whose
    path searches dominate a batch's cost, by a flat step: each live unit gets that supply,
    consumes as the rules say, and nobody becomes isolated. The computer's cheap look-ahead;
    every other phase is the engine's own."""
    w = Work(world, state, co, dice, events)
    run_phases(w, day_phases(delivery))
    return w.finish(state)


def stack_plans(world: World, plans: list[CompiledOrders], rows: int) -> tuple[CompiledOrders, dict[tuple[str, str], tuple[int, ...]]]:
    """Several plans' orders for one batch of ``rows`` replications per plan (``stack_orders``)
    and each plan's count of the columns of the streams drawn per order, for ``BlockDice``:
    ``resolve_batch(world, joined, co, BlockDice(seed, rows, columns))`` resolves every block
    exactly as ``resolve_batch(world, block, plan, Dice(seed))`` would."""
    groups = tuple(phase_combat.groups(world, c)[0].size for c in plans)
    columns = {("fires", "missions"): tuple(c.m_kind.size for c in plans),
               ("logistics", "ugv"): tuple(c.r_unit.size for c in plans)}
    columns |= {("combat", s): groups for s in ("die", "att_loss", "def_loss", "going")}
    return stack_orders(plans, rows), columns


def context(world: World, state: GameState, side: int) -> OrderContext:
    own = world.u_side == side
    return OrderContext(world=world, side=side, turn=state.turn, on_map=state.on_map & own,
                        hex=state.hex, stock=state.stock, supply=state.supply, control=state.control)


# the orders each side may give as the engine accepts them, and the refusals by side
Checked = tuple[dict[int, list[Order]], list[tuple[int, Refusal]]]


def check_orders(world: World, state: GameState, orders_by_side: dict[int, list[Order]],
                 waive: Iterable[str] = ()) -> Checked:
    accepted: dict[int, list[Order]] = {}
    refused: list[tuple[int, Refusal]] = []
    for side in (0, 1):
        ok, bad = validate(context(world, state, side), list(orders_by_side.get(side, [])), waive)
        accepted[side] = ok
        refused += [(side, r) for r in bad]
    return accepted, refused


def resolve_turn(world: World, state: GameState, orders_by_side: dict[int, list[Order]], dice: Dice,
                 waive: Iterable[str] = (), checked: Checked | None = None) -> tuple[GameState, list[Event]]:
    """One turn of one game: validate, resolve, return the new state and the events.

    Refused orders are dropped (the unit holds) and reported as events to their side.
    ``waive``: target rules not applied (replaying a turn played before they existed).
    ``checked``: what ``check_orders(world, state, orders_by_side, waive)`` gives, when the
    caller has worked it out already (verifying a save whose loading checked every turn).
    """
    if state.over:
        raise ValueError("the game is over")
    accepted, refused = checked if checked is not None else check_orders(world, state, orders_by_side, waive)
    events: list[Event] = [
        Event(turn=state.turn, phase="orders", kind="refused", text=f"Order refused: {r}",
              visible_to=(SIDES[side],), units=(r.order.unit,) if r.order.unit else (),
              why={"reason": r.reason})
        for side, r in refused]
    co = compile_orders(world, accepted)
    # a batch of one as views: Work copies the arrays it changes, and the result's arrays are
    # new, so neither side needs a copy of its own
    one = dataclasses.replace(state, **{f: getattr(state, f)[None] for f in ARRAY_FIELDS})
    batch = resolve_batch(world, one, co, dice, events)
    return dataclasses.replace(batch, **{f: getattr(batch, f)[0] for f in ARRAY_FIELDS}), events
