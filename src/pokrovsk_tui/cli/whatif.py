"""``pokrovsk whatif``: the same seeds on a scenario and on a variant of it, compared pair by pair."""

from __future__ import annotations

import json
import sys

from .options import JOBS_HELP


def add_parser(sub, policy_names, positive, sweep_options=None) -> None:
    wi = sub.add_parser(
        "whatif", help="play the same seeds on a scenario and on a variant; compare the figures pair by pair",
        description="Play N games of the baseline scenario and N of a variant with the same seeds, and print "
                    "each headline figure's baseline mean, variant mean and paired difference with its 95% "
                    "interval. Example: pokrovsk whatif pokrovsk-winter-2026 --set unit_types.ew.ew_strength=0.9")
    # The options are added when `whatif` is parsed (or its help shown), not when the parser is
    # built: --weather's choices come from the rules (numpy, pydantic), which other commands
    # (`pokrovsk scenarios`, the title screen) do not need.
    parse = wi.parse_known_args

    def parse_known_args(*a, **k):
        if not wi._actions[1:]:           # only -h so far
            _add_options(wi, policy_names, positive)
            if sweep_options is not None:
                sweep_options(wi)
        return parse(*a, **k)

    wi.parse_known_args = parse_known_args


def _add_options(wi, policy_names, positive) -> None:
    from pokrovsk_tui.game.variants import WEATHER_CHOICES

    wi.add_argument("scenario", metavar="SCENARIO", help="bundled id or path to a .toml file")
    wi.add_argument("--set", dest="sets", action="append", default=[], metavar="PATH=VALUE",
                    help="change a value of the scenario: rules.fpv_damage=3, deliveries.ru_glide_bombs=0, "
                         "units.ua-ew-1.strength=50, unit_types.ew.ew_strength=0.8 (repeatable)")
    wi.add_argument("--remove-units", dest="remove", action="append", default=[], metavar="PATTERN",
                    help="remove the units whose id matches the glob PATTERN, e.g. 'ru-rec-*' (repeatable)")
    wi.add_argument("--weather", choices=WEATHER_CHOICES, default=None,
                    help="the variant's weather every day (scripted: the scenario's own weather)")
    wi.add_argument("--ua", default="normal", choices=policy_names, help="policy for Ukraine (default normal)")
    wi.add_argument("--ru", default="normal", choices=policy_names, help="policy for Russia (default normal)")
    wi.add_argument("--games", type=positive, default=20, metavar="N", help="games of each (default 20)")
    wi.add_argument("--seed", type=int, default=1, metavar="S", help="seed of the first pair (pair i uses S+i)")
    wi.add_argument("--turns", type=positive, default=None, metavar="T", help="stop each game after T turns")
    wi.add_argument("--jobs", type=positive, default=1, metavar="N",
                    help=JOBS_HELP)
    wi.add_argument("--json", action="store_true", help="print JSON")


def cmd_whatif(args) -> int:
    from pokrovsk_tui.game.variants import Change, VariantError, build_variant
    from pokrovsk_tui.game.whatif import compare, format_table, run_pairs
    from pokrovsk_tui.rules.world import build_world
    from pokrovsk_tui.store.scenarios import ScenarioError, load_scenario

    change = Change(sets=list(args.sets), remove_units=list(args.remove), weather=args.weather)
    try:
        base_scn = load_scenario(args.scenario)
        var_scn = build_variant(args.scenario, change)
    except ScenarioError as e:
        print(e, file=sys.stderr)
        return 1
    except VariantError as e:
        print(f"pokrovsk whatif: {e}", file=sys.stderr)
        return 2
    base, var = build_world(base_scn), build_world(var_scn)
    from pokrovsk_tui.game.sweep import SweepError

    from .progress import RunProgress

    try:
        with RunProgress(f"whatif {change.describe()}") as progress:
            b, v = run_pairs(base, var, args.ua, args.ru, args.games, seed=args.seed, turns=args.turns,
                             jobs=args.jobs, progress=progress, scheduler=getattr(args, "scheduler", None),
                             out=getattr(args, "out", None))
    except SweepError as e:
        print(e, file=sys.stderr)
        return 1
    cmp = compare(b, v)
    if args.json:
        doc = {"scenario": base_scn.id, "change": {"set": change.sets, "remove_units": change.remove_units,
                                                   "weather": change.weather},
               "ua": args.ua, "ru": args.ru, "games": args.games, "seed": args.seed, "figures": cmp}
        print(json.dumps(doc, indent=2, sort_keys=True))
        return 0
    print(f"{base_scn.title}: UA {args.ua} vs RU {args.ru}, {args.games} pair(s) of games from seed {args.seed}")
    print(f"variant: {change.describe()}")
    print()
    print("\n".join(format_table(cmp)))
    return 0
