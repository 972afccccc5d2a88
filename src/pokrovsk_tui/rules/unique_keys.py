"""Distinct integer keys, for the phases that number the cells or groups they work on (fires'
target cells, combat's groups and contested hexes)."""

from __future__ import annotations

import numpy as np


def unique_inverse(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)`` for a 1-d integer array: the sorted distinct
    keys and each entry's index among them. The same sort and steps as numpy's, without its
    generic wrapper (most of its cost on the few keys of a day's orders)."""
    perm = keys.argsort()
    aux = keys[perm]
    first = np.empty(aux.size, bool)        # each run of equal sorted keys' first entry
    first[:1] = True
    np.not_equal(aux[1:], aux[:-1], out=first[1:])
    inverse = np.empty(keys.size, np.intp)
    inverse[perm] = np.cumsum(first) - 1
    return aux[first], inverse
