"""Reference adjudicator, phase 5: ground combat (see ``reference.py`` for the whole turn)."""

from __future__ import annotations

import math

from .dice import die_from_uniform_py, poisson_icdf_py
from .events import ref
from .params import RESULTS, TERRAINS, WEATHERS
from .reference_move import cover_of

ATTACKS = ("assault", "infiltrate", "raid")
NAMES = {"R": "repulsed", "E": "engaged (hex contested)", "D": "defender retreats", "X": "defender routed"}


def attack_power(d, u: int) -> float:
    """strength x attack x cohesion factor (0.5 + 0.5 * cohesion / 100) x supply factor
    (0.7 below 30 supply)."""
    p = d.p
    coh = 0.5 + 0.5 * d.cohesion[u] / 100.0
    sup = p.low_supply_factor if d.supply[u] < p.low_supply else 1.0
    return d.strength[u] * float(d.world.t_attack[d.type[u]]) * coh * sup


def defence_power(d, u: int) -> float:
    """strength x defence x terrain defence x (1 + 0.15 * entrenchment) x posture (by
    entrenchment 0-3: 1, hasty 1.3, prepared 1.5, fortified 1.6) x cohesion factor
    (0.5 + 0.5 * cohesion / 100) x supply factor."""
    p, world = d.p, d.world
    coh = 0.5 + 0.5 * d.cohesion[u] / 100.0
    sup = p.low_supply_factor if d.supply[u] < p.low_supply else 1.0
    e = d.entrench[u]
    return (d.strength[u] * float(world.t_defence[d.type[u]]) * float(world.defence[d.hex[u]])
            * (1.0 + p.entrench_defence * e) * p.posture[e] * coh * sup)


def crt_column(p, ratio: float) -> int:
    """The CRT column: the last ratio column not above A:D (1:3 for anything lower)."""
    col = sum(1 for r in p.crt_ratios if r <= ratio) - 1
    return min(max(col, 0), len(p.crt_ratios) - 1)


def table_cell(d, col: int, row: int) -> str:
    """The CRT's result at a column (index) and a modified die, clipped to the table's 8 rows."""
    return list(d.p.crt.values())[col][min(max(row, 0), 7)]


def retreat_step(d, u: int, pos: int, src_dist: list[int | float], enemy_held: set[int]) -> int | None:
    """One hex of retreat from ``pos``: the passable neighbour not held by the enemy that is
    farthest from the attack's source hexes, own ground breaking ties, then direction order
    E, NE, NW, W, SW, SE. None when there is no such hex."""
    best, best_score = None, -1e9
    for nb in d.nbrs[pos]:
        if nb < 0 or not d.passable[nb] or nb in enemy_held:
            continue
        score = 2.0 * src_dist[nb] + (1.0 if d.control[nb] == d.side[u] else 0.0)
        if best is None or score > best_score:
            best, best_score = nb, score
    return best


def combat(d) -> None:
    """5. Ground combat.
    A combat group is every unit of one side ordered to assault, infiltrate or raid one hex;
    groups are numbered by (side, hex). Its defenders are the enemy units on the hex after
    movement. For each group, on the state at the start of the phase:
    - A = sum of attack powers, D = sum of defence powers; the CRT column from A:D, one d6
      plus the weather's modifier (its infiltration modifier if every unit infiltrates),
      clipped to 0-7, gives R, E, D or X. Nobody defending and someone attacking: D (the
      attackers walk in); nobody attacking: R. When line_hold > 0, a walk-in into a hex next
      to enemy units dug in to at least line_hold, by attackers who all stand next to such
      units already, is stopped: R (they still pay the positions' fire on that hex).
    - A blind attack (its side has seen none of the defenders on that hex today or yesterday)
      takes blind_assault_mod on the die and x blind_loss_mult on its losses.
    - Losses ~ Poisson: attackers 0.04 * S_att * (D/A)^0.5, defenders 0.025 * S_def *
      (A/D)^0.5; in snow or mud the defenders' x bad_weather_loss_mult and the attackers'
      x bad_weather_attacker_loss_mult; x0.5 for infiltration; spread over each side's units
      in proportion to strength.
    - In snow or mud attackers that win ground take an off-road hex only if the going holds:
      a draw under 1 / (off-road cost multiplier). Advancing attackers cross the enemy's kill
      zone on the hex (as a moving unit entering it).
    - X: defenders lose a further 20% and retreat two hexes. D: they retreat one hex. A raid
      (every unit raiding) never moves anyone: its D costs the defenders 10% instead, its X
      20%. A defender with no hex to retreat to is cut off and surrenders (all its strength).
    - On E, D or X the attackers (raiders excepted) enter the hex; a unit made to retreat
      stays where its retreat took it. Moving units lose their entrenchment.
    - Cohesion falls 1 point per 1% of strength lost, 10 more on a retreat, 25 on a rout.
    Units in a group that fought (A > 0 and D > 0), on either side, have fought today.
    Then units of both sides sharing a hex that no group attacked fight at half rates."""
    p = d.p
    keys = sorted({(d.side[u], d.target[u]) for u in range(d.U) if d.ground[u] in ATTACKS})
    G = len(keys)
    members = [[u for u in range(d.U) if d.ground[u] in ATTACKS and (d.side[u], d.target[u]) == k] for k in keys]
    occupied = [{d.hex[u] for u in range(d.U) if d.live(u) and d.side[u] == s} for s in (0, 1)]
    u_die = d.draws("combat", "die", G)
    u_al = d.draws("combat", "att_loss", G)
    u_dl = d.draws("combat", "def_loss", G)
    u_go = d.draws("combat", "going", G)
    start_hex = list(d.hex)
    start_str = list(d.strength)
    cover = cover_of(d)
    wr = p.weather[WEATHERS[d.weather]]
    table = list(p.crt.values())
    cols = list(p.crt)
    fought = [False] * d.U
    attackers = [[u for u in mem if d.live(u)] for mem in members]
    defenders = [[u for u in range(d.U) if d.live(u) and d.side[u] != s and d.hex[u] == h] for s, h in keys]
    results = []
    loss_a = [0.0] * d.U                # losses as an attacker, as a defender, and rout/raid extra
    loss_d = [0.0] * d.U
    extra = [0.0] * d.U
    retreat = [0] * d.U                 # hexes each defender must retreat
    advance = [-1] * d.U                # hex each attacker enters
    for gi, (side, h) in enumerate(keys):
        infil = all(d.ground[u] == "infiltrate" for u in members[gi])
        raid = all(d.ground[u] == "raid" for u in members[gi])
        att, dfd = attackers[gi], defenders[gi]
        A = D = s_att = s_def = 0.0
        for u in att:
            A += attack_power(d, u)
            s_att += d.strength[u]
        for u in dfd:
            D += defence_power(d, u)
            s_def += d.strength[u]
        ratio = A / D if D > 0 else math.inf
        col = crt_column(p, ratio)
        die = die_from_uniform_py(u_die[gi])
        blind = bool(dfd) and not any(d.seen_turn[side][u] >= d.turn - 1 and d.seen_hex[side][u] == h for u in dfd)
        mod = (wr.infiltration_mod if infil else wr.attack_mod) + (p.blind_assault_mod if blind else 0)
        row = min(max(die + mod, 0), 7)
        fight = A > 0 and D > 0
        res = table[col][row] if fight else ("D" if A > 0 else "R")
        lh = p.line_hold
        stopped = (lh > 0 and A > 0 and not fight and cover[1 - side].get(h, 0) >= lh
                   and all(cover[1 - side].get(d.hex[u], 0) >= lh for u in att))
        if stopped:
            res = "R"
        infil_x = p.infiltration_loss_mult if infil else 1.0
        mult_a = (p.bad_weather_attacker_loss_mult if wr.bad_weather else 1.0) * infil_x
        mult_a *= p.blind_loss_mult if blind else 1.0
        mult_d = (p.bad_weather_loss_mult if wr.bad_weather else 1.0) * infil_x
        m_att = m_def = 0.0
        if fight:
            ra = D / A
            m_att = p.attacker_loss_rate * s_att * math.sqrt(ra) * mult_a
            m_def = p.defender_loss_rate * s_def * math.sqrt(1.0 / ra) * mult_d
        p_go = min(1.0, 1.0 / wr.offroad_mp_mult) if wr.bad_weather and bool(d.world.offroad[h]) else 1.0
        goes = u_go[gi] < p_go
        la = float(poisson_icdf_py(u_al[gi], m_att))
        ld = float(poisson_icdf_py(u_dl[gi], m_def))
        for u in att:
            loss_a[u] = d.strength[u] / max(s_att, 1e-12) * la
            fought[u] = fought[u] or fight
            if res != "R" and d.ground[u] != "raid" and goes:
                advance[u] = h
        for u in dfd:
            loss_d[u] = d.strength[u] / max(s_def, 1e-12) * ld
            fought[u] = fought[u] or fight
            if res == "X":
                extra[u] = p.rout_loss * d.strength[u]
            elif res == "D" and raid:
                extra[u] = p.raid_d_loss * d.strength[u]
            if not raid:
                retreat[u] = {"D": 1, "X": 2}.get(res, 0)
        results.append(dict(side=side, hex=h, infil=infil, raid=raid, A=A, D=D, ratio=ratio, col=col, die=die,
                            mod=mod, row=row, res=res, m_att=m_att, m_def=m_def, la=la, ld=ld, blind=blind,
                            p_go=p_go, u_go=u_go[gi], goes=goes, kz=0.0, pf=0.0, stopped=stopped,
                            dug=max((d.entrench[u] for u in dfd), default=0), weather=WEATHERS[d.weather]))
    for u in range(d.U):
        d.hurt(u, loss_a[u] + loss_d[u] + extra[u], "ground")

    # retreats, from the positions after movement, away from the hexes the attack came from
    src_dist = []
    for gi in range(G):
        srcs = {start_hex[u] for u in members[gi]}
        src_dist.append([min(d.dist[s][x] for s in srcs) for x in range(d.n)])
    gone = [False] * d.U
    group_of_def = {u: gi for gi in range(G) for u in defenders[gi]}
    in_combat = set(group_of_def) | {u for a in attackers for u in a}
    new_hex = list(d.hex)
    for u in range(d.U):
        if advance[u] >= 0:
            new_hex[u] = advance[u]
    for u in range(d.U):
        pos = d.hex[u]
        for step in range(retreat[u]):
            nxt = retreat_step(d, u, pos, src_dist[group_of_def[u]], occupied[1 - d.side[u]])
            if nxt is None:
                gone[u] = gone[u] or step == 0
                break
            pos = nxt
        if retreat[u]:
            new_hex[u] = pos
    for u in range(d.U):
        if gone[u]:
            d.hurt(u, d.strength[u], "ground")
    for gi, (side, h) in enumerate(keys):        # advancing attackers cross the kill zone there
        slow = wr.offroad_mp_mult if bool(d.world.offroad[h]) else 1.0
        for u in members[gi]:
            if advance[u] >= 0:
                frac = 1.0 - math.exp(-p.killzone_coeff * d.fc_total[1 - side][h] * d.sig0[u] * p.moving_signature
                                      * slow)
                results[gi]["kz"] += d.hurt(u, d.strength[u] * frac, "drone")
            if advance[u] >= 0 or (results[gi]["stopped"] and d.live(u)):
                # and the fire of the enemy's dug-in positions next to it (start of the phase):
                # also paid by attackers a held line stopped
                level = cover[1 - side].get(h, 0)
                if p.position_fire > 0 and level > 0:
                    frac = 1.0 - math.exp(-p.position_fire * level * d.sig0[u] * p.moving_signature * slow)
                    results[gi]["pf"] += d.hurt(u, d.strength[u] * frac, "ground")
    for u in range(d.U):
        if u in in_combat:
            pct = (start_str[u] - d.strength[u]) / max(start_str[u], 1e-12) * 100.0
            d.cohesion[u] = d.cohesion[u] - p.cohesion_loss_per_pct * pct
        if retreat[u] == 1:
            d.cohesion[u] = d.cohesion[u] - p.retreat_cohesion
        elif retreat[u] == 2:
            d.cohesion[u] = d.cohesion[u] - p.rout_cohesion
        d.cohesion[u] = max(d.cohesion[u], 0.0)
        if advance[u] >= 0 or retreat[u] > 0:
            d.entrench[u] = 0
            d.moved[u] = True
    d.hex = new_hex

    for gi, r in enumerate(results):
        _group_event(d, r, members[gi], defenders[gi], gone, cols, u_die[gi], u_al[gi], u_dl[gi])
    d.fought = fought
    contact(d, {h for _, h in keys})


def _group_event(d, r, att, dfd, gone, cols, ud, ua, ul) -> None:
    world = d.world
    kind = "infiltration" if r["infil"] else "raid" if r["raid"] else "assault"
    side, h, res = r["side"], r["hex"], r["res"]
    us, them = ("UA", "RU")[side], ("UA", "RU")[1 - side]
    if r["D"] <= 0 and r["stopped"]:
        text = (f"{us} {kind} on {d.grid.hex_id(h)}: no defenders, but the line holds: "
                "the fire of dug-in positions next to it stops the attackers")
    elif r["D"] <= 0:
        text = f"{us} {kind} on {d.grid.hex_id(h)}: no defenders, walks in"
    else:
        text = (f"{us} {kind} on {d.grid.hex_id(h)}: {r['A']:.0f} vs {r['D']:.0f} ({cols[r['col']]}), "
                f"die {r['die']}{r['mod']:+d} -> {res} {NAMES[res]}; losses {us} {r['la']:.0f}, {them} {r['ld']:.0f}")
    why = {"kind": kind, "attack": r["A"], "defence": r["D"], "ratio": float(min(r["ratio"], 999.0)),
           "column": cols[r["col"]], "die": r["die"], "modifier": r["mod"], "row": r["row"], "result": res,
           "attacker_loss_mean": r["m_att"], "defender_loss_mean": r["m_def"], "attacker_loss": r["la"],
           "defender_loss": r["ld"], "die_draw": ud, "attacker_loss_draw": ua, "defender_loss_draw": ul,
           "attackers": [world.unit_ids[u] for u in att], "defenders": [world.unit_ids[u] for u in dfd],
           "side": ("ua", "ru")[side], "weather": r["weather"], "terrain": TERRAINS[int(world.terrain[h])],
           "terrain_defence": float(world.defence[h]), "dug_in": r["dug"], "chances": {
               x: sum(table_cell(d, r["col"], die + r["mod"]) == x for die in range(1, 7)) / 6 for x in RESULTS}}
    if r["D"] > 0:
        why["blind"] = r["blind"]
    if r["stopped"]:
        why["line_held"] = True
    if r["p_go"] < 1.0:
        why["going"] = r["p_go"]
        why["going_draw"] = r["u_go"]
        if res != "R" and not r["goes"] and kind != "raid":
            text += "; the attackers bog down in the mud and snow and cannot take the hex"
    if r["kz"] > 0:
        why["killzone_loss"] = r["kz"]
    if r["pf"] > 0:
        why["position_fire_loss"] = r["pf"]
        text += f"; fire from dug-in positions next to it -{r['pf']:.1f}"
    surrendered = [world.unit_ids[u] for u in dfd if gone[u]]
    if surrendered:
        why["surrendered"] = surrendered
        text += "; cut off, surrender: " + ", ".join(ref(len(att) + k) for k, u in enumerate(dfd) if gone[u])
    d.emit("combat", kind, text, hex=h, units=list(att) + list(dfd), why=why)


def contact(d, attacked: set[int]) -> None:
    """Close fighting: on every hex holding units of both sides that no group attacked today,
    each side loses ~ Poisson(0.5 * 0.025 * S_side * (P_enemy / P_side)^0.5), x0.5 in snow or
    mud, where S is the side's strength on the hex and P its strength x defence; losses are
    spread by strength, cohesion falls 1 point per 1% lost, and the units have fought."""
    world, p = d.world, d.p
    bad = p.weather[WEATHERS[d.weather]].bad_weather
    mult = p.bad_weather_loss_mult if bad else 1.0
    s_side = [[0.0] * d.n for _ in (0, 1)]
    p_side = [[0.0] * d.n for _ in (0, 1)]
    for u in range(d.U):
        if d.live(u):
            s_side[d.side[u]][d.hex[u]] += d.strength[u]
            p_side[d.side[u]][d.hex[u]] += d.strength[u] * float(world.t_defence[d.type[u]])
    both = [h for h in range(d.n) if s_side[0][h] > 0 and s_side[1][h] > 0 and h not in attacked]
    draws = d.draws("combat", "contact", 2, d.n)
    total = [0.0] * d.U
    for s in (0, 1):
        lost = {}
        for h in both:
            mean = p.contested_rate_mult * p.defender_loss_rate * s_side[s][h] * math.sqrt(p_side[1 - s][h] / p_side[s][h]) * mult
            lost[h] = float(poisson_icdf_py(draws[s][h], mean))
            d.emit("combat", "contact", f"Close fighting in contested {d.grid.hex_id(h)}: "
                   f"{('UA', 'RU')[s]} loses {lost[h]:.0f}",
                   hex=h, why={"side": ("ua", "ru")[s], "strength": s_side[s][h], "mean": mean,
                               "draw": draws[s][h], "loss": lost[h]})
        for u in range(d.U):
            if d.live(u) and d.side[u] == s and d.hex[u] in lost:
                total[u] += d.strength[u] / max(s_side[s][d.hex[u]], 1e-12) * lost[d.hex[u]]
                d.fought[u] = True
    for u in range(d.U):
        before = d.strength[u]
        d.hurt(u, total[u], "ground")
        pct = (before - d.strength[u]) / max(before, 1e-12) * 100.0
        d.cohesion[u] = max(d.cohesion[u] - p.cohesion_loss_per_pct * pct, 0.0)
