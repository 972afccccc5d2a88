"""The autosave journal (issue #15, item 5): between full writes an autosave appends only the
new turns; the full file with its journal loads as the game of today; a crash loses at most
the day being played; quitting writes one whole, readable file."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store import journal
from pokrovsk_tui.store.replay import verify
from pokrovsk_tui.store.saves import (
    ai_players,
    append_turn,
    autosave,
    dumps_save,
    load_save,
    new_save,
)
from pokrovsk_tui.store.scenarios import bundled_dir, load_scenario

TUTORIAL = bundled_dir() / "tutorial-hryshyne.toml"
NOW = dt.datetime(2026, 1, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def record():
    world = build_world(load_scenario("tutorial-hryshyne"))
    return play_game(world, (policy_for("random"), policy_for("random")), seed=5, keep_history=True)


def _game(record):
    return new_save(record.world, text=TUTORIAL.read_text(), seed=5, players=ai_players("random", "random"),
                    name="journal test", now=NOW)


def _play(save, record, upto):
    for tr in record.turns[len(save.turns):upto]:
        append_turn(save, tr.turn, tr.orders, tr.events, tr.state, now=NOW)


def test_between_full_writes_only_the_journal_grows(tmp_path, record):
    save = _game(record)
    _play(save, record, 1)
    base = autosave(save, tmp_path, full_every=3)
    full_bytes = base.read_bytes()
    sizes = []
    for day in (2, 3):
        _play(save, record, day)
        assert autosave(save, tmp_path, full_every=3) == base       # the same full file ...
        assert base.read_bytes() == full_bytes                        # ... untouched
        sizes.append(journal.journal_path(base).stat().st_size)
    assert 0 < sizes[0] < sizes[1] < 2.5 * sizes[0]                   # a day's record each
    loaded = load_save(base)                                          # file + journal: today's game
    assert [t.turn for t in loaded.turns] == [1, 2, 3]
    assert verify(loaded).ok
    assert [t.digest for t in loaded.turns] == [t.digest for t in save.turns]
    _play(save, record, 4)                                            # the 3rd day since: a full write
    full = autosave(save, tmp_path, full_every=3)
    assert full.name.endswith("-turn04.toml") and not journal.journal_path(full).exists()
    assert not journal.journal_path(base).exists()                   # the older file is its own day again
    assert [t.turn for t in load_save(base).turns] == [1]
    assert dumps_save(load_save(full)) == dumps_save(save)


def test_a_crash_mid_record_loses_only_that_day(tmp_path, record):
    save = _game(record)
    _play(save, record, 1)
    base = autosave(save, tmp_path, full_every=5)
    _play(save, record, 2)
    autosave(save, tmp_path, full_every=5)
    _play(save, record, 3)
    autosave(save, tmp_path, full_every=5)
    jp = journal.journal_path(base)
    raw = jp.read_bytes()
    jp.write_bytes(raw[:-200])                      # the last record cut short, as by a crash
    assert [t.turn for t in load_save(base).turns] == [1, 2]
    bad = bytearray(raw)
    bad[len(raw) // 4] ^= 1                         # the first record damaged: nothing of it is used
    jp.write_bytes(bytes(bad))
    assert [t.turn for t in load_save(base).turns] == [1]


def test_saving_with_no_new_turn_merges_into_one_readable_file(tmp_path, record):
    save = _game(record)
    for day in (1, 2, 3):
        _play(save, record, day)
        path = autosave(save, tmp_path, full_every=10)
    assert journal.journal_path(path).exists()
    final = autosave(save, tmp_path, full_every=10)  # quitting: no new turn, so the whole game
    assert final.name.endswith("-turn03.toml") and not journal.journal_path(final).exists()
    data = tomllib.loads(final.read_text())            # plain TOML 1.0, every turn in it
    assert [t["turn"] for t in data["turns"]] == [1, 2, 3]
    assert verify(load_save(final)).ok


def test_the_game_end_is_written_whole(tmp_path, record):
    save = _game(record)
    _play(save, record, 1)
    autosave(save, tmp_path, full_every=100)
    _play(save, record, len(record.turns))
    last = autosave(save, tmp_path, full_every=100)
    assert not journal.journal_path(last).exists()
    assert len(load_save(last).turns) == len(record.turns)


def test_a_loaded_autosave_goes_on_appending_to_its_journal(tmp_path, record):
    save = _game(record)
    _play(save, record, 1)
    base = autosave(save, tmp_path, full_every=5)
    _play(save, record, 2)
    autosave(save, tmp_path, full_every=5)
    again = load_save(base)                         # e.g. Continue after a crash
    tr = record.turns[2]
    append_turn(again, tr.turn, tr.orders, tr.events, tr.state, now=NOW)
    assert autosave(again, tmp_path, full_every=5) == base
    assert [t.turn for t in load_save(base).turns] == [1, 2, 3]


def test_the_load_list_reads_the_journal_s_last_day_cheaply(tmp_path, record):
    save = _game(record)
    _play(save, record, 1)
    base = autosave(save, tmp_path, full_every=5)
    assert journal.last_turn(base) is None
    for day in (2, 3):
        _play(save, record, day)
        autosave(save, tmp_path, full_every=5)
    assert journal.last_turn(base) == 3


def _why_kinds(turn) -> set[tuple[str, str]]:
    return {(e.phase, e.kind) for e in turn.events if isinstance(e.why, dict) and e.why}


def test_breakdown_names_once_written_stay(tmp_path, record):
    """A kind of event first met between full writes gets its breakdown names in that day's
    journal record; the next full write keeps every name the file had (so the turns written
    before keep their text and are not written out again), and file + journal load as the game."""
    save = _game(record)
    _play(save, record, 1)
    base = autosave(save, tmp_path, full_every=50)
    first = tomllib.loads(base.read_text())["why_keys"]
    known = {(p, k) for p, kinds in first.items() for k in kinds}
    day = next(tr.turn for tr in record.turns[1:] if _why_kinds(tr) - known)    # a kind new since day 1
    for d in range(2, day + 1):
        _play(save, record, d)
        assert autosave(save, tmp_path, full_every=50) == base
    new = _why_kinds(save.turns[-1]) - known
    head = journal.records(base)[-1]["journal"]
    assert {(p, k) for p, kinds in head["why_keys"].items() for k in kinds} == new
    loaded = load_save(base)
    assert verify(loaded).ok
    assert dumps_save(loaded) == dumps_save(save)
    _play(save, record, day + 1)
    full = autosave(save, tmp_path, full_every=1)                                # a full write
    names = tomllib.loads(full.read_text())["why_keys"]
    assert all(names[p][k] == keys for p, kinds in first.items() for k, keys in kinds.items())
    assert all(k in names[p] for p, k in new)
    assert verify(load_save(full)).ok
