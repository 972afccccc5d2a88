"""SVG snapshots of key screens at fixed sizes and seeds (pytest-textual-snapshot).

After a deliberate change of the look, look at the new pictures and accept them with
``python3 -m pytest tests/test_tui_snapshots.py --snapshot-update``."""

from __future__ import annotations

import os

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from pokrovsk_tui.tui.app import PokrovskApp, Start  # noqa: E402

TUT = "tutorial-hryshyne"


def app_for(tmp_path, **start) -> PokrovskApp:
    return PokrovskApp(Start(**start), save_dir=tmp_path, check_interrupted=False)


def test_title_screen(snap_compare, tmp_path):
    assert snap_compare(app_for(tmp_path), terminal_size=(80, 24))


def test_game_screen_tutorial(snap_compare, tmp_path):
    assert snap_compare(app_for(tmp_path, kind="play", scenario=TUT, seed=1, ai="hold"),
                        press=["tab", "m", "left"], terminal_size=(120, 40))


def test_whole_sector_at_160x50(snap_compare, tmp_path):
    assert snap_compare(app_for(tmp_path, kind="play", scenario="pokrovsk-winter-2026", seed=1, ai="hold"),
                        terminal_size=(160, 50))


def test_hotseat_handoff(snap_compare, tmp_path):
    assert snap_compare(app_for(tmp_path, kind="play", scenario=TUT, mode="hotseat", seed=1,
                                names=("Olena", "Ivan")), terminal_size=(80, 24))


def test_results_screen(snap_compare, tmp_path):
    async def end_turn(pilot):
        await pilot.press("tab", "d", "e")
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.02)
            if type(pilot.app.screen).__name__ == "ResultsScreen":
                break
        await pilot.pause()

    assert snap_compare(app_for(tmp_path, kind="play", scenario=TUT, seed=1, ai="hold"),
                        run_before=end_turn, terminal_size=(100, 32))
