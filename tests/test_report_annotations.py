"""An instructor's annotations: add, edit, delete, validated; they survive save and load."""

import datetime as dt
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pokrovsk_tui.cli import main
from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store import annotations as notes
from pokrovsk_tui.store.annotations import AnnotationError
from pokrovsk_tui.store.atomic import LOCK_NAME
from pokrovsk_tui.store.replay import verify
from pokrovsk_tui.store.savefmt import Annotation
from pokrovsk_tui.store.saves import (
    ai_players,
    dumps_save,
    load_save,
    save_from_data,
    save_from_record,
    write_save,
)
from pokrovsk_tui.store.scenarios import bundled_dir, load_scenario

TUTORIAL = bundled_dir() / "tutorial-hryshyne.toml"
NOW = dt.datetime(2026, 1, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def record():
    world = build_world(load_scenario("tutorial-hryshyne"))
    return play_game(world, (policy_for("random"), policy_for("random")), seed=4, max_turns=4, keep_history=True)


@pytest.fixture
def path(tmp_path, record):
    save = save_from_record(record, text=TUTORIAL.read_text(), players=ai_players("random", "random"), now=NOW)
    return write_save(save, tmp_path / "game.toml")


def test_add_edit_delete_survive_save_and_load(path):
    save = load_save(path)
    assert notes.turn_range(save) == (0, 4)
    a = notes.add_annotation(save, 2, "  The RU infiltration\nworked here.  ", hex="0506", author="Maj. K")
    b = notes.add_annotation(save, 0, "Set-up: note the stronghold")
    c = notes.add_annotation(save, 4, "Last day", hex=" 0405 ")
    assert (a, b, c) == (0, 1, 2)
    write_save(save, path)
    back = load_save(path)
    assert back.annotations == [Annotation(turn=2, hex="0506", author="Maj. K", text="The RU infiltration\nworked here."),
                                Annotation(turn=0, text="Set-up: note the stronghold"),
                                Annotation(turn=4, hex="0405", text="Last day")]
    assert [i for i, _ in notes.annotations_at(back)] == [1, 0, 2]
    assert [a.text for _, a in notes.annotations_at(back, 4)] == ["Last day"]

    notes.edit_annotation(back, 0, text="Edited", hex=None)
    notes.edit_annotation(back, 2, turn=3, author="Capt. L")
    gone = notes.delete_annotation(back, 1)
    assert gone.text.startswith("Set-up")
    write_save(back, path)
    again = load_save(path)
    assert again.annotations == [Annotation(turn=2, text="Edited", author="Maj. K"),
                                 Annotation(turn=3, hex="0405", author="Capt. L", text="Last day")]
    assert verify(again).ok                 # notes never touch the game itself


@pytest.mark.parametrize("kwargs, field, words", [
    ({"turn": 5}, "turn", "turn 5 is not in this game"),
    ({"turn": -1}, "turn", "not in this game"),
    ({"turn": True}, "turn", "whole number"),
    ({"turn": "2"}, "turn", "whole number"),
    ({"hex": "9999"}, "hex", "off the map"),
    ({"hex": "20x2"}, "hex", "four digits"),
    ({"hex": ""}, "hex", "hex id"),
    ({"text": "   \n "}, "text", "empty"),
    ({"text": "x" * 2001}, "text", "at most 2000"),
    ({"text": "bell\x07"}, "text", "control characters"),
    ({"author": "a" * 201}, "author", "at most 200"),
    ({"author": "two\nlines"}, "author", "one line"),
])
def test_bad_notes_are_refused_with_the_field(path, kwargs, field, words):
    save = load_save(path)
    args = {"turn": 1, "text": "ok", "hex": None, "author": ""} | kwargs
    with pytest.raises(AnnotationError) as e:
        notes.add_annotation(save, args["turn"], args["text"], hex=args["hex"], author=args["author"])
    assert e.value.field == field and words in e.value.message
    assert save.annotations == []


def test_bad_index_and_edit_keep_the_note(path):
    save = load_save(path)
    notes.add_annotation(save, 1, "first")
    with pytest.raises(AnnotationError, match="index"):
        notes.delete_annotation(save, 1)
    with pytest.raises(AnnotationError, match="index"):
        notes.edit_annotation(save, -1, text="x")
    with pytest.raises(AnnotationError, match="turn"):
        notes.edit_annotation(save, 0, turn=99)
    assert save.annotations == [Annotation(turn=1, text="first")]


def test_the_annotate_command_writes_atomically(path, capsys):
    def annotate(*args: str) -> int:
        return main(["annotate", str(path), *args])

    assert annotate("--turn", "1", "--text", "one", "--author", "me") == 0
    assert annotate("--turn", "2", "--text", "two") == 0
    assert annotate("--edit", "2", "--text", "deux") == 0
    assert annotate("--delete", "1") == 0
    assert "deleted note 1" in capsys.readouterr().out
    assert load_save(path).annotations == [Annotation(turn=2, text="deux")]
    assert [p.name for p in path.parent.iterdir() if p.name != LOCK_NAME] == ["game.toml"]   # no temporary file left
    assert annotate("--turn", "9", "--text", "bad") == 1
    assert "--turn" in capsys.readouterr().err
    assert load_save(path).annotations == [Annotation(turn=2, text="deux")]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300),
       author=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_any_accepted_note_survives_save_and_load_exactly(path, text, author):
    save = load_save(path)
    try:
        notes.add_annotation(save, 1, text, author=author)
    except AnnotationError:
        return
    back = save_from_data(tomllib.loads(dumps_save(save)), "x.toml")
    assert back.annotations == save.annotations
    assert back.annotations[0].text == text.replace("\r\n", "\n").replace("\r", "\n").strip()
