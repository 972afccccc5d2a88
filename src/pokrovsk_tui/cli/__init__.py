"""The ``pokrovsk`` command.

Exit codes: 0 success, 1 a bad input file (or a failed check), 2 bad command-line usage.
No traceback reaches the user: every known failure prints ``file: place: what``.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys

from pokrovsk_tui import __version__

from .app import cmd_app, cmd_serve, is_loopback
from .files import cmd_branch, cmd_resume, cmd_scenarios, cmd_schema, cmd_validate, cmd_verify
from .instruct import cmd_annotate, cmd_report, cmd_reroll
from .options import JOBS_HELP, POLICY_NAMES
from .simulate import cmd_simulate
from .whatif import add_parser as _add_whatif
from .whatif import cmd_whatif

__all__ = ["main", "is_loopback", "POLICY_NAMES"]


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
    seed = br.add_mutually_exclusive_group()
    seed.add_argument("--seed", type=int, default=None, metavar="S",
                      help="the new game's dice seed (default: the save's, so resuming replays the original)")
    seed.add_argument("--new-seed", action="store_true", help="a new random seed: play the position on with fresh dice")

    re_ = sub.add_parser("resume", help="play a saved game on, headless, and save it")
    re_.add_argument("file", metavar="SAVE")
    re_.add_argument("--ua", choices=POLICY_NAMES, help="policy for Ukraine (default: the save's AI)")
    re_.add_argument("--ru", choices=POLICY_NAMES, help="policy for Russia (default: the save's AI)")
    re_.add_argument("--turns", type=_positive, default=None, metavar="T", help="play at most T more turns")
    re_.add_argument("-o", "--output", metavar="OUT", help="file to write (default: SAVE itself)")

    si = sub.add_parser("simulate", help="play games headless between two policies")
    si.add_argument("scenario", metavar="SCENARIO", nargs="?", help="bundled id or path to a .toml file")
    si.add_argument("--ua", choices=POLICY_NAMES, help="policy for Ukraine (with --from: default the save's)")
    si.add_argument("--ru", choices=POLICY_NAMES, help="policy for Russia (with --from: default the save's)")
    si.add_argument("--from", dest="from_save", metavar="SAVE",
                    help="play the rest of a saved game from the start of --turn T, --games times with new dice, "
                         "and show the distribution of results beside the actual game's")
    si.add_argument("--turn", type=_positive, metavar="T", help="with --from: the turn to start from")
    si.add_argument("--games", type=_positive, default=1, metavar="N")
    si.add_argument("--seed", type=int, default=None, metavar="S",
                    help="seed of the first game (game i uses S+i; default 1, with --from the save's seed + 1)")
    si.add_argument("--turns", type=_positive, default=None, metavar="T", help="stop after T turns")
    si.add_argument("--json", action="store_true", help="print JSON")
    si.add_argument("--jobs", type=_positive, default=1, metavar="N",
                    help=JOBS_HELP)
    si.add_argument("--csv", metavar="FILE", help="write one row per game to FILE")
    si.add_argument("--calibration", action="store_true",
                    help="print the calibration figures of the design rules beside their bands")
    si.add_argument("--save-dir", metavar="DIR", help="write one save per game into DIR")
    si.add_argument("--save", action="store_true",
                    help="write one save per game into $POKROVSK_SAVE_DIR (default ./saves)")
    _add_sweep_options(si)

    _add_whatif(sub, POLICY_NAMES, _positive, _add_sweep_options)

    # instructors (report/, store/annotations.py)
    rp = sub.add_parser("report", help="after-action report of a saved game (Markdown or HTML), or its series as CSV")
    rp.add_argument("file", metavar="SAVE")
    rp.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (default: standard output)")
    rp.add_argument("--format", choices=["md", "html"], default=None,
                    help="md (the default) or html (the default when FILE ends in .html)")
    rp.add_argument("--side", "--view", dest="side", choices=["ua", "ru"], default=None,
                    help="one side's debrief: each day, the key moments and the maps as this side knew them "
                         "(enemy units it had not detected are never named or drawn)")
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
    pl.add_argument("--ai", default=None, metavar="LEVEL",
                    help="the computer's level: easy, normal, hard, random or hold (default normal)")
    pl.add_argument("--ua-ai", default=None, metavar="LEVEL", help="watch mode: Ukraine's level (default: --ai)")
    pl.add_argument("--ru-ai", default=None, metavar="LEVEL", help="watch mode: Russia's level (default: --ai)")
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


def _add_sweep_options(p: argparse.ArgumentParser) -> None:
    """--scheduler and --out, of simulate and whatif (pokrovsk_tui.game.sweep)."""
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="play the games on the Dask cluster at ADDRESS (e.g. tcp://10.0.0.5:8786; needs "
                        "pokrovsk-tui[cluster] here and on the workers); the results are those of a local run")
    p.add_argument("--out", metavar="FILE",
                   help="write each finished game to FILE (JSON lines) as it finishes; if FILE holds games of "
                        "the same sweep already, play only the others (resume an interrupted sweep)")


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


class _Escaping:
    """A text stream that shows control characters other than line breaks and tabs as
    ``\\xNN`` (store.printable): text read from files (names, notes, messages)
    never sends escape sequences to the terminal."""

    _CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        from pokrovsk_tui.store.printable import printable

        self._stream.write(self._CONTROL.sub(lambda m: printable(m.group()), text))
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command in (None, "play", "load", "replay"):
            return cmd_app(args)
        if args.command == "serve":
            return cmd_serve(args)
        with contextlib.redirect_stdout(_Escaping(sys.stdout)), contextlib.redirect_stderr(_Escaping(sys.stderr)):
            return {"scenarios": cmd_scenarios, "validate": cmd_validate, "schema": cmd_schema,
                    "simulate": cmd_simulate, "verify": cmd_verify, "branch": cmd_branch,
                    "resume": cmd_resume, "report": cmd_report, "annotate": cmd_annotate,
                    "reroll": cmd_reroll, "whatif": cmd_whatif}[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
