"""Hand-edited saves are shown: each turn's orders_digest seals its orders and intents to its
state digest, so an edited order shows even when it changes nothing; validate and verify say
so (naming the turn and the field), loading still works and says it; format 1 saves migrate."""

import re

import pytest

from pokrovsk_tui.cli import main
from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.replay import verify
from pokrovsk_tui.store.savefmt import FORMAT_VERSION
from pokrovsk_tui.store.saves import ai_players, load_save, save_from_record, write_save
from pokrovsk_tui.store.scenarios import bundled_dir, load_scenario

TUTORIAL = bundled_dir() / "tutorial-hryshyne.toml"


@pytest.fixture(scope="module")
def text_of_save():
    world = build_world(load_scenario("tutorial-hryshyne"))
    rec = play_game(world, (policy_for("easy"), policy_for("easy")), seed=9, keep_history=True, max_turns=4)
    save = save_from_record(rec, text=TUTORIAL.read_text(), players=ai_players("easy", "easy"))
    return save


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def _write(tmp_path, text, name="s.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_an_intent_edited_by_hand_changes_no_outcome_but_is_shown(tmp_path, capsys, text_of_save):
    p = write_save(text_of_save, tmp_path / "s.toml")
    text = p.read_text()
    at = text.index("[turns.intents]")
    first = re.compile(r'"([^"\n]+)"').search(text, at)
    edited = text[:first.start(1)] + "hold the line (edited)" + text[first.end(1):]
    p.write_text(edited)
    save = load_save(p)                          # it still loads...
    assert [pr.place for pr in save.modified_by_hand()] == ["turns[0].orders"]   # ...marked as modified
    code, out = run(capsys, "validate", str(p))
    assert code == 1 and f"{p}: turns[0].orders: modified by hand: the orders or intents of turn 1" in out
    code, out = run(capsys, "verify", str(p))
    assert code == 1 and f"{p}: turn 1: orders: modified by hand" in out, out


def test_an_order_edited_by_hand_is_caught(tmp_path, capsys, text_of_save):
    p = write_save(text_of_save, tmp_path / "s.toml")
    text = p.read_text()
    m = re.search(r'"(ru-[a-z0-9-]+) interdict @(\d{4}) x2"', text)
    assert m
    p.write_text(text[:m.start()] + f'"{m.group(1)} interdict @{m.group(2)}"' + text[m.end():])
    code, out = run(capsys, "validate", str(p))
    assert code == 1 and "orders: modified by hand" in out, out
    code, out = run(capsys, "verify", str(p))
    assert code == 1 and re.search(r"turn \d+: (orders: modified by hand|state)", out), out


def test_a_state_edited_by_hand_is_flagged_on_load(tmp_path, capsys, text_of_save):
    p = write_save(text_of_save, tmp_path / "s.toml")
    text = p.read_text()
    m = re.compile(r"supply ?= ?(\d+(\.\d+)?)").search(text, text.index("[turns.state]"))
    edited = text[:m.start(1)] + ("55.5" if m.group(1) != "55.5" else "44.4") + text[m.end(1):]
    p.write_text(edited)
    save = load_save(p)
    assert any(pr.place.endswith(".state") and "modified by hand" in pr.message for pr in save.modified_by_hand())
    code, out = run(capsys, "validate", str(p))
    assert code == 1 and "modified by hand: the state after turn" in out


def test_a_save_without_order_digests_migrates_and_verifies(tmp_path, capsys, text_of_save):
    p = write_save(text_of_save, tmp_path / "s.toml")
    v1 = re.sub(r"^orders_digest = .*\n", "", p.read_text(), flags=re.M)
    v1 = v1.replace(f"format_version = {FORMAT_VERSION}", "format_version = 2", 1)
    old = _write(tmp_path, v1, "v1.toml")
    save = load_save(old)
    assert save.format_version == FORMAT_VERSION and not save.modified_by_hand()
    assert verify(save).ok
    code, out = run(capsys, "validate", str(old))
    assert code == 0, out


def test_untouched_saves_are_not_flagged(tmp_path, capsys, text_of_save):
    p = write_save(text_of_save, tmp_path / "s.toml")
    assert not load_save(p).modified_by_hand()
    code, out = run(capsys, "validate", str(p))
    assert code == 0 and ": ok (save of tutorial-hryshyne" in out


def test_a_turn_changed_in_memory_after_loading_is_caught_by_verify(tmp_path, text_of_save):
    """Verify uses what loading found out about each turn (its decoded state's digest, its
    orders' seal, the rules it was played without); a turn set anew forgets it."""
    p = write_save(text_of_save, tmp_path / "s.toml")
    save = load_save(p)
    assert save.turns[1].checked() and verify(save).ok
    save.turns[1].state = save.turns[2].state.model_copy(deep=True)     # digest left as it was
    res = verify(save)
    assert not res.ok and res.mismatch.turn == save.turns[1].turn and res.mismatch.field.startswith("state")
    save = load_save(p)
    save.turns[0].orders = save.turns[1].orders.model_copy(deep=True)
    res = verify(save)
    assert not res.ok and res.mismatch.turn == save.turns[0].turn
