"""Time series over a saved game's turns, as plain lists, and their CSV export.

``series(save)`` returns a dict of lists, one value per row. Row 0 is the state before the
save's first turn (turn ``start_turn - 1``: 0 is the set-up); row i is the state after turn
``start_turn - 1 + i``. Flows (losses, supply, sorties) are what happened during that turn
and 0 in row 0; levels (strength, hexes, VP...) are the state after it.

- ``turn``, ``weather``;
- ``strength[side]`` (all its units on the map), ``units[side]`` (how many);
- ``losses[side][cause]`` strength lost that turn by cause (drone, glide_bomb, artillery,
  ground, attrition) and ``casualties[side]`` cumulative, all causes;
- ``hexes["ua"|"ru"|"contested"]``;
- ``supply[side]`` supply points delivered by road and HQ that turn, ``robot_supply[side]`` by
  UGV runs (both as the turn's ``logistics`` event reports them, to the whole point),
  ``isolated[side]`` units without a supply path, ``low_supply[side]`` units under the low mark;
- ``sorties[side]`` drone sorties flown: missions (recon, strike, interdict, hunt) accepted by
  the engine plus patrol sorties; every sortie uses up one drone. ``drone_stock[side]`` drones
  held, ``drone_units_lost[side]`` drone units destroyed so far, ``drone_team_losses[side]``
  strength the side's drone units lost that turn;
- ``vp[side]``.

``write_csv(save, path)`` writes one row per entry (columns named like ``loss_ua_drone``,
``hexes_contested``), atomically.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import numpy as np

from pokrovsk_tui.rules.engine import check_orders
from pokrovsk_tui.rules.scenario import SIDES
from pokrovsk_tui.rules.state import GameState
from pokrovsk_tui.rules.world import CAUSES, CONTESTED
from pokrovsk_tui.store.atomic import atomic_write
from pokrovsk_tui.store.replay import orders_of, turn_waives
from pokrovsk_tui.store.savefmt import SaveGame

from .timeline import timeline, weather_name

_SUPPLY = re.compile(r"Supply: (\d+) delivered by road and HQ, (\d+) by robots")
_PATROL = re.compile(r"\((\d+) patrol sorties\)")
DRONE_MISSIONS = ("recon", "strike", "interdict", "hunt")


def _side_dict(make) -> dict[str, Any]:
    return {k: make() for k in SIDES}


def series(save: SaveGame) -> dict[str, Any]:
    """The time series of the save (see the module's docstring)."""
    tl = timeline(save)
    world = tl.world
    drone = world.role_is("drone")
    low_mark = world.params.low_supply
    out: dict[str, Any] = {
        "turn": [], "weather": [],
        "strength": _side_dict(list), "units": _side_dict(list),
        "losses": {k: {c: [] for c in CAUSES} for k in SIDES}, "casualties": _side_dict(list),
        "hexes": {k: [] for k in ("ua", "ru", "contested")},
        "supply": _side_dict(list), "robot_supply": _side_dict(list),
        "isolated": _side_dict(list), "low_supply": _side_dict(list),
        "sorties": _side_dict(list), "drone_stock": _side_dict(list),
        "drone_units_lost": _side_dict(list), "drone_team_losses": _side_dict(list),
        "vp": _side_dict(list),
    }

    def levels(state: GameState) -> None:
        for s, k in enumerate(SIDES):
            mine = state.on_map & (world.u_side == s)
            out["strength"][k].append(round(float(state.strength[mine].sum()), 2))
            out["units"][k].append(int(mine.sum()))
            out["casualties"][k].append(round(float(state.casualties[s].sum()), 2))
            out["isolated"][k].append(int((mine & (state.isolated > 0)).sum()))
            out["low_supply"][k].append(int((mine & (state.supply < low_mark)).sum()))
            out["drone_stock"][k].append(int(state.stock[mine & drone].sum()))
            out["drone_units_lost"][k].append(int((state.lost & drone & (world.u_side == s)).sum()))
            out["vp"][k].append(round(float(state.vp[s]), 2))
        out["hexes"]["ua"].append(int((state.control == 0).sum()))
        out["hexes"]["ru"].append(int((state.control == 1).sum()))
        out["hexes"]["contested"].append(int((state.control == CONTESTED).sum()))

    start = tl.state_at(tl.first)
    out["turn"].append(tl.first - 1)
    out["weather"].append(weather_name(start))
    levels(start)
    for k in SIDES:
        for c in CAUSES:
            out["losses"][k][c].append(0.0)
        for name in ("supply", "robot_supply", "sorties"):
            out[name][k].append(0)
        out["drone_team_losses"][k].append(0.0)

    for saved in save.turns:
        f = tl.frame(saved.turn)
        before, after = f.before, f.after
        out["turn"].append(saved.turn)
        out["weather"].append(f.weather)
        levels(after)
        for k in SIDES:
            for c in CAUSES:
                out["losses"][k][c].append(round(f.losses[k][c], 2))
        accepted, _ = check_orders(world, before, orders_of(saved), turn_waives(world, before, saved))
        team = np.where(before.on_map & drone, before.strength - after.strength, 0.0)
        for s, k in enumerate(SIDES):
            missions = sum(o.count for o in accepted[s] if o.kind in DRONE_MISSIONS)
            patrol = road = robots = 0
            for e in f.events:
                if k not in e["to"] or len(e["to"]) != 1:
                    continue
                if e["phase"] == "detection" and e["kind"] == "summary":
                    m = _PATROL.search(e["text"])
                    patrol += int(m.group(1)) if m else 0
                elif e["phase"] == "logistics" and e["kind"] == "supply":
                    m = _SUPPLY.search(e["text"])
                    if m:
                        road += int(m.group(1))
                        robots += int(m.group(2))
            out["sorties"][k].append(missions + patrol)
            out["supply"][k].append(road)
            out["robot_supply"][k].append(robots)
            out["drone_team_losses"][k].append(round(float(team[world.u_side == s].sum()), 2))
    return out


def rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The series as CSV rows (flat dicts), one per turn."""
    out = []
    for i, turn in enumerate(data["turn"]):
        r: dict[str, Any] = {"turn": turn, "weather": data["weather"][i]}
        for k in SIDES:
            r[f"strength_{k}"] = data["strength"][k][i]
        for k in SIDES:
            r[f"units_{k}"] = data["units"][k][i]
        for k in SIDES:
            for c in CAUSES:
                r[f"loss_{k}_{c}"] = data["losses"][k][c][i]
        for k in SIDES:
            r[f"casualties_{k}"] = data["casualties"][k][i]
        for k in ("ua", "ru", "contested"):
            r[f"hexes_{k}"] = data["hexes"][k][i]
        for name in ("supply", "robot_supply", "isolated", "low_supply", "sorties", "drone_stock",
                     "drone_units_lost", "drone_team_losses", "vp"):
            for k in SIDES:
                r[f"{name}_{k}"] = data[name][k][i]
        out.append(r)
    return out


def to_csv(data: dict[str, Any]) -> str:
    table = rows(data)
    buf = io.StringIO()
    if table:
        w = csv.DictWriter(buf, fieldnames=list(table[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(table)
    return buf.getvalue()


def write_csv(save: SaveGame, path: str | Path) -> Path:
    """Write the save's series as CSV, atomically; returns the path."""
    return atomic_write(path, to_csv(series(save)))
