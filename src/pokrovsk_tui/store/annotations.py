"""An instructor's annotations on a saved game: add, edit, delete, validated, written atomically.

An annotation is a note on one turn (``0`` is the set-up before the first turn), optionally
on one hex, with an author and a text. They live in the save's ``[[annotations]]`` (see
``savefmt.Annotation``), so they survive saving and loading and go into the after-action
report.

The functions on a ``SaveGame`` change it in memory and return plain values; ``change_notes``
writes such a change back to the save's file atomically (``saves.write_save``), keeping the
notes another writer added meanwhile (``pokrovsk annotate`` changes a file under its lock).
Indexes are positions in ``save.annotations`` (0-based). Bad input raises
``AnnotationError`` naming the field and what is wrong; nothing is changed then.
"""

from __future__ import annotations

import re
from pathlib import Path

from pokrovsk_tui.rules.hexgrid import HexIdError

from .atomic import ChangedOnDisk, locked, target_of
from .savefmt import Annotation, SaveGame
from .saves import changed_on_disk, dumps_save, load_save, now_utc, write_save

MAX_TEXT = 2000        # characters in a note
MAX_AUTHOR = 200       # as the save format allows
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
KEEP = object()        # edit_annotation: leave this field as it is


class AnnotationError(ValueError):
    """An annotation that cannot be made: ``field`` (turn, hex, author, text, index) and why."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def turn_range(save: SaveGame) -> tuple[int, int]:
    """The turns a note may be on: 0 (the set-up) to the last turn played."""
    return 0, save.next_turn - 1


def make_annotation(save: SaveGame, turn: int, text: str, hex: str | None = None, author: str = "") -> Annotation:
    """A validated annotation for this save (not yet added): the turn in range, the hex on the
    map (written as the map names it), the author at most 200 characters on one line, the
    text not empty, at most 2000 characters (line breaks allowed)."""
    lo, hi = turn_range(save)
    if isinstance(turn, bool) or not isinstance(turn, int):
        raise AnnotationError("turn", f"must be a whole number, not {turn!r}")
    if not lo <= turn <= hi:
        played = "no turn has been played yet" if hi == 0 else f"the turns played are {save.start_turn} to {hi}"
        raise AnnotationError("turn", f"turn {turn} is not in this game: 0 is the set-up, {played}")
    if hex is not None:
        if not isinstance(hex, str) or not hex.strip():
            raise AnnotationError("hex", "give a hex id like 2022, or no hex")
        grid = save.world().grid
        try:
            hex = grid.hex_id(grid.index(hex.strip()))
        except (HexIdError, ValueError, KeyError) as e:
            raise AnnotationError("hex", str(e) or f"{hex!r} is not a hex of this map") from None
    if not isinstance(author, str):
        raise AnnotationError("author", "must be text")
    author = author.strip()
    if len(author) > MAX_AUTHOR:
        raise AnnotationError("author", f"{len(author)} characters; at most {MAX_AUTHOR}")
    if "\n" in author or _CONTROL.search(author):
        raise AnnotationError("author", "must be one line of text without control characters")
    if not isinstance(text, str):
        raise AnnotationError("text", "must be text")
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise AnnotationError("text", "is empty: write the note")
    if len(text) > MAX_TEXT:
        raise AnnotationError("text", f"{len(text)} characters; at most {MAX_TEXT}")
    if _CONTROL.search(text):
        raise AnnotationError("text", "holds control characters (only line breaks and tabs are allowed)")
    return Annotation(turn=turn, hex=hex, author=author, text=text)


def _index(save: SaveGame, index: int) -> int:
    n = len(save.annotations)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < n:
        have = "there are none" if n == 0 else f"they are numbered 0 to {n - 1}"
        raise AnnotationError("index", f"no annotation {index!r}: {have}")
    return index


def add_annotation(save: SaveGame, turn: int, text: str, hex: str | None = None, author: str = "") -> int:
    """Add a note; returns its index."""
    save.annotations.append(make_annotation(save, turn, text, hex, author))
    save.updated = now_utc()
    return len(save.annotations) - 1


def edit_annotation(save: SaveGame, index: int, *, turn=KEEP, text=KEEP, hex=KEEP, author=KEEP) -> Annotation:
    """Change some fields of note ``index`` (``hex=None`` removes the hex); returns the note."""
    i = _index(save, index)
    old = save.annotations[i]
    new = make_annotation(save, old.turn if turn is KEEP else turn, old.text if text is KEEP else text,
                          old.hex if hex is KEEP else hex, old.author if author is KEEP else author)
    save.annotations[i] = new
    save.updated = now_utc()
    return new


def delete_annotation(save: SaveGame, index: int) -> Annotation:
    """Remove note ``index``; returns it. Later notes move up one place."""
    i = _index(save, index)
    gone = save.annotations.pop(i)
    save.updated = now_utc()
    return gone


def annotations_at(save: SaveGame, turn: int | None = None) -> list[tuple[int, Annotation]]:
    """(index, note) pairs, all of them or those of one turn, in turn order (stable)."""
    pairs = [(i, a) for i, a in enumerate(save.annotations) if turn is None or a.turn == turn]
    return sorted(pairs, key=lambda p: p[1].turn)


def find_note(save: SaveGame, note: Annotation) -> int:
    """The index of ``note`` (equal in every field) in ``save``, for a change made to a note
    as it was read; AnnotationError when another writer has changed or deleted it since."""
    for i, a in enumerate(save.annotations):
        if a == note:
            return i
    raise AnnotationError("index", "this note was changed or deleted by another writer since it was read "
                                   "(the notes now on disk are shown); nothing written")


# ----- on files --------------------------------------------------------------------------

class NotesConflict(ChangedOnDisk):
    """The game itself (not only its notes) changed on disk since it was read: nothing written."""

    def __init__(self, path: str | Path):
        super().__init__(path)
        self.args = (f"{path} changed on disk since it was read (not only its notes: the game itself); "
                     f"nothing written. Reopen it to see the new version.",)


def change_notes(save: SaveGame, path: str | Path, change) -> SaveGame:
    """Apply ``change(save)`` to the notes of ``save`` (read from ``path``) and write it back,
    never losing a note another writer (``pokrovsk annotate``, another replay or browser tab)
    wrote meanwhile: under the file's lock, when the file changed since it was read only in
    its notes, the notes on disk replace ours first and ``change`` applies to them (a change
    to one note finds it with ``find_note``). When the game itself changed on disk:
    ``NotesConflict``, nothing written. On any failure ``save`` is as it was."""
    def keep():
        return list(save.annotations), save.updated, dict(save._disk)

    def back(kept) -> None:
        save.annotations, save.updated = kept[0], kept[1]
        save._disk.clear()
        save._disk.update(kept[2])

    kept = keep()
    try:
        with locked(path):
            if changed_on_disk(save, path):
                disk = load_save(path)
                theirs = disk.model_copy(deep=True)
                theirs.annotations, theirs.updated = save.annotations, save.updated
                if dumps_save(theirs) != dumps_save(save):
                    raise NotesConflict(path)
                key = str(target_of(path).resolve())
                save.annotations, save.updated = disk.annotations, disk.updated
                save._disk[key] = disk._disk[key]
                kept = keep()        # the notes on disk are ours now, whatever happens next
            change(save)
            write_save(save, path)
    except BaseException:
        back(kept)
        raise
    return save
