"""Hexes named as a class reads a map: by the settlement they are in or near, grouped
("3 hexes near Rodynske, Svitle and 3213 (open ground)"), not as lists of hex ids."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

NEAR = 3            # hexes: within this distance of a settlement a hex is "near" it


@lru_cache(maxsize=8)
def _nearest(world) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """For every hex: the index of its nearest settlement (into the names) and the distance."""
    names = world.hex_names
    if not names:
        n = world.grid.n
        return np.full(n, -1), np.full(n, 10**6), []
    hexes = np.array(list(names))
    d = world.grid.dist_from(hexes).astype(int)            # (settlements, n)
    which = np.argmin(d, axis=0)
    return which, d[which, np.arange(d.shape[1])], [names[int(h)] for h in hexes]


def where(world, hex_id: str | None) -> str:
    """"Svitle", "near Svitle" or "3213 (open ground)" for one hex."""
    if hex_id is None:
        return "-"
    try:
        h = world.grid.index(hex_id)
    except (ValueError, KeyError):
        return str(hex_id)
    which, dist, names = _nearest(world)
    if which[h] < 0 or dist[h] > NEAR:
        return f"{hex_id} (open ground)"
    return names[which[h]] if dist[h] == 0 else f"near {names[which[h]]}"


def group(world, hex_ids: list[str], limit: int = 5) -> str:
    """Hexes grouped by place, the most first: "3 hexes near Rodynske, Svitle and 2 hexes of open ground"."""
    counts: dict[str, list[str]] = {}
    for h in dict.fromkeys(hex_ids):
        counts.setdefault(where(world, h), []).append(h)
    open_ground = [h for k, v in counts.items() if k.endswith("(open ground)") for h in v]
    named = sorted(((k, v) for k, v in counts.items() if not k.endswith("(open ground)")),
                   key=lambda kv: (-len(kv[1]), kv[0]))
    parts = []
    for label, hs in named:
        near = label.startswith("near ")
        if len(hs) == 1:
            parts.append(f"a hex {label}" if near else label)
        else:
            parts.append(f"{len(hs)} hexes {label}" if near else f"{label} ({len(hs)} hexes)")
    if open_ground:
        parts.append(where(world, open_ground[0]) if len(open_ground) == 1
                     else f"{len(open_ground)} hexes of open ground")
    if len(parts) > limit:
        rest = len(parts) - limit
        parts = parts[:limit] + [f"{rest} other place{'s' if rest > 1 else ''}"]
    return and_list(parts)


def and_list(parts: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
