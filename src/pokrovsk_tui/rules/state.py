"""The dynamic game state: numpy layers per hex and a structure of arrays per unit slot.

A single game's state has plain arrays; a Monte Carlo batch has the same fields with a
leading axis K. ``batched(K)`` and ``replica(k)`` convert between the two. States are never
changed in place by the engine: it returns a new one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from .world import CAUSES, World


@dataclass(frozen=True, eq=False)
class GameState:
    turn: int                   # the next turn to resolve (1-based); turns + 1 once over
    weather: np.ndarray         # () weather index of the last resolved day, -1 before day 1
    on_map: np.ndarray          # (U,) bool: arrived and not lost
    lost: np.ndarray            # (U,) bool: removed from play
    hex: np.ndarray             # (U,) int64
    strength: np.ndarray        # (U,) float
    cohesion: np.ndarray        # (U,) float 0-100
    supply: np.ndarray          # (U,) float 0-100
    entrench: np.ndarray        # (U,) int64 0-3
    isolated: np.ndarray        # (U,) int64 days running without a supply path
    stock: np.ndarray           # (U,) int64 drones held (drone units)
    detected: np.ndarray        # (2, U) bool: side s currently sees unit u
    seen_hex: np.ndarray        # (2, U) int64 last hex side s saw unit u on, -1 never
    seen_turn: np.ndarray       # (2, U) int64
    seen_strength: np.ndarray   # (2, U) float strength when last seen
    control: np.ndarray         # (n,) int8: 0 UA, 1 RU, 2 contested
    fire_control: np.ndarray    # (2, n) float: interdiction fire control exerted by side s
    vp: np.ndarray              # (2,) float
    sd_days: np.ndarray         # (n_sudden_death,) int64 days running each condition held
    casualties: np.ndarray      # (2, 5) float: strength lost by each side, by cause
    winner: np.ndarray          # () int64: -1 playing, 0 UA, 1 RU, 2 draw
    end_reason: np.ndarray      # () int64: -1 playing, -2 last turn, i = sudden death i

    def batched(self, k: int) -> GameState:
        arrays: dict[str, Any] = {f: np.broadcast_to(getattr(self, f), (k,) + getattr(self, f).shape).copy()
                                  for f in ARRAY_FIELDS}
        return dataclasses.replace(self, **arrays)

    def replica(self, k: int) -> GameState:
        return dataclasses.replace(self, **{f: getattr(self, f)[k].copy() for f in ARRAY_FIELDS})

    @property
    def over(self) -> bool:
        return bool(np.all(self.winner >= 0))

    def copy_with(self, **changes) -> GameState:
        return dataclasses.replace(self, **changes)

    def equal(self, other: GameState, tol: float = 1e-9) -> list[str]:
        """Names of fields that differ (empty when the states match)."""
        out = [] if self.turn == other.turn else ["turn"]
        for f in ARRAY_FIELDS:
            a, b = getattr(self, f), getattr(other, f)
            if a.shape != b.shape:
                out.append(f)
            elif a.dtype.kind == "f":
                if not np.allclose(a, b, rtol=tol, atol=tol):
                    out.append(f)
            elif not np.array_equal(a, b):
                out.append(f)
        return out


ARRAY_FIELDS = tuple(f.name for f in dataclasses.fields(GameState) if f.name != "turn")


def initial_state(world: World) -> GameState:
    """The state before turn 1: units at their start hexes, reinforcements off the map."""
    s = world.scenario
    U = world.n_units
    specs = [u for u in s.units] + [r.unit for r in s.reinforcements]
    strength = np.array([u.strength if u.strength is not None else world.t_strength[world.u_type[i]]
                         for i, u in enumerate(specs)], dtype=float)
    on_map = world.u_arrival == 0
    drones = [s.unit_types[u.type].drone for u in specs]
    stock = np.array([d.stock if d else 0 for d in drones], dtype=np.int64)
    return GameState(
        turn=1,
        weather=np.array(-1, dtype=np.int64),
        on_map=on_map.copy(),
        lost=np.zeros(U, bool),
        hex=world.u_start_hex.copy(),
        strength=strength,
        cohesion=np.array([u.cohesion for u in specs], dtype=float),
        supply=np.array([u.supply for u in specs], dtype=float),
        entrench=np.array([u.entrenchment for u in specs], dtype=np.int64),
        isolated=np.zeros(U, np.int64),
        stock=stock,
        detected=np.zeros((2, U), bool),
        seen_hex=np.full((2, U), -1, np.int64),
        seen_turn=np.full((2, U), -1, np.int64),
        seen_strength=np.zeros((2, U)),
        control=world.initial_control.copy(),
        fire_control=np.zeros((2, world.grid.n)),
        vp=np.zeros(2),
        sd_days=np.zeros(len(s.victory.sudden_death), np.int64),
        casualties=np.zeros((2, len(CAUSES))),
        winner=np.array(-1, dtype=np.int64),
        end_reason=np.array(-1, dtype=np.int64),
    )
