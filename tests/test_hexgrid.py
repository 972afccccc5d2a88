import numpy as np
import pytest

from pokrovsk_tui.rules.hexgrid import HexGrid, HexIdError


@pytest.fixture(scope="module")
def grid():
    return HexGrid(40, 38)


def test_ids_round_trip(grid):
    assert grid.hex_id(0) == "0101"
    assert grid.hex_id(grid.index("2022")) == "2022"
    i = grid.index("2022")
    assert (grid.col[i], grid.row[i]) == (19, 21)


@pytest.mark.parametrize("bad", ["", "20", "abcd", "4101", "0139", "0000", "20222"])
def test_bad_ids_are_refused_with_reason(grid, bad):
    with pytest.raises(HexIdError):
        grid.index(bad)


def test_odd_r_neighbours(grid):
    # even 0-based row 2 (id row 03): neighbours of col 5
    h = grid.index("0603")
    got = set(grid.ids(grid.neighbours[h]))
    assert got == {"0703", "0503", "0502", "0602", "0504", "0604"}
    # odd 0-based row 3 (id row 04)
    h = grid.index("0604")
    got = set(grid.ids(grid.neighbours[h]))
    assert got == {"0704", "0504", "0603", "0703", "0605", "0705"}


def test_corner_has_off_map_neighbours(grid):
    nb = grid.neighbours[0]
    assert (nb == -1).sum() == 4


def test_distances_symmetric_and_match_neighbours(grid):
    d = grid.dist_from(np.arange(grid.n))          # the whole table, on this small grid only
    assert d.shape == (grid.n, grid.n)
    assert np.array_equal(d, d.T)
    assert (np.diag(d) == 0).all()
    nb = grid.neighbours
    rows = np.repeat(np.arange(grid.n), 6)
    ok = nb.ravel() >= 0
    assert (d[rows[ok], nb.ravel()[ok]] == 1).all()
    assert (d == 1).sum() == ok.sum()
    a, b = np.random.default_rng(2).integers(grid.n, size=(2, 300))
    assert np.array_equal(grid.dist_pairs(a, b), d[a, b])
    assert [grid.hex_distance(x, y) for x, y in zip(a[:20], b[:20], strict=True)] == d[a[:20], b[:20]].tolist()


def test_distance_is_a_metric_on_samples(grid):
    rng = np.random.default_rng(0)
    a, b, c = rng.integers(grid.n, size=(3, 500))
    d = grid.dist_pairs
    assert (d(a, c) <= d(a, b) + d(b, c)).all()


@pytest.mark.parametrize("shape", [(40, 38), (7, 5), (1, 9), (9, 1), (2, 2), (120, 114)])
def test_nearest_distance_is_the_least_hex_distance(shape):
    """Breadth first over the map gives the hex distance to the nearest of a set, on every
    map shape (odd and even rows, a single row or column, a map past 99)."""
    g = HexGrid(*shape)
    rng = np.random.default_rng(3)
    for k in (1, 2, 7):
        hexes = rng.choice(g.n, size=min(k, g.n), replace=False)
        assert np.array_equal(g.nearest_distance(hexes), g.dist_from(hexes).min(axis=0))
    assert (g.nearest_distance(np.array([], np.int64)) == -1).all()


def test_line_is_connected_and_ends_right(grid):
    rng = np.random.default_rng(1)
    for a, b in rng.integers(grid.n, size=(100, 2)):
        line = grid.line(a, b)
        assert line[0] == a and line[-1] == b
        assert len(line) == grid.hex_distance(a, b) + 1
        assert (grid.dist_pairs(line[:-1], line[1:]) == 1).all()


def test_within_radius(grid):
    h = grid.index("2022")
    assert len(grid.within(h, 1)) == 7
    assert len(grid.within(h, 3)) == 37


@pytest.mark.parametrize("shape", [(40, 38), (7, 5), (1, 9), (120, 114)])
def test_tables_by_distance_and_disks_around_hexes_match_the_distances(shape):
    g = HexGrid(*shape)
    hexes = np.random.default_rng(4).integers(g.n, size=40)
    table = np.random.default_rng(5).random(g.width + g.height + 1)
    assert np.array_equal(g.by_distance(table)(hexes), table[g.dist_from(hexes)])
    assert np.array_equal(g.by_distance(table)(int(hexes[0])), table[g.dist_from(int(hexes[0]))])
    near, dist = g.around(hexes, 3)
    for h, row, d in zip(hexes, near, dist, strict=True):
        on = row >= 0
        assert sorted(row[on].tolist()) == g.within(int(h), 3).tolist()
        assert np.array_equal(d[on], g.dist_pairs(int(h), row[on]))
