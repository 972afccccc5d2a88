"""Phase 5: ground combat. Assaults, infiltrations and raids by the combat results table, and
the daily fighting of units that share a contested hex.

A combat group is every unit of one side attacking one hex; groups are numbered from the
orders (sorted by side, then hex), so the dice line up whatever happens on the map.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .dice import die_from_uniform, poisson_icdf
from .kernels import layer, occupied, own_pairs, unique_inverse
from .orders import G_ASSAULT, G_INFILTRATE, G_RAID, GROUND_KINDS
from .params import RESULTS, WEATHERS
from .phase_combat_events import group_events
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
# the ground orders that attack a hex (a table read at each order's kind)
_ATTACKS = np.isin(np.arange(len(GROUND_KINDS)), (G_ASSAULT, G_INFILTRATE, G_RAID))


def groups(world, co):
    """(G,) side and target hex of each combat group, (U,) group of each attacker, kinds, and
    (G,) the plan of each group (orders with a plan axis: (P, U) group of each attacker)."""
    att = _ATTACKS[co.ground]
    n = world.grid.n
    key = world.u_side * n + co.target                     # sorts by plan, side, then hex
    if co.rep_plan is not None:
        key = key + np.arange(co.plans)[:, None] * (2 * n)
    keys, inverse = unique_inverse(key[att])
    g_side, g_hex = (keys // n) % 2, keys % n
    group_of = np.full(co.ground.shape, -1, np.int64)
    group_of[att] = inverse
    G = keys.size
    kind = co.ground[att]
    members = np.bincount(inverse, minlength=G)
    g_infil = np.bincount(inverse, weights=kind == G_INFILTRATE, minlength=G) == members
    g_raid = np.bincount(inverse, weights=kind == G_RAID, minlength=G) == members
    return g_side, g_hex, group_of, g_infil, g_raid, keys // (2 * n)


def unit_attack_power(world, strength, cohesion, supply) -> np.ndarray:
    """(..., U) attack power of every unit slot: strength x type attack x cohesion x supply."""
    coh, sup = _readiness(world.params, cohesion, supply)
    return _attack(world, strength, coh, sup)


def _readiness(p, cohesion, supply):
    """The cohesion and supply factors of a unit's power: shaken (glide bombs, losses) or
    unsupplied troops attack and hold worse."""
    return 0.5 + 0.5 * cohesion / 100.0, np.where(supply < p.low_supply, p.low_supply_factor, 1.0)


def _attack(world, strength, coh, sup):
    """``unit_attack_power`` given its cohesion and supply factors (``_readiness``)."""
    return strength * world.t_attack[world.u_type] * coh * sup


def position_factor(p, world, hexes, entrench):
    """Defence multiplier of a position: terrain x (1 + entrenchment bonus) x posture."""
    return world.defence[np.maximum(hexes, 0)] * (1.0 + p.entrench_defence * entrench) * np.asarray(p.posture)[entrench]


def _defence(w: Work, coh, sup) -> np.ndarray:
    """(K, U) defence power of every unit slot where it stands: strength x type defence x
    position x cohesion x supply (the factors of ``_readiness``)."""
    return w.strength * w.c.defence[None, :] * position_factor(w.p, w.world, w.hex, w.entrench) * coh * sup


def _enemy_view(world) -> np.ndarray:
    """(U,) where the enemy's view of each unit slot is in a (2 U) row of a (K, 2, U) layer."""
    U = world.u_side.size
    return (1 - world.u_side) * U + np.arange(U)


def crt_column(p, ratio: np.ndarray | np.float64) -> np.ndarray:
    return np.minimum(np.maximum(np.searchsorted(np.asarray(p.crt_ratios), ratio, side="right") - 1, 0),
                      len(p.crt_ratios) - 1)


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
    return _going_at(_bad_weather(p)[weather], mult, world.offroad[hexes])


def _going_at(bad, mult, off):
    """``going`` from the day's snow or mud (``bad``), off-road cost multiplier and whether
    the hex is off-road."""
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
    # the layers at the start of the fighting (hurt and the end of the phase replace them)
    start_hex, start_str, start_ent = w.hex, w.strength, w.entrench
    if PG:
        enemy = 1 - world.u_side
        gid = np.full((co.plans, 2, n), -1, np.int64)
        gid[g_plan, g_side, g_hex] = np.arange(G)
        rep = co.rep_index(K)
        part = live & (group_of >= 0)
        dgrp = np.where(live, gid[rep[:, None], enemy, np.maximum(w.hex, 0)], -1)
        dpart = dgrp >= 0
        # each unit's pair as attacker (pa) and as defender (pd): its row's first pair + the
        # group's place among its plan's groups (groups are numbered plan by plan); PG: none
        base = (np.searchsorted(kk, np.arange(K)) - np.searchsorted(g_plan, rep))[:, None]
        pa = np.where(part, base + group_of, PG)
        pd = np.where(dpart, base + dgrp, PG)
        coh, sup = _readiness(p, w.cohesion, w.supply)
        flat_a, flat_d = pa.ravel(), pd.ravel()

        def gsum(flat, vals):
            # per pair sums, unit by unit in slot order (the units of no pair add into bin PG)
            return np.bincount(flat, weights=vals.ravel(), minlength=PG + 1)[:PG]

        A = gsum(flat_a, _attack(world, w.strength, coh, sup))
        Dp = gsum(flat_d, _defence(w, coh, sup))
        s_att = gsum(flat_a, w.strength)
        s_def = gsum(flat_d, w.strength)
        # a blind attack: the attacking side has not seen any of the defenders today or yesterday
        view = world.derived(_enemy_view)
        recent = ((w.seen_turn.reshape(K, 2 * U)[:, view] >= w.turn - 1)
                  & (w.seen_hex.reshape(K, 2 * U)[:, view] == w.hex))
        blind = (np.bincount(flat_d, minlength=PG + 1)[:PG] > 0) & ~(gsum(flat_d, recent) > 0)
        ratio = np.where(Dp > 0, A / np.where(Dp > 0, Dp, 1.0), np.inf)
        col = crt_column(p, ratio)
        die = die_from_uniform(u_die)
        weather = w.weather[kk]
        infil = g_infil[gg]
        mod = np.where(infil, w.c.infiltration_mod[weather], w.c.attack_mod[weather])
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
            free = gsum(flat_a, ~on_held_line(p, world, cover, start_hex)) > 0
            stopped = (A > 0) & ~fight & held(p, cover[kk, 1 - g_side[gg], g_hex[gg]]) & ~free
            res = np.where(stopped, R, res)
        bad = w.c.bad_weather[weather]
        m_att, m_def = _loss_means(p, bad, s_att, s_def, A, Dp, infil, blind)
        # both sides' losses in one inverse CDF (the same numbers, one call)
        la, ld = _losses(np.concatenate([u_al, u_dl]), np.concatenate([m_att, m_def])).reshape(2, PG)
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
        # the defender's result: routed (X) or pushed back (D) one or two hexes, or, before a
        # raid, losses instead of ground
        dres = np.where(dpart, res[pd], R)
        draid = np.where(dpart, g_raid[np.maximum(dgrp, 0)], False)
        rout, back = dres == X, dres == D
        extra = np.where(rout, p.rout_loss * w.strength, 0.0)
        extra = np.where(draid & back, p.raid_d_loss * w.strength, extra)
        retreat_n = np.where(draid, 0, back + 2 * rout)
        ares = res[pa]
        p_go = _going_at(bad, w.c.offroad_mult[weather], world.offroad[g_hex[gg]])
        go = u_go < p_go                                                   # per pair
        adv = part & (ares >= E) & (co.per_rep(co.ground) != G_RAID) & go[pa]
        fought = (part & fight[pa]) | (dpart & fight[pd])
        w.hurt(loss_a + loss_d + extra, "ground")
        # retreats, from the positions after movement; the attack's sources (each replication's
        # own start hexes of the group's attackers) repel
        pos = w.hex
        gone = None
        for step in (1, 2):
            who = retreat_n >= step
            if not who.any():
                break
            if step == 1:
                blocked = occupied(start_hex, live, w.c.side_n, n)[:, ::-1]
            pos, none = _retreat(w, pos, who, start_hex, group_of, np.maximum(dgrp, 0), blocked)
            if step == 1:
                gone = none
        retreated = retreat_n > 0
        any_retreat = gone is not None
        new_hex = np.where(adv, co.per_rep(co.target), w.hex)
        if gone is not None:
            new_hex = np.where(retreated, pos, new_hex)              # a unit made to retreat goes back
            if gone.any():
                w.hurt(np.where(gone, w.strength, 0.0), "ground")    # cut off: surrenders
        else:
            gone = np.zeros((K, U), bool)
        # advancing into the hex crosses the enemy's kill zone there, and the fire of the
        # enemy's dug-in positions next to it (attackers stopped before a held line paid that
        # too: they went forward under that fire); only where someone went forward
        kz_adv = pf_adv = np.zeros((K, U))
        tried = (adv | (part & stopped[pa])) if p.position_fire > 0 and cover is not None else None
        if adv.any() or (tried is not None and tried.any()):
            tgt = np.maximum(co.per_rep(co.target), 0)                     # (1 or K, U)
            k3 = np.arange(K)[:, None]
            slow = np.where(world.offroad[tgt], w.c.offroad_mult[w.weather][:, None], 1.0)
            sig = w.c.signature[None, :] * p.moving_signature
            fc_in = w.fc_total[k3, enemy, tgt]
            kz_adv = w.hurt(np.where(adv, w.strength * killzone_fraction(p, fc_in, sig, slow), 0.0), "drone")
            if tried is not None and cover is not None:
                level = cover[k3, enemy, tgt].astype(float)
                pf_adv = w.hurt(np.where(tried, w.strength * position_fire_fraction(p, level, sig, slow), 0.0),
                                "ground")
        pct = (start_str - w.strength) / np.maximum(start_str, 1e-12) * 100.0
        w.cohesion = np.where(part | dpart, w.cohesion - p.cohesion_loss_per_pct * pct, w.cohesion)
        if any_retreat:
            w.cohesion = np.where(retreat_n == 1, w.cohesion - p.retreat_cohesion, w.cohesion)
            w.cohesion = np.where(retreat_n == 2, w.cohesion - p.rout_cohesion, w.cohesion)
        w.cohesion = np.maximum(w.cohesion, 0.0)
        w.hex = new_hex
        w.entrench = np.where(adv | retreated, 0, w.entrench)
        w.moved = w.moved | adv | retreated
        if w.events is not None:
            (A, Dp, ratio, col, die, mod, idx, res, m_att, m_def, la, ld, u_die, u_al, u_dl, blind, p_go, u_go,
             stopped) = (layer(a, kk, gg, K, G) for a in (A, Dp, ratio, col, die, mod, idx, res, m_att, m_def, la,
                                                        ld, u_die, u_al, u_dl, blind, p_go, u_go, stopped))
            group_events(w, g_side, g_hex, group_of, g_infil, g_raid, A, Dp, ratio, col, die, mod, idx, res,
                         m_att, m_def, la, ld, u_die, u_al, u_dl, dgrp, gone, start_ent,
                         blind, p_go, u_go, adv, kz_adv, pf_adv, stopped)
    else:
        fought = np.zeros((K, U), bool)
    w.fought = fought
    _contact(w, g_hex, kk, gg)


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


def _contact(w: Work, g_hex, kk, gg) -> None:
    """Units of both sides on one hex that no group attacked fight at half rates (``kk``,
    ``gg``: the (row, group) pairs of the day's attacks, ``g_hex`` each group's target)."""
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
        attacked[kk * n + g_hex[gg]] = True
        at = ku * n + w.hex[ku, uu]
        free = ~attacked[at]
        ku, uu, at = ku[free], uu[free], at[free]
    if ku.size == 0:                # no contact: nothing changes (cohesion is kept at 0 or more)
        w.cohesion = np.maximum(w.cohesion, 0.0)
        return
    cell, ci = unique_inverse(at)     # each unit's contested hex
    kb, hb = cell // n, cell % n
    B = cell.size
    # each side's dice on them (the stream is drawn for every (K, 2, n) cell), (B, 2)
    u_b = w.dice.uniform_at(w.turn, "combat", "contact", (K, 2, n),
                            (np.concatenate([kb, kb]), np.repeat(np.arange(2), B), np.concatenate([hb, hb]))).reshape(2, B).T
    # the strength and power of each side on them summed unit by unit in slot order, as a
    # whole (K, 2, n) layer would
    u_side = world.u_side[uu]
    slot = ci * 2 + u_side
    str_u = w.strength[ku, uu]
    s_side = np.bincount(slot, weights=str_u, minlength=2 * B).reshape(-1, 2)     # (B, 2)
    p_side = np.bincount(slot, weights=str_u * w.c.defence[uu], minlength=2 * B).reshape(-1, 2)
    bad = w.c.bad_weather[w.weather]
    mult = np.where(bad, p.bad_weather_loss_mult, 1.0)[kb]
    # each side's loss (B, 2): the other side's power over its own
    ratio = p_side[:, ::-1] / p_side
    mean = p.contested_rate_mult * p.defender_loss_rate * s_side * np.sqrt(ratio) * mult[:, None]
    lost_b = poisson_icdf(u_b, mean).astype(float)
    if w.events is not None:
        # replication 0's values at the contested hexes only, as Python numbers
        r0 = kb == 0
        hs = hb[r0].tolist()
        for s in (0, 1):
            str0, mean0, u0, lost0 = (a[r0, s].tolist() for a in (s_side, mean, u_b, lost_b))
            for i, h in enumerate(hs):
                w.emit("combat", "contact", f"Close fighting in contested {w.c.hex_ids[h]}: "
                       f"{('UA', 'RU')[s]} loses {lost0[i]:.0f}",
                       hex=h, why={"side": ("ua", "ru")[s], "strength": str0[i], "mean": mean0[i],
                                   "draw": u0[i], "loss": lost0[i]})
    # each unit's share of its side's loss there, by strength
    share = str_u / np.maximum(s_side[ci, u_side], 1e-12)
    w.fought[ku, uu] = True                  # combat made today's layer: changed in place
    # hurt on the slots in contact somewhere only (the others lose nothing)
    cols, col_of = unique_inverse(uu)
    amount = np.zeros((K, cols.size))
    amount[ku, col_of] = share * lost_b[ci, u_side]
    before = w.strength[:, cols]
    w.hurt_cols(cols, amount, "ground")
    pct = (before - w.strength[:, cols]) / np.maximum(before, 1e-12) * 100.0
    cohesion = np.maximum(w.cohesion, 0.0)
    cohesion[:, cols] = np.maximum(w.cohesion[:, cols] - p.cohesion_loss_per_pct * pct, 0.0)
    w.cohesion = cohesion
