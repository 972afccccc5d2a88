"""Digging in: how deep a unit can dig on this map and how fast. The engine's recovery phase,
the computer commander and the unit panel all ask here."""

from __future__ import annotations

import numpy as np


def can_dig(p, level: int) -> bool:
    """Whether a unit at entrenchment ``level`` can still gain a level by digging in."""
    return int(level) < p.max_entrenchment


def dig_odds(p, level: int) -> float:
    """The chance one day of digging in raises entrenchment ``level`` by one (0 when it cannot)."""
    return float(p.dig_chance[int(level)]) if can_dig(p, level) else 0.0


def dug(p, entrench: np.ndarray, digging: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Entrenchment after a day: a unit ``digging`` (it dug in and neither moved nor fought)
    gains a level when its uniform draw ``u`` falls below the level's ``dig_chance``, up to
    ``max_entrenchment``; a position the scenario built deeper than that is never lowered."""
    chance = np.asarray(p.dig_chance)[np.clip(entrench, 0, 2)]
    up = digging & (u < chance) & (entrench < p.max_entrenchment)
    return np.where(up, entrench + 1, entrench)
