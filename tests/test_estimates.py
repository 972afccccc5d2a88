"""The app's overlays and the computer's estimates are the engine's own fields, not a copy."""

import numpy as np

from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.estimates import (
    jamming_estimate,
    killzone_estimate,
    own_effort,
    posts_jamming,
)
from pokrovsk_tui.rules.orders import compile_orders
from pokrovsk_tui.rules.phase_sense import _static_effort, combine_jamming, jamming
from pokrovsk_tui.rules.state import initial_state
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.work import Work
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario


def test_effort_and_own_jamming_equal_the_engines():
    world = build_world(load_scenario("pokrovsk-winter-2026"))
    st, _ = resolve_turn(world, initial_state(world), {}, Dice(3))
    work = Work(world, st.batched(1), compile_orders(world, {}), Dice(3), None)
    engine_effort = _static_effort(work, work.hex, work.live)[0]
    engine_jam = jamming(work)[0]
    for side in (0, 1):
        v = view(world, st, side)
        assert np.allclose(own_effort(v, 0.0, 1.0), engine_effort[side])
        assert np.allclose(jamming_estimate(v)[side], engine_jam[side])


def test_the_kill_zone_estimate_counts_only_seen_drones_and_own_jamming():
    world = build_world(load_scenario("pokrovsk-winter-2026"))
    st = initial_state(world)
    for _ in range(2):
        st, _ = resolve_turn(world, st, {}, Dice(5))
    v = view(world, st, 0)
    kz = killzone_estimate(v, 1.0)
    seen_drones = [c for c in v.contacts if world.u_role[world.unit_index[c.unit]] == 2]
    assert (kz > 0).any() == bool(seen_drones)
    blind = view(world, st, 0)
    object.__setattr__(blind, "contacts", ())
    assert not killzone_estimate(blind, 1.0).any()


def test_assumed_entrenchments_of_the_map_are_hex_by_hex():
    """The whole map's assumed entrenchment (the planner's table) is the hex-by-hex rule:
    Ukrainian defenders 3 in towns, 2 in villages and industry, 1 elsewhere; Russian ones 1."""
    from pokrovsk_tui.rules.estimates import assumed_entrenchment, assumed_entrenchments

    for name in ("pokrovsk-winter-2026", "tutorial-hryshyne"):
        world = build_world(load_scenario(name))
        for enemy in (0, 1):
            table = assumed_entrenchments(world, enemy)
            assert table.tolist() == [assumed_entrenchment(world, enemy, h) for h in range(world.grid.n)]
    assert set(assumed_entrenchments(build_world(load_scenario("pokrovsk-winter-2026")), 0).tolist()) == {1, 2, 3}
    from pokrovsk_tui.rules.params import TERRAINS

    world = build_world(load_scenario("pokrovsk-winter-2026"))
    for h in range(world.grid.n):                      # the rule, hex by hex from the terrain
        t = TERRAINS[world.terrain[h]]
        want = 3 if t == "urban" else 2 if t in ("village", "industrial") else 1
        assert assumed_entrenchment(world, 0, h) == want and assumed_entrenchment(world, 1, h) == 1


def test_posts_jamming_covers_each_posts_radius_and_combines_the_posts_on_a_hex():
    world = build_world(load_scenario("pokrovsk-winter-2026"))
    v = view(world, initial_state(world), 0)
    g = world.grid
    ew = np.flatnonzero(world.role_is("ew") & (world.u_side == 1))[:2]
    assert ew.size == 2 and not world.role_is("ew")[0]
    t = world.u_type[ew]
    centre = g.n // 2
    at = np.array([centre, int(g.disk(1)[centre][1])], np.int64)      # two posts side by side
    jam = posts_jamming(v, np.concatenate([ew, [0]]), np.concatenate([at, [centre]]))  # slot 0: not EW
    assert not jam[0].any()                                     # the posts are all side 1's
    for h in range(g.n):
        cover = g.dist_pairs(h, at) <= world.t_ew_radius[t]
        want = combine_jamming(world.t_ew_strength[t][cover]) if cover.any() else 0.0
        assert jam[1, h] == want
    assert jam[1, centre] > world.t_ew_strength[t].max()        # both posts cover the centre
    assert not posts_jamming(v, np.zeros(0, np.int64), np.zeros(0, np.int64)).any()
