"""The commander's picture of a scenario's map that does not change during a game: the hold
objectives' daily VP per hex, road objectives, sudden-death conditions, hex labels, supply
sources, the graph's edges and the distance tables the planners read. Built once per world
(``world.derived``); ``Situation.st`` holds it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from pokrovsk_tui.rules.world import World

# ----------------------------------------------------------------- per-world static data

@dataclass(eq=False)
class Static:
    """Public facts of a scenario, computed once per world."""

    world: World
    hold_rate: np.ndarray                   # (n,) VP a day each hex of a 'hold' objective gives
    roads: list[tuple[np.ndarray, float, float, str]]   # road objectives: hexes, vp, threshold, name
    sd: list[tuple[int, str, np.ndarray, int, str]]     # sudden death: side, kind, hexes, days, name
    label_of: dict[int, str]
    src: tuple[np.ndarray, np.ndarray]      # supply source hexes by side
    edges: tuple[np.ndarray, np.ndarray]

    @cached_property
    def neighbours(self) -> np.ndarray:
        return self.world.grid.neighbours

    @cached_property
    def falloff_by_distance(self) -> np.ndarray:
        """Patrol field shape by hex distance (float32, index d for d = 0 .. the map's
        diameter): 1 within the flat radius, then exp(-(d - r) / L). A drone's field over the
        map is this table taken at its distances (``falloff``); no (n, n) table is kept."""
        p = self.world.params
        d = np.arange(self.world.grid.width + self.world.grid.height + 1, dtype=np.float32)
        return np.where(d <= p.patrol_flat_radius, 1.0,
                        np.exp(-(d - p.patrol_flat_radius) / p.patrol_decay_length)).astype(np.float32)

    @cached_property
    def falloff(self):
        """Patrol field shape from ``hexes`` to every hex: ``falloff(hexes)``, (n,) for one hex,
        (m, n) for m (the table by distance, HexGrid.by_distance)."""
        return self.world.grid.by_distance(self.falloff_by_distance)

    @cached_property
    def near_objective(self):
        """``near_objective(hexes)``: exp(-d / 2.5) from ``hexes`` to every hex (the shaping of
        ``Situation.hex_value``), from a table by distance."""
        g = self.world.grid
        return g.by_distance(np.exp(-np.arange(g.width + g.height + 1, dtype=float) / 2.5))

    def label(self, h: int) -> str:
        hid = self.world.grid.hex_id(int(h))
        name = self.label_of.get(int(h))
        return f"{hid} ({name})" if name else hid


def static(world: World) -> Static:
    """The AI's picture of the map, built once per world."""
    return world.derived(_build_static)


def _build_static(world: World) -> Static:
    g = world.grid
    n = g.n
    scn = world.scenario
    hold_rate = np.zeros(n)
    roads = []
    labels: dict[int, str] = {}
    for ob, hexes in zip(scn.objectives, world.objective_hexes, strict=True):
        if ob.kind == "hold":
            hold_rate[hexes] += ob.vp / len(hexes)
            for h in hexes:
                labels.setdefault(int(h), ob.name)
        else:
            roads.append((hexes, float(ob.vp), float(ob.fire_control_threshold), ob.name))
    for h, name in world.hex_names.items():
        labels[int(h)] = name
    for h, name in world.road_names.items():
        labels.setdefault(int(h), name)
    sd: list[tuple[int, str, np.ndarray, int, str]] = []
    for cond, hexes in zip(scn.victory.sudden_death, world.sudden_death_hexes, strict=True):
        sd.append((0 if cond.side == "ua" else 1, cond.kind, hexes, int(cond.days), cond.name))
    src = (world.src_hex[world.src_side == 0], world.src_hex[world.src_side == 1])
    return Static(world=world, hold_rate=hold_rate, roads=roads, sd=sd, label_of=labels, src=src,
                  edges=g.edges)
