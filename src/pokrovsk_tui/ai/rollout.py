"""Look-ahead resolutions for the commander's Monte Carlo.

``full`` is the engine's own ``resolve_batch``. ``light`` is ``resolve_batch`` given a
``delivery``: the very same phase functions (weather, detection, fires, movement, combat,
recovery, control and victory), but the logistics phase, whose shortest-path searches dominate
the cost of a batch, is replaced by a flat step: each unit receives by truck and HQ relay what
``expected_delivery`` says, the plan's robot runs are resolved as the rules resolve them, each
unit consumes as the rules say, and nobody becomes isolated.

``expected_delivery`` asks the rules once per decision: the logistics phase run on the side's
believed state (rules/supply_estimate.py), with the enemy's fire control as the side estimates
it. The enemy's supply the side cannot work out: his units get a neutral guess (enough to stay
level at the daily consumption, a little more).
Over one day of look-ahead supply moves a few points, so the plans compare the same way.
"""

from __future__ import annotations

import numpy as np

from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_batch
from pokrovsk_tui.rules.orders import CompiledOrders
from pokrovsk_tui.rules.state import GameState
from pokrovsk_tui.rules.supply_estimate import side_deliveries
from pokrovsk_tui.rules.world import World


def light_resolve(world: World, state: GameState, co: CompiledOrders, dice: Dice, delivery: np.ndarray) -> GameState:
    """A batched turn with a flat logistics step; ``delivery`` is (U,) supply each unit gets."""
    return resolve_batch(world, state, co, dice, delivery=delivery)


def expected_delivery(sit) -> np.ndarray:
    """(U,) daily supply each unit slot is expected to receive by truck and HQ relay: own units
    what the rules' logistics delivers on the side's believed state (robot runs not included:
    the look-ahead resolves each plan's own), enemy units a neutral guess (their supply is
    not known to the side)."""
    w = sit.world
    p = w.params
    out = np.full(w.n_units, p.consumption + 2.0)          # the enemy's: a guess, not a rule
    own = sit.own
    out[own] = side_deliveries(sit.view, sit.fc_est)[own]
    return out


def resolve(world: World, state: GameState, co: CompiledOrders, dice: Dice, mode: str,
            delivery: np.ndarray | None = None) -> GameState:
    if mode == "full":
        return resolve_batch(world, state, co, dice)
    assert delivery is not None, "the light look-ahead needs the expected delivery"
    return light_resolve(world, state, co, dice, delivery)
