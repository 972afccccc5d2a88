"""Victory points a day, objective by objective: the one home of the scoring rule
(``phase_end.control_and_victory`` adds these up; the after-action report shows them).

A ``hold`` objective pays its VP split over its hexes to the side controlling each (a
contested hex pays no one). A ``road`` objective pays all its VP to RU when RU controls any of
its hexes or holds fire control at or above the objective's threshold on any of them, else to
UA. On the talks day (``victory.talks_turn``) everything counts double (``day_factor``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def objective_gains(world, control: np.ndarray, ru_fire: np.ndarray) -> np.ndarray:
    """(K, n_objectives, 2) VP each side scores on each objective today, before the talks-day
    factor, from ``control`` (K, n) and RU's total fire control ``ru_fire`` (K, n)."""
    t = world.derived(_objective_table)
    K = control.shape[0]
    out = np.zeros((K, t.n, 2))
    if t.hold.size:
        # each hold objective's hexes, padded with hexes read as no one's: a side's share of
        # them is the count it controls over the objective's size
        c = np.where(t.hold_ok[None], control[:, t.hold_hexes], -1)         # (K, H, L)
        for s in (0, 1):
            out[:, t.hold, s] = t.hold_vp[None, :] * ((c == s).sum(axis=2) / t.hold_size[None, :])
    for i, hexes, vp, threshold in t.road:
        ru = (control[:, hexes] == 1).any(axis=1) | (ru_fire[:, hexes] >= threshold).any(axis=1)
        out[:, i, 1] = np.where(ru, vp, 0.0)
        out[:, i, 0] = np.where(ru, 0.0, vp)
    return out


@dataclass(frozen=True)
class _Objectives:
    n: int
    hold: np.ndarray            # (H,) index of each hold objective
    hold_hexes: np.ndarray      # (H, L) its hexes, padded with hex 0
    hold_ok: np.ndarray         # (H, L) False on the padding
    hold_size: np.ndarray       # (H,) its number of hexes
    hold_vp: np.ndarray         # (H,)
    road: tuple                 # (index, hexes, vp, fire-control threshold) of each road objective


def _objective_table(world) -> _Objectives:
    obs = world.scenario.objectives
    hold = [i for i, ob in enumerate(obs) if ob.kind == "hold"]
    hexes = [np.asarray(world.objective_hexes[i], np.int64) for i in hold]
    L = max((h.size for h in hexes), default=0)
    table = np.zeros((len(hold), L), np.int64)
    ok = np.zeros((len(hold), L), bool)
    for j, h in enumerate(hexes):
        table[j, :h.size] = h
        ok[j, :h.size] = True
    road = tuple((i, world.objective_hexes[i], ob.vp, ob.fire_control_threshold)
                 for i, ob in enumerate(obs) if ob.kind != "hold")
    return _Objectives(len(obs), np.array(hold, np.int64), table, ok,
                       np.array([h.size for h in hexes], np.int64), np.array([obs[i].vp for i in hold], float), road)


def day_factor(world, turn: int) -> float:
    """2 on the talks day, else 1."""
    return 2.0 if world.scenario.victory.talks_turn == turn else 1.0
