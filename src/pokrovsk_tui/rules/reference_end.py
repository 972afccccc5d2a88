"""Reference adjudicator, phases 7-8: recovery and arrivals, control and victory (mirrors
``phase_end.py``; ``reference.py`` has the whole turn)."""

from __future__ import annotations

import math

from .events import lit, ref
from .reference_supply import provisional_control
from .world import CAUSES, CONTESTED

INF = math.inf


# ----- 7. recovery and arrivals ------------------------------------------------------------

def recovery(d) -> None:
    """7. Recovery, deliveries, removal, reinforcements.
    - A unit that neither moved nor fought today, has supply >= 30 and is not isolated gains
      cohesion: +10 resting, +5 holding (hold, dig_in, jam), up to 100. One that neither moved nor fought
      and dug in gains an entrenchment level with the chance dig_chance[level] (one uniform draw
      per unit slot, drawn when any unit digs), up to max_entrenchment, never lowering a level.
    - The side's daily drone deliveries are shared equally among its drone units on the map
      that received supply today and are not isolated (the remainder one each by slot
      order), up to each unit's maximum stock.
    - A unit at cohesion 0 or below 10% of its type's full strength is removed (lost); its
      remaining strength counts as lost to the cause that hurt it most today (attrition if
      none).
    - Reinforcements due today arrive on their hex, or the nearest passable own or contested
      hex without enemy units (their own hex is fine unless enemy units hold it; ties by hex
      number).
    - Today's losses are added to each side's casualties by cause."""
    world, p = d.world, d.p
    live = [d.live(u) for u in range(d.U)]
    gain = {"rest": p.rest_cohesion, "hold": p.hold_cohesion, "dig_in": p.hold_cohesion, "jam": p.hold_cohesion}
    digs = [live[u] and not d.moved[u] and not d.fought[u] and d.ground[u] == "dig_in" for u in range(d.U)]
    u_dig = d.draws("recovery", "dig", d.U) if any(digs) else [1.0] * d.U
    for u in range(d.U):
        if live[u] and not d.moved[u] and not d.fought[u]:
            if d.supply[u] >= p.low_supply and d.isolated[u] == 0:
                d.cohesion[u] = min(d.cohesion[u] + gain.get(d.ground[u], 0.0), 100.0)
            if digs[u] and d.entrench[u] < p.max_entrenchment and u_dig[u] < p.dig_chance[min(d.entrench[u], 2)]:
                d.entrench[u] += 1

    deliveries = world.scenario.deliveries
    for s, total in ((0, deliveries.ua_drones), (1, deliveries.ru_drones)):
        mine = [u for u in range(d.U) if d.role[u] == "drone" and live[u] and d.side[u] == s
                and d.delivered[u] > 0 and d.isolated[u] == 0]
        if not mine:
            continue
        base = total // len(mine)
        for rank, u in enumerate(mine):
            share = base + (1 if rank < total - base * len(mine) else 0)
            d.stock[u] = min(d.stock[u] + share, int(world.t_max_stock[d.type[u]]))

    for u in range(d.U):
        if d.on_map[u] and (d.cohesion[u] <= 0 or d.strength[u] < p.removal_strength * d.full[u]):
            worst = max(d.loss[u])
            cause = d.loss[u].index(worst) if worst > 0 else CAUSES.index("attrition")
            d.loss[u][cause] += d.strength[u]
            left = d.strength[u]
            d.strength[u] = 0.0
            d.on_map[u] = False
            d.lost[u] = True
            d.emit("recovery", "lost", f"{ref(0)} is destroyed or broken and leaves play",
                   side=d.side[u], hex=d.hex[u], units=[u], why={"cohesion": d.cohesion[u], "cause": CAUSES[cause],
                                                  "strength": left, "removal_below": p.removal_strength * d.full[u]})

    held = [{d.hex[u] for u in range(d.U) if d.live(u) and d.side[u] == s} for s in (0, 1)]
    for u in range(d.U):
        # due today, or due earlier but no free hex was found then: try again
        if not (0 < world.u_arrival[u] <= d.turn) or d.on_map[u] or d.lost[u]:
            continue
        s, want = d.side[u], int(world.u_start_hex[u])
        best, dest = INF, 0
        for h in range(d.n):
            ok = h not in held[1 - s] and (h == want or (d.passable[h] and d.control[h] in (s, CONTESTED)))
            score = float(d.dist[want][h]) + h * 1e-6 if ok else INF
            if score < best:
                best, dest = score, h
        if best < INF:
            d.hex[u] = dest
            d.on_map[u] = True
            d.emit("recovery", "arrives", f"Reinforcement {ref(0)} arrives at {d.grid.hex_id(dest)}",
                   side=s, hex=dest, units=[u])
        else:
            d.emit("recovery", "no_entry", f"Reinforcement {ref(0)} finds no free hex to enter "
                   "and tries again tomorrow", side=s, units=[u])
    for s in (0, 1):
        for c in range(len(CAUSES)):
            d.casualties[s][c] = d.casualties[s][c] + sum(d.loss[u][c] for u in range(d.U) if d.side[u] == s)


# ----- 8. control and victory --------------------------------------------------------------

def control_and_victory(d) -> None:
    """8. Control and victory.
    - Control is updated from the units on the map (see ``provisional_control``).
    - A 'hold' objective gives each side vp x the share of its hexes it controls. A 'road'
      objective gives its vp to RU if RU controls any of its hexes or has fire control of at
      least the threshold on any, else to UA. On the talks turn all VP count double.
    - Each sudden-death condition counts the days running it holds ('control_all': the side
      controls every hex; 'cut_supply': the enemy has no supply path to any of its hexes);
      at its number of days the side wins, unless the game was already decided.
    - After the last turn the VP margin decides: UA or RU wins by at least the scenario's
      margin, otherwise a draw."""
    scn = d.world.scenario
    d.control = provisional_control(d)
    factor = 2.0 if scn.victory.talks_turn == d.turn else 1.0
    gained = [0.0, 0.0]
    for ob, hexes in zip(scn.objectives, d.world.objective_hexes, strict=True):
        hexes = hexes.tolist()
        if ob.kind == "hold":
            for s in (0, 1):
                gained[s] += ob.vp * (sum(d.control[h] == s for h in hexes) / len(hexes))
        else:
            ru = any(d.control[h] == 1 for h in hexes) or any(d.fc_total[1][h] >= ob.fire_control_threshold
                                                               for h in hexes)
            gained[1] += ob.vp if ru else 0.0
            gained[0] += 0.0 if ru else ob.vp
    d.vp = [d.vp[s] + gained[s] * factor for s in (0, 1)]
    for i, (sd, hexes) in enumerate(zip(scn.victory.sudden_death, d.world.sudden_death_hexes, strict=True)):
        s = 0 if sd.side == "ua" else 1
        hexes = hexes.tolist()
        if sd.kind == "control_all":
            holds = all(d.control[h] == s for h in hexes)
        else:
            holds = not any(d.reach[1 - s][h] for h in hexes)
        d.sd_days[i] = d.sd_days[i] + 1 if holds else 0
        if d.winner < 0 and d.sd_days[i] >= sd.days:
            d.winner, d.end_reason = s, i
            d.emit("victory", "sudden_death", f"Sudden death: {lit(sd.name)} - {sd.side.upper()} wins",
                   why={"condition": sd.id, "days": d.sd_days[i], "side": sd.side, "needed": sd.days})
    if d.turn >= scn.turns and d.winner < 0:
        margin = d.vp[0] - d.vp[1]
        need = scn.victory.margin
        res = 0 if margin >= need else 1 if -margin >= need else 2
        d.winner, d.end_reason = res, -2
        d.emit("victory", "end", f"Last turn: VP UA {d.vp[0]:.1f}, RU {d.vp[1]:.1f} -> "
               + ("UA wins" if res == 0 else "RU wins" if res == 1 else "draw"),
               why={"margin_needed": need, "margin": margin, "ua": d.vp[0], "ru": d.vp[1]})
    d.emit("victory", "vp", f"VP today: UA +{gained[0] * factor:.1f}, RU +{gained[1] * factor:.1f}"
           + (" (talks day: double)" if factor > 1 else ""),
           why={"ua": d.vp[0], "ru": d.vp[1], "ua_gain": gained[0] * factor, "ru_gain": gained[1] * factor,
                "talks_day": factor > 1})
