"""The events of ground combat (phase 5, ``phase_combat.py``): one per combat group, with the
numbers behind its result for "why?"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .events import ref
from .params import RESULTS, TERRAINS, WEATHERS

if TYPE_CHECKING:
    from .work import Work
    from .world import World


SIDE_NAMES = ("UA", "RU")


def crt_chances(p, col: int, mod: int) -> dict[str, float]:
    """The chance of each result at a CRT column (index) for a d6 plus ``mod``."""
    cells = list(p.crt.values())[col]
    count = dict.fromkeys(RESULTS, 0)
    for d in range(1, 7):
        count[cells[min(max(d + mod, 0), 7)]] += 1
    return {r: count[r] / 6 for r in RESULTS}


def _chance_table(world: World) -> dict[tuple[int, int], dict[str, float]]:
    """``crt_chances`` of the world's rules by (column, modifier), filled in as events ask."""
    return {}


def _hex_terrain(world: World) -> tuple[str, ...]:
    """(n,) each hex's terrain name."""
    return tuple(TERRAINS[t] for t in world.terrain.tolist())


def _hex_defence(world: World) -> tuple[float, ...]:
    """(n,) each hex's terrain defence factor as Python floats."""
    return tuple(world.defence.tolist())


def group_events(w: Work, g_side, g_hex, group_of, g_infil, g_raid, A, Dp, ratio, col, die, mod, idx, res,
                  m_att, m_def, la, ld, u_die, u_al, u_dl, dgrp, gone, start_ent,
                  blind, p_go, u_go, adv, kz_adv, pf_adv, stopped) -> None:
    world, p = w.world, w.p
    ids, uid = w.c.hex_ids, world.unit_ids
    cols = list(p.crt)
    terrain, defence, table = world.derived(_hex_terrain), world.derived(_hex_defence), world.derived(_chance_table)
    weather = WEATHERS[int(w.weather[0])]
    # replication 0's values as Python numbers, read one by one below
    (A, Dp, ratio, col, die, mod, idx, res, m_att, m_def, la, ld, u_die, u_al, u_dl, blind, p_go, u_go) = (
        a[0].tolist() for a in (A, Dp, ratio, col, die, mod, idx, res, m_att, m_def, la, ld, u_die, u_al, u_dl,
                                blind, p_go, u_go))
    g_side, g_hex, g_infil, g_raid = g_side.tolist(), g_hex.tolist(), g_infil.tolist(), g_raid.tolist()
    gone0, adv0, ent0, stopped0 = gone[0].tolist(), adv[0].tolist(), start_ent[0].tolist(), stopped[0].tolist()
    names = {"R": "repulsed", "E": "engaged (hex contested)", "D": "defender retreats", "X": "defender routed"}
    # each group's attackers and defenders in slot order, in one pass over the slots in a fight
    atts: list[list[int]] = [[] for _ in g_side]
    dfds: list[list[int]] = [[] for _ in g_side]
    ga0, gd0 = group_of[0], dgrp[0]
    fighting = np.flatnonzero((ga0 >= 0) | (gd0 >= 0))
    for u, ga, gd in zip(fighting.tolist(), ga0[fighting].tolist(), gd0[fighting].tolist(), strict=True):
        if ga >= 0:
            atts[ga].append(u)
        if gd >= 0:
            dfds[gd].append(u)
    kz0, pf0 = kz_adv[0].tolist(), pf_adv[0].tolist()
    for key in zip(col, mod, strict=True):             # each (column, modifier) worked out once a world
        if key not in table:
            table[key] = crt_chances(p, *key)
    for gi in range(len(g_side)):
        att = atts[gi]
        dfd = dfds[gi]
        kind = "infiltration" if g_infil[gi] else "raid" if g_raid[gi] else "assault"
        side = g_side[gi]
        who, them = SIDE_NAMES[side], SIDE_NAMES[1 - side]
        h = g_hex[gi]
        r = RESULTS[res[gi]]
        if Dp[gi] <= 0 and stopped0[gi]:
            text = (f"{who} {kind} on {ids[h]}: no defenders, but the line holds: "
                    "the fire of dug-in positions next to it stops the attackers")
        elif Dp[gi] <= 0:
            text = f"{who} {kind} on {ids[h]}: no defenders, walks in"
        else:
            text = (f"{who} {kind} on {ids[h]}: {A[gi]:.0f} vs {Dp[gi]:.0f} "
                    f"({cols[col[gi]]}), die {die[gi]}{mod[gi]:+d} -> {r} {names[r]}; "
                    f"losses {who} {la[gi]:.0f}, {them} {ld[gi]:.0f}")
        why = {"kind": kind, "attack": A[gi], "defence": Dp[gi], "ratio": float(min(ratio[gi], 999.0)),
               "column": cols[col[gi]], "die": die[gi], "modifier": mod[gi], "row": idx[gi],
               "result": r, "attacker_loss_mean": m_att[gi], "defender_loss_mean": m_def[gi],
               "attacker_loss": la[gi], "defender_loss": ld[gi], "die_draw": u_die[gi],
               "attacker_loss_draw": u_al[gi], "defender_loss_draw": u_dl[gi],
               "attackers": [uid[u] for u in att], "defenders": [uid[u] for u in dfd],
               # for the sentence of "why?": who attacked, the defence's modifiers, the column's odds
               "side": ("ua", "ru")[side], "weather": weather,
               "terrain": terrain[h], "terrain_defence": defence[h],
               "dug_in": max(ent0[u] for u in dfd) if dfd else 0,
               "chances": dict(table[(col[gi], mod[gi])])}
        if Dp[gi] > 0:
            why["blind"] = blind[gi]
        if stopped0[gi]:
            why["line_held"] = True
        if p_go[gi] < 1.0:
            why["going"] = p_go[gi]
            why["going_draw"] = u_go[gi]
            if r != "R" and not any(adv0[u] for u in att) and kind != "raid":
                text += "; the attackers bog down in the mud and snow and cannot take the hex"
        kz = _sum_of(kz0, att)
        if kz > 0:
            why["killzone_loss"] = kz
        pf = _sum_of(pf0, att)
        if pf > 0:
            why["position_fire_loss"] = pf
            text += f"; fire from dug-in positions next to it -{pf:.1f}"
        surrendered = [uid[u] for u in dfd if gone0[u]]
        if surrendered:
            why["surrendered"] = surrendered
            text += "; cut off, surrender: " + ", ".join(ref(len(att) + k) for k, u in enumerate(dfd) if gone0[u])
        w.emit("combat", kind, text, hex=h, units=att + dfd, why=why)


def _sum_of(values: list[float], idx: list[int]) -> float:
    """``np.array(values)[idx].sum()``: below 8 values numpy adds them one after the other, so
    that is done here without numpy calls, to the same bits."""
    if len(idx) >= 8:
        return float(np.array([values[i] for i in idx]).sum())
    total = 0.0
    for i in idx:
        total += values[i]
    return total
