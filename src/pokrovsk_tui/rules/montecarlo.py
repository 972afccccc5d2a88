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

CHUNK = 100   # replications resolved together: bounds memory, keeps arrays cache-friendly


def replicate(world: World, state: GameState, orders_by_side: dict[int, list[Order]], dice: Dice, k: int,
              chunk: int = CHUNK, waive: Iterable[str] = ()) -> GameState:
    """The state's next turn resolved k times; replication 0 is the real resolution.

    Replications are resolved ``chunk`` at a time, each chunk drawing its own rows of the
    batch's random streams, so the result is the same whatever the chunk size. ``waive``: as
    for ``engine.resolve_turn``."""
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
