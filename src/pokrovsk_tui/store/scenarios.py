"""Scenario files on disk: finding the bundled ones, reading and validating any of them.

Every defect becomes a ``Problem`` naming the file, the place in it and what is wrong; nothing
here lets an exception through to the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from pokrovsk_tui.rules.scenario import Scenario, problems

from . import tomlr
from .headers import bundled_dir, bundled_ids  # noqa: F401  (re-exported: the public face)
from .printable import printable  # noqa: F401  (re-exported: the public face)

MAX_FILE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    file: str
    place: str
    message: str

    def __str__(self) -> str:
        return f"{printable(self.file)}: {printable(self.place)}: {printable(self.message)}"


class ScenarioError(Exception):
    """A scenario that cannot be used; ``problems`` says every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def loc_to_place(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def read_toml(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[dict | None, list[Problem]]:
    """Read a TOML file (at most ``limit`` bytes) into a dict, or say why not."""
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None, [Problem(name, "(file)", "no such file")]
    except OSError as e:
        return None, [Problem(name, "(file)", f"cannot read: {e.strerror or e}")]
    if path.is_dir():
        return None, [Problem(name, "(file)", "is a folder, not a file")]
    if size > limit:
        return None, [Problem(name, "(file)", too_big(size, limit))]
    if size == 0:
        return None, [Problem(name, "(file)", "is empty")]
    try:
        raw = path.read_bytes()
    except OSError as e:
        return None, [Problem(name, "(file)", f"cannot read: {e.strerror or e}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [Problem(name, f"line {line}", "is not UTF-8 text (is this a TOML file?)")]
    return parse_toml_text(text, name)


def too_big(size: int, limit: int) -> str:
    return f"is {size / 1e6:.1f} MB; the limit is {limit // 2**20} MiB"


def parse_toml_text(text: str, name: str) -> tuple[dict | None, list[Problem]]:
    try:
        return tomlr.loads(text), []
    except tomlr.TOMLDecodeError as e:
        msg = str(e)
        place = "(syntax)"
        if "(at line" in msg:
            msg, _, where = msg.partition(" (at ")
            place = where.rstrip(")")
        return None, [Problem(name, place, f"not valid TOML: {msg}")]
    except RecursionError:
        return None, [Problem(name, "(syntax)", "nested too deeply")]
    except ValueError as e:     # an integer of more digits than Python converts (4,300)
        return None, [Problem(name, "(syntax)", f"a number is too long to read: {str(e).split(';')[0]}")]
    except MemoryError:
        return None, [Problem(name, "(syntax)", "too large to read")]


def validate_data(data: dict, name: str) -> tuple[Scenario | None, list[Problem]]:
    try:
        scn = Scenario.model_validate(data)
    except ValidationError as e:
        out = []
        for err in e.errors(include_url=False):
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown field (misspelt?)"
            out.append(Problem(name, loc_to_place(err["loc"]), msg))
        return None, out
    found = [Problem(name, place, msg) for place, msg in problems(scn)]
    return (None if found else scn), found


def load_scenario(ref: str | Path) -> Scenario:
    """A bundled id or a path → a validated Scenario; raises ScenarioError."""
    path = resolve_ref(ref)
    data, found = read_toml(path)
    if data is None:
        raise ScenarioError(found)
    scn, found = validate_data(data, str(path))
    if scn is None:
        raise ScenarioError(found)
    return scn


def resolve_ref(ref: str | Path) -> Path:
    p = Path(ref)
    if p.suffix == ".toml" or p.exists() or "/" in str(ref):
        return p
    cand = bundled_dir() / f"{ref}.toml"
    if cand.exists():
        return cand
    known = ", ".join(bundled_ids()) or "none"
    raise ScenarioError([Problem(str(ref), "(scenario)", f"no bundled scenario of that id (bundled: {known})")])
