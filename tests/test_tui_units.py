"""The app's pure parts, without a screen: mouse to hex, cursor steps, legal targets and
move paths, budgets, overlays, the session's order book, the save adapter, the map's lines."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pokrovsk_tui.game import persist
from pokrovsk_tui.game.orderbook import OrderBook
from pokrovsk_tui.game.session import GameSession, Player, new_session
from pokrovsk_tui.rules.budgets import budget_left, budgets
from pokrovsk_tui.rules.hexgrid import HexGrid
from pokrovsk_tui.rules.legal import (
    actions_for,
    legal_targets,
    move_costs,
    path_to,
)
from pokrovsk_tui.rules.orders import MAX_PATH, Order, validate
from pokrovsk_tui.tui.geometry import COMPACT, LARGE, MapGeometry, mouse_to_hex, step
from pokrovsk_tui.tui.overlays import OVERLAYS, compute

TUT = "tutorial-hryshyne"


# ----- geometry ---------------------------------------------------------------------------

@pytest.mark.parametrize("zoom", [LARGE, COMPACT])
def test_every_cell_of_a_hex_maps_back_to_it(zoom):
    geo = MapGeometry(40, 38, zoom)
    for h in (0, 1, 39, 40, 41, 79, 859, 40 * 38 - 1):
        x0, y0 = geo.origin(h)
        for dx in range(zoom.cw):
            for dy in range(zoom.ch):
                assert geo.hex_at(x0 + dx, y0 + dy) == h


def test_margins_and_outside_are_no_hex():
    geo = MapGeometry(40, 38, LARGE)
    assert geo.hex_at(0, 2) is None          # odd row starts 2 columns in
    assert geo.hex_at(1, 3) is None
    assert geo.hex_at(160, 0) is None        # even row ends at 160
    assert geo.hex_at(-1, 0) is None and geo.hex_at(0, -1) is None
    assert geo.hex_at(0, 76) is None
    assert geo.virtual_width == 162 and geo.virtual_height == 76
    cgeo = MapGeometry(40, 38, COMPACT)
    assert cgeo.virtual_width == 121 and cgeo.virtual_height == 38   # the sector fits 160 x 50


@given(st.integers(0, 40 * 38 - 1), st.integers(0, 200), st.integers(0, 100), st.sampled_from([LARGE, COMPACT]))
def test_mouse_to_hex_adds_the_scroll(h, sx, sy, zoom):
    geo = MapGeometry(40, 38, zoom)
    x, y = geo.origin(h)
    assert mouse_to_hex(geo, x - sx, y - sy, sx, sy) == h


def test_steps_follow_the_engine_neighbours():
    g = HexGrid(12, 10)
    h = g.index("0505")
    for d, idx in (("e", 0), ("ne", 1), ("nw", 2), ("w", 3), ("sw", 4), ("se", 5)):
        assert step(g, h, d) == g.neighbours[h, idx]
    assert g.hex_distance(h, step(g, h, "up")) == 1 and g.hex_distance(h, step(g, h, "down")) == 1
    corner = g.index("0101")
    assert step(g, corner, "w") == corner and step(g, corner, "up") == corner


# ----- targets, paths, budgets -----------------------------------------------------------

@pytest.fixture(scope="module")
def tut():
    return new_session(TUT, seed=1)


def test_actions_follow_roles(tut):
    v = tut.view(0)
    w = tut.world
    assert "raid" in actions_for(v, w.unit_index["ua-93-1"])
    assert "strike" in actions_for(v, w.unit_index["ua-fpv-1"])
    assert "resupply" in actions_for(v, w.unit_index["ua-ugv-1"])
    assert "jam" in actions_for(v, w.unit_index["ua-ew-1"])
    assert actions_for(v, None) == []                # Ukraine has no glide bombs here
    assert actions_for(tut.view(1), None) == ["bomb"]


def test_every_highlighted_move_is_accepted_by_the_engine(tut):
    v = tut.view(0)
    ctx = v.context()
    for uid in ("ua-93-1", "ua-fpv-1", "ua-ugv-1"):
        u = tut.world.unit_index[uid]
        legal = np.flatnonzero(legal_targets(v, u, "move"))
        assert legal.size
        for h in legal:
            path = path_to(v, u, int(h))
            assert len(path) <= MAX_PATH
            ok, bad = validate(ctx, [Order(kind="move", unit=uid, path=tuple(tut.world.grid.ids(path)))])
            assert ok and not bad, (uid, h, bad)


def test_an_unhighlighted_move_is_refused_with_a_reason(tut):
    v = tut.view(0)
    u = tut.world.unit_index["ua-93-1"]
    cost, _, _ = move_costs(v, u)
    far = int(np.flatnonzero(~np.isfinite(cost))[0])
    path = path_to(v, u, far)
    ok, bad = validate(v.context(), [Order(kind="move", unit="ua-93-1", path=tuple(tut.world.grid.ids(path)))])
    assert not ok and "unreachable" in bad[0].reason


@pytest.mark.parametrize("kind", ["assault", "raid", "recon", "strike", "interdict", "hunt"])
def test_highlighted_targets_are_accepted(tut, kind):
    v = tut.view(0)
    uid = "ua-93-1" if kind in ("assault", "raid") else "ua-fpv-1"
    u = tut.world.unit_index[uid]
    hexes = np.flatnonzero(legal_targets(v, u, kind))
    assert hexes.size or kind in ("assault", "raid")      # attacks need enemy ground next to the unit
    for h in hexes[:25]:
        ok, bad = validate(v.context(), [Order(kind=kind, unit=uid, target=tut.world.grid.hex_id(int(h)))])
        assert ok, bad


def test_budgets_count_orders(tut):
    v = tut.view(0)
    u = tut.world.unit_index["ua-fpv-1"]
    orders = [Order(kind="strike", unit="ua-fpv-1", target="0805", count=3)]
    b = next(b for b in budgets(v, orders) if b.unit == u)
    assert b.used == 3 and b.left == b.total - 3
    assert budget_left(v, orders, u, "recon") == b.total - 3
    assert budget_left(v, orders, u, "strike", replacing=orders[0]) == b.total


@pytest.mark.parametrize("name", OVERLAYS)
def test_overlays_are_levels_0_to_3(tut, name):
    v = tut.view(0)
    ov = compute(name, v, tut.world.unit_index["ua-fpv-1"])
    assert ov.level.shape == (tut.world.grid.n,)
    assert ov.level.min() >= 0 and ov.level.max() <= 3
    if name in ("supply", "detection", "range"):
        assert ov.level.max() > 0


def test_overlays_read_only_the_view(tut):
    """The kill-zone estimate changes with what a side has seen, not with hidden units."""
    v = tut.view(0)
    assert not v.contacts
    assert compute("killzone", v).level.max() == 0


# ----- the order book and the session ----------------------------------------------------

def test_order_book_replaces_ground_orders_and_undoes():
    b = OrderBook()
    b.add(Order(kind="dig_in", unit="x"))
    b.add(Order(kind="rest", unit="x"))
    assert [o.kind for o in b.orders] == ["rest"]
    b.add(Order(kind="strike", unit="d", target="0101", count=2))
    b.add(Order(kind="strike", unit="d", target="0101", count=5))
    b.add(Order(kind="strike", unit="d", target="0102", count=1))
    assert [(o.target, o.count) for o in b.orders if o.kind == "strike"] == [("0101", 5), ("0102", 1)]
    b.remove(0)
    assert b.undo() and len(b) == 3
    assert b.redo() and len(b) == 2
    b.undo()
    b.undo()
    assert [o.count for o in b.orders if o.kind == "strike"] == [2] or len(b) == 2


def test_session_refuses_over_budget_and_resolves():
    s = new_session(TUT, seed=2)
    w = s.world
    u = w.unit_index["ua-fpv-1"]
    total = budgets(s.view(0), [])[0].total
    assert s.give(0, Order(kind="strike", unit="ua-fpv-1", target="0805", count=total)) is None
    r = s.give(0, Order(kind="recon", unit="ua-fpv-1", target="0805", count=1))
    assert r is not None and "over budget" in r.reason
    del u
    s.finish_orders(0)
    rec = s.resolve()
    assert rec.turn == 1 and s.turn == 2 and s.ai_sides() == [1]
    assert any(e.kind == "strike" for e in rec.events)
    assert len(s.books[0]) == 0 and s.done == {0: False, 1: False}


def test_events_for_a_side_respect_visible_to():
    s = new_session(TUT, mode="watch", ai_level="random", seed=3)
    rec = s.resolve()
    for side, key in ((0, "ua"), (1, "ru")):
        assert all(key in e.visible_to for e in s.events_for(side, rec))
    assert len(s.events_for(None, rec)) == len(rec.events)


# ----- the save adapter ------------------------------------------------------------------

def test_save_round_trip_keeps_history_and_pending(tmp_path):
    s = new_session(TUT, mode="hotseat", seed=4, names=("Olena", "Ivan"))
    s.give(0, Order(kind="dig_in", unit="ua-93-1"))
    s.finish_orders(0)
    s.finish_orders(1)
    s.resolve()
    s.give(0, Order(kind="rest", unit="ua-93-1"))
    path = persist.write(s, tmp_path / "g.toml")
    back = persist.load(path)
    assert isinstance(back, GameSession)
    assert back.mode == "hotseat" and back.players[0] == Player("human", "Olena")
    assert back.turn == 2 and len(back.history) == 1
    assert not back.history[0].state.equal(s.history[0].state)
    assert [o.kind for o in back.books[0].orders] == ["rest"]
    assert back.seed == 4
    infos = persist.list_saves(tmp_path)
    assert infos[0].name == s.name and infos[0].turn == 1 and infos[0].mode == "hotseat"
    assert infos[0].scenario == TUT and infos[0].date == "2026-01-15"


def test_autosave_and_interrupted_mark(tmp_path):
    s = new_session(TUT, seed=5)
    p = persist.autosave(s, tmp_path)
    assert p.name.endswith("-turn00.toml")
    assert persist.latest_autosave(tmp_path).path == p
    # the mark names this process: from another process's point of view it was interrupted
    assert persist.interrupted(tmp_path) == p
    persist.clear_running(tmp_path)
    assert persist.interrupted(tmp_path) is None


# ----- the map's lines --------------------------------------------------------------------

def test_map_lines_cover_the_virtual_width():
    from pokrovsk_tui.tui.picture import Counter, MapPicture
    from pokrovsk_tui.tui.widgets.hexmap import HexMap

    s = new_session("pokrovsk-winter-2026", seed=1)
    for zoom in (LARGE, COMPACT):
        m = HexMap(s.world, zoom=zoom)
        m._style = lambda *names: None  # no app: styles are not needed to lay out the text
        m.picture = MapPicture(control=s.state.control.copy(), counters={0: Counter(0, "I", "7", "unit")})
        lines = m.render_all()
        assert len(lines) == m.geometry.virtual_height
        assert all(line.cell_length == m.geometry.virtual_width for line in lines)
        text = lines[0].text
        assert ("[I7]" if zoom is LARGE else "I7") in (lines[zoom.ch - 1].text if zoom is LARGE else text)
        joined = "".join(line.text for line in lines)
        assert "Pokrovsk" in joined or "Pokrovs" in joined


def test_russian_infiltration_targets_are_accepted(tut):
    v = tut.view(1)
    w = tut.world
    for uid in [w.unit_ids[u] for u in v.own_units if w.t_can_infiltrate[w.u_type[u]]]:
        u = w.unit_index[uid]
        hexes = np.flatnonzero(legal_targets(v, u, "infiltrate"))
        for h in hexes:
            ok, bad = validate(v.context(), [Order(kind="infiltrate", unit=uid, target=w.grid.hex_id(int(h)))])
            assert ok, bad
        assert all(v.control[h] != 1 for h in hexes)


def test_hotseat_save_mid_turn_keeps_who_had_finished(tmp_path):
    from pokrovsk_tui.game.persist import from_save, to_save
    from pokrovsk_tui.game.session import new_session
    from pokrovsk_tui.rules.orders import Order
    from pokrovsk_tui.store.saves import load_save, write_save

    s = new_session("tutorial-hryshyne", mode="hotseat", seed=3, names=("Olena", "Ivan"))
    s.give(0, Order(kind="dig_in", unit="ua-93-1"))
    s.finish_orders(0)                     # the Ukrainian player ended their orders, then saved
    path = write_save(to_save(s), tmp_path / "mid.toml")
    back = from_save(load_save(path), path)
    assert back.done == {0: True, 1: False}
    assert [o.kind for o in back.books[0].orders] == ["dig_in"]
    s.reopen_orders()                      # not finished: nobody is marked done
    back = from_save(load_save(write_save(to_save(s), tmp_path / "mid2.toml")))
    assert back.done == {0: False, 1: False}


def test_hex_panel_gives_an_objectives_daily_vp_rounded():
    """A 'hold' objective's value is shared by its hexes: Krasnyi Lyman's 3.55 VP over four
    hexes reads 0.89 VP a day, not 0.8875."""
    from pokrovsk_tui.tui.describe import _features

    s = new_session("pokrovsk-winter-2026", seed=1)
    w = s.world
    ob = next(o for o in w.scenario.objectives if o.id == "krasnyi-lyman")
    per = ob.vp / len(ob.hexes)
    feats = " | ".join(_features(w, w.grid.index(ob.hexes[0])))
    assert f"({round(per, 2):g} VP a day)" in feats and ob.name in feats
    assert all(len(part.split(" VP a day")[0].split("(")[-1]) <= 5 for part in feats.split("|") if "VP a day" in part)
