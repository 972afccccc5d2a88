"""The static side of a game: a validated scenario compiled into numpy arrays once.

Unit slots: every unit of the scenario, reinforcements included, has a fixed slot number
for the whole game; a reinforcement's slot is simply not on the map before its turn.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar, cast

import numpy as np

from .hexgrid import HexGrid
from .params import TERRAIN_CHARS, TERRAINS, WEATHERS, RulesParams
from .scenario import SIDES, Scenario

ROLES = ("infantry", "assault", "drone", "ugv", "ew", "artillery", "hq")
UA, RU = 0, 1
CONTESTED = 2
CONTROL_CHARS = {"u": UA, "r": RU, "x": CONTESTED}
CAUSES = ("drone", "glide_bomb", "artillery", "ground", "attrition")


T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class World:
    """A scenario compiled for play; immutable.

    Caching data derived from a world (one idiom in rules/ and ai/): what ``World`` or
    ``HexGrid`` compute themselves is a ``functools.cached_property`` (data keyed by an argument
    sits in a cached_property dict read through a method: ``role_is``, ``HexGrid.disk``); data
    built elsewhere from a world (the supply graph, the reference's geometry, the AI's static
    picture) is ``world.derived(build)``. Either way it lives and dies with the world."""

    scenario: Scenario
    grid: HexGrid
    params: RulesParams
    terrain: np.ndarray          # (n,) terrain index into TERRAINS
    road: np.ndarray             # (n,) bool, any road or highway
    highway: np.ndarray          # (n,) bool
    rail: np.ndarray             # (n,) bool
    road_names: dict[int, str]   # hex -> road name(s)
    move_cost: np.ndarray        # (n,) foot MP to enter in frost (road 0.5)
    offroad: np.ndarray          # (n,) bool, cost scaled by weather
    passable: np.ndarray         # (n,) bool
    defence: np.ndarray          # (n,) terrain defence factor
    concealment: np.ndarray      # (n,) terrain concealment factor
    initial_control: np.ndarray  # (n,) int8
    # unit types, indexed by type number
    type_names: tuple[str, ...]
    t_role: np.ndarray
    t_strength: np.ndarray
    t_mp: np.ndarray
    t_attack: np.ndarray
    t_defence: np.ndarray
    t_signature: np.ndarray
    t_can_raid: np.ndarray
    t_can_infiltrate: np.ndarray
    t_fpv: np.ndarray            # drone kind fpv (else bomber)
    t_radio: np.ndarray          # radio link (jammable)
    t_sorties: np.ndarray
    t_max_stock: np.ndarray
    t_range: np.ndarray          # drone, artillery or ugv range
    t_runs: np.ndarray
    t_ew_radius: np.ndarray
    t_ew_strength: np.ndarray
    t_fires: np.ndarray
    t_hq_capacity: np.ndarray
    # unit slots
    unit_ids: tuple[str, ...]
    unit_names: tuple[str, ...]
    u_side: np.ndarray
    u_type: np.ndarray
    u_arrival: np.ndarray        # turn of arrival (0 = on the map at the start)
    u_start_hex: np.ndarray
    # supply sources
    src_hex: np.ndarray
    src_side: np.ndarray
    src_capacity: np.ndarray
    # weather
    weather_script: np.ndarray   # (turns,) weather index or -1 where the Markov table decides
    weather_initial: int
    weather_markov: np.ndarray   # (4, 4) transition probabilities
    standing_fc: np.ndarray      # (2, n) fire control each side keeps on every day (what-if)

    @property
    def n_units(self) -> int:
        return len(self.unit_ids)

    @cached_property
    def unit_index(self) -> dict[str, int]:
        return {u: i for i, u in enumerate(self.unit_ids)}

    @cached_property
    def u_role(self) -> np.ndarray:
        return self.t_role[self.u_type]

    def role_is(self, *roles: str) -> np.ndarray:
        """(U,) bool mask of the unit slots of these roles (cached per combination)."""
        key = tuple(sorted(roles))
        cache = self._role_masks
        if key not in cache:
            cache[key] = np.isin(self.u_role, [ROLES.index(r) for r in key])
            cache[key].flags.writeable = False
        return cache[key]

    @cached_property
    def _role_masks(self) -> dict[tuple[str, ...], np.ndarray]:
        return {}

    def derived(self, build: Callable[[World], T]) -> T:
        """``build(self)``, computed once per world and kept with it (``build`` is the key: a
        module-level function). The one cache for world-derived data made outside world.py."""
        cache = self._derived
        if build not in cache:
            cache[build] = build(self)
        return cast(T, cache[build])

    @cached_property
    def _derived(self) -> dict[Callable[[World], Any], Any]:
        return {}

    @cached_property
    def u_full(self) -> np.ndarray:
        return self.t_strength[self.u_type]

    @cached_property
    def hex_names(self) -> dict[int, str]:
        g = self.grid
        return {g.index(s.hex): s.name for s in self.scenario.map.settlements}

    @cached_property
    def objective_hexes(self) -> list[np.ndarray]:
        return [np.array([self.grid.index(h) for h in o.hexes]) for o in self.scenario.objectives]

    @cached_property
    def sudden_death_hexes(self) -> list[np.ndarray]:
        return [np.array([self.grid.index(h) for h in sd.hexes]) for sd in self.scenario.victory.sudden_death]

    def label(self, unit: int) -> str:
        return self.unit_ids[unit]


KEEP_WORLDS = 4                  # worlds kept per process, the most recently used
_WORLDS: OrderedDict[str, World] = OrderedDict()


def text_key(text: str) -> str:
    """The key of a scenario text in ``world_of_text``: a digest of it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached_world(key: str) -> World | None:
    """The World kept under ``key`` (see ``world_of_text``), or None."""
    world = _WORLDS.get(key)
    if world is not None:
        _WORLDS.move_to_end(key)
    return world


def keep_world(key: str, world: World) -> World:
    """Keep ``world`` under ``key``; the least recently used beyond KEEP_WORLDS are let go."""
    _WORLDS[key] = world
    _WORLDS.move_to_end(key)
    while len(_WORLDS) > KEEP_WORLDS:
        _WORLDS.popitem(last=False)
    return world


def world_of_text(text: str, scenario: Callable[[], Scenario]) -> World:
    """One World per scenario text per process: the one built before for the same text, else
    ``build_world(scenario())`` (``scenario`` parses and validates the text). A small bounded
    cache keyed by the text's digest: a save, its replay, its verification and its branches
    share one World (and its derived data), and a process that meets many scenarios keeps
    only the last KEEP_WORLDS."""
    key = text_key(text)
    return cached_world(key) or keep_world(key, build_world(scenario()))


def build_world(s: Scenario) -> World:
    grid = s.grid()
    p = s.rules
    n = grid.n
    tchars = "".join(s.map.terrain)
    terrain = np.array([TERRAINS.index(TERRAIN_CHARS[c]) for c in tchars], dtype=np.int8)
    control = np.array([CONTROL_CHARS[c] for c in "".join(s.map.control)], dtype=np.int8)
    road = np.zeros(n, bool)
    highway = np.zeros(n, bool)
    rail = np.zeros(n, bool)
    road_names: dict[int, str] = {}
    for rd in s.map.roads:
        for h in rd.hexes:
            i = grid.index(h)
            road[i] = True
            highway[i] |= rd.kind == "highway"
            road_names[i] = rd.name if i not in road_names or rd.name in road_names[i] else f"{road_names[i]}/{rd.name}"
    for rl in s.map.rail:
        for h in rl.hexes:
            rail[grid.index(h)] = True
    tc = np.array([p.terrain[t].move_cost for t in TERRAINS])
    td = np.array([p.terrain[t].defence for t in TERRAINS])
    tk = np.array([p.terrain[t].concealment for t in TERRAINS])
    water = terrain == TERRAINS.index("water")
    move_cost = np.where(road, p.road_cost, tc[terrain])
    passable = ~water | road

    names = tuple(s.unit_types)
    types = [s.unit_types[k] for k in names]

    def arr(f, dtype=float):
        return np.array([f(t) for t in types], dtype=dtype)

    def trange(t):
        if t.role == "drone" and t.drone:
            return t.drone.range
        if t.role == "artillery":
            return t.artillery_range
        if t.role == "ugv":
            return t.ugv_range
        return 0

    specs = [(u, 0) for u in s.units] + [(r.unit, r.turn) for r in s.reinforcements]
    script = np.full(s.turns, -1, dtype=np.int64)
    for i, w in enumerate(s.weather.script[: s.turns]):
        script[i] = WEATHERS.index(w)
    markov = np.zeros((4, 4))
    for a, row in s.weather.markov.items():
        for b, pr in row.items():
            markov[WEATHERS.index(a), WEATHERS.index(b)] = pr
    if not s.weather.markov:
        markov[:] = np.eye(4)

    return World(
        scenario=s, grid=grid, params=p, terrain=terrain, road=road, highway=highway, rail=rail,
        road_names=road_names, move_cost=move_cost, offroad=~road, passable=passable,
        defence=td[terrain], concealment=tk[terrain], initial_control=control,
        type_names=names,
        t_role=arr(lambda t: ROLES.index(t.role), np.int64),
        t_strength=arr(lambda t: t.strength),
        t_mp=arr(lambda t: t.mp),
        t_attack=arr(lambda t: t.attack),
        t_defence=arr(lambda t: t.defence),
        t_signature=arr(lambda t: t.signature),
        t_can_raid=arr(lambda t: t.can_raid, bool),
        t_can_infiltrate=arr(lambda t: t.can_infiltrate, bool),
        t_fpv=arr(lambda t: bool(t.drone and t.drone.kind == "fpv"), bool),
        t_radio=arr(lambda t: bool(t.drone and t.drone.link == "radio"), bool),
        t_sorties=arr(lambda t: t.drone.sorties_per_day if t.drone else 0, np.int64),
        t_max_stock=arr(lambda t: t.drone.max_stock if t.drone else 0, np.int64),
        t_range=arr(trange, np.int64),
        t_runs=arr(lambda t: t.ugv_runs_per_day, np.int64),
        t_ew_radius=arr(lambda t: t.ew_radius, np.int64),
        t_ew_strength=arr(lambda t: t.ew_strength),
        t_fires=arr(lambda t: t.artillery_fires_per_day, np.int64),
        t_hq_capacity=arr(lambda t: t.hq_capacity),
        unit_ids=tuple(u.id for u, _ in specs),
        unit_names=tuple(u.name or u.id for u, _ in specs),
        u_side=np.array([SIDES.index(u.side) for u, _ in specs], dtype=np.int64),
        u_type=np.array([names.index(u.type) for u, _ in specs], dtype=np.int64),
        u_arrival=np.array([t for _, t in specs], dtype=np.int64),
        u_start_hex=np.array([grid.index(u.hex) for u, _ in specs], dtype=np.int64),
        src_hex=np.array([grid.index(x.hex) for x in s.supply_sources], dtype=np.int64),
        src_side=np.array([SIDES.index(x.side) for x in s.supply_sources], dtype=np.int64),
        src_capacity=np.array([x.capacity for x in s.supply_sources]),
        weather_script=script,
        weather_initial=WEATHERS.index(s.weather.initial),
        weather_markov=markov,
        standing_fc=_standing_fire(s, grid),
    )


def _standing_fire(s: Scenario, grid) -> np.ndarray:
    out = np.zeros((2, grid.n))
    for sf in s.standing_fire:
        side = SIDES.index(sf.side)
        for rd in s.map.roads:
            if rd.name == sf.road:
                idx = [grid.index(h) for h in rd.hexes]
                out[side, idx] = np.maximum(out[side, idx], sf.level)
    return out
