"""The engine's cheap paths give exactly what the plain ones give: the random streams (worked
out without numpy's SeedSequence), events whose text is filled in when read, and the
commander's look-ahead batched over its candidate plans."""

import dataclasses
import pickle
import random
import re

import numpy as np
import pytest

from pokrovsk_tui.ai.commander import Commander
from pokrovsk_tui.ai.policies import POLICIES, policy_rng
from pokrovsk_tui.ai.situation import situation
from pokrovsk_tui.rules.dice import PHASES, STREAMS, Dice, DiceWindow, TiledDice, _stream_seed
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.state import initial_state
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario


def numpy_uniform(seed, turn, phase, stream, shape):
    """The streams as numpy makes them: one SeedSequence and PCG64 per (seed, turn, phase, stream)."""
    ss = np.random.SeedSequence(entropy=seed, spawn_key=(turn, PHASES.index(phase), STREAMS[(phase, stream)]))
    return np.random.Generator(np.random.PCG64(ss)).random(shape)


def test_stream_states_are_those_of_numpys_seed_sequence():
    rnd = random.Random(5)
    seeds = [0, 1, 7, 2**31 - 1, 2**32, 2**64 + 3, 2**128 + 5, 2**200 + 1]
    seeds += [rnd.getrandbits(rnd.choice([16, 31, 33, 63, 100])) for _ in range(200)]
    for seed in seeds:
        key = (rnd.choice([1, 2, 21, 2**32 + 1]), rnd.randrange(8), rnd.randrange(5))
        want = np.random.PCG64(np.random.SeedSequence(entropy=seed, spawn_key=key)).state["state"]
        assert _stream_seed(seed, key) == (want["state"], want["inc"]), (seed, key)


@pytest.mark.parametrize("seed", [1, 12345, 2**40 + 9])
def test_draws_match_numpy_windows_and_tiles(seed):
    for (phase, stream) in STREAMS:
        want = numpy_uniform(seed, 3, phase, stream, (7, 5))
        assert np.array_equal(Dice(seed).uniform(3, phase, stream, (7, 5)), want)
        assert np.array_equal(DiceWindow(seed, 4).uniform(3, phase, stream, (3, 5)), want[4:])
        tiled = TiledDice(seed, 2).uniform(3, phase, stream, (6, 5))
        assert np.array_equal(tiled, np.tile(want[:2], (3, 1)))
        g = Dice(seed).generator(3, phase, stream)
        assert np.array_equal(g.random((7, 5)), want)
    with pytest.raises(ValueError, match="blocks of 4"):
        TiledDice(seed, 4).uniform(1, "fires", "missions", (6, 2))


def test_event_text_is_filled_in_when_read():
    made = Event.from_template(4, "fires", "strike", "{0} hits {1} on {{x}}", ("ua",), "0502",
                               ("ua-fpv-1", "ru-ag-1"), {"hits": 2})
    plain = Event(turn=4, phase="fires", kind="strike", text="", template="{0} hits {1} on {{x}}",
                  visible_to=("ua",), hex="0502", units=("ua-fpv-1", "ru-ag-1"), why={"hits": 2})
    assert "text" not in made.__dict__ and "text" not in plain.__dict__       # not rendered yet
    assert made == plain
    assert made.text == "ua-fpv-1 hits ru-ag-1 on {x" + "}}"
    assert pickle.loads(pickle.dumps(plain)).text == made.text
    renamed = dataclasses.replace(plain, text="an enemy unit is hit", units=("?", "?"))
    assert renamed.text == "an enemy unit is hit" and renamed.template == plain.template
    assert made.to_dict()["text"] == made.text
    with pytest.raises(AttributeError):
        _ = made.no_such_field


def test_a_turns_events_name_their_units_when_read():
    world = build_world(load_scenario("tutorial-hryshyne"))
    state = initial_state(world)
    orders = {s: POLICIES["random"](view(world, state, s), policy_rng(2, 1, s)) for s in (0, 1)}
    _, events = resolve_turn(world, state, orders, Dice(2))
    placeholder = re.compile(r"(?<!{){(\d+)}")
    named = [e for e in events if placeholder.search(e.template)]
    assert named
    for e in named:
        assert not placeholder.search(e.text), e.text                   # every placeholder filled
        assert all(e.units[int(k)] in e.text for k in placeholder.findall(e.template)), e.text


def test_batched_look_ahead_scores_each_plan_as_alone():
    world = build_world(load_scenario("tutorial-hryshyne"))
    state = initial_state(world)
    cmd = Commander("hard")
    assert cmd.level.lookahead > 1                  # the days after the first are batched
    v = view(world, state, 1)
    sit = situation(v)
    ctxs = cmd.samples(sit, policy_rng(3, 1, 1))
    options = [POLICIES[lv](v, policy_rng(4, 1, 1)) for lv in ("easy", "normal", "hold", "random")]
    together = cmd.values(sit, options, ctxs)
    alone = [cmd.value(sit, o, ctxs) for o in options]
    assert together == alone
    assert len(set(together)) > 1                   # the plans do score differently
