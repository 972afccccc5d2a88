"""Candidate plans: a whole side's orders for the day, built from a :class:`Situation` by
rules of thumb and parameterised by a few *knobs* (how bold the assaults, how many drone
sorties stay on patrol, where the glide bombs go...). The commander builds several plans with
different knobs and, at the normal and hard levels, lets the Monte Carlo engine pick one.

Every plan is checked with the engine's own ``validate`` before it leaves the AI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from pokrovsk_tui.rules import legal
from pokrovsk_tui.rules.belief import (
    assumed_entrenchment,
    combine_jamming,
    crt_column_at,
    crt_probs,
    detect_probability,
    die_modifier,
    going_chance,
    hit_probability,
    loss_means_one,
    own_effort,
    position_factor,
    unit_attack_power,
)
from pokrovsk_tui.rules.legal import MAX_PATH
from pokrovsk_tui.rules.orders import Order, validate
from pokrovsk_tui.rules.params import TERRAINS, WEATHERS

from .situation import R_ART, R_ASLT, R_DRONE, R_EW, R_HQ, R_INF, R_UGV, Situation

R, E, D, X = range(4)
URBAN = TERRAINS.index("urban")


@dataclass(frozen=True)
class Features:
    """What the planner takes into account (the levels differ here; see levels.py)."""

    hidden_odds: bool = True       # unseen defenders may stand on a hex that looks empty
    guards: bool = True            # keep units on the ground whose loss ends the game
    recon_hunt: bool = True        # recon before strikes; hunt enemy drone/EW teams
    supply_lines: bool = True      # own supply corridors to keep, the enemy's to cut


SIMPLE = Features(hidden_odds=False, guards=False, recon_hunt=False, supply_lines=False)


@dataclass(frozen=True)
class Knobs:
    """What distinguishes one candidate plan from another."""

    name: str = "balanced"
    min_ratio: float = 0.5          # attack ratio (A/D) below which a defended hex is not assaulted
    probe: float = 0.5              # walk into a hex that looks empty if P(hidden defender) < probe
    ev_bias: float = 0.0            # VP an assault must be expected to earn beyond its cost
    patrol_share: float = 0.45      # share of each drone unit's sorties kept on patrol
    interdict: bool = True          # put fire control on the enemy's roads (RU: the road objective)
    bomb_strip: bool = True         # glide bombs concentrated where an assault goes in
    recon: bool = True              # recon the hexes we strike or assault before the fires land
    reserves_move: bool = True      # reserves walk to the threatened hexes
    rest_cohesion: float = 45.0     # below this cohesion a unit out of contact rests
    max_move_loss: float = 0.04     # a unit moves only if the kill zone on its way costs less
    focus: int = -1                 # sector index to weight (hard level's sector variants)
    focus_weight: float = 1.0


@dataclass
class Plan:
    knobs: Knobs
    orders: list[Order]
    notes: dict[str, list[str]] = field(default_factory=dict)
    assaults: list[tuple[int, list[int], str, float, float]] = field(default_factory=list)  # hex, units, kind, P(take), ev

    def note(self, key: str, text: str) -> None:
        self.notes.setdefault(key, []).append(text)


@dataclass(frozen=True)
class Weights:
    """How the planner prices things, in VP-like units."""

    kill: float = 0.22              # per enemy strength point destroyed
    loss: float = 0.22              # per own strength point lost
    entrench: float = 1.2           # per level of entrenchment given up by advancing
    exposure: float = 0.02          # per point of enemy strength able to hit a hex we advance into
    doctrine: tuple[float, float] = (1.3, 0.6)   # own losses priced x this (UA, RU): Russia spends men
    trenches: tuple[float, float] = (1.0, 0.25)  # entrenchment priced x this: the defender lives in his

    def for_side(self, side: int) -> Weights:
        return replace(self, loss=self.loss * self.doctrine[side], entrench=self.entrench * self.trenches[side])


# ----------------------------------------------------------------- combat arithmetic

def going(world, weather: int) -> float:
    """Doctrine: ground taken across snow or mud is worth less to the commander (the units
    arrive spent and strung out and cannot consolidate before the next counter-attack):
    1 / (off-road MP multiplier)^2, so 1 in frost or fog."""
    if not world.scenario.ai.weather_doctrine:          # switched off for a what-if question
        return 1.0
    return 1.0 / world.params.weather[WEATHERS[weather]].offroad_mp_mult ** 2


def attack_power(sit: Situation, units) -> float:
    ap = sit.extra.get("ap")
    if ap is None:
        v = sit.view
        ap = np.where(v.own, unit_attack_power(sit.world, v.strength, v.cohesion, v.supply), 0.0)
        sit.extra["ap"] = ap
    return float(sum(ap[u] for u in units))


def _assumed_entrench(sit: Situation, h: int) -> int:
    """What entrenchment the planner expects enemy defenders to have on a hex (the previews'
    assumption, rules/belief.py)."""
    return assumed_entrenchment(sit.world, sit.enemy, h)


def _memo(sit: Situation, table: str, key, compute):
    """``compute()`` once per situation and key (the situation is one side's one day)."""
    cache = sit.extra.setdefault(table, {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def defence_known(sit: Situation, h: int) -> tuple[float, float]:
    """(defence power, strength) of the enemy combat units seen on the hex (recent sightings)."""
    return _memo(sit, "def_known", h, lambda: _defence_known(sit, h))


def _defence_known(sit: Situation, h: int) -> tuple[float, float]:
    w, p = sit.world, sit.world.params
    sel = (sit.c_hex == h) & (sit.c_age <= 1)
    if not sel.any():
        return 0.0, 0.0
    e = _assumed_entrench(sit, h)
    u = sit.c_unit[sel]
    s = sit.c_str[sel] * np.where(sit.c_age[sel] == 0, 1.0, 0.8)
    dp = s * w.t_defence[w.u_type[u]] * position_factor(p, w, h, e)
    return float(dp.sum()), float(s.sum())


def _hidden_defence(sit: Situation, h: int) -> tuple[float, float]:
    """(defence, strength) of one typical unseen enemy combat unit on the hex."""
    return _memo(sit, "hidden_def", h, lambda: _hidden_defence1(sit, h))


def _hidden_defence1(sit: Situation, h: int) -> tuple[float, float]:
    w, p = sit.world, sit.world.params
    est = sit.unseen
    if est.slot < 0:
        return 0.0, 0.0
    s = est.strength
    d = s * est.defence_type * position_factor(p, w, h, _assumed_entrench(sit, h))
    return d, s


def _loss_means(sit: Situation, s_att, s_def, a, d, infil, blind: bool = False) -> tuple[float, float]:
    return loss_means_one(sit.world.params, sit.weather, s_att, s_def, a, d, infil, blind)


def assault_outlook(sit: Situation, units: list[int], h: int, kind: str, hidden: bool = True) -> dict:
    """Expected outcome of an attack from the side's knowledge: P(R, E, D, X), losses."""
    return _memo(sit, "outlook", (h, tuple(units), kind, hidden),
                 lambda: _assault_outlook(sit, units, h, kind, hidden))


def _assault_outlook(sit: Situation, units: list[int], h: int, kind: str, hidden: bool) -> dict:
    w = sit.world
    p = w.params
    a = attack_power(sit, units)
    s_att = float(sit.view.strength[units].sum())
    d0, s0 = defence_known(sit, h)
    infil = kind == "infiltrate"
    mod = die_modifier(p, sit.weather, infil)
    cases = []
    ph = float(sit.p_hidden_defender[h]) if (hidden and d0 == 0) else 0.0
    if d0 > 0:
        cases.append((1.0, d0, s0, False))
    else:                                        # a defender there would be one not seen: blind
        cases.append((1.0 - ph, 0.0, 0.0, False))
        if ph > 0:
            dh, sh = _hidden_defence(sit, h)
            cases.append((ph, dh, sh, True))
    probs = np.zeros(4)
    la = ld = 0.0
    for wgt, d, s, blind in cases:
        if wgt <= 0:
            continue
        if d <= 0:
            probs[D] += wgt
            continue
        col = crt_column_at(p, a / d)
        probs += wgt * crt_probs(p, col, mod + (p.blind_assault_mod if blind else 0))
        m_a, m_d = _loss_means(sit, s_att, s, a, d, infil, blind)
        la += wgt * m_a
        ld += wgt * m_d
    ratio = a / d0 if d0 > 0 else float("inf")
    return {"p": probs, "att_loss": la, "def_loss": ld, "ratio": ratio, "def_str": s0,
            "p_hidden": ph, "attack": a, "p_go": going_chance(p, w, sit.weather, h)}


# ----------------------------------------------------------------- paths

def goal_field(sit: Situation, goals: np.ndarray, bonus: np.ndarray, avoid_enemy: bool = True
               ) -> tuple[np.ndarray, np.ndarray]:
    """Cost-to-go toward the goal hexes (each with a head start ``bonus``) and the next hop.

    Entering a hex costs its MP (weather-scaled off road) plus a kill-zone price, so paths keep
    out of the enemy's drone coverage where they can."""
    w = sit.world
    n = sit.n
    p = w.params
    mult = p.weather[WEATHERS[sit.weather]].offroad_mp_mult
    # the kill zone priced in MP: a hex that costs 5% of a moving unit's strength ~ 2 MP
    sig = float(np.mean(w.t_signature[w.u_type[sit.own_combat]])) if sit.own_combat.size else 0.5
    frac = 1.0 - np.exp(-p.killzone_coeff * sit.fc_est * sig * p.moving_signature)
    enter = w.move_cost * np.where(w.offroad, mult, 1.0) + 40.0 * frac
    ok = w.passable.copy()
    if avoid_enemy:
        # moves stay on our own or contested ground: ground is taken by attacks, not by walks
        ok &= sit.control != sit.enemy
        ok &= ~((sit.enemy_known > 0) & sit.not_mine)
    enter = np.where(ok, enter, np.inf)
    src, dst = sit.st.edges
    # reversed graph: from b back to a with the cost of entering b
    wts = enter[src]
    keep = np.isfinite(wts)
    top = float(bonus.max()) if bonus.size else 0.0
    rows = np.concatenate([dst[keep], np.full(goals.size, n)])
    cols = np.concatenate([src[keep], goals])
    data = np.concatenate([wts[keep], top - bonus + 1e-3])
    g = csr_matrix((data, (rows, cols)), shape=(n + 1, n + 1))
    dist, pred = dijkstra(g, directed=True, indices=n, return_predecessors=True)
    return dist[:n], pred[:n]


def walk(sit: Situation, u: int, pred: np.ndarray, stop: np.ndarray | None = None) -> list[int]:
    """Hexes a unit walks today along the next hops, within its MP (frost costs, as validated)."""
    w = sit.world
    here = int(sit.view.hex[u])
    mp = float(w.t_mp[w.u_type[u]])
    path: list[int] = []
    spent = 0.0
    cur = here
    for _ in range(MAX_PATH):
        nxt = int(pred[cur])
        if nxt < 0 or nxt >= sit.n or nxt in path or nxt == here:
            break
        c = float(w.move_cost[nxt])
        if spent + c > mp + 1e-9:
            break
        path.append(nxt)
        spent += c
        cur = nxt
        if stop is not None and stop[cur]:
            break
    return path


# ----------------------------------------------------------------- the planner

class Planner:
    """Builds one plan from a situation and knobs."""

    def __init__(self, sit: Situation, knobs: Knobs, weights: Weights | None = None, features: Features = Features()):
        self.sit = sit
        self.k = knobs
        self.wt = (weights or Weights()).for_side(sit.side)
        self.f = features
        self.plan = Plan(knobs=knobs, orders=[])
        self.ground: dict[int, Order] = {}
        self.assault_hexes: dict[int, float] = {}     # hex -> expected value of today's assault there
        self._tv: dict = {}
        self.guard_raid: dict[int, set[int]] = {}     # guards: unit -> the hexes it guards

    # ---- helpers
    def uid(self, u: int) -> str:
        return self.sit.world.unit_ids[int(u)]

    def hid(self, h: int) -> str:
        return self.sit.grid.hex_id(int(h))

    def set_ground(self, u: int, kind: str, target: int | None = None, path: list[int] | None = None) -> None:
        if kind == "move":
            self.ground[int(u)] = Order(kind="move", unit=self.uid(u), path=tuple(self.sit.grid.ids(path)))
        elif target is not None:
            self.ground[int(u)] = Order(kind=kind, unit=self.uid(u), target=self.hid(target))
        else:
            self.ground[int(u)] = Order(kind=kind, unit=self.uid(u))

    # ---- main
    def build(self) -> Plan:
        if self.f.guards:
            self._guards()
        self._attacks()
        self._ground_rest()
        fires = self._fires()
        logi = self._ugv()
        orders = list(self.ground.values()) + fires + logi
        ok, bad = validate(self.sit.view.context(), orders)
        self.plan.orders = ok
        if bad:
            self.plan.note("refused", f"{len(bad)} orders refused by validation: {bad[0]}")
        return self.plan

    # ---- assaults, infiltrations, raids
    def _unit_ready(self, u: int) -> bool:
        v, w = self.sit.view, self.sit.world
        return (v.cohesion[u] >= 35 and v.strength[u] >= 0.3 * w.u_full[u] and v.supply[u] >= 12)

    def _attack_table(self) -> dict[int, list[tuple]]:
        """Every attack open to us today: per target hex, (value before the plan's bias, group,
        kind, outlook, known defence). The same for every plan of a day (cached)."""
        sit, w = self.sit, self.sit.world
        key = ("attack_table", self.k.focus, self.f.hidden_odds)
        if key in sit.extra:
            return sit.extra[key]
        v = sit.view
        nb = sit.st.neighbours
        hv = sit.hex_value
        if self.k.focus >= 0:
            hv = hv * self._focus_mult()
        units = [int(u) for u in sit.own_combat if self._unit_ready(int(u)) and int(u) not in self.ground]
        cand: dict[int, list[int]] = {}
        for u in units:
            ok = legal.legal_targets(v, u, "assault")
            for t in nb[v.hex[u]]:
                if t >= 0 and ok[t]:
                    if u in self.guard_raid and t not in self.guard_raid[u] and not w.t_can_raid[w.u_type[u]]:
                        continue
                    cand.setdefault(int(t), []).append(u)
        ctrl = sit.control
        wk, wl = self.wt.kill, self.wt.loss
        going_x = going(w, sit.weather)
        infil_ok = w.t_can_infiltrate
        raid_ok = w.t_can_raid
        table: dict[int, list[tuple]] = {}
        for t, us in sorted(cand.items()):
            us = sorted(us, key=lambda u: (-attack_power(sit, [u]), u))
            c_before = 1.0 if ctrl[t] == sit.side else 0.0 if ctrl[t] == 2 else -1.0
            known_def, _ = defence_known(sit, t)
            opts = []
            for kmax in range(1, min(len(us), 4) + 1):
                grp = us[:kmax]
                kinds = ["assault"]
                if ctrl[t] != sit.side and all(infil_ok[w.u_type[u]] for u in grp):
                    kinds = ["infiltrate"]
                if ctrl[t] != sit.side and known_def > 0 and all(raid_ok[w.u_type[u]] for u in grp):
                    kinds.append("raid")
                if any(u in self.guard_raid and t not in self.guard_raid[u] for u in grp):
                    kinds = [k for k in kinds if k == "raid"]
                for kind in kinds:
                    o = assault_outlook(sit, grp, t, kind, hidden=self.f.hidden_odds)
                    pr = o["p"]
                    if kind == "raid":
                        gain = 0.0
                        extra = (pr[D] * w.params.raid_d_loss + pr[X] * w.params.rout_loss) * o["def_str"]
                    else:
                        gain = (hv[t] * (pr[E] * (0.0 - c_before) + (pr[D] + pr[X]) * (1.0 - c_before)) * going_x
                                * o["p_go"])
                        gain = max(gain, 0.0)
                        extra = pr[X] * w.params.rout_loss * o["def_str"]
                    kills = (o["def_loss"] + extra) * wk
                    cost = o["att_loss"] * wl
                    adv = 0.0 if kind == "raid" else (pr[E] + pr[D] + pr[X])
                    ent = sum(float(v.entrench[u]) for u in grp) * self.wt.entrench * adv
                    expo = adv * self.wt.exposure * float(sit.threat[t]) * len(grp) * (0.25 if sit.side == 1 else 1.0)
                    ev = gain + kills - cost - ent - expo - 0.3 * kmax
                    opts.append((ev, grp, kind, o, known_def))
            table[t] = opts
        sit.extra[key] = table
        return table

    def _attacks(self) -> None:
        sit = self.sit
        used: set[int] = set()
        picks = []
        for t, opts in self._attack_table().items():
            best = None
            for ev, grp, kind, o, known_def in opts:
                if known_def > 0 and o["ratio"] < self.k.min_ratio:
                    continue
                if known_def == 0 and o["p_hidden"] > self.k.probe:
                    continue
                ev = ev - self.k.ev_bias
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
            on = [int(u) for u in sit.own_combat if int(v.hex[u]) in set(int(h) for h in hexes)]
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
                risk = 1.0 - float(np.prod(1.0 - sit.move_loss(u)[path])) if path else 0.0
                if path and risk <= 3 * self._max_loss():
                    self.set_ground(u, "move", path=path)
                    sent.append(u)
            if sent:
                self.plan.note("ground", f"{', '.join(self.uid(u) for u in sent)} to guard {name.lower()} "
                                         f"({', '.join(self.hid(h) for h in hexes)})")

    # ---- everyone else on the ground: move up, man the line, dig, rest
    def _ground_rest(self) -> None:
        sit, w = self.sit, self.sit.world
        v = sit.view
        free = [int(u) for u in sit.own if int(u) not in self.ground]
        roles = w.u_role
        combat = [u for u in free if roles[u] in (R_INF, R_ASLT)]
        support = [u for u in free if roles[u] not in (R_INF, R_ASLT)]
        near_enemy = sit.d_front <= 1
        movers: list[int] = []
        for u in combat:
            h = int(v.hex[u])
            tired = v.cohesion[u] < self.k.rest_cohesion or v.strength[u] < 0.3 * w.u_full[u]
            if near_enemy[h] or sit.threat[h] > 1.0:
                if v.entrench[u] < w.params.max_entrenchment:
                    self.set_ground(u, "dig_in")
                else:
                    self.set_ground(u, "rest")
                continue
            if u in self.guard_raid:
                self.set_ground(u, "dig_in" if v.entrench[u] < w.params.max_entrenchment else "rest")
                continue
            if tired and not (sit.side == 1 and self.k.reserves_move and v.cohesion[u] > 30):
                self.set_ground(u, "rest")
                continue
            movers.append(u)
        if movers and self.k.reserves_move:
            self._move_up(movers)
        else:
            for u in movers:
                self.set_ground(u, "dig_in" if v.entrench[u] < 3 else "rest")
        for u in support:
            self._support_ground(u)
        # the key ground held today, for the intent
        held: dict[int, list[int]] = {}
        for u in sit.own_combat:
            o = self.ground.get(int(u))
            if o is not None and o.kind in ("dig_in", "rest", "hold"):
                held.setdefault(int(v.hex[u]), []).append(int(u))
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

    def _move_up(self, movers: list[int]) -> None:
        sit = self.sit
        v = sit.view
        key = ("needs", self.k.focus)
        if key not in sit.extra:
            sit.extra[key] = self._needs()
        goals, attr = sit.extra[key]
        if goals.size == 0:
            for u in movers:
                self.set_ground(u, "dig_in" if v.entrench[u] < 3 else "rest")
            return
        keep = attr > 0.05 * max(float(attr.max()), 1e-9)
        goals, attr = goals[keep], attr[keep]
        scale = 3.0 / max(float(attr.max()), 1e-9)          # a top goal is worth ~3 MP of detour
        key = ("move_field", self.k.focus)
        if key not in sit.extra:
            sit.extra[key] = goal_field(sit, goals, attr * scale)
        dist, pred = sit.extra[key]
        stop = np.zeros(sit.n, bool)
        stop[goals] = True
        moved = 0
        names: list[str] = []
        for u in sorted(movers):
            h = int(v.hex[u])
            if stop[h] or not np.isfinite(dist[h]):
                self.set_ground(u, "dig_in" if v.entrench[u] < 3 else "rest")
                continue
            path = walk(sit, u, pred, stop)
            risk = 1.0 - float(np.prod(1.0 - sit.move_loss(u)[path])) if path else 0.0
            if not path or risk > self._max_loss():
                self.set_ground(u, "dig_in" if v.entrench[u] < 3 else "rest")
                continue
            self.set_ground(u, "move", path=path)
            moved += 1
            names.append(self.uid(u))
        if moved:
            top = goals[np.argsort(-attr)[:2]]
            who = ", ".join(names[:3]) + (f" and {moved - 3} more" if moved > 3 else "")
            self.plan.note("ground", f"{who} move up toward {', '.join(sit.label(h) for h in top)}")

    def _support_ground(self, u: int) -> None:
        sit, w = self.sit, self.sit.world
        v = sit.view
        h = int(v.hex[u])
        r = w.u_role[u]
        if r in (R_DRONE, R_ART, R_HQ, R_EW, R_UGV) and sit.d_front[h] <= 1 and sit.threat[h] > 20 and w.t_mp[w.u_type[u]] > 0:
            # too close to the enemy: step back
            back = np.flatnonzero(sit.mine & (sit.d_front >= 3))
            if back.size:
                if "retreat_field" not in sit.extra:
                    sit.extra["retreat_field"] = goal_field(sit, back, np.zeros(back.size))
                dist, pred = sit.extra["retreat_field"]
                path = walk(sit, u, pred)
                if path:
                    self.set_ground(u, "move", path=path)
                    return
        if r == R_EW:
            self.set_ground(u, "dig_in" if v.entrench[u] < 3 else "jam")
        else:
            self.set_ground(u, "dig_in" if v.entrench[u] < 3 else "rest")

    # ---- fires: drones, artillery, glide bombs
    def _targets(self) -> list[dict]:
        """Enemy hexes worth shooting at, with their estimated content."""
        sit, w = self.sit, self.sit.world
        out = []
        hexes = sorted(set(int(h) for h in sit.c_hex[sit.c_age <= 1]))
        for h in hexes:
            sel = (sit.c_hex == h) & (sit.c_age <= 1)
            roles = sit.c_role[sel]
            strength = sit.c_str[sel] * np.where(sit.c_age[sel] == 0, 1.0, 0.6)
            units = sit.c_unit[sel]
            out.append({"hex": h, "units": units, "roles": roles, "str": strength, "seen": bool((sit.c_age[sel] == 0).any()),
                        "sig": w.t_signature[w.u_type[units]]})
        # hexes we assault today with nobody seen there: suspected defenders
        for h in self.assault_hexes:
            if h not in hexes and sit.p_hidden_defender[h] > 0.15:
                _, s = _hidden_defence(sit, h)
                out.append({"hex": h, "units": np.zeros(0, np.int64), "roles": np.array([R_INF if sit.enemy == 0 else R_ASLT]),
                            "str": np.array([s * float(sit.p_hidden_defender[h])]), "seen": False,
                            "sig": np.array([0.4])})
        return out

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
        roles = t["roles"]
        mult = 1.0
        if np.isin(roles, (R_DRONE, R_ART, R_HQ, R_EW)).any():
            mult = 1.6
        if h in self.assault_hexes:
            mult *= 1.5
        if sit.side == 0 and sit.hex_value[h] > 2:
            mult *= 1.3
        if sit.side == 1:
            # strikes on defenders that hold the line in front of our assaults
            mult *= 1.0 + min(float(sit.hex_value[h]) / 20.0, 0.8)
        return self.wt.kill * mult

    def _p_detect(self, t: dict, recon: float, base_effort: float) -> float:
        sit, w = self.sit, self.sit.world
        p = w.params
        h = t["hex"]
        e = _assumed_entrench(sit, h)
        sig = np.asarray(t["sig"]) * p.dug_in_signature ** max(e - 1, 0)
        q = detect_probability(p, base_effort + recon, sig, w.concealment[h], sit.visibility)
        return float(1.0 - np.prod(1.0 - q)) if sig.size else 0.0

    def _effort(self) -> np.ndarray:
        """(n,) our own observation effort (units where they stand, part of the drones on
        patrol), from the engine's detection functions (rules/belief.own_effort)."""
        sit = self.sit
        key = ("effort", self.k.patrol_share)
        if key not in sit.extra:
            sit.extra[key] = own_effort(sit.view, self.k.patrol_share, float(sit.visibility))
        return sit.extra[key]

    def _jam_est(self, h: int) -> float:
        """Jamming expected over a hex: the enemy EW seen lately that covers it, combined as the
        rules combine posts, else a guess of unseen EW near our lines."""
        sit, w = self.sit, self.sit.world
        ew = (sit.c_role == R_EW) & (sit.c_age <= 2)
        if ew.any():
            t = w.u_type[sit.c_unit[ew]]
            cover = sit.grid.distance[h, sit.c_hex[ew]] <= w.t_ew_radius[t]
            if cover.any():
                return combine_jamming(w.t_ew_strength[t][cover])
        return 0.1 if sit.d_own[h] <= 3 else 0.0

    def _fires(self) -> list[Order]:
        sit, w = self.sit, self.sit.world
        p = w.params
        g = sit.grid
        v = sit.view
        out: list[Order] = []
        targets = self._targets()
        eff = self._effort()
        vis = sit.visibility
        drones = [int(u) for u in sit.own if w.u_role[u] == R_DRONE]
        left = {u: legal.budget_total(v, u, "strike") for u in drones}
        reach = {u: legal.legal_targets(v, u, "strike") for u in drones}     # strike and hunt alike
        keep = {u: int(round(left[u] * self.k.patrol_share)) for u in drones}
        spend = {u: left[u] - keep[u] for u in drones}
        recon_on: dict[int, int] = {}
        notes_f = []

        # interdiction of the road objective (the attacker) or of enemy supply roads
        if self.k.interdict:
            notes_f += self._interdict(drones, spend, out)

        # recon before strike: the hexes we mean to hit or take today
        if self.k.recon and self.f.recon_hunt and ("ua", "ru")[sit.side] not in w.scenario.ai.no_recon:
            for t in sorted(targets, key=lambda t: -self._target_value(t) * float(np.sum(t["str"])))[:6]:
                h = t["hex"]
                q0 = self._p_detect(t, 0.0, eff[h])
                if q0 > 0.75:
                    continue
                for u in sorted(drones, key=lambda u: int(g.distance[v.hex[u], h])):
                    if spend[u] >= 2 and legal.target_refusal(v, u, "recon", h) is None:
                        out.append(Order(kind="recon", unit=self.uid(u), target=self.hid(h), count=2))
                        spend[u] -= 2
                        recon_on[h] = recon_on.get(h, 0) + 2
                        break
        # strike / hunt: greedy by marginal value per sortie
        q = {t["hex"]: self._p_detect(t, recon_on.get(t["hex"], 0) * (1 - p.recon_neighbour_share), eff[t["hex"]])
             for t in targets}
        dealt: dict[int, float] = {}
        alloc: dict[tuple[int, int, str], int] = {}
        # per target: what a sortie can do there (before the unit's own kind, link and range)
        prep = []
        for t in targets:
            h = t["hex"]
            support = np.isin(t["roles"], (R_DRONE, R_EW, R_UGV))
            kind = "hunt" if support.any() and self.f.recon_hunt else "strike"
            pool = float(np.sum(t["str"][support])) if kind == "hunt" else float(np.sum(t["str"]))
            qq = q[h] if t["seen"] else q[h] * float(sit.p_hidden_defender[h])
            e = _assumed_entrench(sit, h)
            f = hit_probability(p, 1.0, qq, 0.0, vis) * (1 - p.entrench_damage_reduction * e)
            if not t["seen"]:
                f *= float(sit.p_hidden_defender[h])
            prep.append((h, kind, pool, f, self._jam_est(h), self._target_value(t) * (1.6 if kind == "hunt" else 1.0)))
        for u in sorted(drones, key=lambda u: (-spend[u], u)):
            ut = w.u_type[u]
            fpv = bool(w.t_fpv[ut])
            base = p.fpv_base_p if fpv else p.bomber_base_p
            dmg = p.fpv_damage if fpv else p.bomber_damage
            radio = bool(w.t_radio[ut])
            inr = [x for x in prep if reach[u][x[0]]]
            while spend[u] > 0 and inr:
                best = None
                for h, kind, pool, f, jam, tv in inr:
                    room = pool * 0.5 - dealt.get(h, 0.0)
                    if room <= 0:
                        continue
                    exp_dmg = base * dmg * f * (1 - (jam if radio else 0.0))
                    val = min(exp_dmg, room) * tv
                    if best is None or val > best[0]:
                        best = (val, h, kind, exp_dmg)
                if best is None or best[0] < 0.02:
                    break
                _, h, kind, exp_dmg = best
                n = min(2, spend[u])
                alloc[(u, h, kind)] = alloc.get((u, h, kind), 0) + n
                dealt[h] = dealt.get(h, 0.0) + exp_dmg * n
                spend[u] -= n
        for (u, h, kind), n in sorted(alloc.items()):
            out.append(Order(kind=kind, unit=self.uid(u), target=self.hid(h), count=int(n)))
        if alloc:
            by_hex: dict[int, int] = {}
            for (_u, h, _k), n in alloc.items():
                by_hex[h] = by_hex.get(h, 0) + n
            top = sorted(by_hex.items(), key=lambda x: -x[1])[:3]
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
        for t in notes_f:
            self.plan.note("fires", t)
        return out

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
                # the hex on the road nearest our drones, preferring one deep on the enemy's supply line
                best = None
                for h in hexes:
                    reach = [u for u in drones if spend[u] > 0 and legal.target_refusal(v, u, "interdict", h) is None]
                    if not reach:
                        continue
                    need = max(thr * 1.3 - float(prev[list(hexes).index(h)]), 0.0)
                    n_need = int(math.ceil(need / vis))
                    key = (n_need, -float(sit.st.world.grid.distance[h, sit.own_edge].min()) if sit.own_edge.size else 0)
                    if best is None or key < best[0]:
                        best = (key, h, reach, n_need)
                if best is None:
                    continue
                _, h, reach, n_need = best
                if n_need == 0 or n_need > 14:
                    continue
                got = 0
                for u in sorted(reach, key=lambda u: -spend[u]):
                    n = min(spend[u], n_need - got)
                    if n > 0:
                        out.append(Order(kind="interdict", unit=self.uid(u), target=self.hid(h), count=int(n)))
                        spend[u] -= n
                        got += n
                    if got >= n_need:
                        break
                if got:
                    notes.append(f"interdicting {name} at {sit.label(h)} with {got} sorties to hold fire "
                                 f"control (F >= {thr:g} scores {vp:g} VP a day)")
        else:
            # Ukraine: a few sorties on the enemy's road hexes nearest the front, to tax his supply
            roads = np.flatnonzero(w.road & (sit.control == 1) & (sit.d_own >= 1) & (sit.d_own <= 4))
            if roads.size:
                flow = sit.enemy_est[roads] + 1e-3
                pick = roads[np.argsort(-flow)[:1]]
                for h in pick:
                    for u in sorted(drones, key=lambda u: -spend[u]):
                        if spend[u] >= 2 and legal.target_refusal(v, u, "interdict", h) is None:
                            out.append(Order(kind="interdict", unit=self.uid(u), target=self.hid(h), count=2))
                            spend[u] -= 2
                            notes.append(f"interdicting the enemy's road at {sit.label(h)} to tax his supply")
                            break
        return notes

    def _artillery(self, targets: list[dict], q: dict[int, float]) -> list[Order]:
        sit, w = self.sit, self.sit.world
        p = w.params
        v = sit.view
        out = []
        guns = [int(u) for u in sit.own if w.u_role[u] == R_ART]
        hits = []
        for u in guns:
            n = legal.budget_total(v, u, "fire")
            if n <= 0:
                continue
            inr = legal.legal_targets(v, u, "fire")
            best = None
            for t in targets:
                h = t["hex"]
                if not inr[h]:
                    continue
                qq = q.get(h, 0.3)
                val = hit_probability(p, 1.0, qq, 0.0, 1.0) * float(np.sum(t["str"])) * self._target_value(t)
                if h in self.assault_hexes:
                    val *= 1.5
                if best is None or val > best[0]:
                    best = (val, h)
            if best is None:
                # nobody seen in range: the likeliest enemy hex
                est = np.where(inr & sit.not_mine, sit.enemy_est, 0.0)
                if est.max() <= 0:
                    continue
                best = (0.0, int(np.argmax(est)))
            out.append(Order(kind="fire", unit=self.uid(u), target=self.hid(best[1]), count=int(n)))
            hits.append(best[1])
        if hits:
            self.plan.note("fires", f"artillery on {', '.join(sorted(set(sit.label(h) for h in hits)))}")
        return out

    def _bombs(self, targets: list[dict], q: dict[int, float]) -> list[Order]:
        sit, w = self.sit, self.sit.world
        p = w.params
        n = legal.budget_total(sit.view, None, "bomb")
        if n <= 0:
            return []
        aim = legal.legal_targets(sit.view, None, "bomb")
        scored = []
        for t in targets:
            h = t["hex"]
            if not aim[h]:
                continue
            qq = q.get(h, 0.3)
            per = p.glide_damage * (p.glide_urban_mult if w.terrain[h] == URBAN else 1.0)
            e = _assumed_entrench(sit, h)
            exp = hit_probability(p, p.glide_base_p, qq, 0.0, 1.0) * per * (1 - p.entrench_damage_reduction * e)
            val = exp * self._target_value(t) * min(float(np.sum(t["str"])) / 30.0, 1.5)
            if self.k.bomb_strip and h in self.assault_hexes and e > 0:
                val *= 2.0
            scored.append((val, h, float(np.sum(t["str"]))))
        if not scored:
            cand = np.flatnonzero(sit.not_mine & (sit.d_own <= 2))
            if cand.size == 0:
                return []
            est = sit.enemy_est[cand]
            order = np.argsort(-est)[:3]
            scored = [(float(est[i]), int(cand[i]), float(est[i])) for i in order]
        scored.sort(key=lambda x: (-x[0], x[1]))
        out = []
        left = n
        per_hex = 4 if self.k.bomb_strip else 3
        while left > 0 and scored:
            for _val, h, _s in list(scored):
                k = min(per_hex, left)
                if k <= 0:
                    break
                out.append(Order(kind="bomb", target=self.hid(h), count=int(k)))
                left -= k
            per_hex = max(1, per_hex // 2)
        merged: dict[str, int] = {}
        for o in out:
            merged[o.target] = merged.get(o.target, 0) + o.count
        out = [Order(kind="bomb", target=h, count=c) for h, c in merged.items()]
        top = sorted(merged.items(), key=lambda x: -x[1])[:3]
        self.plan.note("fires", "glide bombs on " + ", ".join(f"{sit.label(sit.grid.index(h))} x{c}" for h, c in top)
                       + (" to strip the defences before the assault" if self.k.bomb_strip and any(
                           sit.grid.index(h) in self.assault_hexes for h, _ in top) else ""))
        return out

    # ---- logistics: ground robots to the hungriest units
    def _ugv(self) -> list[Order]:
        sit, w = self.sit, self.sit.world
        v = sit.view
        robots = [int(u) for u in sit.own if w.u_role[u] == R_UGV]
        if not robots:
            return []
        p = w.params
        need = {int(u): max(0.0, 70.0 - float(v.supply[u])) for u in sit.own if w.u_role[u] != R_UGV}
        fighting = set(int(u) for a in self.plan.assaults for u in a[1])
        for u in need:
            if u in fighting:
                need[u] += p.fight_consumption
            if w.u_role[u] in (R_INF, R_ASLT):
                need[u] *= 1.3
        out = []
        sent: dict[int, int] = {}
        for r in robots:
            runs = int(w.t_runs[w.u_type[r]])
            for _ in range(runs):
                cand = [u for u in need if need[u] > 5 and legal.resupply_refusal(v, r, u) is None]
                if not cand:
                    break
                u = max(cand, key=lambda u: (need[u], -u))
                out.append(Order(kind="resupply", unit=self.uid(r), target_unit=self.uid(u), count=1))
                need[u] -= p.ugv_payload
                sent[u] = sent.get(u, 0) + 1
        merged: dict[tuple[str, str], int] = {}
        for o in out:
            merged[(o.unit, o.target_unit)] = merged.get((o.unit, o.target_unit), 0) + 1
        out = [Order(kind="resupply", unit=a, target_unit=b, count=c) for (a, b), c in merged.items()]
        if sent:
            worst = sorted(sent, key=lambda u: float(v.supply[u]))[:2]
            self.plan.note("logistics", f"{sum(sent.values())} robot runs; first to "
                           + ", ".join(f"{self.uid(u)} (supply {v.supply[u]:.0f})" for u in worst))
        return out


def make_plan(sit: Situation, knobs: Knobs, weights: Weights | None = None, features: Features = Features()) -> Plan:
    return Planner(sit, knobs, weights, features).build()


def variants(base: Knobs, names: list[str]) -> list[Knobs]:
    """Named knob settings derived from a base."""
    table = {
        "balanced": {},
        "cautious": {"min_ratio": 1.0, "probe": 0.25, "ev_bias": 1.0, "patrol_share": 0.6, "max_move_loss": 0.02},
        "bold": {"min_ratio": 0.0, "probe": 0.8, "ev_bias": -0.5, "patrol_share": 0.35, "max_move_loss": 0.10},
        "strike": {"patrol_share": 0.15},
        "patrol": {"patrol_share": 0.8},
        "hold": {"min_ratio": 9.0, "probe": 0.0, "ev_bias": 5.0, "reserves_move": False},
        "nobombstrip": {"bomb_strip": False},
        "dig": {"reserves_move": False},
    }
    return [replace(base, name=nm, **table[nm]) for nm in names]
