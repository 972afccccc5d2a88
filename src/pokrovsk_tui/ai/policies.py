"""Policies: ``hold`` (no orders: everyone holds, drones patrol, EW jams), ``random``
(orders drawn uniformly from rules/legal.py's choices for the side's view) and the computer
commander at its three
levels ``easy``, ``normal`` and ``hard`` (see ai/commander.py and ai/levels.py).

A policy is a callable ``(view, rng) -> list[Order]``; it sees only a SideView.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pokrovsk_tui.rules import legal
from pokrovsk_tui.rules.orders import GROUND_KINDS, Order
from pokrovsk_tui.rules.view import SideView

Policy = Callable[[SideView, np.random.Generator], list[Order]]


def hold(view: SideView, rng: np.random.Generator) -> list[Order]:
    return []


def random_orders(view: SideView, rng: np.random.Generator) -> list[Order]:
    """Uniformly drawn orders from rules/legal.py's choices: a ground order for every unit, a
    few missions within each budget, and the side's glide bombs."""
    w = view.world
    g = w.grid
    out: list[Order] = []
    ids = w.unit_ids
    for u in view.own_units:
        uid = ids[u]
        ch = legal.choices(view, int(u))
        kind = str(rng.choice([k for k in ch if k in GROUND_KINDS]))
        if kind == "move":
            path = legal.path_to(view, int(u), int(rng.choice(ch["move"])))
            out.append(Order(kind="move", unit=uid, path=tuple(g.ids(path))))
        elif ch[kind].size:
            out.append(Order(kind=kind, unit=uid, target=g.hex_id(int(rng.choice(ch[kind])))))
        else:
            out.append(Order(kind=kind, unit=uid))
        missions = [k for k in legal.DRONE_MISSIONS if k in ch]
        if missions:
            left = legal.budget_total(view, int(u), missions[0])
            while left > 0 and rng.random() < 0.8:
                n = int(rng.integers(1, left + 1))
                mission = str(rng.choice(missions))
                out.append(Order(kind=mission, unit=uid, target=g.hex_id(int(rng.choice(ch[mission]))), count=n))
                left -= n
        if "fire" in ch:
            n = legal.budget_total(view, int(u), "fire")
            out.append(Order(kind="fire", unit=uid, target=g.hex_id(int(rng.choice(ch["fire"]))),
                             count=int(rng.integers(1, n + 1))))
        if "resupply" in ch:
            mates = legal.resupply_targets(view, int(u))
            out.append(Order(kind="resupply", unit=uid, target_unit=ids[int(rng.choice(mates))],
                             count=int(rng.integers(1, legal.budget_total(view, int(u), "resupply") + 1))))
    bomb_hexes = legal.choices(view, None).get("bomb")
    if bomb_hexes is not None:
        bombs = legal.budget_total(view, None, "bomb")
        while bombs > 0:
            n = int(rng.integers(1, bombs + 1))
            out.append(Order(kind="bomb", target=g.hex_id(int(rng.choice(bomb_hexes))), count=n))
            bombs -= n
    return out


POLICIES: dict[str, Policy] = {"hold": hold, "random": random_orders}


def _add_commanders() -> None:
    from .commander import COMMANDERS  # the computer commander at its three levels

    POLICIES.update(COMMANDERS)


_add_commanders()


def policy_rng(seed: int, turn: int, side: int) -> np.random.Generator:
    """The policy's own stream, apart from the engine's dice."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=int(seed), spawn_key=(int(turn), 100 + side))))
