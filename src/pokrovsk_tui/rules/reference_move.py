"""Reference adjudicator, phase 4: movement (mirrors ``phase_move.py``; ``reference.py`` has
the whole turn)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .events import ref
from .orders import MAX_PATH
from .params import WEATHERS

if TYPE_CHECKING:
    from .reference_day import Day


# ----- 4. movement -------------------------------------------------------------------------

def cover_of(d: Day) -> list[dict[int, int]]:
    """For each side, the hexes next to its live dug-in units (not theirs) and the deepest
    entrenchment among the units next to each."""
    cover: list[dict[int, int]] = [{}, {}]
    for u in range(d.U):
        if d.live(u) and d.entrench[u] > 0:
            for x in d.nbrs[d.hex[u]]:
                if x >= 0:
                    cover[d.side[u]][x] = max(cover[d.side[u]].get(x, 0), int(d.entrench[u]))
    return cover


def movement(d: Day) -> None:
    """4. Movement, simultaneous: every check reads the positions at the start of the phase,
    so units can be walked one at a time. A unit ordered to move steps along its path, paying
    each hex's MP cost (off-road costs x the weather's multiplier; roads 0.5 whatever the
    weather). It stops when its MP would run out (its first hex is always allowed), before a
    hex held by enemy units, or on entering an enemy zone of control (a hex next to, or on,
    an enemy unit's hex), or, when line_hold > 0 and the unit starts next to enemy units dug
    in to at least line_hold, before a hex that is also next to such units. Each hex entered under enemy fire control F costs the fraction
    1 - exp(-0.08 * F * signature * 1.5 * slow) of its strength (the drone kill zone; slow is
    the weather's off-road multiplier off the roads, 1 on them), and each hex entered next to
    enemy units dug in (the deepest of them at level e, at the start of the phase) costs
    1 - exp(-position_fire * e * signature * 1.5 * slow) more, booked as ground combat. A unit
    that ends the phase off its starting hex loses its entrenchment."""
    world, p, g = d.world, d.p, d.grid
    occupied = [{d.hex[u] for u in range(d.U) if d.live(u) and d.side[u] == s} for s in (0, 1)]
    zoc = [{x for h in occupied[s] for x in d.within(h, 1)} for s in (0, 1)]
    cover = cover_of(d)
    mult = p.weather[WEATHERS[d.weather]].offroad_mp_mult
    start = list(d.hex)
    for u in range(d.U):
        if not (d.live(u) and d.ground[u] == "move"):
            continue
        s, mp = d.side[u], float(world.t_mp[d.type[u]])
        sig = d.sig0[u] * p.moving_signature
        spent, kz, pf, reason = 0.0, 0.0, 0.0, ""
        pinned = p.line_hold > 0 and cover[1 - s].get(d.hex[u], 0) >= p.line_hold
        for j, nx in enumerate(d.path[u][:MAX_PATH]):
            cost = d.move_cost[nx] * (mult if bool(world.offroad[nx]) else 1.0)
            if j > 0 and spent + cost > mp + 1e-9:
                reason = "out of movement points"
                break
            if nx in occupied[1 - s]:
                reason = f"blocked by enemy units at {g.hex_id(nx)}"
                break
            if pinned and cover[1 - s].get(nx, 0) >= p.line_hold:
                reason = "held by the fire of dug-in positions"
                break
            d.hex[u] = nx
            spent = spent + cost
            slow = mult if bool(world.offroad[nx]) else 1.0
            frac = 1.0 - math.exp(-p.killzone_coeff * d.fc_total[1 - s][nx] * sig * slow)
            kz += d.hurt(u, d.strength[u] * frac, "drone")
            if p.position_fire > 0 and cover[1 - s].get(nx, 0) > 0:
                frac = 1.0 - math.exp(-p.position_fire * cover[1 - s][nx] * sig * slow)
                pf += d.hurt(u, d.strength[u] * frac, "ground")
            if nx in zoc[1 - s]:
                reason = "entered an enemy zone of control"
                break
        why = {"planned": g.ids(d.path[u]), "mp": mp, "spent": spent, "weather_offroad_x": mult,
               "killzone_loss": kz, "from": g.hex_id(start[u])}
        if reason:
            why["stopped"] = reason
        if pf > 0:
            why["position_fire_loss"] = pf
        end = d.hex[u]
        text = (f"{ref(0)} moves {g.hex_id(start[u])} -> {g.hex_id(end)}" if end != start[u]
                else f"{ref(0)} could not move")
        if reason:
            text += f" ({reason})"
        if kz > 0:
            text += f"; kill zone -{kz:.1f}"
        if pf > 0:
            text += f"; fire from dug-in positions -{pf:.1f}"
        d.emit("movement", "move", text, side=s, hex=end, units=[u], why=why)
    for u in range(d.U):
        d.moved[u] = d.hex[u] != start[u]
        if d.moved[u]:
            d.entrench[u] = 0
