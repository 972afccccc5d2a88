"""The model's levers on the main scenario, measured with paired seeds (what `pokrovsk whatif`
does for one lever, here for all of them against one shared baseline run).

    python3 benchmarks/levers.py --games 60 --jobs 2            # the README's "What if?" table
    python3 benchmarks/levers.py --games 8 --only ew2 nofort    # a quick look at two levers

Each lever is a scenario variant (the same `--set` / `--weather` a user gives `pokrovsk
whatif`); game i of every run uses seed S + i. Prints one Markdown row per lever with the
figure the lever is about: baseline mean, variant mean, the paired difference with its 95%
interval, and the change in per cent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from pokrovsk_tui import whatif
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario
from pokrovsk_tui.variants import Change, build_variant

SCENARIO = "pokrovsk-winter-2026"

# name: (question, change, the figures it is judged by)
LEVERS = {
    "t0504": ("Russia keeps the T0504 under fire control (3) every day",
              Change(sets=['standing_fire=[{side="ru", road="T0504", level=3}]']),
              ["supply.myrnohrad.total", "supply.myrnohrad.robots", "supply.pokrovsk-centre.total"]),
    "ew2": ("Ukraine's EW posts twice as strong (0.8, not 0.4; Russia's unchanged)",
            Change(sets=['unit_types.ew_ua={role="ew", side="ua", name="EW post", strength=20, mp=2, defence=0.5, '
                         'signature=0.6, ew_radius=3, ew_strength=0.8}', "units.ua-ew-*.type=ew_ua"]),
            ["casualties.ua.drone", "casualties.ua.total"]),
    "noglide": ("no Russian glide bombs", Change(sets=["deliveries.ru_glide_bombs=0"]),
                ["hexes.urban_taken", "hexes.ru_gain", "casualties.ua.glide_bomb"]),
    "norecon": ("the Russian computer flies no recon", Change(sets=['ai.no_recon=["ru"]']),
                ["casualties.ru.ground", "hexes.ru_gain"]),
    "nofort": ("Ukraine starts with no fortifications", Change(sets=["units.ua-*.entrenchment=0"]),
               ["hexes.ru_gain", "casualties.ru.total"]),
    "snow": ("snow every day, weather doctrine off (against frost every day, doctrine off)",
             Change(sets=["ai.weather_doctrine=false"], weather="snow"), ["hexes.ru_gain"]),
    "frost": ("frost every day, weather doctrine off", Change(sets=["ai.weather_doctrine=false"], weather="frost"),
              ["hexes.ru_gain"]),
    "norobots": ("Ukraine without ground robots", Change(remove_units=["ua-ugv-*"]),
                 ["isolated_unit_days.ua", "casualties.ua.attrition", "supply.pokrovsk-centre.total"]),
}


def _job(args):
    name, seed = args
    return name, seed, whatif.measure_game(whatif._WORLDS[name], "normal", "normal", seed)


def run(names: list[str], games: int, seed: int, jobs: int) -> dict[str, list[dict]]:
    whatif._WORLDS["base"] = build_world(load_scenario(SCENARIO))
    for n in names:
        whatif._WORLDS[n] = build_world(build_variant(SCENARIO, LEVERS[n][1]))
    tasks = [(n, seed + i) for n in ["base", *names] for i in range(games)]
    out: dict[str, dict[int, dict]] = {n: {} for n in ["base", *names]}
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        for k, (n, s, f) in enumerate(ex.map(_job, tasks), 1):
            out[n][s] = f
            if k % max(1, len(tasks) // 10) == 0:
                print(f"{k}/{len(tasks)} games, {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return {n: [v[s] for s in sorted(v)] for n, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--games", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", nargs="*", default=None, help="lever names: " + ", ".join(LEVERS))
    ap.add_argument("--json", metavar="FILE", help="also write every figure of every lever to FILE")
    args = ap.parse_args()
    names = args.only or list(LEVERS)
    res = run(names, args.games, args.seed, args.jobs)
    doc = {}
    print(f"| lever ({args.games} paired games, normal vs normal) | figure | baseline | variant | difference (95%) | change |")
    print("|---|---|---|---|---|---|")
    for n in names:
        against = "frost" if n == "snow" and "frost" in res else "base"
        cmp = whatif.compare(res[against], res[n])
        doc[n] = {"against": against, "figures": cmp}
        question, _, keys = LEVERS[n]
        for k in keys:
            c = cmp[k]
            rel = "" if c["relative"] is None else f"{c['relative']:+.0%}"
            print(f"| {question if k == keys[0] else ''} | {whatif.label(k)} | {c['baseline']:.1f} | {c['variant']:.1f} "
                  f"| {c['diff']:+.1f} [{c['ci'][0]:+.1f}, {c['ci'][1]:+.1f}] | {rel} |")
    drone = {s: np.mean([g[f"casualties.{s}.drone"] / max(g[f"casualties.{s}.total"], 1e-9) for g in res["base"]])
             for s in ("ua", "ru")}
    robots = {t: np.sum([g[f"supply.{t}.robots"] for g in res["base"]]) / max(np.sum([g[f"supply.{t}.total"]
                                                                                  for g in res["base"]]), 1e-9)
              for t in ("pokrovsk-centre", "pokrovsk-station", "myrnohrad")}
    print()
    print(f"baseline: drones cause {drone['ua']:.0%} of Ukraine's casualties and {drone['ru']:.0%} of Russia's; "
          "robots carry " + ", ".join(f"{v:.0%} to {k}" for k, v in robots.items()) + " of the supply; "
          f"median Russian net gain {np.median([g['hexes.ru_gain'] for g in res['base']]):.1f} hexes, "
          f"{np.sum([g['hexes.ru_gain_after_day2'] for g in res['base']]) / max(np.sum([g['hexes.ru_gain'] for g in res['base']]), 1e-9):.0%} of it after day 2")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main()
