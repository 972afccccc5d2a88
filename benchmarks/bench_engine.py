"""Engine benchmarks, run on demand (not in CI):

    python benchmarks/bench_engine.py [SCENARIO] [--repeat N]

Prints one line per figure with its target. Times are medians of repeated runs.
"""

from __future__ import annotations

import argparse
import resource

from timing import median_ms  # benchmarks/timing.py (the scripts run from this folder)

from pokrovsk_tui.ai.policies import policy_rng, random_orders
from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.montecarlo import replicate
from pokrovsk_tui.rules.odds import assault_odds
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
    print(f"one turn (numpy engine, K=1):          {turn_ms:8.2f} ms   target <= 5 ms")
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
