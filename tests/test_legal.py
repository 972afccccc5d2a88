"""rules/legal.py: what the app highlights is what the engine accepts, over every unit, order
kind and hex of the bundled scenarios' start states and of later states; the target rules
(assaults and raids onto enemy or contested ground only, no fires onto hexes holding only
your own units); order keys with nothing to aim at; the random policy; old saves."""

from __future__ import annotations

import asyncio
import dataclasses
import os

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from pokrovsk_tui.ai.policies import policy_rng, random_orders  # noqa: E402
from pokrovsk_tui.rules import budgets, legal  # noqa: E402
from pokrovsk_tui.rules.dice import Dice  # noqa: E402
from pokrovsk_tui.rules.engine import resolve_turn  # noqa: E402
from pokrovsk_tui.rules.orders import Order, validate  # noqa: E402
from pokrovsk_tui.rules.state import initial_state  # noqa: E402
from pokrovsk_tui.rules.view import view  # noqa: E402
from pokrovsk_tui.rules.world import CONTESTED, build_world  # noqa: E402
from pokrovsk_tui.store.scenarios import bundled_dir, load_scenario  # noqa: E402

TUT = "tutorial-hryshyne"
MAIN = "pokrovsk-winter-2026"


@pytest.fixture(scope="module")
def worlds():
    return {s: build_world(load_scenario(s)) for s in (TUT, MAIN)}


def play_random(world, turns: int, seed: int):
    """The state after some days of both sides playing the random policy."""
    state = initial_state(world)
    dice = Dice(seed)
    for _ in range(turns):
        if state.over:
            break
        orders = {s: random_orders(view(world, state, s), policy_rng(seed, state.turn, s)) for s in (0, 1)}
        state, _ = resolve_turn(world, state, orders, dice)
    return state


def accepted(ctx, order: Order) -> bool:
    ok, bad = validate(ctx, [order])
    return bool(ok) and not bad


def candidate_hexes(world, v, here: int, mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The hexes worth asking about for one unit and order kind: on a small map all of them;
    on a large one the refused hexes nearest the unit and the accepted ones farthest from it
    (the edges of what is legal), every hex holding only own units among the nearest, and a
    random sample of the rest."""
    g = world.grid
    if g.n <= 200:
        return np.arange(g.n)
    d = g.dist_from(here)
    yes, no = np.flatnonzero(mask), np.flatnonzero(~mask)
    own = np.flatnonzero(legal.own_units_only(v))
    pick = [yes[np.argsort(-d[yes], kind="stable")[:15]], no[np.argsort(d[no], kind="stable")[:25]],
            own[np.argsort(d[own], kind="stable")[:10]],
            rng.choice(yes, min(15, yes.size), replace=False), rng.choice(no, min(15, no.size), replace=False)]
    return np.unique(np.concatenate(pick))


def check_agreement(world, state, side: int, seed: int) -> int:
    """Every own unit, every order kind, the candidate hexes: highlighted exactly when
    validate accepts. Returns the number of checks made."""
    v = view(world, state, side)
    ctx = v.context()
    g = world.grid
    rng = np.random.default_rng(seed)
    checks = 0
    for u in v.own_units:
        u = int(u)
        uid = world.unit_ids[u]
        here = int(v.hex[u])
        acts = legal.actions_for(v, u)
        for kind in legal.KINDS:
            target = legal.TARGET_OF[kind]
            if kind == "bomb":
                continue
            if target == "none":
                assert (kind in acts) == accepted(ctx, Order(kind=kind, unit=uid)), (uid, kind)
                checks += 1
                continue
            mask = legal.legal_targets(v, u, kind)
            assert mask.shape == (g.n,) and (kind in acts or not mask.any())
            if target == "unit":
                for other in v.own_units:
                    ok = accepted(ctx, Order(kind=kind, unit=uid, target_unit=world.unit_ids[int(other)]))
                    assert ok == (int(other) in set(legal.resupply_targets(v, u).tolist())), (uid, int(other))
                    checks += 1
                continue
            costs = legal.move_costs(v, u) if kind == "move" else None
            for h in candidate_hexes(world, v, here, mask, rng):
                h = int(h)
                if kind == "move":
                    order = Order(kind="move", unit=uid, path=tuple(g.ids(legal.path_to(v, u, h, costs))))
                else:
                    order = Order(kind=kind, unit=uid, target=g.hex_id(h))
                assert bool(mask[h]) == accepted(ctx, order), (uid, kind, g.hex_id(h), validate(ctx, [order])[1])
                checks += 1
    mask = legal.legal_targets(v, None, "bomb")
    for h in range(0, g.n, 3):
        assert bool(mask[h]) == accepted(ctx, Order(kind="bomb", target=g.hex_id(h))), g.hex_id(h)
        checks += 1
    return checks


@pytest.mark.parametrize("scn,turns,seed", [(TUT, 0, 1), (MAIN, 0, 1), (TUT, 3, 2), (TUT, 6, 3), (MAIN, 3, 4)])
def test_highlighted_exactly_when_validate_accepts(worlds, scn, turns, seed):
    world = worlds[scn]
    state = play_random(world, turns, seed)
    assert state.turn == turns + 1
    for side in (0, 1):
        assert check_agreement(world, state, side, seed) > 100


def test_later_states_have_contested_and_own_only_hexes_to_check(worlds):
    """The agreement test above meets both new target rules on both sides of the line."""
    world = worlds[TUT]
    state = play_random(world, 6, 3)
    v = view(world, state, 0)
    assert legal.own_units_only(v).any()
    attacks = [legal.legal_targets(v, int(u), "assault") for u in v.own_units
               if "assault" in legal.actions_for(v, int(u))]
    assert any(m.any() for m in attacks)


def own_neighbour(world, state, side: int, kind: str = "assault"):
    """A unit of the side able to take this order, and a neighbouring hex of its own ground."""
    v = view(world, state, side)
    for u in v.own_units:
        if kind not in legal.actions_for(v, int(u)):
            continue
        for h in world.grid.neighbours[v.hex[u]]:
            if h >= 0 and world.passable[h] and state.control[h] == side:
                return v, int(u), int(h)
    raise AssertionError("no unit with own ground next to it")


@pytest.mark.parametrize("kind,side", [("assault", 0), ("assault", 1), ("raid", 0), ("infiltrate", 1)])
def test_attacks_onto_own_ground_are_refused_with_the_reason(worlds, kind, side):
    world = worlds[TUT]
    state = initial_state(world)
    v, u, h = own_neighbour(world, state, side, kind)
    hid = world.grid.hex_id(h)
    ok, bad = validate(v.context(), [Order(kind=kind, unit=world.unit_ids[u], target=hid)])
    assert not ok
    assert bad[0].reason == f"illegal target: {hid} is your own ground; {kind} enemy or contested hexes"
    assert not legal.legal_targets(v, u, kind)[h]
    # the unit's own hex is never a target either
    ok, bad = validate(v.context(), [Order(kind=kind, unit=world.unit_ids[u], target=world.grid.hex_id(int(v.hex[u])))])
    assert not ok and "not adjacent" in bad[0].reason


def test_a_hex_holding_an_own_unit_cannot_be_assaulted_until_it_is_contested(worlds):
    world = worlds[TUT]
    state = initial_state(world)
    v = view(world, state, 1)
    g = world.grid
    # an own unit's neighbour that holds another own unit on own ground
    pairs = [(int(a), int(b)) for a in v.own_units for b in v.own_units
             if a != b and g.hex_distance(v.hex[a], v.hex[b]) == 1 and "assault" in legal.actions_for(v, int(a))
             and v.control[v.hex[b]] == 1]
    assert pairs, "the tutorial starts with two Russian units side by side"
    a, b = pairs[0]
    hid = g.hex_id(int(v.hex[b]))
    ctx = v.context()
    assert not accepted(ctx, Order(kind="assault", unit=world.unit_ids[a], target=hid))
    contested = ctx.control.copy()
    contested[v.hex[b]] = CONTESTED
    assert accepted(dataclasses.replace(ctx, control=contested), Order(kind="assault", unit=world.unit_ids[a], target=hid))


@pytest.mark.parametrize("kind", ["strike", "hunt", "fire", "bomb"])
def test_fires_onto_a_hex_holding_only_own_units_are_refused(worlds, kind):
    world = worlds[MAIN]
    state = initial_state(world)
    side = 1 if kind == "bomb" else 0
    v = view(world, state, side)
    ctx = v.context()
    g = world.grid
    if kind == "bomb":
        shooter, uid = None, None
    else:
        shooter = next(int(u) for u in v.own_units if kind in legal.actions_for(v, int(u)))
        uid = world.unit_ids[shooter]
    # an own unit's hex within range (the shooter's own hex is one)
    here = int(v.hex[shooter]) if shooter is not None else int(v.hex[v.own_units[0]])
    hid = g.hex_id(here)
    ok, bad = validate(ctx, [Order(kind=kind, unit=uid, target=hid)])
    assert not ok and bad[0].reason == f"illegal target: {hid} holds only your own units"
    assert bad[0].rule == "own-units"
    assert not legal.legal_targets(v, shooter, kind)[here]
    # contested, the same hex may be shot at: the enemy is there too
    contested = ctx.control.copy()
    contested[here] = CONTESTED
    assert accepted(dataclasses.replace(ctx, control=contested), Order(kind=kind, unit=uid, target=hid))
    # recon over own units stays legal
    if kind == "strike":
        assert accepted(ctx, Order(kind="recon", unit=uid, target=hid))


def test_an_order_with_nothing_to_aim_at_says_so(worlds):
    world = worlds[TUT]
    state = initial_state(world)
    v = view(world, state, 0)
    u = world.unit_index["ua-93-1"]
    assert not legal.legal_targets(v, u, "raid").any()
    here = world.grid.hex_id(int(v.hex[u]))
    assert legal.no_target_reason(v, u, "raid") == f"no hex to raid from here: no enemy or contested hex next to {here}"
    assert legal.no_target_reason(v, u, "move") is None          # it can move
    assert legal.no_target_reason(v, u, "hold") is None          # needs no target
    assert legal.no_target_reason(v, u, "strike") is None        # not its order at all: refused elsewhere
    assert "raid" not in legal.choices(v, u)
    # a drone unit far from every road has no road hex to interdict
    drone = world.unit_index["ua-fpv-1"]
    assert legal.no_target_reason(v, drone, "interdict") is None  # roads in range here
    no_roads = dataclasses.replace(world, road=np.zeros_like(world.road))
    assert legal.no_target_reason(dataclasses.replace(v, world=no_roads), drone, "interdict") == \
        "no road hex in range to interdict"


@pytest.mark.parametrize("scn,turns", [(TUT, 0), (TUT, 4), (MAIN, 0), (MAIN, 2)])
def test_the_random_policy_gives_only_orders_the_engine_accepts(worlds, scn, turns):
    world = worlds[scn]
    state = play_random(world, turns, 11)
    for side in (0, 1):
        v = view(world, state, side)
        for seed in range(3):
            orders = random_orders(v, np.random.default_rng(seed))
            assert orders
            ok, bad = validate(v.context(), orders)
            assert not bad, bad[:3]
            assert len(ok) == len(orders)


def test_budgets_are_the_engines(worlds):
    world = worlds[MAIN]
    v = view(world, initial_state(world), 1)
    drone = next(int(u) for u in v.own_units if "strike" in legal.actions_for(v, int(u)))
    uid = world.unit_ids[drone]
    total = legal.budget_total(v, drone, "strike")
    target = next(int(h) for h in np.flatnonzero(legal.legal_targets(v, drone, "strike")))
    hid = world.grid.hex_id(target)
    orders = [Order(kind="strike", unit=uid, target=hid, count=total)]
    assert accepted(v.context(), orders[0])
    assert budgets.budget_left(v, orders, drone, "recon") == 0
    ok, bad = validate(v.context(), orders + [Order(kind="recon", unit=uid, target=hid)])
    assert len(ok) == 1 and bad[0].reason == "over budget: 0 sorties left today, asked 1"


# ----- old saves -------------------------------------------------------------------------

def test_a_save_played_before_the_new_target_rules_loads_and_verifies(worlds, tmp_path):
    from pokrovsk_tui.store.replay import verify
    from pokrovsk_tui.store.saves import ai_players, append_turn, load_save, new_save, write_save

    world = worlds[TUT]
    state = initial_state(world)
    v, u, h = own_neighbour(world, state, 1, "assault")
    old = Order(kind="assault", unit=world.unit_ids[u], target=world.grid.hex_id(h))
    orders = {0: [], 1: [old]}
    # the game as an older version played it: the own-ground assault was accepted
    dice = Dice(3)
    after, events = resolve_turn(world, state, orders, dice, waive=legal.LATER_RULES)
    assert not any(e.kind == "refused" for e in events)
    text = (bundled_dir() / f"{TUT}.toml").read_text()
    save = new_save(world, text=text, seed=3, players=ai_players("random", "random"))
    append_turn(save, 1, orders, events, after)
    path = write_save(save, tmp_path / "old.toml")
    loaded = load_save(path)                     # no "the engine refuses this order" problem
    result = verify(loaded)
    assert result.ok and result.turns == 1
    # played today, the same order is refused and the refusal is an event of its side
    _, now = resolve_turn(world, state, orders, Dice(3))
    refused = [e for e in now if e.kind == "refused"]
    assert len(refused) == 1 and "your own ground" in refused[0].text and refused[0].visible_to == ("ru",)


def test_a_pending_now_illegal_order_loads_and_is_refused_when_the_day_is_resolved(worlds, tmp_path):
    from pokrovsk_tui.game import persist
    from pokrovsk_tui.game.session import new_session
    from pokrovsk_tui.store.savefmt import SideOrders

    s = new_session(TUT, mode="hotseat", seed=4)
    world = s.world
    _, u, h = own_neighbour(world, s.state, 0, "assault")
    doc = persist.to_save(s)
    doc.pending = SideOrders(ua=[Order(kind="assault", unit=world.unit_ids[u], target=world.grid.hex_id(h))],
                             ru=[], done=[])
    path = tmp_path / "hotseat.toml"
    from pokrovsk_tui.store.saves import write_save

    write_save(doc, path)
    back = persist.load(path)
    rec = back.resolve()
    assert any(e.kind == "refused" and "your own ground" in e.text for e in rec.events)


# ----- the app ---------------------------------------------------------------------------

def test_the_raid_key_without_a_target_says_so_and_stays_out_of_target_mode(tmp_path):
    from pokrovsk_tui.tui.app import PokrovskApp, Start

    async def run():
        app = PokrovskApp(Start(kind="play", scenario=TUT, seed=7), save_dir=tmp_path, check_interrupted=False)
        notes = []
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            for _ in range(3):
                await pilot.pause()
            g = app.game_screen()
            real = app.notify

            def spy(message, *a, **k):
                notes.append((str(message), k.get("title")))
                return real(message, *a, **k)

            app.notify = spy
            g.notify = spy
            g.select_unit(g.session.world.unit_index["ua-93-1"])
            await pilot.pause()
            await pilot.press("r")
            await pilot.pause()
            assert g.action is None
            assert any(m.startswith("no hex to raid from here") for m, _ in notes), notes
            assert g.map.picture.targets is None
            # a key with targets still enters target mode
            await pilot.press("m")
            await pilot.pause()
            assert g.action == "move" and g.map.picture.targets.any()
            assert len(g.session.books[0]) == 0

    asyncio.run(run())
