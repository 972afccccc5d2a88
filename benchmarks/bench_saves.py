"""Save benchmarks, run on demand (not in CI):

    python benchmarks/bench_saves.py [SCENARIO] [--tiles KXxKY] [--ua POLICY] [--ru POLICY] [--seeds N]
                                     [--repeat N] [--memory]

Plays finished games (random against random by default: the most orders and events), then
prints one line per figure with its target: the size of the save, the time to write it
(TOML text + atomic write with fsync), and the time to load it (parse + validate) and to
verify it (replay every turn and compare). Times are medians of repeated runs.

Then the autosave of each day of the game as the app does it (the turn appended, then
`store.saves.autosave`): with the journal (a full write every few days, the new turns
appended in between) and, for comparison, with a full write every day; and the TOML parse
of the save with `tomllib` beside `store.tomlr` (rtoml when installed). The autosave and
load figures are CPU time (time.process_time) as well as wall time: on a shared machine the
wall time is the CPU time stretched by the load.

``--tiles 3x2`` plays on the scenario tiled 3 across and 2 down (benchmarks/tiling.py: 120 x
76 hexes, 726 unit slots; the figures' targets are those of the main map). ``--memory``: how
much a session's memory grows a day, autosaving each day as the app does (tracemalloc).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tomllib
from pathlib import Path

from timing import median_ms  # benchmarks/timing.py (the scripts run from this folder)

from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store import journal, tomlr
from pokrovsk_tui.store.replay import verify
from pokrovsk_tui.store.saves import (
    ai_players,
    append_turn,
    autosave,
    dumps_save,
    load_save,
    new_save,
    save_from_record,
    write_save,
)
from pokrovsk_tui.store.scenarios import load_scenario, resolve_ref


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default="pokrovsk-winter-2026")
    ap.add_argument("--ua", default="random")
    ap.add_argument("--ru", default="random")
    ap.add_argument("--seeds", type=int, default=3, help="games to measure the size of")
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--tiles", default="", help="tile the main scenario KXxKY (benchmarks/tiling.py)")
    ap.add_argument("--memory", action="store_true", help="also the memory a session keeps a day")
    args = ap.parse_args()
    if args.tiles:
        text, world = tiled_scenario(args.tiles)
        args.scenario = world.scenario.id
    else:
        text = resolve_ref(args.scenario).read_text(encoding="utf-8")
        world = build_world(load_scenario(args.scenario))
    if args.memory:
        session_memory(world, text, args)
    pols = (policy_for(args.ua), policy_for(args.ru))
    sizes = []
    save = None
    for seed in range(1, args.seeds + 1):
        rec = play_game(world, pols, seed=seed, keep_history=True)
        s = save_from_record(rec, text=text, players=ai_players(args.ua, args.ru))
        sizes.append(len(dumps_save(s).encode()))
        save = save if save is not None else s
    turns = len(save.turns)
    print(f"scenario {args.scenario}: {world.grid.width}x{world.grid.height} hexes, {world.n_units} unit slots, "
          f"{args.ua} vs {args.ru}, {turns} turns, "
          f"{sum(len(t.orders.ua) + len(t.orders.ru) for t in save.turns)} orders, "
          f"{sum(len(t.events) for t in save.turns)} events")
    print(f"save size (largest of {args.seeds} games):  {max(sizes) / 1e6:8.3f} MB   target <= 1 MB"
          f"   (smallest {min(sizes) / 1e6:.3f} MB)")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "game.toml"
        write_save(save, path)
        fresh = [load_save(path) for _ in range(args.repeat)]     # nothing written out yet
        cold = []
        for s in fresh:
            t = time.perf_counter()
            write_save(s, path)
            cold.append((time.perf_counter() - t) * 1000)
        print(f"write a whole game (text + atomic write with fsync): {statistics.median(cold):6.1f} ms   "
              f"target <= 100 ms   (fastest {min(cold):.1f} ms)")
        last = save.turns[-1]
        def autosave_last_turn():
            save.turns[-1] = last.model_copy()                     # the new turn, not yet written
            write_save(save, path)
        auto_ms = median_ms(autosave_last_turn, args.repeat)
        print(f"autosave after the last turn (earlier turns kept as text): {auto_ms:6.1f} ms")
        load_ms = median_ms(lambda: load_save(path), args.repeat)
        loaded = load_save(path)
        verify_ms = median_ms(lambda: verify(loaded), max(3, args.repeat // 2))
        both_ms = median_ms(lambda: verify(load_save(path)), max(3, args.repeat // 2))
        assert verify(loaded).ok
        print(f"load (parse + validate + check):     {load_ms:8.1f} ms")
        print(f"verify (replay {turns} turns + compare):  {verify_ms:8.1f} ms")
        print(f"load + full verify:                  {both_ms:8.1f} ms   target <= 1000 ms")
        both_cpu = cpu_ms(lambda: verify(load_save(path)), max(3, args.repeat // 2))
        print(f"load + full verify, CPU:             {both_cpu:8.1f} ms   target <= 500 ms")
        engine_cpu, own_cpu = verify_split_cpu(loaded, max(3, args.repeat // 2))
        print(f"verify, CPU: the engine replaying {turns} turns {engine_cpu:.1f} ms, the rest (store/: "
              f"compare, digests, rules waived) {own_cpu:.1f} ms")
        raw = path.read_text(encoding="utf-8")
        print(f"TOML parse of the save, tomllib / store.tomlr{' (rtoml)' if tomlr.FAST else ''}: "
              f"{cpu_ms(lambda: tomllib.loads(raw), args.repeat):.1f} / "
              f"{cpu_ms(lambda: tomlr.loads(raw), args.repeat):.1f} ms CPU")
    for every, label in ((journal.FULL_EVERY, f"journal, full every {journal.FULL_EVERY} days"),
                         (1, "full write every day")):
        days = autosave_by_day(save, text, args, every)
        cpu = [c for _, c in days]
        print(f"autosave by day ({label}), CPU ms: " + " ".join(f"{c:.0f}" for c in cpu))
        print(f"  median {statistics.median(cpu):.1f} ms, days 1-5 / 17-21 mean {statistics.mean(cpu[:5]):.1f} / "
              f"{statistics.mean(cpu[-5:]):.1f} ms, worst {max(cpu):.1f} ms   target <= 10 ms a day at any day")


def tiled_scenario(tiles: str):
    """(text, World) of the main scenario tiled ``KXxKY``; exits with the reason when the
    tiled scenario is not a valid one."""
    from tiling import tiled

    from pokrovsk_tui.rules.scenario import Scenario
    from pokrovsk_tui.store import tomlw

    kx, ky = (int(k) for k in tiles.lower().split("x"))
    text = tomlw.dumps(tiled(kx, ky))
    try:
        scn = Scenario.model_validate(tomlr.loads(text))
    except ValueError as e:
        raise SystemExit(f"the scenario tiled {tiles} is not valid: {str(e).splitlines()[:3]}") from None
    return text, build_world(scn)


def session_memory(world, text, args) -> None:
    """The memory a watched session (``--ua`` against ``--ru``) keeps a day: after the day is
    resolved, and after it is autosaved (each turn kept once: in the save document). The same
    game is played twice: in the first the engine's bounded caches kept with the World (drone
    layouts' patrol fields, supply search graphs) fill up too; in the second they are warm, so
    what grows is the session's own."""
    import gc
    import tracemalloc

    from pokrovsk_tui.game import persist
    from pokrovsk_tui.game.session import GameSession, Player

    players = (Player("ai", level=args.ua), Player("ai", level=args.ru))
    for label in ("first game, the World's caches filling", "the same game again, caches warm"):
        s = GameSession(world, scenario_ref=world.scenario.id, seed=1, mode="watch", players=players,
                        scenario_text=text)
        grew = []
        with tempfile.TemporaryDirectory() as d:
            tracemalloc.start(30)
            while not s.over:
                gc.collect()
                before = tracemalloc.get_traced_memory()[0]
                s.resolve()
                persist.autosave(s, d)
                gc.collect()
                grew.append((tracemalloc.get_traced_memory()[0] - before) / 1e6)
            # what the save document holds: memory allocated under store/ (its turns, their text)
            doc = tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(True, "*pokrovsk_tui/store/*", all_frames=True)])
            doc_mb = sum(t.size for t in doc.traces) / 1e6
            tracemalloc.stop()
        later = grew[1:] or grew
        print(f"session memory a day ({args.ua} vs {args.ru}, resolved and autosaved; {label}): "
              f"day 1 {grew[0]:.2f} MB, then median {statistics.median(later):.2f} MB, "
              f"{sum(grew):.1f} MB over {len(grew)} days; of it the save document "
              f"{doc_mb:.1f} MB ({doc_mb / len(grew):.2f} MB a day)")
        del s


def cpu_ms(fn, repeat: int) -> float:
    """Median CPU time of ``fn()`` over ``repeat`` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append((time.process_time() - t) * 1000)
    return statistics.median(times)


def verify_split_cpu(save, repeat: int) -> tuple[float, float]:
    """Median CPU ms of ``verify(save)`` spent in the engine (``resolve_turn``) and outside it."""
    from pokrovsk_tui.store import replay

    spent = [0.0]
    resolve = replay.resolve_turn

    def timed(*a, **k):
        t = time.process_time()
        try:
            return resolve(*a, **k)
        finally:
            spent[0] += time.process_time() - t

    engine, own = [], []
    replay.resolve_turn = timed
    try:
        for _ in range(repeat):
            spent[0] = 0.0
            t = time.process_time()
            verify(save)
            total = time.process_time() - t
            engine.append(spent[0] * 1000)
            own.append((total - spent[0]) * 1000)
    finally:
        replay.resolve_turn = resolve
    return statistics.median(engine), statistics.median(own)


def autosave_by_day(save, text, args, full_every: int) -> list[tuple[float, float]]:
    """(wall ms, CPU ms) of each day's autosave of a game replayed from ``save``'s turns, as
    the app saves it: append the turn, then autosave into a fresh folder."""
    from pokrovsk_tui.store.replay import orders_of
    from pokrovsk_tui.store.snapshot import decode_event, decode_state

    world = save.world()
    game = new_save(world, text=text, seed=save.seed, players=save.players, name="bench")
    out = []
    with tempfile.TemporaryDirectory() as d:
        for t in save.turns:
            append_turn(game, t.turn, orders_of(t), [decode_event(t.turn, e) for e in t.events],
                        decode_state(world, t.state))
            w, c = time.perf_counter(), time.process_time()
            autosave(game, d, full_every=full_every)
            out.append(((time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000))
    return out


if __name__ == "__main__":
    main()
