"""Helpers shared by the commands: load or write a file, or say why not."""

from __future__ import annotations

import sys
from pathlib import Path


def _load_or_say(path):
    """The save, or None after printing its problems (``file: place: what``) on stderr."""
    from pokrovsk_tui.store.saves import SaveError, load_save

    try:
        return load_save(path)
    except SaveError as e:
        print(e, file=sys.stderr)
        return None


def _save_or_say(save, target) -> bool:
    """Write a save atomically, or say why not (``file: (file): cannot write: ...``)."""
    from pokrovsk_tui.store.atomic import ChangedOnDisk
    from pokrovsk_tui.store.saves import write_save

    try:
        write_save(save, target)
    except ChangedOnDisk:
        print(f"{target}: (file): changed on disk since it was read; nothing written", file=sys.stderr)
        return False
    except OSError as e:
        print(f"{target}: (file): cannot write: {e.strerror or e}", file=sys.stderr)
        return False
    return True


def _write_or_say(target: str, text: str) -> bool:
    from pokrovsk_tui.store.atomic import atomic_write, remove_stale_temps

    if target == "-":
        sys.stdout.write(text)
        return True
    try:
        atomic_write(target, text)
        remove_stale_temps(Path(target).parent)
    except OSError as e:
        print(f"{target}: (file): cannot write: {e.strerror or e}", file=sys.stderr)
        return False
    print(f"wrote {target}", file=sys.stderr)
    return True
