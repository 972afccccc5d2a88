"""Hex geometry on a pointy-top, odd-r offset grid, as numpy arrays over the whole map.

Hex number ``i = row * width + col`` (0-based). Hex id ``CCRR`` is 1-based column then row,
as printed on paper wargame maps; on a map with more than 99 columns or rows every id of the
map has three digits of each, ``CCCRRR`` (maps up to 99 x 99 keep ``CCRR``). Axial coordinates: ``q = col - (row - (row & 1)) // 2``,
``r = row``; cube ``(x, y, z) = (q, -q - r, r)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import SupportsIndex

import numpy as np

# Neighbour offsets (dcol, drow) in direction order E, NE, NW, W, SW, SE.
_EVEN_ROW = ((1, 0), (0, -1), (-1, -1), (-1, 0), (-1, 1), (0, 1))
_ODD_ROW = ((1, 0), (1, -1), (0, -1), (-1, 0), (0, 1), (1, 1))


class HexIdError(ValueError):
    """A hex id that is malformed or off the map."""


def offset_to_axial(col, row):
    col = np.asarray(col)
    row = np.asarray(row)
    q = col - (row - (row & 1)) // 2
    return q, row


def axial_to_offset(q, r):
    q = np.asarray(q)
    r = np.asarray(r)
    col = q + (r - (r & 1)) // 2
    return col, r


def cube_distance(q1, r1, q2, r2):
    dq = q1 - q2
    dr = r1 - r2
    return (np.abs(dq) + np.abs(dr) + np.abs(dq + dr)) // 2


def cube_round(qf, rf):
    """Round fractional axial coordinates to the nearest hex (vectorised)."""
    xf = np.asarray(qf, dtype=float)
    zf = np.asarray(rf, dtype=float)
    yf = -xf - zf
    x, y, z = np.rint(xf), np.rint(yf), np.rint(zf)
    dx, dy, dz = np.abs(x - xf), np.abs(y - yf), np.abs(z - zf)
    fix_x = (dx > dy) & (dx > dz)
    fix_y = ~fix_x & (dy > dz)
    fix_z = ~fix_x & ~fix_y
    x = np.where(fix_x, -y - z, x)
    y = np.where(fix_y, -x - z, y)
    z = np.where(fix_z, -x - y, z)
    return x.astype(np.int64), z.astype(np.int64)


def id_digits(width: int, height: int) -> int:
    """Digits of a column and of a row in the hex ids of a width x height map."""
    return 2 if max(width, height) <= 99 else 3


@dataclass(frozen=True, eq=False)
class HexGrid:
    """All the geometry of one map, precomputed once."""

    width: int
    height: int
    col: np.ndarray = field(init=False, repr=False)
    row: np.ndarray = field(init=False, repr=False)
    q: np.ndarray = field(init=False, repr=False)
    r: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = self.width * self.height
        idx = np.arange(n)
        col = idx % self.width
        row = idx // self.width
        q, r = offset_to_axial(col, row)
        object.__setattr__(self, "col", col)
        object.__setattr__(self, "row", row)
        object.__setattr__(self, "q", q)
        object.__setattr__(self, "r", r)

    @property
    def n(self) -> int:
        return self.width * self.height

    # ----- ids -------------------------------------------------------------------------
    @property
    def id_digits(self) -> int:
        """Digits of the column (and of the row) in this map's hex ids: 2, or 3 past 99."""
        return id_digits(self.width, self.height)

    @cached_property
    def _id_list(self) -> list[str]:
        d = self.id_digits
        return [f"{i % self.width + 1:0{d}d}{i // self.width + 1:0{d}d}" for i in range(self.n)]

    @cached_property
    def _id_index(self) -> dict[str, int]:
        return {h: i for i, h in enumerate(self._id_list)}

    @property
    def id_index(self) -> dict[str, int]:
        """Hex number of each hex id as the map writes it (a lookup without ``index``'s
        checks; do not change it)."""
        return self._id_index

    def hex_id(self, i: SupportsIndex) -> str:
        return self._id_list[int(i)]

    def disk(self, radius: int) -> np.ndarray:
        """(n, m) hexes within radius of each hex, in ascending order, padded with -1 (once per
        map and radius; from axial offsets, without an (n, n) table)."""
        out = self._disks.get(radius)
        if out is None:
            dq, dr = np.meshgrid(np.arange(-radius, radius + 1), np.arange(-radius, radius + 1), indexing="ij")
            keep = (np.abs(dq) + np.abs(dr) + np.abs(dq + dr)) // 2 <= radius
            dq, dr = dq[keep], dr[keep]                                       # the hexagon's offsets
            q = self.q[:, None] + dq[None, :]
            r = self.r[:, None] + dr[None, :]
            col = q + (r - (r & 1)) // 2
            on = (r >= 0) & (r < self.height) & (col >= 0) & (col < self.width)
            idx = np.sort(np.where(on, r * self.width + col, self.n), axis=1)  # off the map sorts last
            m = int(on.sum(axis=1).max())
            out = np.where(idx[:, :m] == self.n, -1, idx[:, :m]).astype(np.int64)
            self._disks[radius] = out
        return out

    @cached_property
    def _disks(self) -> dict[int, np.ndarray]:
        return {}

    def around(self, hexes, radius: int) -> tuple[np.ndarray, np.ndarray]:
        """The hexes within ``radius`` of each of ``hexes`` ((k,) -> (k, m), -1 off the map)
        and their distances from it ((k, m) int16), from axial offsets: ``disk`` for a few
        hexes, without a table over the whole map."""
        dq, dr, dd = self._offsets(int(radius))
        h = np.asarray(hexes, np.int64).reshape(-1)
        q = self.q[h][:, None] + dq[None, :]
        r = self.r[h][:, None] + dr[None, :]
        col = q + (r - (r & 1)) // 2
        on = (r >= 0) & (r < self.height) & (col >= 0) & (col < self.width)
        return np.where(on, r * self.width + col, -1), np.broadcast_to(dd, on.shape)

    def _offsets(self, radius: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Axial offsets (dq, dr) of the hexagon of ``radius`` and their distances (cached)."""
        out = self._hexagons.get(radius)
        if out is None:
            dq, dr = np.meshgrid(np.arange(-radius, radius + 1), np.arange(-radius, radius + 1), indexing="ij")
            dd = (np.abs(dq) + np.abs(dr) + np.abs(dq + dr)) // 2
            keep = dd <= radius
            out = self._hexagons[radius] = (dq[keep], dr[keep], dd[keep].astype(np.int16))
        return out

    @cached_property
    def _hexagons(self) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        return {}

    def index(self, hex_id: str) -> int:
        """Hex number of a ``CCRR`` id (``CCCRRR`` on a map past 99 columns or rows, where the
        short form is read too for the first 99 columns and rows); raises HexIdError with a
        readable reason."""
        found = self._id_index.get(hex_id) if isinstance(hex_id, str) else None
        if found is not None:
            return found
        s = str(hex_id).strip()
        d = self.id_digits
        if d == 3 and len(s) == 4:       # a map grown past 99 still reads its CCRR ids
            d = 2
        if len(s) != 2 * d or not (s.isdigit() and s.isascii()):
            form = "four digits CCRR" if d == 2 else "CCCRRR, six digits (or CCRR, four), as this map has more than 99 columns or rows"
            raise HexIdError(f"hex id {hex_id!r} is not {form}")
        c, r = int(s[:d]) - 1, int(s[d:]) - 1
        if not (0 <= c < self.width and 0 <= r < self.height):
            raise HexIdError(
                f"hex {s} is off the map (columns {1:0{d}d}-{self.width:0{d}d}, rows {1:0{d}d}-{self.height:0{d}d})"
            )
        return r * self.width + c

    def ids(self, indices) -> list[str]:
        ids = self._id_list
        return [ids[i] for i in np.asarray(indices).ravel().tolist()]

    # ----- neighbours and distance -----------------------------------------------------
    @cached_property
    def neighbours(self) -> np.ndarray:
        """(n, 6) neighbour hex numbers, -1 where off the map."""
        out = np.full((self.n, 6), -1, dtype=np.int64)
        odd = (self.row & 1).astype(bool)
        for d in range(6):
            dc = np.where(odd, _ODD_ROW[d][0], _EVEN_ROW[d][0])
            dr = np.where(odd, _ODD_ROW[d][1], _EVEN_ROW[d][1])
            c = self.col + dc
            r = self.row + dr
            ok = (c >= 0) & (c < self.width) & (r >= 0) & (r < self.height)
            out[:, d] = np.where(ok, r * self.width + c, -1)
        return out

    @cached_property
    def _q16(self) -> np.ndarray:
        return self.q.astype(np.int16)   # int16, as the distances: a side is at most 200 hexes

    @cached_property
    def _r16(self) -> np.ndarray:
        return self.r.astype(np.int16)

    def dist_from(self, hexes) -> np.ndarray:
        """Distances from ``hexes`` to every hex, int16, computed from axial coordinates:
        (n,) for one hex, (*shape, n) for an array of them. The grid keeps no (n, n) table:
        ask for the rows you need."""
        h = np.asarray(hexes)
        q, r = self._q16, self._r16
        return cube_distance(q[h][..., None], r[h][..., None], q, r)

    def dist_pairs(self, a, b) -> np.ndarray:
        """Distances between hexes ``a`` and ``b`` (arrays broadcast together), int16."""
        q, r = self._q16, self._r16
        a, b = np.asarray(a), np.asarray(b)
        return cube_distance(q[a], r[a], q[b], r[b])

    def by_distance(self, table: np.ndarray):
        """A function of ``hexes`` giving ``table[dist_from(hexes)]`` ((k, n) for k hexes, (n,)
        for one) for a table of values by distance (at least width + height + 1 of them): the
        values laid out once by axial offset, so a row is one subtraction and one lookup a hex."""
        table = np.asarray(table)
        span = int(self.q.max() - self.q.min())
        stride = 2 * span + 1
        dq, dr = np.meshgrid(np.arange(-span, span + 1), np.arange(-(self.height - 1), self.height), indexing="xy")
        d = (np.abs(dq) + np.abs(dr) + np.abs(dq + dr)) // 2
        flat = table[np.minimum(d, table.size - 1)].ravel()      # offsets no two hexes of the map have: unused
        pos = (self.r * stride + self.q).astype(np.int32)   # int32: half the memory traffic of int64
        base = np.int32((self.height - 1) * stride + span)

        def rows(hexes) -> np.ndarray:
            h = np.asarray(hexes)
            return flat[pos - pos[h][..., None] + base]
        return rows

    def nearest_distance(self, hexes) -> np.ndarray:
        """(n,) int64 distance from each hex to the nearest of ``hexes`` (``dist_from(hexes)
        .min(axis=0)`` without the (len(hexes), n) table), -1 everywhere if there are none.
        One compiled breadth-first search over the neighbour graph from all of them at once:
        on a whole rectangle of hexes the steps of a shortest walk are the hex distance
        (tests/test_hexgrid.py checks it)."""
        front = np.unique(np.asarray(hexes, np.int64).ravel())
        if not front.size:
            return np.full(self.n, -1, np.int64)
        from scipy.sparse.csgraph import dijkstra  # not at import: the title screen needs no scipy
        d = dijkstra(self._hop_graph, directed=True, indices=front, min_only=True, unweighted=True)
        return np.where(np.isfinite(d), d, -1).astype(np.int64)

    @cached_property
    def _hop_graph(self):
        from scipy.sparse import csr_matrix
        src, dst = self.edges
        return csr_matrix((np.ones(src.size), (src, dst)), shape=(self.n, self.n))

    def hex_distance(self, a: int, b: int) -> int:
        """Distance between two hexes (Python ints: no numpy call for one pair)."""
        q, r = self._qr
        dq = q[a] - q[b]
        dr = r[a] - r[b]
        return (abs(dq) + abs(dr) + abs(dq + dr)) // 2

    @cached_property
    def _qr(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Axial coordinates as Python ints, for distances of one pair."""
        return tuple(self.q.tolist()), tuple(self.r.tolist())

    @cached_property
    def edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Directed edge list (src, dst) of all neighbour pairs."""
        nb = self.neighbours
        src = np.repeat(np.arange(self.n), 6)
        dst = nb.ravel()
        ok = dst >= 0
        return src[ok], dst[ok]

    def within(self, centre: int, radius: int) -> np.ndarray:
        """Hex numbers within ``radius`` of ``centre`` (inclusive)."""
        return np.flatnonzero(self.dist_from(int(centre)) <= radius)

    def line(self, a: int, b: int) -> np.ndarray:
        """Hexes on the straight line from a to b (both included), by cube lerp (cached)."""
        key = (int(a), int(b))
        hit = self._lines.get(key)
        if hit is None:
            hit = self._lines[key] = self._line(*key)
            hit.flags.writeable = False
        return hit

    @cached_property
    def _lines(self) -> dict:
        return {}

    def _line(self, a: int, b: int) -> np.ndarray:
        n = self.hex_distance(a, b)
        if n == 0:
            return np.array([a], dtype=np.int64)
        t = np.linspace(0.0, 1.0, n + 1)
        # a tiny nudge keeps lines along hex edges deterministic
        qa, ra = self.q[a] + 1e-6, self.r[a] + 2e-6
        qb, rb = self.q[b] + 1e-6, self.r[b] + 2e-6
        qq, rr = cube_round(qa + (qb - qa) * t, ra + (rb - ra) * t)
        cc, rw = axial_to_offset(qq, rr)
        return (rw * self.width + cc).astype(np.int64)

    def direction(self, a: int, b: int) -> int | None:
        """Direction index from a to its neighbour b, or None if not adjacent."""
        hits = np.flatnonzero(self.neighbours[a] == b)
        return int(hits[0]) if hits.size else None
