"""Phases 1 and 2: the day's weather, and what each side detects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .events import ref
from .kernels import per_hex, unique_rows
from .orders import G_ASSAULT, G_MOVE, G_RAID, M_RECON
from .params import TERRAINS, WEATHERS

if TYPE_CHECKING:
    from .work import Work

INDUSTRIAL = TERRAINS.index("industrial")


def weather(w: Work) -> None:
    world = w.world
    t = w.turn - 1
    scripted = world.weather_script[t] if t < len(world.weather_script) else -1
    if scripted >= 0:
        day = np.full(w.K, scripted, np.int64)
        why: dict[str, Any] = {"source": "script"}
    else:
        prev = np.where(w.weather < 0, world.weather_initial, w.weather)
        u = w.dice.uniform(w.turn, "weather", "day", (w.K,))
        cum = np.cumsum(world.weather_markov, axis=1)[prev]
        day = np.minimum((u[:, None] >= cum).sum(axis=1), 3)
        why = {"source": "markov", "yesterday": WEATHERS[int(prev[0])], "draw": float(u[0]),
               "table": {WEATHERS[i]: float(world.weather_markov[prev[0], i]) for i in range(4)}}
    w.weather = day
    w.v = w.c.visibility[day]
    name = WEATHERS[int(day[0])]
    wr = world.params.weather[name]
    w.emit("weather", "weather", f"Weather: {name} (drone visibility {wr.visibility:g}, "
           f"off-road movement x{wr.offroad_mp_mult:g})", why=why | {"weather": name})


def _spray(hexes: np.ndarray, mask: np.ndarray, ring: np.ndarray, weight: np.ndarray | float, n: int) -> np.ndarray:
    """(K, n) effort: each masked unit adds weight to every hex of ring[hex] (only the masked
    entries are gathered; each hex's sum adds up in replication, unit, ring order)."""
    K = hexes.shape[0]
    k, u = np.nonzero(mask)
    cells = ring[np.maximum(hexes[k, u], 0)]                 # (N, m)
    ok = cells >= 0
    flat = (k[:, None] * n + cells)[ok]
    if np.ndim(weight):                                       # each unit's weight on each of its cells
        wt = np.repeat(np.asarray(weight, float)[k, u], np.count_nonzero(ok, axis=1))
    else:
        wt = np.full(flat.size, float(weight))
    return np.bincount(flat, weights=wt, minlength=K * n).reshape(K, n)


def combine_jamming(strengths) -> float:
    """The jamming of several EW posts covering one hex: 1 - prod(1 - strength)."""
    return float(1.0 - np.prod(1.0 - np.asarray(strengths, float)))


def jamming(w: Work) -> np.ndarray:
    """(K, 2, n) jamming each side's EW units put on each hex: posts that do not move jam
    within their radius; several posts covering one hex combine as 1 - prod(1 - strength)."""
    layers, group = jamming_rows(w)
    return layers if group is None else layers[group]


def jamming_rows(w: Work) -> tuple[np.ndarray, np.ndarray | None]:
    """``jamming`` as its distinct (D, 2, n) layers and each row's one, (K,) (None: one layer
    a row). Rows whose posts stand on the same hexes and jam alike jam alike: each distinct
    layout is worked out once (rows of a batch often share them)."""
    world = w.world
    ew = ew_slots(world)
    if ew.size == 0:
        return 1.0 - np.ones((1, 2, w.n)), np.zeros(w.K, np.int64)
    jams = w.live[:, ew] & (w.co.per_rep(w.co.ground)[:, ew] != G_MOVE)
    hx = w.hex[:, ew]
    first, group = unique_rows(hx, jams)
    if first.size < w.K:
        return jam_layers(world, hx[first], jams[first], w.n), group
    return jam_layers(world, hx, jams, w.n), None


def jam_layers(world, hx: np.ndarray, jams: np.ndarray, n: int) -> np.ndarray:
    """(K, 2, n) jamming of the world's EW slots (``ew_slots``) standing on (K, J) hexes ``hx``
    where (K, J) ``jams``: the EW coverage rule's one home (each post covers the hexes within its radius;
    posts on one hex combine as 1 - prod(1 - strength)), read by the engine and by the
    estimates (rules/estimates.posts_jamming)."""
    g = world.grid
    K = hx.shape[0]
    clear = np.ones((K, 2, n))
    _slots, factor, side, radii = _ew_posts(world)
    cells, posts = [], []
    k3 = np.arange(K)[:, None, None]
    for r, js in radii:
        ring = g.disk(r)[np.maximum(hx[:, js], 0)]                              # (K, J, m)
        ok = (ring >= 0) & jams[:, js, None]
        cells.append(((k3 * 2 + side[js][None, :, None]) * n + ring)[ok])
        posts.append(np.broadcast_to(js[None, :, None], ring.shape)[ok])
    if len(cells) > 1:
        cell, post = np.concatenate(cells), np.concatenate(posts)
        order = np.argsort(post, kind="stable")
        cell, post = cell[order], post[order]
    else:
        cell, post = cells[0], posts[0]
    # each hex's (1 - strength) factors multiplied in post order, one after the other, as
    # post by post would (a post counts once on a hex: rings hold distinct hexes)
    np.multiply.at(clear.reshape(-1), cell, factor[post])
    return 1.0 - clear


def ew_slots(world) -> np.ndarray:
    """The world's EW unit slots, in slot order: the columns ``jam_layers`` reads."""
    return _ew_posts(world)[0]


def _ew_posts(world) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[tuple[int, np.ndarray], ...]]:
    """The EW unit slots, their (1 - strength) factors and sides, and for each jamming radius
    the posts (indices into the slots) that jam that far (once per world)."""
    return world.derived(_build_ew_posts)


def _build_ew_posts(world):
    ew = np.flatnonzero(world.role_is("ew"))
    t = world.u_type[ew]
    radius = world.t_ew_radius[t]
    radii = tuple((int(r), np.flatnonzero(radius == r)) for r in np.unique(radius).tolist())
    return ew, 1.0 - world.t_ew_strength[t], world.u_side[ew], radii


def patrol_sorties(w: Work) -> np.ndarray:
    """(K, U) sorties each drone unit flies on patrol: what its orders leave unassigned."""
    co = w.co
    assigned = co.sorties_rep(w.U)                    # (1 or K, U)
    cap = np.minimum(w.c.sorties[None, :], w.stock)
    drone = w.c.drone[None, :] & w.live
    return np.where(drone, np.maximum(cap - assigned, 0), 0).astype(np.int64)


_CHUNK = 1 << 22        # values (32 MB of float64) in one patrol-field product


def patrol_field(w: Work, sorties: np.ndarray) -> np.ndarray:
    """(K, 2, n) patrol fire-control field 0.05 * sorties * v * f(d) over each unit's range;
    the radio-linked drones' part is thinned by the enemy's jamming, (1 - jam) on each hex."""
    layers, group = patrol_field_rows(w, sorties)
    return layers if group is None else np.take(layers, group, axis=0)


def patrol_field_rows(w: Work, sorties: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """``patrol_field`` as its distinct (D, 2, n) layers and each row's one, (K,) (None: one
    layer a row). Rows whose drones stand on the same hexes, fly the same sorties in the same
    visibility under the same jamming have the same field: each distinct one is worked out once."""
    world = w.world
    us = np.concatenate(_side_drones(world))
    if w.K > 1 and us.size:                   # (the estimates' one-row stand-in has no jam_group)
        jam_group = w.jam_group
        weight = sorties[:, us] * w.v[:, None]
        first, group = unique_rows(w.hex[:, us], weight, jam_group[:, None])
        if first.size < w.K:
            jam = w.jam_layers[jam_group[first]]
            return _patrol_field(world, w.p, w.hex[first], sorties[first], w.v[first], jam), group
    return _patrol_field(world, w.p, w.hex, sorties, w.v, w.jam), None


def _patrol_field(world, p, hexes: np.ndarray, sorties: np.ndarray, v: np.ndarray, jam: np.ndarray) -> np.ndarray:
    """``patrol_field`` of (K, U) positions and sorties, (K,) visibility, (K, 2, n) jamming."""
    K = hexes.shape[0]
    n = world.grid.n
    out = np.zeros((K, 2, n))
    for s in (0, 1):
        us = _side_drones(world)[s]
        if us.size == 0:
            continue
        hx = np.maximum(hexes[:, us], 0)                              # (K, Ud)
        weight = sorties[:, us] * v[:, None] * p.patrol_coeff          # (K, Ud)
        split = _radio_split(world, s)
        # each drone's field over the disk of its range only (zero beyond), summed unit by
        # unit in slot order (np.bincount adds in the order given), so each hex's sum is
        # the same whatever the batch: replication 0 of any batch is bit-identical to the
        # single resolution
        if K == 1:                               # one row: nothing to group
            field_f, field_r = _fields(_falloff_parts(world, s, hx[0], split), weight, split, n)
            out[0, s] = field_f[0] + field_r[0] * (1.0 - jam[0, 1 - s]) if split else field_f[0]
            continue
        first, group = unique_rows(hx)
        for gi, k0 in enumerate(first):
            # rows whose drones stand on the same hexes and fly the same sorties in the same
            # visibility have the same field: each distinct one is worked out once
            all_rows = np.flatnonzero(group == gi) if first.size > 1 else np.arange(K)
            ufirst, ugroup = unique_rows(weight[all_rows])
            field_f, field_r = _fields(_falloff_parts(world, s, hx[k0], split), weight[all_rows[ufirst]], split, n)
            if split:
                out[all_rows, s] = field_f[ugroup] + field_r[ugroup] * (1.0 - jam[all_rows, 1 - s])
            else:
                out[all_rows, s] = field_f[ugroup]
    return out


def _fields(parts, weight: np.ndarray, split: bool, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(D, n) fields of one drone layout (``_falloff_parts``) flown with (D, Ud) ``weight``:
    the drones that are not radio-linked and those that are (the first again unless
    ``split``). The (rows, hexes of the disks) products are made a few rows at a time, so
    their memory grows with neither the batch nor the map."""
    (at_f, f_f, j_f), (at_r, f_r, j_r) = parts
    D = weight.shape[0]
    if D == 1:                                   # one row: the cells are row 0's already
        wr = weight[0]
        field_f = _sum_at(at_f, wr[j_f] * f_f, 1, n)
        return field_f, _sum_at(at_r, wr[j_r] * f_r, 1, n) if split else field_f
    field_f = np.empty((D, n))
    field_r = np.empty((D, n)) if split else field_f
    step = max(1, _CHUNK // max(1, j_f.size + j_r.size))
    for c0 in range(0, D, step):
        wr = weight[c0:c0 + step]
        rows = wr.shape[0]
        base = np.arange(rows)[:, None] * n
        field_f[c0:c0 + step] = _sum_at(base + at_f, wr[:, j_f] * f_f, rows, n)
        if split:
            field_r[c0:c0 + step] = _sum_at(base + at_r, wr[:, j_r] * f_r, rows, n)
    return field_f, field_r


def _radio_split(world, s: int) -> bool:
    """Whether side s's patrol field has a radio-linked part that the enemy's jamming thins
    (once per world)."""
    return world.derived(_build_radio_split)[s]


def _build_radio_split(world) -> tuple[bool, bool]:
    p = world.params
    return tuple(bool(p.ew_patrol and world.t_radio[world.u_type[us]].any())  # type: ignore[return-value]
                 for us in _side_drones(world))


def _side_drones(world) -> tuple[np.ndarray, np.ndarray]:
    """Each side's drone unit slots (once per world)."""
    return world.derived(_build_side_drones)


def _build_side_drones(world) -> tuple[np.ndarray, np.ndarray]:
    drones = np.flatnonzero(world.role_is("drone"))
    return drones[world.u_side[drones] == 0], drones[world.u_side[drones] == 1]


_FALLOFFS_KEPT = 64      # drone layouts kept per world (a few hundred kB each on the main map)


def _falloff_parts(world, s: int, centres: np.ndarray, split: bool):
    """``_disk_falloff`` of side s's drones standing on ``centres``, split into the drones that
    are not radio-linked and those that are (all in the first part unless ``split``): for each
    part the hexes, f(d) and the drone's index. Kept per world for the latest layouts: the
    look-ahead and Monte Carlo resolve the same positions many times, and drones seldom move."""
    kept = world.derived(_new_falloffs)
    key = (s, split, centres.tobytes())
    found = kept.get(key)
    if found is None:
        p = world.params
        us = _side_drones(world)[s]
        rng = world.t_range[world.u_type[us]]
        at, f, j = _disk_falloff(world, centres, rng, p.patrol_flat_radius, p.patrol_decay_length)
        radio = world.t_radio[world.u_type[us]][j] if split else np.zeros(j.size, bool)
        found = ((at[~radio], f[~radio], j[~radio]), (at[radio], f[radio], j[radio]))
        for part in found:
            for a in part:
                a.flags.writeable = False
        if len(kept) >= _FALLOFFS_KEPT:
            kept.clear()
        kept[key] = found
    return found


def _new_falloffs(world) -> dict:
    return {}


def _sum_at(cell: np.ndarray, val: np.ndarray, rows: int, n: int) -> np.ndarray:
    """(rows, n) sums of ``val`` at the flat ``cell`` row * n + hex, added in the order given."""
    return np.bincount(cell.ravel(), weights=val.ravel(), minlength=rows * n).reshape(rows, n)


def _disk_falloff(world, centres: np.ndarray, reach: np.ndarray, flat: int, length: float):
    """For drones standing on ``centres`` with ``reach``: the hexes within each one's reach
    (``at``), f(d) = 1 within ``flat`` hexes and exp(-(d - flat) / length) beyond (``f``), and
    which drone (``j``, index into centres), drone after drone in order. Each drone's disk is
    kept per world and hex (drones come back to the same hexes)."""
    kept = world.derived(_new_drone_disks)
    ats, fs = [], []
    for h, r in zip(centres.tolist(), reach.tolist(), strict=True):
        key = (h, r, flat, length)
        part = kept.get(key)
        if part is None:
            hexes, dist = world.grid.around(np.array([h]), r)                   # (1, m)
            ok = hexes >= 0
            d = dist[ok].astype(float)
            part = (hexes[ok], np.where(d <= flat, 1.0, np.exp(-(d - flat) / length)))
            if len(kept) >= _DISKS_KEPT:
                kept.clear()
            kept[key] = part
        ats.append(part[0])
        fs.append(part[1])
    j = np.repeat(np.arange(len(ats)), [a.size for a in ats])
    return np.concatenate(ats), np.concatenate(fs), j


_DISKS_KEPT = 4096      # drone disks kept per world (a few kB each)


def _new_drone_disks(world) -> dict:
    return {}


_BOTH_ROWS = np.zeros(2, np.int64)                      # row 0 twice, once for each side
_SIDE_ROWS = (np.zeros(1, np.int64), np.ones(1, np.int64))   # each side's row of the two


def effort_at_units(w: Work, patrol: np.ndarray, patrol_group: np.ndarray | None = None) -> np.ndarray:
    """(K, 2, U) detection effort of each side on each unit's hex (hex -1 reads hex 0: mask
    it), worked out there only. ``patrol``: the (K, 2, n) patrol field, or its distinct
    layers (D, 2, n) read by row through ``patrol_group`` (K,)."""
    # a side's passive effort depends on where its own live units stand: replications often
    # share that, each side's distinct rows once (both sides' in one pass); the recon
    # missions' effort depends on the row's plan alone, one row of it per plan. Each is read
    # at the units' hexes only and added there in the same order as on the whole map
    # (elementwise, the same sums)
    K, n = w.K, w.n
    hx = np.maximum(w.hex, 0)
    of_side = w.c.of_side
    live = w.live
    if K == 1:                                   # one row: each side's own once, nothing to group
        static = _positional_effort(w, w.hex[_BOTH_ROWS], live & of_side)                # (2, n)
        side_rows = _SIDE_ROWS
    else:
        firsts, groups = zip(*(unique_rows(np.where(live & of_side[s][None, :], w.hex, -1)) for s in (0, 1)),
                             strict=True)
        rows = np.concatenate(firsts)
        own = live[rows] & np.repeat(of_side, [firsts[0].size, firsts[1].size], axis=0)
        static = _positional_effort(w, w.hex[rows], own)                                # (D0 + D1, n)
        side_rows = (groups[0], groups[1] + firsts[0].size)
    recon = _recon_effort(w)
    plans = w.co.rep_index(K)[:, None]
    prow = np.arange(K) if patrol_group is None else patrol_group
    share = w.p.patrol_detection_share
    out = np.empty((K, 2, w.U))
    for s in (0, 1):
        e = np.take(static, side_rows[s][:, None] * n + hx)                                      # flat reads: row * n + hex
        if recon is not None and recon[2][s]:
            at = (s * recon[0].shape[1] + plans) * n + hx
            e += np.take(recon[0], at)
            e += np.take(recon[1], at)
        out[:, s] = e + np.take(patrol, (prow[:, None] * 2 + s) * n + hx) * share
    return out


def recon_effort(p, count):
    """Observation effort of ``count`` recon sorties flown at one hex: (on the target hex, on
    each hex next to it)."""
    on_target = count * p.recon_effort
    return on_target, on_target * p.recon_neighbour_share


def _static_effort(w: Work, hexes: np.ndarray, live: np.ndarray, plans: np.ndarray | None = None,
                   sides: tuple[int, ...] = (0, 1)) -> np.ndarray:
    """(K, 2, n) passive observation and recon effort for (K, U) positions, all in one pass
    (each row's sums add up in the same order as on its own); ``plans``: (K,) the plan whose
    recon missions each row flies (orders with a plan axis), else 0. Only ``sides`` are
    worked out (the others' layers are left at zero): a side's effort is its own units' and
    missions' alone."""
    out = np.zeros((hexes.shape[0], 2, w.n))
    row = np.zeros(hexes.shape[0], np.int64) if plans is None else plans
    recon = _recon_effort(w)
    for s in sides:
        e = _positional_effort(w, hexes, live & w.c.of_side[s][None, :])
        if recon is not None and recon[2][s]:
            e += recon[0][s][row]
            e += recon[1][s][row]
        out[:, s] = e
    return out


def _positional_effort(w: Work, hexes: np.ndarray, own: np.ndarray) -> np.ndarray:
    """(K, n) passive observation effort of the (K, U) ``own`` units (one side's in each row):
    their own hexes, the hexes next to them (further from industrial ground), the drone
    units' watch."""
    world = w.world
    p = w.p
    g = world.grid
    n = w.n
    on_ind = world.terrain[np.maximum(hexes, 0)] == INDUSTRIAL
    e = per_hex(hexes, own, n) * (p.own_hex_effort - p.adjacent_effort)  # disks include the own hex
    e += _spray(hexes, own & ~on_ind, g.disk(1), p.adjacent_effort, n)
    e += _spray(hexes, own & on_ind, g.disk(1 + p.industrial_observation_bonus), p.adjacent_effort, n)
    e += _spray(hexes, own & w.c.drone[None, :], g.disk(p.drone_watch_radius), p.drone_watch_effort, n)
    return e


def _recon_effort(w: Work) -> tuple[np.ndarray, np.ndarray, tuple[bool, bool]] | None:
    """The recon missions' effort, (2, P, n) a side and plan: the parts added on the target
    hexes and on the disks around them (in that order), and whether each side flies any;
    None without recon missions."""
    co = w.co
    rec = co.m_kind == M_RECON
    if not rec.any():
        return None
    p = w.p
    n = w.n
    g = w.world.grid
    tgt = co.m_hex[rec]
    side = co.m_side[rec]
    on_t, on_nb = recon_effort(p, co.m_count[rec].astype(float))
    P = co.plans
    mp = side * P + (0 if co.m_plan is None else co.m_plan[rec])                # (side, plan) block
    on_target = np.bincount(mp * n + tgt, weights=on_t - on_nb, minlength=2 * P * n).reshape(2, P, n)
    nb = g.disk(1)[tgt]                                                    # the disk adds on_nb back
    ok = nb >= 0
    cells = np.count_nonzero(ok, axis=1)                                   # each mission's disk, in order
    at = np.repeat(mp, cells) * n + nb[ok]
    around = np.bincount(at, weights=np.repeat(on_nb, cells), minlength=2 * P * n).reshape(2, P, n)
    return on_target, around, (bool((side == 0).any()), bool((side == 1).any()))


def signature(w: Work) -> np.ndarray:
    """(K, U) signature for detection this turn: moving x1.5, dug in x0.6 per level above 1."""
    p = w.p
    # worked out per plan (the orders' shape), then read by each row's plan
    g = w.co.ground
    moving = (g == G_MOVE) | (g == G_ASSAULT) | (g == G_RAID)
    base = w.c.signature
    sig = w.co.per_rep(np.where(moving, base * p.moving_signature, base))
    # the dug-in factor of each level, x ** level (the same power as elementwise)
    level = np.maximum(w.entrench - 1, 0)
    factor = p.dug_in_signature ** np.arange(int(level.max()) + 1)
    return sig * factor[level]


def detect_probability(p, effort, signature, concealment, visibility):
    """Chance a unit is detected: 1 - exp(-k * effort * signature * concealment * visibility)."""
    return 1.0 - np.exp(-(p.detect_k * effort * signature * concealment * visibility))


def detection(w: Work) -> None:
    world = w.world
    p = w.p
    layers, group = jamming_rows(w)
    w.jam_layers = layers
    w.jam_group = np.arange(w.K) if group is None else group
    patrol = patrol_sorties(w)
    w.patrol = patrol
    fields, fgroup = patrol_field_rows(w, patrol)
    w.patrol_layers, w.patrol_group = fields, fgroup     # expanded to rows by fires only
    eff = effort_at_units(w, fields, fgroup)
    sig = signature(w)
    conceal = world.concealment[np.maximum(w.hex, 0)]
    u = w.dice.uniform(w.turn, "detection", "units", (w.K, 2, w.U))
    det = np.zeros((w.K, 2, w.U), bool)
    live = w.live
    for s in (0, 1):
        enemy = live & w.c.of_side[1 - s][None, :]
        e = eff[:, s]
        prob = detect_probability(p, e, sig, conceal, w.v[:, None])
        det[:, s] = enemy & (u[:, s] < prob)
        if w.events is not None:
            idx = np.flatnonzero(det[0, s]).tolist()
            # replication 0's values as Python numbers: read one by one below
            hx, e0, sig0, con0, p0, u0 = (a.tolist() for a in (w.hex[0], e[0], sig[0], conceal[0], prob[0], u[0, s]))
            ids = w.c.hex_ids
            v0 = float(w.v[0])
            for i in idx:
                w.emit("detection", "detected", f"{ref(0)} spotted at {ids[hx[i]]} (P={p0[i]:.2f})",
                       side=s, hex=hx[i], units=[i],
                       why={"effort": e0[i], "signature": sig0[i], "concealment": con0[i],
                            "visibility": v0, "k": p.detect_k, "p": p0[i], "draw": u0[i]})
            n_det, n_enemy = len(idx), int(enemy[0].sum())
            flown = int(patrol[0][w.c.of_side[s]].sum())
            w.emit("detection", "summary", f"{n_det} of {n_enemy} enemy units detected ({flown} patrol sorties)",
                   side=s, why={"detected": n_det, "enemy_units": n_enemy, "patrol_sorties": flown})
    w.detected = det
    seen = det
    w.seen_hex = np.where(seen, w.hex[:, None, :], w.seen_hex)
    w.seen_turn = np.where(seen, w.turn, w.seen_turn)
    w.seen_strength = np.where(seen, w.strength[:, None, :], w.seen_strength)
