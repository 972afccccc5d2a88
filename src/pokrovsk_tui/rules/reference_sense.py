"""Reference adjudicator, phases 1-2: weather and detection, with the EW jamming the day's
detection and fires share (mirrors ``phase_sense.py``; ``reference.py`` has the whole turn)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .events import ref
from .params import TERRAINS, WEATHERS

if TYPE_CHECKING:
    from .reference_day import Day


# ----- 1. weather --------------------------------------------------------------------------

def weather(d: Day) -> None:
    """1. Weather. The scenario's script gives each day's weather. Past its end the Markov
    table decides: from yesterday's weather (the scenario's initial weather before day 1), one
    uniform draw u picks the state i where u first falls below the row's cumulative
    probabilities. The day's drone visibility v comes from the weather table."""
    world = d.world
    t = d.turn - 1
    scripted = int(world.weather_script[t]) if t < len(world.weather_script) else -1
    why: dict[str, Any]
    if scripted >= 0:
        today, why = scripted, {"source": "script"}
    else:
        prev = world.weather_initial if d.weather < 0 else d.weather
        u = d.draws("weather", "day")
        row = world.weather_markov[prev].tolist()
        today, cum = 0, 0.0
        for pr in row:
            cum += pr
            if u >= cum:
                today += 1
        today = min(today, 3)
        why = {"source": "markov", "yesterday": WEATHERS[prev], "draw": u,
               "table": {WEATHERS[i]: row[i] for i in range(4)}}
    d.weather = today
    name = WEATHERS[today]
    wr = d.p.weather[name]
    d.v = wr.visibility
    d.emit("weather", "weather", f"Weather: {name} (drone visibility {wr.visibility:g}, "
           f"off-road movement x{wr.offroad_mp_mult:g})", why=why | {"weather": name})


# ----- 2. detection ------------------------------------------------------------------------

def patrol_sorties(d: Day) -> list[int]:
    """Sorties a drone unit on the map flies on patrol: its day's capacity, min(sorties a day,
    drones in stock), less the sorties its orders assign to missions (never below zero)."""
    assigned = [0] * d.U
    for m in d.missions:
        if m.unit >= 0:
            assigned[m.unit] += m.count
    out = [0] * d.U
    for u in range(d.U):
        if d.role[u] == "drone" and d.live(u):
            cap = min(int(d.world.t_sorties[d.type[u]]), d.stock[u])
            out[u] = max(cap - assigned[u], 0)
    return out


def patrol_field(d: Day) -> list[list[float]]:
    """Each side's patrol fire control: a drone unit's patrol adds 0.05 * sorties * v * f(dist)
    on every hex within its range, f = 1 within 5 hexes and exp(-(dist - 5) / 8) beyond; a
    radio-linked unit's share on a hex is thinned by the enemy's jamming there, x(1 - jam)."""
    p = d.p
    out = [[0.0] * d.n for _ in (0, 1)]
    for u in range(d.U):
        if d.role[u] != "drone" or d.patrol[u] == 0:
            continue
        weight = d.patrol[u] * d.v * p.patrol_coeff
        rng = int(d.world.t_range[d.type[u]])
        for h in d.within(d.hex[u], rng):
            dist = d.dist[d.hex[u]][h]
            f = 1.0 if dist <= p.patrol_flat_radius else math.exp(-(dist - p.patrol_flat_radius) / p.patrol_decay_length)
            if p.ew_patrol and bool(d.world.t_radio[d.type[u]]):
                f *= 1.0 - d.jam[1 - d.side[u]][h]
            out[d.side[u]][h] += weight * f
    return out


def effort(d: Day) -> list[list[float]]:
    """Each side's detection effort on each hex. Every own unit on the map watches its own hex
    (effort 2) and the hexes around it (effort 1 within 1 hex; within 2 from an industrial hex,
    the observation bonus). A drone unit also watches every hex within 3 (effort 0.5). Each
    recon sortie counts recon_effort on its target hex and recon_neighbour_share of that on each
    neighbour. Half of the side's
    patrol field counts as effort too."""
    p, world = d.p, d.world
    industrial = TERRAINS.index("industrial")
    out = []
    for s in (0, 1):
        e = [0.0] * d.n
        for u in range(d.U):
            if d.side[u] != s or not d.live(u):
                continue
            h = d.hex[u]
            radius = 1 + (p.industrial_observation_bonus if world.terrain[h] == industrial else 0)
            e[h] += p.own_hex_effort
            for x in d.within(h, radius):
                if x != h:
                    e[x] += p.adjacent_effort
            if d.role[u] == "drone":
                for x in d.within(h, p.drone_watch_radius):
                    e[x] += p.drone_watch_effort
        for m in d.missions:
            if m.side == s and m.kind == "recon":
                e[m.hex] += m.count * p.recon_effort
                for x in d.within(m.hex, 1):
                    if x != m.hex:
                        e[x] += m.count * p.recon_effort * p.recon_neighbour_share
        out.append([e[h] + d.patrol_fc[s][h] * p.patrol_detection_share for h in range(d.n)])
    return out


def signature(d: Day, u: int) -> float:
    """A unit's signature today: its type's, x1.5 if ordered to move, assault or raid
    (infiltration keeps a low signature), x0.6 per entrenchment level above 1."""
    sig = d.sig0[u]
    if d.ground[u] in ("move", "assault", "raid"):
        sig = sig * d.p.moving_signature
    return sig * d.p.dug_in_signature ** max(d.entrench[u] - 1, 0)


def detection(d: Day) -> None:
    """2. Detection. Each side tries to see each enemy unit on the map once:
    P(detect) = 1 - exp(-k * effort * signature * concealment * v), with the side's effort on
    the unit's hex and the concealment of its terrain. A detected unit is visible to that side
    this turn (its hex, turn and strength are remembered); any other unit is not."""
    world, p = d.world, d.p
    d.jam = jamming(d)
    d.patrol = patrol_sorties(d)
    d.patrol_fc = patrol_field(d)
    eff = effort(d)
    u_draw = d.draws("detection", "units", 2, d.U)
    det = [[False] * d.U for _ in (0, 1)]
    for s in (0, 1):
        enemies = 0
        for i in range(d.U):
            if not d.live(i) or d.side[i] == s:
                continue
            enemies += 1
            h = d.hex[i]
            e, sig, conceal = eff[s][h], signature(d, i), float(world.concealment[h])
            prob = 1.0 - math.exp(-(p.detect_k * e * sig * conceal * d.v))
            if u_draw[s][i] < prob:
                det[s][i] = True
                d.emit("detection", "detected", f"{ref(0)} spotted at {d.grid.hex_id(h)} (P={prob:.2f})",
                       side=s, hex=h, units=[i],
                       why={"effort": e, "signature": sig, "concealment": conceal, "visibility": d.v,
                            "k": p.detect_k, "p": prob, "draw": u_draw[s][i]})
        patrols = sum(d.patrol[u] for u in range(d.U) if d.side[u] == s)
        d.emit("detection", "summary", f"{sum(det[s])} of {enemies} enemy units detected ({patrols} patrol sorties)",
               side=s, why={"detected": sum(det[s]), "enemy_units": enemies, "patrol_sorties": patrols})
    d.detected = det
    for s in (0, 1):
        for i in range(d.U):
            if det[s][i]:
                d.seen_hex[s][i], d.seen_turn[s][i], d.seen_strength[s][i] = d.hex[i], d.turn, d.strength[i]


def jamming(d: Day) -> list[list[float]]:
    """Each side's jamming on each hex from its EW units on the map that are not ordered to move
    (an EW unit jams unless it moves), within each one's radius: posts combine as
    1 - prod(1 - strength)."""
    clear = [[1.0] * d.n for _ in (0, 1)]
    for u in range(d.U):
        if d.role[u] == "ew" and d.live(u) and d.ground[u] != "move":
            t = d.type[u]
            for h in d.within(d.hex[u], int(d.world.t_ew_radius[t])):
                clear[d.side[u]][h] *= 1.0 - float(d.world.t_ew_strength[t])
    return [[1.0 - c for c in row] for row in clear]
