"""Phase 3: fires. Drone strikes and hunts, artillery, glide bombs, EW jamming, interdiction.

All missions fire on the state at the start of the phase; their damage lands at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .dice import binomial_icdf
from .events import lit, ref
from .kernels import layer, own_pairs, strength_lost, unique_inverse
from .orders import M_BOMB, M_FIRE, M_HUNT, M_INTERDICT, M_PATROL, M_RECON, M_STRIKE
from .params import TERRAINS
from .world import CAUSES

if TYPE_CHECKING:
    from .work import Work

URBAN = TERRAINS.index("urban")
# damage layers: which cause a mission's hits count under
CAUSE_OF = {M_STRIKE: "drone", M_HUNT: "drone", M_FIRE: "artillery", M_BOMB: "glide_bomb"}
_N_KINDS = 1 + max(M_RECON, M_STRIKE, M_INTERDICT, M_HUNT, M_PATROL, M_FIRE, M_BOMB)     # mission kind codes
# each mission kind's place among CAUSE_OF's (the kinds that do damage), len(CAUSE_OF) for the others
_DAMAGE_SLOT = np.array([list(CAUSE_OF).index(k) if k in CAUSE_OF else len(CAUSE_OF)
                         for k in range(_N_KINDS)])
# the events' words for each kind of mission: its name, the event's kind, what its count counts
# (interdiction is reported apart)
_EVENT_NAMES = {mk: (name, name.replace(" ", "_"), "sorties" if mk in (M_STRIKE, M_HUNT) else "rounds")
                for mk, name in ((M_STRIKE, "strike"), (M_HUNT, "hunt"), (M_FIRE, "artillery fire"),
                                 (M_BOMB, "glide bombs"), (M_INTERDICT, "interdiction"))}
_DRONE_KINDS = np.isin(np.arange(_N_KINDS), (M_STRIKE, M_HUNT))     # strikes and hunts fly drones


def mission_probability(w: Work, kk: np.ndarray, mm: np.ndarray, det: np.ndarray, kinds):
    """Hit probability of the missions ``mm`` in the rows ``kk`` (pairs, from ``own_missions``),
    with its factors for the events: the missions' (M,) base chance, then per pair ``det`` (the
    firing side detects a unit on the target hex today), jamming and visibility. ``kinds``:
    ``_mission_kinds(w)``."""
    co = w.co
    is_drone, fpv, radio = kinds
    base = np.where(fpv, w.p.fpv_base_p, w.world.derived(_kind_tables)[0][co.m_kind])
    enemy = 1 - co.m_side
    # the enemy's jamming on the target hex (computed with detection: the patrol field needs it)
    jam_at = w.jam_layers[w.jam_group[kk], enemy[mm], co.m_hex[mm]]
    jam_m = np.where(radio[mm], jam_at, 0.0)
    v_f = np.where(is_drone[mm], w.v[kk], 1.0)
    return hit_probability(w.p, base[mm], det.astype(float), jam_m, v_f), base, det, jam_m, v_f


def _mission_kinds(w: Work) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(M,) masks of the missions: drone missions (strikes and hunts), those of FPV drones,
    those of radio-linked drones (which jamming hinders)."""
    world, co = w.world, w.co
    ut = world.u_type[np.maximum(co.m_unit, 0)]
    is_drone = _DRONE_KINDS[co.m_kind]
    return is_drone, is_drone & world.t_fpv[ut], is_drone & world.t_radio[ut]


def _kind_tables(world) -> tuple[np.ndarray, np.ndarray]:
    """By mission kind (``M_*``): the base hit chance and the damage per hit of its missions
    (bomber drones' for strikes and hunts: FPV drones have their own), 0 for the kinds that
    strike nothing."""
    p = world.params
    base = np.zeros(_N_KINDS)
    dmg = np.zeros(_N_KINDS)
    for kinds, b, d in (((M_STRIKE, M_HUNT), p.bomber_base_p, p.bomber_damage),
                        ((M_FIRE,), p.artillery_base_p, p.artillery_damage),
                        ((M_BOMB,), p.glide_base_p, p.glide_damage)):
        base[list(kinds)] = b
        dmg[list(kinds)] = d
    return base, dmg


def own_missions(co, K: int) -> tuple[np.ndarray, np.ndarray]:
    """The (row, mission) pairs each replication resolves: its own plan's missions (every
    mission without a plan axis; another plan's missions fly 0 sorties there), row after row,
    each row's missions in order (as np.nonzero of a (K, M) mask gives them)."""
    return own_pairs(co.m_plan, co.rep_plan, co.plans, K, co.m_kind.size)


def hit_probability(p, base, p_seen, jam, visibility):
    """Chance one sortie, round or bomb hits: its base chance, x1 on a target the firing side
    detects today (else the undetected factor; p_seen is the chance it does), x(1 - jamming)
    for radio drones, x visibility for drones (1 for artillery and glide bombs)."""
    return base * (p_seen + (1.0 - p_seen) * p.undetected_factor) * (1.0 - jam) * visibility


def fires(w: Work) -> None:
    world = w.world
    p = w.p
    co = w.co
    K, U, n = w.K, w.U, w.n

    # the layers below are read on the missions' target cells only: (target side, hex) as
    # ts * n + hex, numbered; each unit's cell's number (-1: no mission fires there)
    m_cell = (1 - co.m_side) * n + co.m_hex
    cells, m_at = unique_inverse(m_cell)
    T = cells.size
    number = np.full(2 * n, -1, np.int64)
    number[cells] = np.arange(T)
    u_at = number[w.c.side_n[None, :] + np.maximum(w.hex, 0)]                        # (K, U)
    # the unit slots on a target cell in some row: fires touch these only, read as (K, C)
    on_cell = u_at >= 0
    cols = np.flatnonzero(on_cell.any(axis=0))
    on_cell = on_cell[:, cols]
    u_at = np.where(on_cell, u_at[:, cols], T)                          # T: on none
    k_row = np.arange(K)[:, None]
    # the firing side's own detections on the target hex (a detected unit of the target side there)
    seen = np.zeros((K, T + 1), bool)
    seen[k_row, np.where(w.detected[:, 0, cols] | w.detected[:, 1, cols], u_at, T)] = True
    # the missions each row resolves, as (row, mission) pairs: a plan's rows fly only its own
    # missions (another plan's fly no sorties there: no hits, no damage, no fire control)
    M = co.m_kind.size
    kk, mm = own_missions(co, K)
    det = seen[kk, m_at[mm]]
    kinds = _mission_kinds(w)
    prob, base, det, jam_m, v_f = mission_probability(w, kk, mm, det, kinds)
    u = w.draw_at("fires", "missions", kk, mm, M)
    count = co.m_count[mm]
    hits = binomial_icdf(u, count, prob)              # none from a mission of no sorties
    # read by the previews (rules/odds.py): (K, M), 0 in the rows of another plan
    w.m_prob, w.m_hits = layer(prob, kk, mm, K, M), layer(hits, kk, mm, K, M)

    dmg_per_hit = np.where(kinds[1], p.fpv_damage, world.derived(_kind_tables)[1][co.m_kind])
    urban_bomb = (co.m_kind == M_BOMB) & (world.terrain[co.m_hex] == URBAN) if co.m_hex.size else np.zeros(0, bool)
    dmg_per_hit = np.where(urban_bomb, dmg_per_hit * p.glide_urban_mult, dmg_per_hit)
    damage = hits * dmg_per_hit[mm]                                                   # per pair

    # damage pools per kind of mission, (target side, hex) and cause; each lands on the target
    # side's units there by signature x strength; hunts only touch drone/EW/UGV units. Pools
    # are (K, T + 1) over the target cells (T: none), summed pair by pair in row order, each
    # kind's (CAUSE_OF's order) in one count
    strength = w.strength[:, cols]
    sig_w = w.c.signature[cols][None, :] * strength
    huntable = w.c.huntable[cols][None, :]
    live = w.live[:, cols]
    reduce = 1.0 - p.entrench_damage_reduction * w.entrench[:, cols]
    at_unit = (k_row * (T + 1) + u_at).ravel()                          # each unit's cell (T: none)
    at_pair = kk * (T + 1) + m_at[mm]                                     # each pair's cell
    kind_p = co.m_kind[mm]
    C = cols.size
    # causes in the fixed order of CAUSES (a set's order varies between runs)
    total = {c: np.zeros((K, C)) for c in CAUSES if c in CAUSE_OF.values()}
    shares: dict[bool, np.ndarray] = {}       # each unit's share of its hex's pool: hunts, the rest
    if C:
        D = len(CAUSE_OF) + 1
        slot = _DAMAGE_SLOT[kind_p]
        pools = np.bincount(at_pair * D + slot, weights=damage, minlength=K * (T + 1) * D).reshape(-1, D)
        flown_kinds = np.bincount(slot, minlength=D).tolist()
        for i, (mk, cause) in enumerate(CAUSE_OF.items()):
            if not flown_kinds[i]:
                continue
            hunt = bool(mk == M_HUNT)
            share = shares.get(hunt)
            if share is None:
                elig = live & huntable if hunt else live
                wts = np.where(elig, sig_w, 0.0)
                wsum = np.bincount(at_unit, weights=wts.ravel(), minlength=K * (T + 1))
                share = shares[hunt] = np.where(elig, wts / np.maximum(wsum[at_unit].reshape(K, C), 1e-12), 0.0)
            total[cause] += pools[:, i][at_unit].reshape(K, C) * share * reduce
    before = w.strength              # (hurt replaces the layer: this one stays as it was)
    if C:
        taken = {c: strength_lost(a, strength) for c, a in total.items()}
        # several causes on one unit: scale down together so the sum never exceeds strength
        summed = sum(taken.values())
        scale = np.where(summed > strength, strength / np.maximum(summed, 1e-12), 1.0)
        for c, a in taken.items():
            w.hurt_cols(cols, a * scale, c)

    # glide bombs: 2+ hits on a hex strip one entrenchment level from the units there (the
    # other missions' pairs add 0 hits)
    bomb_hits = np.bincount(at_pair, weights=np.where(kind_p == M_BOMB, hits, 0), minlength=K * (T + 1))
    unit_hits = np.zeros((K, U))
    unit_hits[:, cols] = bomb_hits[at_unit].reshape(K, C)
    strip = w.on_map & (unit_hits >= p.glide_entrench_hits)
    w.entrench = np.where(strip, np.maximum(w.entrench - 1, 0), w.entrench)
    # and shake the defenders: cohesion lost per hit
    w.cohesion = np.where(w.on_map, np.maximum(w.cohesion - p.glide_cohesion * unit_hits, 0.0), w.cohesion)

    # fire control: yesterday's interdiction decays, today's interdiction adds, the standing
    # fire control is kept up whatever the orders (a new layer: the state's is shared, then
    # changed in place). Interdiction: fire control on road hexes; every sortie uses a drone
    # (added on the interdicted (side, hex) cells of every plan's missions)
    w.fire_control = w.fire_control * (1.0 - p.fire_control_decay)
    sel_m = co.m_kind == M_INTERDICT
    if sel_m.any():
        keys, at = unique_inverse(co.m_side[sel_m] * n + co.m_hex[sel_m])
        at_m = np.zeros(M, np.int64)
        at_m[sel_m] = at
        sel = sel_m[mm]
        w.fire_control[:, keys // n, keys % n] += np.bincount(kk[sel] * keys.size + at_m[mm[sel]],
                                                             weights=count[sel] * w.v[kk[sel]],
                                                             minlength=K * keys.size).reshape(K, keys.size)
    np.maximum(w.fire_control, world.standing_fc[None], out=w.fire_control)
    w.fc_total = fc_total(w)
    flown = co.sorties_rep(U)                                                      # (1 or K, U)
    drone_flown = np.where(w.c.drone[None, :], flown, 0).astype(np.int64)
    w.stock = np.maximum(w.stock - drone_flown - w.patrol, 0)

    if w.events is not None:
        prob, det, jam_m, v_f, u, hits, damage = (layer(a, kk, mm, K, M)
                                                   for a in (prob, det, jam_m, v_f, u, hits, damage))
        _events(w, prob, det, jam_m, v_f, u, hits, damage, base, urban_bomb, before)


def fc_total(w: Work) -> np.ndarray:
    """(K, 2, n) interdiction plus patrol fire control: the patrol field's distinct layers are
    expanded to rows into the result, which the interdiction layer is added to (x + y == y + x)."""
    layers, group = w.patrol_layers, w.patrol_group
    if group is None or layers.shape[0] == 1:
        return w.fire_control + (layers if group is None else layers[0])
    out = np.take(layers, group, axis=0)
    out += w.fire_control
    return out


def _events(w: Work, prob, det, jam_m, v_f, u, hits, damage, base, urban_bomb, before) -> None:
    world = w.world
    co = w.co
    ids = w.c.hex_ids
    side_of = w.c.side
    names = _EVENT_NAMES
    unit_ref = ref(0)                           # the mission's own unit, the event's first
    # replication 0's values as Python numbers, read one by one below
    lost_now = before[0] - w.strength[0]
    lost = lost_now.tolist()
    hex0 = w.hex[0].tolist()
    struck: dict[int, list[int]] = {}          # hex -> units there that lost strength, in slot order
    for v in np.flatnonzero((lost_now > 0) & w.on_map[0]).tolist():
        struck.setdefault(hex0[v], []).append(v)
    m_kind, m_side, m_hex, m_unit, m_count = (a.tolist() for a in (co.m_kind, co.m_side, co.m_hex, co.m_unit, co.m_count))
    base, urban = base.tolist(), urban_bomb.tolist()
    det0, jam0, vf0, p0, u0, hits0, dmg0 = (a[0].tolist() for a in (det, jam_m, v_f, prob, u, hits, damage))
    v0 = float(w.v[0])
    fc0 = w.fire_control[0]
    hit_hexes: dict[tuple[int, int], list[int]] = {}
    for m in range(len(m_kind)):
        mk = m_kind[m]
        if mk not in names:
            continue
        side, h, unit = m_side[m], m_hex[m], m_unit[m]
        who = unit_ref if unit >= 0 else "glide bombs"
        if mk == M_INTERDICT:
            f_after = float(fc0[side, h])
            w.emit("fires", "interdict",
                   f"{who} puts fire control on {ids[h]} ({lit(world.road_names.get(h, 'road'))}): "
                   f"F now {f_after:.1f}",
                   side=side, hex=h, units=[unit],
                   why={"sorties": m_count[m], "visibility": v0, "f_after": f_after})
            continue
        victims = [v for v in struck.get(h, ()) if side_of[v] != side]
        name, kind, fired = names[mk]
        why = {fired: m_count[m], "base_p": base[m],
               "target_detected": det0[m], "jamming": jam0[m], "visibility_factor": vf0[m],
               "p": p0[m], "draw": u0[m], "hits": hits0[m], "damage": dmg0[m]}
        if mk == M_BOMB:
            why["urban_x1_5"] = urban[m]
        by = f" by {who}" if unit >= 0 else ""          # glide bombs belong to no unit
        text = (f"{name}{by} on {ids[h]}: {hits0[m]} hits of {m_count[m]} "
                f"(p={p0[m]:.2f}), {dmg0[m]:.1f} damage")
        w.emit("fires", kind, text, side=side, hex=h,
               units=([unit] if unit >= 0 else []), why=why)
        if victims:
            hit_hexes.setdefault((side, h), victims)
    # one report per hex that took fire, after all missions (several may share a hex)
    for (side, h), victims in hit_hexes.items():
        w.emit("fires", "hit", f"Under fire at {ids[h]}: "
               + ", ".join(f"{ref(j)} -{lost[v]:.1f}" for j, v in enumerate(victims)),
               side=1 - side, hex=h, units=victims, why={"losses": {world.unit_ids[v]: lost[v] for v in victims}})
