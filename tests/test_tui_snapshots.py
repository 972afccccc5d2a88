"""SVG snapshots of key screens at fixed sizes and seeds (pytest-textual-snapshot).

After a deliberate change of the look, look at the new pictures and accept them with
``python3 -m pytest tests/test_tui_snapshots.py --snapshot-update``."""

from __future__ import annotations

import os

import pytest

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


async def no_toasts(pilot) -> None:
    """Clear the messages and wait until no toast is drawn on any screen."""
    app = pilot.app
    app.clear_notifications()
    for _ in range(200):
        await pilot.pause()
        if not any(s.query("Toast") for s in app.screen_stack):
            break
    await pilot.pause()


def _main_map(zoom: str):
    """The main map on the city, the day-1 toasts gone: names, counters and front marks."""
    async def run_before(pilot):
        app = pilot.app
        for _ in range(3):
            await pilot.pause()
        await no_toasts(pilot)
        g = app.screen
        if zoom == "large":
            await pilot.press("plus")
        g.map.move_cursor(g.session.world.grid.index("2021"), center=True)
        for _ in range(3):
            await pilot.pause()
    return run_before


@pytest.mark.parametrize("size", [(120, 40), (160, 50)])
@pytest.mark.parametrize("zoom", ["compact", "large"])
def test_main_map_names_at_both_zooms(snap_compare, tmp_path, size, zoom):
    app = app_for(tmp_path, kind="play", scenario="pokrovsk-winter-2026", seed=1, ai="hold")
    app.notify = lambda *args, **kwargs: None    # the map alone, no message toasts
    assert snap_compare(app, run_before=_main_map(zoom), terminal_size=size)


def test_hotseat_handoff(snap_compare, tmp_path):
    assert snap_compare(app_for(tmp_path, kind="play", scenario=TUT, mode="hotseat", seed=1,
                                names=("Olena", "Ivan")), terminal_size=(80, 24))


def test_results_screen(snap_compare, tmp_path):
    async def end_turn(pilot):
        for _ in range(200):                 # the day-1 messages come once the screen is up
            await pilot.pause()
            if pilot.app._notifications:
                break
        await no_toasts(pilot)
        await pilot.press("tab", "d", "e")
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(1000):
            await pilot.pause(0.02)
            if type(pilot.app.screen).__name__ == "ResultsScreen":
                break
        await no_toasts(pilot)               # the day-1 toasts time out at their own pace
        await pilot.pause(0.2)
        await no_toasts(pilot)

    app = app_for(tmp_path, kind="play", scenario=TUT, seed=1, ai="hold")
    app.notify = lambda *args, **kwargs: None    # no message toasts timed by the clock under the results
    assert snap_compare(app, run_before=end_turn, terminal_size=(100, 32))
