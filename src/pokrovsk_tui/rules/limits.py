"""The sizes and magnitudes a scenario may ask for: what the engine can serve in bounded time
and memory. The models (rules/scenario.py, rules/params.py, store/savefmt.py) enforce them,
so a file that validates always plays.

- ``MAX_SIDE``: hex ids are ``CCRR`` (two digits of column and of row) on maps up to 99 x 99
  and ``CCCRRR`` past that (rules/hexgrid.py): a side of at most 200.
- ``MAX_HEXES``: 16,384 (e.g. 128 x 128 or 120 x 114). Neither the engine nor the computer
  player keeps a (hexes x hexes) table, so a game there stays within a few hundred MB; the
  computer's decisions still grow faster than the map in time (README, "Bigger maps").
- ``MAX_COUNT``: the most sorties, runs, fires or bombs one order may ask, so no daily
  allowance may exceed it (the computer asks for a day's whole allowance in one order).
- ``MAX_NUMBER``: any other number of a scenario, in absolute value.
"""

from __future__ import annotations

import math

MAX_SIDE = 200
MAX_HEXES = 16_384
MAX_COUNT = 1000
MAX_NUMBER = 1_000_000
MAX_NAME = 200          # names and titles
MAX_TEXT = 20_000       # descriptions
MAX_ITEMS = 1000        # units, reinforcements, objectives, roads, ... in one list


def check_magnitudes(model) -> None:
    """Raise ValueError naming the first number field of ``model`` (not nested models) that
    is not finite or is larger than MAX_NUMBER in absolute value."""
    for name in type(model).model_fields:
        v = getattr(model, name)
        vals = v if isinstance(v, list) else [v]
        for x in vals:
            if isinstance(x, bool) or not isinstance(x, int | float):
                continue
            if isinstance(x, float) and not math.isfinite(x):
                raise ValueError(f"{name} must be a finite number")
            if abs(x) > MAX_NUMBER:
                raise ValueError(f"{name} is out of range; at most {MAX_NUMBER:,} in absolute value")
