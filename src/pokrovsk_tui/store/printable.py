"""Text read from files made safe to print: light enough for every command's output stream."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """``text`` with control characters (terminal escape sequences, bidi overrides, line
    breaks) shown as ``\\xNN`` / ``\\uNNNN``: what a file holds never drives the terminal."""
    s = str(text)

    def esc(m: re.Match) -> str:
        c = ord(m.group())
        return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    return _CONTROL.sub(esc, s)
