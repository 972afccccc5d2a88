"""Reference adjudicator, phase 6: logistics (mirrors ``phase_supply.py``; ``reference.py``
has the whole turn)."""

from __future__ import annotations

import heapq
import math

from .dice import binomial_icdf_py
from .events import ref
from .world import CONTESTED

INF = math.inf


# ----- 6. logistics ------------------------------------------------------------------------

def provisional_control(d) -> list[int]:
    """A hex with units of one side only belongs to that side; with both, it is contested;
    with none, it keeps its control."""
    held = [{d.hex[u] for u in range(d.U) if d.live(u) and d.side[u] == s} for s in (0, 1)]
    return [CONTESTED if h in held[0] and h in held[1] else 0 if h in held[0] else 1 if h in held[1]
            else d.control[h] for h in range(d.n)]


def supply_costs(d, control: list[int], side: int, trucks: bool = True) -> list[float]:
    """Cost for a side's supply to enter each hex: its move cost x (1 + 0.5 * F_enemy), where
    F_enemy is the enemy's fire control today; only passable own or contested hexes with
    F_enemy under supply_block_fc (trucks do not drive into the kill zone; with trucks=False,
    the ground connection that decides isolation, fire control does not block). Trucks also
    keep truck_standoff hexes away from any hex the enemy holds or contests."""
    p = d.p
    reach = p.truck_standoff[side]
    near = standoff(d, control, side, reach) if trucks and reach > 0 else [False] * d.n
    return [d.move_cost[h] * (1.0 + p.fire_control_cost * d.fc_total[1 - side][h])
            if d.passable[h] and control[h] in (side, CONTESTED)
            and (not trucks or (d.fc_total[1 - side][h] < p.supply_block_fc and not near[h]))
            else INF for h in range(d.n)]


def standoff(d, control: list[int], side: int, reach: int) -> list[bool]:
    """Hexes within ``reach`` steps of a hex the enemy holds or contests (breadth first)."""
    step = [0 if control[h] in (1 - side, CONTESTED) else -1 for h in range(d.n)]
    frontier = [h for h in range(d.n) if step[h] == 0]
    for k in range(1, int(reach) + 1):
        nxt = []
        for h in frontier:
            for v in d.nbrs[h]:
                if v >= 0 and step[v] < 0:
                    step[v] = k
                    nxt.append(v)
        frontier = nxt
    return [s >= 0 for s in step]


def dijkstra(d, cost: list[float], source: int) -> dict[int, float]:
    """Cheapest cost from ``source`` (0 on it) to each hex it reaches at a cost of at most
    supply_max_cost (beyond it nothing is delivered), paying each hex's cost on entry."""
    limit = d.p.supply_max_cost
    dist = {source: 0.0}
    if cost[source] == INF:
        return dist
    heap = [(0.0, source)]
    while heap:
        du, u = heapq.heappop(heap)
        if du > dist[u]:
            continue
        for v in d.nbrs[u]:
            if v >= 0 and cost[v] < INF and du + cost[v] <= limit and du + cost[v] < dist.get(v, INF):
                dist[v] = du + cost[v]
                heapq.heappush(heap, (dist[v], v))
    return dist


def nearest(d, cost: list[float], sources: list[int]) -> tuple[list[float], list[int]]:
    """For each hex the cost from the nearest source and that source's hex, where supply
    reaches it (cost at most supply_max_cost; INF and -1 elsewhere); at equal cost the source
    listed first wins."""
    best, origin = [INF] * d.n, [-1] * d.n
    for s in sources:
        for h, c in dijkstra(d, cost, s).items():
            if c < best[h]:
                best[h], origin[h] = c, s
    return best, origin


def connected(d, cost: list[float], sources: list[int]) -> list[bool]:
    """Hexes joined to a source by hexes of finite cost (breadth first, no limit)."""
    seen = [False] * d.n
    todo = list(sources)
    for s in todo:
        seen[s] = True
    while todo:
        u = todo.pop()
        for v in d.nbrs[u]:
            if v >= 0 and not seen[v] and cost[v] < INF:
                seen[v] = True
                todo.append(v)
    return seen


def distinct(hexes: list[int]) -> list[int]:
    return list(dict.fromkeys(hexes))


def deliver(p, cost: float) -> float:
    """20 * exp(-cost / 12) a day, none above cost 25."""
    return p.supply_base * math.exp(-cost / p.supply_scale) if cost <= p.supply_max_cost else 0.0


def hq_relay(d, control: list[int], hq: list[int], d1: list[float]) -> list[float]:
    """A supplied HQ is a source in turn: each unit of its side may draw deliver(cost) by the
    cheapest path from the nearest supplied HQ (ties: lowest unit slot), costs counted afresh
    from it; an HQ relays only what reaches it: its capacity x its own delivery / 20; an HQ
    hex's capacity is the sum of its HQs' capacities, and when its units ask for more, all are
    scaled down alike."""
    world = d.world
    out = [0.0] * d.U
    for s in (0, 1):
        mine_hq = [u for u in hq if d.side[u] == s]
        if not mine_hq:
            continue
        dist, origin = nearest(d, supply_costs(d, control, s), distinct([d.hex[u] for u in mine_hq]))
        cap: dict[int, float] = {}
        for u in mine_hq:
            share = min(max(d1[u] / max(d.p.supply_base, 1e-9), 0.0), 1.0)
            cap[d.hex[u]] = cap.get(d.hex[u], 0.0) + float(world.t_hq_capacity[d.type[u]]) * share
        fed = [u for u in range(d.U) if d.live(u) and d.side[u] == s and origin[d.hex[u]] >= 0]
        amount = {u: deliver(d.p, dist[d.hex[u]]) for u in fed}
        demand: dict[int, float] = {}
        for u in fed:
            demand[origin[d.hex[u]]] = demand.get(origin[d.hex[u]], 0.0) + amount[u]
        for u in fed:
            o = origin[d.hex[u]]
            scale = cap[o] / max(demand[o], 1e-12) if demand[o] > cap[o] else 1.0
            out[u] = amount[u] * scale
    return out


def logistics(d) -> None:
    """6. Logistics.
    - Control is updated from the units now on the map (see ``provisional_control``).
    - Each side's supply runs from its sources (on own or contested hexes) over own and
      contested hexes, never through enemy-held ones nor, by truck, through hexes under
      supply_block_fc of enemy fire control; a unit's cost is that of the cheapest truck path
      from the nearest source (ties: the source listed first in the scenario), counted only up
      to supply_max_cost, beyond which nothing is delivered. A unit whose hex has no path at
      all, even ignoring fire control, is isolated.
    - A unit receives deliver(cost); a source whose units ask for more than its capacity
      scales them all down alike. A supplied HQ relays (see ``hq_relay``); a unit takes the
      better of the two. A unit with no path at all is isolated.
    - UGV resupply: each run carries 15 supply to its unit, lost with probability
      1 - exp(-0.03 * sum of enemy fire control on the hex line from robot to unit); each run
      lost costs the robot unit 2 strength (equipment: no casualty is booked). Robot and unit
      must still be on the map.
    - Each unit consumes 8 supply (+10 if it fought today); supply stays within 0-100.
    - Isolated units count days isolated; each such day costs 5 cohesion and 3% x days of
      strength (escalating), times (isolation_fed + (1 - isolation_fed) x lack), where lack =
      1 - supply / 30 (0 to 1, after today's supply). A unit with a path has its count reset.
    - Hunger: every unit on the map loses hunger_strength x lack of its strength and
      hunger_cohesion x lack cohesion."""
    world, p = d.world, d.p
    control = provisional_control(d)
    d.control = control
    live = [d.live(u) for u in range(d.U)]
    cost_src, orig_src, reach = [], [], []
    for s in (0, 1):
        cost = supply_costs(d, control, s)
        srcs = [int(world.src_hex[i]) for i in range(len(world.src_hex))
                if world.src_side[i] == s and cost[world.src_hex[i]] < INF]
        dist, origin = nearest(d, cost, distinct(srcs))
        cost_src.append(dist)
        orig_src.append(origin)
        ground = supply_costs(d, control, s, trucks=False)
        g_srcs = [int(world.src_hex[i]) for i in range(len(world.src_hex))
                  if world.src_side[i] == s and ground[world.src_hex[i]] < INF]
        reach.append(connected(d, ground, g_srcs))
    d.reach = reach
    c_unit = [cost_src[d.side[u]][d.hex[u]] for u in range(d.U)]
    d1 = [deliver(p, c_unit[u]) if live[u] else 0.0 for u in range(d.U)]
    isolated = [live[u] and not reach[d.side[u]][d.hex[u]] for u in range(d.U)]

    # a source feeds its units up to its capacity
    src_of = []
    for u in range(d.U):
        o = orig_src[d.side[u]][d.hex[u]]
        src_of.append(next((i for i in range(len(world.src_hex))
                            if world.src_hex[i] == o and world.src_side[i] == d.side[u]), -1))
    demand = [0.0] * len(world.src_hex)
    for u in range(d.U):
        if src_of[u] >= 0:
            demand[src_of[u]] += d1[u]
    cap = world.src_capacity.tolist()
    for u in range(d.U):
        if src_of[u] >= 0:
            i = src_of[u]
            d1[u] = d1[u] * (cap[i] / max(demand[i], 1e-12) if demand[i] > cap[i] else 1.0)
    hq = [u for u in range(d.U) if d.role[u] == "hq" and live[u] and d1[u] > 0]
    d2 = hq_relay(d, control, hq, d1) if hq else [0.0] * d.U
    got = [max(d1[u], d2[u]) for u in range(d.U)]

    # UGV resupply runs
    ugv_in = [0.0] * d.U
    robots = [0.0] * d.U
    draws = d.draws("logistics", "ugv", len(d.runs)) if d.runs else []
    report = []
    for r, run in enumerate(d.runs):
        line = d.grid.line(d.hex[run.robot], d.hex[run.target]).tolist()
        fc_line = sum(d.fc_total[1 - d.side[run.robot]][h] for h in line)
        p_loss = 1.0 - math.exp(-p.ugv_loss_coeff * fc_line)
        ok = live[run.robot] and live[run.target]
        lost = binomial_icdf_py(draws[r], run.count, p_loss) if ok else 0
        arrived = run.count - lost if ok else 0
        ugv_in[run.target] += arrived * p.ugv_payload
        robots[run.robot] += lost * p.ugv_lost_strength
        report.append((run, arrived, lost, fc_line, p_loss, draws[r]))
    for u in range(d.U):
        d.strength[u] = max(d.strength[u] - robots[u], 0.0)
    for run, arrived, lost, fc_line, p_loss, u in report:
        d.emit("logistics", "ugv", f"{ref(0)} -> {ref(1)}: "
               f"{arrived} of {run.count} robot runs arrive (loss chance {p_loss:.0%} each)",
               side=d.side[run.robot], units=[run.robot, run.target],
               why={"fire_control_on_route": fc_line, "p_loss": p_loss, "draw": u, "lost": lost,
                    "payload": p.ugv_payload, "runs": run.count, "arrived": arrived})

    # consumption and isolation
    for u in range(d.U):
        use = p.consumption + p.fight_consumption * d.fought[u]
        d.delivered[u] = got[u] + ugv_in[u]
        if live[u]:
            d.supply[u] = min(max(d.supply[u] + got[u] + ugv_in[u] - use, 0.0), 100.0)
        d.isolated[u] = d.isolated[u] + 1 if isolated[u] else 0
        lack = min(max(1.0 - d.supply[u] / max(p.low_supply, 1e-9), 0.0), 1.0) if live[u] else 0.0
        iso_x = p.isolation_fed + (1.0 - p.isolation_fed) * lack if isolated[u] else 0.0
        iso_loss = d.strength[u] * min(p.isolation_strength * d.isolated[u], 1.0) * iso_x
        d.hurt(u, iso_loss + d.strength[u] * p.hunger_strength * lack, "attrition")
        if live[u]:
            d.cohesion[u] = max(d.cohesion[u] - p.isolation_cohesion * iso_x - p.hunger_cohesion * lack, 0.0)
    for s in (0, 1):
        mine = [u for u in range(d.U) if live[u] and d.side[u] == s]
        low = [u for u in mine if d.supply[u] < p.low_supply]
        iso = [u for u in mine if isolated[u]]
        d.emit("logistics", "supply", f"Supply: {sum(got[u] for u in mine):.0f} delivered by road and HQ, "
               f"{sum(ugv_in[u] for u in mine):.0f} by robots; {len(low)} units low, {len(iso)} isolated",
               side=s, units=iso,
               why={"isolated": [world.unit_ids[u] for u in iso], "low": [world.unit_ids[u] for u in low],
                    "delivered": sum(got[u] for u in mine), "by_robots": sum(ugv_in[u] for u in mine),
                    "by_unit": {world.unit_ids[u]: [got[u], ugv_in[u]] for u in mine if got[u] + ugv_in[u] > 0}})
