"""``pokrovsk simulate``: headless games and tournaments."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def cmd_simulate(args) -> int:
    if getattr(args, "from_save", None) is not None or getattr(args, "turn", None) is not None:
        from .fromturn import cmd_from_turn

        return cmd_from_turn(args)
    missing = [f"--{k}" for k in ("ua", "ru") if getattr(args, k) is None]
    if args.scenario is None or missing:
        need = (["SCENARIO"] if args.scenario is None else []) + missing
        print(f"pokrovsk simulate: give {' and '.join(need)} (or --from SAVE --turn T)", file=sys.stderr)
        return 2
    if args.seed is None:
        args.seed = 1
    from pokrovsk_tui.game.loop import policy_for
    from pokrovsk_tui.game.sim import play_game, summarize
    from pokrovsk_tui.rules.world import build_world
    from pokrovsk_tui.store.scenarios import ScenarioError, load_scenario, resolve_ref

    try:
        scn = load_scenario(args.scenario)
    except ScenarioError as e:
        print(e, file=sys.stderr)
        return 1
    world = build_world(scn)
    pols = (policy_for(args.ua), policy_for(args.ru))
    save_dir = None
    sweep_args = {"scheduler": getattr(args, "scheduler", None), "out": getattr(args, "out", None)}
    if (args.save_dir is not None or args.save) and any(sweep_args.values()):
        print("pokrovsk simulate: --save-dir and --save play here, one game after another; they cannot be "
              "combined with --scheduler or --out", file=sys.stderr)
        return 2
    if args.save_dir is not None or args.save:
        from pokrovsk_tui.store.saves import default_save_dir

        save_dir = Path(args.save_dir) if args.save_dir is not None else default_save_dir()
        try:
            save_dir.mkdir(parents=True, exist_ok=True)
            text = resolve_ref(args.scenario).read_text(encoding="utf-8")
        except OSError as e:
            print(f"{e.filename or save_dir}: (file): {e.strerror or e}", file=sys.stderr)
            return 1
    from pokrovsk_tui.game import tournament

    results = []
    outcomes = None
    if save_dir is None:
        from pokrovsk_tui.game.sweep import SweepError

        from .progress import RunProgress

        try:
            with RunProgress(f"{args.ua} vs {args.ru}") as progress:
                outcomes = tournament.run(args.scenario, args.ua, args.ru, args.games, seed=args.seed,
                                          turns=args.turns, jobs=args.jobs, progress=progress, world=world,
                                          **sweep_args)
        except SweepError as e:
            print(e, file=sys.stderr)
            return 1
        results = [o.result for o in outcomes]
    for i in range(args.games if save_dir is not None else 0):
        rec = play_game(world, pols, seed=args.seed + i, max_turns=args.turns, keep_history=save_dir is not None)
        result = rec.result()
        if save_dir is not None:
            try:
                result["save"] = str(_save_game(rec, save_dir, text, args))
            except OSError as e:
                print(f"{save_dir}: (file): cannot write a save: {e.strerror or e}", file=sys.stderr)
                return 1
        results.append(result)
    summary = summarize(results)
    if outcomes is None and (args.csv or args.calibration):
        outcomes = [tournament.Outcome(r, int((world.initial_control == 1).sum())) for r in results]
    if args.csv:
        try:
            tournament.write_csv(args.csv, outcomes, args.ua, args.ru)
        except OSError as e:
            print(f"{args.csv}: (file): cannot write: {e.strerror or e}", file=sys.stderr)
            return 1
    if args.json:
        doc = {"games": results, "summary": summary}
        if args.calibration:
            doc["calibration"] = tournament.calibration(outcomes)
        print(json.dumps(doc, indent=2, sort_keys=True))
        return 0
    print(f"{scn.title}: UA {args.ua} vs RU {args.ru}, {args.games} game(s) from seed {args.seed}")
    print(f"{'seed':>6} {'winner':>6} {'turns':>5} {'VP UA':>7} {'VP RU':>7} {'lost UA':>8} {'lost RU':>8} "
          f"{'hex UA':>6} {'hex RU':>6} {'contest':>7}")
    for r in results:
        print(f"{r['seed']:>6} {r['winner']:>6} {r['turns']:>5} {r['vp']['ua']:>7.1f} {r['vp']['ru']:>7.1f} "
              f"{sum(r['casualties']['ua'].values()):>8.1f} {sum(r['casualties']['ru'].values()):>8.1f} "
              f"{r['hexes']['ua']:>6} {r['hexes']['ru']:>6} {r['hexes']['contested']:>7}")
    w = summary["wins"]
    print(f"wins: UA {w['ua']}, RU {w['ru']}, draws {w['draw']}; drone share of casualties "
          f"{summary['drone_share']:.0%}, glide bombs + artillery {summary['glide_bomb_artillery_share']:.0%}")
    if outcomes is not None and len(outcomes) > 1:
        print()
        print("\n".join(tournament.format_stats(tournament.stats(outcomes))))
    if args.calibration:
        print()
        print("\n".join(tournament.format_calibration(tournament.calibration(outcomes))))
    for r in results:
        if "save" in r:
            print(f"saved seed {r['seed']}: {r['save']}")
    return 0


def _save_game(rec, save_dir: Path, text: str, args) -> Path:
    from pokrovsk_tui.store.saves import (
        ai_players,
        safe_name,
        save_from_record,
        unique_path,
        write_save,
    )

    scn = rec.world.scenario
    save = save_from_record(rec, text=text, players=ai_players(args.ua, args.ru), source=args.scenario,
                            name=f"{scn.id}-{args.ua}-vs-{args.ru}-seed{rec.seed}")
    return write_save(save, unique_path(save_dir, safe_name(save.name, max_len=80)))
