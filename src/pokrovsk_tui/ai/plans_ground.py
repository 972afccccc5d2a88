"""The planner's ground orders: assaults, infiltrations and raids where the odds (plans_odds.py)
are worth it, guards on the ground whose loss ends the game, and everyone else moving up,
manning the line, digging in or resting."""

from __future__ import annotations

from functools import partial

import numpy as np

from pokrovsk_tui.rules import legal
from pokrovsk_tui.rules.digging import can_dig
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.supply import delivery_map

from .paths import goal_field, walk
from .plans_base import PlannerBase
from .plans_odds import (
    assault_outlook,
    assault_outlooks,
    attack_power,
    defence_known,
    defences_known,
    going,
)
from .situation import R_ART, R_ASLT, R_DRONE, R_EW, R_HQ, R_INF, R_UGV

R, E, D, X = range(4)          # combat results, in RESULTS order


class GroundPlanner(PlannerBase):
    """Ground orders for every own unit, assaults first."""

    # ---- assaults, infiltrations, raids
    def _unit_ready(self, u: int) -> bool:
        v, w = self.sit.view, self.sit.world
        return (v.cohesion[u] >= 35 and v.strength[u] >= 0.3 * w.u_full[u] and v.supply[u] >= 12)

    def _attack_table(self) -> dict[int, list[tuple]]:
        """Every attack open to us today: per target hex, (value before the plan's bias, group,
        kind, outlook, known defence). The same for every plan of a day with the same focus
        (cached); what does not depend on the focus is worked out once (``_attack_options``)."""
        sit = self.sit
        key = ("attack_table", self.k.focus, self.f.hidden_odds)
        if key in sit.extra:
            return sit.extra[key]
        hv = sit.hex_value
        if self.k.focus >= 0:
            hv = hv * self._focus_mult()
        going_x = going(sit.world, sit.weather)
        table: dict[int, list[tuple]] = {}
        for t, _c_before, known_def, opts_t in self._attack_options():
            opts = []
            hv_t = hv[t]
            for kmax, grp, kind, o, take, kills, cost, ent, expo in opts_t:
                if kind == "raid":
                    gain = 0.0
                else:
                    gain = hv_t * take * going_x * o["p_go"]
                    gain = max(gain, 0.0)
                ev = gain + kills - cost - ent - expo - 0.3 * kmax
                opts.append((ev, grp, kind, o, known_def))
            table[t] = opts
        sit.extra[key] = table
        return table

    def _attack_options(self) -> list[tuple]:
        """Every attack open to us today, with the parts of its value that do not depend on
        the value of the ground: per target hex (hex, control before, known defence, options),
        each option (size, group, kind, outlook, ground share taken, kills, cost, entrenchment
        given up, exposure). The same for every plan of a day (cached)."""
        sit, w = self.sit, self.sit.world
        key = ("attack_options", self.f.hidden_odds)
        if key in sit.extra:
            return sit.extra[key]
        v = sit.view
        nb = sit.st.neighbours
        units = [u for u in sit.own_combat.tolist() if u not in self.ground and self._unit_ready(u)]
        ctx = self.ctx()
        guard = self.guard_raid
        # whether each unit's type may infiltrate, raid
        infil = dict(zip(units, w.t_can_infiltrate[w.u_type[units]].tolist(), strict=True))
        raid = dict(zip(units, w.t_can_raid[w.u_type[units]].tolist(), strict=True))
        cand: dict[int, list[int]] = {}
        for u in units:
            nbs = nb[v.hex[u]]
            for t, ok in zip(nbs.tolist(), legal.targets_among(ctx, u, "assault", nbs).tolist(), strict=True):
                if ok:
                    if u in guard and t not in guard[u] and not raid[u]:
                        continue
                    cand.setdefault(t, []).append(u)
        ctrl = sit.control
        side = sit.side
        wk, wl = self.wt.kill, self.wt.loss
        p = w.params
        # every option first (target, group, kind), then their outlooks at once
        todo: list[tuple[int, float, float, list[tuple[int, list[int], str]]]] = []
        attack_power(sit, [])
        ap = sit.extra["ap"]             # each unit's attack power (attack_power(sit, [u]))
        defences_known(sit, sorted(cand))
        known = sit.extra["def_known"]    # defence_known's memo, filled just above
        for t, us in sorted(cand.items()):
            us = sorted(us, key=lambda u: (-ap[u], u))
            ct = int(ctrl[t])
            c_before = 1.0 if ct == side else 0.0 if ct == 2 else -1.0
            known_def = known[t][0]
            opts_t = []
            for kmax in range(1, min(len(us), 4) + 1):
                grp = us[:kmax]
                kinds = ["assault"]
                if ct != side and all(infil[u] for u in grp):
                    kinds = ["infiltrate"]
                if ct != side and known_def > 0 and all(raid[u] for u in grp):
                    kinds.append("raid")
                if guard and any(u in guard and t not in guard[u] for u in grp):
                    kinds = [k for k in kinds if k == "raid"]
                for kind in kinds:
                    opts_t.append((kmax, grp, kind))
            todo.append((t, c_before, known_def, opts_t))
        assault_outlooks(sit, [(grp, t, kind) for t, _c, _k, opts_t in todo for _m, grp, kind in opts_t],
                         hidden=self.f.hidden_odds)
        entrench = [float(x) for x in v.entrench.tolist()]
        threat = sit.threat.tolist()
        wt_ent, wt_expo = self.wt.entrench, self.wt.exposure
        side_expo = 0.25 if sit.side == 1 else 1.0
        hidden = self.f.hidden_odds
        outlooks = sit.extra["outlook"]          # assault_outlook's memo, filled just above
        out = []
        for t, c_before, known_def, opts_t in todo:
            opts = []
            for kmax, grp, kind in opts_t:
                o = outlooks[(t, tuple(grp), kind, hidden)]
                pr = o["p_list"]
                if kind == "raid":
                    take = 0.0
                    extra = (pr[D] * p.raid_d_loss + pr[X] * p.rout_loss) * o["def_str"]
                else:
                    take = pr[E] * (0.0 - c_before) + (pr[D] + pr[X]) * (1.0 - c_before)
                    extra = pr[X] * p.rout_loss * o["def_str"]
                kills = (o["def_loss"] + extra) * wk
                cost = o["att_loss"] * wl
                adv = 0.0 if kind == "raid" else (pr[E] + pr[D] + pr[X])
                ent = sum(entrench[u] for u in grp) * wt_ent * adv
                expo = adv * wt_expo * threat[t] * len(grp) * side_expo
                opts.append((kmax, grp, kind, o, take, kills, cost, ent, expo))
            out.append((t, c_before, known_def, opts))
        sit.extra[key] = out
        return out

    def _attacks(self) -> None:
        sit = self.sit
        used: set[int] = set()
        picks = []
        min_ratio, probe, ev_bias = self.k.min_ratio, self.k.probe, self.k.ev_bias
        for t, opts in self._attack_table().items():
            best = None
            for ev, grp, kind, o, known_def in opts:
                if known_def > 0 and o["ratio"] < min_ratio:
                    continue
                if known_def == 0 and o["p_hidden"] > probe:
                    continue
                ev = ev - ev_bias
                if best is None or ev > best[0]:
                    best = (ev, grp, kind, o)
            if best is not None and best[0] > 0:
                picks.append((best[0], t, best[1], best[2], best[3]))
        picks.sort(key=lambda x: (-x[0], x[1]))
        for ev, t, grp, kind, o in picks:
            if any(u in used for u in grp):
                grp = [u for u in grp if u not in used]
                if not grp:
                    continue
                o = assault_outlook(sit, grp, t, kind, hidden=self.f.hidden_odds)
                if defence_known(sit, t)[0] > 0 and o["ratio"] < self.k.min_ratio:
                    continue
            for u in grp:
                used.add(u)
                self.set_ground(u, kind, target=t)
            ptake = float(o["p"][D] + o["p"][X]) * o["p_go"] if kind != "raid" else 0.0
            self.assault_hexes[t] = ev
            self.plan.assaults.append((t, grp, kind, ptake, ev))
        for t, grp, kind, ptake, _ev in sorted(self.plan.assaults, key=lambda a: -a[4])[:3]:
            o = assault_outlook(sit, grp, t, kind, hidden=self.f.hidden_odds)
            ratio = o["ratio"]
            rtxt = "no defenders seen" if not np.isfinite(ratio) else f"odds {ratio:.1f}:1"
            what = {"assault": "assault", "infiltrate": "infiltrate", "raid": "raid"}[kind]
            self.plan.note("ground", f"{what} {sit.label(t)} with {', '.join(self.uid(u) for u in grp)} "
                                     f"({rtxt}, P(take) {ptake:.0%})")
        n_att = len(self.plan.assaults)
        if n_att > 3:
            self.plan.note("ground", f"{n_att} attacks in all, {sum(len(a[1]) for a in self.plan.assaults)} units")

    def _max_loss(self) -> float:
        """Share of strength a move may cost in the kill zone (the defender is stingier)."""
        return self.k.max_move_loss * (0.5 if self.sit.side == 0 else 1.0)

    def _focus_mult(self) -> np.ndarray:
        sec = self.sit.extra.get("sectors")
        m = np.ones(self.sit.n)
        if sec is not None and self.k.focus >= 0:
            m[sec == self.k.focus] = self.k.focus_weight
        return m

    # ---- the ground whose loss ends the game
    def _guards(self) -> None:
        """Keep combat units on the hexes of every 'control_all' sudden death the enemy could
        win by, once his ground is within 4 hexes of them: he needs all of them, so one or two
        of ours standing there deny it. Guards in place stay (they may raid, or attack inside
        the guarded set); missing guards walk in, accepting three times the usual kill zone."""
        sit = self.sit
        v = sit.view
        for s, kind, hexes, _days, name in sit.st.sd:
            if s != sit.enemy or kind != "control_all":
                continue
            dist_front = int(sit.d_front[hexes].min())
            need = 2 if dist_front <= 2 else 1 if dist_front <= 4 else 0
            if need == 0:
                continue
            guarded = set(int(h) for h in hexes)
            on = [int(u) for u in sit.own_combat if int(v.hex[u]) in guarded]
            for u in on:
                self.guard_raid.setdefault(u, set()).update(int(h) for h in hexes)
            missing = need - len(on)
            if missing <= 0:
                continue
            free = [int(u) for u in sit.own_combat if int(u) not in self.ground and int(u) not in self.guard_raid
                    and self._unit_ready(int(u))]
            if not free:
                continue
            key = ("guard_field", tuple(int(h) for h in hexes))
            if key not in sit.extra:
                sit.extra[key] = goal_field(sit, np.asarray(hexes, np.int64), np.zeros(len(hexes)))
            dist, pred = sit.extra[key]
            stop = np.zeros(sit.n, bool)
            stop[hexes] = True
            free.sort(key=lambda u: (float(dist[v.hex[u]]), u))
            sent = []
            for u in free[:missing]:
                if not np.isfinite(dist[v.hex[u]]):
                    continue
                path = walk(sit, u, pred, stop)
                risk = 1.0 - float(np.prod(1.0 - self.move_loss(u)[path])) if path else 0.0
                if path and risk <= 3 * self._max_loss():
                    self.set_ground(u, "move", path=path)
                    sent.append(u)
            if sent:
                self.plan.note("ground", f"{', '.join(self.uid(u) for u in sent)} to guard {name.lower()} "
                                         f"({', '.join(self.hid(h) for h in hexes)})")

    # ---- everyone else on the ground: move up, man the line, dig, rest
    def _rest_units(self) -> tuple[list[tuple[int, tuple[bool, Order, float, bool] | None]], list[tuple[int, int]]]:
        """What ``_ground_rest`` reads of the own units, the same for every plan of a day: per
        own unit (in ``sit.own`` order) None for a support unit, else (in contact: next to the
        front or under threat, the order it stays with: dig in if it can dig deeper else rest,
        cohesion, below 30% of full strength); and (unit, hex) of every own combat unit."""
        sit, w = self.sit, self.sit.world
        v = sit.view
        p = w.params
        roles = w.u_role
        out: list[tuple[int, tuple[bool, Order, float, bool] | None]] = []
        for u in sit.own.tolist():
            if roles[u] not in (R_INF, R_ASLT):
                out.append((u, None))
                continue
            h = int(v.hex[u])
            front = bool(sit.d_front[h] <= 1) or bool(sit.threat[h] > 1.0)
            stay = self.order("dig_in" if can_dig(p, v.entrench[u]) else "rest", u)
            out.append((u, (front, stay, float(v.cohesion[u]), bool(v.strength[u] < 0.3 * w.u_full[u]))))
        return out, [(u, int(v.hex[u])) for u in sit.own_combat.tolist()]

    def _stay(self, u: int) -> Order:
        """The order a combat unit stays with: dig in if it can dig deeper, else rest."""
        info = self.daily(("rest_units",), self._rest_units)[0]
        return self.daily(("stays",), lambda: {u: x[1] for u, x in info if x is not None})[u]

    def _ground_rest(self) -> None:
        sit = self.sit
        k = self.k
        ground = self.ground
        units, combat_hexes = self.daily(("rest_units",), self._rest_units)
        support: list[int] = []
        movers: list[int] = []
        reserve = sit.side == 1 and k.reserves_move   # the attacker's tired reserves still move
        for u, info in units:
            if u in ground:
                continue
            if info is None:
                support.append(u)
                continue
            front, stay, coh, weak = info
            if front or u in self.guard_raid:
                ground[u] = stay
                continue
            if (coh < k.rest_cohesion or weak) and not (reserve and coh > 30):
                ground[u] = self.order("rest", u)
                continue
            movers.append(u)
        if movers and k.reserves_move:
            self._move_up(movers)
        else:
            for u in movers:
                ground[u] = self._stay(u)
        # the same for every plan of the day (they read neither the knobs nor the other orders)
        for u, order in self.daily(("support_orders", tuple(support)), partial(self._support_orders, support)):
            ground[u] = order
        # the key ground held today, for the intent
        held: dict[int, list[int]] = {}
        for u, h in combat_hexes:
            o = ground.get(u)
            if o is not None and o.kind in ("dig_in", "rest", "hold"):
                held.setdefault(h, []).append(u)
        top = sorted(held, key=lambda h: (-float(sit.hex_value[h]), h))[:2]
        if top:
            self.plan.note("ground", "holding " + ", ".join(
                f"{sit.label(h)} with {', '.join(self.uid(u) for u in held[h])}" for h in top))

    def _needs(self) -> tuple[np.ndarray, np.ndarray]:
        """Goal hexes for units moving up, with their attraction."""
        sit = self.sit
        hv = sit.hex_value
        if self.k.focus >= 0:
            hv = hv * self._focus_mult()
        if sit.side == 1:
            # attacker: our hexes on the edge, facing valuable ground that looks weakly held
            edge = sit.own_edge
            nb = sit.st.neighbours[edge]
            ok = nb >= 0
            nbc = np.maximum(nb, 0)
            facing = np.where(ok & sit.not_mine[nbc], hv[nbc] / (1.0 + sit.enemy_est[nbc] / 40.0), 0.0).max(axis=1)
            crowd = sit.own_combat_hex[edge] / 60.0
            return edge, facing / (1.0 + crowd)
        # defender: our valuable hexes under threat, and the edge, short of defenders
        cand = np.flatnonzero(sit.mine & (sit.d_front <= 2) & sit.world.passable)
        thr = sit.threat[cand]
        have = sit.own_combat_hex[cand]
        need = hv[cand] * (0.3 + np.minimum(thr / 60.0, 2.0)) / (1.0 + have / 50.0)
        return cand, need

    def _move_field(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """The goals worth moving up to (``_needs``, those above 5% of the top one), their
        attraction, the cost field to them and its next hops (``goal_field``) and the goal
        hexes as a map mask; None when no goal is worth it (the same for every plan of a day
        with the same focus)."""
        goals, attr = self._needs()
        if goals.size:
            keep = attr > 0.05 * max(float(attr.max()), 1e-9)
            goals, attr = goals[keep], attr[keep]
        if goals.size == 0:            # nothing worth going to (none left, or none valued)
            return None
        scale = 3.0 / max(float(attr.max()), 1e-9)          # a top goal is worth ~3 MP of detour
        dist, pred = goal_field(self.sit, goals, attr * scale)
        stop = np.zeros(self.sit.n, bool)
        stop[goals] = True
        return goals, attr, dist, pred, stop

    def _move_up(self, movers: list[int]) -> None:
        sit = self.sit
        v = sit.view
        field = self.daily(("move_field", self.k.focus), self._move_field)
        if field is None:
            for u in movers:
                self.ground[u] = self._stay(u)
            return
        goals, attr, dist, pred, stop = field
        moved = 0
        names: list[str] = []
        max_loss = self._max_loss()
        for u in sorted(movers):
            h = int(v.hex[u])
            if stop[h] or not np.isfinite(dist[h]):
                self.ground[u] = self._stay(u)
                continue
            path, risk = self.daily(("walk_up", self.k.focus, u), partial(self._walk_risk, u, pred, stop))
            if not path or risk > max_loss:
                self.ground[u] = self._stay(u)
                continue
            self.set_ground(u, "move", path=path)
            moved += 1
            names.append(self.uid(u))
        if moved:
            top = goals[np.argsort(-attr)[:2]]
            who = ", ".join(names[:3]) + (f" and {moved - 3} more" if moved > 3 else "")
            self.plan.note("ground", f"{who} move up toward {', '.join(sit.label(h) for h in top)}")

    def _walk_risk(self, u: int, pred: np.ndarray, stop: np.ndarray) -> tuple[list[int], float]:
        """The hexes unit u walks today toward the goals and the share of its strength the
        walk is expected to cost (the same for every plan of a day with the same focus)."""
        path = walk(self.sit, u, pred, stop)
        risk = 1.0 - float(np.prod(1.0 - self.move_loss(u)[path])) if path else 0.0
        return path, risk

    def _support_orders(self, support: list[int]) -> list[tuple[int, Order]]:
        """The support units' ground orders (the same for every plan of a day)."""
        out = []
        for u in support:
            kind, path = self._support_ground(u)
            self.set_ground(u, kind, path=path)
            out.append((u, self.ground[u]))
        return out

    def _support_ground(self, u: int) -> tuple[str, list[int] | None]:
        """A support unit's ground order: (kind, path of a move or None)."""
        sit, w = self.sit, self.sit.world
        v = sit.view
        h = int(v.hex[u])
        r = w.u_role[u]
        if r in (R_HQ, R_UGV) and w.params.truck_standoff[sit.side] > 0 and w.t_mp[w.u_type[u]] > 0:
            # an HQ relays and a robot section carries only what the trucks bring it: keep
            # them where trucks still drive (outside the standoff from enemy ground)
            fed = self._truck_fed()
            if not fed[h]:
                back = np.flatnonzero(sit.mine & fed)
                if back.size:
                    if "truck_field" not in sit.extra:
                        sit.extra["truck_field"] = goal_field(sit, back, np.zeros(back.size))
                    path = walk(sit, u, sit.extra["truck_field"][1])
                    if path:
                        return "move", path
        if r in (R_DRONE, R_ART, R_HQ, R_EW, R_UGV) and sit.d_front[h] <= 1 and sit.threat[h] > 20 and w.t_mp[w.u_type[u]] > 0:
            # too close to the enemy: step back
            back = np.flatnonzero(sit.mine & (sit.d_front >= 3))
            if back.size:
                if "retreat_field" not in sit.extra:
                    sit.extra["retreat_field"] = goal_field(sit, back, np.zeros(back.size))
                dist, pred = sit.extra["retreat_field"]
                path = walk(sit, u, pred)
                if path:
                    return "move", path
        deeper = can_dig(w.params, v.entrench[u])
        if r == R_EW:
            return ("dig_in" if deeper else "jam"), None
        return ("dig_in" if deeper else "rest"), None

    def _truck_fed(self) -> np.ndarray:
        """(n,) bool: hexes our trucks (or a supplied HQ's relay) reach today, as the rules
        work it out from what we know (rules.supply.delivery_map)."""
        sit = self.sit
        if "truck_fed" not in sit.extra:
            w = sit.world
            hqs = np.array([int(sit.view.hex[u]) for u in sit.own if w.u_role[u] == R_HQ], np.int64)
            sit.extra["truck_fed"] = delivery_map(w, sit.control, sit.side, hqs) > 0
        return sit.extra["truck_fed"]
