"""Phase 5: ground combat. Assaults, infiltrations and raids by the combat results table, and
the daily fighting of units that share a contested hex.

A combat group is every unit of one side attacking one hex; groups are numbered from the
orders (sorted by side, then hex), so the dice line up whatever happens on the map.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .dice import die_from_uniform, poisson_icdf
from .events import ref
from .kernels import layer, occupied, own_pairs
from .orders import G_ASSAULT, G_INFILTRATE, G_RAID
from .params import RESULTS, TERRAINS, WEATHERS
from .phase_move import (
    cover_levels,
    held,
    killzone_fraction,
    on_held_line,
    position_fire_fraction,
)

if TYPE_CHECKING:
    from .work import Work

R, E, D, X = range(4)


def groups(world, co):
    """(G,) side and target hex of each combat group, (U,) group of each attacker, kinds, and
    (G,) the plan of each group (orders with a plan axis: (P, U) group of each attacker)."""
    att = (co.ground == G_ASSAULT) | (co.ground == G_INFILTRATE) | (co.ground == G_RAID)
    n = world.grid.n
    plan = 0 if co.rep_plan is None else np.arange(co.plans)[:, None]
    key = (plan * 2 + world.u_side) * n + co.target        # sorts by plan, side, then hex
    keys, inverse = np.unique(key[att], return_inverse=True)
    g_side, g_hex = (keys // n) % 2, keys % n
    group_of = np.full(co.ground.shape, -1, np.int64)
    group_of[att] = inverse
    G = keys.size
    members = np.bincount(inverse, minlength=G)
    g_infil = np.bincount(inverse, weights=co.ground[att] == G_INFILTRATE, minlength=G) == members
    g_raid = np.bincount(inverse, weights=co.ground[att] == G_RAID, minlength=G) == members
    return g_side.astype(np.int64), g_hex.astype(np.int64), group_of, g_infil, g_raid, keys // (2 * n)


def unit_attack_power(world, strength, cohesion, supply) -> np.ndarray:
    """(..., U) attack power of every unit slot: strength x type attack x cohesion x supply."""
    p = world.params
    coh = 0.5 + 0.5 * cohesion / 100.0
    sup = np.where(supply < p.low_supply, p.low_supply_factor, 1.0)
    return strength * world.t_attack[world.u_type] * coh * sup


def attack_power(w: Work) -> np.ndarray:
    return unit_attack_power(w.world, w.strength, w.cohesion, w.supply)


def position_factor(p, world, hexes, entrench):
    """Defence multiplier of a position: terrain x (1 + entrenchment bonus) x posture."""
    return world.defence[np.maximum(hexes, 0)] * (1.0 + p.entrench_defence * entrench) * np.asarray(p.posture)[entrench]


def defence_power(w: Work, hexes: np.ndarray) -> np.ndarray:
    world, p = w.world, w.p
    coh = 0.5 + 0.5 * w.cohesion / 100.0          # shaken defenders (glide bombs) hold worse
    sup = np.where(w.supply < p.low_supply, p.low_supply_factor, 1.0)
    return (w.strength * world.t_defence[world.u_type][None, :] * position_factor(p, world, hexes, w.entrench)
            * coh * sup)


def crt_column(p, ratio: np.ndarray | np.float64) -> np.ndarray:
    return np.minimum(np.maximum(np.searchsorted(np.asarray(p.crt_ratios), ratio, side="right") - 1, 0),
                      len(p.crt_ratios) - 1)


def crt_chances(p, col: int, mod: int) -> dict[str, float]:
    """The chance of each result at a CRT column (index) for a d6 plus ``mod``."""
    cells = list(p.crt.values())[col]
    count = dict.fromkeys(RESULTS, 0)
    for d in range(1, 7):
        count[cells[min(max(d + mod, 0), 7)]] += 1
    return {r: count[r] / 6 for r in RESULTS}


def crt_probs(p, col: int, mod: int) -> np.ndarray:
    """(4,) probability of R, E, D, X at a CRT column and die modifier (a fair die 1-6)."""
    table = list(p.crt.values())[col]
    out = np.zeros(4)
    for die in range(1, 7):
        out[RESULTS.index(table[min(max(die + mod, 0), 7)])] += 1 / 6
    return out


def die_modifier(p, weather: int, infiltration: bool) -> int:
    wr = p.weather[WEATHERS[weather]]
    return int(wr.infiltration_mod if infiltration else wr.attack_mod)


def loss_means_one(p, weather: int, s_att: float, s_def: float, a: float, d: float, infil: bool,
                   blind: bool = False) -> tuple[float, float]:
    """``loss_means`` for one attack: (attacker, defender) Poisson means."""
    m_a, m_d = loss_means(p, np.array([weather]), np.array([[s_att]]), np.array([[s_def]]),
                          np.array([[a]]), np.array([[d]]), np.array([infil]), np.array([[blind]]))
    return float(m_a[0, 0]), float(m_d[0, 0])


def loss_means(p, weather, s_att, s_def, a, d, infil, blind=None):
    """Lanchester-style Poisson means for attacker and defender losses. In snow or mud the
    defender's losses are multiplied by ``bad_weather_loss_mult`` and the attacker's by
    ``bad_weather_attacker_loss_mult``; a blind attack costs the attacker ``blind_loss_mult``.
    ``weather`` (K,), ``infil`` (G,), the others (K, G)."""
    return _loss_means(p, _bad_weather(p)[weather][:, None], s_att, s_def, a, d, infil[None, :], blind)


def _bad_weather(p) -> np.ndarray:
    return np.array([p.weather[WEATHERS[i]].bad_weather for i in range(4)])


def _loss_means(p, bad, s_att, s_def, a, d, infil, blind):
    """``loss_means`` elementwise: ``bad`` (snow or mud) and ``infil`` broadcast against the rest."""
    ok = (a > 0) & (d > 0)
    ra = np.where(ok, d / np.where(ok, a, 1.0), 0.0)
    infil_x = np.where(infil, p.infiltration_loss_mult, 1.0)
    mult_d = np.where(bad, p.bad_weather_loss_mult, 1.0) * infil_x
    mult_a = np.where(bad, p.bad_weather_attacker_loss_mult, 1.0) * infil_x
    if blind is not None:
        mult_a = mult_a * np.where(blind, p.blind_loss_mult, 1.0)
    m_att = np.where(ok, p.attacker_loss_rate * s_att * np.sqrt(ra), 0.0) * mult_a
    m_def = np.where(ok, p.defender_loss_rate * s_def * np.sqrt(np.where(ok, 1.0 / np.where(ok, ra, 1.0), 0.0)), 0.0) * mult_d
    return m_att, m_def


def going_chance(p, world, weather: int, h: int) -> float:
    """``going`` for one hex and one day's weather."""
    return float(going(p, world, np.array([weather]), np.array([h]))[0, 0])


def going(p, world, weather, hexes):
    """(K, G) chance that attackers winning ground can take it: in snow or mud an off-road hex
    is taken only with chance 1 / (the weather's off-road cost multiplier)."""
    return _going(p, world, weather[:, None], hexes[None, :])


def _going(p, world, weather, hexes):
    """``going`` elementwise, ``weather`` and ``hexes`` broadcast against each other."""
    mult = np.array([p.weather[WEATHERS[i]].offroad_mp_mult for i in range(4)])[weather]
    bad = _bad_weather(p)[weather]
    off = world.offroad[hexes]
    return np.where(bad & off, np.minimum(1.0, 1.0 / mult), 1.0)


def combat(w: Work) -> None:
    world, p, co = w.world, w.p, w.co
    K, U, n = w.K, w.U, w.n
    g_side, g_hex, group_of, g_infil, g_raid, g_plan = groups(world, co)
    group_of = co.per_rep(group_of)                         # (1 or K, U)
    G = g_side.size
    live = w.live
    # the (row, group) pairs each replication resolves: its own plan's groups, row after row
    kk, gg = own_pairs(g_plan, co.rep_plan, co.plans, K, G)
    PG = kk.size
    # each group's dice, drawn for the whole (K, G) and read on the pairs
    u_die, u_al, u_dl, u_go = (w.draw_at("combat", s, kk, gg, G) for s in ("die", "att_loss", "def_loss", "going"))
    start_hex = w.hex.copy()
    start_str = w.strength.copy()
    start_ent = w.entrench
    new_hex = w.hex.copy()
    extra = np.zeros((K, U))
    retreat_n = np.zeros((K, U), np.int64)
    adv = np.zeros((K, U), bool)
    fought = np.zeros((K, U), bool)
    if PG:
        gid = np.full((co.plans, 2, n), -1, np.int64)
        gid[g_plan, g_side, g_hex] = np.arange(G)
        rep = co.rep_index(K)
        part = live & (group_of >= 0)
        dgrp = np.where(live, gid[rep[:, None], 1 - world.u_side[None, :], np.maximum(w.hex, 0)], -1)
        dpart = dgrp >= 0
        # each unit's pair as attacker (pa) and as defender (pd): its row's first pair + the
        # group's place among its plan's groups (groups are numbered plan by plan); PG: none
        base = (np.searchsorted(kk, np.arange(K)) - np.searchsorted(g_plan, rep))[:, None]
        pa = np.where(part, base + group_of, PG)
        pd = np.where(dpart, base + dgrp, PG)
        ap = attack_power(w)
        dp = defence_power(w, w.hex)
        flat_a, flat_d = pa.ravel(), pd.ravel()

        def gsum(flat, mask, vals):
            return np.bincount(flat, weights=np.where(mask, vals, 0.0).ravel(), minlength=PG + 1)[:PG]

        A = gsum(flat_a, part, ap)
        Dp = gsum(flat_d, dpart, dp)
        s_att = gsum(flat_a, part, w.strength)
        s_def = gsum(flat_d, dpart, w.strength)
        # a blind attack: the attacking side has not seen any of the defenders today or yesterday
        own_side = world.u_side[None, :]
        k3 = np.arange(K)[:, None]
        u_idx = np.arange(U)[None, :]
        recent = ((w.seen_turn[k3, 1 - own_side, u_idx] >= w.turn - 1)
                  & (w.seen_hex[k3, 1 - own_side, u_idx] == w.hex))
        ones = np.ones((K, U))
        blind = (gsum(flat_d, dpart, ones) > 0) & ~(gsum(flat_d, dpart & recent, ones) > 0)
        ratio = np.where(Dp > 0, A / np.where(Dp > 0, Dp, 1.0), np.inf)
        col = crt_column(p, ratio)
        die = die_from_uniform(u_die)
        weather = w.weather[kk]
        mod = np.where(g_infil[gg], w.c.infiltration_mod[weather], w.c.attack_mod[weather])
        mod = mod + np.where(blind, p.blind_assault_mod, 0)
        idx = np.minimum(np.maximum(die + mod, 0), 7)
        res = w.c.crt[col, idx]
        fight = (A > 0) & (Dp > 0)
        res = np.where(fight, res, np.where(A > 0, D, R))            # unopposed: walk in
        # ... unless a held line covers the hex and every attacker stands next to it already
        cover = (cover_levels(world, start_hex, live, start_ent, np.int8)
                 if p.position_fire > 0 or p.line_hold > 0 else None)
        stopped = np.zeros(PG, bool)
        if cover is not None and p.line_hold > 0:
            free = gsum(flat_a, part & ~on_held_line(p, world, cover, start_hex), ones) > 0
            stopped = (A > 0) & ~fight & held(p, cover[kk, 1 - g_side[gg], g_hex[gg]]) & ~free
            res = np.where(stopped, R, res)
        m_att, m_def = _loss_means(p, _bad_weather(p)[weather], s_att, s_def, A, Dp, g_infil[gg], blind)
        la = _losses(u_al, m_att)
        ld = _losses(u_dl, m_def)
        # read by the previews (rules/odds.py): each group's result and losses, (K, G) with
        # the values of the rows' own groups (0 elsewhere)
        w.g_side, w.g_hex = g_side, g_hex
        w.g_res, w.g_col, w.g_A, w.g_D = (layer(a, kk, gg, K, G) for a in (res, col, A, Dp))
        # losses spread over each group's units by strength
        # each unit's pair as attacker and as defender, read as pair_values[pa] (pa: 0 if none)
        pa = np.where(part, pa, 0)
        pd = np.where(dpart, pd, 0)
        share_a = np.where(part, w.strength / np.maximum(s_att[pa], 1e-12), 0.0)
        share_d = np.where(dpart, w.strength / np.maximum(s_def[pd], 1e-12), 0.0)
        loss_a = share_a * la[pa]
        loss_d = share_d * ld[pd]
        # the defender's result
        dres = np.where(dpart, res[pd], R)
        draid = np.where(dpart, g_raid[np.maximum(dgrp, 0)], False)
        extra = np.where(dpart & (dres == X), p.rout_loss * w.strength, 0.0)
        extra = np.where(dpart & draid & (dres == D), p.raid_d_loss * w.strength, extra)
        retreat_n = np.where(dpart & ~draid & (dres == D), 1, np.where(dpart & ~draid & (dres == X), 2, 0))
        ares = res[pa]
        p_go = _going(p, world, weather, g_hex[gg])
        go = u_go < p_go                                                   # per pair
        adv = part & (ares >= E) & (co.per_rep(co.ground) != G_RAID) & go[pa]
        fought = (part | dpart) & np.where(part, fight[pa], False) | (
            dpart & fight[pd])
        w.hurt(loss_a + loss_d + extra, "ground")
        # retreats, from the positions after movement; the attack's sources (each replication's
        # own start hexes of the group's attackers) repel
        blocked = occupied(start_hex, live, w.c.side_n, n)[:, ::-1]
        pos = w.hex.copy()
        gone = np.zeros((K, U), bool)
        for step in (1, 2):
            who = retreat_n >= step
            if not who.any():
                break
            moved_pos, none = _retreat(w, pos, who, start_hex, group_of, np.maximum(dgrp, 0), blocked)
            if step == 1:
                gone |= none
            pos = moved_pos
        new_hex = np.where(retreat_n > 0, pos, w.hex)
        new_hex = np.where(adv, co.per_rep(co.target), new_hex)
        new_hex = np.where(retreat_n > 0, pos, new_hex)           # a unit made to retreat goes back
        w.hurt(np.where(gone, w.strength, 0.0), "ground")          # cut off: surrenders
        # advancing into the hex crosses the enemy's kill zone there
        tgt = np.maximum(co.per_rep(co.target), 0) * np.ones((K, 1), np.int64)
        fc_in = w.fc_total[k3, 1 - own_side, tgt]
        mult_w = w.c.offroad_mult[w.weather][:, None]
        slow = np.where(world.offroad[tgt], mult_w, 1.0)
        sig = w.c.signature[None, :] * p.moving_signature
        kz_adv = w.hurt(np.where(adv, w.strength * killzone_fraction(p, fc_in, sig, slow), 0.0), "drone")
        # ... and the fire of the enemy's dug-in positions next to it
        # (attackers stopped before a held line paid it too: they went forward under that fire)
        pf_adv = np.zeros((K, U))
        if p.position_fire > 0 and cover is not None:
            tried = adv | (part & stopped[pa])
            level = cover[k3, 1 - own_side, tgt].astype(float)
            pf_adv = w.hurt(np.where(tried, w.strength * position_fire_fraction(p, level, sig, slow), 0.0), "ground")
        pct = (start_str - w.strength) / np.maximum(start_str, 1e-12) * 100.0
        w.cohesion = np.where(part | dpart, w.cohesion - p.cohesion_loss_per_pct * pct, w.cohesion)
        w.cohesion = np.where(retreat_n == 1, w.cohesion - p.retreat_cohesion, w.cohesion)
        w.cohesion = np.where(retreat_n == 2, w.cohesion - p.rout_cohesion, w.cohesion)
        w.cohesion = np.maximum(w.cohesion, 0.0)
        w.hex = new_hex
        w.entrench = np.where(adv | (retreat_n > 0), 0, w.entrench)
        w.moved = w.moved | adv | (retreat_n > 0)
        if w.events is not None:
            (A, Dp, ratio, col, die, mod, idx, res, m_att, m_def, la, ld, u_die, u_al, u_dl, blind, p_go, u_go,
             stopped) = (layer(a, kk, gg, K, G) for a in (A, Dp, ratio, col, die, mod, idx, res, m_att, m_def, la,
                                                        ld, u_die, u_al, u_dl, blind, p_go, u_go, stopped))
            _group_events(w, g_side, g_hex, group_of, g_infil, g_raid, A, Dp, ratio, col, die, mod, idx, res,
                          m_att, m_def, la, ld, u_die, u_al, u_dl, dgrp, start_hex, gone, retreat_n, start_ent,
                          blind, p_go, u_go, adv, kz_adv, pf_adv, stopped)
    w.fought = fought
    _contact(w, g_hex, g_plan, start_hex)


def _losses(u: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """``poisson_icdf(u, mean)`` as floats, worked out where the mean is positive only (a
    group of another plan's orders, or one that did not fight, loses nothing: with a mean of
    0 the CDF is 1 from the start)."""
    out = np.zeros(u.shape)
    some = mean > 0
    out[some] = poisson_icdf(u[some], mean[some])
    return out


def _retreat(w: Work, pos, who, start_hex, group_of, grp, blocked):
    """One hex of retreat for the (K, U) mask ``who``: the neighbour farthest from the attack's
    source hexes (own ground preferred, then direction order E, NE, NW, W, SW, SE). The sources
    are the start hexes of the attackers of the unit's group (``grp``) in its own replication.
    Returns the new positions and a mask of those who had nowhere to go."""
    world = w.world
    K, U = pos.shape
    out = pos.copy()
    none = np.zeros((K, U), bool)
    cols = np.flatnonzero(who.any(axis=0))          # units retreating in some replication
    if cols.size == 0:
        return out, none
    p_c, who_c, grp_c = pos[:, cols], who[:, cols], grp[:, cols]
    nb = world.grid.neighbours[np.maximum(p_c, 0)]                   # (K, C, 6)
    ok = nb >= 0
    nbc = np.maximum(nb, 0)
    k3 = np.arange(K)[:, None, None]
    side = world.u_side[cols][None, :, None]
    valid = ok & world.passable[nbc] & ~blocked[k3, side, nbc]
    own = (w.control[k3, nbc] == side).astype(float)
    att = np.flatnonzero((group_of >= 0).any(axis=0))              # (1 or K, U) group_of
    d = world.grid.dist_pairs(start_hex[:, att][:, None, None, :], nbc[:, :, :, None])     # (K, C, 6, A)
    of_grp = group_of[:, att][:, None, None, :] == grp_c[:, :, None, None]
    dist = np.where(of_grp, d, 99).min(axis=3, initial=99).astype(float)
    score = np.where(valid, 2.0 * dist + own, -1e9)
    best = np.argmax(score, axis=2)
    dest = np.take_along_axis(nb, best[:, :, None], axis=2)[:, :, 0]
    stuck = who_c & ~valid.any(axis=2)
    out[:, cols] = np.where(who_c & ~stuck, dest, p_c)
    none[:, cols] = stuck
    return out, none


def _contact(w: Work, g_hex, g_plan, start_hex) -> None:
    """Units of both sides on one hex that no group attacked fight at half rates."""
    world, p = w.world, w.p
    K, n = w.K, w.n
    live = w.live
    # the contested hexes (live units of both sides, no group attacking), found from the units
    # on them: (replication, hex) in row order, as np.nonzero of a (K, n) layer gives them. A
    # live unit is on its own side's layer: the other side's is read at its hex
    occ = occupied(w.hex, live, w.c.side_n, n).reshape(-1)
    hx = np.maximum(w.hex, 0)
    enemy_there = occ[np.arange(K)[:, None] * (2 * n) + (n - w.c.side_n)[None, :] + hx]
    ku, uu = np.nonzero(live & enemy_there)
    if ku.size:
        attacked = np.zeros(K * n, bool)
        kk, gg = np.nonzero(w.co.rep_index(K)[:, None] == g_plan[None, :])     # each replication's groups
        attacked[kk * n + g_hex[gg]] = True
        at = ku * n + w.hex[ku, uu]
        free = ~attacked[at]
        ku, uu, at = ku[free], uu[free], at[free]
    if ku.size == 0:                # no contact: nothing changes (cohesion is kept at 0 or more)
        w.cohesion = np.maximum(w.cohesion, 0.0)
        return
    cell, ci = np.unique(at, return_inverse=True)     # each unit's contested hex
    kb, hb = cell // n, cell % n
    B = cell.size
    # each side's dice on them (the stream is drawn for every (K, 2, n) cell)
    u_b2 = w.dice.uniform_at(w.turn, "combat", "contact", (K, 2, n),
                             (np.concatenate([kb, kb]), np.repeat(np.arange(2), B), np.concatenate([hb, hb])))
    # the strength and power of each side on them summed unit by unit in slot order, as a
    # whole (K, 2, n) layer would
    u_side = world.u_side[uu]
    slot = ci * 2 + u_side
    str_u = w.strength[ku, uu]
    s_side = np.bincount(slot, weights=str_u, minlength=2 * B).reshape(-1, 2)     # (B, 2)
    p_side = np.bincount(slot, weights=str_u * w.c.defence[uu], minlength=2 * B).reshape(-1, 2)
    bad = w.c.bad_weather[w.weather]
    mult = np.where(bad, p.bad_weather_loss_mult, 1.0)[kb]
    lost_b = np.zeros((B, 2))
    for s in (0, 1):
        ratio = p_side[:, 1 - s] / p_side[:, s]
        s_b = s_side[:, s]
        mean = p.contested_rate_mult * p.defender_loss_rate * s_b * np.sqrt(ratio) * mult
        u_b = u_b2[s * B:(s + 1) * B]
        lost_b[:, s] = poisson_icdf(u_b, mean).astype(float)
        if w.events is not None:
            # replication 0's values at the contested hexes only, as Python numbers
            r0 = kb == 0
            hs = hb[r0].tolist()
            str0, mean0, u0, lost0 = (a[r0].tolist() for a in (s_b, mean, u_b, lost_b[:, s]))
            for i, h in enumerate(hs):
                w.emit("combat", "contact", f"Close fighting in contested {w.c.hex_ids[h]}: "
                       f"{('UA', 'RU')[s]} loses {lost0[i]:.0f}",
                       hex=h, why={"side": ("ua", "ru")[s], "strength": str0[i], "mean": mean0[i],
                                   "draw": u0[i], "loss": lost0[i]})
    # each unit's share of its side's loss there, by strength
    share = str_u / np.maximum(s_side[ci, u_side], 1e-12)
    fought = w.fought.copy()
    fought[ku, uu] = True
    w.fought = fought
    # hurt on the slots in contact somewhere only (the others lose nothing)
    cols, col_of = np.unique(uu, return_inverse=True)
    amount = np.zeros((K, cols.size))
    amount[ku, col_of] = share * lost_b[ci, u_side]
    before = w.strength[:, cols]
    w.hurt_cols(cols, amount, "ground")
    pct = (before - w.strength[:, cols]) / np.maximum(before, 1e-12) * 100.0
    cohesion = np.maximum(w.cohesion, 0.0)
    cohesion[:, cols] = np.maximum(w.cohesion[:, cols] - p.cohesion_loss_per_pct * pct, 0.0)
    w.cohesion = cohesion


def _group_events(w: Work, g_side, g_hex, group_of, g_infil, g_raid, A, Dp, ratio, col, die, mod, idx, res,
                  m_att, m_def, la, ld, u_die, u_al, u_dl, dgrp, start_hex, gone, retreat_n, start_ent,
                  blind, p_go, u_go, adv, kz_adv, pf_adv, stopped) -> None:
    world, p = w.world, w.p
    ids = w.c.hex_ids
    cols = list(p.crt)
    # replication 0's values as Python numbers, read one by one below
    (A, Dp, ratio, col, die, mod, idx, res, m_att, m_def, la, ld, u_die, u_al, u_dl, blind, p_go, u_go) = (
        a[0].tolist() for a in (A, Dp, ratio, col, die, mod, idx, res, m_att, m_def, la, ld, u_die, u_al, u_dl,
                                blind, p_go, u_go))
    g_side, g_hex, g_infil, g_raid = g_side.tolist(), g_hex.tolist(), g_infil.tolist(), g_raid.tolist()
    gone0, adv0, ent0, stopped0 = gone[0].tolist(), adv[0].tolist(), start_ent[0].tolist(), stopped[0].tolist()
    names = {"R": "repulsed", "E": "engaged (hex contested)", "D": "defender retreats", "X": "defender routed"}
    # each group's attackers and defenders in slot order, in one pass over the slots
    atts: list[list[int]] = [[] for _ in g_side]
    dfds: list[list[int]] = [[] for _ in g_side]
    for u, (ga, gd) in enumerate(zip(group_of[0].tolist(), dgrp[0].tolist(), strict=True)):
        if ga >= 0:
            atts[ga].append(u)
        if gd >= 0:
            dfds[gd].append(u)
    kz0, pf0 = kz_adv[0].tolist(), pf_adv[0].tolist()
    chances = {key: crt_chances(p, *key) for key in zip(col, mod, strict=True)}   # each (column, modifier) once
    for gi in range(len(g_side)):
        att = atts[gi]
        dfd = dfds[gi]
        kind = "infiltration" if g_infil[gi] else "raid" if g_raid[gi] else "assault"
        side = g_side[gi]
        h = g_hex[gi]
        r = RESULTS[res[gi]]
        if Dp[gi] <= 0 and stopped0[gi]:
            text = (f"{('UA', 'RU')[side]} {kind} on {ids[h]}: no defenders, but the line holds: "
                    "the fire of dug-in positions next to it stops the attackers")
        elif Dp[gi] <= 0:
            text = f"{('UA', 'RU')[side]} {kind} on {ids[h]}: no defenders, walks in"
        else:
            text = (f"{('UA', 'RU')[side]} {kind} on {ids[h]}: {A[gi]:.0f} vs {Dp[gi]:.0f} "
                    f"({cols[col[gi]]}), die {die[gi]}{mod[gi]:+d} -> {r} {names[r]}; "
                    f"losses {('UA', 'RU')[side]} {la[gi]:.0f}, {('UA', 'RU')[1 - side]} {ld[gi]:.0f}")
        why = {"kind": kind, "attack": A[gi], "defence": Dp[gi], "ratio": float(min(ratio[gi], 999.0)),
               "column": cols[col[gi]], "die": die[gi], "modifier": mod[gi], "row": idx[gi],
               "result": r, "attacker_loss_mean": m_att[gi], "defender_loss_mean": m_def[gi],
               "attacker_loss": la[gi], "defender_loss": ld[gi], "die_draw": u_die[gi],
               "attacker_loss_draw": u_al[gi], "defender_loss_draw": u_dl[gi],
               "attackers": [world.unit_ids[u] for u in att], "defenders": [world.unit_ids[u] for u in dfd],
               # for the sentence of "why?": who attacked, the defence's modifiers, the column's odds
               "side": ("ua", "ru")[side], "weather": WEATHERS[int(w.weather[0])],
               "terrain": TERRAINS[int(world.terrain[h])], "terrain_defence": float(world.defence[h]),
               "dug_in": max(ent0[u] for u in dfd) if dfd else 0,
               "chances": dict(chances[(col[gi], mod[gi])])}
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
        surrendered = [world.unit_ids[u] for u in dfd if gone0[u]]
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
