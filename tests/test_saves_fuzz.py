"""Property and fuzz tests of saves: random games round-trip exactly; damaged files only ever
give the clear error; a saving process killed at any moment leaves a whole file."""

import math
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store import tomlw
from pokrovsk_tui.store.atomic import LOCK_NAME, is_temp, remove_stale_temps
from pokrovsk_tui.store.replay import verify
from pokrovsk_tui.store.saves import (
    SaveError,
    ai_players,
    dumps_save,
    load_save,
    save_from_data,
    save_from_record,
    write_save,
)
from pokrovsk_tui.store.scenarios import bundled_dir, load_scenario, parse_toml_text
from pokrovsk_tui.store.snapshot import decode_state, state_digest

TUTORIAL = bundled_dir() / "tutorial-hryshyne.toml"
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def world():
    return build_world(load_scenario("tutorial-hryshyne"))


@pytest.fixture(scope="module")
def text():
    return TUTORIAL.read_text()


@pytest.fixture(scope="module")
def good_save_text(world, text):
    rec = play_game(world, (policy_for("random"), policy_for("random")), seed=11, keep_history=True, max_turns=4)
    return dumps_save(save_from_record(rec, text=text, players=ai_players("random", "random")))


@given(seed=st.integers(0, 2**31), turns=st.integers(0, 6),
       ua=st.sampled_from(["hold", "random"]), ru=st.sampled_from(["hold", "random"]))
@FAST
def test_random_games_round_trip_exactly(world, text, tmp_path_factory, seed, turns, ua, ru):
    rec = play_game(world, (policy_for(ua), policy_for(ru)), seed=seed, keep_history=True, max_turns=turns)
    save = save_from_record(rec, text=text, players=ai_players(ua, ru))
    path = write_save(save, tmp_path_factory.mktemp("g") / "g.toml")
    back = load_save(path)
    assert len(back.turns) == len(rec.turns)
    for t, tr in zip(back.turns, rec.turns, strict=True):
        state = decode_state(world, t.state)
        assert state.equal(tr.state, tol=0.0) == []
        assert state_digest(state) == state_digest(tr.state) == t.digest
        assert [e.model_dump() for e in t.events] == [e.model_dump() for e in save.turns[t.turn - 1].events]
        assert list(t.orders.ua) == tr.orders[0] and list(t.orders.ru) == tr.orders[1]
    assert dumps_save(back) == dumps_save(save)
    assert verify(back).ok


# ----- the TOML writer ---------------------------------------------------------------------

scalars = (st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
           | st.integers(-2**63, 2**63 - 1) | st.booleans()
           | st.floats(allow_nan=False) | st.just(math.inf) | st.just(-math.inf))
keys = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=5),
                      max_leaves=20)


@given(doc=st.dictionaries(keys, values | st.dictionaries(keys, values, max_size=4), max_size=6),
       long=st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
@settings(max_examples=200, deadline=None)
def test_toml_writer_round_trips_anything(doc, long):
    doc = dict(doc)
    doc["multi\nline"] = long + "\n" + long       # a multi-line string
    doc["items"] = [{"a": long, "b": [1.5, -0.0]}] * 3
    back = tomllib.loads(tomlw.dumps(doc, aot=("items",)))
    assert _same(back, doc)


def _same(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return type(a) is type(b) and a == b


# ----- damaged files -----------------------------------------------------------------------

def _load_damaged(tmp_path, data: bytes):
    p = tmp_path / "damaged.toml"
    p.write_bytes(data)
    try:
        save = load_save(p)
    except SaveError as e:
        assert e.problems
        for prob in e.problems:
            assert prob.file == str(p) and prob.place and prob.message
            assert prob.place != "(save)", f"an unforeseen failure: {prob}"   # the catch-all never needed
        return None
    try:
        verify(save)                      # a file that loads must replay without raising
    except Exception as e:                # noqa: BLE001 - the CLI turns this into one line; note which
        pytest.fail(f"verify raised {type(e).__name__}: {e}")
    return save


@given(data=st.data())
@FAST
def test_truncated_files_give_only_the_clear_error(tmp_path, good_save_text, data):
    raw = good_save_text.encode()
    cut = data.draw(st.integers(0, len(raw) - 1))
    save = _load_damaged(tmp_path, raw[:cut])
    # a cut file is refused, unless only the last line break went (then nothing is lost)
    assert save is None or (raw[cut:].strip() == b"" and dumps_save(save) == good_save_text)


@given(data=st.data())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_mutated_files_give_only_the_clear_error(tmp_path, good_save_text, data):
    raw = bytearray(good_save_text.encode())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        how = data.draw(st.sampled_from(["flip", "delete", "insert", "dup-line"]))
        if how == "flip":
            raw[at] = data.draw(st.sampled_from(b'0123456789.-"{}[]=,x \n\x00\xff'))
        elif how == "delete":
            del raw[at: at + data.draw(st.integers(1, 40))]
        elif how == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=8))
        else:
            start = raw.rfind(b"\n", 0, at) + 1
            end = raw.find(b"\n", at)
            raw[start:start] = raw[start:end + 1] if end > 0 else b""
    _load_damaged(tmp_path, bytes(raw))


HOSTILE_VALUES = [10**30, -(10**30), -1, 0, 2**63, 1e308, -1e308, float("inf"), "x" * 500, "", [], {}, True,
                  "9999", "../../etc/passwd", [[[[]]]], {"a": {"b": {}}},
                  10**5000, -(10**5000), float("nan"), 1000, 1001, 10**6 + 1, "\x1b[2J\x07", "\u202e" * 3]


@given(data=st.data())
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_hostile_values_anywhere_give_only_the_clear_error(good_save_text, data):
    doc, problems = parse_toml_text(good_save_text, "x")
    assert not problems
    # walk to a random place in the document and put a hostile value there
    node = doc
    for _ in range(data.draw(st.integers(1, 6))):
        if isinstance(node, dict) and node:
            k = data.draw(st.sampled_from(sorted(node)))
            if not isinstance(node[k], dict | list) or not node[k] or data.draw(st.booleans()):
                node[k] = data.draw(st.sampled_from(HOSTILE_VALUES))
                break
            node = node[k]
        elif isinstance(node, list) and node:
            i = data.draw(st.integers(0, len(node) - 1))
            if not isinstance(node[i], dict | list) or not node[i] or data.draw(st.booleans()):
                node[i] = data.draw(st.sampled_from(HOSTILE_VALUES))
                break
            node = node[i]
        else:
            break
    try:
        save = save_from_data(doc, "x")
    except SaveError as e:
        assert all(p.place != "(save)" for p in e.problems), e.problems
        return
    verify(save)


# ----- a process killed while saving -------------------------------------------------------

CHILD = textwrap.dedent("""
    import sys
    from pokrovsk_tui.store.saves import load_save, write_save
    a, b = load_save(sys.argv[1]), load_save(sys.argv[2])
    target = sys.argv[3]
    write_save(a, target)
    print("ready", flush=True)
    while True:
        write_save(b, target)
        write_save(a, target)
""")


def test_sigkill_during_saves_never_leaves_a_broken_file(tmp_path, world, text):
    recs = [play_game(world, (policy_for("random"), policy_for("random")), seed=s, keep_history=True, max_turns=n)
            for s, n in ((1, 6), (2, 3))]
    a, b = (write_save(save_from_record(r, text=text, players=ai_players("random", "random")), tmp_path / f"{n}.toml")
            for r, n in zip(recs, "ab", strict=True))
    digests = {load_save(p).turns[-1].digest for p in (a, b)}
    folder = tmp_path / "saves"
    folder.mkdir()
    target = folder / "game.toml"
    rnd = random.Random(1234)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    for _ in range(5):
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(a), str(b), str(target)],
                                stdout=subprocess.PIPE, text=True, env=env)
        try:
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(rnd.uniform(0.0, 0.08))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        survivor = load_save(target)                              # whole and loadable
        assert survivor.turns[-1].digest in digests
        assert verify(survivor).ok
        leftovers = [p for p in folder.iterdir() if p != target and p.name != LOCK_NAME]
        assert all(is_temp(p) for p in leftovers), leftovers     # only temporary files, named as such
        remove_stale_temps(folder)
        assert [p for p in folder.iterdir() if p.name != LOCK_NAME] == [target]


@given(digits=st.integers(4290, 6000), data=st.data())
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_integers_too_long_for_python_give_the_clear_error(tmp_path, good_save_text, digits, data):
    import re

    spots = [m for m in re.finditer(r"(?m)= (\d+)$", good_save_text)]
    m = data.draw(st.sampled_from(spots))
    text = good_save_text[:m.start(1)] + "7" * digits + good_save_text[m.end(1):]
    save = _load_damaged(tmp_path, text.encode())
    assert save is None
