"""Small vectorised helpers shared by the engine's phases (all arrays carry a leading K)."""

from __future__ import annotations

import numpy as np


def per_hex(hexes: np.ndarray, mask: np.ndarray, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    """(K, n) sum of weights (or count) of the masked (K, U) entries on each hex."""
    K = hexes.shape[0]
    flat = (np.arange(K)[:, None] * n + np.where(mask, hexes, 0)).ravel()
    w = mask.astype(float) if weights is None else np.where(mask, weights, 0.0)
    return np.bincount(flat, weights=w.ravel(), minlength=K * n).reshape(K, n)


def occupied(hexes: np.ndarray, mask: np.ndarray, side_n: np.ndarray, n: int) -> np.ndarray:
    """(K, 2, n) bool: hexes holding at least one masked (K, U) unit of each side, in one
    count; ``side_n`` is (U,) each slot's side times n (``Consts.side_n``)."""
    K = hexes.shape[0]
    out = np.zeros(K * 2 * n, bool)
    out[((np.arange(K)[:, None] * (2 * n) + side_n) + hexes)[mask]] = True
    return out.reshape(K, 2, n)


def scatter(values: np.ndarray, cells: np.ndarray, n: int) -> np.ndarray:
    """(K, n) sums of (K, M) values landing on cells (M,): np.add.at without its slowness."""
    K, M = values.shape
    if M == 0:
        return np.zeros((K, n))
    flat = (np.arange(K)[:, None] * n + cells[None, :]).ravel()
    return np.bincount(flat, weights=values.ravel().astype(float), minlength=K * n).reshape(K, n)


def spread(total: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Split (K,) totals over (K, U) weights in proportion (zero weights get nothing)."""
    s = weights.sum(axis=1, keepdims=True)
    return np.where(s > 0, total[:, None] * weights / np.where(s > 0, s, 1.0), 0.0)


def unique_rows(*parts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the distinct rows of (K, ...) arrays taken together (each row: its values in
    every part), in order of first appearance, and, for each row, its group (the index of its
    row among them). Rows are told apart by their bytes, hashed (np.unique(axis=0) sorts rows
    as records of one field per column: slow for the long rows of map layers). With K = 1
    nothing is gathered."""
    K = parts[0].shape[0]
    if K == 1:
        return np.array([0]), np.zeros(1, np.int64)
    flat = parts[0].reshape(K, -1) if len(parts) == 1 else np.concatenate([a.reshape(K, -1) for a in parts], axis=1)
    if (flat == flat[:1]).all():
        return np.array([0]), np.zeros(K, np.int64)
    data = np.ascontiguousarray(flat).tobytes()
    size = len(data) // flat.shape[0]
    seen: dict[bytes, int] = {}
    first: list[int] = []
    group: list[int] = []
    for k in range(flat.shape[0]):
        row = data[k * size:(k + 1) * size]
        gi = seen.get(row)
        if gi is None:
            gi = seen[row] = len(first)
            first.append(k)
        group.append(gi)
    return np.array(first, np.int64), np.array(group, np.int64)


def own_pairs(plan_of: np.ndarray | None, rep_plan: np.ndarray | None, plans: int, K: int,
              M: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, item) pairs of the M items (missions, combat groups) of the plan of each of K
    rows, ``plan_of`` (M,) giving each item's plan (None, or ``rep_plan`` None: every item in
    every row), row after row, each row's items in order."""
    if rep_plan is None or plan_of is None:
        every = np.arange(K * M)
        return (every // M, every % M) if M else (every, every)
    order = np.argsort(plan_of, kind="stable")               # the items plan by plan, in order
    per = np.bincount(plan_of, minlength=plans)
    first = np.cumsum(per) - per
    n_row = per[rep_plan]                                    # (K,) items of each row
    kk = np.repeat(np.arange(K), n_row)
    pos = np.arange(kk.size) + np.repeat(first[rep_plan] - (np.cumsum(n_row) - n_row), n_row)
    return kk, order[pos]


def layer(values: np.ndarray, kk: np.ndarray, mm: np.ndarray, K: int, M: int) -> np.ndarray:
    """(K, M) layer of per-pair values (0 where a row does not resolve an item)."""
    if values.size == K * M:                     # every pair, row after row
        return values.reshape(K, M)
    out = np.zeros((K, M), values.dtype)
    out[kk, mm] = values
    return out


def strength_lost(amount: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """What ``strength`` actually loses to a loss of ``amount``: none below 0, at most all of
    it (``Work.hurt``'s rule, for phases that keep a few slots' strength over several steps)."""
    return np.minimum(np.maximum(amount, 0.0), strength)


def unique_inverse(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)`` for a 1-d integer array: the sorted distinct
    keys and each entry's index among them (fires' target cells, combat's groups and
    contested hexes). The same sort and steps as numpy's, without its
    generic wrapper (most of its cost on the few keys of a day's orders)."""
    perm = keys.argsort()
    aux = keys[perm]
    first = np.empty(aux.size, bool)        # each run of equal sorted keys' first entry
    first[:1] = True
    np.not_equal(aux[1:], aux[:-1], out=first[1:])
    inverse = np.empty(keys.size, np.intp)
    inverse[perm] = np.cumsum(first) - 1
    return aux[first], inverse
