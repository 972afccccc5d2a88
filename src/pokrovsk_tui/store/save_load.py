"""Reading a save: ``load_save(path)`` returns a ``SaveGame`` or raises ``SaveError`` whose
``problems`` name the file, the place in it and what is wrong, for every defect found: TOML
syntax, the models, the embedded scenario (places under ``scenario.text``), snapshots that
do not fit the scenario, and orders the engine would refuse that the save does not record as
refused. Nothing else escapes: any surprise while checking becomes a problem too.

Older formats are brought up to date by ``migrations.py`` on the way in; an autosave's
journal (``journal.py``) is merged into the file it belongs to.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from . import journal
from .atomic import stamp, target_of
from .checks import check_save, resolve_why
from .migrations import migrate
from .savefmt import FORMAT_VERSION, MAX_TURN, SaveError, SaveGame
from .scenarios import Problem, loc_to_place, read_toml

MAX_SAVE_BYTES = 64 * 1024 * 1024


def load_save(path: str | Path) -> SaveGame:
    """Read, migrate and validate a save; raises SaveError naming every problem."""
    with no_cycle_collection():
        return _load_save(Path(path))


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: reading a save makes hundreds of thousands of objects
    that all live on (the parsed data, the models), and the collector would go over them again
    and again while they are made (a quarter of the time of a load). Nothing read makes cycles
    of garbage to collect; the collector runs again as before once the save is read."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _load_save(path: Path) -> SaveGame:
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
        save._autosave = {"folder": path.parent, "path": path, "turns": len(save.turns), "full": base_turns}
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
