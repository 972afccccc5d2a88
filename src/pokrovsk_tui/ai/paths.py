"""The planner's paths: a cost field to goals and a walk along it within a unit's MP."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from pokrovsk_tui.rules.estimates import move_loss_estimate
from pokrovsk_tui.rules.legal import MAX_PATH
from pokrovsk_tui.rules.params import WEATHERS

from .situation import Situation


def goal_field(sit: Situation, goals: np.ndarray, bonus: np.ndarray, avoid_enemy: bool = True
               ) -> tuple[np.ndarray, np.ndarray]:
    """Cost-to-go toward the goal hexes (each with a head start ``bonus``) and the next hop.

    Entering a hex costs its MP (weather-scaled off road) plus a kill-zone price, so paths keep
    out of the enemy's drone coverage where they can."""
    n = sit.n
    key = ("walk_graph", avoid_enemy)
    if key not in sit.extra:
        sit.extra[key] = _walk_graph(sit, avoid_enemy)
    wts, keep, base = sit.extra[key]
    top = float(bonus.max()) if bonus.size else 0.0
    # hex n: a start one step before every goal
    g = with_start(sit, wts, keep, base, goals, top - bonus + 1e-3)
    dist, pred = dijkstra(g, directed=True, indices=n, return_predecessors=True)
    return dist[:n], pred[:n]


def with_start(sit: Situation, wts: np.ndarray, keep: np.ndarray, base: csr_matrix, goals: np.ndarray,
               cost: np.ndarray) -> csr_matrix:
    """``sit.st.graph(wts, keep, reverse=True, extra=(goals, cost))``, made from ``base``
    (the same graph without the extra row, made once a day): the extra row n appended, its
    columns sorted (stable), as ``graph`` lays it out. Goals listed twice (``graph`` would sum
    them) go through ``graph`` itself."""
    ecols = np.asarray(goals, np.int64)
    if ecols.size > 1 and (np.diff(np.sort(ecols)) == 0).any():
        return sit.st.graph(wts, keep, reverse=True, extra=(ecols, cost))
    return sit.st.with_row(base, ecols, cost)


def _walk_graph(sit: Situation, avoid_enemy: bool) -> tuple[np.ndarray, np.ndarray, csr_matrix]:
    """The step graph ``goal_field`` searches (reversed), the same for every goal of a day:
    the cost of each step of the map's edges, whether it may be taken, and the reversed
    graph they make (``sit.st.graph``, no extra row)."""
    w = sit.world
    p = w.params
    mult = p.weather[WEATHERS[sit.weather]].offroad_mp_mult
    # the kill zone and the enemy's dug-in positions priced in MP: a hex that costs 5% of a
    # moving unit's strength ~ 2 MP
    sig = float(np.mean(w.t_signature[w.u_type[sit.own_combat]])) if sit.own_combat.size else 0.5
    frac = move_loss_estimate(sit.view, sit.fc_est, sit.cover_est, sig)
    enter = w.move_cost * np.where(w.offroad, mult, 1.0) + 40.0 * frac
    ok = w.passable.copy()
    if avoid_enemy:
        # moves stay on our own or contested ground: ground is taken by attacks, not by walks
        ok &= sit.control != sit.enemy
        ok &= ~((sit.enemy_known > 0) & sit.not_mine)
    enter = np.where(ok, enter, np.inf)
    src, dst = sit.st.edges
    # reversed graph: from b back to a with the cost of entering b; no step from one hex of a
    # held enemy line to another (rules: phase_move.held)
    wts = np.where(sit.line_est[src] & sit.line_est[dst], np.inf, enter[src])
    keep = np.isfinite(wts)
    return wts, keep, sit.st.graph(wts, keep, reverse=True)


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
