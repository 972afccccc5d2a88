"""Orders: the model a player or an AI fills in, the engine-side validation, and the
compiled arrays the engine resolves.

Validation reads only what the ordering side knows (its own units, the terrain, the public
control map), so a side's view validates exactly as the true state does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from . import legal
from .hexgrid import HexIdError
from .legal import MAX_PATH, OrderContext
from .limits import MAX_COUNT
from .world import World

GROUND_KINDS = ("hold", "move", "assault", "infiltrate", "raid", "dig_in", "rest", "jam")
OrderKind = Literal["hold", "move", "assault", "infiltrate", "raid", "dig_in", "rest", "jam",
                    "recon", "strike", "interdict", "hunt", "resupply", "fire", "bomb"]

_GROUND = frozenset(GROUND_KINDS)
G_HOLD, G_MOVE, G_ASSAULT, G_INFILTRATE, G_RAID, G_DIG, G_REST, G_JAM = range(8)
M_RECON, M_STRIKE, M_INTERDICT, M_HUNT, M_PATROL, M_FIRE, M_BOMB = range(7)


class Order(BaseModel):
    """One order. ``unit`` is a unit id (none for glide bombs); hexes are ``CCRR`` ids."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: OrderKind
    unit: str | None = None
    target: str | None = Field(None, description="target hex")
    path: tuple[str, ...] = Field((), description="hexes to move through, in order")
    count: int = Field(1, ge=1, le=MAX_COUNT, description="sorties, runs, fires or bombs")
    target_unit: str | None = Field(None, description="friendly unit a UGV resupplies")

    def describe(self) -> str:
        """The order in a player's words ("ua-93-1: dig in", "glide bombs on 0503 x2")."""
        if self.kind == "bomb" and not self.unit:
            return f"glide bombs on {self.target} x{self.count}"
        who = self.unit or "glide bombs"
        if self.kind == "dig_in":
            return f"{who}: dig in"
        if self.kind == "move":
            return f"{who}: move {'-'.join(self.path)}"
        if self.kind == "resupply":
            return f"{who}: resupply {self.target_unit} x{self.count}"
        if self.kind in ("recon", "strike", "interdict", "hunt", "fire", "bomb"):
            return f"{who}: {self.kind} {self.target} x{self.count}"
        if self.target:
            return f"{who}: {self.kind} {self.target}"
        return f"{who}: {self.kind}"


@dataclass(frozen=True)
class Refusal:
    order: Order
    reason: str
    rule: str = ""          # the target rule it broke (legal.py's names), "" for the others

    def __str__(self) -> str:
        return f"{self.order.describe()}: {self.reason}"


def path_cost(world: World, start: int, path: list[int]) -> float:
    if len(path) < 8:
        # numpy adds fewer than 8 values one after the other: the same sum, without a numpy call
        cost = world.derived(_py_tables)[0]
        total = 0.0
        for h in path:
            total += cost[h]
        return total
    return float(world.move_cost[path].sum())


def _py_tables(world: World) -> tuple[tuple[float, ...], tuple[bool, ...], tuple[int, ...], tuple[float, ...],
                                       tuple[int, ...], tuple[frozenset[int], ...]]:
    """Per-hex move cost and passability, per-slot type, type MP, per-slot side and per-hex
    neighbours (the grid's), as Python values (once per world): validation reads them one at
    a time."""
    return (tuple(world.move_cost.tolist()), tuple(world.passable.tolist()),
            tuple(world.u_type.tolist()), tuple(world.t_mp.tolist()), tuple(world.u_side.tolist()),
            tuple(frozenset(h for h in row if h >= 0) for row in world.grid.neighbours.tolist()))


def validate(ctx: OrderContext, orders: list[Order], waive: Iterable[str] = ()
             ) -> tuple[list[Order], list[Refusal]]:
    """Accepted orders (normalised) and refusals with their reasons, in the given order.

    The legality of kinds, targets and budgets is rules/legal.py's; ``waive`` names target
    rules not to apply (``legal.LATER_RULES``, when replaying a turn played before them)."""
    w = ctx.world
    g = w.grid
    waive = frozenset(waive)
    ok: list[Order] = []
    bad: list[Refusal] = []
    ground_done: dict[int, str] = {}
    used: dict[tuple[int | None, str], tuple[int, int]] = {}   # budget -> (used so far, the day's total)
    budget_of = legal.BUDGET_OF
    refusal_of = legal.unit_refusals(w)
    tables = w.derived(_py_tables)
    u_side = tables[4]
    on_map = ctx.on_map.tolist()           # read one order at a time: Python values

    known = g.id_index

    def hex_of(h: str | None, what: str) -> int:
        found = known.get(h) if type(h) is str else None
        if found is not None:
            return found
        if h is None:
            raise _Refuse(f"needs a {what}")
        try:
            return g.index(h)
        except HexIdError as e:
            raise _Refuse(str(e)) from None

    def unit_may(u: int, kind: str) -> None:
        r = refusal_of[(u, kind)]
        if r is not None:
            raise _Refuse(r)

    def aim(u: int | None, kind: str, t: int) -> None:
        r = legal.target_refusal(ctx, u, kind, t, waive)
        if r is not None:
            raise _Refuse(r[1], r[0])

    def spend(u: int | None, o: Order) -> None:
        what = budget_of[o.kind]
        key = (u, what)
        have, avail = used.get(key) or (0, legal.budget_total(ctx, u, o.kind))
        if have + o.count > avail:
            left = avail - have
            if what == "bombs":
                raise _Refuse(f"over budget: {left} glide bombs left today, asked {o.count}")
            if what in ("fires", "runs"):
                raise _Refuse(f"over budget: {left} {what} left today (supply {ctx.supply[u]:.0f}), "
                              f"asked {o.count}")
            raise _Refuse(f"over budget: {left} {what} left today, asked {o.count}")
        used[key] = (have + o.count, avail)

    side = ctx.side
    unit_index = w.unit_index
    for o in orders:
        kind = o.kind
        try:
            if kind == "bomb":
                if legal.bombs_available(w, side) == 0:
                    raise _Refuse("your side has no glide bombs")
                aim(None, "bomb", hex_of(o.target, "target hex"))
                spend(None, o)
                ok.append(o)
                continue
            if o.unit is None:
                raise _Refuse("names no unit")
            u = unit_index.get(o.unit)
            if u is None:
                raise _Refuse(f"unknown unit {o.unit!r}")
            if u_side[u] != side:
                raise _Refuse(f"{o.unit} is not your unit (wrong side)")
            if not on_map[u]:
                raise _Refuse(f"{o.unit} is not on the map")
            if kind in _GROUND:
                if u in ground_done:
                    raise _Refuse(f"already has an order this turn ({ground_done[u]})")
                unit_may(u, kind)
                if kind == "move":
                    o = _check_move(ctx, o, u, hex_of, tables)
                elif kind in legal.ATTACKS:
                    aim(u, kind, hex_of(o.target, "target hex"))
                ground_done[u] = kind
            elif kind == "resupply":
                unit_may(u, kind)
                if o.target_unit is None:
                    raise _Refuse("needs a target_unit")
                v = unit_index.get(o.target_unit)
                if v is None:
                    raise _Refuse(f"unknown unit {o.target_unit!r}")
                r = legal.resupply_refusal(ctx, u, v)
                if r is not None:
                    raise _Refuse(r)
                spend(u, o)
            else:
                unit_may(u, kind)
                aim(u, kind, hex_of(o.target, "target hex"))
                spend(u, o)
            ok.append(o)
        except _Refuse as r:
            bad.append(Refusal(o, r.reason, r.rule))
    return ok, bad


class _Refuse(Exception):
    def __init__(self, reason: str, rule: str = ""):
        self.reason = reason
        self.rule = rule


def _check_move(ctx: OrderContext, o: Order, u: int, hex_of, tables) -> Order:
    w = ctx.world
    g = w.grid
    _cost, passable, u_type, t_mp, _side, next_to = tables
    mp = t_mp[u_type[u]]
    here = ctx.hexes[u]
    if not o.path:
        raise _Refuse("a move needs a path")
    get = g.id_index.get
    found = [get(h) if type(h) is str else None for h in o.path]
    canonical = None not in found    # every hex written as the map writes it: ids are o.path's
    path = cast(list[int], found) if canonical else [hex_of(h, "path hex") for h in o.path]
    given = o.path
    if path[0] == here:
        path = path[1:]
        given = given[1:]
    if not path:
        raise _Refuse("the path does not leave the unit's hex")
    if len(path) > MAX_PATH:
        raise _Refuse(f"unreachable: a path of {len(path)} hexes is longer than {MAX_PATH}")
    prev = here
    for h in path:
        if h not in next_to[prev]:
            raise _Refuse(f"unreachable: {g.hex_id(h)} is not next to {g.hex_id(prev)}")
        if not passable[h]:
            raise _Refuse(f"unreachable: {g.hex_id(h)} is water")
        prev = h
    cost = path_cost(w, here, path)
    if cost > mp + 1e-9:
        raise _Refuse(f"unreachable: the path costs {cost:g} MP, {o.unit} has {mp:g}")
    ids = given if canonical else tuple(g.hex_id(h) for h in path)
    if ids == o.path and o.target == ids[-1]:
        return o                     # already in the normal form: the same order
    return o.model_copy(update={"path": ids, "target": ids[-1]})


@dataclass(frozen=True)
class CompiledOrders:
    """Both sides' accepted orders as arrays for the engine."""

    ground: np.ndarray       # (U,) ground order code
    target: np.ndarray       # (U,) target hex of assault/infiltrate/raid/move end, -1
    path: np.ndarray         # (U, MAX_PATH) move path, -1 padded
    m_side: np.ndarray       # (M,) missions: side
    m_unit: np.ndarray       # (M,) firing unit, -1 for glide bombs
    m_kind: np.ndarray       # (M,)
    m_hex: np.ndarray        # (M,)
    m_count: np.ndarray      # (M,)
    r_unit: np.ndarray       # (R,) UGV resupply: robot unit
    r_target: np.ndarray     # (R,) receiving unit
    r_count: np.ndarray      # (R,) runs
    # a plan axis (``stack_plans``): ground, target and path get a leading (P,) axis, the
    # missions and runs of all plans follow one another, and each replication of the batch
    # resolves its own plan's orders. None: one set of orders for every replication.
    m_plan: np.ndarray | None = None      # (M,) plan of each mission
    r_plan: np.ndarray | None = None      # (R,) plan of each robot run
    rep_plan: np.ndarray | None = None    # (K,) plan of each replication

    def per_rep(self, a: np.ndarray) -> np.ndarray:
        """(1 or K, U, ...) an order array (``ground``, ``target``, ``path``, or one shaped
        like them) as each replication sees it; broadcasts against (K, U) layers."""
        return a[None] if self.rep_plan is None else a[self.rep_plan]

    @property
    def plans(self) -> int:
        """How many plans the orders hold (1 without a plan axis)."""
        return 1 if self.rep_plan is None else self.ground.shape[0]

    def rep_index(self, K: int) -> np.ndarray:
        """(K,) the plan of each replication (0 for all without a plan axis)."""
        return np.zeros(K, np.int64) if self.rep_plan is None else self.rep_plan

    def m_count_rep(self) -> np.ndarray:
        """(1 or K, M) each mission's count in each replication: 0 where it is another plan's."""
        return _counts_rep(self.m_count, self.m_plan, self.rep_plan)

    def sorties_rep(self, U: int) -> np.ndarray:
        """(1 or K, U) sorties, rounds or bombs each unit slot has ordered in each replication."""
        own = self.m_unit >= 0
        if self.rep_plan is None:
            return np.bincount(self.m_unit[own], weights=self.m_count[own], minlength=U)[None, :]
        P = self.plans
        assert self.m_plan is not None
        per_plan = np.bincount(self.m_plan[own] * U + self.m_unit[own], weights=self.m_count[own],
                               minlength=P * U).reshape(P, U)
        return per_plan[self.rep_plan]


def _counts_rep(count: np.ndarray, plan: np.ndarray | None, rep_plan: np.ndarray | None) -> np.ndarray:
    if rep_plan is None or plan is None:
        return count[None, :]
    return np.where(plan[None, :] == rep_plan[:, None], count[None, :], 0)


def stack_orders(plans: list[CompiledOrders], rows: int) -> CompiledOrders:
    """Several plans' compiled orders as one with a plan axis, for a batch made of one block of
    ``rows`` replications per plan (plan i's block is replications i * rows .. (i + 1) * rows)."""
    P = len(plans)

    def cat(f: str) -> np.ndarray:
        return np.concatenate([getattr(c, f) for c in plans])

    return CompiledOrders(
        np.stack([c.ground for c in plans]), np.stack([c.target for c in plans]),
        np.stack([c.path for c in plans]),
        cat("m_side"), cat("m_unit"), cat("m_kind"), cat("m_hex"), cat("m_count"),
        cat("r_unit"), cat("r_target"), cat("r_count"),
        m_plan=np.repeat(np.arange(P, dtype=np.int64), [c.m_kind.size for c in plans]),
        r_plan=np.repeat(np.arange(P, dtype=np.int64), [c.r_unit.size for c in plans]),
        rep_plan=np.repeat(np.arange(P, dtype=np.int64), rows))


class _HexNumbers(dict[str, int]):
    """Hex number of each hex id: looked up as the map writes it, read by ``HexGrid.index``
    otherwise. One per world, for compiling validated orders."""

    def __init__(self, world: World):
        super().__init__(world.grid.id_index)
        self.grid = world.grid

    def __missing__(self, h: str) -> int:
        return self.grid.index(h)


_GROUND_CODE = {k: i for i, k in enumerate(GROUND_KINDS)}
_MISSION_CODE = {"recon": M_RECON, "strike": M_STRIKE, "interdict": M_INTERDICT, "hunt": M_HUNT, "fire": M_FIRE}


def compile_orders(world: World, orders_by_side: dict[int, list[Order]]) -> CompiledOrders:
    """Turn accepted orders into arrays (orders must already be validated)."""
    U = world.n_units
    ground = np.zeros(U, np.int64)
    target = np.full(U, -1, np.int64)
    path = np.full((U, MAX_PATH), -1, np.int64)
    missions: list[tuple[int, int, int, int, int]] = []
    runs: list[tuple[int, int, int]] = []
    # the ground orders' entries by slot (a later order's entry replaces an earlier one's, as
    # writing them one by one would), written into the arrays at once at the end
    g_code: dict[int, int] = {}
    t_hex: dict[int, int] = {}
    p_hex: dict[int, int] = {}      # by cell of ``path`` flattened
    index = world.derived(_HexNumbers)
    unit_index = world.unit_index
    for side in (0, 1):
        for o in orders_by_side.get(side, []):
            kind = o.kind
            if kind == "bomb":
                assert o.target is not None               # validated: a bomb aims at a hex
                missions.append((side, -1, M_BOMB, index[o.target], o.count))
                continue
            assert o.unit is not None                     # validated: every other order has a unit
            u = unit_index[o.unit]
            code = _GROUND_CODE.get(kind)
            if code is not None:
                g_code[u] = code
                if kind == "move":
                    p = [index[h] for h in o.path]
                    p_hex.update(zip(range(u * MAX_PATH, u * MAX_PATH + len(p)), p, strict=True))
                    t_hex[u] = p[-1]
                elif o.target is not None:
                    t_hex[u] = index[o.target]
            elif kind in _MISSION_CODE:
                assert o.target is not None
                missions.append((side, u, _MISSION_CODE[kind], index[o.target], o.count))
            elif kind == "resupply":
                assert o.target_unit is not None
                runs.append((u, unit_index[o.target_unit], o.count))
    if g_code:
        ground[list(g_code)] = list(g_code.values())
    if t_hex:
        target[list(t_hex)] = list(t_hex.values())
    if p_hex:
        path.reshape(-1)[list(p_hex)] = list(p_hex.values())
    m_side, m_unit, m_kind, m_hex, m_count = np.array(missions, dtype=np.int64).reshape(-1, 5).T
    r_unit, r_target, r_count = np.array(runs, dtype=np.int64).reshape(-1, 3).T
    return CompiledOrders(ground, target, path, m_side, m_unit, m_kind, m_hex, m_count, r_unit, r_target, r_count)


def join_sides(world: World, ua: CompiledOrders, ru: CompiledOrders) -> CompiledOrders:
    """``compile_orders(world, {0: a, 1: b})`` from ``compile_orders(world, {0: a})`` and
    ``compile_orders(world, {1: b})``: each side's slots take their own side's ground orders,
    and Ukraine's missions and runs come first, as compiling both at once lists them. (The
    computer compiles each candidate plan once and the modelled enemy's orders once, not every
    pair.)"""
    ru_slot = world.u_side == 1

    def cat(f: str) -> np.ndarray:
        return np.concatenate([getattr(ua, f), getattr(ru, f)])

    return CompiledOrders(
        np.where(ru_slot, ru.ground, ua.ground), np.where(ru_slot, ru.target, ua.target),
        np.where(ru_slot[:, None], ru.path, ua.path),
        cat("m_side"), cat("m_unit"), cat("m_kind"), cat("m_hex"), cat("m_count"),
        cat("r_unit"), cat("r_target"), cat("r_count"))


def no_orders(world: World) -> CompiledOrders:
    """The orders of nobody (both sides hold), compiled once per world: read only, by the
    estimates' stand-in Work, the computer's expected supply and its look-ahead's idle days."""
    return world.derived(_no_orders)


def _no_orders(world: World) -> CompiledOrders:
    return compile_orders(world, {})
