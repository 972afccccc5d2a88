"""The project's one TOML writer (saves, journals, scenarios built in memory, the tests' files):
one record a line, so a save reads and diffs well.

tomli-w turns any inline table longer than 100 characters into a ``[[table]]`` block of one
key a line, which would make a save's unit rows and events ten times as tall. This writer
keeps the layout a save needs and nothing more:

- a table's plain keys first, then its sub-tables and arrays of tables in their given order;
- a dict becomes an inline table when it holds only scalars (or short lists of them) and
  fits on a line, else a ``[table]``; a list of dicts becomes ``[[name]]`` blocks only for the keys
  named in ``aot`` and otherwise a multi-line array of inline tables, one per line;
- strings with line breaks become multi-line basic strings (a scenario's text stays
  readable); ``None`` values in tables are left out (TOML has no null).

Floats are written with ``repr``, which ``tomllib`` reads back to the identical float.
Everything written here is read back by ``tomllib`` (the tests round-trip it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

_BARE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
_ESC = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_NEEDS_ESC = re.compile(r'[\x00-\x1f"\\\x7f]')
_ML_ESC = re.compile(r'[\x00-\x08\x0b-\x1f\\\x7f]|"(?="")|"\Z')
LINE = 100


def _esc(m: re.Match) -> str:
    ch = m.group(0)
    return _ESC.get(ch) or f"\\u{ord(ch):04x}"


_KEYS: dict[str, str] = {}


def key(k: str) -> str:
    got = _KEYS.get(k)
    if got is not None:
        return got
    if not isinstance(k, str):
        raise TypeError(f"TOML keys are strings, not {type(k).__name__}")
    got = k if k and _BARE.issuperset(k) else _basic(k)
    if len(_KEYS) < 10_000:
        _KEYS[k] = got
    return got


def _basic(s: str) -> str:
    if _NEEDS_ESC.search(s) is None:
        return f'"{s}"'
    return '"' + _NEEDS_ESC.sub(_esc, s) + '"'


def _multiline(s: str) -> str:
    """A multi-line basic string: newlines and tabs stay literal; a quote is escaped only
    where it would start a run of three (or end the text)."""
    return '"""\n' + _ML_ESC.sub(_esc, s) + '"""'


def _float(v: float) -> str:
    if v != v:
        return "nan"
    return repr(v)    # 'inf', '-inf', '1e+16', '0.1': all TOML floats; tomllib reads them back exactly


def literal(v) -> str:
    """A value on one line (inline tables and arrays included), dense: ``{a=1, b=[2, 3]}``."""
    t = type(v)
    if t is str:
        return _basic(v)
    if t is float:
        return _float(v)
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is dict:
        return _dict(v)
    if t is list or t is tuple:
        return _list(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, float):
        return _float(float(v))
    if isinstance(v, str):
        return _basic(str(v))
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, Mapping):
        return literal(dict(v))
    if isinstance(v, list | tuple):
        return literal(list(v))
    if v is None:
        raise TypeError("TOML has no null: None inside an array cannot be written")
    raise TypeError(f"cannot write a {type(v).__name__} as TOML")


def _dict(v: dict) -> str:
    parts = []
    search = _NEEDS_ESC.search
    for k, x in v.items():
        t = type(x)
        if t is str:
            x = f'"{x}"' if search(x) is None else _basic(x)
        elif t is float:
            x = repr(x) if x == x else "nan"
        elif t is int:
            x = str(x)
        elif t is list:
            x = _list(x)
        elif x is None:
            continue
        else:
            x = literal(x)
        parts.append(f"{_KEYS.get(k) or key(k)}={x}")
    return "{" + ", ".join(parts) + "}"


def _list(v) -> str:
    parts = []
    search = _NEEDS_ESC.search
    for x in v:
        t = type(x)
        if t is str:
            parts.append(f'"{x}"' if search(x) is None else _basic(x))
        elif t is float:
            parts.append(repr(x) if x == x else "nan")
        elif t is int:
            parts.append(str(x))
        elif t is dict:
            parts.append(_dict(x))
        else:
            parts.append(literal(x))
    return "[" + ", ".join(parts) + "]"


def _is_inline_dict(v: Mapping) -> bool:
    for x in v.values():
        if isinstance(x, Mapping) and x:
            return False
        if isinstance(x, list | tuple) and any(isinstance(y, Mapping | list | tuple) for y in x):
            return False
        if isinstance(x, str) and "\n" in x:
            return False
    return len(literal(v)) <= 2 * LINE


def _value(v, indent: str = "  ", wide: bool = False) -> str:
    """The text after ``key = `` for a plain value (may span lines)."""
    if isinstance(v, str) and "\n" in v:
        return _multiline(v)
    if isinstance(v, list | tuple):
        items = [_dict(x) if type(x) is dict else literal(x) for x in v]
        if wide or sum(map(len, items)) + 2 * len(items) <= LINE:
            return "[" + ", ".join(items) + "]"
        return "[\n" + "".join([f"{indent}{x},\n" for x in items]) + "]"
    return literal(v)


def dumps(doc: Mapping, aot: Iterable[str] = (), wide: Iterable[str] = ()) -> str:
    """The TOML text of ``doc``; keys in ``aot`` holding lists of dicts become ``[[...]]``;
    under the top-level tables named in ``wide`` every value stays on one line."""
    out: list[str] = []
    _table(doc, "", frozenset(aot), out, header=None, wide=frozenset(wide))
    return "".join(out)


def _table(d: Mapping, path: str, aot: frozenset[str], out: list[str], header: str | None,
           wide: frozenset[str] = frozenset()) -> None:
    plain, later = [], []
    is_wide = path.split(".", 1)[0] in wide
    for k, v in d.items():
        if v is None:
            continue
        if isinstance(v, Mapping) and not _is_inline_dict(v):
            later.append((k, v, False))
        elif k in aot and isinstance(v, list | tuple) and v and all(isinstance(x, Mapping) for x in v):
            later.append((k, v, True))
        else:
            plain.append((k, v))
    if header is not None:
        if out:
            out.append("\n")
        out.append(header + "\n")
    for k, v in plain:
        out.append(f"{key(k)} = {_value(v, wide=is_wide)}\n")
    for k, v, is_aot in later:
        name = f"{path}.{key(k)}" if path else key(k)
        if is_aot:
            for item in v:
                _table(item, name, aot, out, header=f"[[{name}]]", wide=wide)
        else:
            _table(v, name, aot, out, header=f"[{name}]", wide=wide)
