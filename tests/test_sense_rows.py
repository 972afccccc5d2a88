"""The engine's shortcuts for batches whose rows repeat give exactly what the whole layers
give: detection effort read at the units' hexes, cover levels per distinct layout, the kept
dice draws."""

import numpy as np
import pytest

from pokrovsk_tui.ai.policies import policy_rng, random_orders
from pokrovsk_tui.rules.dice import PHASES, STREAMS, Dice, TiledDice
from pokrovsk_tui.rules.engine import check_orders, resolve_turn
from pokrovsk_tui.rules.orders import M_RECON, compile_orders, stack_orders
from pokrovsk_tui.rules.phase_move import cover_levels
from pokrovsk_tui.rules.phase_sense import (
    _static_effort,
    effort_at_units,
    jamming_rows,
    patrol_field,
    patrol_sorties,
)
from pokrovsk_tui.rules.state import ARRAY_FIELDS, initial_state
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.work import Work
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario


@pytest.fixture(scope="module")
def game():
    world = build_world(load_scenario("pokrovsk-winter-2026"))
    st = initial_state(world)
    for _ in range(2):
        orders = {s: random_orders(view(world, st, s), policy_rng(4, st.turn, s)) for s in (0, 1)}
        st, _ = resolve_turn(world, st, orders, Dice(4))
    return world, st


def _plans(world, st, count):
    """``count`` plans of random orders for both sides (some fly recon)."""
    out = []
    for i in range(count):
        orders = {s: random_orders(view(world, st, s), policy_rng(20 + i, st.turn, s)) for s in (0, 1)}
        accepted, _ = check_orders(world, st, orders)
        out.append(compile_orders(world, accepted))
    return out


def _batch(world, st, rows):
    """The state repeated over ``rows`` rows, a few of them changed (a unit moved or lost)."""
    K = len(rows)
    b = st.batched(K)
    arrays = {f: getattr(b, f).copy() for f in ARRAY_FIELDS}
    live = np.flatnonzero(st.on_map & (st.strength > 0))
    step = max(world.grid.neighbours[st.hex[live[0]]])           # a hex next to the first live unit
    for k, kind in enumerate(rows):
        if kind == 1:
            arrays["hex"][k, live[0]] = step
            arrays["entrench"][k, live[1]] = 3
        elif kind == 2:
            arrays["strength"][k, live[-1]] = 0.0
    return b.copy_with(**arrays)


def test_effort_at_units_is_the_whole_effort_layer_read_at_each_unit(game):
    world, st = game
    plans = _plans(world, st, 3)
    assert any((c.m_kind == M_RECON).any() for c in plans), "the test needs recon missions"
    rows = [0, 1, 0, 2]                                   # each plan's block: repeated and changed rows
    co = stack_orders(plans, len(rows))
    batch = _batch(world, st, rows * len(plans))
    w = Work(world, batch, co, Dice(1), None)
    K, n = w.K, w.n
    rng = np.random.default_rng(3)
    layers = rng.random((3, 2, n))
    group = rng.integers(0, 3, K)
    whole = _static_effort(w, w.hex, w.live, co.rep_index(K))                  # (K, 2, n)
    hx = np.maximum(w.hex, 0)
    k = np.arange(K)[:, None]
    want = np.stack([whole[k, s, hx] + layers[group][k, s, hx] * w.p.patrol_detection_share
                     for s in (0, 1)], axis=1)
    # the same values to the last bit, whether the patrol field comes whole or as its layers
    assert np.array_equal(effort_at_units(w, layers, group), want)
    assert np.array_equal(effort_at_units(w, layers[group]), want)


def test_one_row_alone_detects_as_in_a_batch(game):
    # effort_at_units and the patrol field take a shortcut for a single row (no grouping):
    # each row resolved alone gives its batch row's values to the last bit
    world, st = game
    plan = _plans(world, st, 1)[0]
    rows = [0, 1, 2, 1]
    batch = _batch(world, st, rows)

    def prepared(state):
        w = Work(world, state, plan, Dice(1), None)
        w.v = np.full(w.K, 0.7)
        layers, group = jamming_rows(w)
        w.jam_layers = layers
        w.jam_group = np.arange(w.K) if group is None else group
        return w

    w = prepared(batch)
    field = patrol_field(w, patrol_sorties(w))
    assert field.any()
    effort = effort_at_units(w, field)
    for k in range(len(rows)):
        one = prepared(batch.copy_with(**{f: getattr(batch, f)[k:k + 1] for f in ARRAY_FIELDS}))
        alone = patrol_field(one, patrol_sorties(one))
        assert np.array_equal(alone, field[k:k + 1])
        assert np.array_equal(effort_at_units(one, alone), effort[k:k + 1])


def test_cover_levels_of_repeated_rows_are_each_rows_own(game):
    world, st = game
    U = world.n_units
    rng = np.random.default_rng(8)
    base_hex = rng.integers(0, 60, (3, U))
    base_ent = rng.integers(0, 4, (3, U))
    base_live = rng.random((3, U)) < 0.8
    pick = np.array([0, 1, 0, 2, 2, 1, 0])
    hexes, entrench, live = base_hex[pick], base_ent[pick], base_live[pick]
    for dtype in (float, np.int8):
        batch = cover_levels(world, hexes, live, entrench, dtype)
        assert batch.dtype == dtype
        for k in range(pick.size):
            alone = cover_levels(world, hexes[k:k + 1], live[k:k + 1], entrench[k:k + 1], dtype)
            assert np.array_equal(batch[k:k + 1], alone)
    assert not cover_levels(world, hexes, live, np.zeros_like(entrench)).any()


@pytest.mark.parametrize("dice", [Dice(11), TiledDice(11, 2)])
def test_kept_draws_are_the_streams_own_and_handed_out_as_copies(dice):
    key = (3, PHASES.index("combat"), STREAMS[("combat", "die")])
    fresh = np.random.Generator(np.random.PCG64(np.random.SeedSequence(11, spawn_key=key))).random((2, 5))
    first = dice.uniform(3, "combat", "die", (4, 5))
    assert np.array_equal(first[:2], fresh)
    first[:] = -1.0                                       # a caller's own copy: the next draw is unchanged
    again = dice.uniform(3, "combat", "die", (4, 5))
    assert np.array_equal(again[:2], fresh)
    assert again is not first and again.flags.writeable


def test_kept_draws_stay_within_their_memory_budget():
    from pokrovsk_tui.rules import dice as dice_module

    d = Dice(12)
    for turn in range(1, 120):                            # far more than the budget holds
        u = d.uniform(turn, "combat", "die", (100, 120))
        key = (turn, PHASES.index("combat"), STREAMS[("combat", "die")])
        fresh = np.random.Generator(np.random.PCG64(np.random.SeedSequence(12, spawn_key=key))).random((100, 120))
        assert np.array_equal(u, fresh)
    kept = dice_module._local.kept
    assert sum(a.size for a in kept.values()) == dice_module._local.kept_size <= dice_module._KEEP_TOTAL
    assert len(kept) <= dice_module._KEEP
