"""Reading one side's view into what a commander plans with: aims, values, threats.

Everything here is computed from a :class:`~pokrovsk_tui.rules.view.SideView` and the public
scenario data (map, roads, objectives, sudden-death conditions, supply sources, unit types and
the reinforcement schedule). Enemy unit positions come only from the view's contacts; the
enemy units the side has not seen are a *prior*: so much strength, spread over the ground the
enemy holds, thickest near the front. Nothing reads the true state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.sparse.csgraph import dijkstra

from pokrovsk_tui.rules.belief import (
    FRONT_SHARE,
    UnseenEstimate,
    forecast_weather,
    nearest_distance,
    touches,
    unseen_estimate,
)
from pokrovsk_tui.rules.estimates import (
    cover_estimate,
    expected_entrenchment,
    line_estimate,
    move_loss_estimate,
)
from pokrovsk_tui.rules.params import WEATHERS
from pokrovsk_tui.rules.supply_estimate import supply_hex_costs
from pokrovsk_tui.rules.view import SideView
from pokrovsk_tui.rules.world import World

from .static import Static, static

SIDE_NAMES = ("UA", "RU")
# how the commander prices ground (VP-like units), by side (UA, RU)
GROUND = {
    "base": (0.4, 0.0),        # any hex
    "shaping": (0.15, 0.16),    # share of a nearby objective's value (falls off over ~2.5 hexes)
    "own_lines": (0.3, 0.3),   # per own unit supplied through the hex (up to 6)
    "their_lines": (0.2, 0.05),  # per enemy key point supplied through the hex (up to 6)
}
R_INF, R_ASLT, R_DRONE, R_UGV, R_EW, R_ART, R_HQ = range(7)


# ----------------------------------------------------------------- the situation

@dataclass(eq=False)
class Situation:
    """One side's picture of the day, as arrays over hexes and its own unit slots."""

    view: SideView
    st: Static
    side: int
    enemy: int
    turn: int
    days_left: int              # days still to be played, today included
    weather: int                # today's weather: forecast if scripted, else the likeliest
    visibility: float
    own: np.ndarray             # own unit slots on the map
    # enemy contacts: unit slot, hex, estimated strength, role, age in days (0 = seen today)
    c_unit: np.ndarray
    c_hex: np.ndarray
    c_str: np.ndarray
    c_role: np.ndarray
    c_age: np.ndarray
    c_dug: np.ndarray           # how dug in each contact is taken to be (rules.belief.expected_entrenchment)
    extra: dict = field(default_factory=dict)

    # ---- basics
    @property
    def world(self) -> World:
        return self.view.world

    @property
    def grid(self):
        return self.view.world.grid

    @property
    def n(self) -> int:
        return self.view.world.grid.n

    @property
    def control(self) -> np.ndarray:
        return self.view.control

    def role(self, u) -> np.ndarray:
        return self.world.u_role[u]

    def label(self, h: int) -> str:
        return self.st.label(h)

    @cached_property
    def mine(self) -> np.ndarray:
        return self.control == self.side

    @cached_property
    def not_mine(self) -> np.ndarray:
        return (self.control != self.side) & self.world.passable

    # ---- own units
    @cached_property
    def own_str_hex(self) -> np.ndarray:
        v = self.view
        return np.bincount(v.hex[self.own], weights=v.strength[self.own], minlength=self.n)

    @cached_property
    def own_combat(self) -> np.ndarray:
        r = self.world.u_role[self.own]
        return self.own[(r == R_INF) | (r == R_ASLT)]

    @cached_property
    def own_combat_hex(self) -> np.ndarray:
        """(n,) own infantry / assault strength on each hex."""
        u = self.own_combat
        return np.bincount(self.view.hex[u], weights=self.view.strength[u], minlength=self.n)

    # ---- enemy, as known
    @cached_property
    def enemy_known(self) -> np.ndarray:
        """(n,) strength of enemy combat units the side knows of (recent sightings fade)."""
        combat = (self.c_role == R_INF) | (self.c_role == R_ASLT)
        w = np.where(self.c_age == 0, 1.0, 0.6 ** self.c_age) * combat
        return np.bincount(self.c_hex, weights=self.c_str * w, minlength=self.n)


    @cached_property
    def recent_by_hex(self) -> dict[int, np.ndarray]:
        """The contacts seen lately (age <= 1) hex by hex: their indices, in contact order
        (what a mask ``(c_hex == h) & (c_age <= 1)`` picks), for the hexes that have any."""
        recent = np.flatnonzero(self.c_age <= 1)
        if recent.size == 0:
            return {}
        recent = recent[np.argsort(self.c_hex[recent], kind="stable")]
        hexes, first = np.unique(self.c_hex[recent], return_index=True)
        return dict(zip(hexes.tolist(), np.split(recent, first[1:]), strict=True))

    @cached_property
    def enemy_any_known(self) -> np.ndarray:
        """(n,) strength of every enemy unit seen today, any role."""
        now = self.c_age == 0
        return np.bincount(self.c_hex[now], weights=self.c_str[now], minlength=self.n)

    # ---- geometry of the front
    @cached_property
    def border(self) -> np.ndarray:
        """Hexes not ours that touch our ground: where the enemy (or the grey zone) begins."""
        return np.flatnonzero(self.not_mine & touches(self.world, self.mine))

    @cached_property
    def own_edge(self) -> np.ndarray:
        """Our hexes that touch ground not ours."""
        return np.flatnonzero(self.mine & touches(self.world, self.not_mine))

    @cached_property
    def d_front(self) -> np.ndarray:
        """(n,) hexes from our hex to the nearest ground not ours (0 there)."""
        b = self.border
        if b.size == 0:
            return np.full(self.n, 99, np.int64)
        d = nearest_distance(self.world, b)
        return np.where(self.mine, d, 0)

    @cached_property
    def d_own(self) -> np.ndarray:
        """(n,) hexes from a hex not ours to our nearest ground (0 on ours): the unseen
        estimate's (rules/belief.py)."""
        return self.unseen.d_own

    # ---- the unseen enemy: the estimate the previews share (rules/belief.py)
    @cached_property
    def unseen(self) -> UnseenEstimate:
        return unseen_estimate(self.view)

    @cached_property
    def hidden(self) -> dict:
        """The enemy units not seen lately: slots, and a (n,) prior weight of where they are."""
        u = self.unseen
        return {"slots": u.slots, "near": u.near, "deep": u.deep}

    @cached_property
    def attrition(self) -> float:
        """Share of its strength an enemy unit not seen lately is assumed to keep."""
        return self.unseen.attrition

    @cached_property
    def enemy_hidden(self) -> np.ndarray:
        """(n,) expected strength of unseen enemy combat units on each hex."""
        w = self.world
        s = self.hidden["slots"]
        r = w.u_role[s]
        tot = float(w.u_full[s][(r == R_INF) | (r == R_ASLT)].sum()) * self.attrition * FRONT_SHARE
        return self.hidden["near"] * tot

    @cached_property
    def enemy_est(self) -> np.ndarray:
        """(n,) expected enemy combat strength per hex: what is seen plus the prior."""
        return self.enemy_known + self.enemy_hidden

    @cached_property
    def p_hidden_defender(self) -> np.ndarray:
        """(n,) chance an unseen enemy combat unit stands on each hex."""
        return self.unseen.p_defender

    @cached_property
    def threat(self) -> np.ndarray:
        """(n,) enemy combat strength that could assault each hex tomorrow (on or next to it)."""
        nb = self.st.neighbours
        e = self.enemy_est
        ok = nb >= 0
        return e + (e[np.maximum(nb, 0)] * ok).sum(axis=1)

    # ---- drones and supply
    @cached_property
    def fc_est(self) -> np.ndarray:
        """(n,) estimated enemy fire control (the drone kill zone) over each hex: the patrol
        field of the enemy drone units seen lately where they were seen, and of the others
        spread over the ground behind his front (half of their sorties assumed on patrol)."""
        w = self.world
        p = w.params
        es = np.flatnonzero((w.u_side == self.enemy) & w.role_is("drone") & (w.u_arrival <= self.turn - 1))
        if es.size == 0:
            return np.zeros(self.n)
        st = self.st
        seen = {u: h for u, h, a in zip(self.c_unit.tolist(), self.c_hex.tolist(), self.c_age.tolist(), strict=True)
                if a <= 2}
        per = p.patrol_coeff * self.visibility * 0.5
        field = np.zeros(self.n)
        unseen = 0.0
        types = w.u_type[es]
        for u, rng, sorties in zip(es.tolist(), w.t_range[types].tolist(), w.t_sorties[types].tolist(), strict=True):
            wgt = per * float(sorties)
            if u in seen:
                # its field covers the disk of its range (0 beyond: nothing to add there)
                hexes, shape = st.patrol_disk(seen[u], int(rng))
                field[hexes] += wgt * shape
            else:
                unseen += wgt
        if unseen > 0:
            # the unseen drones' field: the prior's weight on each hex times the field from it,
            # summed over the hexes (one convolution over the map, st.spread)
            field += unseen * st.spread(self.hidden["deep"])
        return field

    @cached_property
    def cover_est(self) -> np.ndarray:
        """(n,) the enemy's dug-in positions next to each hex, as far as we know (rules)."""
        return cover_estimate(self.view)

    @cached_property
    def line_est(self) -> np.ndarray:
        """(n,) bool: hexes covered by an enemy line we expect to hold (rules): from one such
        hex a unit cannot step or walk into another."""
        return line_estimate(self.view, self.cover_est)

    def move_loss(self, u: int) -> np.ndarray:
        """(n,) share of the unit's strength lost entering each hex: the estimated kill zone and
        the fire of the enemy positions we know of (rules/estimates.move_loss_estimate)."""
        w = self.world
        return move_loss_estimate(self.view, self.fc_est, self.cover_est, float(w.t_signature[w.u_type[u]]))

    def supply_cost(self, extra_blocked: np.ndarray | None = None, trucks: bool = True) -> np.ndarray:
        """(n,) our supply path cost from our sources, a cost field for planning: each hex at the
        rules' own price (rules/supply_estimate ``supply_hex_costs``: own and contested ground, the
        enemy's fire control as we estimate it, and for ``trucks`` the hexes they may not enter,
        under ``supply_block_fc`` or inside the truck standoff), summed without the rules' cap
        on a path's cost. What a unit actually receives is ``rollout.expected_delivery``
        (the rules' logistics); with ``trucks`` False this is the path on foot a 'cut supply'
        condition and isolation ask for."""
        w = self.world
        cost = supply_hex_costs(w, self.control, self.fc_est, self.side, trucks=trucks)
        if extra_blocked is not None:
            cost = np.where(extra_blocked, np.inf, cost)
        src, dst = self.st.edges
        wts = cost[dst]
        keep = np.isfinite(wts) & np.isfinite(cost[src])
        graph = self.st.graph(wts, keep)
        srcs = self.st.src[self.side]
        srcs = srcs[np.isfinite(cost[srcs])]
        if srcs.size == 0:
            return np.full(self.n, np.inf)
        return dijkstra(graph, directed=True, indices=srcs, min_only=True)     # one search from all

    @cached_property
    def supply(self) -> np.ndarray:
        """(n,) our supply path cost on foot (``supply_cost(trucks=False)``): finite where a
        unit would not be cut off (isolated), whatever the trucks can reach."""
        return self.supply_cost(trucks=False)

    def corridor(self, who: int, consumers: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """(n,) how much of ``who``'s supply (weighted consumers) would run through each hex on
        the paths it wants: the cheapest from its sources, its own and contested ground at
        the MP cost, ground the other side holds at three times that (it can be walked back
        into), hexes with the other side's units seen on them nearly closed."""
        w = self.world
        p = w.params
        other = 1 - who
        fc = self.fc_est if who == self.side else self.view.fire_control
        cost = w.move_cost * (1.0 + p.fire_control_cost * fc)
        cost = np.where(self.control == other, cost * 3.0 + 1.0, cost)
        blocked = (self.enemy_any_known > 0) if who == self.side else (self.own_str_hex > 0)
        cost = np.where(blocked & (self.control == other), cost + 20.0, cost)
        cost = np.where(w.passable, cost, np.inf)
        src, dst = self.st.edges
        wts = cost[dst]
        keep = np.isfinite(wts) & np.isfinite(cost[src])
        graph = self.st.graph(wts, keep)
        srcs = self.st.src[who]
        out = np.zeros(self.n)
        if srcs.size == 0 or consumers.size == 0:
            return out
        dist, pred, _ = dijkstra(graph, directed=True, indices=srcs, min_only=True, return_predecessors=True)
        consumers = np.asarray(consumers, np.int64)
        weights = np.asarray(weights, float)
        reach = np.isfinite(dist[consumers])
        at = consumers[reach]
        if at.size == 0:
            return out
        # every reachable consumer's path back to its source, all paths a step at a time; a
        # path that has ended stays on the extra hex n (where a source's predecessor leads)
        n = self.n
        up = np.append(np.where(pred >= 0, pred, n), n)
        steps = [at]
        while True:
            at = up[at]
            if at.min() == n:
                break
            steps.append(at)
        # consumer after consumer, each its path (as added one by one): np.add.at into zeros,
        # as one bincount, each hex's sum taken in the same order
        path = np.stack(steps, axis=1).ravel()
        wts = np.repeat(weights[reach], len(steps))
        on = path < n
        return np.bincount(path[on], weights=wts[on], minlength=n)

    @cached_property
    def corridors(self) -> tuple[np.ndarray, np.ndarray]:
        """(own, enemy) supply corridors: to our units and to what a 'cut supply' sudden death
        asks us to keep fed; the enemy's to the ground he must keep fed (his objectives, his
        'cut supply' hexes, the units we see)."""
        if self.extra.get("light"):
            return np.zeros(self.n), np.zeros(self.n)
        w = self.world
        own_h = list(self.view.hex[self.own])
        own_w = list(np.where(np.isin(w.u_role[self.own], (R_INF, R_ASLT)), 1.0, 0.5))
        keys: list[int] = []
        for s, kind, hexes, _d, _n in self.st.sd:
            if kind == "cut_supply":
                if s == self.enemy:      # we must keep these fed
                    own_h += [int(h) for h in hexes]
                    own_w += [6.0 / len(hexes)] * len(hexes)
                else:
                    keys += [int(h) for h in hexes]
        mine = self.corridor(self.side, np.asarray(own_h, np.int64), np.asarray(own_w))
        keys += [int(h) for h in np.flatnonzero(self.st.hold_rate > 0) if self.control[h] == self.enemy]
        keys += [int(h) for h in self.c_hex[self.c_age == 0]]
        key_hexes = np.array(sorted(set(keys)), np.int64)
        theirs = self.corridor(self.enemy, key_hexes, np.ones(key_hexes.size))
        return mine, theirs

    # ---- values
    @cached_property
    def talks_left(self) -> int:
        t = self.world.scenario.victory.talks_turn
        return 1 if t is not None and t >= self.turn else 0

    @cached_property
    def horizon(self) -> float:
        """Days a change of control is counted for (the rest of the game, at most a week)."""
        return float(min(self.days_left + self.talks_left, 7))

    @cached_property
    def sd_hexes(self) -> tuple[np.ndarray, np.ndarray]:
        """(n,) value of each hex to the side that wins by holding it (UA, RU)."""
        out = (np.zeros(self.n), np.zeros(self.n))
        for s, kind, hexes, _days, _name in self.st.sd:
            if kind == "control_all":
                out[s][hexes] += 40.0 / len(hexes)
            else:
                out[s][hexes] += 10.0 / len(hexes)
        return out

    @cached_property
    def hex_value(self) -> np.ndarray:
        """(n,) what holding each hex is worth to us in VP-like units, for planning."""
        st = self.st
        v = st.hold_rate * self.horizon
        for hexes, vp, _thr, _name in st.roads:
            v[hexes] += vp * self.horizon / len(hexes) * 0.5
        v = v + self.sd_hexes[self.enemy] + self.sd_hexes[self.side] * 0.5
        # a little for ground near what matters, so attackers lean on the objectives: the best
        # of v * exp(-d / 2.5) over the valued hexes
        shaping = self.st.best_near(v) * GROUND["shaping"][self.side]
        mine, theirs = self.corridors
        lines = (GROUND["own_lines"][self.side] * np.minimum(mine, 6.0)
                 + GROUND["their_lines"][self.side] * np.minimum(theirs, 6.0))
        return v + shaping + lines + GROUND["base"][self.side]

    def weather_name(self) -> str:
        return WEATHERS[self.weather]


def situation(view: SideView) -> Situation:
    w = view.world
    st = static(w)
    side = view.side
    turn = view.turn
    weather = forecast_weather(w, turn, view.weather)
    vis = w.params.weather[WEATHERS[weather]].visibility
    cs = view.contacts
    idx = w.unit_index
    c_unit = np.array([idx[c.unit] for c in cs], np.int64)
    c_hex = np.array([c.hex for c in cs], np.int64)
    full = w.u_full[c_unit] if cs else np.zeros(0)
    c_str = np.minimum(np.array([(c.band[0] + c.band[1]) / 2.0 for c in cs]), full) if cs else np.zeros(0)
    c_role = w.u_role[c_unit] if cs else np.zeros(0, np.int64)
    last = turn - 1
    c_age = np.array([0 if c.current else max(1, last - c.seen_turn) for c in cs], np.int64)
    c_dug = np.array([expected_entrenchment(w, 1 - side, c) for c in cs], np.int64)
    return Situation(view=view, st=st, side=side, enemy=1 - side, turn=turn,
                     days_left=max(w.scenario.turns - turn + 1, 1), weather=weather, visibility=vis,
                     own=view.own_units, c_unit=c_unit, c_hex=c_hex, c_str=c_str, c_role=c_role, c_age=c_age,
                     c_dug=c_dug)
