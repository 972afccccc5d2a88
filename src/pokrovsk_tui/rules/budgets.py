"""What is left of each daily budget (sorties, robot runs, fire missions, glide bombs) once a
side's orders so far are counted: the allocation panel and the order book ask this; how big
each budget is, is rules/legal.py's (``budget_total``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .legal import BUDGET_OF, Counted, Known, bombs_available, budget_total, context
from .world import ROLES


@dataclass(frozen=True)
class Budget:
    unit: int | None       # None: the side's glide bombs
    what: str              # sorties, runs, fires, bombs
    total: int
    used: int

    @property
    def left(self) -> int:
        return max(self.total - self.used, 0)


def budgets(known: Known, orders: Iterable[Counted]) -> list[Budget]:
    """Every daily budget of the side and how much of it the orders so far use."""
    ctx = context(known)
    w = ctx.world
    used: dict[tuple[str | None, str], int] = {}
    for o in orders:
        key = BUDGET_OF.get(o.kind)
        if key:
            used[(o.unit, key)] = used.get((o.unit, key), 0) + o.count
    out: list[Budget] = []
    first = {"drone": "strike", "ugv": "resupply", "artillery": "fire"}
    for u in np.flatnonzero(ctx.on_map & (w.u_side == ctx.side)):
        kind = first.get(ROLES[int(w.u_role[u])])
        if kind is not None:
            what = BUDGET_OF[kind]
            out.append(Budget(int(u), what, budget_total(ctx, int(u), kind), used.get((w.unit_ids[u], what), 0)))
    bombs = bombs_available(w, ctx.side)
    if bombs:
        out.append(Budget(None, "bombs", bombs, used.get((None, "bombs"), 0)))
    return out


def budget_left(known: Known, orders: Iterable[Counted], unit: int | None, kind: str,
                replacing: Counted | None = None) -> int:
    """What is left for one more order of this kind (an order it replaces gives its count back)."""
    what = BUDGET_OF[kind]
    for b in budgets(known, orders):
        if b.unit == unit and b.what == what:
            back = replacing.count if replacing is not None else 0
            return b.left + back
    return 0
