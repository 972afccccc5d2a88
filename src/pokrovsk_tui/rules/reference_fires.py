"""Reference adjudicator, phase 3: fires (mirrors ``phase_fires.py``; ``reference.py`` has
the whole turn)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dice import binomial_icdf_py
from .events import lit, ref
from .params import TERRAINS
from .world import CAUSES

if TYPE_CHECKING:
    from .reference_day import Day, Mission


# ----- 3. fires ----------------------------------------------------------------------------

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
    bomb_hits: list[dict[int, int]] = [dict(), dict()]          # side hit -> hex -> hits
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
