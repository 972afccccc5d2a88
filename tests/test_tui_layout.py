"""The layout follows the terminal: after the window was too small, growing it back gives the
same layout as a fresh start at that size; at 80 x 24 the header keeps both sides' VP and the
New game form shows every label whole."""

from __future__ import annotations

import asyncio
import os

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

import pytest  # noqa: E402

from conftest import make_app  # noqa: E402

TUT = "tutorial-hryshyne"


def layout(app) -> dict[str, tuple]:
    """Every widget with an id on the screen: where it is and how large."""
    return {w.id: (tuple(w.region), w.display) for w in app.screen.query("*") if w.id}


async def _layout_at(tmp_path, size, via=None, **start):
    app = make_app(tmp_path, **start)
    async with app.run_test(size=via or size) as pilot:
        for _ in range(3):
            await pilot.pause()
        if via is not None:
            await pilot.resize_terminal(70, 20)
            for _ in range(3):
                await pilot.pause()
            assert type(app.screen).__name__ == "TooSmallScreen"
            await pilot.resize_terminal(*size)
            for _ in range(5):
                await pilot.pause()
        assert type(app.screen).__name__ == "GameScreen"
        return layout(app), app.has_class("-short"), app.has_class("-narrow")


@pytest.mark.parametrize("size,via", [((120, 40), (120, 40)), ((160, 50), (100, 30)), ((120, 40), (80, 24))])
def test_small_then_large_restores_the_layout_of_a_fresh_start(tmp_path, size, via):
    start = dict(scenario=TUT, seed=1, ai="hold")
    fresh = asyncio.run(_layout_at(tmp_path / "a", size, **start))
    resized = asyncio.run(_layout_at(tmp_path / "b", size, via=via, **start))
    assert resized[1:] == fresh[1:] == (False, False)
    assert resized[0] == fresh[0]
