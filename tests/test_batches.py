"""Heterogeneous batches: replications that start from *different* states (other games, other
days, other scenarios' situations) resolved in one vectorised call. Replication i must be
exactly that state resolved alone with the same dice rows (row i of every random stream), so
nothing of replication 0 (its attackers, its masks) may leak into the others."""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pytest

from conftest import ALL_ROLES
from pokrovsk_tui.ai.policies import policy_rng, random_orders
from pokrovsk_tui.rules.dice import Dice, DiceWindow
from pokrovsk_tui.rules.engine import check_orders, resolve_batch, resolve_turn
from pokrovsk_tui.rules.orders import Order, compile_orders
from pokrovsk_tui.rules.scenario import Scenario
from pokrovsk_tui.rules.state import ARRAY_FIELDS, GameState, initial_state
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario
from worlds import unit, world_and_state

SEEDS = range(4)          # random games played per scenario
TURNS = 6                 # days of each game kept as starting states


def orders_for(world, state, seed):
    return {s: random_orders(view(world, state, s), policy_rng(seed, state.turn, s)) for s in (0, 1)}


@cache
def situations(name: str):
    """(world, states): the states of a few random games, day by day (games still running)."""
    scn = Scenario.model_validate(ALL_ROLES) if name == "all-roles" else load_scenario(name)
    world = build_world(scn)
    states = []
    for seed in SEEDS:
        dice, state = Dice(1000 + seed), initial_state(world)
        for _ in range(TURNS):
            if state.over:
                break
            states.append(state)
            state, _ = resolve_turn(world, state, orders_for(world, state, seed), dice)
    return world, states


def stack(states: list[GameState], turn: int) -> GameState:
    """One (K, ...) batch of the given states, all resolving day ``turn``."""
    return dataclasses.replace(states[0], turn=turn,
                               **{f: np.stack([getattr(s, f) for s in states]) for f in ARRAY_FIELDS})


def relocated(world, state: GameState, co, rng) -> GameState:
    """The state with every attacker standing on another neighbour of its target: the same
    attack launched from other hexes (as determinised states of one view differ)."""
    hexes = state.hex.copy()
    for u in np.flatnonzero(co.target >= 0):
        nb = world.grid.neighbours[co.target[u]]
        nb = nb[(nb >= 0) & world.passable[np.maximum(nb, 0)]]
        if nb.size:
            hexes[u] = rng.choice(nb)
    return state.copy_with(hex=hexes)


def batches(name: str, count: int, k: int):
    """``count`` heterogeneous batches: a base state and its orders, then k - 1 other states
    resolving the same orders on the same day: other games and other days, and the base
    state with its attackers moved to other hexes around their targets."""
    world, states = situations(name)
    rng = np.random.default_rng(len(states) + sum(map(ord, name)))
    for b in range(count):
        pick = rng.choice(len(states), size=k, replace=False)
        base = states[pick[0]]
        accepted, _ = check_orders(world, base, orders_for(world, base, 50 + b))
        co = compile_orders(world, accepted)
        members = [base] + [states[i].copy_with(turn=base.turn) if j % 2 else relocated(world, base, co, rng)
                            for j, i in enumerate(pick[1:], 1)]
        yield world, members, co, 7000 + b


def mismatches(world, members, co, seed) -> list[str]:
    """Where replication i of the batch differs from member i resolved alone with row i of the dice."""
    batch = resolve_batch(world, stack(members, members[0].turn), co, Dice(seed))
    out = []
    for i, s in enumerate(members):
        alone = resolve_batch(world, s.batched(1), co, DiceWindow(seed, i)).replica(0)
        diff = batch.replica(i).equal(alone)
        if diff:
            out.append(f"replication {i}: {diff}")
    return out


@pytest.mark.parametrize("name", ["all-roles", "tutorial-hryshyne", "pokrovsk-winter-2026"])
def test_replication_i_of_a_heterogeneous_batch_is_that_state_resolved_alone(name):
    count = {"all-roles": 60, "tutorial-hryshyne": 30, "pokrovsk-winter-2026": 10}[name]
    bad = []
    for b, (world, members, co, seed) in enumerate(batches(name, count, k=6)):
        bad += [f"batch {b} (seed {seed}) {m}" for m in mismatches(world, members, co, seed)]
    assert bad == [], f"{len(bad)} replications differ from their single resolution: {bad[:5]}"


def test_defenders_retreat_away_from_their_own_replications_attackers():
    """Three RU assault groups crush one weak UA company: in even replications they attack
    from the east, in odd ones from the west. Each replication's defender retreats away from
    *its* attackers and matches its single resolution (before the fix the west replications
    retreated away from replication 0's eastern attackers, into the attack)."""
    units = [unit("ua-inf", "ua", "infantry", "0403", strength=15, entrenchment=0)] + [
        unit(f"ru-ag-{i}", "ru", "assault", "0503") for i in range(3)]
    world, east = world_and_state(units)
    g = world.grid
    target = g.index("0403")
    ru = [world.unit_index[f"ru-ag-{i}"] for i in range(3)]
    west_hexes = [h for h in g.neighbours[target] if h >= 0 and g.col[h] < g.col[target]]
    hexes = east.hex.copy()
    hexes[ru] = [west_hexes[i % len(west_hexes)] for i in range(3)]
    west = east.copy_with(hex=hexes)
    orders = {1: [Order(kind="assault", unit=f"ru-ag-{i}", target="0403") for i in range(3)]}
    accepted, refused = check_orders(world, east, orders)
    assert refused == []
    co = compile_orders(world, accepted)
    members = [east, west] * 10
    batch = resolve_batch(world, stack(members, 1), co, Dice(3))
    ua = world.unit_index["ua-inf"]
    retreats = {"east": 0, "west": 0}
    for i, m in enumerate(members):
        alone = resolve_batch(world, m.batched(1), co, DiceWindow(3, i)).replica(0)
        assert batch.replica(i).equal(alone) == [], f"replication {i}"
        new = int(batch.hex[i, ua])
        if batch.on_map[i, ua] and new != target:
            src = np.unique(m.hex[ru])
            assert g.dist_pairs(src, new).min() > g.dist_pairs(src, target).min(), (i, g.hex_id(new))
            retreats["west" if i % 2 else "east"] += 1
    assert retreats["east"] >= 3 and retreats["west"] >= 3, retreats


def test_a_chunk_of_a_heterogeneous_batch_draws_its_own_rows():
    """Rows a..b of a batch resolved on their own (dice window from a) equal the same rows of
    the whole batch: how Monte Carlo splits its replications into chunks."""
    for world, members, co, seed in batches("all-roles", 5, k=6):
        whole = resolve_batch(world, stack(members, members[0].turn), co, Dice(seed))
        part = resolve_batch(world, stack(members[2:5], members[0].turn), co, DiceWindow(seed, 2))
        for j in range(3):
            assert part.replica(j).equal(whole.replica(2 + j)) == []


def test_replication_0_of_a_batch_keeps_the_single_resolutions_events():
    """Events are written for replication 0: with other states behind it, they are still the
    events of replication 0's state resolved alone."""
    for world, members, co, seed in batches("all-roles", 8, k=4):
        ev_batch, ev_alone = [], []
        resolve_batch(world, stack(members, members[0].turn), co, Dice(seed), ev_batch)
        resolve_batch(world, members[0].batched(1), co, Dice(seed), ev_alone)
        assert [(e.phase, e.kind, e.text) for e in ev_batch] == [(e.phase, e.kind, e.text) for e in ev_alone]
