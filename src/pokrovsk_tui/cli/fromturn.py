"""``pokrovsk simulate --from SAVE --turn T``: luck or judgement from a saved position."""

from __future__ import annotations

import json
import sys

from .common import _load_or_say


def cmd_from_turn(args) -> int:
    from pokrovsk_tui.game.fromturn import FromTurnError, format_lines, from_turn

    if args.from_save is None or args.turn is None:
        print("pokrovsk simulate: --from SAVE and --turn T go together", file=sys.stderr)
        return 2
    if args.scenario is not None:
        print("pokrovsk simulate: give either SCENARIO or --from SAVE, not both", file=sys.stderr)
        return 2
    for flag in ("csv", "calibration", "save_dir", "save", "turns"):
        if getattr(args, flag, None):
            print(f"pokrovsk simulate: --{flag.replace('_', '-')} does not go with --from", file=sys.stderr)
            return 2
    save = _load_or_say(args.from_save)
    if save is None:
        return 1
    show = not args.json and sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            print(f"\r  {done}/{total} games", end="" if done < total else "\n", file=sys.stderr, flush=True)

    try:
        r = from_turn(save, args.turn, args.games, ua=args.ua, ru=args.ru, seed=args.seed, jobs=args.jobs,
                      progress=progress)
    except FromTurnError as e:
        print(f"{args.from_save}: {e.flag}: {e}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(r, indent=2, sort_keys=True))
    else:
        print(f"{args.from_save}:")
        print("\n".join(format_lines(r)))
    return 0
