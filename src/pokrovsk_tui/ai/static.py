"""The commander's picture of a scenario's map that does not change during a game: the hold
objectives' daily VP per hex, road objectives, sudden-death conditions, hex labels, supply
sources, the graph's edges and the distance tables the planners read. Built once per world
(``world.derived``); ``Situation.st`` holds it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import fft as sfft
from scipy.sparse import csr_matrix

from pokrovsk_tui.rules.world import World

# ----------------------------------------------------------------- per-world static data

@dataclass(eq=False)
class Static:
    """Public facts of a scenario, computed once per world."""

    world: World
    hold_rate: np.ndarray                   # (n,) VP a day each hex of a 'hold' objective gives
    roads: list[tuple[np.ndarray, float, float, str]]   # road objectives: hexes, vp, threshold, name
    sd: list[tuple[int, str, np.ndarray, int, str]]     # sudden death: side, kind, hexes, days, name
    label_of: dict[int, str]
    src: tuple[np.ndarray, np.ndarray]      # supply source hexes by side
    edges: tuple[np.ndarray, np.ndarray]

    @cached_property
    def neighbours(self) -> np.ndarray:
        return self.world.grid.neighbours

    @cached_property
    def falloff_by_distance(self) -> np.ndarray:
        """Patrol field shape by hex distance (float32, index d for d = 0 .. the map's
        diameter): 1 within the flat radius, then exp(-(d - r) / L). A drone's field over the
        map is this table taken at its distances (``falloff``); no (n, n) table is kept."""
        p = self.world.params
        d = np.arange(self.world.grid.width + self.world.grid.height + 1, dtype=np.float32)
        return np.where(d <= p.patrol_flat_radius, 1.0,
                        np.exp(-(d - p.patrol_flat_radius) / p.patrol_decay_length)).astype(np.float32)

    @cached_property
    def falloff(self):
        """Patrol field shape from ``hexes`` to every hex: ``falloff(hexes)``, (n,) for one hex,
        (m, n) for m (the table by distance, HexGrid.by_distance)."""
        return self.world.grid.by_distance(self.falloff_by_distance)

    def patrol_disk(self, h: int, radius: int) -> tuple[np.ndarray, np.ndarray]:
        """The patrol field shape of a drone unit on hex ``h`` flying ``radius`` hexes: the hexes
        of its disk on the map and the shape there (float32; 0 beyond the disk)."""
        hexes, d = self.world.grid.around(np.array([int(h)]), int(radius))
        on = hexes[0] >= 0
        return hexes[0][on], self.falloff_by_distance[d[0][on]]

    @cached_property
    def _spread_kernel(self) -> tuple[tuple[int, int], np.ndarray, np.ndarray, np.ndarray]:
        """The patrol field shape laid out by axial offset (dr, dq) and its Fourier transform,
        for ``spread``: the grid's shape for the transforms, the rows and columns of every hex."""
        g = self.world.grid
        table = self.falloff_by_distance.astype(np.float64)
        span = int(g.q.max() - g.q.min())
        h = g.height
        dq, dr = np.meshgrid(np.arange(-span, span + 1), np.arange(-(h - 1), h), indexing="xy")
        d = (np.abs(dq) + np.abs(dr) + np.abs(dq + dr)) // 2
        kernel = table[np.minimum(d, table.size - 1)]
        # a circular convolution this long does not wrap onto the offsets read back
        shape = (sfft.next_fast_len(2 * h - 1, real=True), sfft.next_fast_len(2 * span + 1, real=True))
        return shape, sfft.rfft2(kernel, s=shape), g.r.astype(np.int64), (g.q - g.q.min()).astype(np.int64)

    def spread(self, weights: np.ndarray) -> np.ndarray:
        """(n,) the sum over hexes b of ``weights[b] * falloff(b)``: the patrol field of sorties
        spread over the map by ``weights`` (no range limit). One convolution on the axial grid
        by FFT, so it costs about the map's size, not its square; equal to the direct sum to
        rounding (about 1e-16 of the total weight)."""
        g = self.world.grid
        shape, kf, r, q = self._spread_kernel
        grid = np.zeros((g.height, int(q.max()) + 1))
        grid[r, q] = weights
        out = sfft.irfft2(sfft.rfft2(grid, s=shape) * kf, s=shape)
        span = int(q.max())
        return np.maximum(out[r + g.height - 1, q + span], 0.0)

    @cached_property
    def near_by_distance(self) -> np.ndarray:
        """exp(-d / 2.5) for d = 0 .. the map's diameter: how the shaping of
        ``Situation.hex_value`` falls off from a valued hex."""
        g = self.world.grid
        return np.exp(-np.arange(g.width + g.height + 1, dtype=float) / 2.5)

    @cached_property
    def near_objective(self):
        """``near_objective(hexes)``: exp(-d / 2.5) from ``hexes`` to every hex, from the table."""
        return self.world.grid.by_distance(self.near_by_distance)

    @cached_property
    def _best_near_memo(self) -> dict[bytes, np.ndarray]:
        return {}

    def best_near(self, v: np.ndarray) -> np.ndarray:
        """(n,) the best of ``v[b] * exp(-d(b, x) / 2.5)`` over the hexes b with ``v > 0``, for
        every hex x (0 if there are none). Exact either way it is computed: valued hex by
        valued hex (a block at a time) when there are few of them, else value by value, from
        each value's nearest hex (the product falls with the distance: the nearest is the best),
        one search a value, so it costs the map's size times the number of distinct values.
        The values of a side's ground change little from day to day: the last few answers are
        kept (a copy is returned)."""
        v = np.asarray(v, float)
        memo = self._best_near_memo
        key = v.tobytes()
        got = memo.get(key)
        if got is None:
            got = self._best_near(v)
            if len(memo) >= 16:
                memo.pop(next(iter(memo)), None)
            memo[key] = got
        return got.copy()

    def _best_near(self, v: np.ndarray) -> np.ndarray:
        n = self.world.grid.n
        imp = np.flatnonzero(v > 0)
        best = np.zeros(n)
        if imp.size == 0:
            return best
        values = np.unique(v[imp])
        if imp.size <= 20 * values.size:
            near = self.near_objective
            for a in range(0, imp.size, 256):
                b = imp[a:a + 256]
                best = np.maximum(best, (v[b][:, None] * near(b)).max(axis=0))
            return best
        table = self.near_by_distance
        for val in values:
            best = np.maximum(best, val * table[self.world.grid.nearest_distance(imp[v[imp] == val])])
        return best

    @cached_property
    def _edge_orders(self) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]] | None:
        """The graph's edges in the order of a compressed row (CSR) matrix, forward (by from,
        then to) and reversed (by to, then from): (order into ``edges``, rows, columns (int32)).
        None if an edge is listed twice (a CSR matrix would sum them; ``graph`` then lets scipy
        build it)."""
        src, dst = self.edges
        out = []
        for rows, cols in ((src, dst), (dst, src)):
            o = np.lexsort((cols, rows))
            r, c = rows[o], cols[o]
            if r.size > 1 and ((r[1:] == r[:-1]) & (c[1:] == c[:-1])).any():
                return None
            out.append((o, r.astype(np.int64), c.astype(np.int32)))
        return out[0], out[1]

    def graph(self, weights: np.ndarray, keep: np.ndarray, reverse: bool = False,
              extra: tuple[np.ndarray, np.ndarray] | None = None) -> csr_matrix:
        """The CSR matrix scipy builds from ``((weights[keep], (src[keep], dst[keep]))`` over
        ``edges`` (from and to swapped with ``reverse``), with ``extra``: (columns, weights) of
        one more row n (shape (n + 1, n + 1) then), without scipy's sort of the entries: the
        same arrays (sorted columns in each row), built from the edge order kept per world."""
        n = self.world.grid.n
        orders = self._edge_orders
        ecols = np.zeros(0, np.int64) if extra is None else np.asarray(extra[0], np.int64)
        evals = np.zeros(0) if extra is None else np.asarray(extra[1], float)
        size = n if extra is None else n + 1
        if orders is None or (ecols.size > 1 and (np.diff(np.sort(ecols)) == 0).any()):
            src, dst = self.edges
            rows, cols = (dst, src) if reverse else (src, dst)
            r = np.concatenate([rows[keep], np.full(ecols.size, n)])
            c = np.concatenate([cols[keep], ecols])
            d = np.concatenate([weights[keep], evals])
            return csr_matrix((d, (r, c)), shape=(size, size))
        o, rows, cols = orders[1] if reverse else orders[0]
        k = keep[o]
        r, c, d = rows[k], cols[k], np.asarray(weights, float)[o][k]
        indptr = np.zeros(n + 1, np.int32)
        np.cumsum(np.bincount(r, minlength=n), out=indptr[1:])
        base = csr_matrix((d, c, indptr), shape=(n, n))
        return base if extra is None else self.with_row(base, ecols, evals)

    @staticmethod
    def with_row(base: csr_matrix, cols: np.ndarray, vals: np.ndarray) -> csr_matrix:
        """``base`` (n x n, laid out as ``graph`` lays it out) with one more row n: ``vals`` at
        the columns ``cols`` (distinct), sorted (stable), as ``graph(..., extra=(cols, vals))``
        lays it out. A day's graph is made once and each search's start row added to it."""
        n = base.shape[0]
        ecols = np.asarray(cols, np.int64)
        eo = np.argsort(ecols, kind="stable")
        indptr = np.concatenate([base.indptr, np.array([base.indptr[-1] + ecols.size], base.indptr.dtype)])
        return csr_matrix((np.concatenate([base.data, np.asarray(vals, float)[eo]]),
                           np.concatenate([base.indices, ecols[eo].astype(base.indices.dtype)]), indptr),
                          shape=(n + 1, n + 1))

    def label(self, h: int) -> str:
        hid = self.world.grid.hex_id(int(h))
        name = self.label_of.get(int(h))
        return f"{hid} ({name})" if name else hid


def static(world: World) -> Static:
    """The AI's picture of the map, built once per world."""
    return world.derived(_build_static)


def _build_static(world: World) -> Static:
    g = world.grid
    n = g.n
    scn = world.scenario
    hold_rate = np.zeros(n)
    roads = []
    labels: dict[int, str] = {}
    for ob, hexes in zip(scn.objectives, world.objective_hexes, strict=True):
        if ob.kind == "hold":
            hold_rate[hexes] += ob.vp / len(hexes)
            for h in hexes:
                labels.setdefault(int(h), ob.name)
        else:
            roads.append((hexes, float(ob.vp), float(ob.fire_control_threshold), ob.name))
    for h, name in world.hex_names.items():
        labels[int(h)] = name
    for h, name in world.road_names.items():
        labels.setdefault(int(h), name)
    sd: list[tuple[int, str, np.ndarray, int, str]] = []
    for cond, hexes in zip(scn.victory.sudden_death, world.sudden_death_hexes, strict=True):
        sd.append((0 if cond.side == "ua" else 1, cond.kind, hexes, int(cond.days), cond.name))
    src = (world.src_hex[world.src_side == 0], world.src_hex[world.src_side == 1])
    return Static(world=world, hold_rate=hold_rate, roads=roads, sd=sd, label_of=labels, src=src,
                  edges=g.edges)
