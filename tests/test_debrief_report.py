"""The report tells the battle: the result and why (VP by objective adds up to the score),
3-7 key moments with places, odds, maps and the four after-action questions, intents before
what happened, places not hex lists; one side's debrief never names or draws an enemy unit
that side had not detected."""

import re

import numpy as np
import pytest

from pokrovsk_tui.cli import main
from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.report.aar import render, report_data
from pokrovsk_tui.report.debrief import key_moments, vp_by_objective
from pokrovsk_tui.report.places import group, where
from pokrovsk_tui.report.svg_map import ROLE_LETTER, units_shown
from pokrovsk_tui.report.timeline import timeline
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.saves import ai_players, load_save, save_from_record, write_save
from pokrovsk_tui.store.scenarios import bundled_dir, load_scenario

TUTORIAL = bundled_dir() / "tutorial-hryshyne.toml"


@pytest.fixture(scope="module", params=[("random", "random", 5), ("normal", "easy", 3)])
def path(request, tmp_path_factory):
    ua, ru, seed = request.param
    world = build_world(load_scenario("tutorial-hryshyne"))
    rec = play_game(world, (policy_for(ua), policy_for(ru)), seed=seed, keep_history=True)
    save = save_from_record(rec, text=TUTORIAL.read_text(), players=ai_players(ua, ru), name="Lesson 3")
    return write_save(save, tmp_path_factory.mktemp("rep") / "lesson.toml")


def test_vp_by_objective_adds_up_to_the_score(path):
    save = load_save(path)
    tl = timeline(save)
    rows = vp_by_objective(tl)
    final = tl.state_at(tl.last + 1)
    assert sum(r["vp"]["ua"] for r in rows) == pytest.approx(float(final.vp[0]), abs=0.2)
    assert sum(r["vp"]["ru"] for r in rows) == pytest.approx(float(final.vp[1]), abs=0.2)
    for r in rows:
        assert sum(r["final"].values()) == r["hexes"]


def test_the_front_page_comes_first_and_the_days_tell_intent_before_results(path):
    text = render(load_save(path), "md")
    assert text.startswith("# After-action report: Lesson 3")
    order = [text.index(h) for h in ("## Result", "### Why", "## Key moments", "## What happened, day by day",
                                     "## Tables")]
    assert order == sorted(order)
    d = report_data(load_save(path))
    assert 1 <= len(d["moments"]) <= 7
    for m in d["moments"]:
        assert set(m["prompts"]) == {"planned", "happened", "why", "keep_change"}
        assert f"**Day {m['turn']}**" in text
    for t in d["turns"]:
        block = text.split(f"### Day {t['turn']} (")[1].split("###")[0]
        if t["intent"]:
            assert block.index("intent:*") < block.index("- Losses:")       # intent before what happened
    # places, not bare lists of hex ids
    assert not re.search(r"walked into \d{4}, \d{4}", text)


def test_an_html_report_has_maps_at_start_moments_and_end(path):
    save = load_save(path)
    html = render(save, "html")
    n = len(report_data(save)["moments"])
    assert html.count('<div class="map"><svg') == n + 2
    assert "<title>After-action report: Lesson 3</title>" in html


@pytest.mark.parametrize("side", ["ua", "ru"])
def test_a_side_debrief_names_and_draws_no_undetected_enemy(path, side, tmp_path):
    save = load_save(path)
    tl = timeline(save)
    world = tl.world
    s = 0 if side == "ua" else 1
    enemy = {world.unit_ids[u] for u in range(world.n_units) if world.u_side[u] != s}
    could = set()
    for f in tl.frames():
        for when in ("before", "after"):
            could |= set(f.view(side, when).contacts and [c.unit for c in f.view(side, when).contacts])
    never = enemy - could
    assert never, "the test needs enemy units this side never detected"
    out = tmp_path / f"{side}.md"
    assert main(["report", str(path), "--view", side, "-o", str(out)]) == 0
    html = tmp_path / f"{side}.html"
    assert main(["report", str(path), "--view", side, "-o", str(html)]) == 0
    for text in (out.read_text(), html.read_text()):
        named = {u for u in enemy if re.search(rf"\b{re.escape(u)}\b", text)}
        assert not named & never, sorted(named & never)
    # and the maps draw, of the enemy, exactly the units detected that day
    for t in tl.turns:
        st = tl.state_at(t + 1)
        drawn = [x for x in units_shown(world, st, s) if x[1] != s]
        assert len(drawn) == sum(1 for c in view(world, st, s).contacts if c.current)
        truth_enemy = int(np.sum(st.on_map & (world.u_side != s)))
        assert len([x for x in units_shown(world, st, None) if x[1] != s]) == truth_enemy


def test_key_moments_of_a_side_tell_only_its_losses(path):
    tl = timeline(load_save(path))
    for side in ("ua", "ru"):
        for m in key_moments(tl, side):
            if m["kind"] in ("losses", "units destroyed"):
                assert m["side"] == side


def test_places_are_settlement_names(path):
    world = load_save(path).world()
    h, name = next(iter(world.hex_names.items()))
    hid = world.grid.hex_id(h)
    assert where(world, hid) == name
    near = world.grid.hex_id(int(np.flatnonzero(world.grid.dist_from(h) == 1)[0]))
    assert where(world, near) == f"near {name}"
    assert group(world, [hid, near]) in (f"{name} and a hex near {name}", f"a hex near {name} and {name}")


def test_the_report_uses_the_apps_unit_letters():
    from pokrovsk_tui.tui.glyphs import ROLE_LETTER as APP

    assert ROLE_LETTER == APP


def test_surprises_split_missed_from_unseeable_and_mark_few_days(path):
    from pokrovsk_tui.report.timeline import surprise_days
    from pokrovsk_tui.rules.view import could_have_seen

    assert could_have_seen("fires", None, "glide_bombs")[0] is False
    assert could_have_seen("kill_zone", None)[0] is False and could_have_seen("robots", "ua-ugv-1")[0] is False
    assert could_have_seen("fires", "ru-fpv-1", "strike")[0] is True and could_have_seen("assault", "ru-ag-1")[0]
    tl = timeline(load_save(path))
    for f in tl.frames():
        for s in f.surprises:
            assert s["missed"] == (s["kind"] == "assault" or (s["kind"] == "fires" and s["by"] is not None
                                                             and s["what"] != "glide bombs"))
        both = f.surprise_totals()
        for k in ("ua", "ru"):
            assert both[k] == pytest.approx(f.surprise_totals(True)[k] + f.surprise_totals(False)[k], abs=0.02)
    days = surprise_days(tl)
    marked = set(days["ua"]) | set(days["ru"])
    assert len(marked) <= max(2, len(tl.turns) // 2)        # a few days, never all
    for k, ds in days.items():
        for t in ds:
            f = tl.frame(t)
            assert f.surprise_totals(True)[k] >= 0.3 * sum(f.losses[k].values())


def test_key_events_first_and_filters(path):
    from pokrovsk_tui.report.keyevents import acting_side, is_key, key_first, matches, parse_filter
    from pokrovsk_tui.tui.review import Review, event_of

    save = load_save(path)
    rv = Review(save, None)
    world = rv.world
    side_of = {u: int(world.u_side[i]) for u, i in world.unit_index.items()}
    seen_key = 0
    for t in rv.tl.turns:
        events = [event_of(t, e) for e in rv.tl.frame(t).events_for("truth")]
        key, rest = key_first(events)
        assert len(key) + len(rest) == len(events)
        assert all(is_key(e) for e in key) and not any(is_key(e) for e in rest)
        assert all(e.phase != "detection" for e in key)            # detection lines never lead
        seen_key += len(key)
        f = parse_filter("combat ru", set(), set(side_of))
        for e in events:
            if matches(e, f, side_of):
                assert e.phase == "combat" and acting_side(e, side_of) == "ru"
    assert seen_key > 0
    hexes = {world.grid.hex_id(h) for h in range(world.grid.n)}
    f = parse_filter("fires 0506 hits key", hexes, set(side_of))
    assert f.phases == {"fires"} and f.hexes == {"0506"} and f.words == ("hits",) and f.key_only


def test_a_heavy_day_is_reroll_tested_for_luck(path):
    from pokrovsk_tui.report.debrief import _luck
    from pokrovsk_tui.report.reroll import reroll

    save = load_save(path)
    said = _luck(save, 2, "ua", 40)
    p = reroll(save, 2, 40)["losses"]["ua"]["percentile"]
    assert "re-rolled 40 times with the same orders" in said and "percentile" in said
    assert ("bad luck" in said) == (p >= 90)
    assert _luck(save, 2, "ua", 0) == ""
