"""Bounded supply searches (rules/supply_search.py) give, to the last bit, what a full
Dijkstra from every source gives, wherever supply is delivered (cost at most
supply_max_cost), with the same source chosen at equal cost; isolation is not bounded."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from pokrovsk_tui.rules import supply_search
from pokrovsk_tui.rules.phase_supply import hex_costs, shortest
from pokrovsk_tui.rules.supply_search import joined
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario


@pytest.fixture(scope="module")
def world():
    return build_world(load_scenario("pokrovsk-winter-2026"))


def connected_layers(world, costs, sources):
    """(B, n): the hexes joined to each layer's sources by hexes of finite cost, asked of
    ``joined`` as the logistics phase asks it (the sources of all layers, each layer's own)."""
    srcs = [np.asarray(x, np.int64) for x in sources]
    hexes = np.unique(np.concatenate(srcs)) if any(x.size for x in srcs) else np.zeros(0, np.int64)
    on = np.zeros((costs.shape[0], hexes.size), bool)
    for b, x in enumerate(srcs):
        on[b, np.searchsorted(hexes, x)] = True
    return joined(world, np.isfinite(costs), hexes, on)


def connected(world, cost, sources):
    return connected_layers(world, cost[None], [sources])[0]


def full_search(world, cost, sources):
    """The search as it was: a whole-map Dijkstra from each source, the first of equals wins."""
    src, dst = world.grid.edges
    g = csr_matrix((cost[dst], (src, dst)), shape=(world.grid.n, world.grid.n))
    each = np.atleast_2d(dijkstra(g, directed=True, indices=sources))
    best = np.argmin(each, axis=0)
    dist = each[best, np.arange(world.grid.n)]
    return dist, np.where(np.isfinite(dist), sources[best], -1)


@pytest.mark.parametrize("seed", range(6))
def test_bounded_search_equals_the_full_one_where_supply_is_delivered(world, seed):
    rng = np.random.default_rng(seed)
    p = world.params
    fc = rng.exponential(1.0, world.grid.n) * (rng.random(world.grid.n) < 0.4)   # arbitrary float costs
    control = world.initial_control.copy()
    for side in (0, 1):
        cost = hex_costs(world, p, control, fc, side)
        srcs = world.src_hex[(world.src_side == side) & np.isfinite(cost[world.src_hex])]
        hq = rng.choice(np.flatnonzero(np.isfinite(cost)), size=5, replace=False)
        for origins in (srcs, np.concatenate([srcs, hq])):
            want_d, want_o = full_search(world, cost, origins)
            got_d, got_o = shortest(world, cost, origins)
            near = want_d <= p.supply_max_cost
            assert near.sum() > 100
            assert np.array_equal(got_d[near], want_d[near])          # bit for bit
            assert np.array_equal(got_o[near], want_o[near])
            assert np.isinf(got_d[~near]).all() and (got_o[~near] == -1).all()
        assert np.array_equal(connected(world, cost, srcs), np.isfinite(full_search(world, cost, srcs)[0]))


def test_ties_go_to_the_source_listed_first(world):
    cost = np.where(world.passable, 1.0, np.inf)                       # integer costs: many exact ties
    a, b = world.grid.index("1010"), world.grid.index("1410")          # 4 apart: the middle is a tie
    mid = world.grid.index("1210")
    d1, o1 = shortest(world, cost, np.array([a, b]))
    d2, o2 = shortest(world, cost, np.array([b, a]))
    assert d1[mid] == d2[mid] == 2.0
    assert o1[mid] == a and o2[mid] == b


def test_connected_layers_answer_each_layer_as_on_its_own(world, monkeypatch):
    """Several layers (each with its own sources, some with none) searched together give each
    layer's own answer: the copies of the map do not leak into one another."""
    rng = np.random.default_rng(3)
    p = world.params
    layers, sources = [], []
    for i in range(7):
        fc = rng.exponential(1.0, world.grid.n) * (rng.random(world.grid.n) < 0.5)
        control = np.where(rng.random(world.grid.n) < 0.15, 2, world.initial_control).astype(np.int8)
        side = i % 2
        cost = hex_costs(world, p, control, fc * 3, side)
        srcs = world.src_hex[(world.src_side == side) & np.isfinite(cost[world.src_hex])]
        layers.append(cost)
        sources.append(srcs[: 1 + i % 3] if i != 4 else srcs[:0])       # one layer has no source
    together = connected_layers(world, np.stack(layers), sources)
    for cost, srcs, got in zip(layers, sources, together, strict=True):
        want = (np.isfinite(full_search(world, cost, srcs)[0]) if srcs.size
                else np.zeros(world.grid.n, bool))
        assert np.array_equal(got, want)
    assert together.any(axis=1).sum() >= 3 and not together[4].any()
    monkeypatch.setattr(supply_search, "COPY_CELLS", 2 * world.grid.n)   # searched two copies at a time
    assert np.array_equal(connected_layers(world, np.stack(layers), sources), together)


def test_connected_layers_with_many_differing_hexes_and_impassable_sources(world):
    """The small graph of the hexes that differ between layers gives what a search gives, when
    many hexes differ (here each layer has its own random contested ground) and when a source
    stands on ground it may not enter (a search still leaves it)."""
    rng = np.random.default_rng(11)
    p = world.params
    layers, sources = [], []
    for i in range(9):
        control = np.where(rng.random(world.grid.n) < 0.1, 2, world.initial_control).astype(np.int8)
        cost = hex_costs(world, p, control, np.zeros(world.grid.n), i % 2, trucks=False)
        srcs = world.src_hex[world.src_side == i % 2]
        if i == 5:
            cost[srcs[0]] = np.inf                                     # a source on closed ground
        layers.append(cost)
        sources.append(srcs)
    together = connected_layers(world, np.stack(layers), sources)
    for cost, srcs, got in zip(layers, sources, together, strict=True):
        src, dst = world.grid.edges
        g = csr_matrix((np.where(np.isfinite(cost[dst]), 1.0, np.inf), (src, dst)), shape=(world.grid.n,) * 2)
        want = np.isfinite(dijkstra(g, directed=True, indices=srcs, min_only=True))
        assert np.array_equal(got, want)
    assert together[5, sources[5][0]]


def test_layers_equal_within_an_origins_reach_share_its_search(world, monkeypatch):
    """A batch's cost layers that differ only where an origin cannot reach share that origin's
    search, and every layer's field is, bit for bit, what its own search gives."""
    from pokrovsk_tui.rules import phase_supply
    rng = np.random.default_rng(5)
    p = world.params
    control = world.initial_control.copy()
    base = rng.exponential(1.0, world.grid.n) * (rng.random(world.grid.n) < 0.4)
    srcs = world.src_hex[(world.src_side == 0)]
    far = np.flatnonzero(~np.isin(np.arange(world.grid.n),
                                  np.concatenate([supply_search.region(world, h)[0] for h in srcs[:1]])))
    costs = []
    for i in range(6):
        fc = base.copy()
        if i % 2:
            fc[far] += rng.exponential(1.0, far.size)                   # differs beyond source 0's reach only
        if i >= 4:
            fc += rng.exponential(0.5, world.grid.n)                    # differs everywhere
        costs.append(hex_costs(world, p, control, fc, 0))
    costs = np.stack(costs)
    searched = []
    real = supply_search.bounded

    def counting(world_, cost, origins):
        searched.extend(int(h) for h in origins)
        return real(world_, cost, origins)

    monkeypatch.setattr(phase_supply, "bounded", counting)
    lay = phase_supply.Layers(np.arange(6), costs)
    wants = []
    for cost in costs:
        fin = np.isfinite(cost)
        wants.append((phase_supply.first_of_each(srcs[fin[srcs]]), np.zeros(0, np.int64)))
    phase_supply._shared_searches(world, lay, wants)
    # source 0: once for its reach, once for layers 0-3 (equal within its reach), once each for 4, 5
    assert searched.count(int(srcs[0])) == 4
    for gi, cost in enumerate(costs):
        d, o = shortest(world, cost, wants[gi][0])
        assert np.array_equal(lay.dist[gi], d) and np.array_equal(lay.orig[gi], o)


@pytest.mark.parametrize("seed", range(3))
def test_whole_map_and_region_searches_agree_to_the_bit(world, seed, monkeypatch):
    """A few origins are searched over the whole map (a row each, inf beyond the limit), many
    on their regions laid side by side (``_blocks``, kept compact): both give each origin the
    same costs, bit for bit, where its supply reaches."""
    rng = np.random.default_rng(40 + seed)
    p = world.params
    fc = rng.exponential(1.0, world.grid.n) * (rng.random(world.grid.n) < 0.4)
    cost = hex_costs(world, p, world.initial_control, fc, seed % 2)
    origins = rng.choice(np.flatnonzero(np.isfinite(cost)), size=6, replace=False).tolist()
    assert len(origins) * world.grid.n <= supply_search.FULL_CELLS          # the whole-map search
    whole = supply_search.bounded(world, cost, origins)
    monkeypatch.setattr(supply_search, "FULL_CELLS", 0)                    # the regions' search
    regions = supply_search.bounded(world, cost, origins)
    assert list(whole) == list(regions) == origins
    want_d, _ = full_search(world, cost, np.array(origins[:1]))
    for h in origins:
        reached = np.isfinite(whole[h])
        assert reached.sum() > 20 and (whole[h][reached] <= p.supply_max_cost).all()
        hexes, d = regions[h]
        assert np.array_equal(hexes, np.flatnonzero(reached)) and d.tobytes() == whole[h][reached].tobytes()
        assert all(np.array_equal(x, y) for x, y in zip(supply_search.compact(whole[h]), regions[h], strict=True))
    near = want_d <= p.supply_max_cost
    assert whole[origins[0]][near].tobytes() == want_d[near].tobytes() and np.isinf(whole[origins[0]][~near]).all()


def test_compact_and_full_searches_give_the_same_field(world):
    """A layer's searches kept compact (as a batch keeps them) or as rows (one game) give the
    same cheapest field and the same source at equal cost, and may be mixed in one cache."""
    cost = np.where(world.passable, 1.0, np.inf)                       # integer costs: many exact ties
    srcs = world.src_hex[world.src_side == 0]
    rows = supply_search.bounded(world, cost, srcs)
    mixed = {h: (supply_search.compact(d) if i % 2 else d) for i, (h, d) in enumerate(rows.items())}
    small = {h: supply_search.compact(d) for h, d in rows.items()}
    want = shortest(world, cost, srcs)
    for found in (dict(rows), mixed, small):
        d, o = supply_search.nearest(world, cost, srcs, found)
        assert d.tobytes() == want[0].tobytes() and np.array_equal(o, want[1])
    want_d, want_o = full_search(world, cost, srcs)
    near = want_d <= world.params.supply_max_cost
    assert np.array_equal(want[1][near], want_o[near]) and len(set(want_o[near].tolist())) == srcs.size


def test_the_axial_layout_joins_each_hex_to_its_six_neighbours_only(world):
    """``joined``'s labelling of a game's layers lays the map on its axial grid: the cells at
    the structure's offsets from a hex are exactly its neighbours on the map."""
    shape, pos = supply_search._layout(world)
    at = np.full(shape[0] * shape[1], -1)
    at[pos] = np.arange(world.grid.n)
    assert (np.bincount(pos, minlength=at.size) <= 1).all()                 # one hex a cell
    offsets = np.argwhere(supply_search._HEX_LAYERS[1]) - 1
    r, q = np.divmod(pos, shape[1])
    for h in range(world.grid.n):
        rr, qq = r[h] + offsets[:, 0], q[h] + offsets[:, 1]
        ok = (rr >= 0) & (rr < shape[0]) & (qq >= 0) & (qq < shape[1])
        cells = at[rr[ok] * shape[1] + qq[ok]]
        got = set(cells[(cells >= 0) & (cells != h)].tolist())
        nb = world.grid.neighbours[h]
        assert got == set(nb[nb >= 0].tolist())


@pytest.mark.parametrize("seed", range(3))
def test_a_games_two_layers_labelled_are_the_small_graphs_answer(world, seed):
    """Two layers (a game's two sides, ``joined``'s labelling) give what the batch path (the
    small graph of the hexes that differ) gives each, sources on closed ground included."""
    rng = np.random.default_rng(70 + seed)
    control = np.where(rng.random(world.grid.n) < 0.2, 2, world.initial_control).astype(np.int8)
    ground = np.stack([np.isfinite(hex_costs(world, world.params, control, np.zeros(world.grid.n), s, trucks=False))
                       for s in (0, 1)])
    ground[0, world.src_hex[0]] = False                                     # a source on closed ground
    on = (world.src_side[None, :] == np.arange(2)[:, None]) & (rng.random((2, world.src_hex.size)) < 0.8)
    on[0, 0] = True
    got = joined(world, ground, world.src_hex, on)
    passable = ground.copy()
    rows, cols = np.nonzero(on)
    passable[rows, world.src_hex[cols]] = True
    want = supply_search._joined(world, passable, world.src_hex, on)
    assert np.array_equal(got, want) and got[0, world.src_hex[0]]
    for b in (0, 1):
        assert np.array_equal(joined(world, ground[b:b + 1], world.src_hex, on[b:b + 1])[0], want[b])
