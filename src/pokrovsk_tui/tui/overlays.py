"""Map overlays computed from a side's view only (pure numpy, no Textual).

Each overlay gives a level 0-3 per hex (drawn as a tint and a shade glyph ░ ▒ ▓), the
value behind it (shown in the hex panel) and marks for single hexes (isolated units).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pokrovsk_tui.rules.estimates import jamming_estimate, killzone_estimate, own_effort
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
    all its sorties on patrol from where it was seen, thinned by your own jamming
    (rules/estimates.py, with the engine's own functions)."""
    w = view.world
    weather = view.weather if view.weather >= 0 else w.weather_initial
    field_ = killzone_estimate(view, w.params.weather[WEATHERS[weather]].visibility)
    return Overlay("killzone", _levels(field_, (0.02, 0.3, 0.8)), field_, "fire control F")


def detection_overlay(view: SideView) -> Overlay:
    """Passive observation effort of the side's own units (recon sorties not counted)."""
    eff = own_effort(view, 0.0, 1.0)
    return Overlay("detection", _levels(eff, (0.0, 1.0, 2.0)), eff, "observation effort")


def ew_overlay(view: SideView) -> Overlay:
    jam = jamming_estimate(view)
    own, enemy = jam[view.side], jam[1 - view.side]
    level = (own > 0).astype(np.int8) + 2 * (enemy > 0).astype(np.int8)
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
            level[g.dist_from(int(view.hex[unit])) <= rng] = 1
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
