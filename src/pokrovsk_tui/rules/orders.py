"""Orders: the model a player or an AI fills in, the engine-side validation, and the
compiled arrays the engine resolves.

Validation reads only what the ordering side knows (its own units, the terrain, the public
control map), so a side's view validates exactly as the true state does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from .hexgrid import HexIdError
from .limits import MAX_COUNT
from .world import ROLES, World

GROUND_KINDS = ("hold", "move", "assault", "infiltrate", "raid", "dig_in", "rest", "jam")
MISSION_KINDS = ("recon", "strike", "interdict", "hunt", "patrol", "fire", "bomb")
ORDER_KINDS = GROUND_KINDS + ("recon", "strike", "interdict", "hunt", "resupply", "fire", "bomb")
OrderKind = Literal["hold", "move", "assault", "infiltrate", "raid", "dig_in", "rest", "jam",
                    "recon", "strike", "interdict", "hunt", "resupply", "fire", "bomb"]
MAX_PATH = 12

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
        who = self.unit or "glide bombs"
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

    def __str__(self) -> str:
        return f"{self.order.describe()}: {self.reason}"


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


def sorties_available(world: World, unit: int, stock: int) -> int:
    return int(min(world.t_sorties[world.u_type[unit]], stock))


def fires_available(world: World, unit: int, supply: float) -> int:
    return int(np.floor(world.t_fires[world.u_type[unit]] * min(1.0, supply / 50.0)))


def bombs_available(world: World, side: int) -> int:
    d = world.scenario.deliveries
    return d.ua_glide_bombs if side == 0 else d.ru_glide_bombs


def path_cost(world: World, start: int, path: list[int]) -> float:
    return float(world.move_cost[path].sum()) if path else 0.0


def validate(ctx: OrderContext, orders: list[Order]) -> tuple[list[Order], list[Refusal]]:
    """Accepted orders (normalised) and refusals with their reasons, in the given order."""
    w = ctx.world
    g = w.grid
    ok: list[Order] = []
    bad: list[Refusal] = []
    ground_done: dict[int, str] = {}
    sorties_used: dict[int, int] = {}
    runs_used: dict[int, int] = {}
    fires_used: dict[int, int] = {}
    bombs_used = 0

    def hex_of(h: str | None, what: str) -> int:
        if h is None:
            raise _Refuse(f"needs a {what}")
        try:
            return g.index(h)
        except HexIdError as e:
            raise _Refuse(str(e)) from None

    for o in orders:
        try:
            if o.kind == "bomb":
                avail = bombs_available(w, ctx.side)
                if avail == 0:
                    raise _Refuse("your side has no glide bombs")
                t = hex_of(o.target, "target hex")
                if bombs_used + o.count > avail:
                    raise _Refuse(f"over budget: {avail - bombs_used} glide bombs left today, asked {o.count}")
                bombs_used += o.count
                ok.append(o)
                continue
            if o.unit is None:
                raise _Refuse("names no unit")
            u = w.unit_index.get(o.unit)
            if u is None:
                raise _Refuse(f"unknown unit {o.unit!r}")
            if w.u_side[u] != ctx.side:
                raise _Refuse(f"{o.unit} is not your unit (wrong side)")
            if not ctx.on_map[u]:
                raise _Refuse(f"{o.unit} is not on the map")
            role = ROLES[w.u_role[u]]
            here = int(ctx.hex[u])
            if o.kind in GROUND_KINDS:
                if u in ground_done:
                    raise _Refuse(f"already has an order this turn ({ground_done[u]})")
                o = _check_ground(ctx, o, u, role, here, hex_of)
                ground_done[u] = o.kind
            elif o.kind in ("recon", "strike", "interdict", "hunt"):
                if role != "drone":
                    raise _Refuse(f"only drone units fly {o.kind} missions ({o.unit} is {role})")
                t = hex_of(o.target, "target hex")
                rng = int(w.t_range[w.u_type[u]])
                if g.distance[here, t] > rng:
                    raise _Refuse(f"out of range: {o.target} is {g.distance[here, t]} hexes away, range {rng}")
                if o.kind == "interdict" and not w.road[t]:
                    raise _Refuse(f"illegal target: {o.target} is not a road hex")
                avail = sorties_available(w, u, int(ctx.stock[u]))
                used = sorties_used.get(u, 0)
                if used + o.count > avail:
                    raise _Refuse(f"over budget: {avail - used} sorties left today, asked {o.count}")
                sorties_used[u] = used + o.count
            elif o.kind == "resupply":
                if role != "ugv":
                    raise _Refuse(f"only UGV units run resupply ({o.unit} is {role})")
                if o.target_unit is None:
                    raise _Refuse("needs a target_unit")
                v = w.unit_index.get(o.target_unit)
                if v is None:
                    raise _Refuse(f"unknown unit {o.target_unit!r}")
                if w.u_side[v] != ctx.side or not ctx.on_map[v]:
                    raise _Refuse(f"illegal target: {o.target_unit} is not a friendly unit on the map")
                rng = int(w.t_range[w.u_type[u]])
                dist = int(g.distance[here, ctx.hex[v]])
                if dist > rng:
                    raise _Refuse(f"out of range: {o.target_unit} is {dist} hexes away, range {rng}")
                avail = int(w.t_runs[w.u_type[u]])
                used = runs_used.get(u, 0)
                if used + o.count > avail:
                    raise _Refuse(f"over budget: {avail - used} runs left today, asked {o.count}")
                runs_used[u] = used + o.count
            elif o.kind == "fire":
                if role != "artillery":
                    raise _Refuse(f"only artillery fires ({o.unit} is {role})")
                t = hex_of(o.target, "target hex")
                rng = int(w.t_range[w.u_type[u]])
                if g.distance[here, t] > rng:
                    raise _Refuse(f"out of range: {o.target} is {g.distance[here, t]} hexes away, range {rng}")
                avail = fires_available(w, u, float(ctx.supply[u]))
                used = fires_used.get(u, 0)
                if used + o.count > avail:
                    raise _Refuse(f"over budget: {avail - used} fires left today (supply {ctx.supply[u]:.0f}), asked {o.count}")
                fires_used[u] = used + o.count
            ok.append(o)
        except _Refuse as r:
            bad.append(Refusal(o, r.reason))
    return ok, bad


class _Refuse(Exception):
    def __init__(self, reason: str):
        self.reason = reason


def _check_ground(ctx: OrderContext, o: Order, u: int, role: str, here: int, hex_of) -> Order:
    w = ctx.world
    g = w.grid
    t = w.u_type[u]
    if o.kind == "move":
        if w.t_mp[t] <= 0:
            raise _Refuse(f"{o.unit} cannot move")
        if not o.path:
            raise _Refuse("a move needs a path")
        path = [hex_of(h, "path hex") for h in o.path]
        if path[0] == here:
            path = path[1:]
        if not path:
            raise _Refuse("the path does not leave the unit's hex")
        if len(path) > MAX_PATH:
            raise _Refuse(f"unreachable: a path of {len(path)} hexes is longer than {MAX_PATH}")
        prev = here
        for h in path:
            if g.distance[prev, h] != 1:
                raise _Refuse(f"unreachable: {g.hex_id(h)} is not next to {g.hex_id(prev)}")
            if not w.passable[h]:
                raise _Refuse(f"unreachable: {g.hex_id(h)} is water")
            prev = h
        cost = path_cost(w, here, path)
        if cost > w.t_mp[t] + 1e-9:
            raise _Refuse(f"unreachable: the path costs {cost:g} MP, {o.unit} has {w.t_mp[t]:g}")
        return o.model_copy(update={"path": tuple(g.hex_id(h) for h in path), "target": g.hex_id(path[-1])})
    if o.kind in ("assault", "infiltrate", "raid"):
        if role not in ("infantry", "assault"):
            raise _Refuse(f"only infantry and assault units can {o.kind} ({o.unit} is {role})")
        if o.kind == "infiltrate" and not w.t_can_infiltrate[t]:
            raise _Refuse(f"{o.unit} cannot infiltrate (assault groups only)")
        if o.kind == "raid" and not w.t_can_raid[t]:
            raise _Refuse(f"{o.unit} cannot raid (infantry only)")
        tgt = hex_of(o.target, "target hex")
        if g.distance[here, tgt] != 1:
            raise _Refuse(f"illegal target: {o.target} is not adjacent to {g.hex_id(here)}")
        if not w.passable[tgt]:
            raise _Refuse(f"illegal target: {o.target} is water")
        if o.kind in ("infiltrate", "raid") and ctx.control[tgt] == ctx.side:
            raise _Refuse(f"illegal target: {o.target} is your own ground; {o.kind} enemy or contested hexes")
        return o
    if o.kind == "jam" and role != "ew":
        raise _Refuse(f"only EW units jam ({o.unit} is {role})")
    return o


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


def compile_orders(world: World, orders_by_side: dict[int, list[Order]]) -> CompiledOrders:
    """Turn accepted orders into arrays (orders must already be validated)."""
    U = world.n_units
    g = world.grid
    ground = np.zeros(U, np.int64)
    target = np.full(U, -1, np.int64)
    path = np.full((U, MAX_PATH), -1, np.int64)
    missions: list[tuple[int, int, int, int, int]] = []
    runs: list[tuple[int, int, int]] = []
    mk = {"recon": M_RECON, "strike": M_STRIKE, "interdict": M_INTERDICT, "hunt": M_HUNT, "fire": M_FIRE}
    for side in (0, 1):
        for o in orders_by_side.get(side, []):
            if o.kind == "bomb":
                missions.append((side, -1, M_BOMB, g.index(o.target), o.count))
                continue
            u = world.unit_index[o.unit]
            if o.kind in GROUND_KINDS:
                ground[u] = GROUND_KINDS.index(o.kind)
                if o.kind == "move":
                    p = [g.index(h) for h in o.path]
                    path[u, : len(p)] = p
                    target[u] = p[-1]
                elif o.target is not None:
                    target[u] = g.index(o.target)
            elif o.kind in mk:
                missions.append((side, u, mk[o.kind], g.index(o.target), o.count))
            elif o.kind == "resupply":
                runs.append((u, world.unit_index[o.target_unit], o.count))
    m = np.array(missions, dtype=np.int64).reshape(-1, 5)
    r = np.array(runs, dtype=np.int64).reshape(-1, 3)
    return CompiledOrders(ground, target, path, m[:, 0], m[:, 1], m[:, 2], m[:, 3], m[:, 4],
                          r[:, 0], r[:, 1], r[:, 2])
