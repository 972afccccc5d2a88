"""Phase 6: logistics. Shortest supply paths under fire control, source capacity, HQ relays,
UGV resupply runs, consumption and isolation.

Supply paths are searched (rules/supply_search.py: bounded by ``supply_max_cost``, compiled)
once per side's distinct truck cost layer of the batch, and each origin's search only once for
the layers that agree on the hexes it may reach; a batch drawn from one state has few of each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .dice import binomial_icdf
from .events import ref
from .kernels import layer, occupied, own_pairs, per_hex, unique_rows
from .supply_search import bounded, compact, joined, nearest
from .world import CONTESTED

if TYPE_CHECKING:
    from .work import Work


def provisional_control(w: Work) -> np.ndarray:
    """(K, n) control from the units now on the map (unchanged where no unit stands)."""
    occ = occupied(w.hex, w.live, w.c.side_n, w.n)
    ua, ru = occ[:, 0], occ[:, 1]
    out = w.control.astype(np.int8)          # a copy
    out[ua] = 0
    out[ru] = 1
    out[ua & ru] = CONTESTED
    return out


def hex_costs(world, p, control: np.ndarray, fc_enemy: np.ndarray, side: int, trucks: bool = True) -> np.ndarray:
    """(..., n) cost of entering each hex for side's supply, inf where it may not pass: enemy
    ground, water, and for trucks hexes under at least ``supply_block_fc`` of enemy fire
    control and hexes within ``truck_standoff`` of ground the enemy holds or contests (trucks
    are drone targets there; on foot or by robot a unit is still connected). ``control`` and
    ``fc_enemy`` are (..., n): several layers at once, each worked out as on its own."""
    ok = supply_ground(world, control, side)
    if trucks:
        ok = ok & (fc_enemy < p.supply_block_fc)
        if p.truck_standoff[side] > 0:
            ok = ok & ~near_enemy(world, control, side, p.truck_standoff[side])
    return np.where(ok, world.move_cost * (1.0 + p.fire_control_cost * fc_enemy), np.inf)


def supply_ground(world, control: np.ndarray, side: int) -> np.ndarray:
    """(..., n) bool: the hexes side's supply may cross at all, on foot or by robot (where a
    unit is connected, not isolated): passable ground the side holds or contests."""
    return world.passable & ((control == side) | (control == CONTESTED))


def near_enemy(world, control: np.ndarray, side: int, reach: int) -> np.ndarray:
    """(..., n) bool: hexes within ``reach`` hexes of ground the enemy holds or contests."""
    nb = world.grid.neighbours
    has = nb >= 0
    near = (control == 1 - side) | (control == CONTESTED)
    for _ in range(int(reach)):
        near = near | (has & near[..., np.maximum(nb, 0)]).any(axis=-1)
    return near


def first_of_each(hexes: np.ndarray) -> np.ndarray:
    """The distinct hexes in order of first appearance."""
    return np.array(list(dict.fromkeys(hexes.tolist())), np.int64)


def shortest(world, cost: np.ndarray, sources: np.ndarray, cache: dict | None = None,
             also: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Cheapest supply paths from ``sources``: (n,) cost from the nearest source and (n,) which
    source hex, where a path costs at most ``supply_max_cost`` (inf and -1 beyond: nothing is
    delivered there). At equal cost the source listed first in ``sources`` wins, so the result
    does not depend on the search's internal order. Bounded searches (rules/supply_search.py).

    ``cache`` (one per cost layer) keeps each origin's search, and ``also`` names hexes to
    search from in the same call for later use (the HQs), so one search serves both."""
    cache = {} if cache is None else cache
    sources = np.asarray(sources, np.int64)
    more = [] if also is None else np.asarray(also, np.int64).tolist()
    want = [h for h in dict.fromkeys(sources.tolist() + more) if h not in cache]
    if want:
        cache.update(bounded(world, cost, want))
    return nearest(world, cost, sources, cache)


class Layers:
    """One side's distinct truck cost layers in a batch: ``group`` (K,) each replication's
    layer, ``cost`` (G, n) the layers, ``dist``/``orig`` (G, n) the cheapest paths from the
    side's sources on each, and ``cache`` each layer's searches by origin (reused by the HQ
    relay)."""

    def __init__(self, group: np.ndarray, cost: np.ndarray) -> None:
        self.group, self.cost = group, cost
        self.cache: list[dict] = [{} for _ in range(cost.shape[0])]
        self.dist = np.empty(cost.shape)
        self.orig = np.empty(cost.shape, np.int64)


def supply_fields(w: Work, control: np.ndarray) -> tuple[list[Layers], np.ndarray]:
    """Per side: the trucks' cost field from the sources (and which source) in each distinct
    cost layer of the batch (``truck_layers``), and (K, 2, n) where the side's ground is
    connected to a source at all (not isolated)."""
    world = w.world
    K, n = w.K, w.n
    reach = np.empty((K, 2, n), bool)
    out = []
    for s in (0, 1):
        out.append(truck_layers(w, control, s))
        # whether a hex is joined to a source depends on the passable hexes and sources only
        ground = supply_ground(world, control, s)
        if K == 1:
            reach[0, s] = ground[0]
        else:
            src_hex = world.src_hex[world.src_side == s]
            reach[:, s] = joined(world, ground, src_hex, ground[:, src_hex])
    if K == 1:                                          # both sides' layers in one search
        ground = reach[0]
        on = ground[:, world.src_hex] & (world.src_side[None, :] == np.arange(2)[:, None])
        reach[0] = joined(world, ground, world.src_hex, on)
    return out, reach


def truck_layers(w: Work, control: np.ndarray, s: int) -> Layers:
    """Side ``s``'s trucks' cost field from its sources (and which source) in each distinct
    cost layer of the batch. Each search is made once per distinct layer (its answer is a
    function of it): replications that differ elsewhere share their sides' layers."""
    world, p = w.world, w.p
    K = w.K
    hq = world.role_is("hq")[None, :] & w.live
    costs = hex_costs(world, p, control, w.fc_total[:, 1 - s], s)            # (K, n)
    first, group = unique_rows(costs)
    lay = Layers(group, costs[first])
    mine = world.src_side == s
    hq_hex = np.where(hq & (world.u_side == s), w.hex, -1)
    wants = []
    for gi, k in enumerate(first.tolist()):
        fin = np.isfinite(lay.cost[gi])
        # the source hex itself costs nothing to stand on; scenario order breaks ties
        srcs = first_of_each(world.src_hex[mine & fin[world.src_hex]])
        # the HQs of the layer's replications searched in the same call (for the relay)
        hqs = hq_hex[k] if first.size == K else hq_hex[group == gi].ravel()
        hqs = first_of_each(hqs[hqs >= 0])
        wants.append((srcs, hqs[fin[hqs]]))
    if first.size == 1:
        srcs, hqs = wants[0]
        lay.dist[0], lay.orig[0] = shortest(world, lay.cost[0], srcs, lay.cache[0], also=hqs)
    else:
        _shared_searches(world, lay, wants)
    return lay


def no_trucks(w: Work) -> Layers:
    """A side's truck layers when its supply is not worked out: every hex out of reach (its
    units receive nothing by truck or HQ relay in ``road_deliveries``)."""
    lay = Layers(np.zeros(w.K, np.int64), np.full((1, w.n), np.inf))
    lay.dist[:] = np.inf
    lay.orig[:] = -1
    return lay


def _shared_searches(world, lay: Layers, wants: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """The searches of several cost layers of one side (each layer's sources and HQs), each
    made once per distinct (origin, costs of the hexes it may reach). A path costs no more in
    the cheapest layer (each hex's least cost over the layers) than in any other, so a path
    within ``supply_max_cost`` in any layer stays within the origin's reach in the cheapest:
    two layers equal there give that origin the same answer, to the last bit."""
    origins = list(dict.fromkeys(h for srcs, hqs in wants for h in srcs.tolist() + hqs.tolist()))
    reach = {h: compact(d)[0] for h, d in bounded(world, lay.cost.min(axis=0), origins).items()}
    shared: dict[tuple[int, bytes], tuple[np.ndarray, np.ndarray]] = {}
    for gi, (srcs, hqs) in enumerate(wants):
        cost, cache = lay.cost[gi], lay.cache[gi]
        todo = []
        for h in dict.fromkeys(srcs.tolist() + hqs.tolist()):
            key = (h, cost[reach[h]].tobytes())
            found = shared.get(key)
            if found is None:
                todo.append((h, key))
            else:
                cache[h] = found
        if todo:
            got = bounded(world, cost, [h for h, _ in todo])
            for h, key in todo:
                shared[key] = cache[h] = compact(got[h])     # kept small: a batch has many
        lay.dist[gi], lay.orig[gi] = nearest(world, cost, srcs, cache)


def deliver(p, cost: np.ndarray) -> np.ndarray:
    return np.where(cost <= p.supply_max_cost, p.supply_base * np.exp(-cost / p.supply_scale), 0.0)


def logistics(w: Work) -> None:
    world, p = w.world, w.p
    K = w.K
    control = provisional_control(w)
    w.control = control
    lays, reach = supply_fields(w, control)
    side = world.u_side[None, :]
    live = w.live
    hx = np.maximum(w.hex, 0)
    isolated = live & ~reach[np.arange(K)[:, None], side, hx]
    w.reach = reach
    got = road_deliveries(w, lays)
    ugv_in = robot_runs(w)
    use = p.consumption + p.fight_consumption * w.fought
    w.delivered = got + ugv_in
    w.supply = np.where(live, np.clip(w.supply + got + ugv_in - use, 0.0, 100.0), w.supply)
    w.isolated = np.where(isolated, w.isolated + 1, 0)
    # hunger: below low_supply a unit wastes away in proportion to what it lacks; isolation
    # escalates, but a unit its robots keep supplied suffers only isolation_fed of it
    lack = np.where(live, np.clip(1.0 - w.supply / max(p.low_supply, 1e-9), 0.0, 1.0), 0.0)
    iso_x = np.where(isolated, p.isolation_fed + (1.0 - p.isolation_fed) * lack, 0.0)
    iso_loss = w.strength * np.minimum(p.isolation_strength * w.isolated, 1.0) * iso_x
    w.hurt(iso_loss + w.strength * p.hunger_strength * lack, "attrition")
    w.cohesion = np.where(live, np.maximum(w.cohesion - p.isolation_cohesion * iso_x - p.hunger_cohesion * lack, 0.0),
                          w.cohesion)
    if w.events is not None:
        got0, ugv0 = got[0].tolist(), ugv_in[0].tolist()
        for s in (0, 1):
            mine = live[0] & w.c.of_side[s]
            low = np.flatnonzero(mine & (w.supply[0] < p.low_supply)).tolist()
            iso = np.flatnonzero(mine & isolated[0]).tolist()
            road, robots = got[0][mine].sum(), ugv_in[0][mine].sum()
            w.emit("logistics", "supply", f"Supply: {road:.0f} delivered by road and HQ, "
                   f"{robots:.0f} by robots; {len(low)} units low, {len(iso)} isolated",
                   side=s, units=iso,
                   why={"isolated": [world.unit_ids[u] for u in iso], "low": [world.unit_ids[u] for u in low],
                        "delivered": road, "by_robots": robots,
                        "by_unit": {world.unit_ids[u]: [got0[u], ugv0[u]]
                                    for u in np.flatnonzero(mine & (got[0] + ugv_in[0] > 0)).tolist()}})


def road_deliveries(w: Work, lays: list[Layers]) -> np.ndarray:
    """(K, U) supply each live unit receives today by truck from its nearest source (each
    source feeds its units up to its capacity) or by relay from its nearest supplied HQ,
    whichever is more, over each side's truck layers ``lays`` (``truck_layers``; a side's
    ``no_trucks``: its units receive nothing)."""
    world, p = w.world, w.p
    K, U = w.K, w.U
    side = world.u_side[None, :]
    live = w.live
    k_idx = np.arange(K)[:, None]
    hx = np.maximum(w.hex, 0)
    c_unit = np.where(side == 0, *(lay.dist[lay.group[:, None], hx] for lay in lays))      # (K, U)
    o_unit = np.where(side == 0, *(lay.orig[lay.group[:, None], hx] for lay in lays))      # source hex feeding it
    d1 = np.where(live, deliver(p, c_unit), 0.0)
    # a source feeds its units up to its capacity
    src_of = _source_index(world, o_unit, side)                           # (K, U) index into sources
    cap = world.src_capacity
    S = cap.size
    demand = np.bincount((k_idx * S + np.maximum(src_of, 0)).ravel(),
                         weights=np.where(src_of >= 0, d1, 0.0).ravel(), minlength=K * S).reshape(K, S)
    scale = np.where(demand > cap[None, :], cap[None, :] / np.maximum(demand, 1e-12), 1.0)
    d1 = d1 * np.where(src_of >= 0, scale[k_idx, np.maximum(src_of, 0)], 1.0)
    # supplied HQs relay: a second source layer with their own capacity
    hq = world.role_is("hq")[None, :] & live & (d1 > 0)
    d2 = np.zeros((K, U))
    if hq.any():
        d2 = _hq_relay(w, lays, hq, d1)
    return np.maximum(d1, d2)


def robot_runs(w: Work) -> np.ndarray:
    """(K, U) supply the day's UGV resupply runs bring each unit: each run crosses the enemy
    fire control on the line to its unit and may be lost (its section loses strength).

    Worked out for each replication's own runs only: with a plan axis, another plan's runs
    send nothing in a replication (its ``r_p_loss`` and ``r_arrived`` stay 0 there)."""
    p, co = w.p, w.co
    K, U = w.K, w.U
    R = co.r_unit.size
    if not R:
        return np.zeros((K, U))
    live = w.live
    kk, rr = own_pairs(co.r_plan, co.rep_plan, co.plans, K, R)     # each replication's own runs
    unit, target, count = co.r_unit[rr], co.r_target[rr], co.r_count[rr]
    u = w.draw_at("logistics", "ugv", kk, rr, R)
    fc_line = _line_fc(w, kk, unit, target)
    p_loss = 1.0 - np.exp(-p.ugv_loss_coeff * fc_line)
    ok_run = live[kk, unit] & live[kk, target]
    lost = binomial_icdf(u, count, p_loss)
    arrived = np.where(ok_run, count - lost, 0)
    lost = np.where(ok_run, lost, 0)
    # read by the previews (rules/odds.py)
    w.r_p_loss, w.r_arrived = layer(p_loss, kk, rr, K, R), layer(arrived, kk, rr, K, R)
    # each unit's sums in replication-then-run order, as scattering every (K, R) entry adds them
    ugv_in = np.bincount(kk * U + target, weights=arrived * p.ugv_payload, minlength=K * U).reshape(K, U)
    robots = np.bincount(kk * U + unit, weights=lost * p.ugv_lost_strength, minlength=K * U).reshape(K, U)
    # robots are equipment, not people: the section is weaker, no casualty is booked
    w.strength = np.maximum(w.strength - robots, 0.0)
    if w.events is not None:
        first = kk == 0
        r_unit, r_target, r_count = co.r_unit.tolist(), co.r_target.tolist(), co.r_count.tolist()
        arr0, pl0, fc0, u0, lost0 = (x[first].tolist() for x in (arrived, p_loss, fc_line, u, lost))
        for r in range(R):
            w.emit("logistics", "ugv", f"{ref(0)} -> {ref(1)}: "
                   f"{arr0[r]} of {r_count[r]} robot runs arrive "
                   f"(loss chance {pl0[r]:.0%} each)", side=w.c.side[r_unit[r]],
                   units=[r_unit[r], r_target[r]],
                   why={"fire_control_on_route": fc0[r], "p_loss": pl0[r], "draw": u0[r],
                        "lost": lost0[r], "payload": p.ugv_payload,
                        "runs": r_count[r], "arrived": arr0[r]})
    return ugv_in


def flat_logistics(w: Work, delivery: np.ndarray) -> None:
    """The logistics phase without path searches (the AI's look-ahead): each live unit
    receives ``delivery`` ((U,) per slot: by truck and HQ relay) and the day's robot runs
    (``robot_runs``, as in the full phase) and consumes as the rules say; control is updated,
    every hex counts as reached and nobody becomes isolated."""
    p = w.p
    w.control = provisional_control(w)
    w.reach = np.ones((w.K, 2, w.n), bool)
    live = w.live
    use = p.consumption + p.fight_consumption * w.fought
    got = np.where(live, delivery[None, :], 0.0) + robot_runs(w)
    w.delivered = got
    w.supply = np.where(live, np.clip(w.supply + got - use, 0.0, 100.0), w.supply)


def _source_index(world, o_hex: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Index of the supply source standing on each origin hex (same side), -1 if none (the
    first listed where several stand on one hex)."""
    table = world.derived(_source_table)
    return np.where(o_hex >= 0, table[side, np.maximum(o_hex, 0)], -1)


def _source_table(world) -> np.ndarray:
    """(2, n) the index of the first listed supply source of each side on each hex, -1 none."""
    table = np.full((2, world.grid.n), -1, np.int64)
    for i in reversed(range(world.src_hex.size)):
        table[world.src_side[i], world.src_hex[i]] = i
    table.flags.writeable = False
    return table


def _hq_relay(w: Work, lays: list[Layers], hq, d1) -> np.ndarray:
    """(K, U) supply each unit could draw from its nearest supplied HQ, capacity-limited. An HQ
    relays only what reaches it: its capacity is scaled by its own delivery (d1 / supply_base)."""
    world, p = w.world, w.p
    K, U, n = w.K, w.U, w.n
    out = np.zeros((K, U))
    k_idx = np.arange(K)[:, None]
    hx = np.maximum(w.hex, 0)
    hq_cap = world.t_hq_capacity[world.u_type][None, :] * np.clip(d1 / max(p.supply_base, 1e-9), 0.0, 1.0)
    for s in (0, 1):
        hq_s = hq & (world.u_side == s)[None, :]
        if not hq_s.any():
            continue
        lay = lays[s]
        # once per truck cost layer and HQ hexes (slot order breaks ties)
        first, group = unique_rows(lay.group[:, None], np.where(hq_s, w.hex, -1))
        fields: dict[tuple[int, bytes], int] = {}
        dist: list[np.ndarray] = []
        orig: list[np.ndarray] = []
        at = np.empty(first.size, np.int64)
        for i, k in enumerate(first.tolist()):
            gi = int(lay.group[k])
            hqs = first_of_each(w.hex[k, hq_s[k]])
            key = (gi, hqs.tobytes())
            if key not in fields:
                fields[key] = len(dist)
                d, o = shortest(world, lay.cost[gi], hqs, lay.cache[gi])
                dist.append(d)
                orig.append(o)
            at[i] = fields[key]
        row = at[group][:, None]
        mine = w.live & (world.u_side == s)[None, :]
        amt = np.where(mine, deliver(p, np.stack(dist)[row, hx]), 0.0)
        origin = np.stack(orig)[row, hx]
        fed = mine & (origin >= 0)
        cap = per_hex(w.hex, hq_s, n, hq_cap)
        demand = per_hex(np.maximum(origin, 0), fed, n, amt)
        scale = np.where(demand > cap, cap / np.maximum(demand, 1e-12), 1.0)
        out = np.where(fed, amt * scale[k_idx, np.maximum(origin, 0)], out)
    return out


def _line_fc(w: Work, rep: np.ndarray, unit: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The enemy fire control summed over the hexes of the straight line from a robot run's
    unit to the unit it supplies (both included), for each entry (its replication, unit slot and
    target slot): each distinct line once, and the sums of all lines of one length in one call
    (each row added up as numpy adds a row of that length). A few entries (one game's runs)
    are sorted by length in Python; many, by their distinct lines in numpy: the same rows, in
    entry order, summed in the same calls."""
    world = w.world
    n = w.n
    a = w.hex[rep, unit]
    b = w.hex[rep, target]
    enemy = 1 - world.u_side[unit]
    g = world.grid
    out = np.zeros(a.size)
    if a.size <= FEW_RUNS:
        groups: dict[int, tuple[list[int], list[np.ndarray]]] = {}
        for i, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
            line = g.line(x, y)
            sel_i, rows = groups.setdefault(line.size, ([], []))
            sel_i.append(i)
            rows.append(line)
        for L in sorted(groups):
            sel_i, rows = groups[L]
            sel = np.array(sel_i, np.int64)
            out[sel] = w.fc_total[rep[sel][:, None], enemy[sel][:, None], np.stack(rows)].sum(axis=1)
        return out
    pairs, inv = np.unique((a + 1) * (n + 1) + (b + 1), return_inverse=True)
    inv = inv.ravel()
    lines = [g.line(k // (n + 1) - 1, k % (n + 1) - 1) for k in pairs.tolist()]
    lens = np.array([ln.size for ln in lines], np.int64)
    length = lens[inv]                                               # each entry's line length
    for L in np.unique(lens).tolist():
        of_len = np.flatnonzero(lens == L)                           # the distinct lines of length L
        table = np.stack([lines[i] for i in of_len.tolist()])       # (lines, L)
        sel = np.flatnonzero(length == L)
        hexes = table[np.searchsorted(of_len, inv[sel])]             # (entries, L)
        out[sel] = w.fc_total[rep[sel][:, None], enemy[sel][:, None], hexes].sum(axis=1)
    return out


FEW_RUNS = 32   # robot run entries (replications x runs) whose lines are grouped in Python
