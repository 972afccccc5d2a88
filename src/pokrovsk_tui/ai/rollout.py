"""Look-ahead resolutions for the commander's Monte Carlo.

``full`` is the engine's own ``resolve_batch``. ``light`` is ``resolve_batch`` given a
``delivery``: the very same phase functions (weather, detection, fires, movement, combat,
recovery, control and victory), but the logistics phase, whose shortest-path searches dominate
the cost of a batch, is replaced by a flat estimate: each unit receives what its supply path
delivered yesterday-like (the side's own path costs for its units, a guess for the enemy's),
consumes as the rules say, and nobody becomes isolated.
Over one day of look-ahead supply moves a few points, so the plans compare the same way.
"""

from __future__ import annotations

import numpy as np

from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_batch
from pokrovsk_tui.rules.orders import CompiledOrders
from pokrovsk_tui.rules.state import GameState
from pokrovsk_tui.rules.supply import deliver
from pokrovsk_tui.rules.world import World


def light_resolve(world: World, state: GameState, co: CompiledOrders, dice: Dice, delivery: np.ndarray) -> GameState:
    """A batched turn with a flat logistics step; ``delivery`` is (U,) supply each unit gets."""
    return resolve_batch(world, state, co, dice, delivery=delivery)


def expected_delivery(sit) -> np.ndarray:
    """(U,) daily supply each unit slot is likely to receive: own units from the side's own
    path costs, enemy units a middling guess."""
    w = sit.world
    p = w.params
    out = np.full(w.n_units, p.consumption + 2.0)
    own = sit.own
    cost = sit.supply[sit.view.hex[own]]
    out[own] = np.where(np.isfinite(cost), deliver(p, np.where(np.isfinite(cost), cost, 1e9)), 0.0)
    # HQs relay: a unit near a friendly HQ does about as well as at a source
    hq = own[w.u_role[own] == 6]
    if hq.size:
        d = sit.grid.dist_pairs(sit.view.hex[own][:, None], sit.view.hex[hq][None, :]).min(axis=1)
        out[own] = np.maximum(out[own], deliver(p, d * 1.5))
    return out


def resolve(world: World, state: GameState, co: CompiledOrders, dice: Dice, mode: str,
            delivery: np.ndarray | None = None) -> GameState:
    if mode == "full":
        return resolve_batch(world, state, co, dice)
    assert delivery is not None, "the light look-ahead needs the expected delivery"
    return light_resolve(world, state, co, dice, delivery)
