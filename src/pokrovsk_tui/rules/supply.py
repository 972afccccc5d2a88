"""Supply as a side can work it out: the day's delivery over a path cost, and the map of what
a unit would receive on each hex from the side's sources and supplied HQs.

The public face of the logistics phase (``phase_supply``) for the app and the AI: the same
cost layer, shortest paths and delivery curve the engine uses, without the enemy's fire
control (a side does not know it as a number).
"""

from __future__ import annotations

import numpy as np

from .phase_supply import deliver, hex_costs, shortest
from .world import World

__all__ = ["deliver", "delivery_map"]


def delivery_map(world: World, control: np.ndarray, side: int, hq_hexes: np.ndarray) -> np.ndarray:
    """(n,) supply a unit of ``side`` would receive on each hex in a day: from the side's
    sources over own and contested ground (``control``), or relayed by an HQ standing on one
    of ``hq_hexes`` if that HQ itself receives supply; enemy fire control not counted."""
    p = world.params
    cost = hex_costs(world, p, control, np.zeros(world.grid.n), side)
    srcs = world.src_hex[(world.src_side == side) & np.isfinite(cost[world.src_hex])]
    dist, _ = shortest(world, cost, srcs)
    got = deliver(p, dist)
    hqs = np.asarray(hq_hexes, np.int64)
    hqs = hqs[got[hqs] > 0] if hqs.size else hqs              # an HQ relays only if supplied
    if hqs.size:
        d2, _ = shortest(world, cost, np.unique(hqs))
        got = np.maximum(got, deliver(p, d2))
    return got
