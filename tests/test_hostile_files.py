"""Hostile scenario files: every number and size is bounded by the model with a message naming
the field and the limit, `validate` reports every file however pathological, and any scenario
the validator accepts plays (random orders, a few turns) without an exception."""

import copy
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pokrovsk_tui.cli import main
from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.limits import MAX_COUNT, MAX_HEXES, MAX_NUMBER, MAX_SIDE
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store import tomlw
from pokrovsk_tui.store.scenarios import bundled_dir, parse_toml_text, validate_data

TUTORIAL = bundled_dir() / "tutorial-hryshyne.toml"
BASE = tomllib.loads(TUTORIAL.read_text())


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def padded_map(doc: dict, width: int, height: int) -> dict:
    """The tutorial's map grown to width x height (rows repeated at the edges)."""
    m = doc["map"]
    for k in ("terrain", "control"):
        rows = [r + r[-1] * (width - len(r)) for r in m[k]]
        m[k] = rows + [rows[-1]] * (height - len(rows))
    m["width"], m["height"] = width, height
    return doc


def test_an_integer_of_5000_digits_is_one_clear_line_and_the_next_file_is_still_checked(tmp_path, capsys):
    big = tmp_path / "big.toml"
    big.write_text(TUTORIAL.read_text().replace("turns = 6", "turns = " + "9" * 5000, 1))
    huge_map = tmp_path / "map.toml"
    huge_map.write_bytes(tomlw.dumps(padded_map(copy.deepcopy(BASE), 130, 130)).encode())
    code, out, err = run(capsys, "validate", str(big), str(huge_map), str(TUTORIAL))
    assert code == 1 and "Traceback" not in out + err
    assert f"{big}: (syntax): a number is too long to read" in out
    assert f"{huge_map}: map: map too large: 130x130 = 16,900 hexes; at most 16,384 hexes" in out
    assert f"{TUTORIAL}: ok" in out


def test_a_file_that_makes_the_checker_itself_fail_is_reported_and_the_rest_go_on(tmp_path, capsys, monkeypatch):
    import pokrovsk_tui.store.scenarios as scenarios

    def boom(data, name):
        raise RuntimeError("unforeseen")
    monkeypatch.setattr(scenarios, "validate_data", boom)
    code, out, err = run(capsys, "validate", str(TUTORIAL), str(TUTORIAL))
    assert code == 1
    assert out.count("cannot be checked: RuntimeError: unforeseen") == 2


@pytest.mark.parametrize("width, height, ok", [(64, 64, True), (99, 99, True), (120, 114, True), (128, 128, True),
                                               (200, 81, True), (129, 128, False), (201, 10, False),
                                               (200, 82, False), (150, 150, False)])
def test_map_size_bounds(width, height, ok):
    scn, found = validate_data(padded_map(copy.deepcopy(BASE), width, height), "x")
    assert (scn is not None) == ok, found
    if not ok:
        assert any(p.place in ("map", "map.width", "map.height", "map.terrain", "map.control") for p in found), found
        assert any(str(MAX_SIDE) in p.message or f"{MAX_HEXES:,}" in p.message for p in found), found


def _set(doc, path, value):
    node = doc
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value


UNIT_TYPES = [k for k, t in BASE["unit_types"].items()]
DRONE = next(k for k, t in BASE["unit_types"].items() if "drone" in t)
UGV = next(k for k, t in BASE["unit_types"].items() if t["role"] == "ugv")

# (place in the file, the largest value it accepts)
COUNT_LIMITS = [
    (("deliveries", "ru_glide_bombs"), MAX_COUNT),
    (("deliveries", "ua_glide_bombs"), MAX_COUNT),
    (("deliveries", "ru_drones"), MAX_COUNT),
    (("deliveries", "ua_drones"), MAX_COUNT),
    (("unit_types", DRONE, "drone", "sorties_per_day"), MAX_COUNT),
    (("unit_types", UGV, "ugv_runs_per_day"), MAX_COUNT),
    (("unit_types", DRONE, "drone", "stock"), MAX_NUMBER),
    (("unit_types", DRONE, "drone", "range"), 2 * MAX_SIDE),
    (("turns",), 365),
]


@pytest.mark.parametrize("path, limit", COUNT_LIMITS)
def test_counts_at_the_limit_play_and_beyond_it_are_refused_naming_field_and_limit(path, limit):
    doc = copy.deepcopy(BASE)
    _set(doc, path, limit)
    scn, found = validate_data(doc, "x")
    assert scn is not None, found
    play_game(build_world(scn), (policy_for("normal"), policy_for("normal")), seed=3, max_turns=2)
    for beyond in (limit + 1, 10**30, 2**63):
        doc = copy.deepcopy(BASE)
        _set(doc, path, beyond)
        scn, found = validate_data(doc, "x")
        assert scn is None
        place = ".".join(str(p) for p in path)
        hits = [p for p in found if p.place == place or place.startswith(p.place)]
        assert hits, found
        assert any(f"{limit}" in p.message or f"{limit:,}" in p.message for p in hits), hits


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 1e300])
@pytest.mark.parametrize("path", [("rules", "detect_k"), ("supply_sources", 0, "capacity"),
                                  ("objectives", 0, "vp"), ("unit_types", UNIT_TYPES[0], "attack")])
def test_floats_must_be_finite_and_in_range(path, value):
    doc = copy.deepcopy(BASE)
    doc.setdefault("rules", {})
    _set(doc, path, value)
    scn, found = validate_data(doc, "x")
    assert scn is None and found


def test_a_huge_integer_in_toml_text_is_refused_not_raised():
    doc, found = parse_toml_text("x = " + "1" * 4301, "f.toml")
    assert doc is None and "too long" in found[0].message


# ----- any scenario the validator accepts plays ---------------------------------------------

NUMBERS = st.one_of(st.integers(-3, 5), st.integers(0, 2 * MAX_COUNT), st.sampled_from(
    [MAX_COUNT, MAX_COUNT + 1, MAX_NUMBER, MAX_NUMBER + 1, 2**63, -(2**63), 10**40]))
FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(0, 200), st.just(0.0))


def _numeric_places(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _numeric_places(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _numeric_places(v, path + (i,))
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path, node


PLACES = sorted(_numeric_places(BASE), key=str)


@given(data=st.data(), width=st.integers(2, 14), height=st.integers(2, 12), seed=st.integers(0, 2**31))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_scenario_the_validator_accepts_plays_three_turns(data, width, height, seed):
    doc = copy.deepcopy(BASE)
    if width >= 12 and height >= 10:
        padded_map(doc, width, height)
    else:   # a smaller map than the units need: the validator must say so, or it plays
        doc["map"]["width"], doc["map"]["height"] = width, height
        doc["map"]["terrain"] = [r[:width] for r in doc["map"]["terrain"][:height]]
        doc["map"]["control"] = [r[:width] for r in doc["map"]["control"][:height]]
    for _ in range(data.draw(st.integers(1, 4))):
        path, old = data.draw(st.sampled_from(PLACES))
        _set(doc, path, data.draw(NUMBERS if isinstance(old, int) else FLOATS))
    scn, found = validate_data(doc, "x")
    if scn is None:
        assert found and all(p.place and p.message for p in found)
        return
    pols = (policy_for(data.draw(st.sampled_from(["random", "easy"]))), policy_for("random"))
    play_game(build_world(scn), pols, seed=seed, max_turns=3)


def test_terminal_escapes_in_files_never_reach_the_terminal(tmp_path, capsys):
    doc = copy.deepcopy(BASE)
    doc["units"][0]["hex"] = "\x1b[2J\x1b]0;pwned\x07"
    doc["title"] = "\x1b[31mred\u202e"
    p = tmp_path / "esc\x1b[1m.toml"
    p.write_bytes(tomlw.dumps(doc).encode())
    code, out, err = run(capsys, "validate", str(p))
    assert code == 1
    for ch in ("\x1b", "\x07", "\u202e"):
        assert ch not in out + err
    assert "\\x1b" in out
    # a note's text, listed
    from pokrovsk_tui.store.saves import ai_players, save_from_record, write_save

    rec = play_game(build_world(validate_data(copy.deepcopy(BASE), "x")[0]),
                    (policy_for("hold"), policy_for("hold")), seed=1, keep_history=True, max_turns=1)
    save = save_from_record(rec, text=TUTORIAL.read_text(), players=ai_players("hold", "hold"))
    sp = write_save(save, tmp_path / "g.toml")
    sp.write_text(sp.read_text().replace("[[turns]]", '[[annotations]]\nturn = 1\ntext = "a\\u001b[2Jb"\n\n[[turns]]', 1))
    code, out, err = run(capsys, "annotate", str(sp), "--list")
    assert code == 0 and "\x1b" not in out and "a\\x1b[2Jb" in out
