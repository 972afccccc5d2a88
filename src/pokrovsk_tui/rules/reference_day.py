"""The reference adjudicator's day: one turn being resolved as plain Python lists (``Day``),
with the fire missions and robot runs the orders give it. It mirrors the engine's ``Work``
(rules/work.py); the phase files ``reference_*.py`` work on it and reference.py runs them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .dice import Dice
from .events import Event
from .orders import Order
from .scenario import SIDES
from .state import GameState
from .world import CAUSES, ROLES, World


@dataclass(frozen=True)
class Mission:
    """One fire mission: drone sorties, artillery rounds or glide bombs on one hex."""

    side: int
    unit: int          # firing unit, -1 for glide bombs
    kind: str          # recon, strike, interdict, hunt, fire, bomb
    hex: int
    count: int


@dataclass(frozen=True)
class Run:
    """UGV resupply: ``count`` robot runs from ``robot`` to the friendly unit ``target``."""

    robot: int
    target: int
    count: int


class Distances:
    """Hex distances as ``dist[a][b]`` (plain ints), each row ``dist[a]`` computed from axial
    coordinates the first time it is asked for and kept for the day: no (n, n) table."""

    def __init__(self, grid) -> None:
        self.grid = grid
        self.rows: dict[int, list[int]] = {}

    def __getitem__(self, a: int) -> list[int]:
        row = self.rows.get(a)
        if row is None:
            row = self.rows[a] = self.grid.dist_from(int(a)).tolist()
        return row


def _neighbours(world: World) -> list[list[int]]:
    """Neighbour lists (direction order E, NE, NW, W, SW, SE; -1 off map), kept while the
    world lives."""
    return world.derived(_build_neighbours)


def _build_neighbours(world: World) -> list[list[int]]:
    return world.grid.neighbours.tolist()


class Day:
    """One turn being resolved: the state as plain lists, the orders, and the day's scratch."""

    # the state as plain lists (copied from the GameState in __init__): [u] per unit slot,
    # [h] per hex, [s] per side
    on_map: list[bool]
    lost: list[bool]
    hex: list[int]
    strength: list[float]
    cohesion: list[float]
    supply: list[float]
    entrench: list[int]
    isolated: list[int]
    stock: list[int]
    detected: list[list[bool]]          # [s][u]
    seen_hex: list[list[int]]           # [s][u]
    seen_turn: list[list[int]]          # [s][u]
    seen_strength: list[list[float]]    # [s][u]
    control: list[int]
    fire_control: list[list[float]]     # [s][h]
    vp: list[float]
    sd_days: list[int]
    casualties: list[list[float]]       # [s][cause]
    jam: list[list[float]]              # [s][h] today's jamming (detection)

    def __init__(self, world: World, state: GameState, accepted: dict[int, list[Order]], dice: Dice,
                 events: list[Event]):
        self.world, self.p, self.grid, self.dice, self.events = world, world.params, world.grid, dice, events
        self.turn = state.turn
        self.n, self.U = world.grid.n, world.n_units
        self.dist, self.nbrs = Distances(world.grid), _neighbours(world)
        # static facts of each unit slot, and of each hex
        ty = world.u_type.tolist()
        self.side = world.u_side.tolist()
        self.role = [ROLES[world.t_role[t]] for t in ty]
        self.type = ty
        self.sig0 = [float(world.t_signature[t]) for t in ty]
        self.full = [float(world.t_strength[t]) for t in ty]
        self.passable = world.passable.tolist()
        self.move_cost = world.move_cost.tolist()
        # the state, as plain Python values
        self.weather = int(state.weather)
        for f in ("on_map", "lost", "hex", "strength", "cohesion", "supply", "entrench", "isolated", "stock",
                  "detected", "seen_hex", "seen_turn", "seen_strength", "control", "fire_control", "vp",
                  "sd_days", "casualties"):
            setattr(self, f, getattr(state, f).tolist())
        self.winner, self.end_reason = int(state.winner), int(state.end_reason)
        # the orders: one ground order per unit (hold by default), missions and robot runs
        g = world.grid
        self.ground = ["hold"] * self.U
        self.target = [-1] * self.U
        self.path: list[list[int]] = [[] for _ in range(self.U)]
        self.missions: list[Mission] = []
        self.runs: list[Run] = []
        for s in (0, 1):
            for o in accepted.get(s, []):
                u = world.unit_index[o.unit] if o.unit is not None else -1
                if o.kind in ("recon", "strike", "interdict", "hunt", "fire", "bomb"):
                    assert o.target is not None           # validated: a mission aims at a hex
                    self.missions.append(Mission(s, u, o.kind, g.index(o.target), o.count))
                elif o.kind == "resupply":
                    assert o.target_unit is not None
                    self.runs.append(Run(u, world.unit_index[o.target_unit], o.count))
                else:
                    self.ground[u] = o.kind
                    self.path[u] = [g.index(h) for h in o.path] if o.kind == "move" else []
                    self.target[u] = g.index(o.target) if o.target is not None else -1
        # the day's scratch
        self.v = 1.0
        self.patrol = [0] * self.U
        self.patrol_fc = [[0.0] * self.n for _ in (0, 1)]
        self.fc_total = [[0.0] * self.n for _ in (0, 1)]
        self.loss = [[0.0] * len(CAUSES) for _ in range(self.U)]
        self.fought = [False] * self.U
        self.moved = [False] * self.U
        self.reach = [[False] * self.n for _ in (0, 1)]
        self.delivered = [0.0] * self.U

    # ----- helpers -----------------------------------------------------------------------
    def live(self, u: int) -> bool:
        """On the map with strength left."""
        return self.on_map[u] and self.strength[u] > 0

    def hurt(self, u: int, amount: float, cause: str) -> float:
        """Take strength from a unit for a cause (never below zero); returns what was lost."""
        taken = min(max(amount, 0.0), self.strength[u])
        self.strength[u] = self.strength[u] - taken
        self.loss[u][CAUSES.index(cause)] += taken
        return taken

    def within(self, h: int, radius: int) -> list[int]:
        return [x for x in range(self.n) if self.dist[h][x] <= radius]

    def draws(self, phase: str, stream: str, *shape: int):
        """Replication 0 of the engine's draws for this (phase, stream): a float for the
        engine's shape (K,), else nested lists."""
        return self.dice.uniform(self.turn, phase, stream, (1, *shape))[0].tolist()

    def emit(self, phase: str, kind: str, text: str, *, side: int | None = None, hex: int | None = None,
             units=(), why=None) -> None:
        self.events.append(Event(
            turn=self.turn, phase=phase, kind=kind, text="", template=text,
            visible_to=(SIDES[side],) if side is not None else ("ua", "ru"),
            hex=self.grid.hex_id(hex) if hex is not None and hex >= 0 else None,
            units=tuple(self.world.unit_ids[u] for u in units), why=why or {}))

    def finish(self, state: GameState) -> GameState:
        a = np.array
        return dataclasses.replace(
            state, turn=self.turn + 1, weather=a(self.weather, np.int64), on_map=a(self.on_map, bool),
            lost=a(self.lost, bool), hex=a(self.hex, np.int64), strength=a(self.strength, float),
            cohesion=a(self.cohesion, float), supply=a(self.supply, float), entrench=a(self.entrench, np.int64),
            isolated=a(self.isolated, np.int64), stock=a(self.stock, np.int64), detected=a(self.detected, bool),
            seen_hex=a(self.seen_hex, np.int64), seen_turn=a(self.seen_turn, np.int64),
            seen_strength=a(self.seen_strength, float), control=a(self.control, np.int8),
            fire_control=a(self.fire_control, float), vp=a(self.vp, float),
            sd_days=a(self.sd_days, np.int64).reshape(-1), casualties=a(self.casualties, float),
            winner=a(self.winner, np.int64), end_reason=a(self.end_reason, np.int64))
