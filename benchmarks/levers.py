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

from pokrovsk_tui.game import whatif
from pokrovsk_tui.game.variants import Change, build_variant
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario

SCENARIO = "pokrovsk-winter-2026"

# name: (question, change, the figures it is judged by)
LEVERS = {
    "t0504": ("Russia keeps the T0504 under fire control (3) every day",
              Change(sets=['standing_fire=[{side="ru", road="T0504", level=3}]']),
              ["supply.myrnohrad.total", "supply.myrnohrad.robots", "supply.pokrovsk-centre.total"]),
    "ew2": ("Ukraine's EW posts twice as strong (Russia's unchanged)", None,      # built from the scenario
            ["casualties.ua.drone", "casualties.ua.total"]),
    "noglide": ("no Russian glide bombs", Change(sets=["deliveries.ru_glide_bombs=0"]),
                ["hexes.urban_taken", "hexes.ru_gain", "casualties.ua.glide_bomb"]),
    "norecon": ("the Russian computer flies no recon", Change(sets=['ai.no_recon=["ru"]']),
                ["assaults.ru.loss_each", "assaults.ru.success", "casualties.ru.ground", "hexes.ru_gain"]),
    "nofort": ("Ukraine starts with no fortifications", Change(sets=["units.ua-*.entrenchment=0"]),
               ["hexes.ru_gain", "casualties.ru.total"]),
    "doctrine_off": ("the computer's weather doctrine off (both sides attack in any weather), scripted weather",
                     Change(sets=["ai.weather_doctrine=false"]),
                     ["hexes.ru_gain", "hexes.ru_gain_good_weather", "hexes.ru_gain_bad_weather"]),
    "snow": ("snow every day, weather doctrine off (against frost every day, doctrine off)",
             Change(sets=["ai.weather_doctrine=false"], weather="snow"), ["hexes.ru_gain"]),
    "frost": ("frost every day, weather doctrine off", Change(sets=["ai.weather_doctrine=false"], weather="frost"),
              ["hexes.ru_gain"]),
    "norobots": ("Ukraine without ground robots", Change(remove_units=["ua-ugv-*"]),
                 ["isolated_unit_days.ua", "casualties.ua.attrition", "supply.pokrovsk-centre.total"]),
}


def ew_doubled(scenario: str) -> Change:
    """Ukraine's EW posts as the scenario has them, with twice the jamming strength: a Ukrainian
    copy of the EW type, so Russia's posts stay as they are."""
    t = load_scenario(scenario).unit_types["ew"]
    fields = ", ".join(f"{k}={json.dumps(v)}" for k, v in t.model_dump(exclude_none=True).items()
                       if not isinstance(v, dict) and k not in ("side", "ew_strength"))
    return Change(sets=[f'unit_types.ew_ua={{{fields}, side="ua", ew_strength={2 * t.ew_strength}}}',
                        "units.ua-ew-*.type=ew_ua"])


def _job(args):
    name, seed = args
    return name, seed, whatif.measure_game(whatif._WORLDS[name], "normal", "normal", seed)


def run(names: list[str], games: int, seed: int, jobs: int, scenario: str = SCENARIO) -> dict[str, list[dict]]:
    whatif._WORLDS["base"] = build_world(load_scenario(scenario))
    for n in names:
        change = LEVERS[n][1] if LEVERS[n][1] is not None else ew_doubled(scenario)
        whatif._WORLDS[n] = build_world(build_variant(scenario, change))
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
    ap.add_argument("--scenario", default=SCENARIO, help="the baseline scenario (bundled id or path)")
    args = ap.parse_args()
    names = args.only or list(LEVERS)
    res = run(names, args.games, args.seed, args.jobs, args.scenario)
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
    base = res["base"]
    city = ("pokrovsk-centre", "pokrovsk-station", "myrnohrad")
    robots_city = (np.sum([g[f"supply.{t}.robots"] for g in base for t in city])
                   / max(np.sum([g[f"supply.{t}.total"] for g in base for t in city]), 1e-9))
    ratio = np.median([g["casualties.ru.total"] / max(g["casualties.ua.total"], 1e-9) for g in base])
    wins = {k: np.mean([g[f"win.{k}"] for g in base]) for k in ("ua", "ru", "draw")}
    att = {s: (np.sum([g[f"assaults.{s}.won"] for g in base]) / max(np.sum([g[f"assaults.{s}.fought"] for g in base]), 1),
               np.sum([g[f"assaults.{s}.blind"] for g in base]) / max(np.sum([g[f"assaults.{s}.fought"] for g in base]), 1))
           for s in ("ua", "ru")}
    for n in ("base", "doctrine_off"):
        if n in res:
            r = res[n]
            per = {b: np.sum([g[f"hexes.ru_gain_{b}_weather"] for g in r]) / max(np.sum([g[f"days.{b}_weather"] for g in r]), 1)
                   for b in ("good", "bad")}
            print(f"{n}: Russia's net gain a day {per['good']:.2f} hexes in frost/fog, {per['bad']:.2f} in snow/thaw "
                  f"({per['bad'] / per['good']:.0%} of it)" if per["good"] > 0 else f"{n}: no net gain in frost/fog")
    print(f"baseline: robots carry {robots_city:.0%} of the supply to the three city objectives; median RU:UA "
          f"casualty ratio {ratio:.2f}; wins UA {wins['ua']:.0%} / RU {wins['ru']:.0%} / draws {wins['draw']:.0%}; "
          + "; ".join(f"{s.upper()} attacks on defended hexes won {a:.0%}, blind {b:.0%}" for s, (a, b) in att.items()))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main()
