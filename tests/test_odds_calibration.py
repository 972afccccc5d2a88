"""Calibration of the order previews (rules/odds.py) against the engine.

Over generated situations in which the ordering side's knowledge is the truth (every enemy
unit on the map detected now at the middle of its strength band, dug in as the previews
assume, with adequate supply and its starting cohesion and drones; no unseen units; the enemy holding),
the chance a preview states must match the frequency with which the engine then produces
that outcome over many replications of the real turn (rules.montecarlo.replicate), within
sampling error (a two-sample z-test at 4.5 sigma). Every kind of action has cases, and a
preview made stale on purpose (yesterday's weather, same-day recon ignored) must fail.
"""

from __future__ import annotations

import dataclasses
import os
import zlib

import numpy as np
import pytest

from conftest import ALL_ROLES
from pokrovsk_tui.rules import odds
from pokrovsk_tui.rules.belief import adequate_supply, assumed_entrenchment
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import check_orders
from pokrovsk_tui.rules.montecarlo import replicate
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.params import WEATHERS
from pokrovsk_tui.rules.scenario import Scenario
from pokrovsk_tui.rules.state import GameState, initial_state
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.world import CAUSES, World, build_world
from pokrovsk_tui.store.scenarios import load_scenario

Z = 4.5
K = 1000           # replications on each side of a comparison
# generated situations per world and kind (CALIBRATION_SEEDS=20 for a long run)
SEEDS = int(os.environ.get("CALIBRATION_SEEDS", "1"))


def z_prop(p1: float, p2: float, n1: int, n2: int) -> float:
    """Two-sample z of two proportions (0 when both are the same certainty)."""
    pb = (p1 * n1 + p2 * n2) / (n1 + n2)
    var = pb * (1 - pb) * (1 / n1 + 1 / n2)
    if var <= 0:
        return 0.0 if abs(p1 - p2) < 1e-12 else np.inf
    return abs(p1 - p2) / np.sqrt(var)


def z_mean(m1: float, samples: np.ndarray, n1: int) -> float:
    """z of a stated mean against the engine's samples (the same spread assumed for both)."""
    sd = float(samples.std())
    var = sd * sd * (1 / n1 + 1 / samples.size)
    if var <= 1e-18:
        return 0.0 if abs(m1 - samples.mean()) < 1e-9 else np.inf
    return abs(m1 - float(samples.mean())) / np.sqrt(var)


# ----------------------------------------------------------------- situations

def truthful(world: World, state: GameState, side: int, rng: np.random.Generator) -> GameState:
    """A state whose side's view is the truth (see the module's docstring), with own units'
    strength, cohesion and supply drawn at random."""
    start = initial_state(world)
    enemy = world.u_side != side
    arrived = world.u_arrival <= state.turn - 1
    on_map = state.on_map | (arrived & ~state.lost)
    hexes = np.where(on_map & ~state.on_map, world.u_start_hex, state.hex)
    full = world.u_full
    # enemy strength at the middle of its band (or full strength inside the top band)
    top = np.floor(full / 20).astype(int)
    k = rng.integers(np.minimum(1, top), top + 1)
    e_str = np.minimum(20.0 * k + 10.0, full)
    own = ~enemy
    strength = np.where(enemy, e_str, np.where(own, full * rng.uniform(0.5, 1.0, world.n_units), state.strength))
    cohesion = np.where(enemy, start.cohesion, rng.uniform(40, 100, world.n_units))
    supply = np.where(enemy, np.maximum(start.supply, adequate_supply(world.params)), rng.uniform(10, 90, world.n_units))
    entrench = np.where(enemy, [assumed_entrenchment(world, 1 - side, int(h)) for h in hexes], state.entrench)
    detected = np.zeros((2, world.n_units), bool)
    detected[side] = enemy & on_map
    seen_hex = np.where(detected, hexes[None, :], -1)
    fc = np.zeros_like(state.fire_control)
    fc[side] = rng.uniform(0, 1.0, world.grid.n) * world.road
    return dataclasses.replace(
        state, on_map=on_map, hex=hexes, strength=strength, cohesion=cohesion, supply=supply,
        entrench=entrench.astype(np.int64), stock=np.where(enemy, start.stock, state.stock), isolated=np.zeros_like(state.isolated),
        detected=detected, seen_hex=seen_hex, seen_turn=np.where(detected, state.turn - 1, -1),
        seen_strength=np.where(detected, strength[None, :], 0.0), fire_control=fc)


def accepted(world, state, side, orders) -> bool:
    return not check_orders(world, state, {side: orders})[1]


def candidates(world: World, state: GameState, side: int, kind: str, rng) -> list[list[Order]]:
    """Orders of this kind the side may give (each with, at random, recon of the target)."""
    g = world.grid
    mine = np.flatnonzero(state.on_map & (world.u_side == side))
    enemy = np.flatnonzero(state.on_map & (world.u_side != side))
    e_hex = sorted({int(state.hex[u]) for u in enemy})
    role = world.u_role
    ids = world.unit_ids
    out = []
    drones = [u for u in mine if role[u] == 2]

    def with_recon(h, orders):
        if drones and rng.random() < 0.6:
            d = drones[int(rng.integers(len(drones)))]
            return [Order(kind="recon", unit=ids[d], target=g.hex_id(h), count=int(rng.integers(1, 4)))] + orders
        return orders

    for u in mine:
        here = int(state.hex[u])
        for h in e_hex:
            d = g.hex_distance(here, h)
            hid = g.hex_id(h)
            if kind in ("assault", "infiltrate", "raid") and d == 1:
                out.append([Order(kind=kind, unit=ids[u], target=hid)])
            elif kind in ("strike", "bomber", "hunt") and role[u] == 2 and d <= world.t_range[world.u_type[u]]:
                fpv = bool(world.t_fpv[world.u_type[u]])
                if (kind == "strike" and fpv) or (kind == "bomber" and not fpv) or kind == "hunt":
                    out.append(with_recon(h, [Order(kind="hunt" if kind == "hunt" else "strike", unit=ids[u],
                                                    target=hid, count=int(rng.integers(1, 5)))]))
            elif kind == "fire" and role[u] == 5 and d <= world.t_range[world.u_type[u]]:
                out.append(with_recon(h, [Order(kind="fire", unit=ids[u], target=hid, count=int(rng.integers(1, 5)))]))
        if kind == "interdict" and role[u] == 2:
            for h in np.flatnonzero(world.road & (g.dist_from(here) <= world.t_range[world.u_type[u]])):
                out.append([Order(kind="interdict", unit=ids[u], target=g.hex_id(int(h)), count=int(rng.integers(1, 5)))])
        if kind == "resupply" and role[u] == 3:
            for t in mine:
                if t != u and g.hex_distance(here, state.hex[t]) <= world.t_range[world.u_type[u]]:
                    out.append([Order(kind="resupply", unit=ids[u], target_unit=ids[t], count=int(rng.integers(1, 4)))])
    if kind == "bomb":
        out += [with_recon(h, [Order(kind="bomb", target=g.hex_id(h), count=int(rng.integers(1, 4)))]) for h in e_hex]
    ok = [o for o in out if accepted(world, state, side, o)]
    if kind == "hunt":     # a hunt only touches drone, EW and UGV units
        ok = [o for o in ok if any(role[u] in (2, 3, 4) and state.hex[u] == g.index(o[-1].target) for u in enemy)]
    rng.shuffle(ok)
    return ok


# ----------------------------------------------------------------- comparisons

def compare(world: World, state: GameState, side: int, orders: list[Order], seed: int,
            preview_world: World | None = None, preview_orders: list[Order] | None = None) -> list[tuple[str, float]]:
    """(what, z) for each outcome the preview of the last order states."""
    order = orders[-1]
    pv = view(preview_world or world, state, side)
    po = (preview_orders if preview_orders is not None else orders)[:-1]
    stated = odds.order_odds(pv, po, order, replications=K, seed=seed)
    batch = replicate(world, state, {side: orders, 1 - side: []}, Dice(seed + 1000), K)
    g = world.grid
    enemy = world.u_side != side
    out = []
    if order.kind in ("assault", "infiltrate", "raid"):
        h = g.index(order.target)
        att = world.unit_index[order.unit]
        dfd = enemy & state.on_map & (state.hex == h)
        if order.kind != "raid":
            adv = np.mean(batch.hex[:, att] == h)
            out.append(("attackers advance (E, D or X, if the going holds)",
                        z_prop(stated.p_advance, adv, K, K)))
            stays = np.mean(((batch.hex == h) & batch.on_map & dfd[None, :]).any(axis=1))
            out.append(("a defender holds the hex (R or E)",
                        z_prop(stated.result_probs["R"] + stated.result_probs["E"], stays, K, K)))
        lost = (state.strength[None, :] - batch.strength)[:, dfd].sum(axis=1)
        out.append(("defender losses", z_mean(stated.defender_loss_mean, lost, K)))
    elif order.kind in odds.CAUSE:
        h = g.index(order.target)
        c = CAUSES.index(odds.CAUSE[order.kind])
        lost = batch.casualties[:, 1 - side, c] - state.casualties[1 - side, c]
        out.append(("at least one hit", z_prop(1 - stated.hits_probs[0], np.mean(lost > 1e-9), K, K)))
        out.append(("enemy loss", z_mean(stated.loss_mean, lost, K)))
        if order.kind == "bomb":
            dug = enemy & state.on_map & (state.hex == h) & (state.entrench > 0)
            if dug.any():
                strip = np.mean((batch.entrench[:, dug] < state.entrench[dug]).any(axis=1))
                out.append(("an entrenchment level stripped", z_prop(stated.p_strip, strip, K, K)))
    elif order.kind == "interdict":
        h = g.index(order.target)
        out.append(("fire control on the hex", z_mean(stated.f_mean, batch.fire_control[:, side, h], K)))
    elif order.kind == "resupply":
        r = world.unit_index[order.unit]
        lost_runs = np.rint((state.strength[r] - batch.strength[:, r]) / world.params.ugv_lost_strength)
        arrived = order.count - lost_runs
        out.append(("every run arrives", z_prop(stated.arrived_probs[-1], np.mean(arrived == order.count), K, K)))
        out.append(("runs arriving", z_mean(stated.p_arrive * order.count, arrived, K)))
    return out


def _markov_world() -> World:
    """The all-roles world with Markov weather from day 1 (so today's weather is a draw)."""
    data = dict(ALL_ROLES)
    data["weather"] = {"initial": "frost", "markov": {
        "frost": {"frost": 0.5, "snow": 0.2, "thaw": 0.1, "fog": 0.2},
        "snow": {"frost": 0.3, "snow": 0.4, "thaw": 0.1, "fog": 0.2},
        "thaw": {"frost": 0.3, "snow": 0.2, "thaw": 0.4, "fog": 0.1},
        "fog": {"frost": 0.4, "snow": 0.1, "thaw": 0.1, "fog": 0.4}}}
    return build_world(Scenario.model_validate(data))


@pytest.fixture(scope="module")
def worlds():
    return {"all-roles": build_world(Scenario.model_validate(ALL_ROLES)), "markov": _markov_world(),
            "tutorial": build_world(load_scenario("tutorial-hryshyne"))}


KINDS = ["assault", "infiltrate", "raid", "strike", "bomber", "hunt", "fire", "bomb", "interdict", "resupply"]


def _situation(world: World, seed: int, kind: str):
    """A generated situation for an action kind: a side, a truthful state and orders."""
    rng = np.random.default_rng(seed)
    base = initial_state(world)
    for side in rng.permutation(2):
        turn = int(rng.integers(1, world.scenario.turns + 1))
        state = truthful(world, dataclasses.replace(base, turn=turn, weather=np.array(int(rng.integers(4)))),
                         int(side), rng)
        cands = candidates(world, state, int(side), kind, rng)
        if cands:
            return int(side), state, cands[0]
    return None


@pytest.mark.parametrize("kind", KINDS)
def test_previews_match_the_engine(worlds, kind):
    checked = 0
    worst = []
    for name, world in worlds.items():
        for seed in range(SEEDS):
            sit = _situation(world, zlib.crc32(f"{name} {kind} {seed}".encode()), kind)
            if sit is None:
                continue
            side, state, orders = sit
            for what, z in compare(world, state, side, orders, seed=seed):
                worst.append((z, f"{name} {kind} {orders[-1].describe()}: {what}"))
                checked += 1
    assert checked >= 1, f"no {kind} situation generated"
    bad = [w for w in worst if w[0] > Z]
    assert not bad, f"previews off the engine's frequencies: {bad}"


def test_the_main_map_previews_match():
    world = build_world(load_scenario("pokrovsk-winter-2026"))
    rng = np.random.default_rng(4)
    state = truthful(world, initial_state(world), 0, rng)
    zs = []
    for kind in ("strike", "fire"):
        orders = candidates(world, state, 0, kind, rng)[0]
        zs += compare(world, state, 0, orders, seed=4)
    assert zs and max(z for _, z in zs) < Z, zs


def _strike_case(world, turn=1):
    rng = np.random.default_rng(11)
    state = truthful(world, dataclasses.replace(initial_state(world), turn=turn), 0, rng)
    strike = Order(kind="strike", unit="ua-fpv", target="0605", count=6)
    return state, strike


def test_a_stale_weather_preview_is_caught(worlds):
    """Day 1 of the all-roles world is fog (visibility 0.3): a preview that used yesterday's
    frost, as the old dialog did, states far more hits than the engine gives."""
    world = worlds["all-roles"]
    state, strike = _strike_case(world)
    assert WEATHERS[int(world.weather_script[0])] == "fog"
    stale = dataclasses.replace(world, weather_script=np.full_like(world.weather_script, WEATHERS.index("frost")))
    assert max(z for _, z in compare(world, state, 0, [strike], seed=5)) < Z
    assert max(z for _, z in compare(world, state, 0, [strike], seed=5, preview_world=stale)) > Z


def test_a_preview_that_ignores_same_day_recon_is_caught(worlds):
    world = worlds["all-roles"]
    state, strike = _strike_case(world, turn=2)     # snow: visibility 0.6
    recon = [Order(kind="recon", unit="ua-fpv", target="0605", count=2),
             Order(kind="recon", unit="ua-bomber", target="0605", count=4)]
    orders = recon + [strike]
    assert max(z for _, z in compare(world, state, 0, orders, seed=6)) < Z
    assert max(z for _, z in compare(world, state, 0, orders, seed=6, preview_orders=[strike])) > Z
