"""The ``pokrovsk`` command.

Exit codes: 0 success, 1 a bad input file (or a failed check), 2 bad command-line usage.
No traceback reaches the user: every known failure prints ``file: place: what``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pokrovsk_tui import __version__

POLICY_NAMES = ("hold", "random", "easy", "normal", "hard")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pokrovsk", description="A turn-based hex wargame of the Pokrovsk sector, winter 2025-26.")
    p.add_argument("--version", action="version", version=f"pokrovsk-tui {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    sc = sub.add_parser("scenarios", help="list the bundled scenarios")
    sc.add_argument("--json", action="store_true", help="print JSON")

    va = sub.add_parser("validate", help="check scenario and save files; one line per problem")
    va.add_argument("files", nargs="+", metavar="FILE")

    sch = sub.add_parser("schema", help="print the JSON Schema of a file format")
    sch.add_argument("kind", choices=["scenario", "save"])

    ve = sub.add_parser("verify", help="replay saved games and check every turn matches")
    ve.add_argument("files", nargs="+", metavar="SAVE")

    br = sub.add_parser("branch", help="start a new save from the start of a saved turn")
    br.add_argument("file", metavar="SAVE")
    br.add_argument("--turn", type=_positive, required=True, metavar="T", help="the new game starts at turn T")
    br.add_argument("-o", "--output", metavar="NEW", help="file to write (default: SAVE-branch-tT.toml beside SAVE)")
    br.add_argument("--name", help="the new game's name")
    br.add_argument("--force", action="store_true", help="overwrite NEW if it exists")

    re_ = sub.add_parser("resume", help="play a saved game on, headless, and save it")
    re_.add_argument("file", metavar="SAVE")
    re_.add_argument("--ua", choices=POLICY_NAMES, help="policy for Ukraine (default: the save's AI)")
    re_.add_argument("--ru", choices=POLICY_NAMES, help="policy for Russia (default: the save's AI)")
    re_.add_argument("--turns", type=_positive, default=None, metavar="T", help="play at most T more turns")
    re_.add_argument("-o", "--output", metavar="OUT", help="file to write (default: SAVE itself)")

    si = sub.add_parser("simulate", help="play games headless between two policies")
    si.add_argument("scenario", metavar="SCENARIO", help="bundled id or path to a .toml file")
    si.add_argument("--ua", required=True, choices=POLICY_NAMES, help="policy for Ukraine")
    si.add_argument("--ru", required=True, choices=POLICY_NAMES, help="policy for Russia")
    si.add_argument("--games", type=_positive, default=1, metavar="N")
    si.add_argument("--seed", type=int, default=1, metavar="S", help="seed of the first game (game i uses S+i)")
    si.add_argument("--turns", type=_positive, default=None, metavar="T", help="stop after T turns")
    si.add_argument("--json", action="store_true", help="print JSON")
    si.add_argument("--jobs", type=_positive, default=1, metavar="N",
                    help="play the games in N processes (results do not depend on N)")
    si.add_argument("--csv", metavar="FILE", help="write one row per game to FILE")
    si.add_argument("--calibration", action="store_true",
                    help="print the calibration figures of the design rules beside their bands")
    si.add_argument("--save-dir", metavar="DIR", help="write one save per game into DIR")
    si.add_argument("--save", action="store_true",
                    help="write one save per game into $POKROVSK_SAVE_DIR (default ./saves)")

    # instructors (report/, store/annotations.py)
    rp = sub.add_parser("report", help="after-action report of a saved game (Markdown or HTML), or its series as CSV")
    rp.add_argument("file", metavar="SAVE")
    rp.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (default: standard output)")
    rp.add_argument("--format", choices=["md", "html"], default=None,
                    help="md (the default) or html (the default when FILE ends in .html)")
    rp.add_argument("--csv", metavar="FILE", help="write the per-turn series as CSV to FILE ('-': standard output); "
                                                  "the report is then written only if -o is given")
    an = sub.add_parser("annotate", help="add, edit, delete or list an instructor's notes in a save")
    an.add_argument("file", metavar="SAVE")
    an.add_argument("-m", "--text", metavar="TEXT", help="the note (to add it, or its new text with --edit)")
    an.add_argument("--turn", type=int, metavar="T", help="the turn the note is on (0: the set-up)")
    an.add_argument("--hex", metavar="HEX", help="the hex it is about (with --edit, '-' removes it)")
    an.add_argument("--author", metavar="NAME")
    act = an.add_mutually_exclusive_group()
    act.add_argument("--list", action="store_true", help="list the notes, numbered")
    act.add_argument("--edit", type=_positive, metavar="N", help="change note N")
    act.add_argument("--delete", type=_positive, metavar="N", help="delete note N")
    rr = sub.add_parser("reroll", help="re-adjudicate a saved turn's orders K times: how likely was what happened?")
    rr.add_argument("file", metavar="SAVE")
    rr.add_argument("--turn", type=_positive, required=True, metavar="T")
    rr.add_argument("-k", "--replications", type=_positive, default=200, metavar="K", help="default 200")
    rr.add_argument("--all-hexes", action="store_true", help="list every key hex, even the certain ones")
    rr.add_argument("--json", action="store_true", help="print JSON")

    # the interactive app (tui/): `pokrovsk` alone opens the title screen
    pl = sub.add_parser("play", help="open the game straight into a new game")
    pl.add_argument("scenario", nargs="?", default="pokrovsk-winter-2026", metavar="SCENARIO",
                    help="bundled id or path to a .toml file (default: pokrovsk-winter-2026)")
    pl.add_argument("--mode", choices=["solo", "hotseat", "watch"], default="solo",
                    help="solo against the computer, hot-seat for two, or watch computer against computer")
    pl.add_argument("--side", choices=["ua", "ru"], default="ua", help="your side in solo (default ua)")
    pl.add_argument("--ai", default=None, metavar="LEVEL", help="the computer's level (see `pokrovsk play --help`)")
    pl.add_argument("--seed", type=int, default=None, metavar="S", help="game seed (default: random)")
    pl.add_argument("--ua-name", default="", metavar="NAME", help="the Ukrainian player's name")
    pl.add_argument("--ru-name", default="", metavar="NAME", help="the Russian player's name")
    lo = sub.add_parser("load", help="open the game with a saved game")
    lo.add_argument("file", metavar="SAVE")
    rv = sub.add_parser("replay", help="open the instructor's replay of a saved game (views, notes, charts, "
                                       "re-roll, take command)")
    rv.add_argument("file", metavar="SAVE")
    sv = sub.add_parser("serve", help="serve the game to web browsers (textual-serve): a projector or a class")
    sv.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1: this computer only)")
    sv.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    sv.add_argument("--replay", metavar="SAVE", help="open each browser straight into the replay of SAVE")
    return p


def _port(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= v <= 65535:
        raise argparse.ArgumentTypeError("a port is 1 to 65535")
    return v


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
        if args.command in (None, "play", "load", "replay"):
            return cmd_app(args)
        if args.command == "serve":
            return cmd_serve(args)
        return {"scenarios": cmd_scenarios, "validate": cmd_validate, "schema": cmd_schema,
                "simulate": cmd_simulate, "verify": cmd_verify, "branch": cmd_branch,
                "resume": cmd_resume, "report": cmd_report, "annotate": cmd_annotate,
                "reroll": cmd_reroll}[args.command](args)
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
    from pokrovsk_tui.store.saves import MAX_SAVE_BYTES, SaveError, is_save_data, save_from_data
    from pokrovsk_tui.store.scenarios import (
        MAX_FILE_BYTES,
        Problem,
        read_toml,
        too_big,
        validate_data,
    )

    bad = False
    for f in args.files:
        path = Path(f)
        data, found = read_toml(path, limit=MAX_SAVE_BYTES)
        note = ""
        if data is not None and is_save_data(data):
            try:
                save = save_from_data(data, f)
                note = f" (save of {save.scenario.id}, {len(save.turns)} turns)"
            except SaveError as e:
                found = e.problems
        elif data is not None:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                found = [Problem(f, "(file)", too_big(size, MAX_FILE_BYTES))]
            else:
                _, found = validate_data(data, f)
        for prob in found:
            print(prob)
        if found:
            bad = True
        else:
            print(f"{f}: ok{note}")
    return 1 if bad else 0


def cmd_schema(args) -> int:
    if args.kind == "save":
        from pokrovsk_tui.store.savefmt import SaveGame as model
    else:
        from pokrovsk_tui.rules.scenario import Scenario as model

    print(json.dumps(model.model_json_schema(), indent=2))
    return 0


def cmd_verify(args) -> int:
    from pokrovsk_tui.store.replay import verify
    from pokrovsk_tui.store.saves import SaveError, load_save

    bad = False
    for f in args.files:
        try:
            save = load_save(f)
            result = verify(save)
        except SaveError as e:
            print(e)
            bad = True
            continue
        except Exception as e:    # the engine refused to replay something: still one clear line
            print(f"{f}: (replay): cannot replay: {type(e).__name__}: {e}")
            bad = True
            continue
        if result.ok:
            if result.turns:
                last = result.first + result.turns - 1
                print(f"{f}: ok: turns {result.first}-{last} replay exactly ({result.turns} turns)")
            else:
                print(f"{f}: ok: no turns played yet")
        else:
            print(f"{f}: {result.mismatch}")
            bad = True
    return 1 if bad else 0


def cmd_branch(args) -> int:
    from pokrovsk_tui.store.replay import BranchError, branch
    from pokrovsk_tui.store.saves import SaveError, load_save, safe_name, unique_path

    src = Path(args.file)
    try:
        save = load_save(src)
    except SaveError as e:
        print(e, file=sys.stderr)
        return 1
    if args.output:
        out = Path(args.output)
    else:
        out = unique_path(src.parent, f"{safe_name(src.stem)}-branch-t{args.turn:02d}")
    if out.exists() and out.resolve() == src.resolve():
        print(f"{out}: (file): is the save being branched; the original is never overwritten", file=sys.stderr)
        return 1
    if out.exists() and not args.force:
        print(f"{out}: (file): exists; choose another -o NEW or add --force", file=sys.stderr)
        return 1
    try:
        new = branch(save, args.turn, source=str(src), name=args.name)
    except BranchError as e:
        print(f"{src}: --turn: {e}", file=sys.stderr)
        return 1
    if not _save_or_say(new, out):
        return 1
    print(f"{src}: branched at the start of turn {args.turn} -> {out}")
    return 0


def cmd_resume(args) -> int:
    from pokrovsk_tui.sim import get_policy, play_game
    from pokrovsk_tui.store.replay import current_state
    from pokrovsk_tui.store.savefmt import Player
    from pokrovsk_tui.store.saves import SaveError, append_turn, load_save, mode_of

    src = Path(args.file)
    try:
        save = load_save(src)
    except SaveError as e:
        print(e, file=sys.stderr)
        return 1
    world = save.world()
    state = current_state(save)
    if state.over:
        print(f"{src}: (game): the game is over; there is nothing to play on", file=sys.stderr)
        return 1
    names = {}
    for key, given in (("ua", args.ua), ("ru", args.ru)):
        player = getattr(save.players, key)
        if given is None and player.kind == "ai" and player.level in POLICY_NAMES:
            given = player.level
        if given is None:
            print(f"{src}: players.{key}: {player.label()} plays this side; give --{key} POLICY "
                  f"({' or '.join(POLICY_NAMES)})", file=sys.stderr)
            return 1
        names[key] = given
    pols = tuple(_with_pending(get_policy(names[k]), save.pending, k, state.turn) for k in ("ua", "ru"))
    for key in ("ua", "ru"):
        if getattr(save.players, key) != Player(kind="ai", level=names[key]):
            setattr(save.players, key, Player(kind="ai", level=names[key]))
    save.mode = mode_of(save.players)
    limit = None if args.turns is None else state.turn - 1 + args.turns
    first = state.turn
    rec = play_game(world, pols, seed=save.seed, max_turns=limit, keep_history=True, start=state)
    for tr in rec.turns:
        append_turn(save, tr.turn, tr.orders, tr.events, tr.state, tr.intents or None)
    out = Path(args.output) if args.output else src
    if not _save_or_say(save, out):
        return 1
    played = f"turns {first}-{rec.final.turn - 1}" if rec.turns else "no turns"
    r = rec.result()
    verdict = f"winner {r['winner']}" if rec.final.over else f"ahead now: {r['winner']}"
    print(f"{src}: played {played} -> {out}; {verdict}, VP UA {r['vp']['ua']:.1f} RU {r['vp']['ru']:.1f}")
    return 0


def _with_pending(policy, pending, key: str, turn: int):
    """The policy, except that orders already given for ``turn`` (a hot-seat handoff) stand."""
    given = list(getattr(pending, key)) if pending is not None else []
    if not given:
        return policy

    def play(view, rng):
        return given if view.turn == turn else policy(view, rng)
    return play


def cmd_simulate(args) -> int:
    from pokrovsk_tui.rules.world import build_world
    from pokrovsk_tui.sim import get_policy, play_game, summarize
    from pokrovsk_tui.store.scenarios import ScenarioError, load_scenario, resolve_ref

    try:
        scn = load_scenario(args.scenario)
    except ScenarioError as e:
        print(e, file=sys.stderr)
        return 1
    world = build_world(scn)
    pols = (get_policy(args.ua), get_policy(args.ru))
    save_dir = None
    if args.save_dir is not None or args.save:
        from pokrovsk_tui.store.saves import default_save_dir

        save_dir = Path(args.save_dir) if args.save_dir is not None else default_save_dir()
        try:
            save_dir.mkdir(parents=True, exist_ok=True)
            text = resolve_ref(args.scenario).read_text(encoding="utf-8")
        except OSError as e:
            print(f"{e.filename or save_dir}: (file): {e.strerror or e}", file=sys.stderr)
            return 1
    from pokrovsk_tui import tournament

    results = []
    outcomes = None
    if save_dir is None:
        progress = tournament.Progress(f"{args.ua} vs {args.ru}")
        outcomes = tournament.run(args.scenario, args.ua, args.ru, args.games, seed=args.seed, turns=args.turns,
                                  jobs=args.jobs, progress=progress, world=world)
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


def _load_or_say(path):
    """The save, or None after printing its problems (``file: place: what``) on stderr."""
    from pokrovsk_tui.store.saves import SaveError, load_save

    try:
        return load_save(path)
    except SaveError as e:
        print(e, file=sys.stderr)
        return None


def _save_or_say(save, target) -> bool:
    """Write a save atomically, or say why not (``file: (file): cannot write: ...``)."""
    from pokrovsk_tui.store.saves import write_save

    try:
        write_save(save, target)
    except OSError as e:
        print(f"{target}: (file): cannot write: {e.strerror or e}", file=sys.stderr)
        return False
    return True


def _write_or_say(target: str, text: str) -> bool:
    from pokrovsk_tui.store.atomic import atomic_write

    if target == "-":
        sys.stdout.write(text)
        return True
    try:
        atomic_write(target, text)
    except OSError as e:
        print(f"{target}: (file): cannot write: {e.strerror or e}", file=sys.stderr)
        return False
    print(f"wrote {target}", file=sys.stderr)
    return True


def cmd_report(args) -> int:
    from pokrovsk_tui.report.aar import render
    from pokrovsk_tui.report.series import series, to_csv

    save = _load_or_say(args.file)
    if save is None:
        return 1
    out = args.output if args.output else (None if args.csv else "-")
    fmt = args.format or ("html" if out and Path(out).suffix.lower() in (".html", ".htm") else "md")
    try:
        csv_text = to_csv(series(save)) if args.csv else None
        text = render(save, fmt, source=args.file) if out else None
    except Exception as e:    # a save that loads but cannot be reported: still one clear line
        print(f"{args.file}: (report): cannot make the report: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    ok = True
    if csv_text is not None:
        ok = _write_or_say(args.csv, csv_text) and ok
    if text is not None:
        ok = _write_or_say(out, text) and ok
    return 0 if ok else 1


def cmd_annotate(args) -> int:
    from pokrovsk_tui.store.annotations import (
        KEEP,
        AnnotationError,
        add_annotation,
        delete_annotation,
        edit_annotation,
    )

    save = _load_or_say(args.file)
    if save is None:
        return 1
    notes = save.annotations
    if args.list:
        for i, a in enumerate(notes, 1):
            where = f" hex {a.hex}" if a.hex else ""
            who = f" ({a.author})" if a.author else ""
            print(f"{i}. turn {a.turn}{where}{who}: {' / '.join(a.text.splitlines())}")
        if not notes:
            print(f"{args.file}: no annotations")
        return 0
    n = args.edit or args.delete
    if n is not None and n > len(notes):
        flag = "--edit" if args.edit else "--delete"
        print(f"{args.file}: {flag}: there is no note {n}: the save has {len(notes)} (see --list)", file=sys.stderr)
        return 1
    try:
        if args.delete:
            delete_annotation(save, n - 1)
            done = f"deleted note {n}"
        elif args.edit:
            hex_ = KEEP if args.hex is None else (None if args.hex == "-" else args.hex)
            edit_annotation(save, n - 1, turn=KEEP if args.turn is None else args.turn,
                            text=KEEP if args.text is None else args.text, hex=hex_,
                            author=KEEP if args.author is None else args.author)
            done = f"changed note {n}"
        else:
            if args.turn is None or args.text is None:
                print("pokrovsk annotate: to add a note give --turn T and --text TEXT (or --list, --edit N, --delete N)",
                      file=sys.stderr)
                return 2
            i = add_annotation(save, args.turn, args.text, hex=args.hex, author=args.author or "")
            done = f"added note {i + 1} on turn {args.turn}"
    except AnnotationError as e:
        flag = {"turn": "--turn", "hex": "--hex", "author": "--author", "text": "--text"}.get(e.field, e.field)
        print(f"{args.file}: {flag}: {e.message}", file=sys.stderr)
        return 1
    if not _save_or_say(save, args.file):
        return 1
    print(f"{args.file}: {done}")
    return 0


def cmd_reroll(args) -> int:
    from pokrovsk_tui.report.reroll import RerollError, format_lines, reroll

    save = _load_or_say(args.file)
    if save is None:
        return 1
    try:
        result = reroll(save, args.turn, args.replications)
    except RerollError as e:
        flag = "--turn" if "turn" in str(e) else "-k"
        print(f"{args.file}: {flag}: {e}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        print("\n".join(format_lines(result, all_hexes=args.all_hexes)))
    return 0


def cmd_app(args) -> int:
    """Open the Textual app: the title screen, a new game (`play`) or a save (`load`)."""
    if args.command == "play":
        from pokrovsk_tui.session import ai_levels
        from pokrovsk_tui.store.scenarios import ScenarioError, load_scenario

        try:
            load_scenario(args.scenario)
        except ScenarioError as e:
            print(e, file=sys.stderr)
            return 1
        if args.ai is not None and args.ai not in ai_levels():
            print(f"pokrovsk play: --ai {args.ai!r} is not a level (levels: {', '.join(ai_levels())})",
                  file=sys.stderr)
            return 2
        if args.seed is not None and args.seed < 0:
            print("pokrovsk play: --seed cannot be negative", file=sys.stderr)
            return 2
    if args.command in ("load", "replay") and not Path(args.file).is_file():
        print(f"{args.file}: (file): no such file", file=sys.stderr)
        return 1
    web = bool(os.environ.get("TEXTUAL_DRIVER"))       # under `pokrovsk serve`: a browser is the terminal
    if not web and (not sys.stdout.isatty() or not sys.stdin.isatty()):
        print("pokrovsk: the game needs an interactive terminal (try `pokrovsk --help` for the headless "
              "commands)", file=sys.stderr)
        return 2
    from pokrovsk_tui.tui.app import PokrovskApp, Start

    if args.command == "play":
        start = Start(kind="play", scenario=args.scenario, mode=args.mode, side=0 if args.side == "ua" else 1,
                      ai=args.ai, seed=args.seed, names=(args.ua_name, args.ru_name))
    elif args.command == "load":
        start = Start(kind="load", path=args.file)
    elif args.command == "replay":
        start = Start(kind="replay", path=args.file)
    else:
        start = Start()
    PokrovskApp(start).run()
    return 0


def is_loopback(host: str) -> bool:
    """True for addresses only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    if host.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cmd_serve(args) -> int:
    """Serve the app to web browsers with textual-serve: each browser tab runs its own copy of
    the game (the title screen, or the replay of a save) in a process on this computer."""
    import shlex

    if args.replay is not None and not Path(args.replay).is_file():
        print(f"{args.replay}: (file): no such file", file=sys.stderr)
        return 1
    try:
        from pokrovsk_tui.tui.serve import make_server
    except ImportError as e:
        print(f"pokrovsk serve needs textual-serve ({e}); install it with: python3 -m pip install textual-serve",
              file=sys.stderr)
        return 1
    command = f"{shlex.quote(sys.executable)} -m pokrovsk_tui"
    if args.replay is not None:
        command += f" replay {shlex.quote(str(Path(args.replay).resolve()))}"
    host = args.host
    if not is_loopback(host):
        print(f"WARNING: serving on {host}: anyone who can reach this computer on port {args.port} can open the "
              "game in a browser, start games and write saves into the save folder, with no password. Use it "
              "only on a network you trust (a classroom), and stop it (ctrl+c) after the lesson. The default, "
              "127.0.0.1, serves this computer only.", file=sys.stderr)
    shown = host if ":" not in host else f"[{host}]"
    print(f"pokrovsk: serving the game on http://{shown}:{args.port}/ (ctrl+c stops)", file=sys.stderr)
    server = make_server(command, host=host, port=args.port)
    try:
        server.serve()
    except OSError as e:
        print(f"pokrovsk serve: cannot listen on {host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 1
    return 0
