"""The ``pokrovsk`` command.

Exit codes: 0 success, 1 a bad input file (or a failed check), 2 bad command-line usage.
No traceback reaches the user: every known failure prints ``file: place: what``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pokrovsk_tui import __version__

POLICY_NAMES = ("hold", "random")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pokrovsk", description="A turn-based hex wargame of the Pokrovsk sector, winter 2025-26.")
    p.add_argument("--version", action="version", version=f"pokrovsk-tui {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    sc = sub.add_parser("scenarios", help="list the bundled scenarios")
    sc.add_argument("--json", action="store_true", help="print JSON")

    va = sub.add_parser("validate", help="check scenario files; one line per problem")
    va.add_argument("files", nargs="+", metavar="FILE")

    sch = sub.add_parser("schema", help="print the JSON Schema of a file format")
    sch.add_argument("kind", choices=["scenario"])

    si = sub.add_parser("simulate", help="play games headless between two policies")
    si.add_argument("scenario", metavar="SCENARIO", help="bundled id or path to a .toml file")
    si.add_argument("--ua", required=True, choices=POLICY_NAMES, help="policy for Ukraine")
    si.add_argument("--ru", required=True, choices=POLICY_NAMES, help="policy for Russia")
    si.add_argument("--games", type=_positive, default=1, metavar="N")
    si.add_argument("--seed", type=int, default=1, metavar="S", help="seed of the first game (game i uses S+i)")
    si.add_argument("--turns", type=_positive, default=None, metavar="T", help="stop after T turns")
    si.add_argument("--json", action="store_true", help="print JSON")
    return p


def _positive(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if v < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return v


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command is None:
            _parser().print_help()
            return 0
        return {"scenarios": cmd_scenarios, "validate": cmd_validate, "schema": cmd_schema,
                "simulate": cmd_simulate}[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def cmd_scenarios(args) -> int:
    from pokrovsk_tui.store.scenarios import ScenarioError, bundled_ids, load_scenario

    rows = []
    for sid in bundled_ids():
        try:
            s = load_scenario(sid)
        except ScenarioError as e:
            print(e, file=sys.stderr)
            continue
        rows.append({"id": s.id, "title": s.title, "width": s.map.width, "height": s.map.height, "turns": s.turns})
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(f"{'id':<24} {'map':>7} {'turns':>5}  title")
        for r in rows:
            print(f"{r['id']:<24} {r['width']:>3}x{r['height']:<3} {r['turns']:>5}  {r['title']}")
    return 0


def cmd_validate(args) -> int:
    from pokrovsk_tui.store.scenarios import read_toml, validate_data

    bad = False
    for f in args.files:
        data, found = read_toml(Path(f))
        if data is not None:
            _, found = validate_data(data, f)
        for prob in found:
            print(prob)
        if found:
            bad = True
        else:
            print(f"{f}: ok")
    return 1 if bad else 0


def cmd_schema(args) -> int:
    from pokrovsk_tui.rules.scenario import Scenario

    print(json.dumps(Scenario.model_json_schema(), indent=2))
    return 0


def cmd_simulate(args) -> int:
    from pokrovsk_tui.rules.world import build_world
    from pokrovsk_tui.sim import get_policy, play_game, summarize
    from pokrovsk_tui.store.scenarios import ScenarioError, load_scenario

    try:
        scn = load_scenario(args.scenario)
    except ScenarioError as e:
        print(e, file=sys.stderr)
        return 1
    world = build_world(scn)
    pols = (get_policy(args.ua), get_policy(args.ru))
    results = []
    for i in range(args.games):
        rec = play_game(world, pols, seed=args.seed + i, max_turns=args.turns)
        results.append(rec.result())
    summary = summarize(results)
    if args.json:
        print(json.dumps({"games": results, "summary": summary}, indent=2, sort_keys=True))
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
    return 0
