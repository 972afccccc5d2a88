"""Reference adjudicator: RULES.md in plain Python, the executable specification of the game.

``reference_resolve_turn(world, state, orders_by_side, dice)`` has the contract of
``engine.resolve_turn``: the orders are validated (refused orders become "refused" events
first, and their units hold), the turn is resolved phase by phase, and a new state and the
turn's events are returned; the caller's state is not changed.

It is written to be read against RULES.md, not to be fast: loops over units, hexes and
missions, Python floats, lists and dicts, a heapq Dijkstra. It shares with the numpy engine
only the static World (terrain, unit types, hex distances), order validation and the dice: it
draws its uniforms from ``dice.uniform(turn, phase, stream, (1, ...))`` with the engine's
(phase, stream) keys and shapes, so it sees exactly the draws of the engine's replication 0.
Tests play many games through both and require the same states and events.

Where a threshold depends on a float (combat ratio columns, supply and removal limits), the
arithmetic is written in the same order as the engine's, so both land on the same side of it.

The phases mirror the engine's file for file: ``reference_sense.py`` (weather, detection,
jamming) for ``phase_sense.py``, ``reference_fires.py``, ``reference_move.py``,
``reference_combat.py``, ``reference_supply.py`` (logistics) and ``reference_end.py`` (recovery,
control and victory) for ``phase_fires.py`` ... ``phase_end.py``; ``reference_day.py`` (the day
being resolved) mirrors ``work.py``, and this file mirrors ``engine.py`` (the turn). Each
phase function's docstring states its rules in words.
"""

from __future__ import annotations

from .dice import Dice
from .events import Event
from .orders import Order, OrderContext, validate
from .reference_combat import combat
from .reference_day import Day
from .reference_end import control_and_victory, recovery
from .reference_fires import fires
from .reference_move import movement
from .reference_sense import detection, weather
from .reference_supply import logistics
from .scenario import SIDES
from .state import GameState
from .world import World


def reference_resolve_turn(world: World, state: GameState, orders_by_side: dict[int, list[Order]], dice: Dice
                           ) -> tuple[GameState, list[Event]]:
    """One turn of one game, phase by phase as RULES.md orders them."""
    if state.over:
        raise ValueError("the game is over")
    events: list[Event] = []
    accepted: dict[int, list[Order]] = {}
    for s in (0, 1):
        ctx = OrderContext(world=world, side=s, turn=state.turn, on_map=state.on_map & (world.u_side == s),
                           hex=state.hex, stock=state.stock, supply=state.supply, control=state.control)
        accepted[s], refused = validate(ctx, list(orders_by_side.get(s, [])))
        events += [Event(turn=state.turn, phase="orders", kind="refused", text=f"Order refused: {r}",
                         visible_to=(SIDES[s],), units=(r.order.unit,) if r.order.unit else (),
                         why={"reason": r.reason}) for r in refused]
    d = Day(world, state, accepted, dice, events)
    weather(d)
    detection(d)
    fires(d)
    movement(d)
    combat(d)
    logistics(d)
    recovery(d)
    control_and_victory(d)
    return d.finish(state), events
