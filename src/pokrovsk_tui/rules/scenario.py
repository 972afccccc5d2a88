"""Scenario models (pydantic) and the semantic checks that need the whole file.

A scenario is plain data; ``problems(scenario)`` lists every defect with its place in the
file (``units[3].hex``) so the command line can print one line per problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .hexgrid import HexGrid, HexIdError
from .limits import MAX_COUNT, MAX_HEXES, MAX_ITEMS, MAX_NAME, MAX_SIDE, MAX_TEXT, check_magnitudes
from .params import TERRAIN_CHARS, WEATHERS, RulesParams

Side = Literal["ua", "ru"]
SIDES: tuple[str, str] = ("ua", "ru")
Role = Literal["infantry", "assault", "drone", "ugv", "ew", "artillery", "hq"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="after")
    def _bounded(self):
        check_magnitudes(self)
        return self


class Road(_Model):
    name: str = Field(min_length=1, max_length=MAX_NAME)
    kind: Literal["highway", "road"] = "road"
    hexes: list[str] = Field(min_length=2, max_length=MAX_HEXES, description="consecutive adjacent hexes")


class Rail(_Model):
    name: str = Field(min_length=1, max_length=MAX_NAME)
    hexes: list[str] = Field(min_length=2, max_length=MAX_HEXES)


class Settlement(_Model):
    name: str = Field(min_length=1, max_length=MAX_NAME)
    hex: str = Field(max_length=8, description="hex where the name is printed")


class SupplySource(_Model):
    name: str = Field(min_length=1, max_length=MAX_NAME)
    side: Side
    hex: str = Field(max_length=8)
    capacity: float = Field(gt=0, description="supply points a day")


class MapSpec(_Model):
    width: int = Field(ge=2, le=MAX_SIDE, description=f"columns, at most {MAX_SIDE} (hex ids are CCRR, CCCRRR past 99)")
    height: int = Field(ge=2, le=MAX_SIDE, description=f"rows, at most {MAX_SIDE} (hex ids are CCRR, CCCRRR past 99)")
    terrain: list[str] = Field(
        max_length=MAX_SIDE,
        description="one string a row, one character a hex: . open, t treeline, v village, "
        "U urban, I industrial, ~ water"
    )
    control: list[str] = Field(
        max_length=MAX_SIDE, description="one string a row: u Ukrainian, r Russian, x contested")
    roads: list[Road] = Field(default_factory=list, max_length=MAX_ITEMS)
    rail: list[Rail] = Field(default_factory=list, max_length=MAX_ITEMS)
    settlements: list[Settlement] = Field(default_factory=list, max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _not_too_large(self):
        if self.width * self.height > MAX_HEXES:
            raise ValueError(f"map too large: {self.width}x{self.height} = {self.width * self.height:,} hexes; "
                             f"at most {MAX_HEXES:,} hexes (e.g. 128x128), each side at most {MAX_SIDE}")
        return self


class DroneSpec(_Model):
    kind: Literal["fpv", "bomber"] = "fpv"
    link: Literal["radio", "fibre"] = "radio"
    sorties_per_day: int = Field(ge=0, le=MAX_COUNT)
    stock: int = Field(ge=0, description="drones held at the start")
    max_stock: int = Field(ge=0)
    range: int = Field(ge=1, le=2 * MAX_SIDE, description="hexes")


class UnitType(_Model):
    role: Role
    side: Literal["ua", "ru", "both"] = "both"
    name: str = Field("", max_length=MAX_NAME)
    strength: float = Field(gt=0)
    mp: float = Field(ge=0)
    attack: float = Field(0.0, ge=0)
    defence: float = Field(gt=0)
    signature: float = Field(gt=0)
    can_raid: bool = False
    can_infiltrate: bool = False
    drone: DroneSpec | None = None
    ugv_runs_per_day: int = Field(0, ge=0, le=MAX_COUNT)
    ugv_range: int = Field(0, ge=0, le=2 * MAX_SIDE)
    ew_radius: int = Field(0, ge=0, le=2 * MAX_SIDE)
    ew_strength: float = Field(0.0, ge=0, le=1)
    artillery_range: int = Field(0, ge=0, le=2 * MAX_SIDE)
    artillery_fires_per_day: int = Field(0, ge=0, le=MAX_COUNT)
    hq_capacity: float = Field(0.0, ge=0)


class UnitSpec(_Model):
    id: str = Field(min_length=1, max_length=40)
    name: str = Field("", max_length=MAX_NAME)
    side: Side
    type: str = Field(max_length=MAX_NAME)
    hex: str = Field(max_length=8)
    strength: float | None = Field(None, gt=0)
    cohesion: float = Field(100.0, ge=0, le=100)
    supply: float = Field(70.0, ge=0, le=100)
    entrenchment: int = Field(0, ge=0, le=3)


class Reinforcement(_Model):
    turn: int = Field(ge=1, le=365)
    unit: UnitSpec


class Deliveries(_Model):
    ua_drones: int = Field(0, ge=0, le=MAX_COUNT, description="drones a day, shared by supplied UA drone units")
    ru_drones: int = Field(0, ge=0, le=MAX_COUNT)
    ru_glide_bombs: int = Field(0, ge=0, le=MAX_COUNT, description="glide bombs (KAB) a day (one order asks at most this)")
    ua_glide_bombs: int = Field(0, ge=0, le=MAX_COUNT)


class WeatherSpec(_Model):
    script: list[Literal["frost", "snow", "thaw", "fog"]] = Field(
        default_factory=list, max_length=365, description="weather of each day; days past its end use the Markov table"
    )
    initial: Literal["frost", "snow", "thaw", "fog"] = "frost"
    markov: dict[str, dict[str, Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]]] = Field(
        max_length=10, default_factory=lambda: {
            "frost": {"frost": 0.7, "snow": 0.15, "thaw": 0.05, "fog": 0.1},
            "snow": {"frost": 0.3, "snow": 0.5, "thaw": 0.1, "fog": 0.1},
            "thaw": {"frost": 0.2, "snow": 0.1, "thaw": 0.5, "fog": 0.2},
            "fog": {"frost": 0.4, "snow": 0.1, "thaw": 0.2, "fog": 0.3},
        }
    )


class Objective(_Model):
    id: str = Field(min_length=1, max_length=MAX_NAME)
    name: str = Field(max_length=MAX_NAME)
    kind: Literal["hold", "road"] = "hold"
    hexes: list[str] = Field(min_length=1, max_length=MAX_HEXES)
    vp: float = Field(ge=0, description="victory points a day (split over the hexes for 'hold')")
    fire_control_threshold: float = Field(
        1.0, ge=0, description="for 'road': RU scores when its fire control on any hex reaches this"
    )


class SuddenDeath(_Model):
    id: str = Field(min_length=1, max_length=MAX_NAME)
    name: str = Field(max_length=MAX_NAME)
    side: Side = Field(description="the side that wins when the condition holds")
    kind: Literal["control_all", "cut_supply"]
    hexes: list[str] = Field(min_length=1, max_length=MAX_HEXES)
    days: int = Field(1, ge=1, le=365, description="days running the condition must hold")


class Victory(_Model):
    margin: float = Field(10.0, ge=0, description="VP margin needed to win at the last turn")
    talks_turn: int | None = Field(None, ge=1, le=365, description="turn on which objectives count double")
    sudden_death: list[SuddenDeath] = Field(default_factory=list, max_length=MAX_ITEMS)


class StandingFire(_Model):
    """Fire control a side keeps on a road every day, whatever its orders: a what-if lever
    ("Russia holds the T0504 under fire control") rather than a unit."""

    side: Side
    road: str = Field(min_length=1, max_length=MAX_NAME, description="the name of a road of the map")
    level: float = Field(ge=0, le=1000, description="fire control on each of its hexes, every day")


class GuideStep(_Model):
    """A tutorial's prompt for one day: what to try (shown to a human player of that side)."""

    day: int = Field(ge=1, le=365)
    side: Side | None = Field(None, description="the side whose player sees it; both when left out")
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class Commanders(_Model):
    """Habits of the computer commanders, for what-if questions about the rules themselves."""

    weather_doctrine: bool = Field(True, description="ground taken in snow or mud is worth less to the "
                                                     "computer, so it waits for the frost")
    no_recon: list[Side] = Field(default_factory=list, max_length=2,
                                 description="sides whose computer flies no recon sorties")


class Scenario(_Model):
    id: str = Field(min_length=1, max_length=MAX_NAME, pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1, max_length=MAX_NAME)
    description: str = Field("", max_length=MAX_TEXT)
    start_date: dt.date
    turns: int = Field(ge=1, le=365)
    map: MapSpec
    unit_types: dict[str, UnitType] = Field(max_length=100)
    units: list[UnitSpec] = Field(max_length=MAX_ITEMS)
    supply_sources: list[SupplySource] = Field(min_length=1, max_length=MAX_ITEMS)
    objectives: list[Objective] = Field(default_factory=list, max_length=MAX_ITEMS)
    reinforcements: list[Reinforcement] = Field(default_factory=list, max_length=MAX_ITEMS)
    deliveries: Deliveries = Field(default_factory=Deliveries)
    weather: WeatherSpec = Field(default_factory=WeatherSpec)
    victory: Victory = Field(default_factory=Victory)
    rules: RulesParams = Field(default_factory=RulesParams)
    standing_fire: list[StandingFire] = Field(default_factory=list, max_length=MAX_ITEMS)
    ai: Commanders = Field(default_factory=Commanders)
    guide: list[GuideStep] = Field(default_factory=list, max_length=MAX_ITEMS,
                                   description="a guided game's prompts: what to try on each day")

    def grid(self) -> HexGrid:
        return HexGrid(self.map.width, self.map.height)


def problems(s: Scenario) -> list[tuple[str, str]]:
    """Semantic defects pydantic cannot see: (place, message) pairs, empty when sound."""
    out: list[tuple[str, str]] = []
    m = s.map
    roads = {r.name for r in m.roads}
    for i, sf in enumerate(s.standing_fire):
        if sf.road not in roads:
            out.append((f"standing_fire[{i}].road", f"no road named {sf.road!r} on the map "
                                                    f"(roads: {', '.join(sorted(roads)) or 'none'})"))
    grid = s.grid()

    def check_hex(place: str, h: str) -> int | None:
        try:
            return grid.index(h)
        except HexIdError as e:
            out.append((place, str(e)))
            return None

    for name, rows, allowed in (("terrain", m.terrain, TERRAIN_CHARS), ("control", m.control, "urx")):
        if len(rows) != m.height:
            out.append((f"map.{name}", f"has {len(rows)} rows, map height is {m.height}"))
        for i, row in enumerate(rows):
            if len(row) != m.width:
                out.append((f"map.{name}[{i}]", f"row {i + 1} has {len(row)} characters, map width is {m.width}"))
            bad = sorted({c for c in row if c not in allowed})
            if bad:
                out.append((f"map.{name}[{i}]", f"unknown characters {''.join(bad)!r} (allowed: {''.join(allowed)})"))

    lines_of: list[tuple[str, Sequence[Road | Rail]]] = [("roads", m.roads), ("rail", m.rail)]
    for kind, lines in lines_of:
        for i, line in enumerate(lines):
            idx = [check_hex(f"map.{kind}[{i}].hexes[{j}]", h) for j, h in enumerate(line.hexes)]
            for j in range(1, len(idx)):
                a, b = idx[j - 1], idx[j]
                if a is not None and b is not None and grid.hex_distance(a, b) != 1:
                    out.append((f"map.{kind}[{i}].hexes[{j}]",
                                f"{line.name}: {line.hexes[j - 1]} and {line.hexes[j]} are not adjacent"))
    for i, st in enumerate(m.settlements):
        check_hex(f"map.settlements[{i}].hex", st.hex)
    for i, step in enumerate(s.guide):
        if step.day > s.turns:
            out.append((f"guide[{i}].day", f"day {step.day} is after the last day ({s.turns})"))
    for i, src in enumerate(s.supply_sources):
        check_hex(f"supply_sources[{i}].hex", src.hex)
    for i, ob in enumerate(s.objectives):
        for j, h in enumerate(ob.hexes):
            check_hex(f"objectives[{i}].hexes[{j}]", h)
    for i, sd in enumerate(s.victory.sudden_death):
        for j, h in enumerate(sd.hexes):
            check_hex(f"victory.sudden_death[{i}].hexes[{j}]", h)
    if s.victory.talks_turn is not None and s.victory.talks_turn > s.turns:
        out.append(("victory.talks_turn", f"turn {s.victory.talks_turn} is after the last turn {s.turns}"))

    for name, t in s.unit_types.items():
        place = f"unit_types.{name}"
        if t.role == "drone" and t.drone is None:
            out.append((place, "a drone unit type needs a [drone] table"))
        if t.role == "ugv" and (t.ugv_runs_per_day == 0 or t.ugv_range == 0):
            out.append((place, "a ugv unit type needs ugv_runs_per_day and ugv_range"))
        if t.role == "ew" and (t.ew_radius == 0 or t.ew_strength == 0):
            out.append((place, "an ew unit type needs ew_radius and ew_strength"))
        if t.role == "artillery" and (t.artillery_range == 0 or t.artillery_fires_per_day == 0):
            out.append((place, "an artillery unit type needs artillery_range and artillery_fires_per_day"))
        if t.role == "hq" and t.hq_capacity == 0:
            out.append((place, "an hq unit type needs hq_capacity"))
        if t.role in ("infantry", "assault") and t.attack <= 0:
            out.append((place, "a fighting unit type needs attack > 0"))

    seen: dict[str, str] = {}
    all_units = [(f"units[{i}]", u) for i, u in enumerate(s.units)]
    all_units += [(f"reinforcements[{i}].unit", r.unit) for i, r in enumerate(s.reinforcements)]
    for place, u in all_units:
        if u.id in seen:
            out.append((f"{place}.id", f"unit id {u.id!r} is used twice (also at {seen[u.id]})"))
        seen[u.id] = place
        ut = s.unit_types.get(u.type)
        if ut is None:
            out.append((f"{place}.type", f"unknown unit type {u.type!r} (known: {', '.join(sorted(s.unit_types))})"))
        elif ut.side not in ("both", u.side):
            out.append((f"{place}.type", f"type {u.type!r} is for side {ut.side}, unit is {u.side}"))
        at = check_hex(f"{place}.hex", u.hex)
        if at is not None and len(m.terrain) == m.height and all(len(r) == m.width for r in m.terrain):
            if TERRAIN_CHARS.get(m.terrain[at // m.width][at % m.width]) == "water":
                out.append((f"{place}.hex", f"unit {u.id} stands on water at {u.hex}"))
    for i, r in enumerate(s.reinforcements):
        if r.turn > s.turns:
            out.append((f"reinforcements[{i}].turn", f"turn {r.turn} is after the last turn {s.turns}"))

    for state, probs in s.weather.markov.items():
        if state not in WEATHERS:
            out.append((f"weather.markov.{state}", f"unknown weather {state!r}"))
        for nxt, p in probs.items():
            if nxt not in WEATHERS:
                out.append((f"weather.markov.{state}.{nxt}", f"unknown weather {nxt!r}"))
            if p < 0:
                out.append((f"weather.markov.{state}.{nxt}", "a probability cannot be negative"))
        if abs(sum(probs.values()) - 1.0) > 1e-6:
            out.append((f"weather.markov.{state}", f"probabilities add up to {sum(probs.values()):.3f}, not 1"))
    if len(s.weather.script) < s.turns and not s.weather.markov:
        out.append(("weather", "the script is shorter than the game and there is no markov table"))
    for w in WEATHERS:
        if s.weather.markov and w not in s.weather.markov:
            out.append(("weather.markov", f"no row for {w!r}"))
    return out
