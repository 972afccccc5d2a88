"""Saves: the format round-trips exactly, loading names every defect, migration, autosave."""

import datetime as dt
import re
import tomllib

import numpy as np
import pytest

from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.state import initial_state
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store import migrations, tomlw
from pokrovsk_tui.store.atomic import LOCK_NAME, atomic_write, is_temp, remove_stale_temps
from pokrovsk_tui.store.replay import branch, current_state, start_state, state_at, verify
from pokrovsk_tui.store.savefmt import (
    FORMAT_VERSION,
    Annotation,
    Player,
    Players,
    SideIntents,
    SideOrders,
    Snapshot,
    order_from_text,
    order_text,
)
from pokrovsk_tui.store.saves import (
    SaveError,
    ai_players,
    append_turn,
    autosave,
    autosaves,
    dumps_save,
    load_save,
    new_save,
    safe_name,
    save_from_data,
    save_from_record,
    scenario_text,
    write_save,
)
from pokrovsk_tui.store.scenarios import bundled_dir, load_scenario
from pokrovsk_tui.store.snapshot import decode_state, encode_state, state_digest
from worlds import scenario, unit

TUTORIAL = bundled_dir() / "tutorial-hryshyne.toml"
NOW = dt.datetime(2026, 1, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def world():
    return build_world(load_scenario("tutorial-hryshyne"))


@pytest.fixture(scope="module")
def record(world):
    return play_game(world, (policy_for("random"), policy_for("random")), seed=5, keep_history=True)


@pytest.fixture
def save(record):
    return save_from_record(record, text=TUTORIAL.read_text(), players=ai_players("random", "random"),
                            source="tutorial-hryshyne", now=NOW)


@pytest.fixture
def saved(tmp_path, save):
    return write_save(save, tmp_path / "game.toml")


def problems_of(path_or_data, name="x.toml"):
    with pytest.raises(SaveError) as e:
        if isinstance(path_or_data, dict):
            save_from_data(path_or_data, name)
        else:
            load_save(path_or_data)
    return [str(p) for p in e.value.problems]


# ----- the format --------------------------------------------------------------------------

def test_save_holds_the_whole_game(save, record):
    assert save.format_version == FORMAT_VERSION
    assert save.mode == "ai-vs-ai" and save.players.ua.level == "random"
    assert len(save.turns) == len(record.turns) == 6
    for t, tr in zip(save.turns, record.turns, strict=True):
        assert t.turn == tr.turn
        assert t.digest == state_digest(tr.state)
        assert [o for o in t.orders.ua] == tr.orders[0] and list(t.orders.ru) == tr.orders[1]
        assert [(e.phase, e.kind, e.text) for e in t.events] == [(e.phase, e.kind, e.template) for e in tr.events]


def test_write_load_round_trip_is_exact(saved, save, record, world):
    back = load_save(saved)
    assert dumps_save(back) == dumps_save(save)
    for t, tr in zip(back.turns, record.turns, strict=True):
        state = decode_state(back.world(), t.state)
        assert state.equal(tr.state, tol=0.0) == []
        assert state_digest(state) == t.digest
        for f in ("strength", "cohesion", "supply", "seen_strength", "fire_control", "casualties", "vp"):
            assert np.array_equal(getattr(state, f), getattr(tr.state, f)), f   # bit-exact floats
        ev = [e.why for e in t.events]
        assert all(isinstance(w, dict) for w in ev)


def test_file_is_readable_toml(saved):
    text = saved.read_text()
    data = tomllib.loads(text)
    assert data["format_version"] == FORMAT_VERSION and data["turns_saved"] == 6
    head = text.split("[", 1)[0]
    for key in ("format_version", "app_version", "name", "created", "updated", "mode", "seed", "turns_saved"):
        assert re.search(rf"^{key} = ", head, re.M), key
    t0 = data["turns"][0]
    assert set(t0) >= {"turn", "digest", "orders", "events", "state"}
    assert isinstance(t0["orders"]["ua"][0], str)                        # "ua-93-1 rest"
    assert all(len(row) == 12 and set(row) <= set("urx") for row in t0["state"]["control"])
    assert re.search(r'^  \{id="ua-93-1", hex="\d{4}", (strength=[0-9.]+, )?(cohesion=[0-9.]+, )?supply=', text, re.M)
    assert "[scenario]" in text and text.rstrip().endswith('"""')        # scenario last, its text whole
    assert data["scenario"]["text"] == TUTORIAL.read_text()


def test_orders_one_line_form_round_trips():
    orders = [
        Order(kind="move", unit="ua-1", path=("0102", "0203"), target="0203"),
        Order(kind="move", unit="ua-1", path=("0102",)),
        Order(kind="strike", unit="ua-fpv-1", target="0405", count=7),
        Order(kind="bomb", target="0405", count=2),
        Order(kind="resupply", unit="ua-ugv-1", target_unit="ua-1", count=3),
        Order(kind="dig_in", unit="ua-1"),
        Order(kind="hold", unit="-"),                      # does not fit the line form
        Order(kind="move", unit="u 1", path=("x12",)),      # nor this one
        Order(kind="recon", unit="u", target="@x"),
    ]
    for o in orders:
        text = order_text(o)
        if text is not None:
            assert Order.model_validate(order_from_text(text)) == o, text
    assert order_text(orders[0]) == "ua-1 move @0203 0102 0203"
    assert order_text(orders[3]) == "- bomb @0405 x2"
    assert order_text(orders[6]) is None and order_text(orders[7]) is None


def test_save_of_world_built_in_memory(tmp_path):
    scn = scenario(units=[unit("ua-inf", "ua", "infantry", "0403"), unit("ru-ag", "ru", "assault", "0503")])
    w = build_world(scn)
    rec = play_game(w, (policy_for("random"), policy_for("random")), seed=2, keep_history=True)
    s = save_from_record(rec, text=scenario_text(scn), players=ai_players("random", "random"))
    p = write_save(s, tmp_path / "mini.toml")
    assert verify(load_save(p)).ok


def partial(save, turns=3):
    s = save.model_copy(deep=True)
    s.turns = s.turns[:turns]
    s.turns_saved = turns
    return s


def test_pending_intents_and_annotations_survive(tmp_path, save):
    save = partial(save)
    save.turns[0].intents = SideIntents(ua=["hold Hryshyne"], ru=[])
    save.annotations = [Annotation(turn=2, hex="0404", author="instructor", text='Why "hold"?\nSee turn 3. \\o/ """')]
    save.pending = SideOrders(ua=[Order(kind="dig_in", unit="ua-93-1")], ru=[])
    p = write_save(save, tmp_path / "x.toml")
    back = load_save(p)
    assert back.turns[0].intents.ua == ["hold Hryshyne"]
    assert back.annotations[0].text == 'Why "hold"?\nSee turn 3. \\o/ """' and back.annotations[0].hex == "0404"
    assert back.pending.ua == [Order(kind="dig_in", unit="ua-93-1")]
    assert "[[annotations]]" in p.read_text() and "pending" in p.read_text()


def test_pending_orders_the_engine_refuses_are_reported(tmp_path, save):
    part = partial(save)
    part.pending = SideOrders(ua=[], ru=[Order(kind="dig_in", unit="ua-93-1")])
    out = problems_of(write_save(part, tmp_path / "x.toml"))
    assert any(": pending.ru[0]: " in x and "wrong side" in x for x in out), out
    done = partial(save, 6)
    done.pending = SideOrders(ua=[Order(kind="dig_in", unit="ua-93-1")], ru=[])
    out = problems_of(write_save(done, tmp_path / "y.toml"))
    assert any(": pending: the game is over" in x for x in out), out


# ----- loading: every defect named --------------------------------------------------------

def edit(path, old, new, count=1):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, count))
    return path


@pytest.mark.parametrize(
    "old, new, place, words",
    [
        ("format_version = 4", "format_version = 7", "format_version",
         "format_version 7 is newer than this program reads (4); update pokrovsk-tui"),
        ("format_version = 4", 'format_version = "1"', "format_version", "whole number"),
        ("turns_saved = 6", "turns_saved = 9", "turns", "cut short"),
        ('mode = "ai-vs-ai"', 'mode = "solo"', "mode", "needs 1 human"),
        ('mode = "ai-vs-ai"', 'mode = "chess"', "mode", "Input should be"),
        ("seed = 5", "seed = -5", "seed", "greater than or equal"),
        ('{id="ua-93-1", hex="', '{id="ua-93-9", hex="', "turns[0].state.units[0].id", "expected 'ua-93-1'"),
        ('{id="ua-93-1", hex="', '{id="ua-93-1", hex="9999", x="', "turns[0].state.units[0].x", "unknown field"),
        ('{id="ua-93-1", hex="0', '{id="ua-93-1", hex="9', "turns[0].state.units[0].hex", "off the map"),
        ('{id="ua-93-1", hex="0404", ', '{id="ua-93-1", hex="0404", strength=nan, ', "turns[0].state.units[0].strength",
         "finite"),
        ('digest = "', 'digest = "zz', "turns[0].digest", "pattern"),
        ('turn = 2\n', 'turn = 5\n', "turns[0].state.turn", "must say turn = 2"),
        # the random policy's first Ukrainian order of the game (seed 5)
        ('"ua-93-1 dig_in"', '"ua-93-1 dig_in x2 again"', "turns[0].orders.ua[0]", "cannot read"),
        ('"ua-93-1 dig_in"', '"ua-93-1  dig_in"', "turns[0].orders.ua[0]", "single spaces"),
        ('"ua-93-1 dig_in"', '"ua-93-1 fly"', "turns[0].orders.ua[0].kind", "Input should be"),
        ('"ua-93-1 dig_in"', '"ua-93-1 move @1212 1212"', "turns[0].orders.ua[0]",
         "the engine refuses this order on turn 1 (ua)"),
        ('"ua-93-1 dig_in"', '"ru-ag-1 rest"', "turns[0].orders.ua[0]", "wrong side"),
        ('why=["script", "frost"]', 'why=["script"]', "turns[0].events.weather[0].why", "has 1 values"),
        ('{kind="weather", text=', '{kind="weather", txt=', "turns[0].events.weather[0].txt", "unknown field"),
        ("weather = {weather=", "wetter = {weather=", "turns[0].events.weather[0].why", "why_keys.weather"),
        ("width = 12", "width = 'twelve'", "scenario.text.map.width", "integer"),
        ('hex = "0404"', 'hex = "9904"', "scenario.text.map.settlements[0].hex", "off the map"),
        ('title = "Tutorial', 'title = = "Tutorial', "scenario.text (line", "not valid TOML"),
        ('id = "tutorial-hryshyne"\nsha256', 'id = "other"\nsha256', "scenario.id", "says 'other'"),
        ("seed = 5", "seed = 5\ncolour = 'red'", "colour", "unknown field"),
    ],
)
def test_broken_saves_give_clear_problems(saved, old, new, place, words):
    edit(saved, old, new)
    out = problems_of(saved)
    assert any(line.startswith(f"{saved}: {place}") and words in line for line in out), out


def test_newer_format_refused_with_both_versions(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text("format_version = 7\n")
    assert problems_of(p) == [f"{p}: format_version: format_version 7 is newer than this program reads (4); "
                              "update pokrovsk-tui"]


def test_truncated_and_garbage_files(tmp_path, saved):
    data = saved.read_bytes()
    for cut in (10, len(data) // 3, len(data) // 2, len(data) - 40):
        p = tmp_path / f"cut{cut}.toml"
        p.write_bytes(data[:cut])
        out = problems_of(p)
        assert out and all(line.startswith(f"{p}: ") for line in out)
    p = tmp_path / "zero.toml"
    p.write_bytes(b"")
    assert "is empty" in problems_of(p)[0]
    p.write_bytes(b"\x00\xff" * 100)
    assert "not UTF-8" in problems_of(p)[0]


def test_save_at_a_turn_boundary_is_noticed(tmp_path, saved):
    text = saved.read_text()
    cut = text.index("[[turns]]", text.index("[[turns]]", text.index("[[turns]]") + 1) + 1)
    p = tmp_path / "cut.toml"
    p.write_text(text[:cut])
    out = problems_of(p)
    assert any(": scenario: Field required" in x for x in out)
    assert any(": turns: the file holds 2 turns but turns_saved says 6" in x for x in out)


def test_refused_orders_recorded_in_the_game_load_fine(tmp_path, world):
    bad = Order(kind="move", unit="ua-93-1", path=("1212",))
    save = new_save(world, text=TUTORIAL.read_text(), seed=1, players=ai_players("hold", "hold"), now=NOW)
    state, events = resolve_turn(world, initial_state(world), {0: [bad], 1: []}, Dice(1))
    append_turn(save, 1, {0: [bad], 1: []}, events, state)
    assert any(e.kind == "refused" for e in save.turns[0].events)
    back = load_save(write_save(save, tmp_path / "r.toml"))
    assert back.turns[0].orders.ua == [bad]
    assert verify(back).ok


# ----- migration -------------------------------------------------------------------------

def v0_data(world, record, turns=3):
    return {
        "format_version": 0, "app_version": "0.0.9", "scenario": "tutorial-hryshyne", "seed": record.seed,
        "saved": NOW, "ua": "human:Olena", "ru": "ai:random",
        "turns": [{"turn": tr.turn, "ua": [o.model_dump(exclude_defaults=True) for o in tr.orders[0]],
                   "ru": [o.model_dump(exclude_defaults=True) for o in tr.orders[1]]} for tr in record.turns[:turns]],
    }


def test_v0_save_is_migrated_by_replaying(tmp_path, world, record):
    p = tmp_path / "old.toml"
    p.write_text(tomlw.dumps(v0_data(world, record)))
    s = load_save(p)
    assert s.format_version == FORMAT_VERSION and s.mode == "solo"
    assert s.players.ua == Player(kind="human", name="Olena") and s.players.ru.level == "random"
    assert [t.digest for t in s.turns] == [state_digest(tr.state) for tr in record.turns[:3]]
    assert s.scenario.text == TUTORIAL.read_text()
    assert verify(s).ok
    again = load_save(write_save(s, tmp_path / "new.toml"))
    assert dumps_save(again) == dumps_save(s)


def test_v0_problems_are_placed(tmp_path, world, record):
    d = v0_data(world, record)
    d["scenario"] = "no-such-scenario"
    assert any("scenario: this format 0 save plays bundled scenario 'no-such-scenario'" in x for x in problems_of(d))
    d = v0_data(world, record)
    d["turns"][1]["turn"] = 5
    assert any("turns[1].turn: expected turn 2" in x for x in problems_of(d))
    d = v0_data(world, record)
    d["ua"] = "robot"
    assert any("x.toml: ua:" in x and "format 0" in x for x in problems_of(d))


def test_migration_chain_runs_each_step_in_order():
    seen = []

    def step(v):
        def run(data, name):
            seen.append(v)
            return {**data, "format_version": v + 1, f"by{v}": True}
        return run

    out = migrations.migrate({"format_version": 0}, 0, "x", steps={0: step(0), 1: step(1), 2: step(2)}, target=3)
    assert seen == [0, 1, 2] and out["format_version"] == 3 and out["by2"]
    with pytest.raises(SaveError) as e:
        migrations.migrate({"format_version": 0}, 0, "x", steps={0: step(0)}, target=3)
    assert "no migration from version 1" in str(e.value)
    with pytest.raises(SaveError) as e:
        migrations.migrate({}, 1, "x", steps={1: lambda d, n: {"format_version": 9}}, target=2)
    assert "did not give version 2" in str(e.value)
    assert 0 in migrations.MIGRATIONS
    assert "-3 cannot be read" in problems_of({"format_version": -3})[0]


# ----- replay, verify, branch ------------------------------------------------------------

def test_verify_names_the_first_tampered_turn_and_field(saved):
    text = saved.read_text()
    third = text.index("[turns.state]", text.index("[turns.state]", text.index("[turns.state]") + 1) + 1)
    m = re.compile(r"strength=(\d)").search(text, third)
    digit = "1" if m.group(1) != "1" else "2"
    saved.write_text(text[: m.start(1)] + digit + text[m.end(1):])
    r = verify(load_save(saved))
    assert not r.ok and r.mismatch.turn == 3
    assert re.fullmatch(r"state\.units\[[a-z0-9-]+\]\.strength", r.mismatch.field), r.mismatch


def test_verify_catches_edited_digest_events_and_scenario(saved):
    original = saved.read_text()
    i = original.index('digest = "') + len('digest = "')
    other = "1" if original[i] != "1" else "2"
    for text, field in ((original[:i] + other + original[i + 1:], "digest"),
                        (original.replace('text="Weather: ', 'text="Weathr: ', 1), "events.weather[0].text"),
                        (original.replace("why=[[", 'why=[["9999", ', 1), "events.movement[0].why.planned[0]")):
        saved.write_text(text)
        r = verify(load_save(saved))
        assert not r.ok and r.mismatch.field == field and r.mismatch.turn == 1, r.mismatch
        saved.write_text(original)
    edit(saved, "Six days.", "Seven days.")
    r = verify(load_save(saved))
    assert r.mismatch.field == "scenario.sha256" and r.mismatch.turn is None


def test_branch_starts_at_the_turn_and_replays_the_original(saved, world):
    orig = load_save(saved)
    b = branch(orig, 4, source=str(saved), now=NOW)
    assert b.start_turn == 4 and b.turns == [] and b.lineage[-1].turn == 4
    assert b.lineage[-1].file == str(saved) and b.seed == orig.seed
    assert decode_state(world, b.start).equal(state_at(orig, 4), tol=0.0) == []
    # the same orders from the branch point give the same turns
    for t in orig.turns[3:]:
        state, events = resolve_turn(b.world(), current_state(b), {0: list(t.orders.ua), 1: list(t.orders.ru)},
                                     Dice(b.seed))
        append_turn(b, t.turn, {0: list(t.orders.ua), 1: list(t.orders.ru)}, events, state, now=NOW)
        assert b.turns[-1].digest == t.digest
    assert verify(load_save(write_save(b, saved.with_name("b.toml")))).ok
    # a branch of the branch records both steps
    bb = branch(b, 5, source="b.toml")
    assert [s.turn for s in bb.lineage] == [4, 5]
    with pytest.raises(Exception, match="not in this save"):
        branch(b, 2, source="b.toml")


def test_start_state_of_plain_and_branched_saves(save, world):
    assert start_state(save).equal(initial_state(world), tol=0.0) == []
    assert state_at(save, 7).equal(decode_state(world, save.turns[-1].state), tol=0.0) == []


def test_snapshot_round_trip_with_odd_values(world):
    s = initial_state(world)
    s = s.copy_with(strength=s.strength * 0.1 + 1e-300, supply=np.full_like(s.supply, 1 / 3),
                    cohesion=np.full_like(s.cohesion, -0.0), seen_hex=np.full_like(s.seen_hex, 5),
                    seen_turn=np.full_like(s.seen_turn, 3), seen_strength=np.full_like(s.seen_strength, 0.1),
                    fire_control=np.where(np.arange(s.fire_control.size).reshape(s.fire_control.shape) % 7 == 0,
                                          2.0 ** -40, 0.0),
                    winner=np.array(2), end_reason=np.array(-2), weather=np.array(3),
                    lost=np.ones_like(s.lost), detected=np.ones_like(s.detected))
    back = decode_state(world, Snapshot.model_validate(tomllib.loads(tomlw.dumps(encode_state(world, s)))))
    assert back.equal(s, tol=0.0) == [] and state_digest(back) == state_digest(s)


# ----- autosave, names, atomic writes ------------------------------------------------------

def test_autosave_keeps_the_last_few(tmp_path, world, record):
    other = tmp_path / "someone-else-turn04.toml"
    other.write_text("x")
    save = new_save(world, text=TUTORIAL.read_text(), seed=5, players=ai_players("random", "random"),
                    name="Olena's game: ../../etc", now=NOW)
    written = []
    for tr in record.turns:
        append_turn(save, tr.turn, tr.orders, tr.events, tr.state, now=NOW)
        written.append(autosave(save, tmp_path, keep=3, full_every=1))     # a full file every day
    assert written[0].name == "olena-s-game-etc-turn01.toml"
    names = sorted(p.name for p in tmp_path.iterdir() if p.name != LOCK_NAME)
    assert names == ["olena-s-game-etc-turn04.toml", "olena-s-game-etc-turn05.toml",
                     "olena-s-game-etc-turn06.toml", "someone-else-turn04.toml"]
    assert [p.name for p in autosaves("Olena's game: ../../etc", tmp_path)] == names[:3]
    assert verify(load_save(written[-1])).ok


def test_autosave_default_dir_from_environment(tmp_path, monkeypatch, save):
    monkeypatch.setenv("POKROVSK_SAVE_DIR", str(tmp_path / "env"))
    p = autosave(save)
    assert p.parent == tmp_path / "env" and p.name.endswith("-turn06.toml")
    monkeypatch.delenv("POKROVSK_SAVE_DIR")
    monkeypatch.chdir(tmp_path)
    assert autosave(save).parent.resolve() == (tmp_path / "saves").resolve()


@pytest.mark.parametrize(
    "typed, safe",
    [("Olena vs AI", "olena-vs-ai"), ("../../etc/passwd", "etc-passwd"), ("", "game"), ("..", "game"),
     ("Олена проти ШІ", "olena-proty-shi"), ("Покровськ: зима", "pokrovsk-zyma"), ("CON", "con-game"),
     ("Ærø Café", "r-cafe"), ("a" * 200, "a" * 48), ("-- x --", "x"), ("nul.txt", "nul-txt")],
)
def test_safe_names(typed, safe):
    assert safe_name(typed) == safe


def test_atomic_write_replaces_whole_and_leaves_no_temp(tmp_path):
    p = tmp_path / "f.toml"
    atomic_write(p, "one")
    atomic_write(p, "two")
    assert p.read_text() == "two" and [x.name for x in tmp_path.iterdir()] == ["f.toml"]
    with pytest.raises(OSError):
        atomic_write(tmp_path / "no-dir" / "f.toml", "x")
    stale = tmp_path / ".f.toml.999999999.0123abcd.tmp"
    stale.write_text("half")
    mine = tmp_path / f".f.toml.{__import__('os').getpid()}.0123abcd.tmp"
    mine.write_text("being written")
    assert is_temp(stale) and is_temp(mine) and not is_temp(p)
    assert remove_stale_temps(tmp_path) == [stale]
    assert mine.exists()


def test_players_and_modes():
    assert Players(ua=Player(kind="human", name="A"), ru=Player(kind="ai", level="random")).ua.label() == "human A"
    assert ai_players("hold", "random").ru == Player(kind="ai", level="random")


def test_events_may_also_be_a_plain_list(tmp_path, save):
    data = tomllib.loads(dumps_save(save))
    flat = [e.model_dump(exclude_none=True) for e in save.turns[0].events]
    data["turns"][0]["events"] = flat
    del data["why_keys"]
    for t in data["turns"][1:]:
        t["events"] = {}
    p = tmp_path / "flat.toml"
    p.write_text(tomlw.dumps(data))
    back = load_save(p)
    assert [e.model_dump() for e in back.turns[0].events] == [e.model_dump() for e in save.turns[0].events]
    del data["turns"][0]["events"][1]["phase"]
    p.write_text(tomlw.dumps(data))
    assert any(": turns[0].events[1].phase: missing" in x for x in problems_of(p))


def test_turn_text_is_rewritten_after_a_change(save):
    before = dumps_save(save)
    save.turns[2].intents = SideIntents(ua=["push on"], ru=[])
    after = dumps_save(save)
    assert 'intents = {ua=["push on"]}' in after and after != before
    copy = save.model_copy(deep=True)
    copy.turns[3].events[0].text = "edited"
    assert 'text="edited"' in dumps_save(copy) and 'text="edited"' not in dumps_save(save)


def test_deeply_nested_breakdown_is_refused(saved):
    edit(saved, 'why=["script", "frost"]', 'why=["script", ' + "[" * 200 + "]" * 200 + "]")
    assert any(": turns[0].events.weather[0].why: nested more than 16 deep" in x for x in problems_of(saved))


def test_format_3_glide_bomb_wording_is_migrated_and_verifies(tmp_path, world):
    """Format 3 said "glide bombs by glide bombs on H"; such a save loads as format 4 with the
    events reworded, and its days still replay to the same events."""
    rec = play_game(world, (policy_for("normal"), policy_for("normal")), seed=2, max_turns=2, keep_history=True)
    new = save_from_record(rec, text=TUTORIAL.read_text(), players=ai_players("normal", "normal"),
                           source="tutorial-hryshyne", now=NOW)
    texts = [e.text for t in new.turns for e in t.events if e.kind == "glide_bombs"]
    assert texts and all(t.startswith("glide bombs on ") for t in texts)
    data = tomllib.loads(dumps_save(new))
    data["format_version"] = 3
    for t in data["turns"]:
        for group in t["events"].values():
            for e in group:
                if e["text"].startswith("glide bombs on "):
                    e["text"] = "glide bombs by glide bombs on " + e["text"][len("glide bombs on "):]
    p = tmp_path / "v3.toml"
    p.write_text(tomlw.dumps(data))
    old = load_save(p)
    assert old.format_version == FORMAT_VERSION == 4 and verify(old).ok
    assert [t.events for t in old.turns] == [t.events for t in new.turns]
