"""The app's commands: `pokrovsk`, `pokrovsk play`, `pokrovsk load` (argument checks only;
the app itself is tested through Pilot)."""

from __future__ import annotations

import os

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from pokrovsk_tui.cli import main  # noqa: E402


def test_play_rejects_an_unknown_ai_level(capsys):
    assert main(["play", "tutorial-hryshyne", "--ai", "genius"]) == 2
    assert "not a level" in capsys.readouterr().err


def test_play_watch_levels_are_checked(capsys):
    assert main(["play", "tutorial-hryshyne", "--mode", "watch", "--ru-ai", "genius"]) == 2
    assert "--ru-ai 'genius' is not a level" in capsys.readouterr().err
    assert main(["play", "tutorial-hryshyne", "--ua-ai", "hard"]) == 2      # solo: --ai is the opponent
    assert "are for --mode watch" in capsys.readouterr().err


def test_play_rejects_an_unknown_scenario(capsys):
    assert main(["play", "no-such-scenario"]) == 1
    assert "no bundled scenario" in capsys.readouterr().err


def test_load_names_a_missing_file(capsys, tmp_path):
    assert main(["load", str(tmp_path / "missing.toml")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_the_app_needs_a_terminal(capsys):
    # under pytest stdin is not a terminal: a clear message instead of a broken screen
    assert main([]) == 2
    assert "interactive terminal" in capsys.readouterr().err


def test_play_bad_mode_is_a_usage_error(capsys):
    try:
        main(["play", "--mode", "chess"])
    except SystemExit as e:
        assert e.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_palette_lists_the_main_actions(tmp_path):
    import asyncio

    from pokrovsk_tui.tui.app import PokrovskApp, Start

    async def run():
        app = PokrovskApp(Start(kind="play", scenario="tutorial-hryshyne", seed=1, ai="hold"), save_dir=tmp_path,
                          check_interrupted=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            titles = [c.title for c in app.get_system_commands(app.screen)]
            for t in ("End turn", "Save as", "Undo order", "Overlay: supply", "Keys", "Rules", "Quit",
                      "Colour-blind colours"):
                assert t in titles
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert type(app.screen).__name__ == "CommandPalette"

    asyncio.run(run())
