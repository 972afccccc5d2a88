"""Reference adjudicator, phases 1-4: weather, detection, fires and movement (see
``reference.py`` for the whole turn)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .dice import binomial_icdf_py
from .events import lit, ref
from .orders import MAX_PATH
from .params import TERRAINS, WEATHERS
from .world import CAUSES

if TYPE_CHECKING:
    from .reference import Day, Mission


# ----- 1. weather --------------------------------------------------------------------------

def weather(d: Day) -> None:
    """1. Weather. The scenario's script gives each day's weather. Past its end the Markov
    table decides: from yesterday's weather (the scenario's initial weather before day 1), one
    uniform draw u picks the state i where u first falls below the row's cumulative
    probabilities. The day's drone visibility v comes from the weather table."""
    world = d.world
    t = d.turn - 1
    scripted = int(world.weather_script[t]) if t < len(world.weather_script) else -1
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


# ----- 3. fires ----------------------------------------------------------------------------

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


def mission_odds(d: Day, m: Mission, jam: list[list[float]], spotted: list[set[int]]) -> dict:
    """Hit probability of a mission: p = base_p * (1 if the firing side has detected a unit on
    the target hex, else 0.25) * (1 - jam) * v_factor. base_p: FPV 0.35, bomber drone 0.3,
    artillery 0.2, glide bomb 0.6; recon and interdiction do not hit (0). The jam is the
    enemy's strongest EW on the target hex, for radio drones only; v applies to drones only."""
    p, world = d.p, d.world
    drone = m.kind in ("strike", "hunt")
    fpv = drone and bool(world.t_fpv[d.type[m.unit]])
    base = (p.fpv_base_p if fpv else p.bomber_base_p if drone else p.artillery_base_p if m.kind == "fire"
            else p.glide_base_p if m.kind == "bomb" else 0.0)
    det = m.hex in spotted[m.side]
    det_f = 1.0 if det else p.undetected_factor
    jam_m = jam[1 - m.side][m.hex] if drone and bool(world.t_radio[d.type[m.unit]]) else 0.0
    v_f = d.v if drone else 1.0
    per_hit = (p.fpv_damage if fpv else p.bomber_damage if drone else p.artillery_damage if m.kind == "fire"
               else p.glide_damage if m.kind == "bomb" else 0.0)
    urban = m.kind == "bomb" and world.terrain[m.hex] == TERRAINS.index("urban")
    if urban:
        per_hit = per_hit * p.glide_urban_mult
    return {"base": base, "det": det, "jam": jam_m, "v_f": v_f, "p": base * det_f * (1.0 - jam_m) * v_f,
            "per_hit": per_hit, "urban": urban}


CAUSE_OF = {"strike": "drone", "hunt": "drone", "fire": "artillery", "bomb": "glide_bomb"}


def fires(d: Day) -> None:
    """3. Fires, all on the state at the start of the phase, landing at once.
    - Yesterday's interdiction fire control decays by half.
    - Each strike, hunt, artillery or glide-bomb mission scores hits ~ Binomial(count, p)
      (see ``mission_odds``). Damage per hit: FPV 1.5, bomber 2.5, artillery 2, glide bomb 6
      (x1.5 on urban hexes).
    - The damage of each kind of mission on a hex is pooled and spread over the enemy units
      there in proportion to signature x strength (hunts: over drone, EW and UGV units only),
      each unit's share reduced by entrenchment, x(1 - 0.15 * level). A unit never loses more
      than it has; if several causes would take more, all are scaled down alike.
    - Two or more glide-bomb hits on a hex strip one entrenchment level from the units there,
      and every hit costs them glide_cohesion cohesion.
    - Interdiction adds fire control sorties x v on its road hex. Today's fire control of a
      side is its interdiction plus its patrol field.
    - Every sortie flown, on missions or patrol, uses one drone of the unit's stock."""
    p = d.p
    d.fire_control = [[f * (1.0 - p.fire_control_decay) for f in row] for row in d.fire_control]
    jam = d.jam
    spotted = [{d.hex[u] for u in range(d.U) if d.detected[s][u]} for s in (0, 1)]
    draws = d.draws("fires", "missions", len(d.missions))
    odds = [mission_odds(d, m, jam, spotted) for m in d.missions]
    hits = [binomial_icdf_py(draws[i], m.count, odds[i]["p"]) for i, m in enumerate(d.missions)]
    damage = [hits[i] * odds[i]["per_hit"] for i in range(len(d.missions))]

    # damage pools: (kind, side hit) -> hex -> damage, in the order strike, hunt, fire, bomb
    pools: dict[tuple[str, int], dict[int, float]] = {}
    for kind in CAUSE_OF:
        for ts in (0, 1):
            sel = [i for i, m in enumerate(d.missions) if m.kind == kind and m.side == 1 - ts]
            if sel:
                pool = pools.setdefault((kind, ts), {})
                for i in sel:
                    pool[d.missions[i].hex] = pool.get(d.missions[i].hex, 0.0) + damage[i]
    total = {c: [0.0] * d.U for c in CAUSES if c in CAUSE_OF.values()}
    for (kind, ts), pool in pools.items():
        elig = [d.live(u) and d.side[u] == ts and (kind != "hunt" or d.role[u] in ("drone", "ew", "ugv"))
                for u in range(d.U)]
        weight = [d.sig0[u] * d.strength[u] for u in range(d.U)]
        wsum: dict[int, float] = {}
        for u in range(d.U):
            if elig[u]:
                wsum[d.hex[u]] = wsum.get(d.hex[u], 0.0) + weight[u]
        for u in range(d.U):
            if elig[u] and d.hex[u] in pool:
                share = weight[u] / max(wsum[d.hex[u]], 1e-12)
                reduce = 1.0 - p.entrench_damage_reduction * d.entrench[u]
                total[CAUSE_OF[kind]][u] += pool[d.hex[u]] * share * reduce
    before = list(d.strength)
    for u in range(d.U):
        taken = {c: min(max(a[u], 0.0), before[u]) for c, a in total.items()}
        s = sum(taken.values())
        scale = before[u] / max(s, 1e-12) if s > before[u] else 1.0
        for c, a in taken.items():
            d.hurt(u, a * scale, c)

    # glide bombs: 2+ hits on a hex strip one entrenchment level
    bomb_hits = [dict(), dict()]          # side hit -> hex -> hits
    for i, m in enumerate(d.missions):
        if m.kind == "bomb":
            bomb_hits[1 - m.side][m.hex] = bomb_hits[1 - m.side].get(m.hex, 0) + hits[i]
    for u in range(d.U):
        if d.on_map[u] and bomb_hits[d.side[u]].get(d.hex[u], 0) >= p.glide_entrench_hits:
            d.entrench[u] = max(d.entrench[u] - 1, 0)
        if d.on_map[u]:
            d.cohesion[u] = max(d.cohesion[u] - p.glide_cohesion * bomb_hits[d.side[u]].get(d.hex[u], 0), 0.0)

    # interdiction, then today's total fire control
    for s in (0, 1):
        add: dict[int, float] = {}
        for m in d.missions:
            if m.kind == "interdict" and m.side == s:
                add[m.hex] = add.get(m.hex, 0.0) + m.count * d.v
        for h, f in add.items():
            d.fire_control[s][h] = d.fire_control[s][h] + f
    d.fire_control = [[max(d.fire_control[s][h], float(d.world.standing_fc[s][h])) for h in range(d.n)]
                      for s in (0, 1)]
    d.fc_total = [[d.fire_control[s][h] + d.patrol_fc[s][h] for h in range(d.n)] for s in (0, 1)]
    flown = [0] * d.U
    for m in d.missions:
        if m.unit >= 0:
            flown[m.unit] += m.count
    for u in range(d.U):
        if d.role[u] == "drone":
            d.stock[u] = max(d.stock[u] - flown[u] - d.patrol[u], 0)
    _fires_events(d, odds, draws, hits, damage, before)


def _fires_events(d: Day, odds, draws, hits, damage, before) -> None:
    world, g = d.world, d.grid
    names = {"strike": "strike", "hunt": "hunt", "fire": "artillery fire", "bomb": "glide bombs"}
    lost = [before[u] - d.strength[u] for u in range(d.U)]
    hit_hexes: dict[tuple[int, int], list[int]] = {}
    for i, m in enumerate(d.missions):
        who = ref(0) if m.unit >= 0 else "glide bombs"
        if m.kind == "recon":
            continue
        if m.kind == "interdict":
            f = d.fire_control[m.side][m.hex]
            d.emit("fires", "interdict", f"{who} puts fire control on {g.hex_id(m.hex)} "
                   f"({lit(world.road_names.get(m.hex, 'road'))}): F now {f:.1f}", side=m.side, hex=m.hex, units=[m.unit],
                   why={"sorties": m.count, "visibility": d.v, "f_after": f})
            continue
        o = odds[i]
        why = {"sorties" if m.kind in ("strike", "hunt") else "rounds": m.count, "base_p": o["base"],
               "target_detected": o["det"], "jamming": o["jam"], "visibility_factor": o["v_f"], "p": o["p"],
               "draw": draws[i], "hits": hits[i], "damage": damage[i]}
        if m.kind == "bomb":
            why["urban_x1_5"] = o["urban"]
        d.emit("fires", names[m.kind].replace(" ", "_"),
               f"{names[m.kind]}{f' by {who}' if m.unit >= 0 else ''} on {g.hex_id(m.hex)}: {hits[i]} hits of {m.count} "
               f"(p={o['p']:.2f}), {damage[i]:.1f} damage",
               side=m.side, hex=m.hex, units=[m.unit] if m.unit >= 0 else [], why=why)
        victims = [u for u in range(d.U) if d.hex[u] == m.hex and d.side[u] != m.side and lost[u] > 0 and d.on_map[u]]
        if victims:
            hit_hexes.setdefault((m.side, m.hex), victims)
    # one report per hex that took fire, after all missions
    for (side, h), victims in hit_hexes.items():
        d.emit("fires", "hit", f"Under fire at {g.hex_id(h)}: "
               + ", ".join(f"{ref(j)} -{lost[v]:.1f}" for j, v in enumerate(victims)),
               side=1 - side, hex=h, units=victims,
               why={"losses": {world.unit_ids[v]: lost[v] for v in victims}})


# ----- 4. movement -------------------------------------------------------------------------

def movement(d: Day) -> None:
    """4. Movement, simultaneous: every check reads the positions at the start of the phase,
    so units can be walked one at a time. A unit ordered to move steps along its path, paying
    each hex's MP cost (off-road costs x the weather's multiplier; roads 0.5 whatever the
    weather). It stops when its MP would run out (its first hex is always allowed), before a
    hex held by enemy units, or on entering an enemy zone of control (a hex next to, or on,
    an enemy unit's hex). Each hex entered under enemy fire control F costs the fraction
    1 - exp(-0.08 * F * signature * 1.5 * slow) of its strength (the drone kill zone; slow is
    the weather's off-road multiplier off the roads, 1 on them). A unit that
    ends the phase off its starting hex loses its entrenchment."""
    world, p, g = d.world, d.p, d.grid
    occupied = [{d.hex[u] for u in range(d.U) if d.live(u) and d.side[u] == s} for s in (0, 1)]
    zoc = [{x for h in occupied[s] for x in d.within(h, 1)} for s in (0, 1)]
    mult = p.weather[WEATHERS[d.weather]].offroad_mp_mult
    start = list(d.hex)
    for u in range(d.U):
        if not (d.live(u) and d.ground[u] == "move"):
            continue
        s, mp = d.side[u], float(world.t_mp[d.type[u]])
        sig = d.sig0[u] * p.moving_signature
        spent, kz, reason = 0.0, 0.0, ""
        for j, nx in enumerate(d.path[u][:MAX_PATH]):
            cost = d.move_cost[nx] * (mult if bool(world.offroad[nx]) else 1.0)
            if j > 0 and spent + cost > mp + 1e-9:
                reason = "out of movement points"
                break
            if nx in occupied[1 - s]:
                reason = f"blocked by enemy units at {g.hex_id(nx)}"
                break
            d.hex[u] = nx
            spent = spent + cost
            slow = mult if bool(world.offroad[nx]) else 1.0
            frac = 1.0 - math.exp(-p.killzone_coeff * d.fc_total[1 - s][nx] * sig * slow)
            kz += d.hurt(u, d.strength[u] * frac, "drone")
            if nx in zoc[1 - s]:
                reason = "entered an enemy zone of control"
                break
        why = {"planned": g.ids(d.path[u]), "mp": mp, "spent": spent, "weather_offroad_x": mult,
               "killzone_loss": kz, "from": g.hex_id(start[u])}
        if reason:
            why["stopped"] = reason
        end = d.hex[u]
        text = (f"{ref(0)} moves {g.hex_id(start[u])} -> {g.hex_id(end)}" if end != start[u]
                else f"{ref(0)} could not move")
        if reason:
            text += f" ({reason})"
        if kz > 0:
            text += f"; kill zone -{kz:.1f}"
        d.emit("movement", "move", text, side=s, hex=end, units=[u], why=why)
    for u in range(d.U):
        d.moved[u] = d.hex[u] != start[u]
        if d.moved[u]:
            d.entrench[u] = 0
