"""Fires and ground combat work on what each replication resolves only: the (row, mission) and
(row, group) pairs of its own plan, the unit slots standing on a target cell, the columns of
the fire-control layer that hold some. These must give what the whole layers give."""

from __future__ import annotations

import dataclasses

import numpy as np

from pokrovsk_tui.rules.dice import BlockDice, Dice
from pokrovsk_tui.rules.engine import stack_plans
from pokrovsk_tui.rules.kernels import layer, own_pairs
from pokrovsk_tui.rules.orders import M_INTERDICT, M_STRIKE
from pokrovsk_tui.rules.phase_fires import fc_total, fires
from pokrovsk_tui.rules.phase_sense import detection, weather
from pokrovsk_tui.rules.work import Work
from test_batches import situations
from test_plan_axis import plans_for


def test_own_pairs_are_each_rows_own_items_in_row_order():
    rng = np.random.default_rng(3)
    for plans, M, K in [(1, 5, 4), (4, 13, 9), (6, 0, 5), (5, 20, 12)]:
        plan_of = rng.integers(0, plans, M)            # items of a plan need not be together
        rep_plan = rng.integers(0, plans, K)           # nor the rows of a plan
        kk, mm = own_pairs(plan_of, rep_plan, plans, K, M)
        want = np.nonzero(plan_of[None, :] == rep_plan[:, None])
        assert np.array_equal(kk, want[0]) and np.array_equal(mm, want[1])
        # a (K, M) layer of the pairs' values, 0 in the other places
        vals = rng.random(kk.size)
        full = layer(vals, kk, mm, K, M)
        assert full.shape == (K, M) and np.array_equal(full[kk, mm], vals)
        assert np.count_nonzero(full) == np.count_nonzero(vals)
    # without a plan axis every row resolves every item
    kk, mm = own_pairs(None, None, 1, 3, 4)
    assert np.array_equal(kk, np.repeat(np.arange(3), 4)) and np.array_equal(mm, np.tile(np.arange(4), 3))


def _work_before_fires(world, state, co, dice) -> Work:
    w = Work(world, state, co, dice, None)
    weather(w)
    detection(w)
    return w


def test_fire_control_laid_on_few_columns_is_the_whole_layer_rule():
    """Yesterday's fire control decays, today's interdiction adds and the standing fire control
    is kept up, over the whole (K, 2, n) layer, however few of its columns hold any."""
    world, states = situations("pokrovsk-winter-2026")
    p, n = world.params, world.grid.n
    rng = np.random.default_rng(11)
    checked = 0
    for i, state in enumerate(states[::4]):
        plans = plans_for(world, state, (40 + i, 50 + i, 60 + i))
        co, columns = stack_plans(world, plans, 2)
        K = 2 * len(plans)
        batch = state.batched(K)
        fc = np.zeros((K, 2, n))
        hexes = rng.choice(n, 5, replace=False)
        fc[rng.integers(0, K, 5), rng.integers(0, 2, 5), hexes] = rng.random(5) * 3
        batch = dataclasses.replace(batch, fire_control=fc)
        w = _work_before_fires(world, batch, co, BlockDice(9, 2, columns))
        before = w.fire_control.copy()
        fires(w)
        assert np.array_equal(batch.fire_control, before)     # the state's layer is not changed
        # the rule on the whole layer: each row lays its own plan's sorties x visibility
        want = before * (1.0 - p.fire_control_decay)
        counts = co.m_count_rep()
        for m in np.flatnonzero(co.m_kind == M_INTERDICT):
            want[:, co.m_side[m], co.m_hex[m]] += counts[:, m] * w.v
            checked += 1
        want = np.maximum(want, world.standing_fc[None])
        assert np.allclose(w.fire_control, want, rtol=0, atol=1e-12)
        assert np.array_equal(w.fc_total, w.fire_control + w.patrol_fc)
    assert checked > 0                          # the random orders interdicted some roads


def test_fc_total_adds_each_rows_patrol_layer_however_the_layers_are_kept():
    """The patrol field kept as one layer a row, one layer for all rows or a few distinct
    layers with each row's index: the total is the interdiction layer plus that row's field."""
    world, states = situations("pokrovsk-winter-2026")
    n, K = world.grid.n, 6
    rng = np.random.default_rng(5)
    w = Work(world, states[3].batched(K), stack_plans(world, plans_for(world, states[3], (1,)), K)[0],
             Dice(1), None)
    w.fire_control = rng.random((K, 2, n)) * (rng.random((K, 2, n)) < 0.3)
    layers = rng.random((3, 2, n))
    group = np.array([2, 0, 0, 1, 2, 2])
    one = np.zeros(K, np.int64)
    for lay, grp, rows in [(layers[group], None, group), (layers[:1], one, one), (layers, group, group)]:
        w.patrol_layers, w.patrol_group = lay, grp
        assert np.array_equal(w.patrol_fc, layers[rows])
        got = fc_total(w)
        assert got.shape == (K, 2, n) and np.array_equal(got, w.fire_control + layers[rows])
    assert not np.shares_memory(fc_total(w), layers)        # the layers are not written


def test_missions_hit_in_their_own_plans_rows_only():
    """A plan's missions fly in its own rows, as that plan alone would fly them; in the rows of
    the other plans they score no hits and report no hit chance."""
    world, states = situations("pokrovsk-winter-2026")
    state = states[5]
    plans = plans_for(world, state, (7, 8, 9))
    rows = 3
    co, columns = stack_plans(world, plans, rows)
    K = rows * len(plans)
    w = _work_before_fires(world, state.batched(K), co, BlockDice(21, rows, columns))
    fires(w)
    assert co.m_plan is not None and (co.m_kind == M_STRIKE).any()
    for pi, plan in enumerate(plans):
        alone = _work_before_fires(world, state.batched(rows), plan, Dice(21))
        fires(alone)
        own = co.m_plan == pi
        block = slice(pi * rows, (pi + 1) * rows)
        assert np.array_equal(w.m_hits[block][:, own], alone.m_hits)
        assert np.array_equal(w.m_prob[block][:, own], alone.m_prob)
        assert not w.m_hits[block][:, ~own].any() and not w.m_prob[block][:, ~own].any()
        assert np.array_equal(w.strength[block], alone.strength)
    assert w.m_hits.any()
