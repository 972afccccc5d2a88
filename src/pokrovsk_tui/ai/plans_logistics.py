"""The planner's logistics: ground robots' supply runs to the hungriest units.

A unit's hunger is what it will lack tomorrow: its supply now, plus what the trucks and HQs
bring it by the rules (``rollout.expected_delivery``: nothing inside the truck standoff or
behind a road under enemy fire control), less what it uses. The easy level, which plans
without supply lines, looks at today's supply only."""

from __future__ import annotations

import heapq
from collections.abc import Callable

from pokrovsk_tui.rules import legal
from pokrovsk_tui.rules.orders import Order

from .plans_base import PlannerBase
from .rollout import expected_delivery
from .situation import R_ASLT, R_INF, R_UGV


class LogisticsPlanner(PlannerBase):
    """Robot runs, given the ground plan already made."""

    # ---- logistics: ground robots to the hungriest units
    def _ugv(self) -> list[Order]:
        sit, w = self.sit, self.sit.world
        v = sit.view
        robots = [int(u) for u in sit.own if w.u_role[u] == R_UGV]
        if not robots:
            return []
        p = w.params
        if self.f.supply_lines:      # by the rules, once per decision (the look-ahead reuses it)
            got = sit.extra.get("delivery")
            if got is None:
                got = sit.extra["delivery"] = expected_delivery(sit)
            ahead = v.supply + got - p.consumption
        else:
            ahead = v.supply
        ahead_l = ahead.tolist()
        roles = w.u_role.tolist()
        need = {u: max(0.0, 70.0 - ahead_l[u]) for u in sit.own.tolist() if roles[u] != R_UGV}
        fighting = set(int(u) for a in self.plan.assaults for u in a[1])
        for u in need:
            if u in fighting:
                need[u] += p.fight_consumption
            if roles[u] in (R_INF, R_ASLT):
                need[u] *= 1.3
        # the units in need (a need only falls as robots are sent): no robot looks at the others
        needy = [u for u in need if need[u] > 5]
        merged: dict[tuple[str, str], int] = {}   # runs per (robot, unit), in the order first sent
        sent: dict[int, int] = {}
        for r in robots:
            runs = legal.runs_available(w, r, float(v.supply[r]))
            if runs <= 0:
                continue
            # the units in need the robot may resupply (in need's order)
            may = self._may_resupply_memo(r)
            robot = self.uid(r)
            for u in neediest_first(need, [u for u in needy if need[u] > 5 and may(u)], runs, p.ugv_payload):
                pair = (robot, self.uid(u))
                merged[pair] = merged.get(pair, 0) + 1
                sent[u] = sent.get(u, 0) + 1
        out = [self.made(kind="resupply", unit=a, target_unit=b, count=c) for (a, b), c in merged.items()]
        if sent:
            worst = sorted(sent, key=lambda u: float(v.supply[u]))[:2]
            self.plan.note("logistics", f"{sum(sent.values())} robot runs; first to "
                           + ", ".join(f"{self.uid(u)} (supply {v.supply[u]:.0f})" for u in worst))
        return out

    def _may_resupply_memo(self, robot: int) -> Callable[[int], bool]:
        """``may(u)``: ``legal.resupply_refusal(view, robot, u) is None``, once a day per robot
        and unit (asked only of the units in need)."""
        memo: dict[int, bool] = self.daily(("resupply_ok", robot), dict)   # a memo: filled as units are asked
        ctx = self.ctx()

        def may(u: int) -> bool:
            got = memo.get(u)
            if got is None:
                got = memo[u] = legal.resupply_refusal(ctx, robot, u) is None
            return got
        return may


def neediest_first(need: dict[int, float], cand: list[int], runs: int, payload: float) -> list[int]:
    """The units ``runs`` robot runs go to, run by run: the unit of ``cand`` in most need (the
    lowest slot at equal need), each run taking ``payload`` off its need (``need`` is changed);
    a unit whose need falls to 5 or below gets no more. A heap of (-need, unit): a run changes
    only the need of the unit it goes to, which goes back on the heap while still in need."""
    heap = [(-need[u], u) for u in cand]
    heapq.heapify(heap)
    out: list[int] = []
    for _ in range(runs):
        if not heap:
            break
        u = heapq.heappop(heap)[1]
        out.append(u)
        need[u] -= payload
        if need[u] > 5:
            heapq.heappush(heap, (-need[u], u))
    return out
