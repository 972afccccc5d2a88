"""Victory points a day, objective by objective: the one home of the scoring rule
(``phase_end.control_and_victory`` adds these up; the after-action report shows them).

A ``hold`` objective pays its VP split over its hexes to the side controlling each (a
contested hex pays no one). A ``road`` objective pays all its VP to RU when RU controls any of
its hexes or holds fire control at or above the objective's threshold on any of them, else to
UA. On the talks day (``victory.talks_turn``) everything counts double (``day_factor``).
"""

from __future__ import annotations

import numpy as np


def objective_gains(world, control: np.ndarray, ru_fire: np.ndarray) -> np.ndarray:
    """(K, n_objectives, 2) VP each side scores on each objective today, before the talks-day
    factor, from ``control`` (K, n) and RU's total fire control ``ru_fire`` (K, n)."""
    scn = world.scenario
    K = control.shape[0]
    out = np.zeros((K, len(scn.objectives), 2))
    for i, (ob, hexes) in enumerate(zip(scn.objectives, world.objective_hexes, strict=True)):
        c = control[:, hexes]
        if ob.kind == "hold":
            for s in (0, 1):
                out[:, i, s] = ob.vp * (c == s).mean(axis=1)
        else:
            ru = (c == 1).any(axis=1) | (ru_fire[:, hexes] >= ob.fire_control_threshold).any(axis=1)
            out[:, i, 1] = np.where(ru, ob.vp, 0.0)
            out[:, i, 0] = np.where(ru, 0.0, ob.vp)
    return out


def day_factor(world, turn: int) -> float:
    """2 on the talks day, else 1."""
    return 2.0 if world.scenario.victory.talks_turn == turn else 1.0
