"""Reading TOML fast: ``rtoml`` (a compiled parser, in Rust) where it is installed, else the
standard library's ``tomllib``; both give the same data for every file this program writes.

A text ``rtoml`` refuses is read again by ``tomllib``, so a broken file is described in
``tomllib``'s words (line and column) and anything ``tomllib`` reads is still read. ``rtoml``
follows TOML 1.1, a superset of TOML 1.0: it also accepts the few 1.1 forms (a trailing comma
or line break in an inline table, ``\\e`` and ``\\xHH`` escapes, times without seconds) that a
file edited by hand might hold; this program writes TOML 1.0 only (store/tomlw.py).
"""

from __future__ import annotations

import datetime as dt
import tomllib

try:                                   # an optional speed-up: 4-5x on a save (README, "Saves")
    import rtoml as _rtoml
except ImportError:                    # pragma: no cover - depends on the installation
    _rtoml = None

TOMLDecodeError = tomllib.TOMLDecodeError
FAST = _rtoml is not None


def loads(text: str) -> dict:
    """The TOML document ``text`` as a dict; raises ``TOMLDecodeError`` (and, as ``tomllib``
    does, RecursionError or ValueError for pathological numbers and nesting)."""
    if _rtoml is not None:
        try:
            data = _rtoml.loads(text)
        except Exception:              # tomllib decides, and words the error
            return tomllib.loads(text)
        return _plain_zones(data)
    return tomllib.loads(text)


def _plain_zones(o):
    """``o`` with date-times carrying ``datetime.timezone`` offsets, as ``tomllib`` gives them:
    rtoml has its own tzinfo class, which cannot be copied (copy.deepcopy) or pickled."""
    if type(o) is dict:
        for k, v in o.items():
            tv = type(v)
            if tv is dict or tv is list:
                _plain_zones(v)
            elif tv is dt.datetime and v.tzinfo is not None:
                o[k] = _zone(v)
    else:
        types = set(map(type, o))            # most lists are numbers: looked at in C
        if dict in types or list in types or dt.datetime in types:
            for i, v in enumerate(o):
                tv = type(v)
                if tv is dict or tv is list:
                    _plain_zones(v)
                elif tv is dt.datetime and v.tzinfo is not None:
                    o[i] = _zone(v)
    return o


def _zone(v: dt.datetime) -> dt.datetime:
    off = v.utcoffset()
    return v.replace(tzinfo=dt.UTC if not off else dt.timezone(off))
