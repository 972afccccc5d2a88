"""The commander's picture of the map computed without hexes x hexes work (issue 15, item 4):
each faster form against the plain form it replaces, on the main scenario mid-game."""

import numpy as np
import pytest

from pokrovsk_tui.ai.determinise import _cdf, enemy_eye, sample_batch
from pokrovsk_tui.ai.policies import policy_rng, random_orders
from pokrovsk_tui.ai.situation import situation
from pokrovsk_tui.ai.static import static
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.state import initial_state
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario


@pytest.fixture(scope="module")
def game():
    world = build_world(load_scenario("pokrovsk-winter-2026"))
    state, dice = initial_state(world), Dice(4)
    for _ in range(3):
        orders = {s: random_orders(view(world, state, s), policy_rng(4, state.turn, s)) for s in (0, 1)}
        state, _ = resolve_turn(world, state, orders, dice)
    return world, state


def test_spread_is_the_direct_sum_of_the_falloff(game):
    world, _ = game
    st = static(world)
    g = world.grid
    rng = np.random.default_rng(0)
    weights = np.where(rng.random(g.n) < 0.3, rng.random(g.n), 0.0)
    direct = (weights[:, None] * st.falloff(np.arange(g.n)).astype(float)).sum(axis=0)
    got = st.spread(weights)
    assert got.shape == (g.n,)
    np.testing.assert_allclose(got, direct, rtol=1e-12, atol=1e-14)
    one = np.zeros(g.n)
    one[g.n // 2] = 2.0                  # one hex: twice its own field, nothing wrapped around
    np.testing.assert_allclose(st.spread(one), 2.0 * st.falloff(g.n // 2), rtol=1e-12, atol=1e-14)


def test_patrol_disk_is_the_falloff_within_range(game):
    world, _ = game
    st = static(world)
    g = world.grid
    for h, rng in ((0, 15), (g.n // 2 + 7, 10), (g.n - 1, 12)):
        hexes, shape = st.patrol_disk(h, rng)
        full = st.falloff(h) * (g.dist_from(h) <= rng)
        out = np.zeros(g.n, np.float32)
        out[hexes] = shape
        assert np.array_equal(out, full)
        assert np.array_equal(np.sort(hexes), np.flatnonzero(g.dist_from(h) <= rng))


@pytest.mark.parametrize("spots", [12, 400])       # few valued hexes, many (value by value)
def test_best_near_is_the_best_over_every_valued_hex(game, spots):
    world, _ = game
    st = static(world)
    g = world.grid
    rng = np.random.default_rng(spots)
    v = np.zeros(g.n)
    v[rng.choice(g.n, spots, replace=False)] = rng.choice([0.3, 1.7, 12.5], spots)
    imp = np.flatnonzero(v > 0)
    brute = (v[imp][:, None] * np.exp(-g.dist_from(imp) / 2.5)).max(axis=0)
    assert np.array_equal(st.best_near(v), brute)
    assert not st.best_near(np.zeros(g.n)).any()


def test_nearest_hops_is_the_hex_distance(game):
    world, _ = game
    g = world.grid
    for hexes in (np.array([0]), np.array([5, 300, g.n - 1]), np.arange(0, g.n, 97)):
        assert np.array_equal(g.nearest_distance(hexes), g.dist_from(hexes).min(axis=0))


def _walked(sit, who, consumers, weights):
    """The corridor as it was: each consumer's path walked back hex by hex."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra
    w, p = sit.world, sit.world.params
    fc = sit.fc_est if who == sit.side else sit.view.fire_control
    cost = w.move_cost * (1.0 + p.fire_control_cost * fc)
    cost = np.where(sit.control == 1 - who, cost * 3.0 + 1.0, cost)
    blocked = (sit.enemy_any_known > 0) if who == sit.side else (sit.own_str_hex > 0)
    cost = np.where(blocked & (sit.control == 1 - who), cost + 20.0, cost)
    cost = np.where(w.passable, cost, np.inf)
    src, dst = sit.st.edges
    keep = np.isfinite(cost[dst]) & np.isfinite(cost[src])
    graph = csr_matrix((cost[dst][keep], (src[keep], dst[keep])), shape=(sit.n, sit.n))
    dist, pred, _ = dijkstra(graph, directed=True, indices=sit.st.src[who], min_only=True, return_predecessors=True)
    out = np.zeros(sit.n)
    for h, wt in zip(consumers, weights, strict=True):
        h = int(h)
        if not np.isfinite(dist[h]):
            continue
        while h >= 0:
            out[h] += wt
            h = int(pred[h])
    return out


def test_corridor_sums_each_consumer_path_in_order(game):
    world, state = game
    for side in (0, 1):
        sit = situation(view(world, state, side))
        consumers = np.concatenate([sit.view.hex[sit.own], sit.view.hex[sit.own][:5]])
        weights = np.concatenate([np.full(sit.own.size, 0.5), np.full(5, 6.0 / 7.0)])
        for who in (side, 1 - side):
            got = sit.corridor(who, consumers, weights)
            assert np.array_equal(got, _walked(sit, who, consumers, weights))
            assert got.max() >= 6.0 / 7.0        # paths were walked at all


def test_prior_draws_are_those_of_choice(game):
    world, state = game
    sit = situation(view(world, state, 1))
    for key in ("near", "deep"):
        prior = sit.hidden[key]
        cdf = _cdf(prior)
        a, b = np.random.default_rng(9), np.random.default_rng(9)
        for _ in range(300):
            assert int(cdf.searchsorted(a.random(), side="right")) == int(b.choice(world.grid.n, p=prior))
    assert _cdf(np.zeros(world.grid.n)) is None


def test_enemy_eye_reads_distance_as_the_full_table_would(game):
    world, state = game
    sit = situation(view(world, state, 0))
    batch = sample_batch(sit, np.random.default_rng(2), 1)
    st = batch.replica(0)
    got = enemy_eye(sit, st, np.random.default_rng(3))
    g = world.grid
    mine = (world.u_side == 0) & st.on_map
    theirs = (world.u_side == 1) & st.on_map
    d = g.dist_pairs(st.hex[mine][:, None], st.hex[theirs][None, :]).min(axis=1)
    p = np.where(d <= 1, 0.8, np.where(d <= 4, 0.3, 0.05))
    assert (d <= 4).any() and (d > 4).any()
    want = np.random.default_rng(3).random(p.size) < p
    assert np.array_equal(got.detected[1, np.flatnonzero(mine)], want)
