"""Rules parameters: every number of RULES.md that a scenario's ``[rules]`` table may change.

Defaults are those of the design rules; a scenario overrides any of them by name.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, field_validator, model_validator

from .limits import check_magnitudes

TERRAINS = ("open", "treeline", "village", "urban", "industrial", "water")
TERRAIN_CHARS = {".": "open", "t": "treeline", "v": "village", "U": "urban", "I": "industrial", "~": "water"}
WEATHERS = ("frost", "snow", "thaw", "fog")
RESULTS = ("R", "E", "D", "X")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _bounded(self):
        check_magnitudes(self)
        return self


class TerrainRow(_Strict):
    move_cost: float = Field(gt=0)
    defence: float = Field(gt=0)
    concealment: float = Field(gt=0)


class WeatherRow(_Strict):
    offroad_mp_mult: float = Field(gt=0, description="off-road movement cost multiplier")
    visibility: float = Field(ge=0, le=1, description="drone visibility v")
    attack_mod: int = Field(description="ground attack die modifier")
    infiltration_mod: int = Field(description="die modifier for infiltration")
    bad_weather: bool = Field(description="the defender's losses halved (Dupuy); ground taken only if the going holds")


def _default_terrain() -> dict[str, TerrainRow]:
    return {
        "open": TerrainRow(move_cost=1.0, defence=1.0, concealment=1.0),
        "treeline": TerrainRow(move_cost=1.5, defence=1.2, concealment=0.6),
        "village": TerrainRow(move_cost=1.5, defence=1.3, concealment=0.7),
        "urban": TerrainRow(move_cost=2.0, defence=1.4, concealment=0.5),
        "industrial": TerrainRow(move_cost=2.0, defence=1.5, concealment=0.6),
        "water": TerrainRow(move_cost=99.0, defence=1.0, concealment=1.0),
    }


def _default_weather() -> dict[str, WeatherRow]:
    return {
        "frost": WeatherRow(offroad_mp_mult=1.0, visibility=1.0, attack_mod=0, infiltration_mod=0, bad_weather=False),
        "snow": WeatherRow(offroad_mp_mult=1.5, visibility=0.6, attack_mod=-1, infiltration_mod=-1, bad_weather=True),
        "thaw": WeatherRow(offroad_mp_mult=2.0, visibility=0.7, attack_mod=-1, infiltration_mod=-1, bad_weather=True),
        "fog": WeatherRow(offroad_mp_mult=1.0, visibility=0.3, attack_mod=0, infiltration_mod=1, bad_weather=False),
    }


def _default_crt() -> dict[str, str]:
    return {
        "1:3": "RRRRRREE",
        "1:2": "RRRRREEE",
        "1:1": "RRREEEDD",
        "1.5:1": "RREEEDDD",
        "2:1": "REEEDDDX",
        "3:1": "EEEDDDXX",
        "4:1": "EEDDDXXX",
    }


class RulesParams(_Strict):
    """The ``[rules]`` table. Every field has the default of the design rules."""

    terrain: dict[str, TerrainRow] = Field(default_factory=_default_terrain)
    road_cost: float = Field(0.5, gt=0, description="MP per hex along a road, any terrain")
    weather: dict[str, WeatherRow] = Field(default_factory=_default_weather)

    # detection
    detect_k: float = Field(1.2, ge=0)
    moving_signature: float = Field(1.5, gt=0)
    dug_in_signature: float = Field(0.6, gt=0, description="x per entrenchment level above 1")
    own_hex_effort: float = Field(2.0, ge=0, description="passive effort of a unit on its own hex")
    adjacent_effort: float = Field(1.0, ge=0, description="passive effort on adjacent hexes")
    drone_watch_radius: int = Field(3, ge=0)
    drone_watch_effort: float = Field(0.5, ge=0)
    industrial_observation_bonus: int = Field(1, ge=0)
    recon_effort: float = Field(1.0, ge=0, description="observation effort of one recon sortie on its target hex")
    recon_neighbour_share: float = Field(0.5, ge=0, description="a recon sortie's effort on each neighbouring hex, "
                                                                "as a share of its effort on the target")
    patrol_detection_share: float = Field(0.5, ge=0)

    # fires
    undetected_factor: float = Field(0.25, ge=0, le=1)
    fpv_base_p: float = Field(0.35, ge=0, le=1)
    fpv_damage: float = Field(1.5, ge=0)
    bomber_base_p: float = Field(0.3, ge=0, le=1)
    bomber_damage: float = Field(2.5, ge=0)
    artillery_base_p: float = Field(0.2, ge=0, le=1)
    artillery_damage: float = Field(2.0, ge=0)
    glide_base_p: float = Field(0.6, ge=0, le=1)
    glide_damage: float = Field(6.0, ge=0)
    glide_urban_mult: float = Field(1.5, ge=0)
    glide_entrench_hits: int = Field(2, ge=1, description="hits that remove one entrenchment level")
    entrench_damage_reduction: float = Field(0.15, ge=0, le=0.33)
    glide_cohesion: float = Field(6.0, ge=0, description="cohesion the units on a hex lose per glide-bomb hit")
    fire_control_decay: float = Field(0.5, ge=0, le=1, description="share of F lost each day")
    patrol_coeff: float = Field(0.05, ge=0)
    patrol_flat_radius: int = Field(5, ge=0)
    patrol_decay_length: float = Field(8.0, gt=0)

    # movement
    killzone_coeff: float = Field(0.08, ge=0)
    position_fire: float = Field(0.0, ge=0, description="entering a hex next to enemy positions dug in to level e "
                                                        "costs 1 - exp(-position_fire x e x signature x slow)")
    line_hold: int = Field(0, ge=0, le=3, description="a line holds: a unit next to enemy units dug in to at "
                                                     "least this level cannot step into another hex next to such "
                                                     "units (by moving or walking into an empty hex); 0: off")
    ew_patrol: bool = Field(True, description="enemy jamming thins the patrol field of radio-linked drones")

    # ground combat
    crt_ratios: list[float] = Field(max_length=20, default_factory=lambda: [1 / 3, 1 / 2, 1.0, 1.5, 2.0, 3.0, 4.0])
    crt: dict[str, str] = Field(max_length=20, default_factory=_default_crt)
    attacker_loss_rate: float = Field(0.04, ge=0)
    defender_loss_rate: float = Field(0.025, ge=0)
    bad_weather_loss_mult: float = Field(0.5, ge=0, description="the defender's losses x in snow or mud")
    bad_weather_attacker_loss_mult: float = Field(1.0, ge=0, description="the attacker's losses x in snow or mud")
    blind_assault_mod: int = Field(-1, description="die modifier of an attack on defenders its side has not seen "
                                                    "today or yesterday")
    blind_loss_mult: float = Field(1.3, ge=0, description="the attacker's losses x in a blind attack")
    infiltration_loss_mult: float = Field(0.5, ge=0)
    contested_rate_mult: float = Field(0.5, ge=0)
    rout_loss: float = Field(0.2, ge=0, le=1)
    raid_d_loss: float = Field(0.1, ge=0, le=1, description="extra defender loss on a raid's D")
    entrench_defence: float = Field(0.15, ge=0)
    posture: list[float] = Field(default_factory=lambda: [1.0, 1.3, 1.5, 1.6],
                                 description="defence x by entrenchment 0-3: none, hasty, prepared, fortified")
    cohesion_loss_per_pct: float = Field(1.0, ge=0, description="cohesion lost per 1% strength lost")
    retreat_cohesion: float = Field(10.0, ge=0)
    rout_cohesion: float = Field(25.0, ge=0)

    # logistics
    supply_base: float = Field(20.0, ge=0)
    supply_scale: float = Field(12.0, gt=0)
    supply_max_cost: float = Field(25.0, gt=0)
    fire_control_cost: float = Field(0.5, ge=0)
    supply_block_fc: float = Field(3.0, ge=0, description="trucks do not enter a hex under this much enemy fire "
                                                          "control")
    truck_standoff: tuple[NonNegativeInt, NonNegativeInt] = Field(
        (0, 0), description="[Ukraine's, Russia's]: the side's trucks and HQ relays stay this many hexes away "
                            "from ground the enemy holds or contests (the reach of the enemy's FPV drones over "
                            "roads); the last hexes are walked or driven by robot. One number sets both")
    consumption: float = Field(8.0, ge=0)
    fight_consumption: float = Field(10.0, ge=0)
    ugv_payload: float = Field(15.0, ge=0)
    ugv_loss_coeff: float = Field(0.03, ge=0)
    ugv_lost_strength: float = Field(2.0, ge=0, description="strength a UGV unit loses per robot lost")
    low_supply: float = Field(30.0, ge=0)
    low_supply_factor: float = Field(0.7, ge=0)
    isolation_cohesion: float = Field(5.0, ge=0)
    isolation_strength: float = Field(0.03, ge=0, description="x days isolated, escalating")
    isolation_fed: float = Field(0.25, ge=0, le=1, description="share of the isolation loss a unit with supply "
                                                               "at or above low_supply still suffers")
    hunger_strength: float = Field(0.02, ge=0, description="share of strength lost a day at supply 0, "
                                                           "in proportion below low_supply")
    hunger_cohesion: float = Field(5.0, ge=0, description="cohesion lost a day at supply 0, in proportion")

    # recovery
    rest_cohesion: float = Field(10.0, ge=0)
    hold_cohesion: float = Field(5.0, ge=0)
    max_entrenchment: int = Field(3, ge=0, le=3)
    dig_chance: list[float] = Field(default_factory=lambda: [1.0, 1.0, 1.0],
                                    description="chance a day of digging in adds a level, from 0, 1 and 2")
    removal_strength: float = Field(0.1, ge=0, le=1, description="removed below this share of full strength")

    @field_validator("truck_standoff", mode="before")
    @classmethod
    def _both_sides(cls, v: object) -> object:
        return (v, v) if isinstance(v, int) and not isinstance(v, bool) else v

    @model_validator(mode="after")
    def _check(self) -> RulesParams:
        missing = [t for t in TERRAINS if t not in self.terrain]
        if missing:
            raise ValueError(f"terrain table lacks {', '.join(missing)}")
        missing = [w for w in WEATHERS if w not in self.weather]
        if missing:
            raise ValueError(f"weather table lacks {', '.join(missing)}")
        if len(self.crt_ratios) != len(self.crt):
            raise ValueError(f"crt has {len(self.crt)} columns but crt_ratios has {len(self.crt_ratios)}")
        if any(b <= a for a, b in zip(self.crt_ratios, self.crt_ratios[1:], strict=False)):
            raise ValueError("crt_ratios must increase")
        for col, cells in self.crt.items():
            if len(cells) != 8 or any(c not in RESULTS for c in cells):
                raise ValueError(f"crt column {col!r} must be 8 letters from R, E, D, X")
        if len(self.dig_chance) != 3 or not all(0.0 <= c <= 1.0 for c in self.dig_chance):
            raise ValueError("dig_chance needs 3 chances between 0 and 1 (digging from level 0, 1 and 2)")
        if len(self.posture) != 4:
            raise ValueError("posture needs 4 factors (entrenchment 0-3)")
        return self
