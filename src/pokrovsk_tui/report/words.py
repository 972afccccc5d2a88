"""Small pieces of English the reports and dialogs share."""

from __future__ import annotations


def ordinal(n: float) -> str:
    """73 -> "73rd", 1 -> "1st", 11 -> "11th", 22 -> "22nd" (rounded to a whole number)."""
    k = int(round(n))
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"
