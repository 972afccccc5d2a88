"""The planner's ground orders take short cuts that must give, to the bit, what the plain
forms give: ``paths.with_start`` is the graph ``Static.graph`` builds with a start row,
``plans_odds.defences_known`` fills ``defence_known``'s memo with what it works out hex by hex,
and ``_few_sum`` is numpy's sum of the same numbers."""

from __future__ import annotations

import numpy as np
from scipy.sparse.csgraph import dijkstra

from pokrovsk_tui.ai import paths, plans_odds
from pokrovsk_tui.ai.situation import situation
from pokrovsk_tui.rules.view import view
from test_batches import situations


def _same_csr(a, b) -> bool:
    return (a.shape == b.shape and a.indptr.tobytes() == b.indptr.tobytes()
            and a.indices.tobytes() == b.indices.tobytes() and a.data.tobytes() == b.data.tobytes())


def test_start_row_on_the_days_graph_is_the_graph_built_whole():
    world, states = situations("pokrovsk-winter-2026")
    rng = np.random.default_rng(8)
    n_twice = 0
    for state in states[::5]:
        for side in (0, 1):
            sit = situation(view(world, state, side))
            for avoid in (True, False):
                paths.goal_field(sit, np.array([0]), np.zeros(1), avoid_enemy=avoid)
                wts, keep, base = sit.extra[("walk_graph", avoid)]
                assert _same_csr(base, sit.st.graph(wts, keep, reverse=True))
                for size in (1, 2, 30, 400):
                    goals = rng.choice(sit.n, size, replace=False)
                    if size == 30:          # a goal listed twice: the graph's own build
                        goals[-1] = goals[0]
                        n_twice += 1
                    cost = rng.random(size) * 3
                    got = paths.with_start(sit, wts, keep, base, goals, cost)
                    want = sit.st.graph(wts, keep, reverse=True, extra=(goals, cost))
                    assert _same_csr(got, want), (size, avoid)
                    d1, p1 = dijkstra(got, directed=True, indices=sit.n, return_predecessors=True)
                    d2, p2 = dijkstra(want, directed=True, indices=sit.n, return_predecessors=True)
                    assert d1.tobytes() == d2.tobytes() and p1.tolist() == p2.tolist()
    assert n_twice > 0


def test_defences_known_at_once_equal_hex_by_hex():
    world, states = situations("pokrovsk-winter-2026")
    n_seen = 0
    for state in states[::3]:
        for side in (0, 1):
            sit = situation(view(world, state, side))
            hexes = list(range(sit.n))
            plans_odds.defences_known(sit, hexes[::2])
            plans_odds.defences_known(sit, hexes)          # the rest; those known are kept
            memo = sit.extra["def_known"]
            for h in hexes:
                want = plans_odds._defence_known(sit, h)
                assert memo[h] == want and [type(x) for x in memo[h]] == [type(x) for x in want], h
            n_seen += sum(1 for h in hexes if memo[h][0] > 0)
    assert n_seen > 10


def test_few_sum_is_numpys_sum():
    rng = np.random.default_rng(3)
    for _ in range(3000):
        k = int(rng.integers(1, 20))
        x = (rng.random(k + 4) * 10.0 ** rng.uniform(-3, 3, k + 4)).tolist()
        i = int(rng.integers(0, 4))
        assert plans_odds._few_sum(x, i, k) == float(np.array(x[i:i + k]).sum())
