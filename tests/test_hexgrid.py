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


def test_distance_matrix_symmetric_and_matches_neighbours(grid):
    d = grid.distance
    assert d.shape == (grid.n, grid.n)
    assert np.array_equal(d, d.T)
    assert (np.diag(d) == 0).all()
    nb = grid.neighbours
    rows = np.repeat(np.arange(grid.n), 6)
    ok = nb.ravel() >= 0
    assert (d[rows[ok], nb.ravel()[ok]] == 1).all()
    assert (d == 1).sum() == ok.sum()


def test_distance_is_a_metric_on_samples(grid):
    rng = np.random.default_rng(0)
    a, b, c = rng.integers(grid.n, size=(3, 500))
    d = grid.distance.astype(int)
    assert (d[a, c] <= d[a, b] + d[b, c]).all()


def test_line_is_connected_and_ends_right(grid):
    rng = np.random.default_rng(1)
    for a, b in rng.integers(grid.n, size=(100, 2)):
        line = grid.line(a, b)
        assert line[0] == a and line[-1] == b
        assert len(line) == grid.distance[a, b] + 1
        assert (grid.distance[line[:-1], line[1:]] == 1).all()


def test_within_radius(grid):
    h = grid.index("2022")
    assert len(grid.within(h, 1)) == 7
    assert len(grid.within(h, 3)) == 37
