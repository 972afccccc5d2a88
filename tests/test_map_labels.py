"""The map's names never hide what matters: a label cell never overwrites a unit counter, a
front-line or target mark or an objective; every settlement is named whole, shortened on
purpose, or (when it fits nowhere) in the Hex panel; target markers keep the front visible."""

from __future__ import annotations

import numpy as np
import pytest

from pokrovsk_tui.game.session import new_session
from pokrovsk_tui.rules.legal import legal_targets, suggested_targets
from pokrovsk_tui.tui import labels as L
from pokrovsk_tui.tui.describe import hex_panel
from pokrovsk_tui.tui.geometry import COMPACT, LARGE
from pokrovsk_tui.tui.picture import MapPicture, counters_truth, counters_view, front_marks
from pokrovsk_tui.tui.widgets.hexmap import HexMap

MAIN = "pokrovsk-winter-2026"


def _map(s, zoom, counters, targets=None):
    m = HexMap(s.world, zoom=zoom)
    m._style = lambda *names: None          # no app: the text is enough
    m.picture = MapPicture(control=s.state.control.copy(), counters=counters, targets=targets)
    m._front = front_marks(s.world, m.picture.control)
    return m


def _pictures():
    s = new_session(MAIN, seed=1)
    out = []
    for zoom in (LARGE, COMPACT):
        out.append((f"ua-{zoom.name}", s, zoom, counters_view(s.world, s.view(0))))
        out.append((f"ru-{zoom.name}", s, zoom, counters_view(s.world, s.view(1))))
        out.append((f"truth-{zoom.name}", s, zoom, counters_truth(s.world, s.state)))
    return out


@pytest.mark.parametrize("case", _pictures(), ids=lambda c: c[0])
def test_no_label_cell_overwrites_a_unit_or_a_mark(case):
    _, s, zoom, counters = case
    m = _map(s, zoom, counters)
    geo = m.geometry
    lines = [strip.text for strip in m.render_all()]
    labels = m.labels()
    assert labels, "the map shows names"
    label_cells = {c for lab in labels for c in lab.cells()}
    # every counter is drawn whole where it belongs
    for h, c in counters.items():
        x, y = geo.origin(h)
        text = c.text(zoom.cw)
        y += zoom.ch - 1
        assert lines[y][x:x + len(text)] == text, (h, lines[y][x:x + len(text)], text)
        assert not any((x + i, y) in label_cells for i in range(zoom.cw))
    # every front-line mark is drawn in its slot, and no label sits there
    for h in np.flatnonzero(m._front != ""):
        x, y = geo.origin(int(h))
        slot = (x + zoom.cw - 1, y)
        if h in counters and zoom.ch == 1:
            continue                       # the compact counter fills its hex
        assert lines[y][slot[0]] == m._front[h], (int(h), lines[y][x:x + zoom.cw])
        assert slot not in label_cells
    # objectives and supply sources keep their glyph
    for h in m._features:
        x, y = geo.origin(h)
        if h in counters and zoom.ch == 1:
            continue
        assert lines[y][x] in "★S", (h, lines[y][x:x + zoom.cw])
    # each label is printed as placed, and labels never touch one another
    for lab in labels:
        assert lines[lab.y][lab.x:lab.x + len(lab.text)] == lab.text
    for a in labels:
        for b in labels:
            if a is not b and a.y == b.y:
                assert a.x + len(a.text) < b.x or b.x + len(b.text) < a.x


@pytest.mark.parametrize("case", _pictures(), ids=lambda c: c[0])
def test_every_settlement_is_named_whole_shortened_or_in_the_hex_panel(case):
    _, s, zoom, counters = case
    m = _map(s, zoom, counters)
    placed = {lab.name: lab.text for lab in m.labels()}
    w = s.world
    for st in w.scenario.map.settlements:
        text = placed.get(st.name)
        if text is None:
            # left off the map: the Hex panel names it on its hex
            assert st.name in hex_panel(w, w.grid.index(st.hex), s.state.control, s.view(0), None).plain
        else:
            assert text in L.variants(st.name, zoom is COMPACT), (st.name, text)
            assert text == st.name or text.endswith(".") or text == st.name.split()[0]
    if zoom is LARGE:
        # at the large zoom every name of the main map fits whole
        assert all(placed.get(st.name) == st.name for st in w.scenario.map.settlements), placed


def test_the_hex_panel_names_the_settlement_on_its_other_hexes():
    s = new_session(MAIN, seed=1)
    w = s.world
    area = L.settlement_of(w)
    pok = w.grid.index(next(st.hex for st in w.scenario.map.settlements if st.name == "Pokrovsk"))
    others = [h for h, name in area.items() if name == "Pokrovsk" and h != pok]
    assert len(others) >= 4, "the city is more than one hex"
    for h in others:
        assert "Pokrovsk" in hex_panel(w, h, s.state.control, s.view(0), None).plain


def test_shortened_names_are_deliberate():
    assert L.variants("Myrnohrad")[:3] == ["Myrnohrad", "Myrnohr.", "Myrnoh."]
    assert L.variants("Sukhyi Yar")[:2] == ["Sukhyi Yar", "Sukhyi"]
    assert L.variants("Novoekonomichne", compact=True)[0] == "Novoekon."
    assert all(len(v) >= 4 for v in L.variants("Novohrodivka")[1:])


def test_a_name_yields_to_a_unit_that_arrives_on_it():
    s = new_session(MAIN, seed=1)
    m = _map(s, LARGE, {})
    lab = next(lab for lab in m.labels() if lab.name == "Hryshyne")
    # a counter on each hex under the name (on the name's own line)
    geo = m.geometry
    hexes = {geo.hex_at(x, y) for x, y in lab.cells()}
    from pokrovsk_tui.tui.picture import Counter
    cnt = {h: Counter(0, "I", "5", "unit") for h in hexes}
    m2 = _map(s, LARGE, cnt)
    moved = next(x for x in m2.labels() if x.name == "Hryshyne")
    assert moved.cells() != lab.cells() or lab.y % 2 == 0
    blocked = L.blocked_cells(geo, counters=set(cnt), marks=set(), targets=set(), features=set())
    assert not set(moved.cells()) & blocked


def test_targets_are_a_marker_that_keeps_the_front_visible():
    s = new_session(MAIN, seed=1)
    v = s.view(0)
    w = s.world
    drone = next(int(u) for u in v.own_units if "strike" in __import__(
        "pokrovsk_tui.rules.legal", fromlist=["actions_for"]).actions_for(v, int(u)))
    legal = legal_targets(v, drone, "strike")
    shown = suggested_targets(v, drone, "strike")
    assert shown.any() and not (shown & ~legal).any(), "only legal targets are shown"
    assert shown.sum() < legal.sum() / 2, "far fewer than every hex in range"
    # own ground away from the front is not suggested
    own_interior = (v.control == 0) & (front_marks(w, v.control) == "")
    assert not (shown & own_interior).any()
    m = _map(s, COMPACT, counters_view(w, v), targets=shown)
    lines = [strip.text for strip in m.render_all()]
    geo = m.geometry
    for h in np.flatnonzero(shown):
        h = int(h)
        if h in m.picture.counters:
            continue
        x, y = geo.origin(h)
        assert lines[y][x + 1] == "◆"
        if m._front[h]:
            assert lines[y][x + 2] == m._front[h], "the front mark stays beside the target marker"


# ----- on screen: the main map at 120 x 40 and 160 x 50, both zooms ---------------------------

def _screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("size", [(120, 40), (160, 50)])
@pytest.mark.parametrize("zoom", ["compact", "large"])
def test_on_screen_every_name_is_whole_and_no_counter_is_overwritten(tmp_path, size, zoom):
    import asyncio
    import os

    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    from pokrovsk_tui.tui.app import PokrovskApp, Start

    async def run():
        app = PokrovskApp(Start(kind="play", scenario=MAIN, seed=1, ai="hold"), save_dir=tmp_path,
                          check_interrupted=False)
        async with app.run_test(size=size) as pilot:
            for _ in range(3):
                await pilot.pause()
            app.clear_notifications()
            g = app.screen
            if zoom == "large":
                await pilot.press("plus")
            # look at the city: most names, units and front marks are there
            w = g.session.world
            g.map.move_cursor(w.grid.index("2021"), center=True)
            for _ in range(4):
                await pilot.pause()
            m = g.map
            assert m.zoom.name == zoom
            lines = _screen_lines(app)
            sx, sy = m.scroll_offset
            mx, my = m.margin
            ox, oy = m.content_region.x, m.content_region.y
            width, height = m.scrollable_content_region.width, m.scrollable_content_region.height

            def on_screen(x, y):
                sx_, sy_ = x - sx + mx, y - sy + my
                if 0 <= sx_ < width and 0 <= sy_ < height:
                    return oy + sy_, ox + sx_
                return None

            seen_names = 0
            for lab in m.labels():
                cells = [on_screen(x, y) for x, y in lab.cells()]
                if any(c is None for c in cells):
                    continue
                row, col = cells[0]
                assert lines[row][col:col + len(lab.text)] == lab.text, (lab, lines[row])
                seen_names += 1
            assert seen_names >= 5, "the city's names are on screen"
            seen_counters = 0
            for h, c in m.picture.counters.items():
                x, y = m.geometry.origin(h)
                y += m.zoom.ch - 1
                text = c.text(m.zoom.cw)
                cells = [on_screen(x + i, y) for i in range(len(text))]
                if any(p is None for p in cells):
                    continue
                row, col = cells[0]
                assert lines[row][col:col + len(text)] == text, (h, lines[row])
                seen_counters += 1
            assert seen_counters >= 10

    asyncio.run(run())
