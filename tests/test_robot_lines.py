"""The fire control on a robot run's line (rules/phase_supply.py ``_line_fc``): a few entries
grouped by line length in Python and many grouped by distinct line in numpy give the same sums,
bit for bit (the same rows summed in the same calls)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from pokrovsk_tui.rules import phase_supply
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario


@pytest.fixture(scope="module")
def world():
    return build_world(load_scenario("pokrovsk-winter-2026"))


@pytest.mark.parametrize("seed", range(4))
def test_few_and_many_runs_sum_each_line_alike(world, seed, monkeypatch):
    rng = np.random.default_rng(seed)
    n, U, K = world.grid.n, world.u_side.size, 3
    hexes = rng.integers(0, n, (K, U))
    fc = rng.exponential(1.0, (K, 2, n)) * (rng.random((K, 2, n)) < 0.6)
    w = SimpleNamespace(world=world, n=n, hex=hexes, fc_total=fc)
    m = int(rng.integers(5, phase_supply.FEW_RUNS + 1))
    rep = rng.integers(0, K, m)
    unit, target = rng.integers(0, U, m), rng.integers(0, U, m)
    unit[-1], target[-1], rep[-1] = unit[0], target[0], rep[0]          # a line asked twice
    few = phase_supply._line_fc(w, rep, unit, target)
    monkeypatch.setattr(phase_supply, "FEW_RUNS", 0)
    many = phase_supply._line_fc(w, rep, unit, target)
    assert few.tobytes() == many.tobytes()
    lengths = [world.grid.line(hexes[r, u], hexes[r, t]).size for r, u, t in zip(rep, unit, target, strict=True)]
    assert max(lengths) >= 8 and len(set(lengths)) >= 3                 # pairwise sums and several lengths
    r, u, t = int(rep[0]), int(unit[0]), int(target[0])
    line = world.grid.line(hexes[r, u], hexes[r, t])
    assert few[0] == pytest.approx(fc[r, 1 - world.u_side[u], line].sum())
