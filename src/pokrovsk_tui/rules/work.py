"""The engine's working state for one day: ``Work``, a mutable copy of a batched state's
arrays plus the day's scratch layers, declared field by field. The phase modules
(``phase_*.py``) read and write it; the engine (engine.py) makes one per turn, runs the day's
``PHASES`` on it and turns it back into a state. Internal to rules/.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import InitVar, dataclass, field
from typing import Any, SupportsIndex, TypeAlias

import numpy as np

from .arrays import Array, Bools, Floats, Ints
from .dice import Dice
from .events import Event
from .kernels import strength_lost
from .orders import CompiledOrders
from .params import RESULTS, WEATHERS, RulesParams
from .scenario import SIDES
from .state import ARRAY_FIELDS, GameState
from .world import CAUSES, World

Phase: TypeAlias = Callable[["Work"], None]

_ALL = slice(None)

_CAUSE = {c: i for i, c in enumerate(CAUSES)}        # a cause's index in the loss layer
_BOTH = tuple(SIDES)                                 # an event's readers: both sides
_ONE_SIDE = tuple((s,) for s in SIDES)               # or one side alone


@dataclass(frozen=True, eq=False)
class Consts:
    """World constants the phases read every day, worked out once per world (``consts``):
    per-slot values of each unit's type, per-weather factors, masks. Arrays are read-only;
    the tuples serve Python-side loops (a tuple read is cheaper than a numpy scalar's)."""

    side: tuple[int, ...]           # (U,) u_side as Python ints
    of_side: Bools                  # (2, U) the slots of each side
    side_n: Ints                    # (U,) u_side * n: a unit's side's block in a (2 n) layer
    signature: Floats               # (U,) type signature
    mp: Floats                      # (U,) type movement points
    defence: Floats                 # (U,) type defence
    sorties: Ints                   # (U,) drone sorties a day
    reach: Ints                     # (U,) drone, artillery or UGV range
    radio: Bools                    # (U,) radio-linked drones
    max_stock: Ints                 # (U,) drones held at most
    drone: Bools                    # (U,) drone units
    hq: Bools                       # (U,) HQs
    hq_capacity: Floats             # (U,) HQ relay capacity
    huntable: Bools                 # (U,) drone, EW and UGV units (what hunts may hit)
    visibility: Floats              # (4,) drone visibility of each weather
    offroad_mult: Floats            # (4,) off-road MP multiplier of each weather
    bad_weather: Bools              # (4,) snow or mud
    attack_mod: Ints                # (4,) assault die modifier of each weather
    infiltration_mod: Ints          # (4,) infiltration die modifier of each weather
    crt: Ints                       # (columns, 8) CRT result (RESULTS index) by column and die row
    nb1: Ints                       # (n, 7) disk(1) with -1 read as hex 0 (see nb1_ok)
    nb1_ok: Bools                   # (n, 7) disk(1) cells on the map
    hex_ids: tuple[str, ...]        # (n,) hex ids
    unit_ids: tuple[str, ...]       # (U,) unit ids


def consts(world: World) -> Consts:
    """The world's ``Consts`` (built once per world, kept with it)."""
    return world.derived(_build_consts)


def _build_consts(world: World) -> Consts:
    p = world.params
    t = world.u_type
    wr = [p.weather[WEATHERS[i]] for i in range(4)]
    nb = world.grid.disk(1)

    def ro(a):
        a = np.ascontiguousarray(a)
        a.flags.writeable = False
        return a

    return Consts(
        side=tuple(int(x) for x in world.u_side),
        of_side=ro(np.stack([world.u_side == s for s in (0, 1)])),
        side_n=ro(world.u_side * world.grid.n),
        signature=ro(world.t_signature[t]), mp=ro(world.t_mp[t]), defence=ro(world.t_defence[t]),
        sorties=ro(world.t_sorties[t]), reach=ro(world.t_range[t]), radio=ro(world.t_radio[t]),
        max_stock=ro(world.t_max_stock[t]), drone=world.role_is("drone"), hq=world.role_is("hq"),
        hq_capacity=ro(world.t_hq_capacity[t]), huntable=world.role_is("drone", "ew", "ugv"),
        visibility=ro(np.array([x.visibility for x in wr])),
        offroad_mult=ro(np.array([x.offroad_mp_mult for x in wr])),
        bad_weather=ro(np.array([x.bad_weather for x in wr])),
        attack_mod=ro(np.array([x.attack_mod for x in wr])),
        infiltration_mod=ro(np.array([x.infiltration_mod for x in wr])),
        crt=ro(np.array([[RESULTS.index(c) for c in cells] for cells in p.crt.values()], np.int64)),
        nb1=ro(np.maximum(nb, 0)), nb1_ok=ro(nb >= 0),
        hex_ids=tuple(world.grid.ids(np.arange(world.grid.n))), unit_ids=world.unit_ids,
    )


@dataclass(slots=True, eq=False)
class Work:
    """Mutable working copy of a batched state for one turn, plus the day's scratch layers.

    Every field a phase reads or writes is declared here. Shapes: K replications, U unit
    slots, n hexes, M missions, R robot runs, G ground-combat groups, C causes (``CAUSES``),
    S sudden-death conditions. Scratch fields are set by the phase named beside them (their
    value before that phase is an empty or zero layer)."""

    world: World
    state: InitVar[GameState]
    co: CompiledOrders
    dice: Dice
    events: list[Event] | None          # None: no events (a Monte Carlo batch)
    p: RulesParams = field(init=False)
    c: Consts = field(init=False)                # the world's constants (consts)
    turn: int = field(init=False)
    K: int = field(init=False)
    U: int = field(init=False)
    n: int = field(init=False)
    # the state's arrays (GameState's fields with the leading K axis), copied
    weather: Ints = field(init=False)            # (K,) weather index; today's once drawn
    on_map: Bools = field(init=False)            # (K, U)
    lost: Bools = field(init=False)              # (K, U)
    hex: Ints = field(init=False)                # (K, U)
    strength: Floats = field(init=False)         # (K, U)
    cohesion: Floats = field(init=False)         # (K, U) 0-100
    supply: Floats = field(init=False)           # (K, U) 0-100
    entrench: Ints = field(init=False)           # (K, U) 0-3
    isolated: Ints = field(init=False)           # (K, U) days without a supply path
    stock: Ints = field(init=False)              # (K, U) drones held
    detected: Bools = field(init=False)          # (K, 2, U) side s sees unit u (detection)
    seen_hex: Ints = field(init=False)           # (K, 2, U) -1 never seen
    seen_turn: Ints = field(init=False)          # (K, 2, U)
    seen_strength: Floats = field(init=False)    # (K, 2, U)
    control: Array = field(init=False)           # (K, n) int8: 0 UA, 1 RU, 2 contested
    fire_control: Floats = field(init=False)     # (K, 2, n) interdiction fire control by side
    vp: Floats = field(init=False)               # (K, 2)
    sd_days: Ints = field(init=False)            # (K, S)
    casualties: Floats = field(init=False)       # (K, 2, C)
    winner: Ints = field(init=False)             # (K,) -1 playing, 0 UA, 1 RU, 2 draw
    end_reason: Ints = field(init=False)         # (K,) -1 playing, -2 last turn, i sudden death
    # scratch: the day's layers
    v: Floats = field(init=False)                # (K,) drone visibility of today's weather (weather)
    jam_layers: Floats = field(init=False)       # (D, 2, n) the distinct jamming layers (detection), see ``jam``
    jam_group: Ints = field(init=False)          # (K,) each row's jamming layer (detection)
    patrol: Ints = field(init=False)             # (K, U) patrol sorties flown (detection)
    patrol_layers: Floats = field(init=False)    # (D, 2, n) the distinct patrol fire-control fields (detection)
    patrol_group: Ints | None = field(init=False)  # (K,) each row's patrol field, None: one a row (detection)
    fc_total: Floats = field(init=False)         # (K, 2, n) interdiction + patrol field (fires)
    m_prob: Floats = field(init=False)           # (K, M) hit chance of each mission (fires)
    m_hits: Ints = field(init=False)             # (K, M) hits of each mission (fires)
    moved: Bools = field(init=False)             # (K, U) changed hex today (movement, combat)
    g_side: Ints = field(init=False)             # (G,) attacking side of each group (combat)
    g_hex: Ints = field(init=False)              # (G,) target hex of each group (combat)
    g_res: Ints = field(init=False)              # (K, G) CRT result (combat)
    g_col: Ints = field(init=False)              # (K, G) CRT column (combat)
    g_A: Floats = field(init=False)              # (K, G) attack power (combat)
    g_D: Floats = field(init=False)              # (K, G) defence power (combat)
    fought: Bools = field(init=False)            # (K, U) in a fight today (combat)
    loss: Floats = field(init=False)             # (K, U, C) strength lost today by cause (hurt)
    reach: Bools = field(init=False)             # (K, 2, n) hexes with a supply path (logistics)
    r_p_loss: Floats = field(init=False)         # (K, R) loss chance of each robot run (logistics)
    r_arrived: Ints = field(init=False)          # (K, R) robot runs arrived (logistics)
    delivered: Floats = field(init=False)        # (K, U) supply received today (logistics)

    def __post_init__(self, state: GameState) -> None:
        self.p = self.world.params
        self.c = consts(self.world)
        self.turn = state.turn
        # the state's fire control is not copied: fires only reads it and makes the day's own
        for f in ARRAY_FIELDS:
            setattr(self, f, getattr(state, f) if f == "fire_control" else getattr(state, f).copy())
        K, U = self.hex.shape
        n = self.world.grid.n
        M, R = self.co.m_kind.size, self.co.r_unit.size
        self.K, self.U, self.n = K, U, n
        self.v = np.ones(K)
        self.jam_layers = np.zeros((1, 2, n))
        self.jam_group = np.zeros(K, np.int64)
        self.patrol = np.zeros((K, U), np.int64)
        # the map-sized layers that detection and fires replace whole: read-only zeros until then
        self.patrol_layers = self.fc_total = np.broadcast_to(np.float64(0.0), (K, 2, n))
        self.patrol_group = None
        self.m_prob = np.zeros((K, M))
        self.m_hits = np.zeros((K, M), np.int64)
        self.moved = np.zeros((K, U), bool)
        self.g_side = self.g_hex = np.zeros(0, np.int64)
        self.g_res = self.g_col = np.zeros((K, 0), np.int64)
        self.g_A = self.g_D = np.zeros((K, 0))
        self.fought = np.zeros((K, U), bool)
        self.loss = np.zeros((K, U, len(CAUSES)))
        self.reach = np.zeros((K, 2, n), bool)
        self.r_p_loss = np.zeros((K, R))
        self.r_arrived = np.zeros((K, R), np.int64)
        self.delivered = np.zeros((K, U))

    @property
    def jam(self) -> Floats:
        """(K, 2, n) jamming by side's EW on each hex (detection): rows of a batch share few
        layouts, so the layers are kept once each (``jam_layers``, ``jam_group``)."""
        return self.jam_layers[self.jam_group]

    @property
    def patrol_fc(self) -> Floats:
        """(K, 2, n) patrol fire-control field by side (detection): kept as its distinct layers
        (``patrol_layers``) and each row's one (``patrol_group``, None: one layer a row)."""
        if self.patrol_group is None:
            return self.patrol_layers
        return np.take(self.patrol_layers, self.patrol_group, axis=0)

    def draw_at(self, phase: str, stream: str, kk: Ints, mm: Ints, M: int) -> Floats:
        """The day's (K, M) stream's dice at the (row, item) pairs ``kk``, ``mm``
        (``kernels.own_pairs``): ``uniform_at``, or the whole draw when every pair is read."""
        if kk.size == self.K * M:                  # every pair, row after row
            return self.dice.uniform(self.turn, phase, stream, (self.K, M)).reshape(-1)
        return self.dice.uniform_at(self.turn, phase, stream, (self.K, M), (kk, mm))

    @property
    def live(self) -> Bools:
        """(K, U) on the map with strength left."""
        return self.on_map & (self.strength > 0)

    def hurt(self, amount: Floats, cause: str) -> Floats:
        """Take (K, U) strength away for a cause; returns what was actually lost."""
        return self.hurt_cols(slice(None), amount, cause)

    def hurt_cols(self, cols: Ints | slice, amount: Floats, cause: str) -> Floats:
        """``hurt`` for (K, C) amounts of the unit slots ``cols`` (distinct) only: the other
        slots lose nothing. Returns what the slots actually lost, (K, C). (The strength layer
        is replaced, not changed in place: a copy taken before stays as it was.)"""
        before = self.strength[:, cols]
        taken = strength_lost(amount, before)
        if isinstance(cols, slice) and cols == _ALL:
            self.strength = before - taken
        else:
            strength = self.strength.copy()
            strength[:, cols] = before - taken
            self.strength = strength
        self.loss[:, cols, _CAUSE[cause]] += taken
        return taken

    def emit(self, phase: str, kind: str, text: str, *, side: int | None = None, hex: int | None = None,
             units: Iterable[SupportsIndex] = (), why: dict[str, Any] | None = None) -> None:
        if self.events is None:
            return
        c = self.c
        self.events.append(Event.from_template(
            self.turn, phase, kind, text, _BOTH if side is None else _ONE_SIDE[side],
            c.hex_ids[hex] if hex is not None and hex >= 0 else None,
            tuple([c.unit_ids[u] for u in units]), why or {}))

    def finish(self, state: GameState) -> GameState:
        return dataclasses.replace(state, turn=self.turn + 1,
                                   **{f: getattr(self, f) for f in ARRAY_FIELDS})
