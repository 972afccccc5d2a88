"""The planner's fires: drone missions (recon, strikes, hunts, interdiction), artillery and
glide bombs, given the ground plan already made (see plans.py)."""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from pokrovsk_tui.rules import legal
from pokrovsk_tui.rules.belief import (
    detect_probability,
    hit_probability,
    own_effort,
    recon_effort,
)
from pokrovsk_tui.rules.estimates import posts_jamming
from pokrovsk_tui.rules.orders import Order

from .plans_base import PlannerBase
from .plans_odds import URBAN, _assumed_entrench, _hidden_defence
from .situation import R_ART, R_ASLT, R_DRONE, R_EW, R_HQ, R_INF, R_UGV


class FiresPlanner(PlannerBase):
    """Fire missions, given the ground plan already made."""

    def _targets(self) -> list[dict]:
        """Enemy hexes worth shooting at, with their estimated content."""
        sit = self.sit
        out = list(self.daily(("fire_targets",), self._seen_targets))
        hexes = {t["hex"] for t in out}
        # hexes we assault today with nobody seen there: suspected defenders
        for h in self.assault_hexes:
            if h not in hexes and sit.p_hidden_defender[h] > 0.15:
                _, s = _hidden_defence(sit, h)
                out.append({"hex": h, "units": np.zeros(0, np.int64), "roles": np.array([R_INF if sit.enemy == 0 else R_ASLT]),
                            "str": np.array([s * float(sit.p_hidden_defender[h])]), "seen": False,
                            "sig": np.array([0.4])})
        return out

    def _seen_targets(self) -> list[dict]:
        """The enemy hexes seen lately (the same for every plan of a day; not to be changed)."""
        sit, w = self.sit, self.sit.world
        out: list[dict] = []
        if not sit.recent_by_hex:
            return out
        # every contact's strength as counted (seen lately: 0.6) and signature, then hex by hex
        now = sit.c_age == 0
        strength = sit.c_str * np.where(now, 1.0, 0.6)
        sig = w.t_signature[w.u_type[sit.c_unit]]
        for h, sel in sit.recent_by_hex.items():          # by hex, each hex's in contact order
            out.append({"hex": h, "units": sit.c_unit[sel], "roles": sit.c_role[sel], "str": strength[sel],
                        "seen": bool(now[sel].any()), "sig": sig[sel]})
        return out

    def _about(self, t: dict) -> tuple[bool, bool, float, float]:
        """What a target's roles and strengths say, once a day per hex (the content of a target
        on a hex is the same for every plan of the day): (a drone, artillery, HQ or EW unit
        among them, a drone, EW or robot unit among them, support strength, total strength)."""
        def make() -> tuple[bool, bool, float, float]:
            roles = t["roles"].tolist()
            support = [r in (R_DRONE, R_EW, R_UGV) for r in roles]
            # (the support strength summed as numpy sums it; none: 0.0, what it sums to)
            s_support = float(np.sum(t["str"][np.array(support, bool)])) if any(support) else 0.0
            return (any(r in (R_DRONE, R_ART, R_HQ, R_EW) for r in roles), any(support),
                    s_support, float(np.sum(t["str"])))
        return self.daily(("target_about", t["hex"]), make)

    def _target_value(self, t: dict) -> float:
        """VP-like value of one point of damage on the target hex."""
        h = t["hex"]
        key = (h, h in self.assault_hexes)
        if key not in self._tv:
            self._tv[key] = self._target_value1(t)
        return self._tv[key]

    def _target_value1(self, t: dict) -> float:
        sit = self.sit
        h = t["hex"]
        mult = 1.0
        if self._about(t)[0]:
            mult = 1.6
        if h in self.assault_hexes:
            mult *= 1.5
        if sit.side == 0 and sit.hex_value[h] > 2:
            mult *= 1.3
        if sit.side == 1:
            # strikes on defenders that hold the line in front of our assaults
            mult *= 1.0 + min(float(sit.hex_value[h]) / 20.0, 0.8)
        return self.wt.kill * mult

    def _p_detects(self, asks: list[tuple[dict, float, float]]) -> list[float]:
        """For each (target, recon, base effort) asked, the chance of seeing at least one of
        the target's units with ``recon`` effort added to the base effort, once a day per hex,
        signatures and efforts (plans share them). Those not known yet are worked out together:
        the rules' ``detect_probability`` over all their units at once (each unit's chance is
        its own), then each target's chance of none seen multiplied up unit by unit, in order
        (as ``np.prod`` does)."""
        memo: dict[tuple, float] = self.daily(("p_detect",), dict)      # a memo: filled as asked
        keys = [(t["hex"], np.asarray(t["sig"]).tobytes(), recon, base) for t, recon, base in asks]
        new = [i for i, key in enumerate(keys) if key not in memo]
        if new:
            sit, w = self.sit, self.sit.world
            p = w.params
            sigs = [np.asarray(asks[i][0]["sig"]) for i in new]
            sizes = [s.size for s in sigs]
            hexes = [asks[i][0]["hex"] for i in new]
            # per target: its signatures dug in as deep as its hex's assumed entrenchment, the
            # effort on it (base + recon), its hex's concealment; repeated for each of its units
            dug = [p.dug_in_signature ** max(_assumed_entrench(sit, h) - 1, 0) for h in hexes]
            effort = [asks[i][2] + asks[i][1] for i in new]
            sig = np.concatenate(sigs) * np.repeat(dug, sizes)
            q = detect_probability(p, np.repeat(effort, sizes), sig, w.concealment[np.repeat(hexes, sizes)],
                                   sit.visibility)
            missed = (1.0 - q).tolist()
            at = 0
            for i, size in zip(new, sizes, strict=True):
                none = 1.0
                for m in missed[at:at + size]:
                    none *= m
                memo[keys[i]] = 1.0 - none if size else 0.0
                at += size
        return [memo[key] for key in keys]

    def _effort(self) -> np.ndarray:
        """(n,) our own observation effort (units where they stand, part of the drones on
        patrol), from the engine's detection functions (rules/belief.own_effort)."""
        sit = self.sit
        key = ("effort", self.k.patrol_share)
        if key not in sit.extra:
            vis = float(sit.visibility)
            # the units' own watch is the same whatever the share on patrol: worked out once
            static = self.daily(("static_effort",), lambda: own_effort(sit.view, 0.0, vis))
            sit.extra[key] = own_effort(sit.view, self.k.patrol_share, vis, static=static)
        return sit.extra[key]

    def _jam_est(self, h: int) -> float:
        """Jamming expected over a hex: that of the enemy EW seen lately (rules/estimates.
        posts_jamming, where it was seen), else a guess of unseen EW near our lines."""
        jam = float(self._enemy_jam()[h])
        if jam > 0.0:                # (an EW type's strength is above 0: covered hexes read > 0)
            return jam
        return 0.1 if self.sit.d_own[h] <= 3 else 0.0

    def _enemy_jam(self) -> np.ndarray:
        """(n,) the jamming of the enemy EW seen in the last two days, where it was seen (once a day)."""
        def make() -> np.ndarray:
            sit = self.sit
            ew = (sit.c_role == R_EW) & (sit.c_age <= 2)
            return posts_jamming(sit.view, sit.c_unit[ew], sit.c_hex[ew])[sit.enemy]
        return self.daily(("enemy_jam",), make)

    def _fires(self) -> list[Order]:
        sit, w = self.sit, self.sit.world
        p = w.params
        out: list[Order] = []
        targets = self._targets()
        eff = self._effort()
        vis = sit.visibility
        drones = [int(u) for u in sit.own if w.u_role[u] == R_DRONE]
        ctx = self.ctx()
        left = {u: self.daily(("budget", u, "strike"), partial(legal.budget_total, ctx, u, "strike")) for u in drones}
        keep = {u: int(round(left[u] * self.k.patrol_share)) for u in drones}
        spend = {u: left[u] - keep[u] for u in drones}
        recon_on: dict[int, int] = {}
        notes_f = []

        # interdiction of the road objective (the attacker) or of enemy supply roads
        if self.k.interdict:
            notes_f += self._interdict(drones, spend, out)

        if self.k.recon and self.f.recon_hunt and ("ua", "ru")[sit.side] not in w.scenario.ai.no_recon:
            # recon before assault: an attack on defenders we have not seen since yesterday is
            # blind (rules: a worse die, the attackers' losses multiplied); look at each hex we
            # attack today, the most valuable first
            by_hex = {t["hex"]: t for t in targets}
            # a hex we believe empty or have lost sight of may hide defenders: look first
            blind = [t if t is not None else self._unknown_target(h)
                     for t, h in ((by_hex.get(h), h) for h, *_rest in sorted(self.plan.assaults, key=lambda a: -a[4]))
                     if t is None or not t["seen"]]
            # recon before strike: the hexes we mean to hit
            aims = sorted(targets, key=lambda t: -self._target_value(t) * self._about(t)[3])[:6]
            # every chance of seeing the recon below may ask for, worked out together
            self._p_detects([ask for t in blind for ask in self._recon_asks(t, eff, 4)]
                            + [ask for t in aims for ask in self._recon_asks(t, eff, 2)])
            for t in blind:
                self._recon(t, eff, drones, spend, recon_on, out, want=0.7, most=4)
            for t in aims:
                if t["hex"] not in recon_on:
                    self._recon(t, eff, drones, spend, recon_on, out, want=0.75, most=2)
        # strike / hunt: greedy by marginal value per sortie
        seen_q = self._p_detects([(t, recon_effort(p, recon_on.get(t["hex"], 0))[0], eff[t["hex"]]) for t in targets])
        q = {t["hex"]: x for t, x in zip(targets, seen_q, strict=True)}
        dealt: dict[int, float] = {}
        alloc: dict[tuple[int, int, str], int] = {}
        # per target: what a sortie can do there (before the unit's own kind, link and range)
        prep = []
        for t in targets:
            h = t["hex"]
            _key, support, s_support, s_all = self._about(t)
            kind = "hunt" if support and self.f.recon_hunt else "strike"
            pool = s_support if kind == "hunt" else s_all
            qq = q[h] if t["seen"] else q[h] * float(sit.p_hidden_defender[h])
            e = _assumed_entrench(sit, h)
            f = hit_probability(p, 1.0, qq, 0.0, vis) * (1 - p.entrench_damage_reduction * e)
            if not t["seen"]:
                f *= float(sit.p_hidden_defender[h])
            prep.append((h, kind, pool, f, self._jam_est(h), self._target_value(t) * (1.6 if kind == "hunt" else 1.0)))
        prep_h = np.array([x[0] for x in prep], np.int64)     # the targets in range of a unit: one gather
        for u in sorted(drones, key=lambda u: (-spend[u], u)):
            ut = w.u_type[u]
            fpv = bool(w.t_fpv[ut])
            base = p.fpv_base_p if fpv else p.bomber_base_p
            dmg = p.fpv_damage if fpv else p.bomber_damage
            radio = bool(w.t_radio[ut])
            ok = self.targets_at(u, "strike", prep_h)       # the targets in range (strike and hunt alike)
            inr = [(h, kind, pool * 0.5, base * dmg * f * (1 - (jam if radio else 0.0)), tv)
                   for h, kind, pool, f, jam, tv in (prep[i] for i in np.flatnonzero(ok).tolist())]
            for h, kind, n in _sorties(inr, dealt, spend[u]):
                alloc[(u, h, kind)] = alloc.get((u, h, kind), 0) + n
                spend[u] -= n
        for (u, h, kind), n in sorted(alloc.items()):
            out.append(self.made(kind=kind, unit=self.uid(u), target=self.hid(h), count=int(n)))
        if alloc:
            sorties_at: dict[int, int] = {}
            for (_u, h, _k), n in alloc.items():
                sorties_at[h] = sorties_at.get(h, 0) + n
            top = sorted(sorties_at.items(), key=lambda x: -x[1])[:3]
            hunts = sum(n for (_u, _h, k), n in alloc.items() if k == "hunt")
            notes_f.append("drones strike " + ", ".join(f"{sit.label(h)} x{n}" for h, n in top)
                           + (f" ({hunts} sorties hunting enemy drone/EW teams)" if hunts else ""))
        if recon_on:
            notes_f.append("recon before the strikes over " + ", ".join(self.hid(h) for h in sorted(recon_on)))
        patrol = sum(spend.values()) + sum(keep.values())
        if drones:
            notes_f.append(f"{patrol} sorties left on patrol to keep the kill zone over the approaches")
        out += self._artillery(targets, q)
        out += self._bombs(targets, q)
        for text in notes_f:
            self.plan.note("fires", text)
        return out

    def _unknown_target(self, h: int) -> dict:
        """A stand-in for defenders we have not seen on hex ``h``: one unit of the enemy's most
        common ground type (its signature is what recon must find)."""
        w = self.sit.world

        def common() -> float:
            ground = (w.u_side == 1 - self.sit.side) & np.isin(w.u_role, (R_INF, R_ASLT))
            types, cnt = np.unique(w.u_type[ground], return_counts=True)
            return float(w.t_signature[types[np.argmax(cnt)]]) if types.size else 0.5

        return {"hex": h, "sig": np.array([self.daily(("unknown_sig",), common)])}

    def _recon(self, t: dict, eff: np.ndarray, drones: list[int], spend: dict[int, int], recon_on: dict[int, int],
               out: list[Order], want: float, most: int) -> None:
        """Recon sorties on one hex from the nearest drone unit that can reach it: the fewest
        (2 to ``most``) that raise the chance of seeing its defenders to ``want``, none when our
        own units' watch already gives that."""
        v, g = self.sit.view, self.sit.grid
        h = t["hex"]
        seen = self._p_detects(self._recon_asks(t, eff, most))     # with 0, 2, 3, .. most - 1 sorties
        if seen[0] >= want:
            return
        n = 2
        while n < most and seen[n - 1] < want:
            n += 1
        near = self.daily(("drones_by_distance", h), partial(_by_distance, g, v.hex, drones, h))
        for u in near:
            if spend[u] >= 2 and self.target_ok(u, "recon", h):
                k = min(n, spend[u])
                out.append(self.made(kind="recon", unit=self.uid(u), target=self.hid(h), count=k))
                spend[u] -= k
                recon_on[h] = recon_on.get(h, 0) + k
                return

    def _recon_asks(self, t: dict, eff: np.ndarray, most: int) -> list[tuple[dict, float, float]]:
        """The (target, recon effort, base effort) ``_recon`` asks ``_p_detects`` about for
        target ``t``: no recon sorties, then 2 up to ``most`` - 1."""
        p = self.sit.world.params
        base = eff[t["hex"]]
        return [(t, recon_effort(p, n)[0], base) for n in (0, *range(2, most))]

    def _interdict(self, drones: list[int], spend: dict[int, int], out: list[Order]) -> list[str]:
        sit, w = self.sit, self.sit.world
        v = sit.view
        notes = []
        vis = max(sit.visibility, 1e-6)
        if sit.side == 1:
            for hexes, vp, thr, name in sit.st.roads:
                if (sit.control[hexes] == 1).any():
                    continue
                prev = v.fire_control[hexes] * (1.0 - w.params.fire_control_decay)
                # the hex of the road that needs the fewest sorties among those our drones
                # reach, then the one deepest on the enemy's supply line (nearest our map edge),
                # then the first on the road
                road = tuple(hexes.tolist())
                live = [u for u in drones if spend[u] > 0]
                if not live:
                    continue
                ok = np.array([self.targets_ok(u, "interdict", road) for u in live], bool)    # (drones, road)
                cand = np.flatnonzero(ok.any(axis=0))
                if cand.size == 0:
                    continue
                # (a hex listed twice has the same fire control at both places)
                need = np.ceil(np.maximum(thr * 1.3 - prev[cand], 0.0) / vis).astype(np.int64)
                cand = cand[need == need.min()]
                i = int(cand[0])
                if sit.own_edge.size and cand.size > 1:
                    edge = [self.daily(("edge_distance", int(hexes[j])), partial(_edge_distance, sit, int(hexes[j])))
                            for j in cand.tolist()]
                    i = int(cand[edge.index(min(edge))])
                h = int(hexes[i])
                reach = [u for j, u in enumerate(live) if ok[j, i]]
                n_need = int(need.min())
                if n_need == 0 or n_need > 14:
                    continue
                got = 0
                for u in sorted(reach, key=lambda u: -spend[u]):
                    n = min(spend[u], n_need - got)
                    if n > 0:
                        out.append(self.made(kind="interdict", unit=self.uid(u), target=self.hid(h), count=int(n)))
                        spend[u] -= n
                        got += n
                    if got >= n_need:
                        break
                if got:
                    notes.append(f"interdicting {name} at {sit.label(h)} with {got} sorties to hold fire "
                                 f"control (F >= {thr:g} scores {vp:g} VP a day)")
        else:
            # Ukraine: a few sorties on the enemy's road hexes nearest the front, to tax his supply
            def busiest() -> list[int]:
                roads = np.flatnonzero(w.road & (sit.control == 1) & (sit.d_own >= 1) & (sit.d_own <= 4))
                flow = sit.enemy_est[roads] + 1e-3
                return roads[np.argsort(-flow)[:1]].tolist()
            for h in self.daily(("busiest_road",), busiest):         # the same for every plan of a day
                for u in sorted(drones, key=lambda u: -spend[u]):
                    if spend[u] >= 2 and self.target_ok(u, "interdict", h):
                        out.append(self.made(kind="interdict", unit=self.uid(u), target=self.hid(h), count=2))
                        spend[u] -= 2
                        notes.append(f"interdicting the enemy's road at {sit.label(h)} to tax his supply")
                        break
        return notes

    def _artillery(self, targets: list[dict], q: dict[int, float]) -> list[Order]:
        sit, w = self.sit, self.sit.world
        p = w.params
        out = []
        guns = [int(u) for u in sit.own if w.u_role[u] == R_ART]
        hits = []
        vals = None                  # the value of a gun's fire on each target (any gun's the same)
        for u in guns:
            n = self.daily(("budget", u, "fire"), partial(legal.budget_total, self.ctx(), u, "fire"))
            if n <= 0:
                continue
            if vals is None:
                vals = []
                for t in targets:
                    h = t["hex"]
                    val = hit_probability(p, 1.0, q.get(h, 0.3), 0.0, 1.0) * self._about(t)[3] * self._target_value(t)
                    if h in self.assault_hexes:
                        val *= 1.5
                    vals.append((h, val))
                vals_h = np.array([h for h, _ in vals], np.int64)
            best = None
            for i in np.flatnonzero(self.targets_at(u, "fire", vals_h)).tolist():     # the targets in range, in order
                h, val = vals[i]
                if best is None or val > best[0]:
                    best = (val, h)
            if best is None:
                # nobody seen in range: the likeliest enemy hex (the same for every plan of a day)
                likeliest = self.daily(("likeliest_in_range", u), partial(self._likeliest, u))
                if likeliest < 0:
                    continue
                best = (0.0, likeliest)
            out.append(self.made(kind="fire", unit=self.uid(u), target=self.hid(best[1]), count=int(n)))
            hits.append(best[1])
        if hits:
            self.plan.note("fires", f"artillery on {', '.join(sorted(set(sit.label(h) for h in hits)))}")
        return out

    def _likeliest(self, u: int) -> int:
        """The hex not ours that gun ``u`` may fire at where the most enemy strength is
        expected (the first of the best), -1 if none is expected anywhere it may fire."""
        sit = self.sit
        est = np.where(self.legal_targets(u, "fire") & sit.not_mine, sit.enemy_est, 0.0)
        return -1 if est.max() <= 0 else int(np.argmax(est))

    def _bombs(self, targets: list[dict], q: dict[int, float]) -> list[Order]:
        sit, w = self.sit, self.sit.world
        p = w.params
        n = legal.budget_total(sit.view, None, "bomb")
        if n <= 0:
            return []
        aim = self.legal_targets(None, "bomb")
        scored = []
        for t in targets:
            h = t["hex"]
            if not aim[h]:
                continue
            qq = q.get(h, 0.3)
            per = p.glide_damage * (p.glide_urban_mult if w.terrain[h] == URBAN else 1.0)
            e = _assumed_entrench(sit, h)
            exp = hit_probability(p, p.glide_base_p, qq, 0.0, 1.0) * per * (1 - p.entrench_damage_reduction * e)
            total = self._about(t)[3]
            val = exp * self._target_value(t) * min(total / 30.0, 1.5)
            if self.k.bomb_strip and h in self.assault_hexes and e > 0:
                val *= 2.0
            scored.append((val, h, total))
        if not scored:
            cand = np.flatnonzero(sit.not_mine & (sit.d_own <= 2))
            if cand.size == 0:
                return []
            est = sit.enemy_est[cand]
            order = np.argsort(-est)[:3]
            scored = [(float(est[i]), int(cand[i]), float(est[i])) for i in order]
        scored.sort(key=lambda x: (-x[0], x[1]))
        left = n
        per_hex = 4 if self.k.bomb_strip else 3
        merged: dict[str, int] = {}      # bombs per hex, in the order the hexes are first given
        while left > 0 and scored:
            for _val, h, _s in list(scored):
                k = min(per_hex, left)
                if k <= 0:
                    break
                hid = self.hid(h)
                merged[hid] = merged.get(hid, 0) + int(k)
                left -= k
            per_hex = max(1, per_hex // 2)
        out = [self.made(kind="bomb", target=h, count=c) for h, c in merged.items()]
        top = sorted(merged.items(), key=lambda x: -x[1])[:3]
        self.plan.note("fires", "glide bombs on " + ", ".join(f"{sit.label(sit.grid.index(h))} x{c}" for h, c in top)
                       + (" to strip the defences before the assault" if self.k.bomb_strip and any(
                           sit.grid.index(h) in self.assault_hexes for h, _ in top) else ""))
        return out


def _sorties(targets: list[tuple[int, str, float, float, float]], dealt: dict[int, float],
             left: int) -> list[tuple[int, str, int]]:
    """A drone unit's ``left`` sorties on ``targets`` (hex, kind, room at first, expected
    damage, value of a point), two at a time (the last one alone) to the target where one more
    sortie is worth most (the first of the best), while that is worth 0.02 or more; what each
    pair deals is added to ``dealt`` (by hex, shared with the other units). (hex, kind, count)
    in the order sent. A pair changes what is dealt on one hex only, so only that hex's
    values are worked out again."""
    out: list[tuple[int, str, int]] = []
    if not targets:
        return out
    vals = [_sortie_value(dealt, x) for x in targets]
    same_hex: dict[int, list[int]] = {}
    for i, x in enumerate(targets):
        same_hex.setdefault(x[0], []).append(i)
    while left > 0:
        best = max(vals)
        if best < 0.02:                # (no room anywhere reads -inf)
            break
        h, kind, _half, exp_dmg, _tv = targets[vals.index(best)]
        n = min(2, left)
        out.append((h, kind, n))
        dealt[h] = dealt.get(h, 0.0) + exp_dmg * n
        left -= n
        for i in same_hex[h]:
            vals[i] = _sortie_value(dealt, targets[i])
    return out


def _sortie_value(dealt: dict[int, float], target: tuple[int, str, float, float, float]) -> float:
    """The value of one more sortie on a target (hex, kind, room at first, expected damage,
    value of a point): its damage, at most the room left after what is ``dealt`` there,
    times the value; -inf when no room is left."""
    h, _kind, half, exp_dmg, tv = target
    room = half - dealt.get(h, 0.0)
    return min(exp_dmg, room) * tv if room > 0 else -math.inf


def _edge_distance(sit, h: int) -> float:
    """Minus the distance from hex h to the side's own map edge (nearer the edge sorts later)."""
    return -float(sit.grid.dist_pairs(h, sit.own_edge).min())


def _by_distance(g, at: np.ndarray, units: list[int], h: int) -> list[int]:
    """``units`` nearest hex ``h`` first (by unit slot at equal distance); ``at``: their hexes."""
    if len(units) < 16:
        return sorted(units, key=lambda u: (g.hex_distance(at[u], h), u))
    u = np.asarray(units, np.int64)
    return [units[i] for i in np.lexsort((u, g.dist_pairs(at[u], h))).tolist()]
