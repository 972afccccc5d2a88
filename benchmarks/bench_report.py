"""Replay and report benchmarks, run on demand (not in CI):

    python benchmarks/bench_report.py [SCENARIO] [--ua POLICY] [--ru POLICY] [--seed S] [--repeat N] [-k K]

Plays one game (main scenario, random against random by default: 21 turns, the most orders
and events), saves and loads it, then prints one line per figure with its target:

- jump to a turn, cold: a new timeline (nothing cached) and the frame of one turn (states
  decoded, both views, surprises), worst turn of the game;
- jump to a turn, warm: frames already made, jumping back and forth;
- the whole timeline (every frame), the series, and the report in Markdown and HTML from a
  loaded save; load + report; and ``pokrovsk report SAVE -o FILE.html`` as a new process;
- re-roll of one turn with K replications (for information).

Times are medians of repeated runs (the worst turn: the largest median).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import median_ms  # benchmarks/timing.py (the scripts run from this folder)

from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.report.aar import render
from pokrovsk_tui.report.reroll import reroll
from pokrovsk_tui.report.series import series
from pokrovsk_tui.report.timeline import Timeline
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.saves import ai_players, load_save, save_from_record, write_save
from pokrovsk_tui.store.scenarios import load_scenario, resolve_ref


def line(name: str, value: str, target: str = "") -> None:
    print(f"{name:<58} {value:>12}   {target}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default="pokrovsk-winter-2026")
    ap.add_argument("--ua", default="random")
    ap.add_argument("--ru", default="random")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("-k", type=int, default=200, help="replications of the re-roll")
    args = ap.parse_args()

    world = build_world(load_scenario(args.scenario))
    rec = play_game(world, (policy_for(args.ua), policy_for(args.ru)), seed=args.seed, keep_history=True)
    text = resolve_ref(args.scenario).read_text(encoding="utf-8")
    save = save_from_record(rec, text=text, players=ai_players(args.ua, args.ru), source=args.scenario)
    with tempfile.TemporaryDirectory() as d:
        path = write_save(save, Path(d) / "game.toml")
        size = path.stat().st_size
        loaded = load_save(path)
        turns = [t.turn for t in loaded.turns]
        print(f"{args.scenario}, {args.ua} vs {args.ru}, seed {args.seed}: {len(turns)} turns, "
              f"save {size / 1e6:.2f} MB; medians of {args.repeat} runs")
        line("load the save (parse, validate)", f"{median_ms(lambda: load_save(path), args.repeat):.0f} ms")

        cold = {t: median_ms(lambda t=t: Timeline(loaded).frame(t), args.repeat) for t in turns}
        worst = max(cold, key=cold.get)
        line(f"jump to a turn, cold (worst: turn {worst})", f"{cold[worst]:.1f} ms", "<= 100 ms")
        tl = Timeline(loaded)
        tl.frames()
        order = turns * 5
        random.Random(0).shuffle(order)
        per = median_ms(lambda: [tl.frame(t) for t in order], args.repeat) / len(order)
        line("jump to a turn, warm (frames cached)", f"{per * 1000:.1f} us", "<= 100 ms")
        line("whole timeline (every frame, fresh)", f"{median_ms(lambda: Timeline(loaded).frames(), args.repeat):.0f} ms")
        line("load + series (all turns)", f"{median_ms(lambda: series(load_save(path)), args.repeat):.0f} ms")
        md = median_ms(lambda: render(load_save(path), "md"), args.repeat)
        html = median_ms(lambda: render(load_save(path), "html"), args.repeat)
        line("load + report, Markdown", f"{md:.0f} ms", "<= 2 s")
        line("load + report, HTML with charts", f"{html:.0f} ms", "<= 2 s")
        out = Path(d) / "aar.html"
        cmd = [sys.executable, "-m", "pokrovsk_tui", "report", str(path), "-o", str(out)]
        proc = median_ms(lambda: subprocess.run(cmd, check=True, capture_output=True), args.repeat)
        line("`pokrovsk report SAVE -o FILE.html` (new process)", f"{proc:.0f} ms", "<= 2 s")
        mid = turns[len(turns) // 2]
        rr = median_ms(lambda: reroll(loaded, mid, args.k), max(1, args.repeat // 2))
        line(f"re-roll turn {mid}, K = {args.k}", f"{rr:.0f} ms")


if __name__ == "__main__":
    main()
