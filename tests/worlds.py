"""Small hand-made scenarios for phase tests: every unit role on an 8 x 6 open map."""

from __future__ import annotations

import copy

from pokrovsk_tui.rules.scenario import Scenario
from pokrovsk_tui.rules.state import GameState, initial_state
from pokrovsk_tui.rules.world import World, build_world

UNIT_TYPES = {
    "infantry": {"role": "infantry", "side": "ua", "strength": 100, "mp": 3, "attack": 1.0, "defence": 1.0,
                 "signature": 0.5, "can_raid": True},
    "assault": {"role": "assault", "side": "ru", "strength": 60, "mp": 3, "attack": 1.1, "defence": 0.8,
                "signature": 0.3, "can_infiltrate": True},
    "fpv": {"role": "drone", "strength": 40, "mp": 2, "defence": 0.5, "signature": 0.4,
            "drone": {"kind": "fpv", "link": "radio", "sorties_per_day": 12, "stock": 40, "max_stock": 60, "range": 15}},
    "fibre": {"role": "drone", "strength": 40, "mp": 2, "defence": 0.5, "signature": 0.4,
              "drone": {"kind": "fpv", "link": "fibre", "sorties_per_day": 8, "stock": 30, "max_stock": 40, "range": 12}},
    "ugv": {"role": "ugv", "strength": 20, "mp": 4, "defence": 0.3, "signature": 0.3, "ugv_runs_per_day": 3, "ugv_range": 10},
    "ew": {"role": "ew", "strength": 20, "mp": 2, "defence": 0.5, "signature": 0.6, "ew_radius": 3, "ew_strength": 0.4},
    "artillery": {"role": "artillery", "strength": 50, "mp": 2, "defence": 0.6, "signature": 0.6,
                  "artillery_range": 12, "artillery_fires_per_day": 6},
    "hq": {"role": "hq", "strength": 30, "mp": 1, "defence": 0.8, "signature": 0.5, "hq_capacity": 80},
}

BASE = {
    "id": "mini",
    "title": "Mini test map",
    "start_date": "2026-01-14",
    "turns": 5,
    "map": {
        "width": 8, "height": 6,
        "terrain": ["........", "........", "........", "........", "........", "........"],
        "control": ["uuuurrrr"] * 6,
        "roads": [{"name": "T0504", "kind": "highway",
                   "hexes": ["0103", "0203", "0303", "0403", "0503", "0603", "0703", "0803"]}],
    },
    "unit_types": UNIT_TYPES,
    "units": [
        {"id": "ua-inf", "side": "ua", "type": "infantry", "hex": "0403"},
        {"id": "ru-ag", "side": "ru", "type": "assault", "hex": "0503"},
    ],
    "supply_sources": [
        {"name": "west", "side": "ua", "hex": "0103", "capacity": 200},
        {"name": "east", "side": "ru", "hex": "0803", "capacity": 200},
    ],
    "weather": {"script": ["frost"] * 5},
}


def scenario(units=None, **changes) -> Scenario:
    data = copy.deepcopy(BASE)
    if units is not None:
        data["units"] = units
    for key, value in changes.items():
        if key == "rules":
            data["rules"] = value
        elif "." in key:
            head, tail = key.split(".", 1)
            data[head][tail] = value
        else:
            data[key] = value
    return Scenario.model_validate(data)


def world_and_state(units=None, **changes) -> tuple[World, GameState]:
    w = build_world(scenario(units, **changes))
    return w, initial_state(w)


def unit(uid: str, side: str, type_: str, hex_: str, **extra) -> dict:
    return {"id": uid, "side": side, "type": type_, "hex": hex_, **extra}
