"""Scenario variants for what-if questions: a scenario's data with some values changed, some
units removed or the weather fixed, validated like any scenario file.

Paths are dotted, into the scenario as its TOML file writes it: ``rules.ew_strength``,
``deliveries.ru_glide_bombs``, ``unit_types.fpv.drone.range``, ``weather.script``. A list of
tables is entered by the ``id`` of an element (``units.ua-ew-1.strength``, ``objectives.myrnohrad.vp``;
a unit arriving as a reinforcement is found the same way; a glob such as ``units.ua-*.entrenchment``
changes every match) or by its index (``map.roads.0.name``).
Values are TOML values (``2``, ``0.5``, ``true``, ``"snow"``, ``["frost", "snow"]``); anything
that is not TOML is taken as a string.
"""

from __future__ import annotations

import copy
import fnmatch
import tomllib
from dataclasses import dataclass, field
from typing import Any

from pokrovsk_tui.rules.params import WEATHERS
from pokrovsk_tui.rules.scenario import Scenario
from pokrovsk_tui.store.scenarios import ScenarioError, read_toml, resolve_ref, validate_data

WEATHER_CHOICES = (*WEATHERS, "scripted")


class VariantError(Exception):
    """A change that cannot be made; the message names the option and what is wrong."""


@dataclass
class Change:
    """What makes the variant differ from its baseline."""

    sets: list[str] = field(default_factory=list)          # "PATH=VALUE"
    remove_units: list[str] = field(default_factory=list)  # glob patterns on unit ids
    weather: str | None = None                             # a weather name, or "scripted"

    def describe(self) -> str:
        parts = [f"--set {s}" for s in self.sets] + [f"--remove-units {p}" for p in self.remove_units]
        if self.weather:
            parts.append(f"--weather {self.weather}")
        return " ".join(parts) or "(no change)"


def load_data(ref: str) -> dict:
    """The raw data of a scenario file (a bundled id or a path); raises ScenarioError."""
    data, found = read_toml(resolve_ref(ref))
    if data is None:
        raise ScenarioError(found)
    return data


def parse_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def set_path(data: dict, assignment: str) -> None:
    """Apply one ``PATH=VALUE`` to the raw scenario data, in place. An id segment may be a glob
    pattern (``units.ua-*.entrenchment=0``): the change applies to every entry it matches."""
    path, eq, value = assignment.partition("=")
    path = path.strip()
    if not eq or not path:
        raise VariantError(f"--set {assignment}: write PATH=VALUE, e.g. rules.ew_strength=2")
    parts = path.split(".")
    if parts[0] == "units" and len(parts) > 2:
        # a unit is found among the units on the map and the reinforcements alike
        pool = list(data.get("units", [])) + [r["unit"] for r in data.get("reinforcements", [])
                                               if isinstance(r, dict) and isinstance(r.get("unit"), dict)]
        items = _select(pool, parts[1], "units", assignment, unit=True)
        for item in items:
            _apply(item, parts[2:], parse_value(value.strip()), f"units.{item.get('id')}", assignment)
        return
    _apply(data, parts, parse_value(value.strip()), "", assignment)


def _apply(node, parts: list[str], value, where: str, assignment: str) -> None:
    key = parts[0]
    here = f"{where}.{key}" if where else key
    last = len(parts) == 1
    if isinstance(node, dict):
        if last:
            node[key] = value
            return
        if key not in node:
            node[key] = {}        # a table the file leaves to its defaults (e.g. rules)
        _apply(node[key], parts[1:], value, here, assignment)
    elif isinstance(node, list):
        if last:
            raise VariantError(f"--set {assignment}: {here} is a whole table; set one of its fields")
        for item in _select(node, key, where, assignment):
            _apply(item, parts[1:], value, f"{where}.{item.get('id', key) if isinstance(item, dict) else key}",
                   assignment)
    else:
        raise VariantError(f"--set {assignment}: {where} is a value ({node!r}), not a table")


def _select(node: list, key: str, where: str, assignment: str, unit: bool = False) -> list:
    """The entries of a list of tables a path segment names: an index, an id or a glob of ids."""
    if key.isdigit():
        k = int(key)
        if k >= len(node):
            raise VariantError(f"--set {assignment}: {where} has {len(node)} entries, no [{k}]")
        return [node[k]]
    found = [x for x in node if isinstance(x, dict) and fnmatch.fnmatchcase(str(x.get("id")), key)]
    if found:
        return found
    if unit:
        raise VariantError(f"--set {assignment}: no unit {key!r} in units or reinforcements")
    ids = [str(x.get("id")) for x in node if isinstance(x, dict) and "id" in x]
    hint = f" (ids: {', '.join(ids[:8])}{' …' if len(ids) > 8 else ''})" if ids else ""
    raise VariantError(f"--set {assignment}: no entry {key!r} in {where}{hint}")


def remove_units(data: dict, pattern: str) -> list[str]:
    """Remove every unit (on the map or arriving later) whose id matches the glob pattern."""
    gone = [u["id"] for u in data.get("units", []) if fnmatch.fnmatchcase(str(u.get("id")), pattern)]
    gone += [r["unit"]["id"] for r in data.get("reinforcements", [])
             if fnmatch.fnmatchcase(str(r.get("unit", {}).get("id")), pattern)]
    if not gone:
        raise VariantError(f"--remove-units {pattern}: no unit id matches")
    data["units"] = [u for u in data.get("units", []) if u.get("id") not in gone]
    data["reinforcements"] = [r for r in data.get("reinforcements", []) if r.get("unit", {}).get("id") not in gone]
    return gone


def fix_weather(data: dict, weather: str) -> None:
    """Every day of the game in one weather (``scripted``: the scenario's own weather)."""
    if weather == "scripted":
        return
    if weather not in WEATHERS:
        raise VariantError(f"--weather {weather}: choose one of {', '.join(WEATHER_CHOICES)}")
    turns = int(data.get("turns", 0)) if str(data.get("turns", "")).isdigit() else 0
    data["weather"] = {**data.get("weather", {}), "script": [weather] * max(turns, 1), "initial": weather}


def build_variant(ref: str, change: Change) -> Scenario:
    """The scenario with the change applied and validated; VariantError says what is wrong."""
    data = copy.deepcopy(load_data(ref))
    for s in change.sets:
        set_path(data, s)
    for p in change.remove_units:
        remove_units(data, p)
    if change.weather:
        fix_weather(data, change.weather)
    scn, found = validate_data(data, "variant")
    if scn is None:
        lines = [f"{p.place}: {p.message}" for p in found]
        raise VariantError(f"the variant ({change.describe()}) is not a valid scenario:\n  " + "\n  ".join(lines))
    return scn
