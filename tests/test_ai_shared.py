"""What the computer commander works out once a day and shares between its candidate plans,
and the batched forms it asks instead of one call per unit or attack, must give exactly what
the one-at-a-time forms give: a plan built on a situation other plans have already used
equals the plan built on a fresh one, ``legal.targets_among`` equals ``legal_targets`` on
those hexes, and ``assault_outlooks`` equals ``assault_outlook`` asked attack by attack."""

from __future__ import annotations

import numpy as np
import pytest

from pokrovsk_tui.ai.levels import LEVELS
from pokrovsk_tui.ai.plans import Knobs, Planner, variants
from pokrovsk_tui.ai.plans_odds import assault_outlook, assault_outlooks
from pokrovsk_tui.ai.situation import situation
from pokrovsk_tui.rules import legal
from pokrovsk_tui.rules.view import view
from test_batches import situations


@pytest.fixture(scope="module", params=["pokrovsk-winter-2026", "all-roles"])
def world_states(request):
    world, states = situations(request.param)
    return world, states[::4]


def test_targets_among_is_legal_targets_on_those_hexes(world_states):
    world, states = world_states
    nb = world.grid.neighbours
    rng = np.random.default_rng(5)
    checked = set()
    for state in states:
        for side in (0, 1):
            v = view(world, state, side)
            for u in [None, *(int(u) for u in v.own_units)]:
                for kind in legal.KINDS:
                    if legal.TARGET_OF[kind] == "none":
                        continue
                    full = legal.legal_targets(v, u, kind)
                    around = nb[int(v.hex[u])] if u is not None else nb[int(rng.integers(world.grid.n))]
                    some = np.concatenate([around, rng.integers(-1, world.grid.n, 20)])
                    got = legal.targets_among(v, u, kind, some)
                    want = np.where(some >= 0, full[np.maximum(some, 0)], False)
                    assert got.tolist() == want.tolist(), (state.turn, side, u, kind)
                    if want.any():
                        checked.add(kind)
    # attacks, fires and missions had legal targets among the hexes asked about
    assert {"assault", "move", "strike", "fire"} <= checked


def test_outlooks_at_once_equal_one_by_one():
    world, states = situations("pokrovsk-winter-2026")
    n_fights = 0
    for state in states[::3]:
        for side in (0, 1):
            v = view(world, state, side)
            sit = situation(v)
            asks = []
            for u in sit.own_combat:
                us = [int(u)]
                for t in world.grid.neighbours[int(v.hex[u])]:
                    if t >= 0 and sit.control[t] != side:
                        for kind in ("assault", "infiltrate", "raid"):
                            asks.append((us, int(t), kind))
            pairs = [(a, b) for a, b in zip(sit.own_combat[:-1], sit.own_combat[1:], strict=True)
                     if v.hex[a] == v.hex[b]]
            for a, b in pairs:
                for t in world.grid.neighbours[int(v.hex[a])]:
                    if t >= 0:
                        asks.append(([int(a), int(b)], int(t), "assault"))
            for hidden in (True, False):
                alone = situation(v)
                want = []
                for us, t, kind in asks:
                    alone.extra.pop("outlook", None)        # nothing shared: each worked out on its own
                    want.append(assault_outlook(alone, us, t, kind, hidden))
                batch = situation(v)
                assault_outlooks(batch, asks, hidden)
                for (us, t, kind), w in zip(asks, want, strict=True):
                    got = assault_outlook(batch, us, t, kind, hidden)
                    assert got.keys() == w.keys()
                    for key in w:
                        assert np.asarray(got[key]).tobytes() == np.asarray(w[key]).tobytes(), (us, t, kind, key)
                    n_fights += w["att_loss"] > 0
    assert n_fights > 20


@pytest.mark.parametrize("level", ["normal", "hard"])
def test_plans_sharing_a_day_equal_plans_alone(world_states, level):
    """The day's caches (attack table, targets, orders, support moves...) change no plan:
    every candidate built after the others on one situation is the plan built alone."""
    world, states = world_states
    lv = LEVELS[level]
    knobs = variants(Knobs(), list(lv.candidates))
    n_orders = 0
    for state in states:
        for side in (0, 1):
            v = view(world, state, side)
            if not v.own.any():
                continue
            shared = situation(v)
            together = [Planner(shared, k, None, lv.features).build() for k in knobs]
            for k, plan in zip(knobs, together, strict=True):
                alone = Planner(situation(v), k, None, lv.features).build()
                assert [o.model_dump_json() for o in plan.orders] == [o.model_dump_json() for o in alone.orders], k.name
                assert plan.notes == alone.notes and plan.assaults == alone.assaults, k.name
                n_orders += len(plan.orders)
    assert n_orders > 100
