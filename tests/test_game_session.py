"""The application layer's session (game/session.py): order editing with undo, redo and a
validated replace, and the flow of a day (finish_orders / after_day say what comes next),
in solo, hot-seat and watch games; the one game loop shared with headless play."""

from __future__ import annotations

import pytest

from pokrovsk_tui.game import persist
from pokrovsk_tui.game.loop import TurnRecord, decide, policy_rng
from pokrovsk_tui.game.session import (
    HANDOFF,
    ORDERS,
    OVER,
    PLAY_ON,
    RESOLVE,
    RESULTS,
    Next,
    new_session,
)
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.orders import Order

TUT = "tutorial-hryshyne"


def _far_hex(s, uid: str) -> str:
    """A hex far from the unit: an assault there is out of reach."""
    v = s.view(0)
    here = int(v.hex[s.world.unit_index[uid]])
    g = s.world.grid
    return g.hex_id(int(g.dist_from(here).argmax()))


# ----- orders -----------------------------------------------------------------------------

def test_undo_and_redo_go_through_the_session_and_mark_it_unsaved():
    s = new_session(TUT, seed=1)
    assert not s.undo(0) and not s.redo(0)          # nothing to undo yet
    assert s.give(0, Order(kind="dig_in", unit="ua-93-1")) is None
    assert s.give(0, Order(kind="rest", unit="ua-93-2")) is None
    s.saved()
    assert s.undo(0) and [o.kind for o in s.books[0]] == ["dig_in"] and s.unsaved
    assert s.undo(0) and len(s.books[0]) == 0
    assert not s.undo(0)
    assert s.redo(0) and s.redo(0) and [o.kind for o in s.books[0]] == ["dig_in", "rest"]
    assert not s.redo(0)
    assert len(s.books[1]) == 0                     # the other side's book is its own


def test_remove_order_is_undoable():
    s = new_session(TUT, seed=1)
    s.give(0, Order(kind="dig_in", unit="ua-93-1"))
    s.saved()
    assert s.remove_order(0, 0).kind == "dig_in" and len(s.books[0]) == 0 and s.unsaved
    assert s.undo(0) and [o.kind for o in s.books[0]] == ["dig_in"]


def test_a_validated_replace_refuses_an_illegal_order_and_changes_nothing():
    s = new_session(TUT, seed=1)
    old = Order(kind="dig_in", unit="ua-93-1")
    assert s.give(0, old) is None
    s.saved()
    bad = Order(kind="assault", unit="ua-93-1", target=_far_hex(s, "ua-93-1"))
    r = s.replace(0, old, bad)
    assert r is not None and r.order == bad and r.reason      # refused, and why
    assert list(s.books[0]) == [old] and not s.unsaved
    assert s.undo(0) and len(s.books[0]) == 0                 # only the give was recorded


def test_a_validated_replace_is_one_undo_step():
    s = new_session(TUT, seed=1)
    old = Order(kind="dig_in", unit="ua-93-1")
    s.give(0, old)
    s.give(0, Order(kind="rest", unit="ua-93-2"))
    new = Order(kind="rest", unit="ua-93-1")
    assert s.replace(0, old, new) is None
    assert [o.kind for o in s.books[0] if o.unit == "ua-93-1"] == ["rest"] and len(s.books[0]) == 2
    assert s.undo(0) and [o.kind for o in s.books[0] if o.unit == "ua-93-1"] == ["dig_in"]


def test_replacing_an_order_no_longer_in_the_book_gives_it():
    s = new_session(TUT, seed=1)
    gone = Order(kind="dig_in", unit="ua-93-1")
    assert s.replace(0, gone, Order(kind="rest", unit="ua-93-2")) is None
    assert [o.kind for o in s.books[0]] == ["rest"]


def test_count_left_counts_back_the_order_it_replaces():
    s = new_session(TUT, seed=2)
    probe = Order(kind="strike", unit="ua-fpv-1", target="0805", count=1)
    unit = s.world.unit_index["ua-fpv-1"]
    total = s.count_left(0, unit, "strike", probe)
    assert total >= 2
    assert s.give(0, probe.model_copy(update={"count": 2})) is None
    assert s.count_left(0, unit, "strike", probe) == total          # the same slot: replaced
    other = Order(kind="strike", unit="ua-fpv-1", target="0806", count=1)
    assert s.count_left(0, unit, "strike", other) == total - 2


# ----- whose turn -------------------------------------------------------------------------

def test_solo_finishing_orders_resolves_then_shows_the_player_the_results():
    s = new_session(TUT, seed=3)
    assert s.opening_side() == 0
    assert s.what_follows(0) == Next(RESOLVE) and not s.finished(0)    # asking changes nothing
    assert s.finish_orders(0, "hold the line") == Next(RESOLVE)
    assert s.finished(0) and s.intents[0] == ["hold the line"] and s.unsaved
    rec = s.resolve()
    assert isinstance(rec, TurnRecord) and rec.intents[0] == ["hold the line"]
    assert s.after_day(rec) == Next(RESULTS, 0)
    assert not s.finished(0)


def test_solo_as_russia_opens_on_the_russian_side():
    s = new_session(TUT, side=1, seed=3)
    assert s.opening_side() == 1 and s.finish_orders(1) == Next(RESOLVE)


def test_hot_seat_hands_off_then_resolves_then_hands_back_to_ukraine():
    s = new_session(TUT, mode="hotseat", seed=4)
    assert s.opening_side() == 0
    assert s.finish_orders(0) == Next(HANDOFF, 1)
    assert s.opening_side() == 1                    # a game saved here reopens at the handoff
    assert s.finish_orders(1) == Next(RESOLVE)
    rec = s.resolve()
    assert s.after_day(rec) == Next(HANDOFF, 0)


def test_what_a_game_opens_on_is_the_session_s_answer():
    assert new_session(TUT, seed=3).opening() == Next(ORDERS, 0)
    assert new_session(TUT, side=1, seed=3).opening() == Next(ORDERS, 1)
    assert new_session(TUT, mode="watch", ai_level="hold", seed=3).opening() == Next(PLAY_ON)
    s = new_session(TUT, mode="hotseat", seed=4)
    assert s.opening() == Next(HANDOFF, 0)
    s.finish_orders(0)
    assert s.opening() == Next(HANDOFF, 1)          # saved here, it reopens at the handoff
    s.finish_orders(1)
    s.resolve()
    assert s.opening() == Next(HANDOFF, 0)


def test_hot_seat_second_player_first_hands_off_to_the_first():
    s = new_session(TUT, mode="hotseat", seed=4)
    assert s.finish_orders(1) == Next(HANDOFF, 0)
    assert s.finish_orders(0) == Next(RESOLVE)


def test_a_day_that_cannot_be_resolved_reopens_the_orders():
    s = new_session(TUT, mode="hotseat", seed=4)
    s.finish_orders(0)
    s.finish_orders(1)
    s.reopen_orders()
    assert not s.finished(0) and not s.finished(1) and s.opening_side() == 0


def test_watch_plays_on_and_every_mode_ends_in_game_over():
    ends = {}
    for mode in ("watch", "hotseat", "solo"):
        s = new_session(TUT, mode=mode, ai_level="hold", seed=5)
        assert s.opening_side() == (None if mode == "watch" else 0)
        while not s.over:
            for side in s.human_sides():
                s.finish_orders(side)
            rec = s.resolve()
            nxt = s.after_day(rec)
            if not s.over:
                assert nxt.kind == {"watch": PLAY_ON, "hotseat": HANDOFF, "solo": RESULTS}[mode]
        ends[mode] = nxt
        assert s.opening() == Next(OVER)            # reopened, a finished game shows its result
        assert s.finish_orders(0) == Next(OVER) and not s.finished(0)
        with pytest.raises(ValueError, match="over"):
            s.resolve()
    # solo: the player sees the last day's results first (then the result)
    assert ends == {"watch": Next(OVER), "hotseat": Next(OVER), "solo": Next(RESULTS, 0)}


# ----- one loop, one way to ask a policy -------------------------------------------------

def test_the_session_and_headless_play_are_the_same_game():
    s = new_session(TUT, mode="watch", ai_level="easy", seed=7)
    for _ in range(3):
        s.resolve()
    rec = play_game(s.world, ("easy", "easy"), seed=7, max_turns=3, keep_history=True)
    assert [t.turn for t in rec.turns] == [t.turn for t in s.history] == [1, 2, 3]
    for a, b in zip(s.history, rec.turns, strict=True):
        assert a.orders == b.orders and a.intents == b.intents
        assert [e.text for e in a.events] == [e.text for e in b.events]
        assert a.state.equal(b.state, tol=0.0) == []          # no difference


def test_decide_takes_a_name_or_a_policy_and_gives_the_commander_s_intent():
    s = new_session(TUT, seed=8)
    v = s.view(1)
    orders, intent = decide("normal", v, policy_rng(8, 1, 1))
    assert intent and all(isinstance(x, str) for x in intent)
    assert decide("normal", v, policy_rng(8, 1, 1)) == (orders, intent)      # deterministic
    assert decide(lambda view, rng: [], v, policy_rng(8, 1, 1)) == ([], [])
    assert decide("hold", v, policy_rng(8, 1, 1)) == ([], [])


# ----- the session's save document -------------------------------------------------------

def test_the_save_document_has_a_public_home_on_the_session(tmp_path):
    s = new_session(TUT, mode="hotseat", seed=9)
    assert s.save_doc is None
    doc = persist.to_save(s)
    assert s.save_doc is doc
    s.finish_orders(0)
    s.finish_orders(1)
    s.resolve()
    assert persist.to_save(s) is doc and len(doc.turns) == 1         # new turns appended to it
    assert s.unsaved and s.save_path is None
    path = persist.write(s, tmp_path / "g.toml")
    assert not s.unsaved and s.save_path == path                     # session.saved(path)
    back = persist.load(path)
    assert back.save_doc is not None and len(back.save_doc.turns) == 1 and not back.unsaved
    assert back.save_path == path
    assert persist.other_game_at(back, path) is None                 # its own file
    other = persist.write(new_session(TUT, seed=11), tmp_path / "other.toml")
    assert "tutorial-hryshyne" in (persist.other_game_at(back, other) or "")


def test_take_command_opens_a_branch_as_the_running_game(tmp_path):
    s = new_session(TUT, mode="watch", ai_level="random", seed=10)
    for _ in range(3):
        s.resolve()
    src = persist.write(s, tmp_path / "played.toml")
    before = src.read_bytes()
    path, branch = persist.take_command(persist.load(src).save_doc, src, 2, mode="solo", side=1, level="easy",
                                        folder=tmp_path)
    assert path.exists() and path != src and src.read_bytes() == before       # the original untouched
    assert branch.turn == 2 and branch.history == [] and branch.mode == "solo"     # starts at day 2
    assert branch.opening_side() == 1 and branch.players[0].level == "easy"
    assert branch.initial.equal(s.history[0].state, tol=0.0) == []
    assert persist.interrupted(tmp_path) == path                              # marked as the open game


def test_the_screens_edit_no_orders_and_decide_no_turn_themselves():
    """The screens (and the app) show the session and ask it: nothing in tui/ marks a side
    done, builds an order book, validates orders, marks the game saved or unsaved or decides
    what a game opens on (``session.opening()``) on its own."""
    import ast
    import pathlib

    import pokrovsk_tui.tui as tui

    found = []
    for path in pathlib.Path(tui.__path__[0]).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AugAssign | ast.AnnAssign) else []
            for t in targets:
                base = t.value if isinstance(t, ast.Subscript) else t
                owner = ast.unparse(base.value) if isinstance(base, ast.Attribute) else ""
                if owner and base.attr in ("done", "unsaved", "books", "intents", "save_path") \
                        and ("session" in owner or owner == "s"):
                    found.append(f"{path.name}:{node.lineno} {ast.unparse(t)}")
            if isinstance(node, ast.Name) and node.id in ("OrderBook", "validate"):
                found.append(f"{path.name}:{node.lineno} uses {node.id}")
    assert found == [], found
    game = (pathlib.Path(tui.__path__[0]) / "screens" / "game.py").read_text()
    assert "session.opening()" in game and '.mode == "hotseat"' not in game


def test_the_application_layer_reads_no_other_object_s_private_fields():
    """game/ reaches the store and the rules by their public names (a save's file stamps
    through ``store.saves.is_its_file``, not ``SaveGame._disk``)."""
    import ast
    import pathlib

    import pokrovsk_tui.game as game

    found = []
    for path in pathlib.Path(game.__path__[0]).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                    and ast.unparse(node.value) not in ("self", "cls"):
                found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    assert found == [], found


def test_quitting_folds_the_journal_into_one_whole_file(tmp_path):
    """Days autosaved between whole writes go to a journal; folding it on quitting leaves the
    latest day as one readable file with no journal beside it, which loads as the game."""
    from pokrovsk_tui.store import journal

    s = new_session(TUT, mode="watch", ai_level="easy", seed=4)
    assert persist.fold_journal(s, tmp_path) is None                  # nothing autosaved yet
    for _ in range(3):
        s.resolve()
        first = persist.autosave(s, tmp_path)
    assert journal.journal_path(first).exists()                        # days 2 and 3 journaled
    assert first.name.endswith("-turn01.toml")
    whole = persist.fold_journal(s, tmp_path)
    assert whole is not None and whole.name.endswith("-turn03.toml")
    assert not journal.journal_path(whole).exists() and not journal.journal_path(first).exists()
    back = persist.load(whole)
    assert back.turn == s.turn and len(back.history) == 3
    assert persist.fold_journal(s, tmp_path) is None                  # folded: nothing more to do
