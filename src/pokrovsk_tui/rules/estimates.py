"""What a side can estimate of today's fields from its own view, computed with the engine's
own detection and EW functions (phase_sense), never restated: its observation effort, the
enemy's drone kill zone from the drone units it has seen, and the jamming of its own and of
the enemy's EW posts it has seen. The app's overlays and the computer commander ask here."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

import numpy as np

from .orders import no_orders
from .params import TERRAINS
from .phase_fires import URBAN
from .phase_move import cover_levels, held, killzone_fraction, position_fire_fraction
from .phase_sense import _static_effort, ew_slots, jam_layers, patrol_field
from .view import SideView
from .work import consts
from .world import ROLES, World

if TYPE_CHECKING:
    from .work import Work


def _work(view: SideView, hexes: np.ndarray, live: np.ndarray, visibility: float, jam=None) -> Work:
    """A stand-in for the engine's Work holding only the fields the effort, jamming and
    patrol-field helpers read (a single replication)."""
    w = view.world
    return cast("Work", SimpleNamespace(world=w, p=w.params, c=consts(w), K=1, U=w.n_units, n=w.grid.n, hex=hexes[None, :],
                           live=live[None, :], co=no_orders(w), v=np.array([visibility]),
                           jam=np.zeros((1, 2, w.grid.n)) if jam is None else jam[None]))


BUILT_UP = (TERRAINS.index("village"), TERRAINS.index("industrial"))


def assumed_entrenchment(world: World, enemy: int, h: int) -> int:
    """The entrenchment a side expects of enemy defenders on hex h (``assumed_entrenchments``)."""
    return int(assumed_entrenchments(world, enemy)[h])


def assumed_entrenchments(world: World, enemy: int) -> np.ndarray:
    """(n,) the entrenchment a side expects of enemy defenders on every hex, read-only:
    Ukrainian defenders dig in where there are buildings (3 in towns, 2 in villages and
    industry), Russian ones at 1. Worked out once per world."""
    return world.derived(_assumed_entrenchments)[enemy]


def _assumed_entrenchments(world: World) -> np.ndarray:
    t = world.terrain
    table = np.stack([np.where(t == URBAN, 3, np.where(np.isin(t, BUILT_UP), 2, 1)),
                      np.ones(world.grid.n)]).astype(np.int64)          # enemy UA, enemy RU
    table.flags.writeable = False
    return table


def expected_entrenchment(world: World, enemy: int, c) -> int:
    """How dug in a side takes an enemy contact ``c`` to be: as seen, for a unit detected in
    the latest turn (trench lines show from the air); otherwise ``assumed_entrenchment``."""
    return int(c.dug_in) if c.dug_in is not None else assumed_entrenchment(world, enemy, c.hex)


def own_effort(view: SideView, patrol_share: float, visibility: float,
               static: np.ndarray | None = None) -> np.ndarray:
    """(n,) the side's detection effort from its own units where they stand, with each drone
    unit flying ``patrol_share`` of its sorties on patrol (no recon ordered yet; the enemy's
    jamming of that patrol is not known, so none). ``static``: ``own_effort(view, 0,
    visibility)`` (the units' own watch, whatever the patrol share), when the caller has it."""
    w = view.world
    hexes = np.where(view.own, view.hex, -1)
    work = _work(view, hexes, view.own, visibility)
    if static is None:
        static = _static_effort(work, hexes[None, :], view.own[None, :], sides=(view.side,))[0, view.side]
    if patrol_share <= 0:
        return static
    sorties = np.where(view.own & w.role_is("drone"), w.t_sorties[w.u_type] * patrol_share, 0.0)[None, :]
    return static + patrol_field(work, sorties)[0, view.side] * w.params.patrol_detection_share


def _seen(view: SideView, role: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(U,) hexes and mask of the enemy units (of a role, or all) the side has seen (or last seen)."""
    w = view.world
    hexes = np.full(w.n_units, -1, np.int64)
    mask = np.zeros(w.n_units, bool)
    for c in view.contacts:
        u = w.unit_index[c.unit]
        if role is None or ROLES[w.u_role[u]] == role:
            hexes[u], mask[u] = c.hex, True
    return hexes, mask


def cover_estimate(view: SideView) -> np.ndarray:
    """(n,) how deep the enemy's positions next to each hex are, as far as the side knows:
    every enemy unit it has seen (or last seen) where it saw it, dug in as it saw it (a unit
    detected in the latest turn) or as ``belief.expected_entrenchment`` assumes."""
    w = view.world
    hexes, mask = _seen(view)
    mask &= hexes >= 0
    level = np.zeros(w.n_units, np.int64)
    for c in view.contacts:
        level[w.unit_index[c.unit]] = expected_entrenchment(w, 1 - view.side, c)
    return cover_levels(w, hexes[None, :], mask[None, :], level[None, :])[0, 1 - view.side]


def line_estimate(view: SideView, cover: np.ndarray) -> np.ndarray:
    """(n,) bool: where the side expects a held enemy line (``phase_move.held``) from the
    enemy positions it knows (``cover`` from ``cover_estimate``): a unit on such a hex cannot
    step into another one, nor walk into an empty one."""
    return held(view.world.params, cover)


def move_loss_estimate(view: SideView, fc_est: np.ndarray, cover: np.ndarray, signature: float) -> np.ndarray:
    """(n,) share of a moving unit's strength (type signature ``signature``) lost entering each
    hex: the enemy's kill zone ``fc_est`` and the fire of its dug-in positions ``cover`` (the
    rules of phase_move, in frost)."""
    p = view.world.params
    sig = signature * p.moving_signature
    kz = killzone_fraction(p, fc_est, sig, 1.0)
    return 1.0 - (1.0 - kz) * (1.0 - position_fire_fraction(p, cover, sig, 1.0))


def jamming_estimate(view: SideView) -> np.ndarray:
    """(2, n) jamming on each hex: the side's own EW posts where they stand, and the enemy's
    posts it has seen where it saw them (both as if they jam today)."""
    w = view.world
    e_hex, e_mask = _seen(view, "ew")
    own_ew = view.own & w.role_is("ew")
    hexes = np.where(own_ew, view.hex, e_hex)
    return posts_jamming(view, np.flatnonzero(own_ew | e_mask), hexes[own_ew | e_mask])


def posts_jamming(view: SideView, units: np.ndarray, hexes: np.ndarray) -> np.ndarray:
    """(2, n) jamming on each hex (a row per side) from the EW posts ``units`` (unit slots;
    units of other roles jam nothing) standing on ``hexes``, as if they all jam today: the
    engine's rule (``phase_sense.jam_layers``), each post within its radius, several posts on one
    hex combined as 1 - prod(1 - strength) in unit slot order. A hex no post covers reads 0."""
    w = view.world
    units = np.asarray(units, np.int64)
    at = np.full(w.n_units, -1, np.int64)
    at[units] = hexes
    live = np.zeros(w.n_units, bool)
    live[units] = True
    ew = ew_slots(w)
    if ew.size == 0:
        return np.zeros((2, w.grid.n))
    # (phase_sense.jamming of one replication whose posts all hold, without building a Work)
    return jam_layers(w, at[None, ew], live[None, ew], w.grid.n)[0]


def killzone_estimate(view: SideView, visibility: float) -> np.ndarray:
    """(n,) the enemy's patrol fire control if every enemy drone unit the side has seen flew all
    its sorties on patrol from where it was seen, thinned by the side's own jamming."""
    w = view.world
    hexes, mask = _seen(view, "drone")
    sorties = np.where(mask, w.t_sorties[w.u_type], 0).astype(float)[None, :]
    jam = jamming_estimate(view)
    return patrol_field(_work(view, hexes, mask, visibility, jam), sorties)[0, 1 - view.side]
