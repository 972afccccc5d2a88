"""Pilot tests of the app's flows: a solo turn, a hot-seat handoff, save and load, a refused
order, resizing, watch mode, the title screen and the new-game form."""

from __future__ import annotations

import os

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import make_app, screen_text, settle, step_to_the_end, sync, wait_for  # noqa: E402
from pokrovsk_tui.game import persist  # noqa: E402
from pokrovsk_tui.rules.legal import own_units_only, suggested_targets  # noqa: E402
from pokrovsk_tui.rules.orders import Order  # noqa: E402
from pokrovsk_tui.tui.app import PokrovskApp, Start  # noqa: E402
from pokrovsk_tui.tui.screens.dialogs import (  # noqa: E402
    ConfirmScreen,
    CountScreen,
    HandoffScreen,
    PreviewScreen,
    TextScreen,
    TooSmallScreen,
)
from pokrovsk_tui.tui.screens.game import GameScreen  # noqa: E402
from pokrovsk_tui.tui.screens.newgame import NewGameScreen  # noqa: E402
from pokrovsk_tui.tui.screens.results import ResultsScreen  # noqa: E402
from pokrovsk_tui.tui.screens.title import TitleScreen  # noqa: E402

TUT = "tutorial-hryshyne"


def game(app) -> GameScreen:
    g = app.game_screen()
    assert g is not None
    return g


async def paused_watch(pilot, app) -> GameScreen:
    """A watch game's screen, paused once the day under way (watch mode runs from the start)
    is resolved."""
    await settle(pilot)
    g = game(app)
    g.paused = True
    await wait_for(pilot, lambda: not g.busy, tries=1500)
    return g


def hex_of(g: GameScreen, unit_id: str) -> int:
    v = g.current_view()
    return int(v.hex[g.session.world.unit_index[unit_id]])


@sync
async def test_solo_turn_orders_end_turn_results(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = game(app)
        assert isinstance(app.screen, GameScreen)
        assert g.side == 0 and g.session.mode == "solo"
        # select the first unit without orders with tab, order it to dig in
        await pilot.press("tab")
        await settle(pilot)
        assert g.selected is not None
        first = g.session.world.unit_ids[g.selected]
        await pilot.press("d")
        await settle(pilot)
        assert [o.kind for o in g.session.books[0].orders] == ["dig_in"]
        assert g.session.books[0].orders[0].unit == first
        # undo and redo
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert len(g.session.books[0]) == 0
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert len(g.session.books[0]) == 1
        # end the turn: confirm, the computer plans, results come up
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await settle(pilot)          # drawn, not only pushed
        text = screen_text(app)
        assert "Day 1" in text and "results for Ukraine" in text
        assert "Your losses" in text and "Hexes changed" in text
        assert g.session.turn == 2 and len(g.session.history) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        # an autosave was written for the turn
        assert any(p.name.endswith("-turn01.toml") for p in tmp_path.iterdir())
        assert not g.session.unsaved


@sync
async def test_move_with_keyboard_and_mouse(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = game(app)
        w = g.session.world
        unit = w.unit_index["ua-93-1"]
        g.select_unit(unit)
        await settle(pilot)
        start = hex_of(g, "ua-93-1")
        await pilot.press("m")
        await settle(pilot)
        assert g.action == "move"
        legal = np.flatnonzero(g.map.picture.targets)
        assert legal.size > 0 and start not in legal
        # keyboard: one step west, Enter
        await pilot.press("left")
        await settle(pilot)
        dest = g.map.cursor
        assert g.map.picture.targets[dest]
        await pilot.press("enter")
        await settle(pilot)
        orders = g.session.books[0].orders
        assert orders and orders[-1].kind == "move" and orders[-1].path[-1] == w.grid.hex_id(dest)
        # mouse: click a legal hex for the drone unit's move
        drone = w.unit_index["ua-fpv-1"]
        g.select_unit(drone)
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        target = int(np.flatnonzero(g.map.picture.targets)[0])
        x, y = g.map.geometry.origin(target)
        sx, sy = g.map.scroll_offset
        mx, my = g.map.margin          # a map smaller than its widget is centred
        await pilot.click("#map", offset=(x - sx + mx + 1, y - sy + my))
        await settle(pilot)
        last = g.session.books[0].orders[-1]
        assert last.unit == "ua-fpv-1" and last.kind == "move" and last.path[-1] == w.grid.hex_id(target)


@sync
async def test_invalid_order_refused_with_engine_reason(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=7)
    notes = []
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        g = game(app)
        w = g.session.world
        real_notify = app.notify

        def spy(message, *a, **k):
            notes.append((str(message), k.get("title"), k.get("severity")))
            return real_notify(message, *a, **k)

        app.notify = spy
        g.notify = spy
        inf = w.unit_index["ua-93-1"]
        g.select_unit(inf)
        await settle(pilot)
        # infantry cannot fly drone strikes: the engine's reason, in a toast
        await pilot.press("k")
        await settle(pilot)
        assert any(t == "Order refused" and "only drone units" in m for m, t, _ in notes)
        assert len(g.session.books[0]) == 0
        # a drone strike out of range: target far away is refused by the engine
        drone = w.unit_index["ua-fpv-1"]
        g.select_unit(drone)
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert g.action == "strike"
        # interdiction needs a road hex: an off-road hex is refused by the engine
        await pilot.press("escape")
        await pilot.press("t")
        await settle(pilot)
        assert g.action == "interdict"
        off_road = int(np.flatnonzero(~w.road)[0])
        assert not g.map.picture.targets[off_road]
        g.map.move_cursor(off_road)
        await pilot.press("enter")
        await settle(pilot)
        assert any("not a road hex" in m for m, _, _ in notes)
        assert len(g.session.books[0]) == 0


@sync
async def test_strike_with_odds_preview_and_count(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = game(app)
        w = g.session.world
        g.select_unit(w.unit_index["ua-fpv-1"])
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        here = hex_of(g, "ua-fpv-1")
        target = int(w.grid.neighbours[here][0])
        g.map.move_cursor(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CountScreen))
        await settle(pilot)          # drawn, not only pushed
        text = screen_text(app)
        assert "Chance each sortie hits" in text and "Expected damage" in text
        # the preview states today's weather and whether same-day recon is counted
        assert "Today's weather" in text and "No recon ordered" in text and "Not known to this preview" in text
        await pilot.press("left", "left")
        await pilot.press("enter")
        await settle(pilot)
        o = g.session.books[0].orders[-1]
        assert o.kind == "strike" and o.target == w.grid.hex_id(target)
        total = w.t_sorties[w.u_type[w.unit_index["ua-fpv-1"]]]
        left = min(total, g.current_view().stock[w.unit_index["ua-fpv-1"]])
        assert o.count == max(1, left // 2) - 2     # the default is half the day's sorties


@sync
async def test_assault_preview_before_commit(tmp_path):
    # Russia: at the tutorial's start only ru-ag-1 stands next to enemy ground
    app = make_app(tmp_path, scenario=TUT, side=1, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = game(app)
        w = g.session.world
        g.select_unit(w.unit_index["ru-ag-1"])
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        target = int(np.flatnonzero(g.map.picture.targets)[0])
        g.map.move_cursor(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
        await settle(pilot)          # drawn, not only pushed
        text = screen_text(app)
        assert "Chance of each result" in text and "Expected losses" in text and "repulsed" in text
        await pilot.press("escape")
        await settle(pilot)
        assert len(g.session.books[1]) == 0
        g.select_unit(w.unit_index["ru-ag-1"])
        await pilot.press("a")
        await settle(pilot)
        g.map.move_cursor(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
        await pilot.press("enter")
        await settle(pilot)
        assert g.session.books[1].orders[-1].kind == "assault"


@sync
async def test_hotseat_handoff_shows_nothing_of_the_game(tmp_path):
    app = make_app(tmp_path, scenario=TUT, mode="hotseat", seed=5, names=("Olena", "Ivan"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = game(app)
        w = g.session.world
        # the game opens on a handoff to the Ukrainian player
        assert isinstance(app.screen, HandoffScreen)
        _assert_blank_handoff(app, w, "Ukrainian")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen) and g.side == 0
        await pilot.press("tab", "d")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HandoffScreen)
        _assert_blank_handoff(app, w, "Russian")
        svg = app.export_screenshot()
        for uid in w.unit_ids:
            assert uid not in svg
        await pilot.press("enter")
        await settle(pilot)
        assert g.side == 1 and isinstance(app.screen, GameScreen)
        # the Russian player sees only the Russian side's view
        assert all(int(w.u_side[u]) == 1 for u in g.current_view().own_units)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HandoffScreen))
        _assert_blank_handoff(app, w, "Ukrainian")
        assert g.session.turn == 2
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await settle(pilot)          # drawn, not only pushed
        assert "results for Ukraine" in screen_text(app)


def _assert_blank_handoff(app, world, side_word: str) -> None:
    text = screen_text(app)
    assert f"Pass to the {side_word} player" in text and "press Enter" in text
    for uid in world.unit_ids:
        assert uid not in text
    for name in world.unit_names:
        assert name not in text
    for glyph in ("[I", "<a", "[D", "<d", "♣", "⌂", "·", "★"):
        assert glyph not in text
    assert not app.screen.query("HexMap")


@sync
async def test_save_and_load(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=11)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = game(app)
        await pilot.press("tab", "z")
        await settle(pilot)
        assert g.session.unsaved
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press(*"mygame")  # appended to the default name
        app.screen.query_one("#save-name").value = "my game"
        await pilot.press("enter")
        await settle(pilot)
        path = tmp_path / "my-game.toml"
        assert path.is_file()
        assert not g.session.unsaved
        # quitting asks nothing now
        await pilot.press("q")
        await settle(pilot)
    loaded = persist.load(path)
    assert loaded.seed == 11 and loaded.books[0].orders and loaded.books[0].orders[0].kind == "rest"
    app2 = make_app(tmp_path, kind="load", path=str(path))
    async with app2.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g2 = game(app2)
        assert g2.session.seed == 11 and g2.session.books[0].orders[0].kind == "rest"


@sync
async def test_load_list_broken_save_shows_error_and_returns(tmp_path):
    good = make_app(tmp_path, scenario=TUT, seed=2)
    async with good.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
    (tmp_path / "broken.toml").write_text('format_version = 3\nname = "broken"\nmode = "solo"\nseed = "x"\n')
    app = PokrovskApp(Start(), save_dir=tmp_path, check_interrupted=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("l")
        await settle(pilot)
        table = app.screen.query_one("#saves")
        names = [info.path.name for info in app.screen.saves]
        table.move_cursor(row=names.index("broken.toml"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TextScreen)
        assert "cannot be loaded" in screen_text(app)
        assert "broken.toml" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "LoadScreen"
        # the good autosave loads
        names = [info.path.name for info in app.screen.saves]
        auto = next(i for i, n in enumerate(names) if n.endswith("turn00.toml"))
        app.screen.query_one("#saves").move_cursor(row=auto)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)


@sync
async def test_quit_asks_only_when_unsaved(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "d")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert type(app.screen).__name__ == "QuitScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("s")      # save and quit
        await settle(pilot)
    assert app.return_code == 0 or app.return_code is None
    assert persist.interrupted(tmp_path) is None


@sync
async def test_quitting_leaves_one_whole_file_of_journaled_days(tmp_path):
    """Days autosaved into a journal are folded into one whole file when the player quits."""
    from pokrovsk_tui.store import journal

    app = make_app(tmp_path, scenario=TUT, mode="watch", seed=4, ai="hold")
    async with app.run_test(size=(120, 40)) as pilot:
        g = await paused_watch(pilot, app)
        for day in range(len(g.session.history), 3):
            await pilot.press("n")
            await wait_for(pilot, lambda d=day: len(g.session.history) > d and not g.busy)
        assert list(tmp_path.glob("*.journal"))            # days after the first: journaled
        await pilot.press("q")
        await settle(pilot)
    assert not list(tmp_path.glob("*.journal"))
    latest = persist.latest_autosave(tmp_path)
    assert latest is not None and latest.path.name.endswith(f"-turn{len(g.session.history):02d}.toml")
    assert len(persist.load(latest.path).history) == len(g.session.history)
    assert not journal.journal_path(latest.path).exists()


@sync
async def test_resize_too_small_and_back(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert "Make the window larger" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        await pilot.press("tab", "d")
        await settle(pilot)
        assert len(game(app).session.books[0]) == 1


@sync
async def test_watch_mode_step_and_pause(tmp_path):
    app = make_app(tmp_path, scenario=TUT, mode="watch", seed=4, ai="random")
    async with app.run_test(size=(120, 40)) as pilot:
        g = await paused_watch(pilot, app)
        assert g.truth and g.side is None
        before = len(g.session.history)
        await pilot.press("n")
        await wait_for(pilot, lambda: len(g.session.history) == before + 1 and not g.busy, tries=1500)
        assert g.session.turn == before + 2
        assert "Watching" in screen_text(app) or "paused" in screen_text(app)


@sync
async def test_play_to_the_end_victory(tmp_path):
    app = make_app(tmp_path, scenario=TUT, mode="watch", seed=4, ai="hold")
    async with app.run_test(size=(120, 40)) as pilot:
        g = await paused_watch(pilot, app)
        await step_to_the_end(pilot, app, g)
        await settle(pilot)          # drawn, not only pushed
        text = screen_text(app)
        assert "VP: UA" in text and ("wins" in text or "draw" in text)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen) and g.truth


@sync
async def test_title_new_game_form_starts_a_game(tmp_path):
    app = PokrovskApp(Start(), save_dir=tmp_path, check_interrupted=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        text = screen_text(app)
        for item in ("New game", "Continue", "Load", "Replay", "Rules", "Quit"):
            assert item in text
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewGameScreen)
        app.screen.query_one("#seed").value = "42"
        await pilot.press("ctrl+g")
        await settle(pilot)
        g = game(app)
        assert g.session.seed == 42 and g.session.world.scenario.id == TUT


@sync
async def test_new_game_form_by_keyboard_each_sides_computer_in_watch_mode(tmp_path):
    """Keys only, as a player would: ↓ moves from the pressed choice (not from the first one),
    watch mode offers a level for each side, hot-seat offers none."""
    app = PokrovskApp(Start(), save_dir=tmp_path, check_interrupted=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewGameScreen)
        await pilot.press("tab", "down", "enter")          # mode: hot-seat
        await settle(pilot)
        assert not form.query_one("#ai").display and not form.query_one("#ng-side").display
        assert "Two players take turns" in screen_text(app)
        await pilot.press("down", "enter")                 # mode: watch
        await settle(pilot)
        assert "Ukraine's computer" in screen_text(app) and "Russia's computer" in screen_text(app)
        await pilot.press("tab", "down", "enter")          # Ukraine: normal -> hard
        await pilot.press("tab", "up", "enter")            # Russia: normal -> easy
        form.query_one("#seed").value = "7"
        await pilot.press("ctrl+g")
        await settle(pilot)
        g = game(app)
        assert g.session.mode == "watch"
        assert [p.level for p in g.session.players] == ["hard", "easy"]


@sync
async def test_interrupted_game_is_offered(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=9)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
    # the app ended without the quit path (as a crash would): the mark it set when the game
    # started is still there and names the game's autosave
    autosave = next(tmp_path.glob("*-turn00.toml"))
    assert persist.interrupted(tmp_path) == autosave
    app2 = PokrovskApp(Start(), save_dir=tmp_path)
    async with app2.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app2.screen, ConfirmScreen)
        assert "Resume the interrupted game?" in screen_text(app2)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app2.screen, GameScreen)
        assert app2.screen.session.seed == 9 and app2.screen.session.world.scenario.id == TUT


@sync
async def test_help_and_rules_screens(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "Keys" in text and "the six hex directions" in text
        await pilot.press("r")
        await settle(pilot)
        assert type(app.screen).__name__ == "RulesScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)


@pytest.mark.parametrize("overlay", ["f2", "f3", "f4", "f5", "f6"])
@sync
async def test_overlays_toggle(tmp_path, overlay):
    app = make_app(tmp_path, scenario=TUT, seed=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = game(app)
        await pilot.press("tab")
        await pilot.press(overlay)
        await settle(pilot)
        assert g.overlay is not None and g.map.picture.overlay is not None
        await pilot.press(overlay)
        await settle(pilot)
        assert g.overlay is None


def test_bomb_order_validates_for_russia(tmp_path):
    from pokrovsk_tui.game.session import new_session

    s = new_session(TUT, side=1, seed=3)
    assert s.give(1, Order(kind="bomb", target="0404", count=1)) is None
    r = s.give(1, Order(kind="bomb", target="0404", count=999))
    assert r is not None and "over budget" in r.reason


@sync
async def test_solo_as_russia_bombs_and_ends_turn(tmp_path):
    app = make_app(tmp_path, scenario=TUT, side=1, seed=8, ai="hold")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = game(app)
        assert g.side == 1
        assert all(int(g.session.world.u_side[u]) == 1 for u in g.current_view().own_units)
        await pilot.press("b")
        await settle(pilot)
        # the sensible targets (rules/legal.suggested_targets): enemy and contested ground on the
        # front, known enemies; all of them legal (never a hex holding only Russian units)
        shown = g.map.picture.targets
        assert g.action == "bomb" and (shown == suggested_targets(g.current_view(), None, "bomb")).all()
        assert shown.any() and not (shown & own_units_only(g.current_view())).any()
        assert shown[g.session.world.grid.index("0404")]
        g.map.move_cursor(g.session.world.grid.index("0404"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CountScreen))
        await settle(pilot)          # drawn, not only pushed
        assert "Chance each bomb hits" in screen_text(app)
        await pilot.press("end", "enter")
        await settle(pilot)
        o = g.session.books[1].orders[-1]
        assert o.kind == "bomb" and o.unit is None
        assert o.count == g.session.world.scenario.deliveries.ru_glide_bombs    # End: every bomb of the day
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await settle(pilot)          # drawn, not only pushed
        assert "results for Russia" in screen_text(app)


@sync
async def test_colourblind_colours_toggle(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=1, ai="hold")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        m = game(app).map
        before = m.get_component_rich_style("hexmap--unit-ru", partial=True)
        await pilot.press("f8")
        await settle(pilot)
        after = m.get_component_rich_style("hexmap--unit-ru", partial=True)
        assert app.has_class("-colourblind") and before != after


@sync
async def test_edit_and_delete_from_the_orders_list(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=1, ai="hold")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = game(app)
        w = g.session.world
        g.select_unit(w.unit_index["ua-fpv-1"])
        await pilot.press("c")
        await settle(pilot)
        g.map.move_cursor(hex_of(g, "ua-fpv-1"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CountScreen))
        await pilot.press("enter")
        await settle(pilot)
        first = g.session.books[0].orders[-1]
        assert first.kind == "recon"
        # edit: o, Enter on the order, a new target, Enter, the count
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert g.action == "recon" and g.editing == first
        new_target = int(w.grid.neighbours[hex_of(g, "ua-fpv-1")][0])
        g.map.move_cursor(new_target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CountScreen))
        await pilot.press("enter")
        await settle(pilot)
        orders = g.session.books[0].orders
        assert len(orders) == 1 and orders[0].target == w.grid.hex_id(new_target)
        # delete from the list
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert len(g.session.books[0]) == 0


@sync
async def test_ugv_resupply_picks_a_unit_and_runs(tmp_path):
    app = make_app(tmp_path, scenario=TUT, seed=1, ai="hold")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = game(app)
        w = g.session.world
        g.select_unit(w.unit_index["ua-ugv-1"])
        await pilot.press("p")
        await settle(pilot)
        assert g.action == "resupply"
        g.map.move_cursor(hex_of(g, "ua-93-1"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CountScreen))
        await settle(pilot)          # drawn, not only pushed
        text = screen_text(app)
        assert "arrives with chance" in text and "Expected supply delivered" in text   # the risk is shown
        await pilot.press("enter")
        await settle(pilot)
        o = g.session.books[0].orders[-1]
        assert o.kind == "resupply" and o.target_unit == "ua-93-1" and o.count >= 1


@sync
async def test_artillery_fire_with_odds_on_the_main_map(tmp_path):
    app = make_app(tmp_path, scenario="pokrovsk-winter-2026", seed=1, ai="hold")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = game(app)
        w = g.session.world
        g.select_unit(w.unit_index["ua-art-1"])
        await pilot.press("f")
        await settle(pilot)
        target = int(np.flatnonzero(g.map.picture.targets & (g.session.state.control == 1))[0])
        g.map.move_cursor(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CountScreen))
        await settle(pilot)          # drawn, not only pushed
        assert "Chance each round hits" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        o = g.session.books[0].orders[-1]
        assert o.kind == "fire" and o.target == w.grid.hex_id(target)


@sync
async def test_an_unexpected_error_ends_with_one_line_not_a_traceback(tmp_path, capsys):
    app = make_app(tmp_path, scenario=TUT, seed=1, ai="hold")
    app.catch_errors = True        # as in a real terminal
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "d")
        await settle(pilot)
        # what Textual calls with an exception no handler caught
        app._handle_exception(RuntimeError("a bug"))
    assert app.return_code == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "pokrovsk stopped on an internal error (RuntimeError: a bug)" in err
    assert "Continue" in err and "Traceback" not in err
    assert "RuntimeError: a bug" in (tmp_path / "pokrovsk-errors.log").read_text()
    # the day's orders were saved on the way out
    saved = persist.load(max(tmp_path.glob("*-turn00.toml")))
    assert [o.kind for o in saved.books[0].orders] == ["dig_in"]


async def _save_as(pilot, app, name: str) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    app.screen.query_one("#save-name").value = name
    await pilot.press("enter")
    await settle(pilot)


@sync
async def test_save_as_asks_before_replacing_another_games_file(tmp_path):
    path = tmp_path / "lesson-1.toml"
    app = make_app(tmp_path, scenario=TUT, seed=11)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _save_as(pilot, app, "Lesson 1")
        assert persist.load(path).seed == 11
        await _save_as(pilot, app, "Lesson 1")          # this game's own file: no question
        assert not isinstance(app.screen, ConfirmScreen)
    app2 = make_app(tmp_path, scenario=TUT, seed=12)
    async with app2.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        messages = []
        app2.notify = lambda msg, **kw: messages.append(msg)
        await _save_as(pilot, app2, "LESSON_1!")         # the same file, another game
        assert isinstance(app2.screen, ConfirmScreen)
        assert "lesson-1.toml" in screen_text(app2) and "another game" in screen_text(app2)
        await pilot.press("escape")
        await settle(pilot)
        assert persist.load(path).seed == 11             # kept
        assert any("Not saved" in m for m in messages)
        await _save_as(pilot, app2, "LESSON_1!")
        await pilot.press("enter")                        # "Replace it"
        await settle(pilot)
        assert persist.load(path).seed == 12
        assert any(f"to the file {path}" in m for m in messages), messages


@sync
async def test_the_handoff_is_a_wall_palette_keys_and_mouse(tmp_path):
    """At the hot-seat handoff no binding, palette command or click acts on the game; only
    "continue" (Enter, or the palette's Continue) shows the next player's map."""
    from pokrovsk_tui.tui.screens.game import GameScreen as GS

    app = make_app(tmp_path, scenario=TUT, mode="hotseat", seed=5, names=("Olena", "Ivan"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        g = game(app)
        # UA gives an order and ends the day: the handoff to RU is up
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tab", "d", "e")
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HandoffScreen))
        handoff = app.screen
        s = g.session

        def snapshot():
            return (s.turn, tuple(s.done), tuple(tuple(b.orders) for b in s.books.values()), s.unsaved,
                    g.side, g.overlay, len(s.history))
        before = snapshot()
        files = sorted(p.name for p in tmp_path.iterdir())
        # the palette offers only Continue and Quit here
        titles = [c.title for c in app.get_system_commands(handoff)]
        assert titles == ["Continue", "Quit"]
        # every binding of the game screen and of the app, pressed at the handoff
        keys = set()
        for b in [*GS.BINDINGS, *PokrovskApp.BINDINGS]:
            keys.update(k for k in b.key.split(",") if k not in ("enter", "ctrl+q", "q"))
        keys.update(["ctrl+s", "ctrl+z", "e", "space", "1", "a", "m", "r", "b", "f"])
        for key in sorted(keys):
            await pilot.press(key)
            await settle(pilot, 1)
            assert app.screen is handoff, f"{key} left the handoff for {type(app.screen).__name__}"
            assert snapshot() == before, f"{key} changed the game"
        # the palette: "End turn" and "Save as" are not there; typing them runs nothing
        for words in ("end turn", "save as", "undo order", "title screen"):
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*words)
            await settle(pilot, 3)
            await pilot.press("enter")
            await settle(pilot, 3)
            if app.screen is not handoff:
                await pilot.press("escape")
                await settle(pilot)
            assert app.screen is handoff and snapshot() == before, words
        # the mouse
        for xy in ((5, 5), (60, 20), (100, 35), (1, 39)):
            await pilot.click(offset=xy)
            await settle(pilot, 1)
            assert app.screen is handoff and snapshot() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == files        # nothing saved either
        # "continue" from the palette is the one way through
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"continue")
        await settle(pilot, 3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, GameScreen))
        assert g.side == 1 and s.turn == before[0]
