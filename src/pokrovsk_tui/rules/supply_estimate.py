"""What a day's logistics would deliver to each unit, without playing the day.

``deliveries`` runs the logistics phase itself (rules/phase_supply.py ``logistics``: trucks
that stop at ``supply_block_fc`` of enemy fire control and keep their ``truck_standoff`` from
enemy ground, source capacities, HQs that relay only what reaches them) on a one-replication
working copy of a state, and reads what each unit received. ``side_deliveries`` does it on a
side's believed state (rules/belief.py), which is how the computer commander expects its own
units to be supplied. Robots run only on orders: with no orders given here, none run, and what
is returned is the trucks' and HQs' share; the robot runs of a plan are the plan's to add.
``side_deliveries`` works out that share for the side's own units only (the phase's own
functions, ``truck_layers`` and ``road_deliveries``, for its side): the enemy's supply paths,
isolation and the day's consumption are not looked at.
"""

from __future__ import annotations

import numpy as np

from .belief import believed_state
from .dice import Dice
from .orders import CompiledOrders, no_orders
from .phase_supply import (
    hex_costs,
    logistics,
    no_trucks,
    provisional_control,
    road_deliveries,
    truck_layers,
)
from .state import GameState
from .view import SideView
from .work import Work
from .world import World


def deliveries(world: World, state: GameState, fire_control: np.ndarray,
               co: CompiledOrders | None = None) -> np.ndarray:
    """(U,) supply each unit slot of ``state`` (one game, not a batch) would receive in today's
    logistics phase, with ``fire_control`` ((2, n), by side: the fire control each side lays on
    the map today, the fires phase's total) and the robot runs of ``co`` (none if not given).
    Units off the map receive 0. ``state`` is not changed."""
    if state.hex.ndim != 1:
        raise ValueError("deliveries takes one game state, not a batch")
    fc = np.asarray(fire_control, float)
    if fc.shape != (2, world.grid.n):
        raise ValueError(f"fire_control must be (2, {world.grid.n}) by side, not {fc.shape}")
    w = _one_game(world, state, fc, co)
    logistics(w)
    return w.delivered[0].copy()


def _one_game(world: World, state: GameState, fc: np.ndarray, co: CompiledOrders | None = None) -> Work:
    """A one-replication working copy of ``state`` as the logistics phase finds it, with the
    day's fire control ``fc`` ((2, n)) and the robot runs of ``co`` (none if not given)."""
    co = no_orders(world) if co is None else co
    w = Work(world, state.batched(1), co, Dice(0), None)
    w.fc_total = fc[None].copy()
    return w


def side_deliveries(view: SideView, enemy_fire_control: np.ndarray) -> np.ndarray:
    """(U,) supply each of the side's own units would receive by truck and HQ relay today, by
    the rules, on the side's believed state (enemy units where seen now). ``enemy_fire_control``
    is the side's estimate of the fire control the enemy lays on the map ((n,); the fire control
    the scenario makes the enemy keep up every day is added). Entries of enemy slots are 0: the
    side cannot work out the enemy's supply."""
    w = view.world
    state, _notes = believed_state(view)
    fc = np.zeros((2, w.grid.n))
    fc[view.side] = np.maximum(view.fire_control, w.standing_fc[view.side])
    fc[1 - view.side] = np.asarray(enemy_fire_control, float) + w.standing_fc[1 - view.side]
    work = _one_game(w, state, fc)
    control = provisional_control(work)
    lays = [truck_layers(work, control, s) if s == view.side else no_trucks(work) for s in (0, 1)]
    return np.where(w.u_side == view.side, road_deliveries(work, lays)[0], 0.0)


def supply_hex_costs(world: World, control: np.ndarray, fc_enemy: np.ndarray, side: int,
                     trucks: bool = True) -> np.ndarray:
    """(n,) the logistics phase's own price of each hex for ``side``'s supply (own and contested
    ground; with ``trucks``, closed at ``supply_block_fc`` of enemy fire control and inside the
    truck standoff): the public face of ``phase_supply.hex_costs`` for planners."""
    return hex_costs(world, world.params, control, fc_enemy, side, trucks=trucks)
