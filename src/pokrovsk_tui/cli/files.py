"""Commands on scenario and save files: scenarios, validate, schema, verify, branch, resume."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .common import _save_or_say
from .options import POLICY_NAMES


def cmd_scenarios(args) -> int:
    from pokrovsk_tui.store.headers import bundled_dir, bundled_ids, read_header

    rows = []
    for sid in bundled_ids():
        row = read_header(bundled_dir() / f"{sid}.toml")     # the header only: no world is built
        if row is None:           # an unusual layout: the full load, whose checks say what is wrong
            from pokrovsk_tui.store.scenarios import ScenarioError, load_scenario

            try:
                s = load_scenario(sid)
            except ScenarioError as e:
                print(e, file=sys.stderr)
                continue
            row = {"id": s.id, "title": s.title, "width": s.map.width, "height": s.map.height, "turns": s.turns}
        rows.append(row)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(f"{'id':<24} {'map':>7} {'turns':>5}  title")
        for r in rows:
            print(f"{r['id']:<24} {r['width']:>3}x{r['height']:<3} {r['turns']:>5}  {r['title']}")
    return 0


def cmd_validate(args) -> int:
    from pokrovsk_tui.store.scenarios import Problem, printable

    bad = False
    for f in args.files:
        try:
            found, note = _validate_one(f)
        except (Exception, RecursionError, MemoryError) as e:   # one pathological file never stops the rest
            found, note = [Problem(f, "(file)", f"cannot be checked: {type(e).__name__}: {e}")], ""
        for prob in found:
            print(prob)
        if found:
            bad = True
        else:
            print(f"{printable(f)}: ok{printable(note)}")
    return 1 if bad else 0


def _validate_one(f: str):
    """The problems of one scenario or save file, and a note on what it is when sound."""
    from pokrovsk_tui.store.saves import MAX_SAVE_BYTES, SaveError, is_save_data, save_from_data
    from pokrovsk_tui.store.scenarios import (
        MAX_FILE_BYTES,
        Problem,
        read_toml,
        too_big,
        validate_data,
    )

    path = Path(f)
    data, found = read_toml(path, limit=MAX_SAVE_BYTES)
    note = ""
    if data is not None and is_save_data(data):
        try:
            save = save_from_data(data, f)
            note = f" (save of {save.scenario.id}, {len(save.turns)} turns)"
            found = save.modified_by_hand()     # it loads, but its digests say it was edited
        except SaveError as e:
            found = e.problems
    elif data is not None:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            found = [Problem(f, "(file)", too_big(size, MAX_FILE_BYTES))]
        else:
            _, found = validate_data(data, f)
    return found, note


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
    from pokrovsk_tui.store.replay import BranchError, branch, branch_file
    from pokrovsk_tui.store.saves import SaveError, load_save

    src = Path(args.file)
    try:
        save = load_save(src)
    except SaveError as e:
        print(e, file=sys.stderr)
        return 1
    if args.output:
        out = Path(args.output)
    else:
        out = branch_file(src.parent, src.stem, args.turn)
    if out.exists() and out.resolve() == src.resolve():
        print(f"{out}: (file): is the save being branched; the original is never overwritten", file=sys.stderr)
        return 1
    if out.exists() and not args.force:
        print(f"{out}: (file): exists; choose another -o NEW or add --force", file=sys.stderr)
        return 1
    try:
        seed = args.seed if args.seed is not None else (_fresh_seed(save.seed) if args.new_seed else None)
        new = branch(save, args.turn, source=str(src), name=args.name or out.stem, seed=seed)
    except BranchError as e:
        print(f"{src}: --turn: {e}", file=sys.stderr)
        return 1
    if not _save_or_say(new, out):
        return 1
    dice = "" if new.seed == save.seed else f" with new seed {new.seed}"
    print(f"{src}: branched at the start of turn {args.turn}{dice} -> {out}")
    return 0


def _fresh_seed(old: int) -> int:
    """A random seed other than ``old``."""
    import secrets

    while True:
        s = secrets.randbelow(2**31 - 1) + 1
        if s != old:
            return s


def cmd_resume(args) -> int:
    from pokrovsk_tui.game.loop import policy_for
    from pokrovsk_tui.game.sim import play_game
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
    orig = save.model_copy(deep=True)      # as read: notes added meanwhile by annotate are merged
    pols = tuple(_with_pending(policy_for(names[k]), save.pending, k, state.turn) for k in ("ua", "ru"))
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
    if not _save_merging_notes(save, orig, out):
        return 1
    played = f"turns {first}-{rec.final.turn - 1}" if rec.turns else "no turns"
    r = rec.result()
    verdict = f"winner {r['winner']}" if rec.final.over else f"ahead now: {r['winner']}"
    print(f"{src}: played {played} -> {out}; {verdict}, VP UA {r['vp']['ua']:.1f} RU {r['vp']['ru']:.1f}")
    return 0


def _save_merging_notes(save, orig, out: Path) -> bool:
    from pokrovsk_tui.store.atomic import ChangedOnDisk
    from pokrovsk_tui.store.saves import SaveError, write_merging_notes

    try:
        write_merging_notes(save, orig, out)
    except (ChangedOnDisk, SaveError):
        print(f"{out}: (file): changed on disk since it was read; nothing written", file=sys.stderr)
        return False
    except OSError as e:
        print(f"{out}: (file): cannot write: {e.strerror or e}", file=sys.stderr)
        return False
    return True


def _with_pending(policy, pending, key: str, turn: int):
    """The policy, except that orders already given for ``turn`` (a hot-seat handoff) stand."""
    given = list(getattr(pending, key)) if pending is not None else []
    if not given:
        return policy

    def play(view, rng):
        return given if view.turn == turn else policy(view, rng)
    return play
