"""Engine benchmarks, run on demand (not in CI):

    python benchmarks/bench_engine.py [SCENARIO] [--repeat N]

Prints one line per figure with its target. Times are medians of repeated runs (wall time),
except the single turn's breakdown and the per-replication costs, which are CPU time (the
least of several runs: on a shared machine CPU time is the steadier figure).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np
from timing import median_ms  # benchmarks/timing.py (the scripts run from this folder)

from pokrovsk_tui.ai.policies import policy_rng, random_orders
from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import check_orders, resolve_batch, resolve_turn
from pokrovsk_tui.rules.montecarlo import replicate
from pokrovsk_tui.rules.odds import assault_odds
from pokrovsk_tui.rules.orders import compile_orders
from pokrovsk_tui.rules.state import initial_state
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default="pokrovsk-winter-2026")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    world = build_world(load_scenario(args.scenario))
    state = initial_state(world)
    dice = Dice(1)
    # warm up caches (distance matrix, disks) and a mid-game state with random orders on both sides
    for _ in range(3):
        orders = {s: random_orders(view(world, state, s), policy_rng(1, state.turn, s)) for s in (0, 1)}
        state, _ = resolve_turn(world, state, orders, dice)
    orders = {s: random_orders(view(world, state, s), policy_rng(1, state.turn, s)) for s in (0, 1)}
    n_orders = sum(len(v) for v in orders.values())
    print(f"scenario {args.scenario}: {world.grid.width}x{world.grid.height} hexes, {world.n_units} unit slots, "
          f"turn {state.turn} with {n_orders} random orders")

    turn_ms = median_ms(lambda: resolve_turn(world, state, orders, dice), args.repeat)
    print(f"one turn (numpy engine, K=1):          {turn_ms:8.2f} ms   (wall)")
    accepted, _ = check_orders(world, state, orders)
    co = compile_orders(world, accepted)
    one = state.batched(1)
    cpu = {
        "turn": cpu_ms(lambda: resolve_turn(world, state, orders, dice), args.repeat),
        "validation": cpu_ms(lambda: compile_orders(world, check_orders(world, state, orders)[0]), args.repeat),
        "phases": cpu_ms(lambda: resolve_batch(world, one, co, dice), args.repeat),
        "phases+events": cpu_ms(lambda: resolve_batch(world, one, co, dice, []), args.repeat),
    }
    print(f"one turn, CPU:                         {cpu['turn']:8.2f} ms   target <= 4 ms")
    print(f"  validation and compiling the orders: {cpu['validation']:8.2f} ms")
    print(f"  the phases alone (no events):        {cpu['phases']:8.2f} ms")
    print(f"  the events:                          {cpu['phases+events'] - cpu['phases']:8.2f} ms")
    print(f"  numpy calls in one turn:             {numpy_calls(lambda: resolve_turn(world, state, orders, dice)):8d}"
          "      (functions and methods; operators such as a + b come on top)")
    print(f"    validating and compiling the orders: {numpy_calls(lambda: compile_orders(world, check_orders(world, state, orders)[0])):6d}")
    print(f"    the phases alone (no events):        {numpy_calls(lambda: resolve_batch(world, one, co, dice)):6d}")
    for k in (1, 10, 100):
        per = cpu_ms(lambda k=k: replicate(world, state, orders, dice, k), max(2, args.repeat // k)) / k
        print(f"per replication, K={k:<4} (CPU):         {per:8.3f} ms")
    try:
        from pokrovsk_tui.rules.reference import reference_resolve_turn
        ref_ms = median_ms(lambda: reference_resolve_turn(world, state, orders, dice), max(3, args.repeat // 4))
        print(f"one turn (reference adjudicator):      {ref_ms:8.2f} ms   ratio reference/engine {ref_ms / turn_ms:.1f}x")
    except ImportError:
        ref_ms = None
    mc_ms = median_ms(lambda: replicate(world, state, orders, dice, 1000), max(3, args.repeat // 4))
    print(f"1,000 replications of the turn:        {mc_ms:8.1f} ms   target <= 500 ms")
    if ref_ms is not None:
        print(f"  per replication: engine {mc_ms / 1000:.3f} ms vs reference {ref_ms:.2f} ms "
              f"-> {ref_ms * 1000 / mc_ms:.0f}x   target >= 30x")
    side = 1
    v = view(world, state, side)
    own = v.own_units
    attackers, target = _an_assault(world, v, own)
    if attackers:
        odds_ms = median_ms(lambda: assault_odds(v, [], attackers, target, replications=1000), max(3, args.repeat // 4))
        print(f"assault odds preview, 1,000 reps:      {odds_ms:8.1f} ms   target <= 1000 ms (engine phases)")
    pols = (policy_for("hold"), policy_for("random"))
    game_ms = median_ms(lambda: play_game(world, pols, seed=3), max(3, args.repeat // 4))
    print(f"full game hold vs random:              {game_ms:8.1f} ms   target <= 500 ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS):                 {peak:8.0f} MB   target < 200 MB")


def cpu_ms(fn, repeat: int) -> float:
    """Least CPU time of ``fn()`` over five rounds of ``repeat`` runs, per run, in ms."""
    fn()
    best = float("inf")
    for _ in range(5):
        t = time.process_time()
        for _ in range(repeat):
            fn()
        best = min(best, (time.process_time() - t) / repeat * 1000)
    return best


def numpy_calls(fn) -> int:
    """numpy functions and methods ``fn()`` calls from outside numpy (C functions, ufunc and
    array methods, and numpy's Python-level functions, each counted once at its entry)."""
    count = 0

    def inside(code) -> bool:
        return "/numpy/" in code.co_filename

    def hook(frame, event, arg):
        nonlocal count
        if event == "c_call" and not inside(frame.f_code):
            owner = getattr(arg, "__self__", None)
            if (isinstance(arg, np.ufunc) or str(getattr(arg, "__module__", "") or "").startswith("numpy")
                    or isinstance(owner, np.ndarray | np.generic)):
                count += 1
        elif event == "call" and inside(frame.f_code) and frame.f_back is not None and not inside(frame.f_back.f_code):
            count += 1

    sys.setprofile(hook)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def _an_assault(world, v, own):
    g = world.grid
    for u in own:
        if world.t_attack[world.u_type[u]] <= 0:
            continue
        for c in v.contacts:
            if g.hex_distance(v.hex[u], c.hex) == 1:
                return [world.unit_ids[u]], g.hex_id(c.hex)
    for u in own:
        if world.t_attack[world.u_type[u]] > 0:
            nb = g.neighbours[v.hex[u]]
            return [world.unit_ids[u]], g.hex_id(int(nb[nb >= 0][0]))
    return [], ""


if __name__ == "__main__":
    main()
