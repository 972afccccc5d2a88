"""`pokrovsk validate`: exit 0 for sound files, exit 1 with `file: place: what` lines otherwise."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from pokrovsk_tui.cli import main
from pokrovsk_tui.store import tomlw
from pokrovsk_tui.store.scenarios import bundled_dir

TUTORIAL = bundled_dir() / "tutorial-hryshyne.toml"


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def write_variant(tmp_path, mutate, name="s.toml"):
    data = tomllib.loads(TUTORIAL.read_text())
    mutate(data)
    p = tmp_path / name
    p.write_bytes(tomlw.dumps(data).encode())
    return p


def test_bundled_scenarios_are_valid(capsys):
    files = sorted(str(p) for p in bundled_dir().glob("*.toml"))
    assert files
    code, out, _ = run(capsys, "validate", *files)
    assert code == 0, out
    assert out.count(": ok") == len(files)


@pytest.mark.parametrize(
    "content, place, words",
    [
        (b"", "(file)", "empty"),
        (b"this is = = not toml", "line 1", "not valid TOML"),
        (b"\xff\xfe\x00garbage", "line 1", "not UTF-8"),
        (b"id = 'x'\n", "title", "Field required"),
    ],
)
def test_broken_files_give_one_clear_line(tmp_path, capsys, content, place, words):
    p = tmp_path / "bad.toml"
    p.write_bytes(content)
    code, out, err = run(capsys, "validate", str(p))
    assert code == 1
    assert "Traceback" not in out + err
    assert any(line.startswith(f"{p}: {place}") and words in line for line in out.splitlines()), out


def test_huge_file_is_refused(tmp_path, capsys):
    p = tmp_path / "huge.toml"
    p.write_bytes(b"# " + b"x" * (9 * 1024 * 1024))
    code, out, _ = run(capsys, "validate", str(p))
    assert code == 1 and "limit" in out


def test_missing_file_and_folder(tmp_path, capsys):
    code, out, _ = run(capsys, "validate", str(tmp_path / "nope.toml"), str(tmp_path))
    assert code == 1
    assert "no such file" in out and "is a folder" in out


@pytest.mark.parametrize(
    "mutate, place, words",
    [
        (lambda d: d.__setitem__("turns", "six"), "turns", "integer"),
        (lambda d: d["units"][0].__setitem__("hex", "9999"), "units[0].hex", "off the map"),
        (lambda d: d["units"][1].__setitem__("type", "tank"), "units[1].type", "unknown unit type"),
        (lambda d: d["units"][1].__setitem__("id", "ua-93-1"), "units[1].id", "used twice"),
        (lambda d: d["map"]["terrain"].__setitem__(2, "..."), "map.terrain[2]", "3 characters"),
        (lambda d: d["map"]["terrain"].__setitem__(0, "....Q......."), "map.terrain[0]", "unknown characters"),
        (lambda d: d["map"]["roads"][0]["hexes"].__setitem__(3, "0409"), "map.roads[0].hexes[3]", "not adjacent"),
        (lambda d: d.__setitem__("colour", "red"), "colour", "unknown field"),
        (lambda d: d["rules"].__setitem__("detect_k", -1) if "rules" in d else d.__setitem__("rules", {"detect_k": -1}),
         "rules.detect_k", "greater than or equal"),
        (lambda d: d["units"][5].__setitem__("side", "ua"), "units[5].type", "for side ru"),
        (lambda d: d["weather"].__setitem__("markov", {"frost": {"frost": 0.5}}), "weather.markov.frost", "add up"),
    ],
)
def test_semantic_problems_name_their_place(tmp_path, capsys, mutate, place, words):
    p = write_variant(tmp_path, mutate)
    code, out, err = run(capsys, "validate", str(p))
    assert code == 1
    assert "Traceback" not in out + err
    lines = [line for line in out.splitlines() if line.startswith(f"{p}: {place}:")]
    assert lines and any(words in line for line in lines), out


def test_several_files_report_each(tmp_path, capsys):
    good = TUTORIAL
    bad = tmp_path / "bad.toml"
    bad.write_text("[map]\nwidth = 'x'\n")
    code, out, _ = run(capsys, "validate", str(good), str(bad))
    assert code == 1
    assert f"{good}: ok" in out
    assert f"{bad}: map.width" in out


def test_schema_is_json_schema(capsys):
    code, out, _ = run(capsys, "schema", "scenario")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "Scenario"
    assert "units" in schema["properties"] and "rules" in schema["properties"]


def test_scenarios_json_lists_bundled(capsys):
    code, out, _ = run(capsys, "scenarios", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["tutorial-hryshyne"]["width"] == 12 and rows["tutorial-hryshyne"]["turns"] == 6


def test_console_script_and_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "pokrovsk_tui", "scenarios"], capture_output=True, text=True)
    assert out.returncode == 0 and "tutorial-hryshyne" in out.stdout


def test_unknown_scenario_id_is_a_clear_error(capsys):
    code, out, err = run(capsys, "simulate", "no-such-scenario", "--ua", "hold", "--ru", "hold")
    assert code == 1 and "no bundled scenario" in err and "Traceback" not in err


def test_bundled_dir_found_from_checkout():
    assert Path(bundled_dir(), "tutorial-hryshyne.toml").is_file()
