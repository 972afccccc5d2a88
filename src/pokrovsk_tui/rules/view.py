"""What one side knows: its own units exactly, enemy units only as detected (strength as a
band) or as dimmed last-seen markers, the public control map, and its own events.

``view(world, state, side)`` is the only thing a player screen or an AI is handed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .orders import OrderContext
from .state import GameState
from .world import World

LAST_SEEN_TURNS = 3   # a marker fades this many turns after the last sighting
BAND = 20.0


@dataclass(frozen=True)
class Contact:
    """An enemy unit as this side knows it."""

    unit: str
    type: str
    hex: int
    band: tuple[int, int]     # strength between these
    seen_turn: int
    current: bool             # detected in the latest turn; else a last-seen marker


@dataclass(frozen=True, eq=False)
class SideView:
    world: World
    side: int
    turn: int
    weather: int
    control: np.ndarray          # (n,) public
    vp: np.ndarray               # (2,) public
    winner: int
    own: np.ndarray              # (U,) bool: own units on the map
    hex: np.ndarray              # (U,) own hexes, -1 for anything not own
    strength: np.ndarray
    cohesion: np.ndarray
    supply: np.ndarray
    entrench: np.ndarray
    isolated: np.ndarray
    stock: np.ndarray
    fire_control: np.ndarray     # (n,) own interdiction fire control
    casualties: np.ndarray       # (5,) own losses by cause
    contacts: tuple[Contact, ...]

    def context(self) -> OrderContext:
        return OrderContext(world=self.world, side=self.side, turn=self.turn, on_map=self.own,
                            hex=self.hex, stock=self.stock, supply=self.supply, control=self.control)

    @property
    def own_units(self) -> np.ndarray:
        return np.flatnonzero(self.own)

    def enemy_hexes(self, current_only: bool = True) -> np.ndarray:
        return np.array(sorted({c.hex for c in self.contacts if c.current or not current_only}), dtype=np.int64)


def band(strength: float) -> tuple[int, int]:
    lo = int(strength // BAND * BAND)
    return lo, int(lo + BAND)


def view(world: World, state: GameState, side: int) -> SideView:
    """The side's knowledge of a single (unbatched) state."""
    mine = (world.u_side == side) & state.on_map

    def own(a, fill):
        return np.where(mine, a, fill)

    contacts = []
    last = state.turn - 1   # the latest resolved turn
    for u in np.flatnonzero((world.u_side != side) & (state.seen_hex[side] >= 0)):
        seen_turn = int(state.seen_turn[side, u])
        current = bool(state.detected[side, u]) and seen_turn == last and bool(state.on_map[u])
        if not current and last - seen_turn >= LAST_SEEN_TURNS:
            continue
        contacts.append(Contact(unit=world.unit_ids[u], type=world.type_names[world.u_type[u]],
                                hex=int(state.seen_hex[side, u]), band=band(float(state.seen_strength[side, u])),
                                seen_turn=seen_turn, current=current))
    return SideView(
        world=world, side=side, turn=state.turn, weather=int(state.weather), control=state.control.copy(),
        vp=state.vp.copy(), winner=int(state.winner), own=mine,
        hex=own(state.hex, -1), strength=own(state.strength, 0.0), cohesion=own(state.cohesion, 0.0),
        supply=own(state.supply, 0.0), entrench=own(state.entrench, 0), isolated=own(state.isolated, 0),
        stock=own(state.stock, 0), fire_control=state.fire_control[side].copy(),
        casualties=state.casualties[side].copy(), contacts=tuple(contacts))
