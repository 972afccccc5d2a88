"""pokrovsk whatif: scenario variants by path, paired games, and the command's contract."""

import json

import pytest

from pokrovsk_tui.cli import main
from pokrovsk_tui.game.variants import Change, VariantError, build_variant, load_data, set_path
from pokrovsk_tui.game.whatif import compare, measure_game, run_pairs, towns
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario

MAIN = "pokrovsk-winter-2026"
TUT = "tutorial-hryshyne"


def test_set_reaches_rules_units_reinforcements_and_types():
    scn = build_variant(MAIN, Change(sets=["rules.fpv_damage=3", "deliveries.ru_glide_bombs=0",
                                           "unit_types.ew.ew_strength=0.9"]))
    assert scn.rules.fpv_damage == 3 and scn.deliveries.ru_glide_bombs == 0
    assert scn.unit_types["ew"].ew_strength == 0.9
    data = load_data(MAIN)
    first = data["units"][0]["id"]
    late = data["reinforcements"][0]["unit"]["id"]
    scn = build_variant(MAIN, Change(sets=[f"units.{first}.supply=12", f"units.{late}.cohesion=40"]))
    assert next(u for u in scn.units if u.id == first).supply == 12
    assert next(r.unit for r in scn.reinforcements if r.unit.id == late).cohesion == 40


@pytest.mark.parametrize("assignment, words", [
    ("rules.fpv_damge=3", "fpv_damge"),                 # misspelt field: named by the validator
    ("rules.fpv_damage=-1", "fpv_damage"),              # out of range
    ("units.no-such-unit.strength=5", "no-such-unit"),
    ("objectives.nowhere.vp=1", "nowhere"),
    ("rules", "PATH=VALUE"),
    ("turns.x=1", "not a table"),
])
def test_a_wrong_path_or_value_is_named(assignment, words):
    with pytest.raises(VariantError) as e:
        build_variant(MAIN, Change(sets=[assignment]))
    assert words in str(e.value)


def test_remove_units_and_weather():
    scn = build_variant(MAIN, Change(remove_units=["ua-ew-*"], weather="snow"))
    assert not [u for u in scn.units if u.id.startswith("ua-ew-")]
    assert set(scn.weather.script) == {"snow"} and len(scn.weather.script) >= scn.turns
    with pytest.raises(VariantError, match="no unit id matches"):
        build_variant(MAIN, Change(remove_units=["zz-*"]))


def test_set_leaves_the_loaded_file_alone():
    data = load_data(MAIN)
    set_path(data, "rules.fpv_damage=1")
    assert load_scenario(MAIN).rules.fpv_damage != 1


def test_towns_cover_each_objective_and_do_not_overlap():
    world = build_world(load_scenario(MAIN))
    t = towns(world)
    assert "myrnohrad" in t and "pokrovsk-centre" in t
    total = sum(m.astype(int) for m in t.values())
    assert total.max() == 1


def test_a_null_variant_changes_nothing_pair_by_pair():
    """The same seeds on the same scenario: every paired difference is exactly zero."""
    world = build_world(load_scenario(TUT))
    b, v = run_pairs(world, build_world(load_scenario(TUT)), "easy", "easy", games=2, turns=3)
    cmp = compare(b, v)
    assert all(c["diff"] == 0 for c in cmp.values())
    assert b[0]["turns"] == 3


def test_measures_supply_robots_and_glide_bombs():
    world = build_world(load_scenario(TUT))
    f = measure_game(world, "normal", "normal", seed=3, turns=4)
    assert f["supply.hryshyne.road"] > 0
    assert f["robot_runs.ua.sent"] >= f["robot_runs.ua.lost"] >= 0
    no_kab = build_world(build_variant(TUT, Change(sets=["deliveries.ru_glide_bombs=0"])))
    g = measure_game(no_kab, "normal", "normal", seed=3, turns=4)
    assert g["casualties.ua.glide_bomb"] == 0


def test_command_json_and_errors(capsys):
    rc = main(["whatif", TUT, "--set", "deliveries.ru_glide_bombs=0", "--games", "2", "--turns", "2",
               "--ua", "easy", "--ru", "easy", "--json"])
    assert rc == 0
    doc = json.loads(capsys.readouterr().out)
    fig = doc["figures"]["casualties.ua.glide_bomb"]
    assert fig["variant"] == 0 and set(fig) >= {"baseline", "variant", "diff", "ci", "relative", "significant"}
    assert doc["change"]["set"] == ["deliveries.ru_glide_bombs=0"]
    rc = main(["whatif", TUT, "--set", "rules.no_such=1", "--games", "1"])
    assert rc == 2
    err = capsys.readouterr().err
    assert "rules.no_such" in err and "Traceback" not in err


def test_a_glob_changes_every_matching_unit():
    scn = build_variant(MAIN, Change(sets=["units.ua-*.entrenchment=0"]))
    ua = [u for u in scn.units if u.side == "ua"] + [r.unit for r in scn.reinforcements if r.unit.side == "ua"]
    assert ua and all(u.entrenchment == 0 for u in ua)
    assert any(u.entrenchment > 0 for u in load_scenario(MAIN).units if u.side == "ua")
    with pytest.raises(VariantError, match="no unit"):
        build_variant(MAIN, Change(sets=["units.zz-*.entrenchment=0"]))


def test_standing_fire_and_the_weather_doctrine_are_levers():
    from pokrovsk_tui.ai.plans import going
    from pokrovsk_tui.rules.dice import Dice
    from pokrovsk_tui.rules.engine import resolve_turn
    from pokrovsk_tui.rules.params import WEATHERS
    from pokrovsk_tui.rules.state import initial_state

    scn = build_variant(MAIN, Change(sets=['standing_fire=[{side="ru", road="T0504", level=3}]',
                                           "ai.weather_doctrine=false"]))
    world = build_world(scn)
    road = [world.grid.index(h) for r in scn.map.roads if r.name == "T0504" for h in r.hexes]
    st, _ = resolve_turn(world, initial_state(world), {}, Dice(1))
    st, _ = resolve_turn(world, st, {}, Dice(1))
    assert (st.fire_control[1, road] >= 3).all()          # kept up every day, no orders needed
    base = build_world(load_scenario(MAIN))
    snow = WEATHERS.index("snow")
    assert going(base, snow) < 1.0 and going(world, snow) == 1.0
    with pytest.raises(VariantError, match="no road named"):
        build_variant(MAIN, Change(sets=['standing_fire=[{side="ru", road="T05", level=3}]']))


def test_assaults_counted_on_defended_hexes_only():
    """The attack figures count only attacks on hexes with defenders, and agree with each other."""
    world = build_world(load_scenario("pokrovsk-winter-2026"))
    f = measure_game(world, "normal", "normal", seed=2, turns=4)
    for s in ("ua", "ru"):
        n = f[f"assaults.{s}.fought"]
        assert 0 <= f[f"assaults.{s}.won"] <= n and 0 <= f[f"assaults.{s}.blind"] <= n
        if n:
            assert f[f"assaults.{s}.success"] == f[f"assaults.{s}.won"] / n
            assert f[f"assaults.{s}.loss_each"] * n == pytest.approx(f[f"assaults.{s}.attacker_loss"])
    assert f["assaults.ru.fought"] + f["assaults.ua.fought"] > 0


def test_gain_split_by_weather_adds_up():
    """Russia's net gain on good- and bad-weather days adds up to its whole gain, day for day."""
    world = build_world(load_scenario("pokrovsk-winter-2026"))
    f = measure_game(world, "easy", "easy", seed=5, turns=5)
    assert f["days.good_weather"] + f["days.bad_weather"] == f["turns"] == 5
    assert f["hexes.ru_gain_good_weather"] + f["hexes.ru_gain_bad_weather"] == f["hexes.ru_gain"]
    snowy = build_world(build_variant("pokrovsk-winter-2026", Change(weather="snow")))
    g = measure_game(snowy, "easy", "easy", seed=5, turns=3)
    assert g["days.bad_weather"] == 3 and g["hexes.ru_gain_good_weather"] == 0
