"""Atomic file writes: a process killed at any moment leaves either the old file or the new
one, whole.

The data goes to a temporary file in the target's folder (same file system, so the rename
is atomic), is flushed and fsync'ed, then ``os.replace`` puts it in place and the folder is
fsync'ed so the rename itself survives a power cut. Temporary files are named
``.NAME.PID.RANDOM.tmp``: hidden, ending in ``.tmp``, so nothing that lists saves picks them
up; ``is_temp`` says so and ``remove_stale_temps`` clears those of processes that died.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp$")


def is_temp(path: str | Path) -> bool:
    """True for the temporary files atomic_write leaves behind when killed."""
    return bool(_TEMP.match(Path(path).name))


def atomic_write(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path. Raises OSError on failure
    (the old file, if any, is then untouched and no temporary file is left)."""
    path = Path(path)
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
    return path


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
