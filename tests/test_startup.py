"""Start-up stays light: the title screen and `pokrovsk scenarios` load no numpy, pydantic or
engine (issue #15, item 6), and the header-only scenario list says what the full load says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pokrovsk_tui.cli import main
from pokrovsk_tui.store.headers import bundled_dir, bundled_ids, read_header
from pokrovsk_tui.store.scenarios import load_scenario

HEAVY = ("numpy", "scipy", "pydantic", "pokrovsk_tui.rules.engine", "pokrovsk_tui.game.session")
SRC = str(Path(__file__).resolve().parents[1] / "src")


def _loaded_after(code: str) -> list[str]:
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    probe = code + f"\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_the_title_screen_imports_no_engine():
    assert _loaded_after("from pokrovsk_tui.tui.app import PokrovskApp") == []


def test_the_title_screen_imports_no_other_screen():
    """The dialogs, the new-game form and the game screen load when first used."""
    later = ("pokrovsk_tui.tui.screens.dialogs", "pokrovsk_tui.tui.screens.newgame",
             "pokrovsk_tui.tui.screens.game", "pokrovsk_tui.tui.screens.help")
    probe = (f"from pokrovsk_tui.tui.app import PokrovskApp\nimport sys\n"
             f"print(' '.join(m for m in {later!r} if m in sys.modules))")
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == []


def test_listing_scenarios_imports_no_engine_or_pydantic():
    code = ("import io, contextlib\nfrom pokrovsk_tui.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['scenarios']) == 0")
    assert _loaded_after(code) == []


@pytest.mark.parametrize("sid", bundled_ids())
def test_a_header_says_what_the_full_scenario_says(sid):
    s = load_scenario(sid)
    assert read_header(bundled_dir() / f"{sid}.toml") == {
        "id": s.id, "title": s.title, "width": s.map.width, "height": s.map.height, "turns": s.turns}


def test_scenarios_json_lists_every_bundled_scenario(capsys):
    assert main(["scenarios", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == bundled_ids()
    assert {"id", "title", "width", "height", "turns"} == set(rows[0])


def test_an_unusual_header_is_left_to_the_full_load(tmp_path):
    odd = tmp_path / "odd.toml"
    odd.write_text('title = "no id"\nturns = 3\n[map]\nwidth = 4\nheight = 4\n')
    assert read_header(odd) is None
    tricky = tmp_path / "tricky.toml"      # a line inside a multi-line string that looks like a table
    tricky.write_text('id = "t"\ntitle = "T"\ndescription = """\n[not a table]\n"""\nturns = 2\n'
                      '[map]\nwidth = 5  # columns\nheight = 6\nterrain = ["....."]\n')
    row = read_header(tricky)
    assert row is None or row == {"id": "t", "title": "T", "width": 5, "height": 6, "turns": 2}
