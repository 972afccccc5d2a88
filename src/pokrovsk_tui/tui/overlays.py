"""Map overlays computed from a side's view only (pure numpy, no Textual).

Each overlay gives a level 0-3 per hex (drawn as a tint and a shade glyph ░ ▒ ▓), the
value behind it (shown in the hex panel) and marks for single hexes (isolated units).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pokrovsk_tui.rules.legal import move_costs
from pokrovsk_tui.rules.params import TERRAINS, WEATHERS
from pokrovsk_tui.rules.supply import delivery_map
from pokrovsk_tui.rules.view import SideView
from pokrovsk_tui.rules.world import ROLES

OVERLAYS = ("supply", "killzone", "detection", "ew", "range")
OVERLAY_TITLES = {
    "supply": "Supply: a day's delivery by road (▓ 15+, ▒ 8+, ░ some); ! isolated, ? low",
    "killzone": "Enemy drone kill zone, estimated from seen drone units (▓ heavy, ▒ medium, ░ light)",
    "detection": "Own detection coverage: passive observation effort (▓ 2+, ▒ 1+, ░ some)",
    "ew": "EW coverage: ░ own jamming, ▒ enemy (seen), ▓ both",
    "range": "Selected unit: ▓ reachable this turn, ░ weapon or robot range",
}
OVERLAY_KEYS = {"supply": "f2", "killzone": "f3", "detection": "f4", "ew": "f5", "range": "f6"}
INDUSTRIAL = TERRAINS.index("industrial")


@dataclass
class Overlay:
    name: str
    level: np.ndarray                 # (n,) int8 0-3
    value: np.ndarray                 # (n,) float, what the hex panel shows
    unit: str = ""                    # unit of the value
    marks: dict[int, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return OVERLAY_TITLES[self.name]


def _levels(value: np.ndarray, cuts: tuple[float, float, float]) -> np.ndarray:
    lv = np.zeros(value.shape, np.int8)
    lv[value > cuts[0]] = 1
    lv[value >= cuts[1]] = 2
    lv[value >= cuts[2]] = 3
    return lv


def supply_overlay(view: SideView) -> Overlay:
    """Supply a unit would receive on each hex from the side's sources (and supplied HQs),
    over own and contested ground; enemy fire control is not known and not counted."""
    w = view.world
    p = w.params
    s = view.side
    hq = [u for u in view.own_units if ROLES[w.u_role[u]] == "hq"]
    got = delivery_map(w, view.control, s, view.hex[np.asarray(hq, np.int64)])
    marks: dict[int, str] = {}
    for u in view.own_units:
        h = int(view.hex[u])
        if view.isolated[u] > 0:
            marks[h] = "!"
        elif view.supply[u] < p.low_supply and marks.get(h) != "!":
            marks[h] = "?"
    return Overlay("supply", _levels(got, (0.0, 8.0, 15.0)), got, "supply a day", marks)


def killzone_overlay(view: SideView) -> Overlay:
    """Estimated enemy patrol fire control: every enemy drone unit seen (or last seen) flying
    all its sorties on patrol from where it was seen."""
    w = view.world
    p = w.params
    g = w.grid
    weather = view.weather if view.weather >= 0 else w.weather_initial
    v = p.weather[WEATHERS[weather]].visibility
    field_ = np.zeros(g.n)
    dist = g.distance
    for c in view.contacts:
        u = w.unit_index[c.unit]
        if ROLES[w.u_role[u]] != "drone":
            continue
        t = w.u_type[u]
        d = dist[c.hex].astype(float)
        f = np.where(d <= p.patrol_flat_radius, 1.0, np.exp(-(d - p.patrol_flat_radius) / p.patrol_decay_length))
        f = np.where(d <= w.t_range[t], f, 0.0)
        field_ += p.patrol_coeff * float(w.t_sorties[t]) * v * f
    field_ += 0.0
    return Overlay("killzone", _levels(field_, (0.02, 0.3, 0.8)), field_, "fire control F")


def detection_overlay(view: SideView) -> Overlay:
    """Passive observation effort of the side's own units (recon sorties not counted)."""
    w = view.world
    p = w.params
    g = w.grid
    eff = np.zeros(g.n)
    for u in view.own_units:
        h = int(view.hex[u])
        radius = 1 + (p.industrial_observation_bonus if w.terrain[h] == INDUSTRIAL else 0)
        eff[g.distance[h] <= radius] += p.adjacent_effort
        eff[h] += p.own_hex_effort - p.adjacent_effort
        if ROLES[w.u_role[u]] == "drone":
            eff[g.distance[h] <= p.drone_watch_radius] += p.drone_watch_effort
    return Overlay("detection", _levels(eff, (0.0, 1.0, 2.0)), eff, "observation effort")


def ew_overlay(view: SideView) -> Overlay:
    w = view.world
    g = w.grid
    own = np.zeros(g.n)
    enemy = np.zeros(g.n)
    for u in view.own_units:
        if ROLES[w.u_role[u]] == "ew":
            t = w.u_type[u]
            cover = g.distance[int(view.hex[u])] <= w.t_ew_radius[t]
            own = np.where(cover, np.maximum(own, w.t_ew_strength[t]), own)
    for c in view.contacts:
        u = w.unit_index[c.unit]
        if ROLES[w.u_role[u]] == "ew":
            t = w.u_type[u]
            cover = g.distance[c.hex] <= w.t_ew_radius[t]
            enemy = np.where(cover, np.maximum(enemy, w.t_ew_strength[t]), enemy)
    level = (own > 0).astype(np.int8) + 2 * (enemy > 0).astype(np.int8)
    level = np.where(level == 3, 3, level).astype(np.int8)
    value = np.maximum(own, enemy)
    return Overlay("ew", level, value, "jamming strength")


def range_overlay(view: SideView, unit: int | None) -> Overlay:
    w = view.world
    g = w.grid
    level = np.zeros(g.n, np.int8)
    value = np.zeros(g.n)
    if unit is not None and view.own[unit]:
        rng = int(w.t_range[w.u_type[unit]])
        if rng > 0:
            level[g.distance[int(view.hex[unit])] <= rng] = 1
        cost, _, _ = move_costs(view, unit)
        reach = np.isfinite(cost)
        level[reach] = 3
        value = np.where(reach, cost, 0.0)
    return Overlay("range", level, value, "MP to get there")


def compute(name: str, view: SideView, unit: int | None = None) -> Overlay:
    if name == "supply":
        return supply_overlay(view)
    if name == "killzone":
        return killzone_overlay(view)
    if name == "detection":
        return detection_overlay(view)
    if name == "ew":
        return ew_overlay(view)
    if name == "range":
        return range_overlay(view, unit)
    raise ValueError(f"unknown overlay {name!r}")
