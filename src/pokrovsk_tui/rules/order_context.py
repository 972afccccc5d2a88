"""What an order may read and the words of the order book: the ordering side's context
(``OrderContext``: its own units and the public map), the order kinds with what each aims at
and which daily budget it draws on, and the target rules added after early saves. The
predicates that use them are rules/legal.py's, which also offers these names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, TypeAlias, cast

import numpy as np

from .world import World


@dataclass(frozen=True)
class OrderContext:
    """What validation may read: one side's own units and the public map."""

    world: World
    side: int
    turn: int
    on_map: np.ndarray     # (U,) bool, own side's entries meaningful
    hex: np.ndarray        # (U,)
    stock: np.ndarray      # (U,)
    supply: np.ndarray     # (U,)
    control: np.ndarray    # (n,)

    @cached_property
    def own_held(self) -> np.ndarray:
        """(n,) hexes holding the side's own units on its own ground (``own_units_only``),
        worked out once per context (read-only)."""
        held = np.zeros(self.world.grid.n, bool)
        held[self.hex[self.on_map & (self.world.u_side == self.side)]] = True
        held &= self.control == self.side
        held.flags.writeable = False
        return held

    @cached_property
    def own(self) -> list[bool]:
        """Whether each unit slot is one of the side's own units on the map, as Python values
        (once per context)."""
        return (self.on_map & (self.world.u_side == self.side)).tolist()

    @cached_property
    def hexes(self) -> list[int]:
        """``hex`` as Python ints (once per context), for reading one unit at a time."""
        return self.hex.tolist()


class SideKnowledge(Protocol):
    """What a side knows and can order from (rules/view.py's ``SideView``)."""

    def context(self) -> OrderContext: ...


class Counted(Protocol):
    """What budgets read of an order (rules/orders.py's ``Order``)."""

    @property
    def kind(self) -> str: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def count(self) -> int: ...


Known: TypeAlias = "OrderContext | SideKnowledge"

MAX_PATH = 12

# what each order kind aims at
TARGET_OF: dict[str, str] = {
    "hold": "none", "move": "hex", "assault": "hex", "infiltrate": "hex", "raid": "hex",
    "dig_in": "none", "rest": "none", "jam": "none", "recon": "hex", "strike": "hex",
    "interdict": "hex", "hunt": "hex", "resupply": "unit", "fire": "hex", "bomb": "hex",
}
KINDS = tuple(TARGET_OF)
ATTACKS = ("assault", "infiltrate", "raid")
DRONE_MISSIONS = ("recon", "strike", "interdict", "hunt")
# the daily budget each counted order draws on
BUDGET_OF: dict[str, str] = {"recon": "sorties", "strike": "sorties", "interdict": "sorties", "hunt": "sorties",
                             "resupply": "runs", "fire": "fires", "bomb": "bombs"}
COUNTED = tuple(BUDGET_OF)
# orders that hurt whoever is on the target hex: never onto a hex holding only your own units
FIRES = ("strike", "hunt", "fire", "bomb")

# Target rules added after games were saved under the older rules (assaults onto own
# ground, fires onto own units were accepted then). Replaying a turn played before them
# waives them (store/replay.py), so old saves still load and verify.
LATER_RULES = frozenset({"assault-own-ground", "own-units"})

NO_TARGET = {
    "move": "nowhere {uid} can move today",
    "assault": "no enemy or contested hex next to {here} to assault",
    "infiltrate": "no hex to infiltrate from here: no enemy or contested hex next to {here}",
    "raid": "no hex to raid from here: no enemy or contested hex next to {here}",
    "recon": "no hex in range to recon",
    "strike": "no hex in range to strike that does not hold only your own units",
    "interdict": "no road hex in range to interdict",
    "hunt": "no hex in range to hunt over that does not hold only your own units",
    "fire": "no hex in range to fire on that does not hold only your own units",
    "bomb": "no hex to bomb that does not hold only your own units",
    "resupply": "no unit of yours within range to resupply",
}


def context(known: Known) -> OrderContext:
    """The order context of a side view (an OrderContext is returned as it is)."""
    if type(known) is OrderContext:
        return known
    make = getattr(known, "context", None)
    return cast(OrderContext, make() if callable(make) else known)
