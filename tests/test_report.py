"""Instructors' replay and after-action review: timeline, views and surprises, series, re-roll,
the report (Markdown and HTML)."""

import csv
import datetime as dt
import io
import random

import numpy as np
import pytest

from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.report import aar
from pokrovsk_tui.report.reroll import RerollError, reroll
from pokrovsk_tui.report.series import rows, series, to_csv, write_csv
from pokrovsk_tui.report.timeline import Timeline, frame, surprises, timeline
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.state import initial_state
from pokrovsk_tui.rules.view import LAST_SEEN_TURNS
from pokrovsk_tui.rules.world import CAUSES, build_world
from pokrovsk_tui.store.annotations import add_annotation
from pokrovsk_tui.store.replay import state_at
from pokrovsk_tui.store.saves import (
    ai_players,
    append_turn,
    load_save,
    new_save,
    save_from_record,
    scenario_text,
    write_save,
)
from pokrovsk_tui.store.scenarios import bundled_dir, load_scenario
from pokrovsk_tui.store.snapshot import state_digest

TUTORIAL = bundled_dir() / "tutorial-hryshyne.toml"
NOW = dt.datetime(2026, 1, 20, 12, 0, tzinfo=dt.UTC)


def played(tmp_path_factory, ua, ru, seed):
    world = build_world(load_scenario("tutorial-hryshyne"))
    rec = play_game(world, (policy_for(ua), policy_for(ru)), seed=seed, keep_history=True)
    save = save_from_record(rec, text=TUTORIAL.read_text(), players=ai_players(ua, ru),
                            source="tutorial-hryshyne", now=NOW)
    path = write_save(save, tmp_path_factory.mktemp("games") / f"{ua}-{ru}-{seed}.toml")
    return path


@pytest.fixture(scope="module")
def normal_path(tmp_path_factory):
    return played(tmp_path_factory, "normal", "normal", 3)


@pytest.fixture(scope="module")
def random_path(tmp_path_factory):
    return played(tmp_path_factory, "random", "random", 5)


@pytest.fixture
def game(normal_path):
    return load_save(normal_path)


@pytest.fixture
def rgame(random_path):
    return load_save(random_path)


# ----- timeline --------------------------------------------------------------------------

def test_stepping_back_and_forth_gives_the_same_states(game):
    first = {t: (timeline(game).frame(t).digest_before, timeline(game).frame(t).digest_after)
             for t in timeline(game).turns}
    assert len(first) == len(game.turns) == 6
    for t, saved in zip(timeline(game).turns, game.turns, strict=True):
        assert first[t][1] == saved.digest
        assert first[t][0] == state_digest(state_at(game, t))
        if t > 1:
            assert first[t][0] == first[t - 1][1]
    order = list(first) * 3
    random.Random(1).shuffle(order)
    tl = timeline(game)
    for t in order + list(reversed(first)):
        f = tl.frame(t)
        assert (state_digest(f.before), state_digest(f.after)) == first[t]
    fresh = Timeline(game)          # a new, empty cache
    for t in reversed(list(first)):
        assert (state_digest(fresh.frame(t).before), fresh.digest_at(t + 1)) == first[t]
    assert [t.turn for t in game.turns if fresh.digest_at(t.turn + 1) != t.digest] == []


def test_timeline_is_cached_per_save_and_renewed_when_turns_are_added(game, normal_path):
    tl = timeline(game)
    assert timeline(game) is tl and frame(game, 2) is tl.frame(2)
    other = load_save(normal_path)
    assert timeline(other) is not tl
    short = game.model_copy(deep=True)
    short.turns = short.turns[:3]
    short.turns_saved = 3
    assert timeline(short).last == 3
    world = short.world()
    t = game.turns[3]
    state, events = resolve_turn(world, state_at(short, 4), {0: list(t.orders.ua), 1: list(t.orders.ru)},
                                 Dice(short.seed))
    append_turn(short, 4, {0: list(t.orders.ua), 1: list(t.orders.ru)}, events, state)
    assert timeline(short).last == 4
    assert timeline(short).frame(4).digest_after == t.digest
    with pytest.raises(ValueError, match="not in this save"):
        tl.frame(7)
    with pytest.raises(ValueError):
        tl.frame(0)


def test_frame_holds_orders_intents_events_views_and_losses(game):
    f = timeline(game).frame(2)
    assert f.turn == 2 and f.weather in ("frost", "snow", "thaw", "fog")
    assert f.orders["ua"] == [o.describe() for o in game.turns[1].orders.ua]
    assert f.intents["ua"] and f.intents["ru"]          # the normal AI explains itself
    assert any(e["phase"] == "victory" for e in f.events)
    assert all(isinstance(e["why"], dict | list) for e in f.events)
    assert f.view("truth") is f.before and f.view("truth", "after") is f.after
    assert f.view("ua").side == 0 and f.view("ru", "after").side == 1
    lost = f.after.casualties - f.before.casualties
    for s, k in enumerate(("ua", "ru")):
        assert sum(f.losses[k].values()) == pytest.approx(lost[s].sum(), abs=1e-3)
    truth = f.units("truth")
    assert {r["id"] for r in truth} == {f.world.unit_ids[u] for u in np.flatnonzero(f.before.on_map)}
    with pytest.raises(ValueError):
        f.view("us")
    with pytest.raises(ValueError):
        f.units("ua", "during")


@pytest.mark.parametrize("which", ["game", "rgame"])
def test_a_side_view_never_shows_an_enemy_unit_it_had_not_detected(which, request):
    save = request.getfixturevalue(which)
    tl = timeline(save)
    world = tl.world
    shown = 0
    for f in tl.frames():
        for when, state in (("before", f.before), ("after", f.after)):
            for side, key in ((0, "ua"), (1, "ru")):
                v = f.view(key, when)
                enemy = np.flatnonzero(world.u_side != side)
                assert (v.hex[enemy] == -1).all() and (v.strength[enemy] == 0).all()
                for c in v.contacts:
                    u = world.unit_index[c.unit]
                    assert world.u_side[u] != side
                    assert state.seen_hex[side, u] == c.hex           # where it was seen, not where it is
                    if c.current:
                        assert state.detected[side, u]
                        shown += 1
                    else:
                        assert state.turn - 1 - c.seen_turn < LAST_SEEN_TURNS
                rows_ = [r for r in f.units(key, when) if r["side"] != key]
                assert {r["id"] for r in rows_} == {c.unit for c in v.contacts}
                assert all("strength" not in r for r in rows_)
            assert all(e["to"] != ["ru"] for e in f.events_for("ua"))
            assert all(e["to"] != ["ua"] for e in f.events_for("ru"))
    assert shown > 0


# ----- surprises -------------------------------------------------------------------------

def test_fire_from_an_undetected_unit_is_a_surprise(all_roles_world, all_roles_scenario):
    world = all_roles_world
    s0 = initial_state(world)
    assert not s0.detected.any()          # nobody has seen anybody before turn 1
    orders = {0: [], 1: [Order(kind="fire", unit="ru-art", target="0505", count=6),
                         Order(kind="bomb", target="0505", count=3)]}
    for seed in range(1, 40):
        after, events = resolve_turn(world, s0, orders, Dice(seed))
        hit = [e for e in events if e.kind == "hit" and e.hex == "0505"]
        if hit:
            break
    else:
        pytest.fail("no hit in 40 seeds")
    save = new_save(world, text=scenario_text(all_roles_scenario), seed=seed, players=ai_players("hold", "hold"))
    append_turn(save, 1, orders, events, after)
    f = timeline(save).frame(1)
    fires = [s for s in f.surprises if s["kind"] == "fires" and s["hex"] == "0505"]
    assert fires and {s["side"] for s in fires} == {"ua"}
    assert {s["by"] for s in fires} <= {"ru-art", None}
    assert sum(s["loss"] for s in fires) == pytest.approx(sum(hit[0].why["losses"].values()), abs=0.05)
    assert f.surprise_totals()["ua"] >= sum(s["loss"] for s in fires) - 1e-6


def test_fire_from_a_detected_unit_is_not_a_surprise(all_roles_world):
    world = all_roles_world
    s0 = initial_state(world)
    art = world.unit_index["ru-art"]
    seen = s0.copy_with(detected=s0.detected.copy(), seen_hex=s0.seen_hex.copy(), seen_turn=s0.seen_turn.copy())
    seen.detected[0, art] = True
    seen.seen_hex[0, art] = s0.hex[art]
    seen.seen_turn[0, art] = 0
    events = [{"phase": "fires", "kind": "artillery_fire", "text": "", "to": ["ru"], "hex": "0505",
               "units": ["ru-art"], "why": {"damage": 4.0}},
              {"phase": "fires", "kind": "hit", "text": "", "to": ["ua"], "hex": "0505",
               "units": ["ua-inf-2"], "why": {"losses": {"ua-inf-2": 3.0}}}]
    after = s0.copy_with(strength=s0.strength - np.where(np.arange(world.n_units) == world.unit_index["ua-inf-2"], 3.0, 0))
    assert [s["by"] for s in surprises(world, s0, after, events)] == ["ru-art"]
    assert surprises(world, seen, after, events) == []


@pytest.mark.parametrize("which", ["game", "rgame"])
def test_surprises_are_real_losses_from_unseen_sources(which, request):
    save = request.getfixturevalue(which)
    tl = timeline(save)
    world = tl.world
    for f in tl.frames():
        for s in f.surprises:
            assert s["loss"] >= 0 and s["side"] in ("ua", "ru") and s["text"]
            if s["kind"] in ("fires", "assault") and s["by"] is not None:
                side = 0 if s["side"] == "ua" else 1
                assert not f.before.detected[side, world.unit_index[s["by"]]]
        for k in ("ua", "ru"):
            assert f.surprise_totals()[k] <= sum(f.losses[k].values()) + 0.1


# ----- series ----------------------------------------------------------------------------

def test_series_over_the_turns(rgame):
    d = series(rgame)
    n = len(rgame.turns) + 1
    assert d["turn"] == list(range(0, n))
    world = rgame.world()
    final = state_at(rgame, rgame.next_turn)
    for s, k in enumerate(("ua", "ru")):
        assert len(d["strength"][k]) == n and d["units"][k][0] > 0
        per_turn = [sum(d["losses"][k][c][i] for c in CAUSES) for i in range(n)]
        assert np.cumsum(per_turn)[-1] == pytest.approx(d["casualties"][k][-1], abs=0.05)
        assert d["casualties"][k][-1] == pytest.approx(final.casualties[s].sum(), abs=0.01)
        assert d["vp"][k][-1] == pytest.approx(final.vp[s], abs=0.01)
        assert all(x >= 0 for x in d["sorties"][k] + d["supply"][k] + d["isolated"][k])
        assert sum(d["sorties"][k]) > 0 and sum(d["supply"][k]) > 0
    for i in range(n):
        assert d["hexes"]["ua"][i] + d["hexes"]["ru"][i] + d["hexes"]["contested"][i] == world.grid.n


def test_series_csv(rgame, tmp_path):
    d = series(rgame)
    table = list(csv.DictReader(io.StringIO(to_csv(d))))
    assert len(table) == len(rgame.turns) + 1
    assert table[-1]["turn"] == str(rgame.turns[-1].turn)
    assert {"strength_ua", "loss_ru_glide_bomb", "hexes_contested", "supply_ua", "sorties_ru", "vp_ua"} <= set(table[0])
    assert float(table[-1]["vp_ru"]) == d["vp"]["ru"][-1]
    p = write_csv(rgame, tmp_path / "series.csv")
    assert p.read_text() == to_csv(d) and len(rows(d)) == len(table)


# ----- re-roll ---------------------------------------------------------------------------

def test_reroll_replication_0_is_what_happened(game):
    for turn in (1, 4):
        r = reroll(game, turn, k=40)
        assert r["replications"] == 40 and r["replication_0_matches"]
        before, after = state_at(game, turn), state_at(game, turn + 1)
        for s, k in enumerate(("ua", "ru")):
            d = r["losses"][k]
            assert d["actual"] == pytest.approx((after.casualties[s] - before.casualties[s]).sum(), abs=0.01)
            assert d["min"] <= d["actual"] <= d["max"] and d["min"] <= d["p10"] <= d["p90"] <= d["max"]
            assert 0 <= d["percentile"] <= 100
        objectives = {h for ob in game.world().scenario.objectives for h in ob.hexes}
        assert objectives <= {h["hex"] for h in r["hexes"]}
        for h in r["hexes"]:
            assert sum(h["p"].values()) == pytest.approx(1.0)
            assert h["p_actual"] >= 1 / 40 - 1e-9            # replication 0 is what happened
            assert h["actual"] == ("ua", "ru", "contested")[after.control[game.world().grid.index(h["hex"])]]


def test_reroll_refuses_turns_not_in_the_save(game):
    with pytest.raises(RerollError):
        reroll(game, 7, k=5)
    with pytest.raises(RerollError):
        reroll(game, 1, k=0)


# ----- after-action report ---------------------------------------------------------------

def test_report_markdown_has_result_every_turn_intents_and_annotations(game):
    add_annotation(game, 3, "Here UA *should* have <dug in>\nSecond | line", hex="0506", author="Maj. K")
    add_annotation(game, 0, "Set-up: look at the stronghold", author="")
    text = aar.render(game, "md")
    r = aar.result_of(game)
    assert r["headline"] in text and "## Result" in text
    for t in game.turns:
        assert f"### Day {t.turn} (" in text
    assert "UA commander's intent" in text and "RU commander's intent" in text
    assert "Here UA \\*should\\* have \\<dug in>" in text and "Second \\| line" in text
    assert "Set-up: look at the stronghold" in text and "Maj. K" in text
    assert "| drones |" in text and "<svg" not in text


def test_report_html_has_charts_every_turn_and_escaped_annotations(game):
    add_annotation(game, 2, "Watch <script>alert(1)</script> & this", author="<b>me</b>")
    text = aar.render(game, "html")
    assert text.startswith("<!DOCTYPE html>") and text.count("<svg") >= 5
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; this" in text
    assert "&lt;b&gt;me&lt;/b&gt;" in text
    for t in game.turns:
        assert f'id="turn-{t.turn}"' in text
    assert aar.result_of(game)["headline"] in text
    assert aar.render(game, "html") == text          # the same save gives the same report


def test_report_of_a_game_in_progress_and_of_no_turns(game):
    short = game.model_copy(deep=True)
    short.turns = short.turns[:2]
    short.turns_saved = 2
    r = aar.result_of(short)
    assert r["winner"] is None and "goes on" in r["how"]
    empty = game.model_copy(deep=True)
    empty.turns, empty.turns_saved = [], 0
    assert "No turn has been played yet" in aar.render(empty, "md")
    assert "<svg" in aar.render(empty, "html")
    with pytest.raises(ValueError):
        aar.render(game, "pdf")


def test_write_report_picks_the_format_from_the_suffix(game, tmp_path):
    assert aar.write_report(game, tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert aar.write_report(game, tmp_path / "r.md").read_text().startswith("# After-action report")


def test_report_layer_never_imports_the_app():
    import pathlib
    import subprocess
    import sys

    import pokrovsk_tui.report as r
    code = ("import sys, pkgutil, importlib, pokrovsk_tui.report as r\n"
            "for m in pkgutil.iter_modules(r.__path__):\n"
            "    importlib.import_module('pokrovsk_tui.report.' + m.name)\n"
            "import pokrovsk_tui.store.annotations\n"
            "print('textual' in sys.modules, any(m.startswith('pokrovsk_tui.tui') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
    for path in pathlib.Path(r.__path__[0]).glob("*.py"):
        text = path.read_text()
        for bad in ("import textual", "from textual", "import pokrovsk_tui.tui", "from pokrovsk_tui.tui", "from ..tui"):
            assert bad not in text, path
