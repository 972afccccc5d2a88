"""What a new player meets (issue 13): the header at 80 x 24, the new-game form with nothing
cut, the tutorial's daily prompt, watch mode at a class's pace, the way back from the final
map, player words for orders, strength bands within a type's maximum, the quit dialog only
when orders would be lost, the glide-bomb refusal, the date of a finished game."""

from __future__ import annotations

import os

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from rich.text import Text  # noqa: E402
from textual.widgets import Label, RadioButton  # noqa: E402

from conftest import make_app, screen_text, settle, step_to_the_end, sync, wait_for  # noqa: E402
from pokrovsk_tui.game import persist  # noqa: E402
from pokrovsk_tui.game.session import new_session  # noqa: E402
from pokrovsk_tui.rules.orders import Order  # noqa: E402
from pokrovsk_tui.rules.view import BAND, band, band_middle, band_shown  # noqa: E402
from pokrovsk_tui.tui import describe as D  # noqa: E402
from pokrovsk_tui.tui import glyphs as G  # noqa: E402
from pokrovsk_tui.tui.app import PokrovskApp, Start  # noqa: E402
from pokrovsk_tui.tui.picture import counters_view  # noqa: E402
from pokrovsk_tui.tui.screens.game import GameScreen  # noqa: E402
from pokrovsk_tui.tui.screens.newgame import NewGameScreen  # noqa: E402
from pokrovsk_tui.tui.screens.victory import VictoryScreen  # noqa: E402

TUT = "tutorial-hryshyne"
MAIN = "pokrovsk-winter-2026"


def notes(app) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


# ----- 80 x 24 ------------------------------------------------------------------------------

@sync
async def test_the_header_keeps_both_sides_vp_in_hotseat_at_80x24(tmp_path):
    app = make_app(tmp_path, scenario=MAIN, mode="hotseat", seed=1, names=("Olena", "Ivan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")          # past the handoff
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        top = screen_text(app).splitlines()[0]
        assert "UA 0" in top and "RU 0" in top, top
        assert "m6" in top or "margin 6" in top, top
        assert "D1/21" in top or "Day 1/21" in top, top
    # the header never runs past its width, whatever the width
    s = new_session(MAIN, mode="hotseat", seed=1, names=("Olena", "Ivan"))
    for width in (78, 90, 118, 158):
        t = D.header(s, 0, "", width)
        assert t.cell_len <= width and "RU" in t.plain and "UA" in t.plain


@sync
async def test_the_new_game_form_shows_every_label_whole_at_80x24(tmp_path):
    app = PokrovskApp(Start(), save_dir=tmp_path, check_interrupted=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewGameScreen)
        for w in [*app.screen.query(Label), *app.screen.query(RadioButton)]:
            if not all(getattr(n, "display", True) for n in w.ancestors_with_self):
                continue
            label = w.label if isinstance(w, RadioButton) else w.render()
            text = label.plain if isinstance(label, Text) else str(label)
            need = Text(text).cell_len + (6 if isinstance(w, RadioButton) else 0)
            assert w.size.width >= need, (text, w.size.width)
        # the form scrolls: the last field (the seed) comes into view when it has focus
        seed = app.screen.query_one("#seed")
        seed.focus()
        await settle(pilot)
        assert "Russian player's name" in screen_text(app) or "Seed" in screen_text(app)


@sync
async def test_no_command_palette_stub_in_the_game_footer_at_80x24(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=1, ai="hold")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        last = screen_text(app).splitlines()[-1]
        assert "palette" not in last and "▏" not in last, last


# ----- the tutorial's prompts ---------------------------------------------------------------

@sync
async def test_the_tutorial_says_what_to_try_each_day(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=1, ai="hold")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert any(title == "Day 1: try this" and "recon" in msg for title, msg in notes(app))
        log = app.screen.query_one("#log")
        first = log.get_option_at_index(0).prompt
        assert "Try today" in str(first) and "recon" in str(first)
    s = new_session(TUT, seed=1)
    days = {g.day for g in s.world.scenario.guide if g.side in (None, "ua")}
    assert days == set(range(1, s.world.scenario.turns + 1)), "a prompt for every day"


def test_the_key_reference_explains_the_header():
    from rich.console import Console

    from pokrovsk_tui.tui.screens.help import keys_table

    console = Console(width=120, record=True)
    console.print(keys_table())
    text = console.export_text()
    for item in ("talks in 3d", "margin", "forecast"):
        assert item in text


# ----- watch mode ---------------------------------------------------------------------------

@sync
async def test_watch_starts_paused_then_shows_the_days_results_and_key_events(tmp_path):
    app = make_app(tmp_path, scenario=TUT, mode="watch", seed=4, ai="normal")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = app.screen
        assert isinstance(g, GameScreen) and g.paused
        await pilot.pause(1.2)
        assert len(g.session.history) == 0, "nothing plays before the class is ready"
        assert "paused" in screen_text(app).splitlines()[0]
        await pilot.press("n")
        await wait_for(pilot, lambda: len(g.session.history) == 1 and not g.busy)
        await settle(pilot)
        log = g.query_one("#log")
        lines = [str(log.get_option_at_index(i).prompt) for i in range(log.option_count)]
        assert lines[0].startswith("Day 1 results") and "UA lost" in lines[0] and "RU lost" in lines[0]
        assert any("VP today" in x for x in lines)
        shown = log.option_count
        assert not any("spotted at" in x for x in lines), "key events only"
        await pilot.press("k")
        await settle(pilot)
        assert log.option_count > shown, "k shows every event"
        # the pace: + shortens the wait, - lengthens it
        pace = g.pace
        await pilot.press("minus")
        assert g.pace > pace
        await pilot.press("plus")
        await pilot.press("plus")
        assert g.pace < pace
        # space runs
        await pilot.press("space")
        assert not g.paused


# ----- the end ------------------------------------------------------------------------------

@sync
async def test_from_the_final_map_escape_goes_back_to_the_result_and_t_to_the_title(tmp_path):
    app = make_app(tmp_path, scenario=TUT, mode="watch", seed=4, ai="hold")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = app.screen
        await step_to_the_end(pilot, app, g)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert "Esc" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, VictoryScreen)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert type(app.screen).__name__ == "TitleScreen"


def test_a_finished_game_lists_its_last_day(tmp_path):
    s = new_session(TUT, mode="watch", seed=3, ai_level="hold")
    while not s.over:
        s.resolve()
    info = persist.describe(persist.write(s, tmp_path / "done.toml"))
    last = s.world.scenario.start_date.toordinal() + len(s.history) - 1
    assert info.date == s.date_of(len(s.history)).isoformat()
    assert info.date == __import__("datetime").date.fromordinal(last).isoformat()


# ----- words, bands, dialogs -----------------------------------------------------------------

def test_orders_read_in_a_players_words():
    assert Order(kind="dig_in", unit="ua-93-1").describe() == "ua-93-1: dig in"
    bomb = Order(kind="bomb", target="0503", count=2).describe()
    assert bomb == "glide bombs on 0503 x2" and "bomb 0503" not in bomb


def test_strength_bands_stay_within_the_type_and_the_digit_agrees():
    assert band_shown(band(100.0), 100.0) == (80, 100)
    assert band_shown(band(60.0), 60.0) == (40, 60)
    assert band_shown(band(45.0), 60.0) == (40, 60)
    assert band_shown(band(30.0), 100.0) == band(30.0)
    for full in (20.0, 40.0, 60.0, 100.0):
        for k in range(1, int(full) + 1):
            lo, hi = band_shown(band(float(k)), full)
            assert 0 <= lo < hi <= full and hi - lo <= BAND
            digit = G.strength_digit(band_middle(band(float(k)), full), full)
            assert digit != "*", "a band is never read as certainly full"
            assert lo / full * 10 - 1 <= int(digit) <= hi / full * 10
    # on the map and in the Hex panel, a seen full-strength group reads the same
    s = new_session(TUT, seed=1)
    v = s.view(0)
    w = s.world
    from pokrovsk_tui.rules.view import Contact

    u = w.unit_index["ru-ag-1"]
    h = int(s.state.hex[u])
    c = Contact(unit="ru-ag-1", type=w.type_names[w.u_type[u]], hex=h, band=band(60.0), seen_turn=0, current=True)
    import dataclasses

    v2 = dataclasses.replace(v, contacts=(c,))
    counter = counters_view(w, v2)[h]
    panel = D.hex_panel(w, h, s.state.control, v2, None).plain
    assert "40-60 of 60" in panel and "100-120" not in panel
    assert f"<a{counter.digit}>" in panel


@sync
async def test_quit_asks_nothing_when_every_order_was_deleted(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=3, ai="hold")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "d")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert len(app.screen.session.books[0]) == 0 and app.screen.session.unsaved
        assert app.unsaved_work(app.screen.session) is None
        await pilot.press("tab", "d")
        await settle(pilot)
        assert app.unsaved_work(app.screen.session) == "1 order for day 1"


@sync
async def test_a_side_without_glide_bombs_is_told_so(tmp_path):
    for scenario in (TUT, MAIN):
        app = make_app(tmp_path, scenario=scenario, seed=1, ai="hold")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("tab")           # with a unit selected, too
            await pilot.press("b")
            await settle(pilot)
            assert ("Order refused", "your side has no glide bombs") in notes(app)
            assert not any(t == "No unit selected" for t, _ in notes(app))


def test_the_tutorial_description_counts_what_the_file_holds():
    s = new_session(TUT, seed=1)
    w = s.world
    scn = w.scenario
    text = " ".join(scn.description.split())
    ru_groups = [u for u in scn.units if u.side == "ru" and scn.unit_types[u.type].role == "assault"]
    ua_coys = [u for u in scn.units if u.side == "ua" and scn.unit_types[u.type].role == "infantry"]
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
    assert f"{words[len(ru_groups)]} assault groups" in text
    assert len(scn.reinforcements) == 1 and f"arriving on day {scn.reinforcements[0].turn}" in text
    assert len(ua_coys) == 2 and "one infantry company" in text and "a second company" in text
    assert f"{words[scn.deliveries.ru_glide_bombs]} glide bombs a day" in text
    assert f"talks on day {scn.victory.talks_turn}" in text.lower()
    assert "Six days" in text and scn.turns == 6


@sync
async def test_choosing_a_target_leaves_the_cursor_where_the_player_put_it(tmp_path):
    import numpy as np

    app = make_app(tmp_path, scenario=MAIN, seed=1, ai="hold")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = app.screen
        w = g.session.world
        g.select_unit(w.unit_index["ua-fpv-1"])
        await settle(pilot)
        await pilot.press("right", "right", "up")
        await settle(pilot)
        here = g.map.cursor
        await pilot.press("k")
        await settle(pilot)
        assert g.action == "strike" and g.map.cursor == here
        target = int(np.flatnonzero(g.map.picture.targets)[0])
        g.map.move_cursor(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CountScreen")
        await pilot.press("enter")
        await settle(pilot)
        assert g.session.books[0].orders[-1].target == w.grid.hex_id(target)
        assert g.map.cursor == target
