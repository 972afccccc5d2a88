"""The main scenario tiled kx x ky times: a bigger map with the same terrain, roads, towns,
units and objectives in every tile (hex ids moved, unit, settlement and objective names made
unique), for measuring how costs grow with the map (bench_scale.py) and for the test that a
map past 99 columns and rows validates (tests/test_hexids.py)."""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

from pokrovsk_tui.rules.hexgrid import id_digits

MAIN = Path(__file__).resolve().parents[1] / "scenarios" / "pokrovsk-winter-2026.toml"
_ID = re.compile(r"\d{4}")


def tiled(kx: int, ky: int, source: Path = MAIN) -> dict:
    """The scenario data (as parsed TOML) of ``source`` tiled ``kx`` across and ``ky`` down."""
    base = tomllib.loads(source.read_text(encoding="utf-8"))
    w, h = base["map"]["width"], base["map"]["height"]
    W, H = w * kx, h * ky
    d = id_digits(W, H)
    out = copy.deepcopy(base)
    out["id"] = f"{base['id']}-x{kx}x{ky}"
    out["title"] = f"{base['title']} ({kx} x {ky} tiles)"
    m = out["map"]
    m["width"], m["height"] = W, H
    for k in ("terrain", "control"):
        m[k] = [row * kx for _ in range(ky) for row in base["map"][k]]

    def move(obj, i, j):
        """A copy of ``obj`` with every CCRR id moved to tile (i, j)."""
        if isinstance(obj, dict):
            return {k: move(v, i, j) for k, v in obj.items()}
        if isinstance(obj, list):
            return [move(v, i, j) for v in obj]
        if isinstance(obj, str) and _ID.fullmatch(obj):
            c, r = int(obj[:2]) + i * w, int(obj[2:]) + j * h
            return f"{c:0{d}d}{r:0{d}d}"
        return obj

    tiles = [(i, j) for j in range(ky) for i in range(kx)]

    def each(items, rename=()):
        res = []
        for i, j in tiles:
            for it in items:
                it = move(it, i, j)
                if (i, j) != (0, 0):
                    for key in rename:
                        if key in it:
                            it[key] = f"{it[key]}-t{i}{j}"
                    if "unit" in it and isinstance(it["unit"], dict):
                        it["unit"]["id"] = f"{it['unit']['id']}-t{i}{j}"
                res.append(it)
        return res

    for k in ("roads", "rail", "settlements"):
        m[k] = each(base["map"].get(k, []), rename=("name",))
    out["supply_sources"] = each(base.get("supply_sources", []))
    out["units"] = each(base["units"], rename=("id",))
    out["reinforcements"] = each(base.get("reinforcements", []))
    out["objectives"] = each(base.get("objectives", []), rename=("name", "id"))
    if "sudden_death" in out.get("victory", {}):
        out["victory"]["sudden_death"] = each(base["victory"]["sudden_death"], rename=("name", "id"))
    return out
