"""Monte Carlo: a whole turn resolved K times in one vectorised call.

The order previews (odds of each kind of action) live in rules/odds.py.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import numpy as np

from .dice import Dice, DiceWindow
from .engine import check_orders, resolve_batch
from .orders import Order, compile_orders
from .state import ARRAY_FIELDS, GameState
from .world import World

CHUNK = 100             # replications resolved together, at the least
CHUNK_HEXES = 400_000   # ... and up to this many replication-hexes (more replications on a small map)


def chunk_size(world: World) -> int:
    """How many replications are resolved together: a batch's layers are (K, n) and (K, 2, n),
    so the memory is bounded by replications times hexes; on a small map more of them go
    together, where they share more of their supply searches (the main map: 263)."""
    return max(CHUNK, CHUNK_HEXES // world.grid.n)


def replicate(world: World, state: GameState, orders_by_side: dict[int, list[Order]], dice: Dice, k: int,
              chunk: int | None = None, waive: Iterable[str] = ()) -> GameState:
    """The state's next turn resolved k times; replication 0 is the real resolution.

    Replications are resolved ``chunk`` at a time (default ``chunk_size``), each chunk drawing
    its own rows of the batch's random streams, so the result is the same whatever the chunk
    size. ``waive``: as for ``engine.resolve_turn``."""
    chunk = chunk_size(world) if chunk is None else chunk
    accepted, _ = check_orders(world, state, orders_by_side, waive)
    co = compile_orders(world, accepted)
    parts = []
    for start in range(0, k, chunk):
        size = min(chunk, k - start)
        d = DiceWindow(dice.seed, start) if start else dice
        parts.append(resolve_batch(world, state.batched(size), co, d))
    if len(parts) == 1:
        return parts[0]
    joined: dict[str, Any] = {f: np.concatenate([getattr(p, f) for p in parts]) for f in ARRAY_FIELDS}
    return dataclasses.replace(parts[0], **joined)
