"""Atomic file writes: a process killed at any moment leaves either the old file or the new
one, whole.

The data goes to a temporary file in the target's folder (same file system, so the rename
is atomic), is flushed and fsync'ed, then ``os.replace`` puts it in place and the folder is
fsync'ed so the rename itself survives a power cut. Temporary files are named
``.NAME.PID.RANDOM.tmp``: hidden, ending in ``.tmp``, so nothing that lists saves picks them
up; ``is_temp`` says so and ``remove_stale_temps`` clears those of processes that died.

A symlink is followed: writing to a link writes the file it points to (``target_of``).

Writers that read a file, change it and write it back coordinate with ``locked`` (an advisory
``fcntl.flock`` on the hidden sidecar ``.pokrovsk.lock`` in the file's folder: another writer
waits; one lock a folder, so deleting old saves leaves no stray lock files) and
``stamp`` (the sha256 of the file's bytes when it was read): ``write_unchanged`` writes only
when the file still holds what was read, else raises ``ChangedOnDisk`` and writes nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp$")


def is_temp(path: str | Path) -> bool:
    """True for the temporary files atomic_write leaves behind when killed."""
    return bool(_TEMP.match(Path(path).name))


class ChangedOnDisk(OSError):
    """The file changed on disk since it was read; nothing was written."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        super().__init__(f"{path} changed on disk since it was read; nothing written")


def target_of(path: str | Path) -> Path:
    """The file a write to ``path`` should replace: the end of a chain of symlinks."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def stamp_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stamp(path: str | Path) -> str | None:
    """The sha256 of the file's bytes now, or None when there is no file."""
    try:
        return stamp_bytes(Path(path).read_bytes())
    except FileNotFoundError:
        return None


LOCK_NAME = ".pokrovsk.lock"            # one lock file a folder: writes to its saves take turns
_held: dict[str, list] = {}             # lock-file path -> [fd, depth]: re-entrant in one process
_held_guard = threading.Lock()


@contextlib.contextmanager
def locked(path: str | Path) -> Iterator[None]:
    """Hold the advisory write lock of ``path`` (its link target); waits for another holder.
    Re-entrant within one process."""
    target = target_of(path)
    folder = target.parent if str(target.parent) else Path(".")
    key = str(folder.resolve() / LOCK_NAME)
    with _held_guard:
        entry = _held.get(key)
        if entry is not None:
            entry[1] += 1
    if entry is None:
        fd = os.open(key, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        entry = [fd, 1]
        with _held_guard:
            _held[key] = entry
    try:
        yield
    finally:
        with _held_guard:
            entry[1] -= 1
            last = entry[1] == 0
            if last:
                del _held[key]
        if last:
            fcntl.flock(entry[0], fcntl.LOCK_UN)
            os.close(entry[0])


def write_unchanged(path: str | Path, data: bytes | str, expect: str | None) -> str:
    """Under the lock, write ``data`` to ``path`` only if the file's stamp is still
    ``expect`` (None: there must be no file); returns the new stamp. Raises ChangedOnDisk."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with locked(path):
        if stamp(target_of(path)) != expect:
            raise ChangedOnDisk(path)
        atomic_write(path, data)
    return stamp_bytes(data)


def atomic_write(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` (to the file it links to, for a symlink) atomically;
    returns the path. Raises OSError on failure (the old file, if any, is then untouched
    and no temporary file is left)."""
    given = Path(path)
    path = target_of(given)
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = path.parent if str(path.parent) else Path(".")
    tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)
    return given


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temps(folder: str | Path) -> list[Path]:
    """Delete temporary files in ``folder`` whose writing process no longer runs."""
    removed = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for p in entries:
        m = _TEMP.match(p.name)
        if not m or _alive(int(m.group("pid"))):
            continue
        with contextlib.suppress(OSError):
            p.unlink()
            removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except Exception:   # no permission to signal it, or a pid out of range: leave it
        return True
    return True
