"""Where the map's names go: settlement and road labels placed on cells that hide nothing.

A label is a run of characters on one line of the map. It may only cover cells that show
terrain or a road: never a unit counter, a mark (front line, contested, target, changed,
path, overlay, replay mark) or an objective / supply-source glyph, and never another label.
Each name tries its own row first (starting on its hex, then shifted left), then the rows
above and below; a name that fits nowhere is shortened deliberately ("Myrnoh.", first word
of two), and one that still does not fit is left off: the Hex panel names the settlement on
every hex of it (``settlement_of``). Pure functions, no Textual.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import lru_cache

from pokrovsk_tui.rules.params import TERRAINS
from pokrovsk_tui.rules.world import World

from .geometry import MapGeometry

LABEL = "hexmap--label"
ROAD_LABEL = "hexmap--road-label"
BUILT_UP = tuple(TERRAINS.index(t) for t in ("village", "urban", "industrial"))
AREA_RADIUS = 2     # built-up hexes this close to a settlement's hex belong to it


@dataclass(frozen=True)
class Label:
    """A placed name: its text (possibly shortened), the full name, the hex it names, and
    the first cell (x, y) in map coordinates."""

    text: str
    name: str
    cls: str
    hex: int
    x: int
    y: int

    def cells(self) -> list[tuple[int, int]]:
        return [(self.x + i, self.y) for i in range(len(self.text))]


def variants(name: str, compact: bool = False) -> list[str]:
    """The name, then deliberate shortenings, longest first: the first word of a two-word
    name, then the name cut with a full stop ("Myrnohr.", "Myrn."), never under 4 characters."""
    out = [name]
    if compact and len(name) > 9:
        out = []
    words = name.split()
    if len(words) > 1 and len(words[0]) >= 4:
        out.append(words[0])
    base = words[0] if len(words) > 1 else name
    for k in range(min(len(base) - 2, 8), 2, -1):
        out.append(base[:k] + ".")
    seen: set[str] = set()
    return [v for v in out if not (v in seen or seen.add(v))]


def label_specs(world: World) -> list[tuple[int, str, str, list[int]]]:
    """(hex named, name, class, hexes the label may sit on) in order of priority: settlements
    in the scenario's order, then the main road numbers."""
    g = world.grid
    out: list[tuple[int, str, str, list[int]]] = []
    for s in world.scenario.map.settlements:
        h = g.index(s.hex)
        out.append((h, s.name, LABEL, [h]))
    for rd in world.scenario.map.roads:
        if rd.kind == "highway" or rd.name[:1] in "TEMH" and any(c.isdigit() for c in rd.name):
            hexes = [g.index(x) for x in rd.hexes]
            n = len(hexes)
            # the third of the way along first, then outwards from it
            order = sorted(range(n), key=lambda i: abs(i - n // 3))
            out.append((hexes[n // 3], rd.name, ROAD_LABEL, [hexes[i] for i in order][:8]))
    return out


def _runs(geo: MapGeometry, h: int, length: int, rows_first: bool) -> list[tuple[int, int]]:
    """Start cells (x, y) of a run of ``length`` cells near hex ``h``: on its own row first
    (starting on the hex, then shifted left or right, nearest first), then the rows above
    and below, then two rows away."""
    row, _ = divmod(h, geo.width)
    ox, _ = geo.origin(h)
    cw, ch = geo.zoom.cw, geo.zoom.ch
    shifts = sorted(range(-length - cw + 1, 2 * cw), key=lambda d: (abs(d) if d >= 0 else abs(d) + 0.5))
    out = []
    rows = [row, row - 1, row + 1, row - 2, row + 2] if rows_first else [row]
    for r in rows:
        if not 0 <= r < geo.height:
            continue
        lo = geo.row_start(r)
        hi = lo + geo.width * cw
        for line in range(ch):
            for d in shifts:
                x = ox + d
                if lo <= x and x + length <= hi:
                    out.append((x, r * ch + line))
    return out


def place(world: World, geo: MapGeometry, blocked: frozenset[tuple[int, int]],
          apart: frozenset[tuple[int, int]] = frozenset()) -> tuple[Label, ...]:
    """Every label that fits, on cells outside ``blocked`` and ``apart`` (the cells just
    beside a counter, so a name never runs into one), apart from one another."""
    return _place(_Key(world), geo, blocked | apart)


class _Key:
    """Hashable handle on a world (by identity), for the cache."""

    __slots__ = ("world",)

    def __init__(self, world: World):
        self.world = world

    def __hash__(self) -> int:
        return id(self.world)

    def __eq__(self, other) -> bool:
        return isinstance(other, _Key) and other.world is self.world


@lru_cache(maxsize=64)
def _place(key: _Key, geo: MapGeometry, blocked: frozenset[tuple[int, int]]) -> tuple[Label, ...]:
    world = key.world
    taken: set[tuple[int, int]] = set()
    placed: list[Label] = []
    compact = geo.zoom.ch == 1
    for h, name, cls, anchors in label_specs(world):
        texts = variants(name, compact) if cls == LABEL else [name]
        done = False
        for text in texts:
            n = len(text)
            for a in anchors:
                for x, y in _runs(geo, a, n, rows_first=cls == LABEL):
                    cells = [(x + i, y) for i in range(n)]
                    if any(c in blocked or c in taken for c in cells):
                        continue
                    placed.append(Label(text, name, cls, h, x, y))
                    taken.update(cells)
                    taken.add((x - 1, y))       # a blank cell between two labels
                    taken.add((x + n, y))
                    done = True
                    break
                if done:
                    break
            if done:
                break
    return tuple(placed)


def blocked_cells(geo: MapGeometry, *, counters: set[int], marks: set[int], targets: set[int],
                  features: set[int]) -> frozenset[tuple[int, int]]:
    """The cells a label may not cover: a counter's cells (the whole hex at the compact zoom,
    its lower line at the large one), the mark slot of a marked hex, the target marker's
    cell, the feature cell of an objective or supply source."""
    cw, ch = geo.zoom.cw, geo.zoom.ch
    out: set[tuple[int, int]] = set()
    for h in counters:
        x, y = geo.origin(h)
        out.update((x + i, y + ch - 1) for i in range(cw))
    for h in marks:
        x, y = geo.origin(h)
        out.add((x + cw - 1, y))
    for h in targets:
        x, y = geo.origin(h)
        out.add((x + 1, y))
    for h in features:
        x, y = geo.origin(h)
        out.add((x, y))
    return frozenset(out)


def beside_counters(geo: MapGeometry, counters: set[int]) -> frozenset[tuple[int, int]]:
    """The cell just left and just right of each counter."""
    cw, ch = geo.zoom.cw, geo.zoom.ch
    out: set[tuple[int, int]] = set()
    for h in counters:
        x, y = geo.origin(h)
        out.add((x - 1, y + ch - 1))
        out.add((x + cw, y + ch - 1))
    return frozenset(out)


_AREAS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def settlement_of(world: World) -> dict[int, str]:
    """Hex -> the settlement it belongs to: the named hex, and the built-up hexes (village,
    urban, industrial) within AREA_RADIUS of it (the nearest settlement wins)."""
    try:
        return _AREAS[world]
    except (KeyError, TypeError):
        pass
    g = world.grid
    best: dict[int, tuple[int, str]] = {}
    for s in world.scenario.map.settlements:
        c = g.index(s.hex)
        near, dist = g.around(c, AREA_RADIUS)            # the only hexes that may belong to it
        for h, d in sorted((h, d) for h, d in zip(near[0].tolist(), dist[0].tolist(), strict=True) if h >= 0):
            if h != c and (d > AREA_RADIUS or int(world.terrain[h]) not in BUILT_UP):
                continue
            if h not in best or d < best[h][0]:
                best[h] = (d, s.name)
    out = {h: name for h, (_, name) in best.items()}
    try:
        _AREAS[world] = out
    except TypeError:
        pass
    return out
