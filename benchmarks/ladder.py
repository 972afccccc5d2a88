"""The AI ladder: tournaments between levels with the sides swapped, and a one-sided sign
test that the stronger level wins more often, by the scenario's victory margin.

    python benchmarks/ladder.py [SCENARIO] [--games N] [--jobs J] [--pairs hard:normal,normal:easy,easy:random]
                                [--seed S] [--csv-dir DIR] [--json FILE] [--scheduler ADDRESS] [--out-dir DIR]

Each pairing A:B plays N games with A as Ukraine and B as Russia (seeds S..S+N-1) and N games
the other way round (same seeds). A "win" is a game its side wins (by the VP margin at the end
or a sudden death); draws count for neither. p is P(X >= A's wins) for X ~ Binomial(decisive
games, 1/2). Long: run it in the background.

``--scheduler ADDRESS`` plays the games on a Dask cluster (README, "Sweeps on several
machines"); ``--out-dir DIR`` streams each direction of each pairing to DIR/A-vs-B.jsonl as
games finish, and a ladder run again with the same DIR plays only the games not there yet.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from pokrovsk_tui.cli.progress import RunProgress
from pokrovsk_tui.game import tournament as T


def pairing(scenario: str, a: str, b: str, games: int, jobs: int, seed: int, csv_dir: str | None,
            scheduler: str | None = None, out_dir: str | None = None) -> dict:
    t0 = time.perf_counter()

    def out(ua: str, ru: str) -> str | None:
        return f"{out_dir}/{ua}-vs-{ru}.jsonl" if out_dir else None
    fwd = T.run(scenario, a, b, games, seed=seed, jobs=jobs, progress=RunProgress(f"{a} (UA) vs {b} (RU)"),
                scheduler=scheduler, out=out(a, b))
    bwd = T.run(scenario, b, a, games, seed=seed, jobs=jobs, progress=RunProgress(f"{b} (UA) vs {a} (RU)"),
                scheduler=scheduler, out=out(b, a))
    if csv_dir:
        T.write_csv(f"{csv_dir}/{a}-vs-{b}.csv", fwd, a, b)
        T.write_csv(f"{csv_dir}/{b}-vs-{a}.csv", bwd, b, a)
    a_wins = sum(o.result["winner"] == "ua" for o in fwd) + sum(o.result["winner"] == "ru" for o in bwd)
    b_wins = sum(o.result["winner"] == "ru" for o in fwd) + sum(o.result["winner"] == "ua" for o in bwd)
    n = len(fwd) + len(bwd)
    draws = n - a_wins - b_wins
    lo, hi = T.wilson(a_wins, n)
    margin_a = [o.result["vp"]["ua"] - o.result["vp"]["ru"] for o in fwd] + \
               [o.result["vp"]["ru"] - o.result["vp"]["ua"] for o in bwd]
    m, mlo, mhi = T.mean_ci(margin_a)
    return {"a": a, "b": b, "games": n, "a_wins": a_wins, "b_wins": b_wins, "draws": draws,
            "a_win_rate": a_wins / n, "a_win_ci": [lo, hi], "a_margin": m, "a_margin_ci": [mlo, mhi],
            "a_as_ua": {"ua": sum(o.result["winner"] == "ua" for o in fwd), "ru": sum(o.result["winner"] == "ru" for o in fwd)},
            "a_as_ru": {"ua": sum(o.result["winner"] == "ua" for o in bwd), "ru": sum(o.result["winner"] == "ru" for o in bwd)},
            "p_one_sided": T.binom_sf(a_wins, a_wins + b_wins) if a_wins + b_wins else 1.0,
            "seconds": round(time.perf_counter() - t0, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default="pokrovsk-winter-2026")
    ap.add_argument("--games", type=int, default=50, help="games each way per pairing")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pairs", default="hard:normal,normal:easy,easy:random")
    ap.add_argument("--csv-dir", default=None)
    ap.add_argument("--json", default=None, help="append the results to this JSON-lines file")
    ap.add_argument("--scheduler", default=None, metavar="ADDRESS", help="play the games on this Dask cluster")
    ap.add_argument("--out-dir", default=None, metavar="DIR",
                    help="stream the games to DIR/A-vs-B.jsonl; resume from there")
    args = ap.parse_args()
    if args.out_dir:
        import os

        os.makedirs(args.out_dir, exist_ok=True)
    rows = []
    for pair in args.pairs.split(","):
        a, b = pair.split(":")
        r = pairing(args.scenario, a, b, args.games, args.jobs, args.seed, args.csv_dir, args.scheduler, args.out_dir)
        rows.append(r)
        print(f"{a} vs {b}: {r['games']} games, {a} wins {r['a_wins']}, {b} wins {r['b_wins']}, draws {r['draws']}; "
              f"{a} win rate {r['a_win_rate']:.0%} [{r['a_win_ci'][0]:.0%}, {r['a_win_ci'][1]:.0%}], "
              f"{a}'s VP margin {r['a_margin']:+.1f} [{r['a_margin_ci'][0]:+.1f}, {r['a_margin_ci'][1]:+.1f}], "
              f"one-sided p = {r['p_one_sided']:.2g} ({r['seconds']:.0f}s)", flush=True)
        if args.json:
            with open(args.json, "a") as f:
                f.write(json.dumps(r) + "\n")
    print()
    print("| pairing (A vs B) | games | A wins | B wins | draws | A win rate (95%) | A's mean VP margin (95%) | one-sided p |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['a']} vs {r['b']} | {r['games']} | {r['a_wins']} | {r['b_wins']} | {r['draws']} | "
              f"{r['a_win_rate']:.0%} [{r['a_win_ci'][0]:.0%}, {r['a_win_ci'][1]:.0%}] | "
              f"{r['a_margin']:+.1f} [{r['a_margin_ci'][0]:+.1f}, {r['a_margin_ci'][1]:+.1f}] | {r['p_one_sided']:.2g} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
