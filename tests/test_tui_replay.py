"""The instructor's replay screen (tui/screens/replay.py, tui/review.py): stepping gives the
same screens again, a side's view never shows an enemy it had not detected, notes survive a
save and a load, and Pilot runs of the flows: open, step, views, notes, charts, re-roll,
take command."""

from __future__ import annotations

import datetime as dt
import os
import random

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

import pytest  # noqa: E402

from conftest import screen_text, settle, sync, wait_for  # noqa: E402
from pokrovsk_tui.game.loop import policy_for  # noqa: E402
from pokrovsk_tui.game.sim import play_game  # noqa: E402
from pokrovsk_tui.report.timeline import frame  # noqa: E402
from pokrovsk_tui.rules.world import build_world  # noqa: E402
from pokrovsk_tui.store.saves import ai_players, load_save, save_from_record, write_save  # noqa: E402
from pokrovsk_tui.store.scenarios import bundled_dir, load_scenario  # noqa: E402
from pokrovsk_tui.tui.app import PokrovskApp, Start  # noqa: E402
from pokrovsk_tui.tui.review import Review, Step  # noqa: E402
from pokrovsk_tui.tui.screens.dialogs import ConfirmScreen, TextScreen  # noqa: E402
from pokrovsk_tui.tui.screens.game import GameScreen  # noqa: E402
from pokrovsk_tui.tui.screens.load import LoadScreen  # noqa: E402
from pokrovsk_tui.tui.screens.replay import ReplayScreen  # noqa: E402
from pokrovsk_tui.tui.screens.replay_dialogs import (  # noqa: E402
    ChartsScreen,
    CommandScreen,
    JumpScreen,
    NoteScreen,
    NotesScreen,
    RerollScreen,
)
from pokrovsk_tui.tui.widgets.charts import charts  # noqa: E402
from pokrovsk_tui.tui.widgets.timeline import day_at, layout  # noqa: E402

TUT = "tutorial-hryshyne"
NOW = dt.datetime(2026, 1, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def game_file(tmp_path_factory):
    """A finished tutorial game, random against random (every kind of order and event)."""
    world = build_world(load_scenario(TUT))
    rec = play_game(world, (policy_for("random"), policy_for("random")), seed=5, keep_history=True)
    save = save_from_record(rec, text=(bundled_dir() / f"{TUT}.toml").read_text(),
                            players=ai_players("random", "random"), source=TUT, now=NOW)
    return write_save(save, tmp_path_factory.mktemp("replay") / "lesson.toml")


@pytest.fixture
def save_path(game_file, tmp_path):
    """A fresh copy of the game for each test (notes are written into it)."""
    p = tmp_path / "lesson.toml"
    p.write_bytes(game_file.read_bytes())
    return p


def make_app(tmp_path, path) -> PokrovskApp:
    return PokrovskApp(Start(kind="replay", path=str(path)), save_dir=tmp_path / "saves", check_interrupted=False)


def map_text(rp: ReplayScreen) -> list[str]:
    return [strip.text for strip in rp.map.render_all()]


def hex_cells(rp: ReplayScreen) -> dict[int, str]:
    """The text drawn in each hex's cells (every line of the hex)."""
    lines = map_text(rp)
    geo = rp.map.geometry
    z = geo.zoom
    out = {}
    for h in range(rp.review.world.grid.n):
        x, y = geo.origin(h)
        out[h] = "".join(lines[y + dy][x:x + z.cw] for dy in range(z.ch))
    return out


# ----- pure parts ------------------------------------------------------------------------

def test_timeline_layout_and_clicks():
    days = list(range(1, 22))
    lay = layout(days, 8, 120)
    assert lay.count == 21 and lay.first == 1
    assert day_at(lay, days, lay.label, 0) == 1
    assert day_at(lay, days, lay.label + 7 * lay.cell + 1, 0) == 8
    assert day_at(lay, days, 0, 0) is None and day_at(lay, days, lay.label, 1) is None
    small = layout(days, 20, 40)                       # too narrow: a window around day 20
    assert small.count < 21 and small.first <= 20 < small.first + small.count


def test_charts_hold_every_series(game_file):
    from pokrovsk_tui.report.series import series

    data = series(load_save(game_file))
    got = {c.key: c for c in charts(data)}
    assert set(got) == {"strength", "casualties", "hexes", "supply", "drones", "vp"}
    n = len(data["turn"])
    for c in got.values():
        for p in c.panels:
            assert p.lines and all(len(line.values) == n for line in p.lines)
            assert len({line.marker for line in p.lines}) == len(p.lines)    # not colour alone
    cas = got["casualties"].panels[0]
    assert cas.lines[0].values[-1] == pytest.approx(sum(data["losses"]["ua"]["drone"]))


def test_review_steps_marks_and_views(game_file):
    save = load_save(game_file)
    r = Review(save, game_file)
    assert len(r.steps) == 2 * len(save.turns)
    assert r.steps[0] == Step(1, "orders") and r.steps[1] == Step(1, "results")
    st = Step(2, "orders")
    truth, ua = r.marks(st, "truth"), r.marks(st, "ua")
    assert {cls for _, cls in ua.values()} <= {"ua", "note"}       # a side sees only its own orders
    assert any(cls == "ru" for _, cls in truth.values())
    res = Step(2, "results")
    assert r.changed(res) == frozenset(int(h) for h in
                                       (frame(save, 2).before.control != frame(save, 2).after.control).nonzero()[0])
    assert all(s["side"] == "ru" for s in r.surprises(res, "ru"))


# ----- the screen ------------------------------------------------------------------------

@sync
async def test_stepping_back_and_forth_gives_the_same_screens(tmp_path, save_path):
    app = make_app(tmp_path, save_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rp = app.screen
        assert isinstance(rp, ReplayScreen)
        save = rp.review.save
        first: dict[int, tuple[str, list[str], str]] = {}
        for i in range(len(rp.review.steps)):
            assert rp.pos == i
            step = rp.step
            digest = rp.review.digest(step)
            # the state shown is the one the save recorded
            if step.stage == "results":
                assert digest == save.turns[step.turn - save.start_turn].digest
            first[i] = (digest, map_text(rp), rp.query_one("#rp-header").render().plain)
            await pilot.press("right_square_bracket")
            await settle(pilot, 1)
        assert rp.pos == len(rp.review.steps) - 1
        # back to the start, one step at a time: the same screens
        for i in reversed(range(len(rp.review.steps))):
            assert rp.pos == i
            assert (rp.review.digest(rp.step), map_text(rp), rp.query_one("#rp-header").render().plain) == first[i]
            await pilot.press("left_square_bracket")
            await settle(pilot, 1)
        # jumps in any order
        order = list(range(len(rp.review.steps)))
        random.Random(3).shuffle(order)
        for i in order:
            rp.go(i)
            await settle(pilot, 1)
            assert (rp.review.digest(rp.step), map_text(rp)) == first[i][:2]
        # j: jump to a day by its number
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, JumpScreen)
        await pilot.press("3", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen) and rp.step == Step(3, "orders")
        # play runs a step, pause stops
        await pilot.press("p")
        assert rp.playing
        rp._play_tick()
        await settle(pilot)
        assert rp.step == Step(3, "results")
        await pilot.press("p")
        assert not rp.playing


@sync
async def test_a_side_view_never_shows_an_enemy_it_had_not_detected(tmp_path, save_path):
    app = make_app(tmp_path, save_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rp = app.screen
        r = rp.review
        assert rp.map.geometry.zoom.cw == 4          # large counters: [I7] <a6> (a?)
        hidden_in_truth = 0
        for i, step in enumerate(r.steps):
            rp.go(i)
            for who, side, enemy_open in (("ua", 0, "<"), ("ru", 1, "[")):
                await pilot.press(who[0])                 # u: UA's view, r: RU's view
                await settle(pilot, 1)
                assert rp.who == who
                v = r.side_view(step, who)
                seen = {c.hex for c in v.contacts if c.current}
                known = {c.hex for c in v.contacts}
                for h, text in hex_cells(rp).items():
                    if enemy_open in text:
                        assert h in seen, f"{step}: {who.upper()} view shows an enemy on {h} it had not detected"
                    if "(" in text:
                        assert h in known
                # the events it reads name no enemy unit it had not seen
                enemy = {u for u in r.world.unit_ids if r.world.u_side[r.world.unit_index[u]] != side}
                seen_ids = {c.unit for c in v.contacts}
                if step.stage == "results":
                    for e in r.events(step, who):
                        assert not (set(e.units) & enemy) - seen_ids
            await pilot.press("t")
            await settle(pilot, 1)
            ua = r.side_view(step, "ua")
            truth_ru = {h for h, text in hex_cells(rp).items() if "<" in text}
            hidden_in_truth += len(truth_ru - {c.hex for c in ua.contacts if c.current})
        assert hidden_in_truth > 0            # the truth does show RU units UA had not detected


@sync
async def test_views_why_surprises_and_overlays(tmp_path, save_path):
    app = make_app(tmp_path, save_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rp = app.screen
        text = screen_text(app)
        assert "REPLAY" in text and "Day 1/" in text and "START: ORDERS" in text and "ground truth" in text
        assert "Orders of day 1" in text
        await pilot.press("v")
        await settle(pilot)
        assert rp.who == "ua" and "what UA knew" in screen_text(app)
        await pilot.press("v")
        await settle(pilot)
        assert rp.who == "ru"
        await pilot.press("v")
        await settle(pilot)
        assert rp.who == "truth"
        # the results of a day: events, Enter on one gives why
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "RESULTS" in screen_text(app) and "Events of day 1" in screen_text(app)
        await pilot.press("l")
        await settle(pilot)
        ol = rp.query_one("#rp-list")
        assert ol.has_focus and ol.highlighted is not None
        kinds = [k for k, _ in rp._list_items]
        assert "event" in kinds
        target = next(i for i, (k, _) in enumerate(rp._list_items) if k == "event")
        ol.highlighted = next(j for j in range(ol.option_count) if ol.get_option_at_index(j).id == str(target))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TextScreen) and "Why" in screen_text(app)
        # the sentence first; n shows the raw numbers behind it, n again hides them
        assert "numbers behind it" not in screen_text(app) and "n the numbers" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert "numbers behind it" in screen_text(app) and "n hide numbers" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert "numbers behind it" not in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        # a surprise explains what the side knew
        for i in range(len(rp.review.steps)):
            rp.go(i)
            if rp.review.surprises(rp.step, "truth"):
                break
        await settle(pilot)
        k = next(i for i, (kind, _) in enumerate(rp._list_items) if kind == "surprise")
        rp.open_item(k)
        await settle(pilot)
        assert isinstance(app.screen, TextScreen)
        assert "knew of it at the start of the day" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("g")
        await settle(pilot)
        # overlays need a side's view
        await pilot.press("f2")
        await settle(pilot)
        assert rp.overlay is None
        await pilot.press("u", "f2")
        await settle(pilot)
        assert rp.overlay == "supply" and rp.map.picture.overlay is not None
        await pilot.press("o")
        await settle(pilot)
        assert rp.overlay == "killzone"


@sync
async def test_notes_add_edit_delete_survive_save_and_load(tmp_path, save_path):
    app = make_app(tmp_path, save_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rp = app.screen
        rp.goto_turn(2)
        await settle(pilot)
        hid = rp.review.world.grid.hex_id(rp.map.cursor)
        await pilot.press("n")
        await settle(pilot)
        dlg = app.screen
        assert isinstance(dlg, NoteScreen)
        assert dlg.query_one("#note-hex").value == hid
        await pilot.press(*"Dig in here")
        dlg.query_one("#note-author").value = "Maj K"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        notes = load_save(save_path).annotations
        assert [(a.turn, a.hex, a.author, a.text) for a in notes] == [(2, hid, "Maj K", "Dig in here")]
        assert 2 in rp.query_one("#rp-days").notes
        assert rp.map.picture.marks.get(rp.review.world.grid.index(hid)) == ("✎", "note")
        assert "Dig in here" in screen_text(app)
        # a second note on the whole day; a bad hex is refused in the dialog
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#note-text").value = "Weather turned"
        app.screen.query_one("#note-hex").value = "9999"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen) and "hex" in screen_text(app)
        app.screen.query_one("#note-hex").value = ""
        await pilot.press("enter")
        await settle(pilot)
        assert len(load_save(save_path).annotations) == 2
        # the notes list: edit the first, delete the second
        await pilot.press("N")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        app.screen.query_one("#note-text").value = "Dig in here, now"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("down", "x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("escape")
        await settle(pilot)
    notes = load_save(save_path).annotations
    assert [(a.turn, a.text) for a in notes] == [(2, "Dig in here, now")]
    # a new app on the same file: the note is still there
    app2 = make_app(tmp_path, save_path)
    async with app2.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rp = app2.screen
        rp.goto_turn(2)
        await settle(pilot)
        assert "Dig in here, now" in screen_text(app2)
        assert 2 in rp.query_one("#rp-days").notes


@sync
async def test_charts_csv_report_and_screenshot(tmp_path, save_path):
    app = make_app(tmp_path, save_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rp = app.screen
        await pilot.press("c")
        await settle(pilot, 3)
        assert isinstance(app.screen, ChartsScreen)
        assert "Strength of each side" in screen_text(app)
        await pilot.press("2")
        await settle(pilot, 3)
        assert "casualties by cause" in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        csv = save_path.with_name("lesson-series.csv")
        assert csv.is_file() and csv.read_text().startswith("turn,weather,strength_ua")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is rp
        await pilot.press("h")
        await wait_for(pilot, lambda: save_path.with_name("lesson-report.html").is_file())
        assert "<html" in save_path.with_name("lesson-report.html").read_text()[:500].lower()
        await pilot.press("i")
        svg = save_path.with_name("lesson-day01-orders-truth.svg")
        await wait_for(pilot, svg.is_file)                # once the toasts have cleared
        assert "<svg" in svg.read_text()[:2000]


@sync
async def test_reroll_in_a_worker(tmp_path, save_path):
    app = make_app(tmp_path, save_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.goto_turn(2, "results")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        dlg = app.screen
        assert isinstance(dlg, RerollScreen) and dlg.turn == 2
        dlg.query_one("#reroll-k").value = "20"
        await pilot.press("enter")
        await wait_for(pilot, lambda: dlg.result is not None or dlg.error is not None)
        assert dlg.error is None and dlg.result["replications"] == 20
        assert dlg.result["replication_0_matches"]
        text = screen_text(app)
        assert "re-adjudicated 20 times" in text and "percentile" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)


@sync
async def test_take_command_from_a_day_writes_a_branch_and_opens_the_game(tmp_path, save_path):
    app = make_app(tmp_path, save_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.goto_turn(3)
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, CommandScreen) and app.screen.turn == 3
        await pilot.press("down", "enter")             # solo as Ukraine (the first is "as played")
        await settle(pilot, 3)
        g = app.screen
        assert isinstance(g, GameScreen)
        s = g.session
        assert s.mode == "solo" and g.side == 0
        assert s.turn == 3 and not s.history
        branches = list((tmp_path / "saves").glob("lesson-branch-t03*.toml"))
        assert len(branches) == 1
        new = load_save(branches[0])
        assert new.start_turn == 3 and new.lineage[-1].turn == 3
        assert new.lineage[-1].file == str(save_path)
        assert new.players.ua.kind == "human" and new.players.ru.kind == "ai"
        assert new.start_digest == frame(load_save(save_path), 3).digest_before
        # and it plays on: end the day
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(s.history) == 1)
        assert s.history[0].turn == 3


@sync
async def test_title_replay_entry_opens_the_replay_screen(tmp_path, save_path):
    saves = tmp_path / "saves"
    saves.mkdir()
    (saves / "lesson.toml").write_bytes(save_path.read_bytes())
    app = PokrovskApp(Start(), save_dir=saves, check_interrupted=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen) and "Replay a saved game" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, 3)
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("escape")                   # leaving asks first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")                   # stay
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")                    # leave
        await settle(pilot)
        assert type(app.screen).__name__ == "TitleScreen"


# ----- the command line ------------------------------------------------------------------

def test_replay_command_checks_its_file_and_terminal(capsys, tmp_path, save_path):
    from pokrovsk_tui.cli import main

    assert main(["replay", str(tmp_path / "missing.toml")]) == 1
    assert "no such file" in capsys.readouterr().err
    assert main(["replay", str(save_path)]) == 2              # no terminal under pytest
    assert "interactive terminal" in capsys.readouterr().err
    assert main(["serve", "--replay", str(tmp_path / "missing.toml")]) == 1
    assert "no such file" in capsys.readouterr().err


@sync
async def test_a_broken_or_empty_save_gives_a_message_not_a_replay(tmp_path, save_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(save_path.read_text()[:5000])
    app = make_app(tmp_path, bad)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TextScreen) and "cannot be loaded" in screen_text(app)

