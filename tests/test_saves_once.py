"""Saves that scale (issue 15, item 5): a session keeps each played turn once (in its save
document once saved, decoded back when read), and verifying a save just loaded replays it
with the orders check loading made instead of making it again, still catching any edit."""

import gc
import math

import pytest

from pokrovsk_tui.game import persist
from pokrovsk_tui.game.history import KEEP_DECODED, History
from pokrovsk_tui.game.loop import TurnRecord
from pokrovsk_tui.game.session import new_session
from pokrovsk_tui.rules import engine
from pokrovsk_tui.store import replay, save_load
from pokrovsk_tui.store.replay import _is_plain, verify
from pokrovsk_tui.store.saves import load_save
from pokrovsk_tui.store.snapshot import plain

TUT = "tutorial-hryshyne"


def played(seed=5, days=4, mode="watch"):
    s = new_session(TUT, mode=mode, ai_level="random", seed=seed)
    for _ in range(days):
        s.resolve()
    return s


def kept_records(history: History) -> int:
    """Turns the history holds as records (unsaved ones, and saved ones kept decoded)."""
    return sum(isinstance(x, TurnRecord) for x in history._items) + len(history._decoded)


# ----- each turn kept once ---------------------------------------------------------------

def test_a_saved_turn_is_kept_only_in_the_save_document():
    s = played(days=5)
    before = [(r.turn, r.orders, [e.text for e in r.events], r.state, r.intents) for r in s.history]
    assert kept_records(s.history) == 5                      # nothing saved yet: the engine's records
    doc = persist.to_save(s)
    assert len(doc.turns) == 5
    assert not any(isinstance(x, TurnRecord) for x in s.history._items)     # each turn once, in the doc
    assert len(s.history._decoded) <= KEEP_DECODED
    # read back, the history is the same game: turns, orders, intents, event texts, states
    for (turn, orders, texts, state, intents), rec in zip(before, s.history, strict=True):
        assert rec.turn == turn and rec.orders == orders and rec.intents == intents
        assert [e.text for e in rec.events] == texts
        assert rec.state.equal(state, tol=0.0) == []
    assert len(s.history._decoded) <= KEEP_DECODED          # reading every turn keeps only the latest few
    assert s.history[-1] is s.last and s.state.turn == 6
    assert s.previous_state(s.history[2]).equal(before[1][3], tol=0.0) == []     # found by its turn
    # the game goes on: a new day is a record until the next save takes it
    s.resolve()
    assert isinstance(s.history._items[-1], TurnRecord) and len(s.history) == 6
    persist.to_save(s)
    assert len(doc.turns) == 6 and not any(isinstance(x, TurnRecord) for x in s.history._items)


def test_the_latest_day_is_not_decoded_again_after_an_autosave(tmp_path):
    s = played(days=2)
    last = s.last
    persist.autosave(s, tmp_path)
    assert s.last is last and s.state is last.state          # the screens keep reading the same objects


def test_a_loaded_game_decodes_only_the_turns_it_reads(tmp_path, monkeypatch):
    path = persist.write(played(days=5), tmp_path / "g.toml")
    import pokrovsk_tui.store.snapshot as snapshot

    calls = []
    real = snapshot.decode_state
    monkeypatch.setattr(snapshot, "decode_state", lambda *a, **k: calls.append(1) or real(*a, **k))
    s = persist.load(path)
    calls.clear()
    assert s.turn == 6 and len(s.history) == 5
    assert len(calls) == 1                                   # the last day, to play on from
    assert [r.turn for r in s.history] == [1, 2, 3, 4, 5] and len(calls) == 6
    assert kept_records(s.history) <= KEEP_DECODED


def test_history_is_a_sequence_of_records():
    s = played(days=3)
    persist.to_save(s)
    h = s.history
    assert [r.turn for r in h] == [1, 2, 3] == [r.turn for r in h[:]] == [h[i].turn for i in range(-3, 0)]
    assert [r.turn for r in h[1:]] == [2, 3] and h.index(h[1]) == 1
    with pytest.raises(IndexError):
        h[3]
    with pytest.raises(ValueError, match="turn 9"):
        h.index(TurnRecord(9, {}, [], s.state))


# ----- verify reuses the load's checks, and still catches edits --------------------------

def test_verify_after_loading_does_not_check_the_orders_again(tmp_path, monkeypatch):
    path = persist.write(played(days=4), tmp_path / "g.toml")
    save = load_save(path)
    calls = []
    real = engine.check_orders
    monkeypatch.setattr(engine, "check_orders", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert verify(save).ok and calls == []                   # loading checked every turn's orders
    assert [s for _, s, _ in replay.replay(save)] and calls == []
    save.turns[1].orders = save.turns[1].orders.model_copy(deep=True)      # set anew: checked again
    assert verify(save).ok and len(calls) == 1


def test_a_reused_check_still_catches_an_edited_order(tmp_path):
    """An order edited in the file loads (the save is marked modified by hand) and verify
    replays the edited orders with the check loading made of them: the first turn differs."""
    path = persist.write(played(days=4), tmp_path / "g.toml")
    text = path.read_text()
    i = text.index('  "ua-93-1 ')
    j = text.index('"', i + 3)
    path.write_text(text[:i] + '  "ua-93-1 ' + ("rest" if text[i + 11:j] != "rest" else "dig_in") + text[j:])
    save = load_save(path)
    assert save.modified_by_hand() and save.turns[0].checked().get("orders") is not None
    r = verify(save)
    assert not r.ok and r.mismatch.turn == 1


def test_loading_and_verifying_leave_the_cycle_collector_as_it_was(tmp_path):
    path = persist.write(played(days=2), tmp_path / "g.toml")
    assert gc.isenabled()
    verify(load_save(path))
    assert gc.isenabled()
    (tmp_path / "bad.toml").write_text("format_version = 4\nname = 3\n")
    with pytest.raises(save_load.SaveError):
        load_save(tmp_path / "bad.toml")
    assert gc.isenabled()
    gc.disable()
    try:
        load_save(path)
        assert not gc.isenabled()                            # a caller's choice is kept
    finally:
        gc.enable()


@pytest.mark.parametrize("saved, raw", [
    ({"a": 1.2346}, {"a": 1.23456}), ({"a": 1.2345}, {"a": 1.23456}), ({"a": [1, "none"]}, {"a": (1, None)}),
    ({"a": [1]}, {"a": (1, None)}), ({"a": 1}, {"a": 1, "b": None}), ({"a": 1, "b": 2}, {"a": 1}),
    ({"a": {"x": [0.5, "s"]}}, {"a": {"x": [0.5, "s"]}}), ({"a": {"x": [0.5, "t"]}}, {"a": {"x": [0.5, "s"]}}),
    ({"1": 2}, {1: 2}), ({"a": True}, {"a": True}), ({"a": "1"}, {"a": 1}), ({"a": [1]}, {"a": 1}),
    ({"a": math.pi}, {"a": math.pi}), ({"a": 3.1416}, {"a": math.pi}), ({}, {"a": None}),
    # tables and lists of plain values only, compared in one go
    ({"a": 1.2346, "b": "x"}, {"a": 1.23456, "b": "x", "c": None}), ({"a": 1.2346}, {"a": 1.23456, "b": 0}),
    ({"a": [1.2346, "none", "s"]}, {"a": [1.23456, None, "s"]}), ({"a": [1.2346, "s"]}, {"a": [1.23456, None]}),
    ({"a": 2, "b": False}, {"a": 2, "b": True}),
])
def test_the_quick_comparison_of_breakdowns_is_that_of_their_saved_form(saved, raw):
    import numpy as np

    assert _is_plain(saved, raw) == (saved == plain(raw))
    with_numpy = {k: np.float64(v) if type(v) is float else np.array(v) if type(v) is tuple else v
                  for k, v in raw.items()}
    assert _is_plain(saved, with_numpy) == (saved == plain(with_numpy))
