"""Phase 4: movement. All units step along their paths together, one hex a step.

A unit stops when its MP run out (its first hex is always allowed), before a hex held by
enemy units, on entering an enemy zone of control (a hex next to an enemy unit at the start
of the phase), or, where a line holds (``line_hold``), before stepping from one hex next to
dug-in enemy positions into another. Every hex entered under enemy fire control costs strength: the drone
kill zone, more in snow and mud, where crossing a hex off the roads takes longer. Every hex
entered next to dug-in enemy positions costs strength too: their fire (``position_fire``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

from .events import ref
from .kernels import occupied, strength_lost, unique_rows
from .orders import G_MOVE
from .world import CAUSES

if TYPE_CHECKING:
    from .work import Work


class Stop(IntEnum):
    """Why a moving unit ended its move short of its path's end (NONE: it did not)."""

    NONE = 0
    OUT_OF_MP = 1            # its movement points ran out
    BLOCKED = 2              # the next hex was held by enemy units
    ZOC = 3                  # it entered an enemy zone of control
    HELD = 4                 # it started next to a dug-in enemy line and the next hex is covered by it


@dataclass(frozen=True)
class Stopped:
    """A unit's stop as the events tell it: the reason and, when blocked, the hex it could
    not enter."""

    reason: Stop
    at: str | None = None    # hex id of the blocking hex (BLOCKED)

    def __str__(self) -> str:
        if self.reason == Stop.OUT_OF_MP:
            return "out of movement points"
        if self.reason == Stop.BLOCKED:
            return f"blocked by enemy units at {self.at}"
        if self.reason == Stop.ZOC:
            return "entered an enemy zone of control"
        if self.reason == Stop.HELD:
            return "held by the fire of dug-in positions"
        return ""


def killzone_fraction(p, fc, sig, slow):
    """Share of a unit's strength lost entering a hex under enemy fire control ``fc``: the time
    it spends exposed grows with the weather's off-road cost (``slow``)."""
    return 1.0 - np.exp(-p.killzone_coeff * fc * sig * slow)


def position_fire_fraction(p, cover, sig, slow):
    """Share of a unit's strength lost entering a hex next to enemy positions dug in to level
    ``cover`` (the best of them): the machine guns, mines and prepared fields of fire of a
    line. Low-signature infiltrators pay less; mud and snow keep them exposed longer."""
    return 1.0 - np.exp(-p.position_fire * cover * sig * slow)


def held(p, cover):
    """Where a line holds against a side: hexes next to enemy units dug in to at least
    ``line_hold`` (``cover`` from ``cover_levels``). A unit standing on such a hex cannot
    step into another one, by moving or by walking into an empty hex: the positions' fields of
    fire cover the ground between them, so getting past a held line takes an assault on the
    positions themselves. Off (all False) when ``line_hold`` is 0."""
    return (cover >= p.line_hold) & (p.line_hold > 0)


def on_held_line(p, world, cover: np.ndarray, hexes: np.ndarray, slots: np.ndarray | None = None) -> np.ndarray:
    """(K, U) whether each unit stands on a line the enemy holds against it (``held`` of the
    enemy's ``cover``, (K, 2, n) from ``cover_levels``, at the unit's hex ``hexes``);
    ``slots``: the unit slots of ``hexes``' columns when they are not all of them."""
    K = hexes.shape[0]
    side = world.u_side if slots is None else world.u_side[slots]
    return held(p, cover[np.arange(K)[:, None], 1 - side[None, :], np.maximum(hexes, 0)])


def cover_levels(world, hexes: np.ndarray, live: np.ndarray, entrench: np.ndarray, dtype=float) -> np.ndarray:
    """(K, 2, n) for each side, the deepest entrenchment among its live units on the hexes
    next to each hex (the hex itself not counted): how well its positions cover that hex.
    ``dtype``: int8 for a layer an eighth the size, read as floats where it is used."""
    K, _U = hexes.shape
    n = world.grid.n
    dug = live & (entrench > 0)
    if not dug.any():
        return np.zeros((K, 2, n), dtype)
    # rows whose dug-in units stand on the same hexes at the same levels are covered alike:
    # each distinct one is worked out once (rows of a batch often share them)
    if K > 1:
        top = int(entrench[dug].max()) + 1
        first, group = unique_rows(np.where(dug, hexes * top + entrench, -1).astype(np.int32))
        if first.size < K:
            return np.take(_cover(world, hexes[first], dug[first], entrench[first], dtype), group, axis=0)
    return _cover(world, hexes, dug, entrench, dtype)


def _cover(world, hexes: np.ndarray, dug: np.ndarray, entrench: np.ndarray, dtype) -> np.ndarray:
    """``cover_levels`` of the (K, U) ``dug`` units (some in every row or none)."""
    K = hexes.shape[0]
    n = world.grid.n
    # each dug-in unit marks the hexes next to it (neighbours are mutual on a hex grid); the
    # deepest level on a hex is the highest of theirs
    k, u = np.nonzero(dug)
    level = entrench[k, u]
    cells = world.grid.neighbours[np.maximum(hexes[k, u], 0)]               # (D, 6), -1 off the map
    ok = cells >= 0
    flat = (((k * 2 + world.u_side[u]) * n)[:, None] + cells)[ok]
    reached = np.repeat(level, np.count_nonzero(ok, axis=1)).astype(dtype)
    out = np.zeros(K * 2 * n, dtype)
    np.maximum.at(out, flat, reached)
    return out.reshape(K, 2, n)


_DRONE, _GROUND = CAUSES.index("drone"), CAUSES.index("ground")
_REASON = {int(c): str(Stopped(c)) for c in Stop}       # each stop's words (BLOCKED's name a hex)


def movement(w: Work) -> None:
    world = w.world
    p = w.p
    K, n = w.K, w.n
    co = w.co
    live = w.live
    start = w.hex.copy()
    c = w.c
    mult = c.offroad_mult[w.weather]                                  # (K,)
    moving_all = live & (co.per_rep(co.ground) == G_MOVE)
    # only the unit slots that move in some replication are followed (the others stay put):
    # every (K, C) value below is the one a (K, U) layer would hold in those columns
    cols = np.flatnonzero(moving_all.any(axis=0))
    C = cols.size
    mp = c.mp[cols][None, :] * np.ones((K, 1))
    moving = moving_all[:, cols]
    spent = np.zeros((K, C))
    sig = c.signature[cols][None, :] * p.moving_signature
    # why each unit stopped (Stop) and, when blocked, the path step it could not take
    stop = np.zeros((K, C), np.int64) if w.events is not None else None
    blocked_step = np.full((K, C), -1, np.int64)
    kz = np.zeros((K, C))
    pf = np.zeros((K, C))
    # every step's layers read at once, (K, C, L) over the L steps of the longest path: the
    # enemy's presence, zones of control, fire control and cover are those of the start of
    # the phase. Each value is worked out as a step by step reading would (elementwise).
    paths = co.path[..., cols, :]                                     # (C, L) or (P, C, L)
    L = int(np.count_nonzero((paths.reshape(-1, paths.shape[-1]) >= 0).any(axis=0))) if C else 0   # paths are -1 padded
    if L:
        # enemy presence and zones of control (a hex next to or on an occupied hex), from
        # positions at the start of the phase, read on the paths only
        occ = occupied(w.hex, live, c.side_n, n).reshape(-1)
        need_cover = p.position_fire > 0 or p.line_hold > 0
        cover = cover_levels(world, w.hex, live, w.entrench, np.int8) if need_cover else np.zeros((K, 2, n), np.int8)
        k_idx = np.arange(K)[:, None]
        nxt = co.per_rep(paths[..., :L]) * np.ones((K, 1, 1), np.int64)
        has = nxt >= 0
        nx = np.maximum(nxt, 0)
        slow = np.where(world.offroad[nx], mult[:, None, None], 1.0)    # mud and snow: longer exposed
        cost = world.move_cost[nx] * slow
        # flat index of (replication, enemy side, hex 0) of each unit in a (K, 2, n) layer
        at0 = ((k_idx * 2 + 1 - world.u_side[None, cols]) * n)[:, :, None]
        at = at0 + nx
        blocked = occ[at]
        # disk(1) cells off the map read hex 0, masked
        in_zoc_all = np.any(occ[at0[..., None] + c.nb1[nx]] & c.nb1_ok[nx], axis=3)
        kz_frac = killzone_fraction(p, w.fc_total.reshape(-1)[at], sig[..., None], slow)
        level = cover.reshape(-1)[at].astype(float)
        line_all = held(p, level)                  # what a held line stops (read where pinned)
        pf_frac = position_fire_fraction(p, level, sig[..., None], slow) if p.position_fire > 0 else None
        # a unit that starts next to a held enemy line cannot step along or through it: the
        # steps it is stopped at, (K, C, L)
        pinned = None
        if p.line_hold > 0:
            pinned = on_held_line(p, world, cover, w.hex[:, cols], cols)[..., None] & line_all
        hexes = w.hex[:, cols]
    limit = mp + 1e-9
    if L:
        # the moving slots' strength and losses (Work.hurt_cols's sums, step after step), kept
        # here over the steps and written back once
        strength = w.strength[:, cols]
        lost_kz = w.loss[:, cols, _DRONE]
        lost_pf = w.loss[:, cols, _GROUND]
        # the steps a unit may take when its MP allow (neither blocked nor stopped by a held
        # line), and those that leave it free to go on (not into a zone of control)
        enter = ~blocked if pinned is None else ~(blocked | pinned)
        go_on = ~in_zoc_all
    for j in range(L):
        go = moving & has[..., j]
        if not go.any():
            break
        cost_j = cost[..., j]
        fits = go & ~(spent + cost_j > limit) if j > 0 else go      # the first hex is always allowed
        step = fits & enter[..., j]
        if stop is not None:
            stop[go & ~fits] = Stop.OUT_OF_MP
            bl = fits & blocked[..., j]
            stop[bl] = Stop.BLOCKED
            blocked_step[bl] = j
            if pinned is not None:
                stop[fits & ~blocked[..., j] & pinned[..., j]] = Stop.HELD
        hexes = np.where(step, nx[..., j], hexes)
        spent = np.where(step, spent + cost_j, spent)
        taken = strength_lost(np.where(step, strength * kz_frac[..., j], 0.0), strength)
        strength = strength - taken
        lost_kz += taken
        kz += taken
        if pf_frac is not None:
            taken = strength_lost(np.where(step, strength * pf_frac[..., j], 0.0), strength)
            strength = strength - taken
            lost_pf += taken
            pf += taken
        if stop is not None:
            stop[step & in_zoc_all[..., j]] = Stop.ZOC
        moving = step & go_on[..., j]
    if L:
        w.hex = w.hex.copy()
        w.hex[:, cols] = hexes
        w.strength = w.strength.copy()            # (replaced, not changed in place: see hurt_cols)
        w.strength[:, cols] = strength
        w.loss[:, cols, _DRONE] = lost_kz
        w.loss[:, cols, _GROUND] = lost_pf
    w.moved = w.hex != start
    w.entrench = np.where(w.moved, 0, w.entrench)

    if stop is not None:
        ids = c.hex_ids
        # replication 0's values as Python numbers, read one by one below
        end0, start0 = w.hex[0].tolist(), start[0].tolist()
        stop0, bstep0, mp0, spent0, kz0, pf0 = (dict(zip(cols.tolist(), a[0].tolist(), strict=True))
                                                for a in (stop, blocked_step, mp, spent, kz, pf))
        mult0 = float(mult[0])
        for u in np.flatnonzero(live[0] & (co.ground == G_MOVE)).tolist():
            planned = [ids[h] for h in co.path[u].tolist() if h >= 0]
            end, here = end0[u], start0[u]
            why = {"planned": planned, "mp": mp0[u], "spent": spent0[u],
                   "weather_offroad_x": mult0, "killzone_loss": kz0[u], "from": ids[here]}
            if pf0[u] > 0:
                why["position_fire_loss"] = pf0[u]
            code = stop0[u]
            reason = str(Stopped(Stop.BLOCKED, planned[bstep0[u]])) if code == Stop.BLOCKED else _REASON[code]
            if reason:
                why["stopped"] = reason
            text = f"{ref(0)} moves {ids[here]} -> {ids[end]}" if end != here else f"{ref(0)} could not move"
            if reason:
                text += f" ({reason})"
            if kz0[u] > 0:
                text += f"; kill zone -{kz0[u]:.1f}"
            if pf0[u] > 0:
                text += f"; fire from dug-in positions -{pf0[u]:.1f}"
            w.emit("movement", "move", text, side=c.side[u], hex=end, units=[u], why=why)
