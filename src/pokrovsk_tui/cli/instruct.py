"""Commands for instructors: report, annotate, reroll."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .common import _load_or_say, _save_or_say, _write_or_say


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
        text = render(save, fmt, source=args.file, who=getattr(args, "side", None) or "truth") if out else None
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
    from pokrovsk_tui.store.atomic import locked

    if args.list or not Path(args.file).is_file():
        return _annotate(args)
    try:
        with locked(args.file):     # a second annotate (or resume) waits, then reads this one's note
            return _annotate(args)
    except OSError as e:
        print(f"{args.file}: (file): cannot lock for writing: {e.strerror or e}", file=sys.stderr)
        return 1


def _annotate(args) -> int:
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
