"""The instructors' commands: report, annotate, reroll; their output and exit codes."""

import csv
import io
import json

import pytest

from pokrovsk_tui.cli import main
from pokrovsk_tui.store.saves import load_save


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    d = tmp_path_factory.mktemp("s")
    assert main(["simulate", "tutorial-hryshyne", "--ua", "random", "--ru", "random", "--seed", "5",
                 "--save-dir", str(d), "--json"]) == 0
    return d / "tutorial-hryshyne-random-vs-random-seed5.toml"


@pytest.fixture
def save(source, tmp_path):
    p = tmp_path / "game.toml"
    p.write_bytes(source.read_bytes())
    return p


def test_report_markdown_to_stdout(save, capsys):
    code, out, err = run(capsys, "report", save)
    assert code == 0 and err == ""
    assert out.startswith("# After-action report: tutorial-hryshyne-random-vs-random-seed5")
    assert "## Result" in out and all(f"### Day {t} (" in out for t in range(1, 7))


def test_report_html_file_and_csv(save, tmp_path, capsys):
    html = tmp_path / "aar.html"
    code, out, err = run(capsys, "report", save, "-o", html)
    assert code == 0 and out == "" and f"wrote {html}" in err
    assert html.read_text().startswith("<!DOCTYPE html>") and "<svg" in html.read_text()
    md = tmp_path / "aar.txt"
    assert run(capsys, "report", save, "-o", md)[0] == 0 and md.read_text().startswith("# After-action")
    assert run(capsys, "report", save, "-o", md, "--format", "html")[0] == 0
    assert md.read_text().startswith("<!DOCTYPE html>")
    series = tmp_path / "series.csv"
    code, out, err = run(capsys, "report", save, "--csv", series)
    assert code == 0 and out == ""                      # only the CSV without -o
    rows = list(csv.DictReader(io.StringIO(series.read_text())))
    assert [r["turn"] for r in rows] == [str(t) for t in range(0, 7)]
    code, out, _ = run(capsys, "report", save, "--csv", "-")
    assert code == 0 and out.startswith("turn,weather,strength_ua")


@pytest.mark.parametrize("content, words", [
    (None, "(file): no such file"),
    ("not = [toml", "not valid TOML"),
    ('format_version = 3\nname = "x"\n', "app_version: Field required"),
])
def test_report_of_a_bad_save_says_file_place_what(tmp_path, capsys, content, words):
    p = tmp_path / "bad.toml"
    if content is not None:
        p.write_text(content)
    code, out, err = run(capsys, "report", p)
    assert code == 1 and out == ""
    assert err.startswith(f"{p}: ") and words in err


def test_report_cannot_write_says_so(save, tmp_path, capsys):
    code, _, err = run(capsys, "report", save, "-o", tmp_path / "no" / "such" / "dir.md")
    assert code == 1 and "(file): cannot write" in err


def test_report_usage_errors_exit_2(save, capsys):
    with pytest.raises(SystemExit) as e:
        main(["report", str(save), "--format", "pdf"])
    assert e.value.code == 2
    capsys.readouterr()


def test_annotate_add_list_edit_delete(save, capsys):
    code, out, _ = run(capsys, "annotate", save, "--turn", "2", "--hex", "0506", "--author", "Maj. K",
                       "--text", "RU got in here")
    assert code == 0 and "added note 1 on turn 2" in out
    assert run(capsys, "annotate", save, "--turn", "0", "-m", "Set-up")[0] == 0
    code, out, _ = run(capsys, "annotate", save, "--list")
    assert out.splitlines() == ["1. turn 2 hex 0506 (Maj. K): RU got in here", "2. turn 0: Set-up"]
    assert run(capsys, "annotate", save, "--edit", "1", "--hex", "-", "--text", "Edited")[0] == 0
    assert run(capsys, "annotate", save, "--delete", "2")[0] == 0
    notes = load_save(save).annotations
    assert [(a.turn, a.hex, a.author, a.text) for a in notes] == [(2, None, "Maj. K", "Edited")]
    _, out, _ = run(capsys, "report", save)
    assert "Edited" in out and "Maj. K" in out
    code, _, _ = run(capsys, "verify", save)
    assert code == 0


@pytest.mark.parametrize("args, code, words", [
    (["--turn", "9", "-m", "x"], 1, "--turn: turn 9 is not in this game"),
    (["--turn", "1", "--hex", "9999", "-m", "x"], 1, "--hex: hex 9999 is off the map"),
    (["--turn", "1", "-m", "  "], 1, "--text: is empty"),
    (["--delete", "3"], 1, "--delete: there is no note 3"),
    (["--turn", "1"], 2, "give --turn T and --text TEXT"),
])
def test_annotate_bad_input(save, capsys, args, code, words):
    before = save.read_bytes()
    got, _, err = run(capsys, "annotate", save, *args)
    assert got == code and words in err
    assert save.read_bytes() == before


def test_annotate_a_bad_save(tmp_path, capsys):
    code, _, err = run(capsys, "annotate", tmp_path / "none.toml", "--list")
    assert code == 1 and "no such file" in err


def test_reroll_text_and_json(save, capsys):
    code, out, _ = run(capsys, "reroll", save, "--turn", "2", "-k", "20")
    assert code == 0
    assert out.startswith("turn 2 re-rolled 20 times with the same orders (replication 0 equals what happened)")
    assert "UA losses: actual" in out and "percentile" in out
    code, out, _ = run(capsys, "reroll", save, "--turn", "2", "-k", "20", "--json")
    r = json.loads(out)
    assert code == 0 and r["replication_0_matches"] and r["replications"] == 20
    code, _, err = run(capsys, "reroll", save, "--turn", "8")
    assert code == 1 and "--turn: turn 8 is not in this save" in err
    missing = save.parent / "missing.toml"
    code, _, err = run(capsys, "reroll", missing, "--turn", "1")
    assert code == 1 and f"{missing}: (file): no such file" in err


def test_report_of_a_cut_save(save, capsys):
    text = save.read_text()
    save.write_text(text[: len(text) // 2])
    code, out, err = run(capsys, "report", save)
    assert code == 1 and out == "" and err.startswith(f"{save}: ")
