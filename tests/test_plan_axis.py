"""Compiled orders with a plan axis: several plans resolved in one batch, one block of
replications per plan, must give every block exactly what that plan gives resolved alone (the
computer commander's scores, and so its decisions, rest on it)."""

from __future__ import annotations

import numpy as np
import pytest

from pokrovsk_tui.ai.policies import policy_rng, random_orders
from pokrovsk_tui.rules.dice import BlockDice, Dice, TiledDice
from pokrovsk_tui.rules.engine import check_orders, resolve_batch, stack_plans
from pokrovsk_tui.rules.orders import M_RECON, compile_orders
from pokrovsk_tui.rules.state import ARRAY_FIELDS
from pokrovsk_tui.rules.view import view
from test_batches import situations

ROWS = 3


def plans_for(world, state, seeds):
    """Compiled random orders for both sides, one set per seed, plus a day of no orders."""
    out = [compile_orders(world, {0: [], 1: []})]
    for seed in seeds:
        orders = {s: random_orders(view(world, state, s), policy_rng(seed, state.turn, s)) for s in (0, 1)}
        out.append(compile_orders(world, check_orders(world, state, orders)[0]))
    return out



@pytest.mark.parametrize("name", ["pokrovsk-winter-2026", "all-roles"])
@pytest.mark.parametrize("light", [False, True])
def test_each_block_resolves_as_its_plan_alone(name, light):
    world, states = situations(name)
    delivery = np.full(world.n_units, world.params.consumption + 1.5) if light else None
    kinds = set()
    for i, state in enumerate(states[::3]):
        plans = plans_for(world, state, (100 + i, 200 + i, 300 + i))
        kinds |= {int(k) for c in plans for k in c.m_kind} | ({-1} if any(c.r_unit.size for c in plans) else set())
        seed = 77 + i
        co, columns = stack_plans(world, plans, ROWS)
        big = resolve_batch(world, state.batched(ROWS * len(plans)), co, BlockDice(seed, ROWS, columns),
                            delivery=delivery)
        for p, plan in enumerate(plans):
            alone = resolve_batch(world, state.batched(ROWS), plan, Dice(seed), delivery=delivery)
            for f in ARRAY_FIELDS:
                got = getattr(big, f)[p * ROWS:(p + 1) * ROWS]
                want = getattr(alone, f)
                assert got.dtype == want.dtype and got.tobytes() == want.tobytes(), (name, state.turn, p, f)
    # the random orders gave the batches missions of several kinds, recon among them, and
    # robot runs where the scenario has robots
    assert M_RECON in kinds and len(kinds) >= 3
    assert -1 in kinds or name != "all-roles"


def test_plan_axis_layout():
    world, states = situations("pokrovsk-winter-2026")
    plans = plans_for(world, states[0], (5, 6))
    co, columns = stack_plans(world, plans, 2)
    assert co.ground.shape == (3, world.n_units) and co.path.shape[:2] == (3, world.n_units)
    assert co.rep_plan.tolist() == [0, 0, 1, 1, 2, 2]
    assert columns[("fires", "missions")] == tuple(c.m_kind.size for c in plans)
    # a mission counts only in its own plan's replications
    counts = co.m_count_rep()
    assert counts.shape == (6, co.m_kind.size)
    assert (counts[co.rep_plan[:, None] != co.m_plan[None, :]] == 0).all()
    assert np.array_equal(co.per_rep(co.ground)[4], plans[2].ground)


def test_block_dice_draws_each_block_as_alone():
    cols = {("fires", "missions"): (2, 0, 3)}
    d = BlockDice(9, 4, cols)
    u = d.uniform(5, "fires", "missions", (12, 5))
    alone = [Dice(9).uniform(5, "fires", "missions", (4, c)) for c in (2, 0, 3)]
    assert np.array_equal(u[0:4, 0:2], alone[0]) and np.array_equal(u[8:12, 2:5], alone[2])
    assert (u[0:4, 2:] == 0).all() and (u[4:8] == 0).all()          # others' columns: no draws
    # streams not per order are tiled
    t = d.uniform(5, "detection", "units", (12, 2, 3))
    assert np.array_equal(t[8:12], Dice(9).uniform(5, "detection", "units", (4, 2, 3)))
    with pytest.raises(ValueError, match="does not match"):
        d.uniform(5, "fires", "missions", (12, 4))


def test_block_dice_with_a_seed_per_block():
    d = BlockDice((4, 8, 4), 2, {("combat", "die"): (1, 2, 0)})
    u = d.uniform(3, "weather", "day", (6,))
    assert np.array_equal(u[2:4], Dice(8).uniform(3, "weather", "day", (2,)))
    assert np.array_equal(u[4:6], Dice(4).uniform(3, "weather", "day", (2,)))
    g = d.uniform(3, "combat", "die", (6, 3))
    assert np.array_equal(g[2:4, 1:3], Dice(8).uniform(3, "combat", "die", (2, 2)))
    with pytest.raises(ValueError, match="for 3 seeds"):
        d.uniform(3, "weather", "day", (8,))


def test_commander_scores_every_plan_and_sample_as_alone():
    """Commander.values (one batch of every sample x plan, two days ahead) gives each plan
    the mean of its samples' scores resolved one at a time, to the last bit."""
    from pokrovsk_tui.ai.commander import Commander, score
    from pokrovsk_tui.ai.plans import Knobs, Planner, variants
    from pokrovsk_tui.ai.rollout import resolve
    from pokrovsk_tui.ai.situation import situation

    world, states = situations("pokrovsk-winter-2026")
    cmd = Commander("hard")
    lv = cmd.level
    state = states[4]
    for side in (0, 1):
        sit = situation(view(world, state, side))
        plans = [Planner(sit, k, cmd.weights, lv.features).build().orders
                 for k in variants(Knobs(), ["balanced", "bold", "strike"])]
        ctxs = cmd.samples(sit, policy_rng(3, state.turn, side))
        got = cmd.values(sit, plans, ctxs)
        deliv = sit.extra["delivery"]
        wt = cmd.weights.for_side(side)
        want = []
        for o in plans:
            total = 0.0
            for batch, enemy_orders, dice in ctxs:
                after = resolve(world, batch, compile_orders(world, {side: o, 1 - side: enemy_orders}), dice[0],
                                lv.rollout, deliv)
                for d in dice[1:]:
                    after = resolve(world, after, compile_orders(world, {}), Dice(d.seed), lv.rollout, deliv)
                total += float(score(sit, wt, batch, after).mean())
            want.append(total / len(ctxs))
        assert got == want
        assert len(set(got)) > 1          # the plans differ


@pytest.mark.parametrize("dice", [Dice(7), TiledDice(7, 2), BlockDice(7, 2), BlockDice((4, 8, 4), 2),
                                  BlockDice((4, 8, 4), 2, {("combat", "contact"): (1, 2, 0)})],
                         ids=["dice", "tiled", "block", "seed-per-block", "columns"])
def test_dice_read_at_a_few_places_are_those_of_the_whole_draw(dice):
    """``uniform_at`` (close fighting reads its stream on the contested hexes only) gives
    exactly what the whole draw holds there, for every kind of dice."""
    rng = np.random.default_rng(3)
    shape = (6, 2, 5) if not getattr(dice, "columns", None) else (6, 3)
    at = tuple(rng.integers(0, m, 9) for m in shape)
    whole = dice.uniform(4, "combat", "contact", shape)
    assert np.array_equal(dice.uniform_at(4, "combat", "contact", shape, at), whole[at])
    assert dice.uniform_at(4, "combat", "contact", shape, tuple(a[:0] for a in at)).shape == (0,)
    if isinstance(dice, TiledDice):
        with pytest.raises(ValueError, match="blocks of 2|for 3 seeds"):
            dice.uniform_at(4, "combat", "contact", (5, *shape[1:]) if len(shape) == 3 else (5, 3), at)


def test_look_ahead_layers_are_the_whole_layers_read_where_needed():
    """The look-ahead's cheaper layers hold what the plain ones hold: occupancy marked in a
    boolean layer is the units' own hexes, cover levels as int8 are the float ones and the deepest
    entrenchment of the live units next to each hex, however the units stand."""
    from pokrovsk_tui.rules.kernels import occupied
    from pokrovsk_tui.rules.phase_move import cover_levels
    from pokrovsk_tui.rules.work import consts
    from pokrovsk_tui.rules.world import build_world
    from pokrovsk_tui.store.scenarios import load_scenario

    world = build_world(load_scenario("pokrovsk-winter-2026"))
    n, U = world.grid.n, world.n_units
    rng = np.random.default_rng(5)
    hexes = rng.integers(0, 40, (4, U))               # crowded: many units share hexes
    live = rng.random((4, U)) < 0.8
    entrench = rng.integers(0, 4, (4, U))
    side_n = consts(world).side_n
    plain = np.zeros((4, 2, n), bool)                 # unit by unit
    for k in range(4):
        for u in np.flatnonzero(live[k]):
            plain[k, world.u_side[u], hexes[k, u]] = True
    assert np.array_equal(occupied(hexes, live, side_n, n), plain)
    cover = cover_levels(world, hexes, live, entrench)
    assert cover.dtype == float
    assert np.array_equal(cover_levels(world, hexes, live, entrench, np.int8).astype(float), cover)
    nb = world.grid.neighbours
    for k, s, h in [(0, 0, 3), (1, 1, 17), (3, 0, 39), (2, 1, 0)]:
        near = [u for u in range(U) if live[k, u] and world.u_side[u] == s and h in nb[hexes[k, u]]]
        assert cover[k, s, h] == max([entrench[k, u] for u in near], default=0)
