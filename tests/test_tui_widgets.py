"""The map at the speed of a keypress and the panels as widgets (issue 14): a cursor step
draws again only the lines of the two hexes it leaves and enters, without working out the
whole map's keys again, and the panels follow in the same frame (before any message is
handled); the caches are bounded; a panel's line count is bounded cheaply and exactly. (No
import cycle in the app's modules, nor anywhere in the package: tests/test_layering.py.)"""

from __future__ import annotations

import asyncio
import functools
import os
import random

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from rich.console import Console  # noqa: E402
from rich.text import Text  # noqa: E402
from textual.cache import LRUCache  # noqa: E402

from pokrovsk_tui.tui.app import PokrovskApp, Start  # noqa: E402
from pokrovsk_tui.tui.geometry import step  # noqa: E402
from pokrovsk_tui.tui.screens.game import GameScreen  # noqa: E402
from pokrovsk_tui.tui.widgets.panels import line_bounds, wrapped_lines  # noqa: E402

TUT = "tutorial-hryshyne"
MAIN = "pokrovsk-winter-2026"


def sync(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


@sync
async def test_a_cursor_step_redraws_two_hexes_and_the_panels_in_the_same_frame(tmp_path):
    app = PokrovskApp(Start(kind="play", scenario=MAIN, seed=1, ai="hold"), save_dir=tmp_path,
                      check_interrupted=False)
    async with app.run_test(size=(160, 50)) as pilot:
        for _ in range(4):
            await pilot.pause()
        g = app.screen
        assert isinstance(g, GameScreen)
        m = g.map
        grid = g.session.world.grid
        m.render_all()                                    # every line drawn and kept
        keys = m._keys
        before = set(m._strips.keys())
        here = m.cursor
        there = step(grid, here, "e")
        assert there != here
        m.action_step("e")                                # no await: nothing else has run yet
        assert m.cursor == there and m.picture.cursor == there
        # the panels already tell of the new hex
        assert grid.hex_id(there) in g.hexinfo.text.plain
        # the per-hex keys were not worked out again; only the two hexes' lines were dropped
        assert m._keys is keys
        ch = m.geometry.zoom.ch
        rows = {here // grid.width, there // grid.width}
        dropped = before - set(m._strips.keys())
        assert dropped == {r * ch + dy for r in rows for dy in range(ch)}
        # the lines drawn again show the cursor on its new hex only
        m.render_all()
        assert m._key(there)[3] == "cursor" and m._key(here)[3] != "cursor"
        # the caches are bounded
        assert isinstance(m._cells, LRUCache) and isinstance(m._strips, LRUCache)
        assert m._cells.maxsize <= 4 * grid.n and m._strips.maxsize <= 4 * grid.height


def test_line_bounds_hold_and_the_count_is_rich_s():
    console = Console(width=200)
    rng = random.Random(14)
    words = ["a", "hex", "Myrnohrad", "supply", "x" * 12, "—", "T0504/E50", "kill-zone", "ok", "", " 80 "]
    for _ in range(300):
        width = rng.randint(8, 40)
        lines = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 14))) for _ in range(rng.randint(1, 6))]
        plain = "\n".join(lines)
        true = len(Text(plain).wrap(console, width))
        lo, hi = line_bounds(plain, width)
        assert lo <= true <= hi, (plain, width)
        assert wrapped_lines(console, plain, width) == true
