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


def _shared_and_alone(world_states, lv, knobs, prepare=lambda sit: None):
    """For every state and side: each plan of ``knobs`` built one after the other on one
    situation, beside the same plan built alone on a fresh one (``prepare`` readies a
    situation); the plans' orders must be the same. Yields (knobs, shared plan, alone plan)."""
    world, states = world_states
    for state in states:
        for side in (0, 1):
            v = view(world, state, side)
            if not v.own.any():
                continue
            shared = situation(v)
            prepare(shared)
            together = [Planner(shared, k, None, lv.features).build() for k in knobs]
            for k, plan in zip(knobs, together, strict=True):
                fresh = situation(v)
                prepare(fresh)
                alone = Planner(fresh, k, None, lv.features).build()
                assert [o.model_dump_json() for o in plan.orders] == [o.model_dump_json() for o in alone.orders], k.name
                yield k, plan, alone


@pytest.mark.parametrize("level", ["normal", "hard"])
def test_plans_sharing_a_day_equal_plans_alone(world_states, level):
    """The day's caches (attack table, targets, orders, support moves...) change no plan:
    every candidate built after the others on one situation is the plan built alone."""
    lv = LEVELS[level]
    n_orders = 0
    for k, plan, alone in _shared_and_alone(world_states, lv, variants(Knobs(), list(lv.candidates))):
        assert plan.notes == alone.notes and plan.assaults == alone.assaults, k.name
        n_orders += len(plan.orders)
    assert n_orders > 100


def test_focus_plans_sharing_a_day_equal_plans_alone(world_states):
    """The hard level's sector plans share the day's attack options with the other plans (only
    the value of the ground differs): each equals the same plan built on a fresh situation."""
    from pokrovsk_tui.ai.commander import sectors

    lv = LEVELS["hard"]
    knobs = variants(Knobs(), list(lv.candidates))
    focus = [Knobs(name=f"focus-{i + 1}", focus=i, focus_weight=2.5) for i in range(lv.sector_variants)]

    def with_sectors(sit):
        sit.extra["sectors"] = sectors(sit, lv.sector_variants)

    n_attacks = 0
    for k, plan, alone in _shared_and_alone(world_states, lv, knobs + focus, with_sectors):
        assert plan.assaults == alone.assaults, k.name
        n_attacks += len(plan.assaults) * (k.focus >= 0)
    assert n_attacks > 0          # the sector plans attacked somewhere


def test_at_once_helpers_equal_one_at_a_time():
    """``belief.going_chances`` and ``belief.crt_columns`` give, to the bit, what
    ``going_chance`` and ``crt_column_at`` give one hex or ratio at a time; ``own_effort``
    given the units' own watch equals ``own_effort`` working it out."""
    from pokrovsk_tui.rules.belief import crt_column_at, crt_columns, going_chance, going_chances
    from pokrovsk_tui.rules.estimates import own_effort

    world, states = situations("pokrovsk-winter-2026")
    p = world.params
    for weather in range(4):
        row = going_chances(p, world, weather).tolist()
        assert row == [going_chance(p, world, weather, h) for h in range(world.grid.n)]
    ratios = np.concatenate([np.linspace(0.0, 12.0, 241), np.array(p.crt_ratios, float), [1e-9, 1e9]])
    assert crt_columns(p, ratios) == [crt_column_at(p, float(r)) for r in ratios]
    for state in states[::6]:
        for side in (0, 1):
            v = view(world, state, side)
            static = own_effort(v, 0.0, 0.8)
            for share in (0.0, 0.15, 0.45, 0.8):
                assert own_effort(v, share, 0.8, static=static).tobytes() == own_effort(v, share, 0.8).tobytes()


def test_best_near_kept_answers_are_fresh_answers():
    """``Static.best_near`` keeps its last answers: asked again, it gives what it worked out
    (a copy: changing one answer changes no later one)."""
    from pokrovsk_tui.ai.static import static

    world, _states = situations("pokrovsk-winter-2026")
    st = static(world)
    rng = np.random.default_rng(2)
    maps = [np.where(rng.random(world.grid.n) < 0.02, rng.integers(1, 5, world.grid.n) * 1.5, 0.0) for _ in range(20)]
    first = [st.best_near(v) for v in maps]
    for v, want in zip(maps + maps[::-1], first + first[::-1], strict=True):
        got = st.best_near(v)
        assert got.tobytes() == st._best_near(v).tobytes() == want.tobytes()
        got[:] = -1.0
    assert len(st._best_near_memo) <= 16


def _same_csr(a, b) -> bool:
    return (a.shape == b.shape and a.indptr.tolist() == b.indptr.tolist() and a.indices.tolist() == b.indices.tolist()
            and a.data.tobytes() == b.data.tobytes())


def test_planner_graphs_are_the_graphs_scipy_builds():
    """``Static.graph`` builds, from the edge order kept per world, the very CSR arrays scipy
    builds from the edge lists (forward, reversed, with a start row before the goals), so the
    searches on them give the same distances and next hops, ties included."""
    from scipy.sparse import csr_matrix

    from pokrovsk_tui.ai.static import static

    world, _states = situations("pokrovsk-winter-2026")
    st = static(world)
    n = world.grid.n
    src, dst = st.edges
    rng = np.random.default_rng(4)
    for _ in range(6):
        wts = np.round(rng.random(src.size) * 4, 1)
        wts[rng.random(src.size) < 0.1] = np.inf
        keep = np.isfinite(wts) & (rng.random(src.size) < 0.9)
        want = csr_matrix((wts[keep], (src[keep], dst[keep])), shape=(n, n))
        assert _same_csr(st.graph(wts, keep), want)
        goals = rng.choice(n, 25, replace=False)
        bonus = rng.random(25)
        want = csr_matrix((np.concatenate([wts[keep], bonus]),
                           (np.concatenate([dst[keep], np.full(25, n)]), np.concatenate([src[keep], goals]))),
                          shape=(n + 1, n + 1))
        assert _same_csr(st.graph(wts, keep, reverse=True, extra=(goals, bonus)), want)
        # a goal listed twice: scipy sums the two entries, and so does the graph (scipy's build)
        twice = np.concatenate([goals, goals[:1]])
        want = csr_matrix((np.concatenate([wts[keep], bonus, bonus[:1]]),
                           (np.concatenate([dst[keep], np.full(26, n)]), np.concatenate([src[keep], twice]))),
                          shape=(n + 1, n + 1))
        assert _same_csr(st.graph(wts, keep, reverse=True, extra=(twice, np.concatenate([bonus, bonus[:1]]))), want)


def test_kept_distance_fields_and_batched_checks_equal_one_at_a_time(world_states):
    """``belief.nearest_distance`` gives what the grid works out (read-only: a kept answer
    cannot be changed); a planner's ``targets_ok`` equals ``target_ok`` hex by hex, and the
    drones it sorts by distance are those sorted one by one."""
    from pokrovsk_tui.ai.plans_fires import _by_distance
    from pokrovsk_tui.rules.belief import nearest_distance

    world, states = world_states
    g = world.grid
    rng = np.random.default_rng(6)
    for _ in range(12):
        hexes = rng.integers(0, g.n, int(rng.integers(1, 40)))
        got = nearest_distance(world, hexes)
        assert got.tolist() == g.nearest_distance(hexes).tolist()
        assert nearest_distance(world, hexes[::-1]) is got
        with pytest.raises(ValueError):
            got[0] = 5
    for state in states[:3]:
        for side in (0, 1):
            v = view(world, state, side)
            pl = Planner(situation(v), Knobs(), features=LEVELS["normal"].features)
            hexes = tuple(int(h) for h in rng.integers(0, g.n, 30))
            for u in (int(u) for u in v.own_units[:40]):
                for kind in ("strike", "recon", "interdict", "fire", "assault"):
                    assert pl.targets_ok(u, kind, hexes) == tuple(
                        legal.target_refusal(v, u, kind, h) is None for h in hexes), (u, kind)
            units = [int(u) for u in v.own_units]
            for h in hexes[:5]:
                assert _by_distance(g, v.hex, units, h) == sorted(units, key=lambda u: (g.hex_distance(v.hex[u], h), u))


def test_ground_held_before_once_per_sample_is_the_scores_own(world_states):
    """The look-ahead's score takes the value of the ground held before once per sample and
    repeats it for every plan: each row's value is the hexes the side holds at their value,
    less the enemy's (contested ones count nothing), and passing it changes no score."""
    from pokrovsk_tui.ai.commander import score, territory
    from pokrovsk_tui.ai.plans import Weights
    from test_batches import stack

    world, states = world_states
    for side in (0, 1):
        sit = situation(view(world, states[-1], side))
        before = stack(states[:3], states[-1].turn)
        after = stack(states[1:4], states[-1].turn)
        terr = territory(sit, before.control)
        # to the bit, the plain arithmetic: (own - enemy) * value hex by hex, summed along each row
        c = before.control
        plain_terr = (((c == side).astype(float) - (c == 1 - side).astype(float)) * sit.hex_value[None, :]).sum(axis=1)
        assert terr.tobytes() == (plain_terr + 0.0).tobytes()
        for row, c in zip(terr.tolist(), before.control, strict=True):
            want = float(sit.hex_value[c == side].sum() - sit.hex_value[c == 1 - side].sum())
            assert row == pytest.approx(want)
        wt = Weights().for_side(side)
        plain = score(sit, wt, before, after)
        assert (score(sit, wt, before, after, terr).tobytes() == plain.tobytes())
        assert np.unique(before.control).size > 1 and not np.array_equal(terr, territory(sit, after.control))
