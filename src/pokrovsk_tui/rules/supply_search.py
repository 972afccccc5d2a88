"""Supply path searches whose cost grows with the map, not with its square.

Supply is delivered only over a path cost of at most ``supply_max_cost``, so the search from
each source (or relaying HQ) is bounded: it runs on that origin's *region*, the hexes within
``supply_max_cost`` of it at the lowest cost the map allows (each hex's move cost; fire
control and control only raise costs or close hexes). A path of cost at most the limit never
leaves its region, so the search on the region finds exactly the costs a search over the whole
map finds, to the last bit (the same sums in the same order). A few origins on a small map are
searched over the whole map (one compiled Dijkstra each, in one call: each search stops at the
limit, and nothing per set of origins is built); more, together in one compiled Dijkstra over
their regions laid side by side (disjoint blocks of one graph), so the work is the total size of
the regions: linear in the map when the map grows by adding ground, not by stretching it.

Whether a hex is connected to a source at all (isolation) is not bounded: ``joined`` answers it
over the whole map, for many layers at once through the few hexes in which they differ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import ndimage
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

if TYPE_CHECKING:
    from .world import World

Region = tuple[np.ndarray, np.ndarray, np.ndarray]     # hexes, CSR row pointers, entered (positions)
Search = np.ndarray | tuple[np.ndarray, np.ndarray]   # one origin's search: a row, or compact
KEEP = 512            # regions kept per world (sources and the hexes HQs stood on): ~0.2 MB each
KEEP_BLOCKS = 8       # block graphs kept per world (sets of origins): a few MB each on a big map


def graph(world: World) -> csr_matrix:
    """The map's neighbour graph as a CSR matrix (row: from, column: the hex entered), built
    once per map; weights are set per call (an infinite weight is a hex supply may not enter)."""
    return world.derived(_build_graph)


def _build_graph(world: World) -> csr_matrix:
    n = world.grid.n
    src, dst = world.grid.edges
    indptr = np.searchsorted(src, np.arange(n + 1))
    return csr_matrix((np.ones(dst.size), dst, indptr), shape=(n, n))


def joined(world: World, passable: np.ndarray, src_hex: np.ndarray, src_on: np.ndarray) -> np.ndarray:
    """(B, n) bool: for each of B layers, the hexes joined to one of its sources by hexes
    passable in it (``passable`` (B, n) bool; the sources of layer b: ``src_hex[src_on[b]]``,
    each counted as reached itself, as a search from it would).

    A layer or two (one game) are labelled on the map laid out on its axial grid, where a
    hex's six neighbours are six fixed offsets (``_layout``): the hexes joined to a source are
    those of its connected part of the passable ground (the neighbour graph is symmetric), and
    one compiled labelling of both layers finds them. Many layers drawn from one state differ
    in few hexes, so the ground passable in every layer is split into its connected parts once,
    and each layer's question is asked of a small graph: those parts and the hexes that differ
    between layers (all layers' small graphs side by side, in one search). Both give the set of
    hexes a search from the sources reaches."""
    B, n = passable.shape
    out = np.zeros((B, n), bool)
    if not src_on.any():
        return out
    rows, cols = np.nonzero(src_on)
    if B <= 2:                                        # a layer or two: one labelling
        shape, pos = _layout(world)
        at = pos[src_hex[cols]]
        ground = np.zeros((B, shape[0] * shape[1]), bool)
        ground[:, pos] = passable
        ground[rows, at] = True                       # a search leaves its origin whatever it costs
        lab, count = ndimage.label(ground.reshape(B, *shape), structure=_HEX_LAYERS)
        lab = lab.reshape(B, -1)
        hit = np.zeros(count + 1, bool)               # label 0 (closed ground) is never hit
        hit[lab[rows, at]] = True
        return hit[lab[:, pos]]
    passable = passable.copy()
    passable[rows, src_hex[cols]] = True              # a search leaves its origin whatever it costs
    step = max(1, COPY_CELLS // n)                   # layers at a time: memory bounded whatever the map
    for b0 in range(0, B, step):
        part = slice(b0, min(B, b0 + step))
        if src_on[part].any():
            out[part] = _joined(world, passable[part], src_hex, src_on[part])
    return out


# a hex's neighbours on the axial grid (rows r, columns q): offsets (dr, dq) (0, +-1), (-1, 0),
# (-1, +1), (+1, -1), (+1, 0); layers (the first axis) are not joined to one another
_HEX_LAYERS = np.array([np.zeros((3, 3), bool), [[0, 1, 1], [1, 1, 1], [1, 1, 0]], np.zeros((3, 3), bool)], bool)


def _layout(world: World) -> tuple[tuple[int, int], np.ndarray]:
    """The map laid out on its axial grid: the grid's shape (rows r, columns q from the least)
    and each hex's flat position in it (cells no hex has are left closed)."""
    return world.derived(_build_layout)


def _build_layout(world: World) -> tuple[tuple[int, int], np.ndarray]:
    g = world.grid
    q = g.q - g.q.min()
    shape = (int(g.r.max()) + 1, int(q.max()) + 1)
    pos = g.r * shape[1] + q
    pos.flags.writeable = False
    return shape, pos


def _joined(world: World, passable: np.ndarray, src_hex: np.ndarray, src_on: np.ndarray) -> np.ndarray:
    B, n = passable.shape
    g = graph(world)
    frm, to = _edge_ends(world)
    always = np.logical_and.reduce(passable, axis=0)
    vary = np.logical_or.reduce(passable, axis=0) & ~always
    # the connected parts of the ground passable in every layer: node = part's label
    inner = always[frm] & always[to]
    parts, label = connected_components(_sub(g, frm, inner), directed=True, connection="strong")
    node = np.where(always, label, np.where(vary, parts + np.cumsum(vary) - 1, -1))
    # edges that may open or close between layers: a differing hex and a passable neighbour
    e = np.flatnonzero((vary[frm] & (always[to] | vary[to])) | (always[frm] & vary[to]))
    ef, et = frm[e], to[e]
    nodes = np.unique(np.concatenate([node[ef], node[et], node[src_hex]]))
    nodes = nodes[nodes >= 0]
    q = nodes.size
    a, b = np.searchsorted(nodes, node[ef]), np.searchsorted(nodes, node[et])
    open_ = passable[:, ef] & passable[:, et]                                     # (B, edges)
    lay, k = np.nonzero(open_)
    small = csr_matrix((np.ones(lay.size, np.int8), (lay * q + a[k], lay * q + b[k])), shape=(B * q, B * q))
    _, lab = connected_components(small, directed=True, connection="strong")
    hit = np.zeros(B * q + 1, bool)
    rows, cols = np.nonzero(src_on)
    ok = node[src_hex[cols]] >= 0
    hit[lab[rows[ok] * q + np.searchsorted(nodes, node[src_hex[cols[ok]]])]] = True
    reached = hit[lab].reshape(B, q)
    pos = np.searchsorted(nodes, node)
    known = (node >= 0) & (nodes[np.minimum(pos, q - 1)] == node) if q else np.zeros(n, bool)
    out = np.zeros((B, n), bool)
    out[:, known] = reached[:, pos[known]]
    return out


def _edge_ends(world: World) -> tuple[np.ndarray, np.ndarray]:
    """The hex each edge of ``graph`` leaves and the hex it enters, in the graph's order."""
    return world.derived(_build_edge_ends)


def _build_edge_ends(world: World) -> tuple[np.ndarray, np.ndarray]:
    g = graph(world)
    frm = np.repeat(np.arange(g.shape[0]), np.diff(g.indptr))
    return frm, g.indices.astype(np.int64)


def _sub(g: csr_matrix, frm: np.ndarray, keep: np.ndarray) -> csr_matrix:
    """The graph ``g`` with only the edges ``keep`` marks (a bool per stored edge; ``frm``: the
    row of each)."""
    indptr = np.concatenate([[0], np.cumsum(np.bincount(frm[keep], minlength=g.shape[0]))])
    return csr_matrix((np.ones(int(indptr[-1]), np.int8), g.indices[keep], indptr), shape=g.shape)


COPY_CELLS = 1 << 20  # layers x hexes looked at together (a few MB)


def _regions(world: World) -> dict[int, Region]:
    return world.derived(_new_regions)


def _new_regions(world: World) -> dict[int, Region]:
    return {}


def region(world: World, h: int) -> Region:
    """The hexes a supply path of cost at most ``supply_max_cost`` from hex ``h`` may cross
    (ascending), and the graph among them: CSR row pointers and the hex each edge enters, as a
    position in the region."""
    return regions(world, [h])[0]


def regions(world: World, hexes) -> list[Region]:
    """``region`` of each of ``hexes``; new ones found by one bounded search at the lowest
    costs (kept with the world, at most KEEP of them)."""
    kept = _regions(world)
    want = list(dict.fromkeys(int(h) for h in hexes))
    todo = [h for h in want if h not in kept]
    if todo:
        if len(kept) + len(todo) > KEEP:
            kept.clear()                         # start afresh: every region asked for is made again
            todo = want
        g = graph(world).copy()
        g.data = np.where(world.passable[g.indices], world.move_cost[g.indices], np.inf)
        nb = world.grid.neighbours
        limit = float(world.params.supply_max_cost)
        for a in range(0, len(todo), 64):        # 64 origins x n at a time, whatever the map
            part = todo[a:a + 64]
            d = np.atleast_2d(dijkstra(g, directed=True, indices=part, limit=limit))
            for h, row in zip(part, d, strict=True):
                hexes_h = np.flatnonzero(np.isfinite(row))
                to = nb[hexes_h]                                   # (m, 6), -1 off the map
                local = np.minimum(np.searchsorted(hexes_h, to), hexes_h.size - 1)
                ok = hexes_h[local] == to                          # the neighbour is in the region
                indptr = np.concatenate([[0], np.cumsum(ok.sum(axis=1))])
                kept[h] = (hexes_h, indptr, local[ok])
    return [kept[int(h)] for h in hexes]


def bounded(world: World, cost: np.ndarray, origins) -> dict[int, Search]:
    """For each of ``origins`` (distinct hexes of finite cost): the cost of the cheapest path to
    each hex its supply reaches at a cost of at most ``supply_max_cost``, paying each hex's
    ``cost`` on entry (0 on the origin): ``{origin: search}``, each search an (n,) read-only row
    (inf beyond the limit) or, on a big map, ``compact``: (the hexes reached, their costs).

    A few origins on a small map are searched over the whole map, one search each in one call
    (at most FULL_CELLS origins x hexes); more, on their regions laid side by side (``_blocks``).
    Both find the same costs to the last bit: a path within the limit never leaves its origin's
    region, and each hex's cost is the least over the same paths of the same sums."""
    origins = tuple(int(h) for h in origins)
    if not origins:
        return {}
    limit = float(world.params.supply_max_cost)
    if len(origins) * world.grid.n <= FULL_CELLS:
        g = world.derived(_new_search_graph)
        g.data[:] = cost[g.indices]                  # the weight of an edge: the cost of the hex entered
        d = dijkstra(g, directed=True, indices=origins, limit=limit).reshape(len(origins), -1)
        d.flags.writeable = False
        return dict(zip(origins, d, strict=True))
    g, hexes, entered, start, at = _blocks(world, origins)
    g.data[:] = cost[entered]
    d = dijkstra(g, directed=True, indices=at, min_only=True, limit=limit)
    out: dict[int, Search] = {}
    for i, h in enumerate(origins):
        di = d[start[i]:start[i + 1]]
        keep = np.isfinite(di)
        out[h] = (hexes[start[i]:start[i + 1]][keep], di[keep])
    return out


def compact(found: Search) -> tuple[np.ndarray, np.ndarray]:
    """An origin's search as the hexes it reaches and their costs: what a batch's many
    searches keep (rows would fill the memory)."""
    if isinstance(found, tuple):
        return found
    hexes = np.flatnonzero(np.isfinite(found))
    return hexes, found[hexes]


FULL_CELLS = 1 << 16   # origins x hexes searched over the whole map in one call (a few hundred kB)


def _new_search_graph(world: World) -> csr_matrix:
    """A copy of the map's graph whose weights ``bounded`` sets per call (kept per world)."""
    return graph(world).copy()


def _blocks(world: World, origins: tuple[int, ...]):
    """The regions of ``origins`` laid side by side as one graph (disjoint blocks), kept per
    world for the last few sets of origins (a batch of replications mostly shares one): the
    CSR graph (weights set per call), the hex of each node, the hex each edge enters, where
    each block starts, and each origin's node."""
    kept = world.derived(_new_blocks)
    found = kept.get(origins)
    if found is None:
        regs = regions(world, origins)
        sizes = np.array([r[0].size for r in regs])
        start = np.concatenate([[0], np.cumsum(sizes)])
        e_start = np.concatenate([[0], np.cumsum([r[2].size for r in regs])])
        indptr = np.concatenate([r[1][:-1] + e_start[i] for i, r in enumerate(regs)] + [[e_start[-1]]])
        local = np.concatenate([r[2] + start[i] for i, r in enumerate(regs)])
        g = csr_matrix((np.ones(local.size), local, indptr), shape=(start[-1], start[-1]))
        node_hex = np.concatenate([r[0] for r in regs])
        entered = node_hex[g.indices]                # read back: whatever order scipy keeps
        at = np.array([int(np.searchsorted(r[0], h)) for r, h in zip(regs, origins, strict=True)]) + start[:-1]
        if len(kept) >= KEEP_BLOCKS:
            kept.clear()
        found = kept[origins] = (g, node_hex, entered, start, at)
    return found


def _new_blocks(world: World) -> dict:
    return {}


def nearest(world: World, cost: np.ndarray, sources: np.ndarray, found: dict) -> tuple[np.ndarray, np.ndarray]:
    """(n,) cost from the cheapest of ``sources`` (inf where none reaches within
    ``supply_max_cost``) and (n,) which source hex (-1 there); at equal cost the source listed
    first wins. ``found`` holds this cost layer's searches by origin (``bounded``'s, rows or
    compact): those missing are searched here and kept for the next call."""
    n = world.grid.n
    sources = np.asarray(sources, np.int64).tolist()
    want = [h for h in dict.fromkeys(sources) if h not in found]
    if want:
        found.update(bounded(world, cost, want))
    dist = np.full(n, np.inf)
    orig = np.full(n, -1, np.int64)
    for h in sources:
        d = found[h]
        if isinstance(d, tuple):                      # compact: (hexes, costs)
            hexes, d = d
            better = d < dist[hexes]                  # strictly: a source listed earlier keeps a tie
            won = hexes[better]
            dist[won] = d[better]
        else:
            better = d < dist
            np.copyto(dist, d, where=better)
            won = better
        orig[won] = h
    return dist, orig
