"""Policies: ``hold`` (no orders: everyone holds, drones patrol, EW jams), ``random``
(uniformly chosen legal orders from the side's view) and the computer commander at its three
levels ``easy``, ``normal`` and ``hard`` (see ai/commander.py and ai/levels.py).

A policy is a callable ``(view, rng) -> list[Order]``; it sees only a SideView.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pokrovsk_tui.rules.orders import (
    Order,
    bombs_available,
    fires_available,
    sorties_available,
    validate,
)
from pokrovsk_tui.rules.view import SideView
from pokrovsk_tui.rules.world import ROLES

Policy = Callable[[SideView, np.random.Generator], list[Order]]


def hold(view: SideView, rng: np.random.Generator) -> list[Order]:
    return []


def _random_path(view: SideView, u: int, rng: np.random.Generator) -> list[int]:
    w = view.world
    g = w.grid
    mp = float(w.t_mp[w.u_type[u]])
    here = int(view.hex[u])
    path: list[int] = []
    spent = 0.0
    for _ in range(int(mp / w.params.road_cost) + 1):
        nb = g.neighbours[here]
        nb = nb[(nb >= 0) & w.passable[np.maximum(nb, 0)]]
        nb = nb[~np.isin(nb, path)]
        if nb.size == 0:
            break
        nxt = int(rng.choice(nb))
        cost = float(w.move_cost[nxt])
        if spent + cost > mp:
            break
        path.append(nxt)
        spent += cost
        here = nxt
        if rng.random() < 0.35:
            break
    return path


def random_orders(view: SideView, rng: np.random.Generator) -> list[Order]:
    w = view.world
    g = w.grid
    out: list[Order] = []
    ids = w.unit_ids
    own = view.own_units
    for u in own:
        role = ROLES[w.u_role[u]]
        here = int(view.hex[u])
        t = w.u_type[u]
        choices = ["hold", "dig_in", "rest", "move"]
        nbs = g.neighbours[here]
        nbs = nbs[(nbs >= 0) & w.passable[np.maximum(nbs, 0)]]
        hostile = nbs[view.control[nbs] != view.side]
        if role in ("infantry", "assault") and nbs.size:
            choices.append("assault")
        if w.t_can_infiltrate[t] and hostile.size:
            choices.append("infiltrate")
        if w.t_can_raid[t] and hostile.size:
            choices.append("raid")
        if role == "ew":
            choices.append("jam")
        kind = str(rng.choice(choices))
        if kind == "move":
            path = _random_path(view, u, rng)
            if path:
                out.append(Order(kind="move", unit=ids[u], path=tuple(g.ids(path))))
        elif kind in ("assault",):
            out.append(Order(kind=kind, unit=ids[u], target=g.hex_id(int(rng.choice(nbs)))))
        elif kind in ("infiltrate", "raid"):
            out.append(Order(kind=kind, unit=ids[u], target=g.hex_id(int(rng.choice(hostile)))))
        else:
            out.append(Order(kind=kind, unit=ids[u]))
        rng_hexes = g.within(here, int(w.t_range[t])) if w.t_range[t] else np.array([], np.int64)
        if role == "drone":
            left = sorties_available(w, u, int(view.stock[u]))
            while left > 0 and rng.random() < 0.8:
                n = int(rng.integers(1, left + 1))
                mission = str(rng.choice(["recon", "strike", "interdict", "hunt"]))
                pool = rng_hexes[w.road[rng_hexes]] if mission == "interdict" else rng_hexes
                if pool.size == 0:
                    break
                out.append(Order(kind=mission, unit=ids[u], target=g.hex_id(int(rng.choice(pool))), count=n))
                left -= n
        elif role == "artillery":
            n = fires_available(w, u, float(view.supply[u]))
            if n > 0 and rng_hexes.size:
                out.append(Order(kind="fire", unit=ids[u], target=g.hex_id(int(rng.choice(rng_hexes))),
                                 count=int(rng.integers(1, n + 1))))
        elif role == "ugv":
            mates = own[(g.distance[here, np.maximum(view.hex[own], 0)] <= w.t_range[t]) & (own != u)]
            if mates.size:
                out.append(Order(kind="resupply", unit=ids[u], target_unit=ids[int(rng.choice(mates))],
                                 count=int(rng.integers(1, int(w.t_runs[t]) + 1))))
    bombs = bombs_available(w, view.side)
    while bombs > 0:
        n = int(rng.integers(1, bombs + 1))
        out.append(Order(kind="bomb", target=g.hex_id(int(rng.integers(g.n))), count=n))
        bombs -= n
    ok, _ = validate(view.context(), out)
    return ok


POLICIES: dict[str, Policy] = {"hold": hold, "random": random_orders}


def _add_commanders() -> None:
    from .commander import COMMANDERS  # the computer commander at its three levels

    POLICIES.update(COMMANDERS)


_add_commanders()


def policy_rng(seed: int, turn: int, side: int) -> np.random.Generator:
    """The policy's own stream, apart from the engine's dice."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=int(seed), spawn_key=(int(turn), 100 + side))))
