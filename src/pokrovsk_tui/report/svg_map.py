"""The map as an SVG figure for the report: control by colour (the report's side colours),
settlements named, objectives outlined, units as the app's letters (Ukrainian upper case,
Russian lower case; ``ROLE_LETTER`` is the app's, checked by a test), and the hexes of a key
moment ringed. ``side`` draws what one side knew: its own units and the enemy units it had
detected that day (``rules.view``), never an undetected one."""

from __future__ import annotations

import math

import numpy as np

from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.world import ROLES

from .svg import SIDE_COLOURS, _e

ROLE_LETTER = {"infantry": "I", "assault": "A", "drone": "D", "ugv": "U", "ew": "E", "artillery": "G", "hq": "H"}
FILL = {0: "#cfe0f5", 1: "#f5d0cc", 2: "#dedede"}
R = 7.0                     # hex radius in pixels


def _centre(col: int, row: int) -> tuple[float, float]:
    w = math.sqrt(3) * R
    return w * (col + 0.5 * (row & 1)) + w / 2 + 2, 1.5 * R * row + R + 2


def _hexagon(x: float, y: float) -> str:
    pts = []
    for k in range(6):
        a = math.radians(60 * k - 30)
        pts.append(f"{x + R * math.cos(a):.1f},{y + R * math.sin(a):.1f}")
    return " ".join(pts)


def units_shown(world, state, side: int | None) -> list[tuple[int, int, str]]:
    """(hex, side, letter) of the units drawn: all for the truth; for a side, its own and the
    enemy units it detected in ``state``."""
    roles = world.u_role
    out = []
    if side is None:
        for u in np.flatnonzero(state.on_map):
            s = int(world.u_side[u])
            out.append((int(state.hex[u]), s, _letter(ROLES[roles[u]], s)))
        return out
    v = view(world, state, side)
    for u in np.flatnonzero(v.own):
        out.append((int(v.hex[u]), side, _letter(ROLES[roles[u]], side)))
    idx = world.unit_index
    for c in v.contacts:
        if c.current:
            u = idx[c.unit]
            out.append((int(c.hex), 1 - side, _letter(ROLES[roles[u]], 1 - side)))
    return out


def _letter(role: str, side: int) -> str:
    letter = ROLE_LETTER.get(role, "?")
    return letter if side == 0 else letter.lower()


def map_svg(world, state, title: str, ring: list[str] | None = None, side: int | None = None,
            key: str = "map") -> str:
    """One map: control after ``state``, units as ``side`` knew them, ``ring`` hexes ringed;
    ``key`` makes its ids unique in a page of several maps."""
    g = world.grid
    width = math.sqrt(3) * R * (g.width + 0.5) + 4
    height = 1.5 * R * (g.height - 1) + 2 * R + 4 + 16
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 -16 {width:.0f} {height:.0f}" role="img" aria-label="{_e(title)}">',
           f'<text x="2" y="-4" font-size="11" font-weight="bold">{_e(title)}</text>']
    hid = f"hx-{key}"                          # one hexagon, placed many times: a small file
    out.append(f'<defs><polygon id="{hid}" points="{_hexagon(0, 0)}"/></defs>')

    def place(hexes, attrs: str) -> str:
        return f"<g {attrs}>" + "".join(
            '<use href="#{}" x="{:.1f}" y="{:.1f}"/>'.format(hid, *_centre(int(g.col[h]), int(g.row[h])))
            for h in hexes) + "</g>"

    control = np.asarray(state.control)
    for c in (0, 1, 2):
        out.append(place([h for h in np.flatnonzero(control == c) if world.passable[h]],
                         f'fill="{FILL[c]}" stroke="#ffffff" stroke-width="0.5"'))
    out.append(place(np.flatnonzero(~world.passable), 'fill="#9cc3d5"'))
    obj = sorted({h for hs in world.objective_hexes for h in hs.tolist()})
    out.append(place(obj, 'fill="none" stroke="#d9a520" stroke-width="1.2"'))
    colour = (SIDE_COLOURS["ua"], SIDE_COLOURS["ru"])
    seen: set[int] = set()
    for h, s, letter in units_shown(world, state, side):
        if h < 0 or h in seen:
            continue
        seen.add(h)
        x, y = _centre(int(g.col[h]), int(g.row[h]))
        out.append(f'<text x="{x:.1f}" y="{y + 3:.1f}" font-size="8" text-anchor="middle" font-family="monospace" '
                   f'fill="{colour[s]}" font-weight="bold">{letter}</text>')
    for h, name in world.hex_names.items():
        x, y = _centre(int(g.col[h]), int(g.row[h]))
        out.append(f'<text x="{x:.1f}" y="{y - 5:.1f}" font-size="7" text-anchor="middle" fill="#222" '
                   f'stroke="#fff" stroke-width="2" paint-order="stroke">{_e(name)}</text>')
    for hid in ring or []:
        try:
            h = g.index(hid)
        except (ValueError, KeyError):
            continue
        x, y = _centre(int(g.col[h]), int(g.row[h]))
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{R * 1.6:.1f}" fill="none" stroke="#111" '
                   f'stroke-width="1.6"/>')
    out.append("</svg>")
    return "".join(out)
