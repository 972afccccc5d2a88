"""Shared fixtures: a small scenario with every unit role, fronts in contact, two supply
sources a side, HQs, artillery, glide bombs for both sides, reinforcements, scripted then
Markov weather and both kinds of sudden death.

And the helpers of the app's Pilot tests (``from conftest import sync, make_app, ...``):
run an async test, start the app, read the screen as text, let it settle, wait for a
condition."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable

import pytest

from pokrovsk_tui.rules.scenario import Scenario, problems
from pokrovsk_tui.rules.world import build_world

ALL_ROLES = {
    "id": "test-all-roles",
    "title": "Test: every unit role in contact",
    "start_date": "2026-01-14",
    "turns": 6,
    "map": {
        "width": 10,
        "height": 8,
        "terrain": [
            "....t...t.",
            ".tt.UU.t..",
            "..v.UU..I.",
            "...~~.....",
            "..........",
            "..I..t.v..",
            ".t...tt...",
            "..........",
        ],
        "control": ["uuuuuxrrrr"] * 8,
        "roads": [
            {"name": "T0406", "kind": "highway",
             "hexes": ["0105", "0205", "0305", "0405", "0505", "0605", "0705", "0805", "0905", "1005"]},
            {"name": "north road", "kind": "road",
             "hexes": ["0401", "0402", "0403", "0404", "0405", "0406", "0407", "0408"]},
        ],
        "settlements": [{"name": "Town", "hex": "0502"}],
    },
    "supply_sources": [
        {"name": "west highway", "side": "ua", "hex": "0105", "capacity": 60},
        {"name": "north-west track", "side": "ua", "hex": "0102", "capacity": 40},
        {"name": "east depot", "side": "ru", "hex": "1005", "capacity": 60},
        {"name": "north-east depot", "side": "ru", "hex": "1002", "capacity": 40},
    ],
    "unit_types": {
        "infantry": {"role": "infantry", "side": "ua", "strength": 100, "mp": 3, "attack": 1.0, "defence": 1.0,
                     "signature": 0.5, "can_raid": True},
        "assault": {"role": "assault", "side": "ru", "strength": 60, "mp": 3, "attack": 1.1, "defence": 0.8,
                    "signature": 0.3, "can_infiltrate": True},
        "fpv": {"role": "drone", "strength": 40, "mp": 2, "defence": 0.5, "signature": 0.4,
                "drone": {"kind": "fpv", "link": "radio", "sorties_per_day": 8, "stock": 20, "max_stock": 30,
                          "range": 10}},
        "bomber": {"role": "drone", "strength": 40, "mp": 2, "defence": 0.5, "signature": 0.4,
                   "drone": {"kind": "bomber", "link": "fibre", "sorties_per_day": 4, "stock": 10,
                             "max_stock": 12, "range": 8}},
        "ugv": {"role": "ugv", "strength": 20, "mp": 4, "defence": 0.3, "signature": 0.3,
                "ugv_runs_per_day": 3, "ugv_range": 6},
        "ew": {"role": "ew", "strength": 20, "mp": 2, "defence": 0.5, "signature": 0.6, "ew_radius": 3,
               "ew_strength": 0.4},
        "artillery": {"role": "artillery", "strength": 50, "mp": 2, "defence": 0.6, "signature": 0.6,
                      "artillery_range": 12, "artillery_fires_per_day": 6},
        "hq": {"role": "hq", "strength": 30, "mp": 1, "defence": 0.8, "signature": 0.5, "hq_capacity": 30},
    },
    "units": [
        {"id": "ua-inf-1", "side": "ua", "type": "infantry", "hex": "0502", "entrenchment": 3, "supply": 25},
        {"id": "ua-inf-2", "side": "ua", "type": "infantry", "hex": "0505", "entrenchment": 1},
        {"id": "ua-inf-3", "side": "ua", "type": "infantry", "hex": "0607", "strength": 40},
        {"id": "ua-fpv", "side": "ua", "type": "fpv", "hex": "0204"},
        {"id": "ua-bomber", "side": "ua", "type": "bomber", "hex": "0206"},
        {"id": "ua-ugv", "side": "ua", "type": "ugv", "hex": "0304"},
        {"id": "ua-ew", "side": "ua", "type": "ew", "hex": "0303"},
        {"id": "ua-art", "side": "ua", "type": "artillery", "hex": "0106"},
        {"id": "ua-hq", "side": "ua", "type": "hq", "hex": "0305"},
        {"id": "ru-ag-1", "side": "ru", "type": "assault", "hex": "0602", "cohesion": 60},
        {"id": "ru-ag-2", "side": "ru", "type": "assault", "hex": "0605", "supply": 20},
        {"id": "ru-ag-3", "side": "ru", "type": "assault", "hex": "0607"},
        {"id": "ru-fpv", "side": "ru", "type": "fpv", "hex": "0904"},
        {"id": "ru-bomber", "side": "ru", "type": "bomber", "hex": "0807"},
        {"id": "ru-ew", "side": "ru", "type": "ew", "hex": "0804"},
        {"id": "ru-art", "side": "ru", "type": "artillery", "hex": "1006", "supply": 40},
        {"id": "ru-hq", "side": "ru", "type": "hq", "hex": "0905"},
        {"id": "ru-ugv", "side": "ru", "type": "ugv", "hex": "0903"},
    ],
    "reinforcements": [
        {"turn": 2, "unit": {"id": "ua-inf-4", "side": "ua", "type": "infantry", "hex": "0105"}},
        {"turn": 2, "unit": {"id": "ru-ag-4", "side": "ru", "type": "assault", "hex": "1005"}},
        {"turn": 3, "unit": {"id": "ru-ag-5", "side": "ru", "type": "assault", "hex": "0505"}},
    ],
    "deliveries": {"ua_drones": 7, "ru_drones": 9, "ru_glide_bombs": 3, "ua_glide_bombs": 1},
    "weather": {"script": ["fog", "snow"], "initial": "frost"},
    "objectives": [
        {"id": "town", "name": "Town", "kind": "hold", "hexes": ["0502", "0503", "0602", "0603"], "vp": 4},
        {"id": "road", "name": "T0406", "kind": "road", "hexes": ["0305", "0405", "0505", "0605", "0705"],
         "vp": 2, "fire_control_threshold": 1.0},
    ],
    "victory": {
        "margin": 5,
        "talks_turn": 4,
        "sudden_death": [
            {"id": "town-falls", "name": "Town falls", "side": "ru", "kind": "control_all",
             "hexes": ["0502", "0503"], "days": 2},
            {"id": "pocket", "name": "Town cut off", "side": "ru", "kind": "cut_supply",
             "hexes": ["0502"], "days": 3},
        ],
    },
}


@pytest.fixture(scope="session")
def all_roles_scenario() -> Scenario:
    scn = Scenario.model_validate(ALL_ROLES)
    assert problems(scn) == []
    return scn


@pytest.fixture(scope="session")
def all_roles_world(all_roles_scenario):
    return build_world(all_roles_scenario)


# ----- the app's Pilot tests -------------------------------------------------------------

def sync(fn):
    """Run an async test with asyncio.run (no async plugin needed)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


def make_app(tmp_path, **start):
    """The app started as ``Start(**start)`` (``kind`` "play" unless given), saving into
    ``tmp_path``, not asking about an interrupted game."""
    from pokrovsk_tui.tui.app import PokrovskApp, Start

    kind = start.pop("kind", "play")
    return PokrovskApp(Start(kind=kind, **start), save_dir=tmp_path, check_interrupted=False)


def screen_text(app) -> str:
    """Everything on the screen now, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot, n: int = 3) -> None:
    """Let the app handle what is pending, ``n`` rounds."""
    for _ in range(n):
        await pilot.pause()


async def wait_for(pilot, cond: Callable[[], bool], tries: int = 1500) -> None:
    """Pause until ``cond()`` holds (up to ``tries`` x 20 ms); AssertionError when it never does."""
    for _ in range(tries):
        if cond():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never came true")


async def step_to_the_end(pilot, app, g) -> None:
    """In a watch game, step day by day (n) until the game ends and the victory screen shows."""
    from pokrovsk_tui.tui.screens.victory import VictoryScreen

    for _ in range(g.session.world.scenario.turns):
        if g.session.over:
            break
        await pilot.press("n")
        await wait_for(pilot, lambda: not g.busy)
    await wait_for(pilot, lambda: isinstance(app.screen, VictoryScreen))
