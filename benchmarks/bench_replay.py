"""The replay screen's speed, measured through the screen (Pilot), run on demand:

    python benchmarks/bench_replay.py [SAVE] [--repeat N]

Without SAVE it plays the main scenario random against random (seed 5: 21 turns), saves and
opens it. Prints, with the target:

- open: load the save and show day 1 (Pilot: until the screen is drawn);
- jump to a day, cold: the first visit of each day (its frame made, both views, surprises,
  the map, panels and the events list drawn), the worst day; then warm (visited before);
- a view switch (truth -> UA -> RU), the worst;
- one step (] key) round trip.

Each figure is the time from the call (or key) to the end of ``pilot.pause()``, i.e. the
screen processed and refreshed, as wall-clock time and as this process's CPU time (the app
runs in this process's one thread: on a machine shared with other jobs the CPU time is the
steadier figure); Pilot's own overhead for a key bound to nothing is printed for reference.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


def make_save(folder: Path) -> Path:
    from pokrovsk_tui.game.loop import policy_for
    from pokrovsk_tui.game.sim import play_game
    from pokrovsk_tui.rules.world import build_world
    from pokrovsk_tui.store.saves import ai_players, save_from_record, write_save
    from pokrovsk_tui.store.scenarios import load_scenario, resolve_ref

    scn = "pokrovsk-winter-2026"
    world = build_world(load_scenario(scn))
    rec = play_game(world, (policy_for("random"), policy_for("random")), seed=5, keep_history=True)
    save = save_from_record(rec, text=resolve_ref(scn).read_text(encoding="utf-8"),
                            players=ai_players("random", "random"), source=scn)
    return write_save(save, folder / "bench-replay.toml")


async def run(path: Path, repeat: int) -> None:
    from pokrovsk_tui.report import timeline as tlmod
    from pokrovsk_tui.tui.app import PokrovskApp, Start

    def line(name: str, ms, target: str = "") -> None:
        if isinstance(ms, tuple):
            print(f"{name:<58} {ms[0]:7.1f} ms wall {ms[1]:6.1f} ms CPU   {target}")
        else:
            print(f"{name:<58} {ms:7.1f} ms wall   {target}")

    def clock() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def since(c: tuple[float, float]) -> tuple[float, float]:
        return (time.perf_counter() - c[0]) * 1000, (time.process_time() - c[1]) * 1000

    def worst_of(d: dict):
        k = max(d, key=lambda x: d[x][0])
        return k, d[k]

    def median2(vals) -> tuple[float, float]:
        vals = list(vals)
        return statistics.median(v[0] for v in vals), statistics.median(v[1] for v in vals)

    t = time.perf_counter()
    app = PokrovskApp(Start(kind="replay", path=str(path)), save_dir=path.parent / "saves", check_interrupted=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        rp = app.screen
        line("open the replay (load the save, draw day 1)", (time.perf_counter() - t) * 1000)
        turns = rp.review.tl.turns
        print(f"{path.name}: {len(turns)} days; at 120 x 40")
        # Pilot's own overhead: a key bound to nothing
        base = []
        for _ in range(repeat):
            c = clock()
            await pilot.press("f12")
            await pilot.pause()
            base.append(since(c))
        line("Pilot round trip of a key bound to nothing (reference)", median2(base))
        # cold: each day's first visit after opening (the screen makes every day's frame when
        # it opens, for the timeline's marks; the counters, map marks, map cells and lists
        # of a day are made on its first visit)
        from pokrovsk_tui.tui.review import Review

        rp.review = Review(rp.review.save, path)
        rp.map._cells.clear()
        rp.map._strips.clear()
        cold = {}
        for d in reversed(turns):
            for stage in ("results", "orders"):
                c = clock()
                rp.goto_turn(d, stage)
                await pilot.pause()
                cold[(d, stage)] = since(c)
        worst, v = worst_of(cold)
        line(f"jump to a day, first visit (worst: day {worst[0]} {worst[1]})", v, "<= 100 ms")
        line("jump to a day, first visit, median", median2(cold.values()), "<= 100 ms")
        # colder: the timeline made anew too (a frame per day: states decoded, views, surprises)
        tlmod._CACHE.clear()
        rp.review = Review(rp.review.save, path)
        colder = {}
        for d in turns:
            c = clock()
            rp.goto_turn(d, "results")
            await pilot.pause()
            colder[d] = since(c)
        worst, v = worst_of(colder)
        line(f"jump to a day, nothing cached (worst: day {worst})", v, "<= 100 ms")
        warm = {}
        for d in turns:
            times = []
            for _ in range(repeat):
                rp.goto_turn(turns[0] if d != turns[0] else turns[-1])
                await pilot.pause()
                c = clock()
                rp.goto_turn(d)
                await pilot.pause()
                times.append(since(c))
            warm[d] = median2(times)
        worst, v = worst_of(warm)
        line(f"jump to a day, warm (median of {repeat}; worst: day {worst})", v, "<= 100 ms")
        line("jump to a day, warm, median over the days", median2(warm.values()), "<= 100 ms")
        views = []
        for d in turns[::5]:
            rp.goto_turn(d, "results")
            for key in ("u", "r", "t"):
                c = clock()
                await pilot.press(key)
                await pilot.pause()
                views.append(since(c))
        line("switch the view (u, r, t keys), median (Pilot's key included)", median2(views))
        line("switch the view, worst", max(views))
        rp.goto_turn(turns[0])
        await pilot.pause()
        steps = []
        for _ in range(min(2 * len(turns) - 1, 20)):
            c = clock()
            await pilot.press("right_square_bracket")
            await pilot.pause()
            steps.append(since(c))
        line("step (] key), median (Pilot's key included)", median2(steps))
        line("step (] key), worst", max(steps))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("save", nargs="?")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        path = Path(args.save) if args.save else make_save(Path(d))
        asyncio.run(run(path, args.repeat))


if __name__ == "__main__":
    sys.exit(main())
