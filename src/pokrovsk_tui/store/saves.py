"""Saved games on disk: build, write (atomically), load (validated, migrated), autosave.

``load_save(path)`` returns a ``SaveGame`` or raises ``SaveError`` whose ``problems`` name
the file, the place in it and what is wrong, for every defect found: TOML syntax, the
models, the embedded scenario (places under ``scenario.text``), snapshots that do not fit
the scenario, and orders the engine would refuse that the save does not record as refused.
Nothing else escapes: any surprise while checking becomes a problem too.

The format itself is in ``savefmt.py``; older formats are migrated by ``migrations.py``;
replay, verify and branch are in ``replay.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from pokrovsk_tui import __version__
from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.scenario import SIDES, Scenario
from pokrovsk_tui.rules.state import GameState, initial_state
from pokrovsk_tui.rules.world import World

from . import journal, tomlw
from .atomic import ChangedOnDisk, locked, remove_stale_temps, stamp, target_of, write_unchanged
from .checks import check_save, resolve_why
from .paths import default_save_dir
from .savefmt import (
    FORMAT_VERSION,
    MAX_TURN,
    Mode,
    Player,
    Players,
    SavedTurn,
    SaveGame,
    Snapshot,
    group_runs,
    order_text,
    orders_digest,
)
from .scenarios import Problem, loc_to_place, read_toml
from .snapshot import (
    encode_orders,
    encode_state,
    group_events,
    state_digest,
)

MAX_SAVE_BYTES = 64 * 1024 * 1024
AOT_KEYS = ("lineage", "annotations", "turns")
HEADER = (f"# pokrovsk-tui saved game (format_version {FORMAT_VERSION}). Check it with: pokrovsk verify FILE\n"
          "# Instructors may add annotations by hand: turn, hex (optional), author, text.\n\n")



class SaveError(Exception):
    """A save that cannot be used; ``problems`` says every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# ----- names and places ------------------------------------------------------------------

_TRANSLIT = dict(zip("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяёыэъ",
                     "a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch _ iu ia e y e _"
                     .split(), strict=True))
_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}


NAME_MAX = 100          # characters of a file-name stem made from a game's name (autosaves, branches)


def safe_name(text: str, max_len: int = 48) -> str:
    """A file-name stem from anything a user typed: lowercase letters, digits and single
    dashes, at most ``max_len`` characters, never empty, never a path component."""
    out = []
    for ch in str(text).lower():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch].strip("_"))
            continue
        for c in unicodedata.normalize("NFKD", ch):
            if c.isascii() and c.isalnum():
                out.append(c)
            elif not unicodedata.combining(c):
                out.append("-")
    s = re.sub(r"-+", "-", "".join(out)).strip("-")
    s = s[: max(1, max_len)].strip("-")
    if not s:
        s = "game"
    if s in _RESERVED:
        s += "-game"
    return s


def unique_path(folder: Path, stem: str, suffix: str = ".toml") -> Path:
    """``folder/stem.toml``, or ``stem-2.toml``, ``stem-3.toml``... whichever is free."""
    p = folder / f"{stem}{suffix}"
    i = 2
    while p.exists():
        p = folder / f"{stem}-{i}{suffix}"
        i += 1
    return p


# ----- building a save -------------------------------------------------------------------

def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scenario_text(scn: Scenario) -> str:
    """TOML text of a scenario model (for scenarios built in memory rather than read)."""
    return tomli_w.dumps(scn.model_dump(mode="python", exclude_none=True))


def mode_of(players: Players) -> Mode:
    humans = [p.kind == "human" for p in (players.ua, players.ru)]
    return "hot-seat" if all(humans) else "solo" if any(humans) else "ai-vs-ai"


def ai_players(ua: str, ru: str) -> Players:
    return Players(ua=Player(kind="ai", level=ua), ru=Player(kind="ai", level=ru))


def new_save(world: World, *, text: str, seed: int, players: Players, mode: Mode | None = None,
             name: str | None = None, source: str | None = None, start: GameState | None = None,
             now: dt.datetime | None = None) -> SaveGame:
    """An empty save of a game about to start (from ``start``, else the initial state)."""
    now = now or now_utc()
    scn = world.scenario
    save = SaveGame(
        format_version=FORMAT_VERSION, app_version=__version__,
        name=name or f"{scn.id}-seed{seed}", created=now, updated=now,
        mode=mode or mode_of(players), seed=seed, turns_saved=0, players=players,
        scenario={"id": scn.id, "sha256": sha256_text(text), "source": source, "text": text})
    if start is not None:
        save.start_turn = int(start.turn)
        save.start = Snapshot.model_validate(encode_state(world, start))
        save.start_digest = state_digest(start)
    save._world = world
    return save


def turn_data(world: World, turn: int, orders: dict[int, list[Order]], events: list[Event],
              state: GameState, intents: dict[int, list[str]] | None = None) -> dict[str, Any]:
    """One played turn as save data (what a [[turns]] entry holds)."""
    digest = state_digest(state)
    d: dict[str, Any] = {
        "turn": int(turn),
        "digest": digest,
        "orders": {k: encode_orders(list(orders.get(s, []))) for s, k in enumerate(SIDES)},
    }
    if intents:
        d["intents"] = {k: [str(x) for x in intents.get(s, [])] for s, k in enumerate(SIDES)}
    d["orders_digest"] = orders_digest(digest, list(orders.get(0, [])), list(orders.get(1, [])),
                                       d.get("intents"))
    d["events"] = group_events(events)
    d["state"] = encode_state(world, state)
    return d


def append_turn(save: SaveGame, turn: int, orders: dict[int, list[Order]], events: list[Event],
                state: GameState, intents: dict[int, list[str]] | None = None,
                now: dt.datetime | None = None) -> SavedTurn:
    """Record an adjudicated turn; clears the pending orders."""
    if turn != save.next_turn:
        raise ValueError(f"turn {turn} does not follow the save's last turn ({save.next_turn - 1})")
    t = SavedTurn.model_validate(turn_data(save.world(), turn, orders, events, state, intents))
    save.turns.append(t)
    save.turns_saved = len(save.turns)
    save.pending = None
    save.updated = now or now_utc()
    return t


def save_from_record(rec, *, text: str, players: Players, mode: Mode | None = None, name: str | None = None,
                     source: str | None = None, now: dt.datetime | None = None) -> SaveGame:
    """A save of a whole played game (a ``sim.GameRecord`` kept with ``keep_history``)."""
    save = new_save(rec.world, text=text, seed=rec.seed, players=players, mode=mode, name=name,
                    source=source, now=now,
                    start=None if _is_initial(rec.world, rec.initial) else rec.initial)
    for tr in rec.turns:
        append_turn(save, tr.turn, tr.orders, tr.events, tr.state, getattr(tr, "intents", None), now=save.updated)
    return save


def _is_initial(world: World, state: GameState) -> bool:
    return state.turn == 1 and not initial_state(world).equal(state, tol=0.0)


# ----- writing ---------------------------------------------------------------------------

def dumps_save(save: SaveGame) -> str:
    """The save's TOML text: orders on one line each where they fit, event breakdowns as
    lists of values named once in ``[why_keys]``. The text of each turn is kept on the turn,
    so saving again after a new turn (autosave) only writes out the new one."""
    legend = why_legend(save)
    doc = save.model_dump(exclude_defaults=True, exclude_none=True, exclude={"turns", "scenario", "why_keys"})
    head = {k: doc.pop(k) for k in ("format_version", "app_version", "name", "created", "updated", "mode", "seed")}
    head["start_turn"] = save.start_turn
    head["turns_saved"] = len(save.turns)
    doc.pop("start_turn", None)
    doc.pop("turns_saved", None)
    if save.pending is not None:
        doc["pending"] = _pending_doc(save.pending)
    rest = {k: doc.pop(k) for k in ("start_digest", "players", "lineage", "annotations", "pending", "start")
            if k in doc}
    if legend:
        rest["why_keys"] = legend
    parts = [HEADER, tomlw.dumps(head | rest | doc, aot=AOT_KEYS, wide=("why_keys",))]
    parts += [_turn_text(t, legend) for t in save.turns]
    parts.append(tomlw.dumps({"scenario": save.scenario.model_dump(exclude_none=True)}))
    return "\n".join(parts)


def _turn_text(t: SavedTurn, legend: dict[str, dict[str, list[str]]]) -> str:
    used = {(e.phase, e.kind): legend.get(e.phase, {}).get(e.kind) for e in t.events}
    cached = t._toml
    if cached is not None and cached[0] == used:
        return cached[1]
    td = t.model_dump(exclude_defaults=True, exclude_none=True)
    out = {"turn": td["turn"], "digest": td["digest"], "orders_digest": td["orders_digest"],
           "orders": _orders_doc(t.orders)}
    if "intents" in td:
        out["intents"] = td["intents"]
    events = td.get("events", [])
    for e in events:
        why = e.get("why")
        if isinstance(why, dict):
            names = used.get((e["phase"], e["kind"]))
            if names is not None and list(why) == names:
                e["why"] = list(why.values())
    out["events"] = group_runs(events)
    out["state"] = td["state"]
    text = tomlw.dumps({"turns": [out]}, aot=AOT_KEYS)
    t._toml = (used, text)
    return text


def _pending_doc(pending) -> dict[str, list]:
    doc = _orders_doc(pending)
    if pending.done:
        doc["done"] = list(pending.done)
    return doc


def _orders_doc(orders) -> dict[str, list]:
    return {k: [order_text(o) or o.model_dump(exclude_defaults=True) for o in getattr(orders, k)] for k in SIDES}


def why_legend(save: SaveGame) -> dict[str, dict[str, list[str]]]:
    """For each phase and kind of event, the most common list of breakdown names."""
    counts: dict[tuple[str, str], Counter] = {}
    for t in save.turns:
        for e in t.events:
            if isinstance(e.why, dict) and e.why:
                counts.setdefault((e.phase, e.kind), Counter())[tuple(e.why)] += 1
    legend: dict[str, dict[str, list[str]]] = {}
    for (phase, kind), c in counts.items():
        legend.setdefault(phase, {})[kind] = list(c.most_common(1)[0][0])
    return legend


def write_save(save: SaveGame, path: str | Path, *, replace: bool = True) -> Path:
    """Write the save atomically (temporary file, fsync, rename), to the file a symlink
    points to, under the file's advisory lock. When this save was read from (or last
    written to) that file, the file must still hold what was read: else ``ChangedOnDisk``
    ("... changed on disk since it was read; nothing written") and nothing is written.
    ``replace=False``: a file this save did not come from is never replaced (ChangedOnDisk).
    Stale temporaries of dead processes in the folder are removed."""
    path = Path(path)
    target = target_of(path)
    key = str(target.resolve())
    text = dumps_save(save)
    with locked(target):
        if key in save._disk:
            expect = save._disk[key]
        elif replace:
            expect = stamp(target)
        else:
            expect = None
        save._disk[key] = write_unchanged(target, text, expect)
    remove_stale_temps(target.parent if str(target.parent) else Path("."))
    return path


def write_merging_notes(save: SaveGame, orig: SaveGame, path: str | Path) -> Path:
    """``write_save``, except that when the file changed on disk since ``orig`` (the save as
    read, before this writer's changes) was read from it only by notes (``[[annotations]]``
    and ``updated``), the notes on disk are kept and this save written over them. Any other
    change on disk: ChangedOnDisk, nothing written. ``save`` must not change notes itself."""
    try:
        return write_save(save, path)
    except ChangedOnDisk:
        pass
    with locked(path):
        disk = load_save(path)
        theirs = disk.model_copy(deep=True)
        theirs.annotations, theirs.updated = orig.annotations, orig.updated
        if dumps_save(theirs) != dumps_save(orig):
            raise ChangedOnDisk(path)
        save.annotations = disk.annotations
        key = str(target_of(path).resolve())
        save._disk[key] = disk._disk[key]
        return write_save(save, path)


def changed_on_disk(save: SaveGame, path: str | Path) -> bool:
    """True when ``path`` no longer holds what this save read from it or last wrote there."""
    key = str(target_of(path).resolve())
    return key in save._disk and stamp(key) != save._disk[key]


def autosave(game: SaveGame, save_dir: str | Path | None = None, keep: int = 3,
             full_every: int = journal.FULL_EVERY) -> Path:
    """Write ``<safe-name>-turnNN.toml`` into the save folder and delete all but the newest
    ``keep`` autosaves of the same game. Returns the path written.

    Between full writes (every ``full_every`` days, at the game's end, and whenever there is
    no new turn to save: saving on quit, after an error) only the new turns are appended to
    the last full file's journal (store/journal.py): that file, returned, then loads as the
    game of today. A full file of the set-up alone (no turn played) is not journaled onto. The cost of a day's autosave does not grow with the day."""
    if keep < 1:
        raise ValueError("keep at least one autosave")
    folder = Path(save_dir) if save_dir is not None else default_save_dir()
    mark = game._autosave
    if (mark is not None and mark["folder"] == folder and len(game.turns) > mark["turns"] and mark["full"] > 0
            and len(game.turns) - mark["full"] < full_every and not _over(game) and mark["path"].is_file()):
        new = game.turns[mark["turns"]:]
        head: dict[str, Any] = {"updated": game.updated,
                                "players": game.players.model_dump(exclude_defaults=True, exclude_none=True)}
        if game.pending is not None:
            head["pending"] = _pending_doc(game.pending)
        # breakdowns in the file's own why_keys (those the file names), so that the turns'
        # text stays good for the next full write when the legend has not changed
        journal.append(mark["path"], head, [_turn_text(t, mark["legend"]) for t in new], last=new[-1].turn)
        mark["turns"] = len(game.turns)
        return mark["path"]
    folder.mkdir(parents=True, exist_ok=True)
    stem = safe_name(game.name, max_len=NAME_MAX)
    last = game.next_turn - 1
    path = folder / f"{stem}-turn{last:02d}.toml"
    write_save(game, path)
    journal.remove(path)                         # its turns are in the file now
    if mark is not None and mark["path"] != path:
        journal.remove(mark["path"])             # the older file stays the game of its own day
    game._autosave = {"folder": folder, "path": path, "turns": len(game.turns), "full": len(game.turns),
                      "legend": why_legend(game)}
    pattern = re.compile(rf"^{re.escape(stem)}-turn(\d+)\.toml$")
    others = []
    for p in folder.iterdir():
        m = pattern.match(p.name)
        if m and p.name != path.name:
            others.append((int(m.group(1)), p))
    others.sort(reverse=True)
    for _, p in others[keep - 1:]:
        with contextlib.suppress(OSError):
            p.unlink()
        journal.remove(p)
    remove_stale_temps(folder)
    return path


def _over(game: SaveGame) -> bool:
    """The last day of the scenario is played."""
    try:
        return game.next_turn > game.world().scenario.turns
    except Exception:       # a save whose scenario cannot be built: write it whole
        return True


def autosaves(game_name: str, save_dir: str | Path | None = None) -> list[Path]:
    """The autosaves of a game in the save folder, oldest turn first."""
    folder = Path(save_dir) if save_dir is not None else default_save_dir()
    pattern = re.compile(rf"^{re.escape(safe_name(game_name, max_len=NAME_MAX))}-turn(\d+)\.toml$")
    found = []
    with contextlib.suppress(OSError):
        for p in folder.iterdir():
            m = pattern.match(p.name)
            if m:
                found.append((int(m.group(1)), p))
    return [p for _, p in sorted(found)]


# ----- loading ---------------------------------------------------------------------------

def load_save(path: str | Path) -> SaveGame:
    """Read, migrate and validate a save; raises SaveError naming every problem."""
    path = Path(path)
    for _ in range(20):       # the stamp must be that of the bytes read: retry while a writer is busy
        before = stamp(path) if path.is_file() else None
        data, found = read_toml(path, limit=MAX_SAVE_BYTES)
        if data is None or before is None or stamp(path) == before:
            break
    if data is None:
        raise SaveError(found)
    recs = journal.records(path) if data.get("format_version") == FORMAT_VERSION else []
    base_turns = len(data["turns"]) if isinstance(data.get("turns"), list) else 0
    merged = journal.merge(data, recs) if recs else 0
    save = save_from_data(data, str(path))
    if before is not None:
        save._disk[str(target_of(path).resolve())] = before
    if merged:            # an autosave with its journal: the next autosave goes on appending to it
        save._autosave = {"folder": path.parent, "path": path, "turns": len(save.turns), "full": base_turns,
                          "legend": dict(save.why_keys)}
    return save


def is_save_data(data: dict) -> bool:
    return isinstance(data, dict) and "format_version" in data


def save_from_data(data: dict, name: str) -> SaveGame:
    """Validate parsed TOML as a save (migrating older formats); raises SaveError."""
    try:
        return _save_from_data(data, name)
    except SaveError:
        raise
    except Exception as e:    # a defect no check foresaw: still one clear line, never a traceback
        raise SaveError([Problem(name, "(save)", f"cannot be used: {type(e).__name__}: {e}")]) from e


def _save_from_data(data: dict, name: str) -> SaveGame:
    from .migrations import migrate

    v = data.get("format_version")
    if "format_version" not in data:
        raise SaveError([Problem(name, "format_version", "missing: this is not a pokrovsk save")])
    if type(v) is not int or abs(v) > 10**9:
        shown = repr(v)[:40] if type(v) is not int else "a number that large"
        raise SaveError([Problem(name, "format_version", f"must be a whole number up to {FORMAT_VERSION}, "
                                                         f"not {shown}")])
    if v > FORMAT_VERSION:
        raise SaveError([Problem(name, "format_version",
                                 f"format_version {v} is newer than this program reads ({FORMAT_VERSION}); "
                                 "update pokrovsk-tui")])
    if v < FORMAT_VERSION:
        data = migrate(data, v, name)
    cut = []
    turns, said = data.get("turns", []), data.get("turns_saved")
    if isinstance(turns, list) and type(said) is int and abs(said) <= MAX_TURN and said != len(turns):
        cut = [Problem(name, "turns", f"the file holds {len(turns)} turns but turns_saved says {said} "
                                      "(cut short or edited?)")]
    try:
        save = SaveGame.model_validate(data)
    except ValidationError as e:
        out = cut
        for err in e.errors(include_url=False):
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown field (misspelt?)"
            out.append(Problem(name, _file_place(data, err["loc"]), msg))
        raise SaveError(out) from None
    found = cut + resolve_why(save, name)
    found += check_save(save, name)
    if found:
        raise SaveError(found)
    return save


def _file_place(data: dict, loc: tuple) -> str:
    """The place of a validation error as it is in the file (events are grouped by phase
    there, a list in the model)."""
    if len(loc) >= 4 and loc[0] == "turns" and loc[2] == "events" and isinstance(loc[3], int):
        try:
            raw = data["turns"][loc[1]]["events"]
            if isinstance(raw, dict):
                flat = [(g, j) for g, evs in raw.items() for j in range(len(evs))]
                g, j = flat[loc[3]]
                return loc_to_place(loc[:3]) + f".{g}[{j}]" + (("." + loc_to_place(loc[4:])) if loc[4:] else "")
        except (KeyError, IndexError, TypeError):
            pass
    return loc_to_place(loc)
