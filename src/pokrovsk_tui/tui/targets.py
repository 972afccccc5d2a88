"""What an order may aim at, from a side's view: legal target hexes, move paths and what is
left of each unit's daily budget. Pure functions (no Textual); the engine's ``validate``
stays the judge, these only highlight and preview."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from pokrovsk_tui.rules.orders import (
    MAX_PATH,
    Order,
    bombs_available,
    fires_available,
    sorties_available,
)
from pokrovsk_tui.rules.view import SideView
from pokrovsk_tui.rules.world import ROLES

# order kinds, the key that gives them and what they need
ACTIONS: dict[str, tuple[str, str, str]] = {
    # kind: (key, label, target: none | hex | unit)
    "hold": ("h", "Hold", "none"),
    "move": ("m", "Move", "hex"),
    "assault": ("a", "Assault", "hex"),
    "infiltrate": ("i", "Infiltrate", "hex"),
    "raid": ("r", "Raid", "hex"),
    "dig_in": ("d", "Dig in", "none"),
    "rest": ("z", "Rest", "none"),
    "jam": ("j", "Jam", "none"),
    "recon": ("c", "Recon", "hex"),
    "strike": ("k", "Strike", "hex"),
    "interdict": ("t", "Interdict", "hex"),
    "hunt": ("u", "Hunt", "hex"),
    "resupply": ("p", "Resupply", "unit"),
    "fire": ("f", "Fire", "hex"),
    "bomb": ("b", "Glide bomb", "hex"),
}
COUNTED = ("recon", "strike", "interdict", "hunt", "resupply", "fire", "bomb")
PREVIEWED = ("assault", "infiltrate", "raid", "strike", "hunt", "fire", "bomb")


def role_of(view: SideView, unit: int) -> str:
    return ROLES[int(view.world.u_role[unit])]


def actions_for(view: SideView, unit: int | None) -> list[str]:
    """Order kinds a unit may be given (None: the side's orders without a unit)."""
    w = view.world
    if unit is None:
        return ["bomb"] if bombs_available(w, view.side) > 0 else []
    if not view.own[unit]:
        return []
    role = role_of(view, unit)
    t = w.u_type[unit]
    out = ["hold"]
    if w.t_mp[t] > 0:
        out.append("move")
    if role in ("infantry", "assault"):
        out.append("assault")
        if w.t_can_infiltrate[t]:
            out.append("infiltrate")
        if w.t_can_raid[t]:
            out.append("raid")
    out += ["dig_in", "rest"]
    if role == "ew":
        out.append("jam")
    if role == "drone":
        out += ["recon", "strike", "interdict", "hunt"]
    if role == "ugv":
        out.append("resupply")
    if role == "artillery":
        out.append("fire")
    return out


def move_costs(view: SideView, unit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cheapest legal paths from the unit's hex: (cost, steps, previous hex) per hex, inf /
    -1 where the engine would refuse the move (over the MP, longer than MAX_PATH, water)."""
    w = view.world
    g = w.grid
    n = g.n
    start = int(view.hex[unit])
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


def path_to(view: SideView, unit: int, target: int) -> list[int]:
    """The cheapest legal path to a hex (without the start), or a one-hex path the engine
    will refuse with its reason when there is none."""
    cost, _, prev = move_costs(view, unit)
    if not np.isfinite(cost[target]) or target == int(view.hex[unit]):
        return [int(target)]
    out = [int(target)]
    while prev[out[-1]] >= 0 and prev[out[-1]] != int(view.hex[unit]):
        out.append(int(prev[out[-1]]))
    return out[::-1]


def legal_targets(view: SideView, unit: int | None, kind: str) -> np.ndarray:
    """(n,) bool: hexes this order could aim at (highlighted; the engine still decides)."""
    w = view.world
    g = w.grid
    n = g.n
    out = np.zeros(n, bool)
    if kind == "bomb":
        out[:] = True
        return out
    if unit is None:
        return out
    here = int(view.hex[unit])
    rng = int(w.t_range[w.u_type[unit]])
    if kind == "move":
        cost, _, _ = move_costs(view, unit)
        out = np.isfinite(cost)
        out[here] = False
    elif kind in ("assault", "infiltrate", "raid"):
        nb = g.neighbours[here]
        nb = nb[(nb >= 0)]
        nb = nb[w.passable[nb]]
        if kind != "assault":
            nb = nb[view.control[nb] != view.side]
        out[nb] = True
    elif kind in ("recon", "strike", "hunt", "fire"):
        out = g.distance[here] <= rng
    elif kind == "interdict":
        out = (g.distance[here] <= rng) & w.road
    elif kind == "resupply":
        own = view.own_units
        hexes = view.hex[own]
        ok = g.distance[here, hexes] <= rng
        out[hexes[ok]] = True
    return np.asarray(out, bool)


def resupply_candidates(view: SideView, unit: int, hex_number: int) -> list[int]:
    """Own units at a hex that a UGV unit could resupply."""
    return [int(u) for u in view.own_units if int(view.hex[u]) == hex_number]


@dataclass(frozen=True)
class Budget:
    unit: int | None       # None: the side's glide bombs
    what: str              # sorties, runs, fires, bombs
    total: int
    used: int

    @property
    def left(self) -> int:
        return max(self.total - self.used, 0)


def budgets(view: SideView, orders: list[Order]) -> list[Budget]:
    """Every daily budget of the side and how much of it the orders so far use."""
    w = view.world
    used: dict[tuple[str | None, str], int] = {}
    for o in orders:
        key = {"recon": "sorties", "strike": "sorties", "interdict": "sorties", "hunt": "sorties",
               "resupply": "runs", "fire": "fires", "bomb": "bombs"}.get(o.kind)
        if key:
            used[(o.unit, key)] = used.get((o.unit, key), 0) + o.count
    out: list[Budget] = []
    for u in view.own_units:
        role = role_of(view, u)
        uid = w.unit_ids[u]
        if role == "drone":
            out.append(Budget(int(u), "sorties", sorties_available(w, u, int(view.stock[u])), used.get((uid, "sorties"), 0)))
        elif role == "ugv":
            out.append(Budget(int(u), "runs", int(w.t_runs[w.u_type[u]]), used.get((uid, "runs"), 0)))
        elif role == "artillery":
            out.append(Budget(int(u), "fires", fires_available(w, u, float(view.supply[u])), used.get((uid, "fires"), 0)))
    bombs = bombs_available(w, view.side)
    if bombs:
        out.append(Budget(None, "bombs", bombs, used.get((None, "bombs"), 0)))
    return out


def budget_left(view: SideView, orders: list[Order], unit: int | None, kind: str, replacing: Order | None = None) -> int:
    """What is left for one more order of this kind (an order it replaces gives its count back)."""
    what = {"recon": "sorties", "strike": "sorties", "interdict": "sorties", "hunt": "sorties",
            "resupply": "runs", "fire": "fires", "bomb": "bombs"}[kind]
    for b in budgets(view, orders):
        if b.unit == unit and b.what == what:
            back = replacing.count if replacing is not None else 0
            return b.left + back
    return 0
