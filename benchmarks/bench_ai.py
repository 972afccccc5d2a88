"""Computer-commander benchmarks, run on demand (not in CI):

    python benchmarks/bench_ai.py [SCENARIO] [--repeat N] [--levels L,...] [--no-game] [--games G] [--jobs J]

Decision time per level (CPU time) on mid-game states of the main scenario (both sides,
several states), the CPU time of one whole normal-vs-normal game, and optionally the wall time
of G normal-vs-normal games in J processes. Targets (issue #15): normal <= 30 ms, hard <= 200 ms,
a normal-vs-normal game <= 1 CPU-s; 100 normal games, 2 jobs <= 5 min.

CPU time moves by 20% and more with the load of a shared machine: compare two trees by runs
made one after the other, several times over (PYTHONPATH=TREE/src), not with a figure of
another day.
"""

from __future__ import annotations

import argparse
import statistics
import time

from pokrovsk_tui.ai.policies import POLICIES, policy_rng
from pokrovsk_tui.game import tournament
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default="pokrovsk-winter-2026")
    ap.add_argument("--repeat", type=int, default=3, help="decisions per side and state")
    ap.add_argument("--games", type=int, default=0, help="also time G normal-vs-normal games")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--levels", default="easy,normal,hard", help="the levels to time, comma-separated")
    ap.add_argument("--no-game", action="store_true", help="skip the whole normal-vs-normal game")
    args = ap.parse_args()
    world = build_world(load_scenario(args.scenario))
    # states met in a normal-vs-normal game: day 1, day 6, day 12, day 18
    rec = play_game(world, (POLICIES["normal"], POLICIES["normal"]), seed=11, keep_history=True)
    states = [rec.initial] + [t.state for t in rec.turns if t.turn in (5, 11, 17)]
    states = [s for s in states if not s.over]
    print(f"scenario {args.scenario}: {world.n_units} unit slots; {len(states)} states x 2 sides x {args.repeat}")
    POLICIES["hard"].decide(view(world, states[0], 0), policy_rng(0, 1, 0))      # warm the caches
    targets = {"easy": None, "normal": 30.0, "hard": 200.0}
    levels = [lv for lv in args.levels.split(",") if lv]
    bad = [lv for lv in levels if lv not in targets]
    if bad:
        ap.error(f"unknown level(s) {', '.join(bad)}: choose from {', '.join(targets)}")
    for level in levels:
        target = targets[level]
        times = []
        for st in states:
            for side in (0, 1):
                for i in range(args.repeat):
                    t = time.process_time()
                    POLICIES[level].decide(view(world, st, side), policy_rng(i, st.turn, side))
                    times.append((time.process_time() - t) * 1000)
        tgt = f"target <= {target:.0f} ms" if target else ""
        print(f"{level:<7} decision (CPU): median {statistics.median(times):7.1f} ms, max {max(times):7.1f} ms   {tgt}")
    if not args.no_game:
        t = time.process_time()
        play_game(world, (POLICIES["normal"], POLICIES["normal"]), seed=12)
        print(f"one normal-vs-normal game (CPU): {time.process_time() - t:6.2f} s   target <= 1 s")
    if args.games:
        t = time.perf_counter()
        tournament.run(args.scenario, "normal", "normal", args.games, jobs=args.jobs, world=world)
        s = time.perf_counter() - t
        print(f"{args.games} normal-vs-normal games, {args.jobs} jobs: {s:6.0f} s   target (100 games) <= 300 s")


if __name__ == "__main__":
    main()
