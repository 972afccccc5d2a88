"""What may this unit be ordered, where, and how much of its budget is left: the one home
of order legality.

``validate`` (rules/orders.py) refuses orders with these predicates, and the app's target
highlight and prompts, the random policy and the computer commander ask the same ones, so a
highlighted target is never refused and a refused one is never highlighted.

Everything here reads only what the ordering side knows: an ``OrderContext`` or a
``SideView`` (its own units, the terrain, the public control map). The control map is
enough to tell where enemy units may be: it is recomputed from the units on the map at the
end of every day, so a hex of your own ground holding your own units holds no enemy.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from functools import partial
from typing import NamedTuple

import numpy as np

# the side's context and the order kinds' words live in order_context.py; offered here too,
# as legal.X, where callers have always read them
from .order_context import (  # noqa: F401
    ATTACKS,
    BUDGET_OF,
    COUNTED,
    DRONE_MISSIONS,
    FIRES,
    KINDS,
    LATER_RULES,
    MAX_PATH,
    NO_TARGET,
    TARGET_OF,
    Counted,
    Known,
    OrderContext,
    SideKnowledge,
    context,
)
from .world import ROLES, World

# ----- budgets -----------------------------------------------------------------------------

def sorties_available(world: World, unit: int, stock: int) -> int:
    return int(min(world.t_sorties[world.u_type[unit]], stock))


FULL_SUPPLY = 50.0   # artillery fires and robot runs fall in proportion below this supply


def supply_share(supply: float) -> float:
    """Share of its daily fires or runs a unit with this supply may use."""
    return min(1.0, supply / FULL_SUPPLY)


def fires_available(world: World, unit: int, supply: float) -> int:
    return int(np.floor(world.t_fires[world.u_type[unit]] * supply_share(supply)))


def runs_available(world: World, unit: int, supply: float) -> int:
    """Robot runs a UGV section may send today: its section carries what reaches it, so its runs
    fall with its own supply like artillery's fires."""
    return int(np.floor(world.t_runs[world.u_type[unit]] * supply_share(supply)))


def bombs_available(world: World, side: int) -> int:
    d = world.scenario.deliveries
    return d.ua_glide_bombs if side == 0 else d.ru_glide_bombs


def budget_total(known: Known, unit: int | None, kind: str) -> int:
    """The whole day's budget the order kind draws on (None: the side's glide bombs)."""
    ctx = context(known)
    w = ctx.world
    what = BUDGET_OF[kind]
    if what == "bombs":
        return bombs_available(w, ctx.side)
    if unit is None:
        return 0
    if what == "sorties":
        return sorties_available(w, unit, int(ctx.stock[unit]))
    if what == "runs":
        return runs_available(w, unit, float(ctx.supply[unit]))
    return fires_available(w, unit, float(ctx.supply[unit]))


# ----- which order kinds a unit may take ---------------------------------------------------


def unit_refusal(known: Known, unit: int, kind: str) -> str | None:
    """Why this (own, on-map) unit may never take this order kind, or None. (A property of
    the unit's type alone: worked out once per world for each unit and kind.)"""
    return unit_refusals(context(known).world)[(unit, kind)]


class UnitRefusals(dict[tuple[int, str], str | None]):
    """``unit_refusal`` of each (unit, kind) asked about, worked out on first asking: indexed
    ``[(unit, kind)]``, for callers asking for many units (validation)."""

    def __init__(self, world: World):
        super().__init__()
        self.world = world

    def __missing__(self, key: tuple[int, str]) -> str | None:
        r = self[key] = _unit_refusal(self.world, *key)
        return r


def unit_refusals(world: World) -> UnitRefusals:
    """The world's ``unit_refusal`` table (one per world)."""
    return world.derived(UnitRefusals)


def _unit_refusal(w: World, unit: int, kind: str) -> str | None:
    uid = w.unit_ids[unit]
    role = ROLES[int(w.u_role[unit])]
    t = w.u_type[unit]
    if kind == "move" and w.t_mp[t] <= 0:
        return f"{uid} cannot move"
    if kind in ATTACKS:
        if role not in ("infantry", "assault"):
            return f"only infantry and assault units can {kind} ({uid} is {role})"
        if kind == "infiltrate" and not w.t_can_infiltrate[t]:
            return f"{uid} cannot infiltrate (assault groups only)"
        if kind == "raid" and not w.t_can_raid[t]:
            return f"{uid} cannot raid (infantry only)"
    if kind == "jam" and role != "ew":
        return f"only EW units jam ({uid} is {role})"
    if kind in DRONE_MISSIONS and role != "drone":
        return f"only drone units fly {kind} missions ({uid} is {role})"
    if kind == "resupply" and role != "ugv":
        return f"only UGV units run resupply ({uid} is {role})"
    if kind == "fire" and role != "artillery":
        return f"only artillery fires ({uid} is {role})"
    if kind == "bomb":
        return "glide bombs are the side's, not a unit's"
    return None


def may_take(known: Known, unit: int | None, kind: str) -> bool:
    """Whether a unit may be given this kind of order (None: the side's orders without a
    unit, the glide bombs)."""
    ctx = context(known)
    if kind not in TARGET_OF:
        return False
    if unit is None:
        return kind == "bomb" and bombs_available(ctx.world, ctx.side) > 0
    return _own(ctx, unit) and unit_refusal(ctx, unit, kind) is None


def actions_for(known: Known, unit: int | None) -> list[str]:
    """Order kinds a unit may be given (None: the side's orders without a unit)."""
    ctx = context(known)
    return [k for k in KINDS if may_take(ctx, unit, k)]


def _own(ctx: OrderContext, unit: int) -> bool:
    return ctx.own[unit]


# ----- which hexes an order may aim at -----------------------------------------------------

class Condition(NamedTuple):
    """One target rule: which hexes pass it (vectorised: a hex index or an array of them),
    its name, and the refusal for a hex that fails it: a rule of the table below bound to
    one unit and kind."""

    ok: Callable[[np.ndarray | int], np.ndarray | np.bool_ | bool]
    rule: str
    reason: Callable[[int], str]


def own_units_only(known: Known, hexes: np.ndarray | int | None = None) -> np.ndarray | np.bool_:
    """Whether hexes hold your own units on your own ground (so no enemy unit): (n,) bool for
    the whole map, or for the hexes given."""
    ctx = context(known)
    held = ctx.own_held
    return held.copy() if hexes is None else held[hexes]


# The target rules, each written once for one hex (an int) or an array of them: ``ok`` and
# ``reason`` take (context, unit, kind, hexes). ``conditions`` hands them out bound to one
# unit and kind; ``target_refusal`` and ``targets_among`` run them straight from the table.

def _dist(ctx: OrderContext, unit: int, h):
    """Distances from the unit to the hexes asked about only, not the map."""
    g = ctx.world.grid
    here = ctx.hexes[unit]
    return g.hex_distance(here, h) if type(h) is int else g.dist_pairs(here, h)


def _range(ctx: OrderContext, unit: int) -> int:
    return ctx.world.derived(_slot_ranges)[unit]


def _slot_ranges(w: World) -> tuple[int, ...]:
    """Each unit slot's range (its type's), as Python ints (once per world)."""
    return tuple(w.t_range[w.u_type].tolist())


def _hid(ctx: OrderContext, h: int) -> str:
    return ctx.world.grid.hex_id(h)


class _Rule(NamedTuple):
    """One target rule: its name, ``ok(ctx, unit, kind, hexes)`` (which pass) and
    ``reason(ctx, unit, kind, hex)`` (the refusal of a hex that fails)."""

    rule: str
    ok: Callable[..., np.ndarray | np.bool_ | bool]
    reason: Callable[..., str]


_OWN_UNITS = _Rule("own-units", lambda c, u, k, h: ~own_units_only(c, h),
                   lambda c, u, k, t: f"illegal target: {_hid(c, t)} holds only your own units")
_NO_UNIT = _Rule("unit", lambda c, u, k, h: np.zeros(np.shape(h), bool), lambda c, u, k, t: "names no unit")
_ADJACENT = _Rule("adjacent", lambda c, u, k, h: _dist(c, u, h) == 1,
                  lambda c, u, k, t: f"illegal target: {_hid(c, t)} is not adjacent to {_hid(c, int(c.hex[u]))}")
_WATER = _Rule("water", lambda c, u, k, h: c.world.passable[h],
               lambda c, u, k, t: f"illegal target: {_hid(c, t)} is water")


def _not_own_ground(c: OrderContext, u: int, k: str, h):
    return c.control[h] != c.side


def _own_ground(c: OrderContext, u: int, k: str, t: int) -> str:
    return f"illegal target: {_hid(c, t)} is your own ground; {k} enemy or contested hexes"


_RANGE = _Rule("range", lambda c, u, k, h: _dist(c, u, h) <= _range(c, u),
               lambda c, u, k, t: f"out of range: {_hid(c, t)} is {_dist(c, u, t)} hexes away, range {_range(c, u)}")
_ROAD = _Rule("road", lambda c, u, k, h: c.world.road[h],
              lambda c, u, k, t: f"illegal target: {_hid(c, t)} is not a road hex")



def _rule_table() -> dict[str, tuple[_Rule, ...]]:
    """The target rules of each hex-target order kind given by a unit, in the order they are
    checked (the glide bombs' own-units rule too)."""
    out: dict[str, tuple[_Rule, ...]] = {}
    for kind in ATTACKS:
        rule = "assault-own-ground" if kind == "assault" else "own-ground"
        out[kind] = (_ADJACENT, _WATER, _Rule(rule, _not_own_ground, _own_ground))
    for kind in (*DRONE_MISSIONS, "fire"):
        out[kind] = (_RANGE, *((_ROAD,) if kind == "interdict" else ()), *((_OWN_UNITS,) if kind in FIRES else ()))
    out["bomb"] = (_OWN_UNITS,)
    return out


_RULES = _rule_table()
_UNITLESS = (_NO_UNIT,)


def _rules(unit: int | None, kind: str) -> tuple[_Rule, ...]:
    if kind == "bomb":
        return _RULES["bomb"]
    if unit is None:
        return _UNITLESS
    return _RULES.get(kind, ())


def conditions(known: Known, unit: int | None, kind: str) -> list[Condition]:
    """The target rules of a hex-target order kind (not move), in the order they are checked."""
    ctx = context(known)
    return [Condition(partial(r.ok, ctx, unit, kind), r.rule, partial(r.reason, ctx, unit, kind))
            for r in _rules(unit, kind)]


def _passes(ctx: OrderContext, unit: int | None, kind: str, rules: tuple[_Rule, ...], h: int) -> bool:
    """Whether one hex passes all these target rules."""
    for r in rules:
        if not r.ok(ctx, unit, kind, h):
            return False
    return True


def target_refusal(known: Known, unit: int | None, kind: str, target: int,
                   waive: Iterable[str] = ()) -> tuple[str, str] | None:
    """(rule, reason) of the first target rule the hex fails, or None if it may be aimed at."""
    ctx = context(known)
    t = int(target)
    for r in _rules(unit, kind):
        if r.rule not in waive and not r.ok(ctx, unit, kind, t):
            return r.rule, r.reason(ctx, unit, kind, t)
    return None


def move_costs(known: Known, unit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cheapest legal paths from the unit's hex: (cost, steps, previous hex) per hex, inf /
    -1 where the engine would refuse the move (over the MP, longer than MAX_PATH, water)."""
    ctx = context(known)
    w = ctx.world
    g = w.grid
    n = g.n
    start = int(ctx.hex[unit])
    mp = float(w.t_mp[w.u_type[unit]])
    cost = np.full(n, np.inf)
    steps = np.full(n, -1, np.int64)
    prev = np.full(n, -1, np.int64)
    cost[start] = 0.0
    steps[start] = 0
    heap = [(0.0, 0, start)]
    nbs = g.neighbours
    while heap:
        c, s, h = heapq.heappop(heap)
        if c > cost[h] + 1e-12 or s >= MAX_PATH:
            continue
        for nb in nbs[h]:
            if nb < 0 or not w.passable[nb]:
                continue
            nc = c + float(w.move_cost[nb])
            if nc > mp + 1e-9:
                continue
            if nc < cost[nb] - 1e-12 or (abs(nc - cost[nb]) < 1e-12 and s + 1 < steps[nb]):
                cost[nb] = nc
                steps[nb] = s + 1
                prev[nb] = h
                heapq.heappush(heap, (nc, s + 1, int(nb)))
    return cost, steps, prev


def path_to(known: Known, unit: int, target: int,
            costs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> list[int]:
    """The cheapest legal path to a hex (without the start), or a one-hex path the engine
    will refuse with its reason when there is none. ``costs``: the unit's ``move_costs``,
    when already worked out."""
    ctx = context(known)
    start = int(ctx.hex[unit])
    cost, _, prev = costs if costs is not None else move_costs(ctx, unit)
    if not np.isfinite(cost[target]) or target == start:
        return [int(target)]
    out = [int(target)]
    while prev[out[-1]] >= 0 and prev[out[-1]] != start:
        out.append(int(prev[out[-1]]))
    return out[::-1]


def resupply_refusal(known: Known, unit: int, target_unit: int) -> str | None:
    """Why a UGV unit may not resupply that unit, or None."""
    ctx = context(known)
    w = ctx.world
    tid = w.unit_ids[target_unit]
    if not _own(ctx, target_unit):
        return f"illegal target: {tid} is not a friendly unit on the map"
    rng = _range(ctx, unit)
    dist = w.grid.hex_distance(ctx.hexes[unit], ctx.hexes[target_unit])
    if dist > rng:
        return f"out of range: {tid} is {dist} hexes away, range {rng}"
    return None


def resupply_targets(known: Known, unit: int) -> np.ndarray:
    """Own units a UGV unit may resupply today (none if the unit runs no resupply)."""
    ctx = context(known)
    if not may_take(ctx, unit, "resupply"):
        return np.zeros(0, np.int64)
    own = np.flatnonzero(ctx.on_map & (ctx.world.u_side == ctx.side))
    return np.array([v for v in own if resupply_refusal(ctx, unit, int(v)) is None], np.int64)


def resupply_candidates(known: Known, unit: int, hex_number: int) -> list[int]:
    """Own units at a hex that a UGV unit may resupply."""
    ctx = context(known)
    return [int(v) for v in resupply_targets(ctx, unit) if int(ctx.hex[v]) == hex_number]


def legal_targets(known: Known, unit: int | None, kind: str) -> np.ndarray:
    """(n,) bool: the hexes this order may aim at; ``validate`` accepts exactly these
    (budgets apart)."""
    ctx = context(known)
    w = ctx.world
    n = w.grid.n
    none = np.zeros(n, bool)
    if not may_take(ctx, unit, kind):
        return none
    if kind == "move":
        assert unit is not None            # only the glide bombs have no unit
        cost, _, _ = move_costs(ctx, unit)
        out = np.isfinite(cost)
        out[int(ctx.hex[unit])] = False
        return out
    if kind == "resupply":
        assert unit is not None
        out = none.copy()
        out[ctx.hex[resupply_targets(ctx, unit)]] = True
        return out
    if TARGET_OF[kind] != "hex":
        return none
    out = np.ones(n, bool)
    every = np.arange(n)
    for r in _rules(unit, kind):
        out &= r.ok(ctx, unit, kind, every)
    return out


def no_target_reason(known: Known, unit: int | None, kind: str) -> str | None:
    """What to tell a player whose order key has nothing to aim at (None: there is a target,
    or the order needs none)."""
    ctx = context(known)
    if TARGET_OF.get(kind) == "none" or not may_take(ctx, unit, kind):
        return None
    if legal_targets(ctx, unit, kind).any():
        return None
    w = ctx.world
    uid = w.unit_ids[unit] if unit is not None else ""
    here = w.grid.hex_id(int(ctx.hex[unit])) if unit is not None else ""
    return NO_TARGET[kind].format(uid=uid, here=here)


def choices(known: Known, unit: int | None) -> dict[str, np.ndarray]:
    """Every order kind the unit may take today with its legal targets (an empty array for
    kinds without a target; kinds that need one but have none are left out)."""
    ctx = context(known)
    out: dict[str, np.ndarray] = {}
    for kind in actions_for(ctx, unit):
        if TARGET_OF[kind] == "none":
            out[kind] = np.zeros(0, np.int64)
            continue
        if kind in COUNTED and budget_total(ctx, unit, kind) <= 0:
            continue
        hexes = np.flatnonzero(legal_targets(ctx, unit, kind))
        if hexes.size:
            out[kind] = hexes
    return out


def suggested_targets(known: Known, unit: int | None, kind: str) -> np.ndarray:
    """(n,) bool: the legal targets worth showing a player (all of them remain legal). For
    fires, strikes, hunts and glide bombs: hexes with a known enemy (seen now or a last-seen
    marker), contested hexes, enemy ground within two hexes of the front, and the enemy-held
    hexes of objectives; for recon and interdiction: enemy or contested ground and your own
    front line; every other kind: all legal targets."""
    ctx = context(known)
    legal = legal_targets(ctx, unit, kind)
    if kind not in FIRES and kind not in ("recon", "interdict"):
        return legal
    w = ctx.world
    nb = w.grid.neighbours
    ctrl = ctx.control
    own = ctrl == ctx.side
    other = np.where(nb >= 0, ctrl[np.maximum(nb, 0)], ctrl[:, None])
    front = (other != ctrl[:, None]).any(axis=1)
    known_enemy = np.zeros(w.grid.n, bool)
    for c in getattr(known, "contacts", ()):
        known_enemy[int(c.hex)] = True
    if kind in FIRES:
        near_front = np.zeros(w.grid.n, bool)
        mine = np.flatnonzero(front & own)
        if mine.size:
            near_front = w.grid.nearest_distance(mine) <= 2
        objective = np.zeros(w.grid.n, bool)
        for hexes in w.objective_hexes:
            objective[np.asarray(hexes, np.int64)] = True
        worth = known_enemy | (ctrl == 2) | (~own & (near_front | objective))
    else:
        worth = ~own | front | known_enemy
    return legal & worth


# ----- batched forms for planners ------------------------------------------------------------

FEW_HEXES = 8     # targets_among checks this many hexes or fewer one at a time

def targets_among(known: Known, unit: int | None, kind: str, hexes: np.ndarray) -> np.ndarray:
    """``legal_targets(known, unit, kind)[hexes]`` worked out for the hexes asked about only
    (a unit's neighbours, say), not the whole map: the same target rules (the table ``conditions`` reads),
    applied to those hexes. Entries < 0 (off the map) are False. Up to ``FEW_HEXES`` hexes
    are checked one at a time in Python (fewer numpy calls), more as arrays."""
    ctx = context(known)
    hexes = np.asarray(hexes, np.int64)
    if hexes.size <= FEW_HEXES and kind != "move" and TARGET_OF.get(kind) == "hex":
        if not may_take(ctx, unit, kind):
            return np.zeros(hexes.shape, bool)
        rules = _rules(unit, kind)
        return np.array([h >= 0 and _passes(ctx, unit, kind, rules, h) for h in hexes.ravel().tolist()],
                        bool).reshape(hexes.shape)
    on = hexes >= 0
    out = np.zeros(hexes.shape, bool)
    if not on.any() or not may_take(ctx, unit, kind):
        return out
    if TARGET_OF[kind] != "hex" or kind == "move":
        return legal_targets(ctx, unit, kind)[np.maximum(hexes, 0)] & on
    sel = hexes[on]
    ok = np.ones(sel.shape, bool)
    for r in _rules(unit, kind):
        ok &= r.ok(ctx, unit, kind, sel)
    out[on] = ok
    return out
