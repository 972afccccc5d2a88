"""How the engine's cost grows with the map, run on demand (not in CI):

    python benchmarks/bench_scale.py [--tiles 1x1,2x2,3x3] [--repeat N] [--ai]

The main scenario tiled (benchmarks/tiling.py: 1x1 is 40 x 38 = 1,520 hexes, 2x2 is 80 x 76,
3x3 is 120 x 114 = 13,680 hexes, nine times the units). Each size runs in a fresh process;
after three turns of random orders it measures, as CPU time: building the World, one turn
(numpy engine, K=1), one replication (of 100 in one call), optionally (--ai) a normal AI
decision; and the process's peak memory (with --game T, also the peak memory of T turns of a
normal-against-normal game in a fresh process). Then the log-log slope of each cost against the
number of hexes (least squares over the sizes): 1 is linear, 2 quadratic.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys

ONE = r"""
import json, resource, statistics, sys, time
sys.path.insert(0, %(here)r)
from tiling import tiled
from pokrovsk_tui.ai.policies import policy_rng, random_orders
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.limits import MAX_ITEMS
from pokrovsk_tui.rules.montecarlo import replicate
from pokrovsk_tui.rules.scenario import Scenario
from pokrovsk_tui.rules.state import initial_state
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.world import build_world

def cpu(fn, n):
    ts = []
    for _ in range(n):
        t = time.process_time(); fn(); ts.append((time.process_time() - t) * 1000)
    return statistics.median(ts)

kx, ky, repeat, ai = %(kx)d, %(ky)d, %(repeat)d, %(ai)r
data = tiled(kx, ky)
data["units"] = data["units"][:MAX_ITEMS]       # 3x3 has 1,008 units: the schema takes 1,000
scn = Scenario.model_validate(data)
t = time.process_time(); world = build_world(scn); build = (time.process_time() - t) * 1000
state, dice = initial_state(world), Dice(1)
for _ in range(3):
    orders = {s: random_orders(view(world, state, s), policy_rng(1, state.turn, s)) for s in (0, 1)}
    state, _ = resolve_turn(world, state, orders, dice)
orders = {s: random_orders(view(world, state, s), policy_rng(1, state.turn, s)) for s in (0, 1)}
out = {"hexes": world.grid.n, "units": world.n_units, "build_ms": build,
       "turn_ms": cpu(lambda: resolve_turn(world, state, orders, dice), repeat),
       "replication_ms": cpu(lambda: replicate(world, state, orders, dice, 100), max(3, repeat // 4)) / 100}
if ai:
    from pokrovsk_tui.game.loop import policy_for
    pol = policy_for("normal")
    out["normal_ai_ms"] = cpu(lambda: pol(view(world, state, 1), policy_rng(1, state.turn, 1)), 3)
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""

# a game in a fresh process: normal against normal for a few turns, history kept (as a session
# keeps it); its peak memory is what a player's machine needs on that map
GAME = r"""
import json, resource, sys, time
sys.path.insert(0, %(here)r)
from tiling import tiled
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.limits import MAX_ITEMS
from pokrovsk_tui.rules.scenario import Scenario
from pokrovsk_tui.rules.world import build_world

data = tiled(%(kx)d, %(ky)d)
data["units"] = data["units"][:MAX_ITEMS]
world = build_world(Scenario.model_validate(data))
t = time.process_time()
rec = play_game(world, ("normal", "normal"), seed=1, max_turns=%(turns)d, keep_history=True)
print(json.dumps({"game_turns": len(rec.turns), "game_s": time.process_time() - t,
                  "game_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def slope(xs: list[float], ys: list[float]) -> float:
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tiles", default="1x1,2x2,3x3")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--ai", action="store_true", help="also a normal AI decision (slow on big maps)")
    ap.add_argument("--game", type=int, default=0, metavar="T",
                    help="also play T turns of normal against normal in a fresh process: its peak memory")
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    rows = []
    for spec in args.tiles.split(","):
        kx, ky = (int(v) for v in spec.split("x"))
        code = ONE % {"here": here, "kx": kx, "ky": ky, "repeat": args.repeat, "ai": args.ai}
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if res.returncode != 0:
            print(f"{spec}: failed: {res.stderr.strip().splitlines()[-1] if res.stderr else res.returncode}")
            continue
        r = json.loads(res.stdout.strip().splitlines()[-1])
        if args.game:
            code = GAME % {"here": here, "kx": kx, "ky": ky, "turns": args.game}
            res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            if res.returncode == 0:
                r.update(json.loads(res.stdout.strip().splitlines()[-1]))
        rows.append(r)
        extra = f"  normal AI {r['normal_ai_ms']:8.0f} ms" if "normal_ai_ms" in r else ""
        if "game_peak_mb" in r:
            extra += f"  game of {r['game_turns']} turns: {r['game_s']:.1f} s, peak {r['game_peak_mb']:.0f} MB"
        print(f"{spec:>4}: {r['hexes']:6,} hexes {r['units']:5} units  build {r['build_ms']:7.0f} ms  "
              f"turn {r['turn_ms']:7.1f} ms  replication {r['replication_ms']:6.2f} ms  "
              f"peak {r['peak_mb']:6.0f} MB{extra}", flush=True)
    if len(rows) >= 2:
        hx = [r["hexes"] for r in rows]
        keys = (["build_ms", "turn_ms", "replication_ms", "peak_mb"] + (["normal_ai_ms"] if args.ai else [])
                + (["game_peak_mb"] if all("game_peak_mb" in r for r in rows) else []))
        print("log-log slope against hexes (1 linear, 2 quadratic; target <= 1.2): " +
              ", ".join(f"{k} {slope(hx, [r[k] for r in rows]):.2f}" for k in keys))


if __name__ == "__main__":
    main()
