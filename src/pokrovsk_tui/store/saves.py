"""Saved games on disk, the public face of saves: build (``save_build``), the TOML text
(``save_text``), load, validated and migrated (``save_load``), and here the writes: atomic,
guarded against a file changed on disk since it was read, and autosaves with their journal.

Callers import everything from here (``from pokrovsk_tui.store.saves import load_save``);
the format itself is in ``savefmt.py``, older formats are migrated by ``migrations.py``,
replay, verify and branch are in ``replay.py``.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

from . import journal
from .atomic import ChangedOnDisk, locked, remove_stale_temps, stamp, target_of, write_unchanged
from .paths import default_save_dir
from .save_build import (
    NAME_MAX,
    ai_players,
    append_turn,
    mode_of,
    new_save,
    now_utc,
    safe_name,
    save_from_record,
    scenario_text,
    sha256_text,
    turn_data,
    unique_path,
)
from .save_load import MAX_SAVE_BYTES, is_save_data, load_save, save_from_data
from .save_text import dumps_save, new_names, pending_doc, turn_text, why_legend, with_names
from .savefmt import SaveError, SaveGame

__all__ = [
    "MAX_SAVE_BYTES", "NAME_MAX", "SaveError", "ai_players", "append_turn", "autosave", "autosaves",
    "changed_on_disk", "default_save_dir", "dumps_save", "is_its_file", "is_save_data", "journaled", "load_save",
    "mode_of", "new_save", "now_utc", "safe_name", "save_from_data", "save_from_record", "scenario_text",
    "sha256_text", "turn_data", "unique_path", "why_legend", "write_merging_notes", "write_save",
]


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


def is_its_file(save: SaveGame, path: str | Path) -> bool:
    """True when this save was read from ``path`` or last written there."""
    return str(target_of(path).resolve()) in save._disk


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
            head["pending"] = pending_doc(game.pending)
        # breakdowns in the names the file and its journal hold, plus names for kinds of event
        # first met in these turns (the record carries them); names never change, so the
        # turns' text stays good for the next full write
        added = new_names(game.why_keys, new)
        if added:
            head["why_keys"] = added
        legend = with_names(game.why_keys, added)
        journal.append(mark["path"], head, [turn_text(t, legend) for t in new], last=new[-1].turn)
        mark["turns"] = len(game.turns)
        game.why_keys = legend                   # once the record holds them
        return mark["path"]
    folder.mkdir(parents=True, exist_ok=True)
    stem = safe_name(game.name, max_len=NAME_MAX)
    last = game.next_turn - 1
    path = folder / f"{stem}-turn{last:02d}.toml"
    write_save(game, path)
    journal.remove(path)                         # its turns are in the file now
    if mark is not None and mark["path"] != path:
        journal.remove(mark["path"])             # the older file stays the game of its own day
    game._autosave = {"folder": folder, "path": path, "turns": len(game.turns), "full": len(game.turns)}
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


def journaled(game: SaveGame) -> bool:
    """Whether this game's latest autosave is a whole file with days journaled beside it
    (an autosave with no new day then writes it whole and removes the journal)."""
    mark = game._autosave
    return mark is not None and mark["turns"] > mark["full"]


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
