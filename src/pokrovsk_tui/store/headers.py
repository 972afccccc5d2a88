"""Scenario headers: where the bundled scenarios are, and what `pokrovsk scenarios` lists (id,
title, turns, map size) read from the top of each file without building or validating the
scenario. Light enough for start-up: no pydantic, no numpy, no engine.

A header that cannot be read this way (an unusual layout, a missing field) gives ``None``: the
caller then loads the whole scenario, whose checks say what is wrong.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

_TABLE = re.compile(r"^\s*\[")                        # a [table] or [[array]] header line
_MAP_SIZE = re.compile(r"^\s*(width|height)\s*=\s*\d+\s*(#.*)?$")


def bundled_dir() -> Path:
    """The folder of bundled scenarios: inside an installed wheel, else the checkout's."""
    try:
        packaged = resources.files("pokrovsk_tui") / "scenarios"
        if packaged.is_dir():
            return Path(str(packaged))
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[3] / "scenarios"


def bundled_ids() -> list[str]:
    d = bundled_dir()
    return sorted(p.stem for p in d.glob("*.toml")) if d.is_dir() else []


def read_header(path: Path) -> dict | None:
    """{id, title, width, height, turns} from a scenario file's top-level keys and its [map]
    table's width and height, or None when they cannot be read that way."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    top: list[str] = []
    size: list[str] = []
    section = None                     # None: the top level; else the current table's header
    for line in text.splitlines():
        if _TABLE.match(line):
            section = line.split("#", 1)[0].strip()
            continue
        if section is None:
            top.append(line)
        elif section == "[map]" and _MAP_SIZE.match(line):
            size.append(line)
    try:
        data = tomllib.loads("\n".join(top) + "\n[map]\n" + "\n".join(size) + "\n")
    except tomllib.TOMLDecodeError:    # e.g. a multi-line string with a line that looks like a table
        return None
    row = {"id": data.get("id"), "title": data.get("title"), "width": data["map"].get("width"),
           "height": data["map"].get("height"), "turns": data.get("turns")}
    if not (isinstance(row["id"], str) and isinstance(row["title"], str)
            and all(type(row[k]) is int for k in ("width", "height", "turns"))):
        return None
    return row
