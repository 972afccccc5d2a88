"""Hex ids to the schema's limit (issue #15, item 4): ``CCRR`` on maps up to 99 x 99,
``CCCRRR`` past that, so that a 120 x 114 map validates and plays without ids colliding."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pokrovsk_tui.rules.hexgrid import HexGrid, HexIdError
from pokrovsk_tui.rules.limits import MAX_ITEMS
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import validate_data

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from tiling import tiled  # noqa: E402  (benchmarks/tiling.py: the main scenario tiled)


def test_maps_up_to_99_keep_ccrr():
    g = HexGrid(99, 99)
    assert g.hex_id(0) == "0101" and g.hex_id(g.n - 1) == "9999"
    assert g.index("4538") == 37 * 99 + 44
    with pytest.raises(HexIdError, match="four digits CCRR"):
        g.index("045038")


def test_past_99_every_id_has_three_digits_and_none_collide():
    g = HexGrid(120, 114)
    assert g.hex_id(0) == "001001" and g.hex_id(g.n - 1) == "120114"
    ids = g.ids(range(g.n))
    assert len(set(ids)) == g.n
    assert all(g.index(h) == i for i, h in enumerate(ids))
    assert g.index("1012") == g.index("010012")      # a map grown past 99 still reads CCRR
    with pytest.raises(HexIdError, match="CCCRRR, six digits"):
        g.index("10120")
    with pytest.raises(HexIdError, match="off the map .*columns 001-120, rows 001-114"):
        g.index("121001")


def test_a_120_by_114_map_validates_and_builds():
    data = tiled(3, 3)
    cut = len(data["units"]) - MAX_ITEMS           # nine tiles of the main scenario's units may pass a list's limit
    if cut > 0:
        data["units"] = data["units"][:MAX_ITEMS]
    scn, found = validate_data(data, "tiled")
    assert found == [] and scn is not None
    assert (scn.map.width, scn.map.height) == (120, 114)
    w = build_world(scn)
    # a road crossing from tile to tile stays a chain of neighbours, ids in the long form
    road = scn.map.roads[-1].hexes
    assert all(len(h) == 6 for h in road)
    idx = [w.grid.index(h) for h in road]
    assert all(w.grid.hex_distance(a, b) == 1 for a, b in zip(idx, idx[1:], strict=False))
    assert w.n_units == 9 * build_world(validate_data(tiled(1, 1), "main")[0]).n_units - max(cut, 0)
