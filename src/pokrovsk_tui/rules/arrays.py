"""Names for the numpy array types the rules pass around (for annotations only).

Shapes are given beside each use in comments: K replications, U unit slots, n hexes,
M missions, R robot runs, G ground-combat groups, C causes of loss.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

Floats: TypeAlias = NDArray[np.float64]
Ints: TypeAlias = NDArray[np.int64]
Bools: TypeAlias = NDArray[np.bool_]
Array: TypeAlias = NDArray[Any]          # a layer whose dtype varies (int8 control, object ...)
