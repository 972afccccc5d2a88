"""The autosave journal: an autosave between full writes appends only the new turns.

An autosave writes the whole game (atomically, store/atomic.py) every few days, when the game
is over and whenever it is asked to save with no new turn (saving on quit, after an error);
in between it appends the new turns to ``<autosave>.journal`` beside the last full file, one
record per autosave, and fsyncs it: the cost of a day's autosave is that day's turn, whatever
the day. Loading the full file (store.saves.load_save) merges its journal, so a crash loses at
most the day being played; a record cut short by a crash is ignored.

A record is a line ``#@ pokrovsk-journal last=T bytes=N sha256=H`` (T: the last turn in it)
followed by N bytes of TOML: a
``[journal]`` table (updated, players, pending orders, the ``why_keys`` of kinds of event
first met in these turns) and the new ``[[turns]]``, in the save
format (event breakdowns as lists only where the full file's ``why_keys`` name them, else as
tables).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path
from typing import Any

from . import tomlr, tomlw

SUFFIX = ".journal"
FULL_EVERY = 7                  # days between full writes of an autosave
_HEAD = re.compile(rb"#@ pokrovsk-journal last=(\d+) bytes=(\d+) sha256=([0-9a-f]{64})\n")


def journal_path(base: str | Path) -> Path:
    base = Path(base)
    return base.with_name(base.name + SUFFIX)


def append(base: str | Path, head: dict[str, Any], turn_texts: list[str], last: int) -> None:
    """Append one record (``head`` as the [journal] table, then the turns' TOML) to the
    journal of the full file ``base``, and fsync it."""
    body = (tomlw.dumps({"journal": head}) + "\n" + "\n".join(turn_texts)).encode("utf-8")
    rec = b"#@ pokrovsk-journal last=%d bytes=%d sha256=%s\n" % (
        last, len(body), hashlib.sha256(body).hexdigest().encode())
    fd = os.open(journal_path(base), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, rec + body + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)


def records(base: str | Path) -> list[dict]:
    """The whole records of ``base``'s journal, oldest first (none when there is no journal);
    reading stops at the first record that is cut short or does not match its checksum."""
    try:
        raw = journal_path(base).read_bytes()
    except OSError:
        return []
    out, at = [], 0
    while at < len(raw):
        m = _HEAD.match(raw, at)
        if m is None:
            break
        n = int(m.group(2))
        body = raw[m.end(): m.end() + n]
        if len(body) != n or hashlib.sha256(body).hexdigest() != m.group(3).decode():
            break
        try:
            out.append(tomlr.loads(body.decode("utf-8")))
        except (tomlr.TOMLDecodeError, UnicodeDecodeError, ValueError, RecursionError):
            break
        at = m.end() + n + 1
    return out


def merge(data: dict, recs: list[dict]) -> int:
    """Add the journal's turns that follow the file's last turn to the parsed save ``data``
    (with the latest ``updated``, players and pending orders, and the breakdown names the
    records add to ``why_keys``); returns how many were added.
    Records of turns the file already holds (a journal older than its file) are skipped."""
    turns = data.get("turns")
    start = data.get("start_turn", 1)
    if not isinstance(turns, list) or type(start) is not int:
        return 0
    added = 0
    for rec in recs:
        new, head = rec.get("turns"), rec.get("journal")
        if not isinstance(new, list) or not new or not isinstance(head, dict):
            break
        first = new[0].get("turn") if isinstance(new[0], dict) else None
        expected = start + len(turns)
        if type(first) is int and first < expected:
            continue
        if first != expected:
            break
        turns.extend(new)
        added += len(new)
        for k in ("updated", "players"):
            if k in head:
                data[k] = head[k]
        names = head.get("why_keys")
        if isinstance(names, dict) and isinstance(data.setdefault("why_keys", {}), dict):
            for phase, kinds in names.items():      # names of kinds first met in these turns
                have = data["why_keys"].setdefault(phase, {})
                if isinstance(kinds, dict) and isinstance(have, dict):
                    for kind, keys in kinds.items():
                        have.setdefault(kind, keys)
        data.pop("pending", None)
        if "pending" in head:
            data["pending"] = head["pending"]
    if added:
        data["turns_saved"] = len(turns)
    return added


def last_turn(base: str | Path) -> int | None:
    """The last turn the journal of ``base`` says it holds (from its last record's line, not
    checked: for listing saves cheaply), or None without a journal."""
    try:
        with journal_path(base).open("rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 4 * 1024 * 1024))
            tail = f.read()
    except OSError:
        return None
    found = list(re.finditer(rb"#@ pokrovsk-journal last=(\d+) ", tail))
    return int(found[-1].group(1)) if found else None


def remove(base: str | Path) -> None:
    with contextlib.suppress(OSError):
        journal_path(base).unlink()
