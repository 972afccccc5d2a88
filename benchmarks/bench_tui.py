"""App benchmarks, run on demand (not in CI):

    python benchmarks/bench_tui.py [--repeat N]

Prints one line per figure with its target:
- `pokrovsk` to the title screen, measured in a pseudo-terminal (a real start-up);
- repainting the whole main map (every line of the Line-API widget), cold and cached;
- a key press to the updated screen, through Pilot (cursor move and unit selection);
- the app's peak memory after playing a few days of the main scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import resource
import select
import statistics
import sys
import tempfile
import time

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


def startup_seconds(repeat: int) -> float:
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            pid, fd = pty.fork()
            if pid == 0:      # child: the real command in a pseudo-terminal
                os.environ["POKROVSK_SAVE_DIR"] = tmp
                os.environ["TERM"] = "xterm-256color"
                os.environ["COLUMNS"], os.environ["LINES"] = "120", "40"
                os.execvp(sys.executable, [sys.executable, "-m", "pokrovsk_tui"])
            t0 = time.perf_counter()
            buf = b""
            seen = None
            while time.perf_counter() - t0 < 20:
                r, _, _ = select.select([fd], [], [], 0.05)
                if r:
                    try:
                        chunk = os.read(fd, 65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    buf += chunk
                    if b"New game" in buf:
                        seen = time.perf_counter() - t0
                        break
            os.write(fd, b"q")
            deadline = time.time() + 5
            while time.time() < deadline:
                done, _ = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
                r, _, _ = select.select([fd], [], [], 0.05)
                if r:
                    try:
                        os.read(fd, 65536)
                    except OSError:
                        pass
            else:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            os.close(fd)
            if seen is not None:
                times.append(seen)
    return statistics.median(times) if times else float("nan")


async def in_app(repeat: int) -> dict:
    from pokrovsk_tui.tui.app import PokrovskApp, Start

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        app = PokrovskApp(Start(kind="play", scenario="pokrovsk-winter-2026", seed=1, ai="normal"),
                          save_dir=tmp, check_interrupted=False)
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            g = app.game_screen()
            m = g.map
            # whole map, cold: every cell and line built again
            cold = []
            for _ in range(repeat):
                m._cells.clear()
                m._strips.clear()
                m._styles.clear()
                t = time.perf_counter()
                m.render_all()
                cold.append(time.perf_counter() - t)
            out["map_cold_ms"] = statistics.median(cold) * 1000
            # whole map, a repaint: every line through render_line after a cursor move
            warm = []
            for i in range(repeat):
                m.move_cursor(800 + i % 40)
                t = time.perf_counter()
                for y in range(m.size.height):
                    m.render_line(y)
                warm.append(time.perf_counter() - t)
            out["map_repaint_ms"] = statistics.median(warm) * 1000
            # key press to updated screen; a key bound to nothing gives Pilot's own round trip
            m.focus()
            noop = []
            for _ in range(repeat * 3):
                t = time.perf_counter()
                await pilot.press("f12")
                await pilot.pause()
                noop.append(time.perf_counter() - t)
            out["noop_ms"] = statistics.median(noop) * 1000
            keys = []
            for i in range(repeat * 3):
                t = time.perf_counter()
                await pilot.press("right" if i % 2 else "left")
                await pilot.pause()
                keys.append(time.perf_counter() - t)
            out["key_ms"] = statistics.median(keys) * 1000
            sel = []
            for _ in range(repeat):
                t = time.perf_counter()
                await pilot.press("tab")
                await pilot.pause()
                sel.append(time.perf_counter() - t)
            out["select_ms"] = statistics.median(sel) * 1000
            # play a few days (the computer on the other side) for the memory figure
            for _ in range(3):
                g.session.done[0] = True
                await asyncio.to_thread(g.session.resolve)
                g.after_resolution(g.session.last)
                await pilot.pause()
                while len(app.screen_stack) > 2 and type(app.screen).__name__ != "GameScreen":
                    app.pop_screen()
                    await pilot.pause()
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    start = startup_seconds(max(3, args.repeat // 3))
    print(f"pokrovsk to title screen      {start:8.2f} s   (target <= 1 s)")
    res = asyncio.run(in_app(args.repeat))
    print(f"whole map repaint (160x50)    {res['map_repaint_ms']:8.2f} ms  (target <= 20 ms)")
    print(f"whole map built cold (40x38)  {res['map_cold_ms']:8.2f} ms  (cells and lines from nothing)")
    print(f"key press to updated screen   {res['key_ms']:8.2f} ms  (Pilot round trip, cursor move)")
    print(f"  of which the app's work     {res['key_ms'] - res['noop_ms']:8.2f} ms  (target <= 50 ms; minus "
          f"Pilot's {res['noop_ms']:.0f} ms for a key bound to nothing)")
    print(f"tab to the next unit          {res['select_ms']:8.2f} ms  "
          f"(app's work {res['select_ms'] - res['noop_ms']:.0f} ms)")
    print(f"peak memory after 3 days      {res['rss_mb']:8.1f} MB  (target <= 300 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
