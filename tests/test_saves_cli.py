"""The save commands: simulate --save-dir, verify, branch, resume, validate and schema."""

import json
import re

import pytest

from pokrovsk_tui.cli import main
from pokrovsk_tui.store.saves import load_save


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


@pytest.fixture
def saves(tmp_path, capsys):
    d = tmp_path / "s"
    code, out, _ = run(capsys, "simulate", "tutorial-hryshyne", "--ua", "random", "--ru", "random",
                       "--games", "2", "--seed", "5", "--save-dir", d, "--json")
    assert code == 0
    games = json.loads(out)["games"]
    return [d / p for p in (g["save"] for g in games)]


def test_simulate_writes_one_save_per_game_and_verify_accepts(saves, capsys):
    assert [p.name for p in saves] == ["tutorial-hryshyne-random-vs-random-seed5.toml",
                                       "tutorial-hryshyne-random-vs-random-seed6.toml"]
    code, out, _ = run(capsys, "verify", *saves)
    assert code == 0
    assert out.splitlines() == [f"{p}: ok: turns 1-6 replay exactly (6 turns)" for p in saves]
    code, out, _ = run(capsys, "validate", *saves)
    assert code == 0 and out.count(": ok (save of tutorial-hryshyne, 6 turns)") == 2


def test_simulate_never_overwrites_and_text_mode_lists_saves(saves, capsys):
    d = saves[0].parent
    code, out, _ = run(capsys, "simulate", "tutorial-hryshyne", "--ua", "random", "--ru", "random",
                       "--seed", "5", "--save-dir", d)
    assert code == 0
    assert f"saved seed 5: {d / 'tutorial-hryshyne-random-vs-random-seed5-2.toml'}" in out
    assert saves[0].exists()


def test_simulate_json_unchanged_without_saving(capsys):
    code, out, _ = run(capsys, "simulate", "tutorial-hryshyne", "--ua", "hold", "--ru", "hold", "--json")
    assert code == 0 and "save" not in json.loads(out)["games"][0]


def test_save_flag_uses_environment_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("POKROVSK_SAVE_DIR", str(tmp_path / "env"))
    code, out, _ = run(capsys, "simulate", "tutorial-hryshyne", "--ua", "hold", "--ru", "random", "--turns", "2",
                       "--save", "--json")
    assert code == 0
    p = json.loads(out)["games"][0]["save"]
    assert p.startswith(str(tmp_path / "env")) and load_save(p).turns_saved == 2


def test_one_character_edit_fails_verify_naming_the_turn(saves, capsys):
    p = saves[0]
    text = p.read_text()
    start = text.index("[turns.state]", text.index("turn = 4\n"))
    m = re.compile(r"strength=(\d)").search(text, start)
    p.write_text(text[: m.start(1)] + ("2" if m.group(1) != "2" else "3") + text[m.end(1):])
    code, out, _ = run(capsys, "verify", *saves)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{p}: turn 4: state.units[") and ".strength: saved " in lines[0]
    assert lines[1] == f"{saves[1]}: ok: turns 1-6 replay exactly (6 turns)"


@pytest.mark.parametrize("cmd", ["verify", "validate"])
@pytest.mark.parametrize("damage", ["truncate", "garbage", "bad-field"])
def test_corrupted_save_gives_clear_message_and_exit_1(saves, capsys, cmd, damage):
    p = saves[0]
    data = p.read_bytes()
    if damage == "truncate":
        p.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        p.write_bytes(data[:200] + b"\x00\xff\xfe" + data[200:])
    else:
        p.write_bytes(data.replace(b'mode = "ai-vs-ai"', b'mode = "sideways"'))
    code, out, err = run(capsys, cmd, p)
    assert code == 1
    lines = (out + err).strip().splitlines()
    assert lines and all(line.startswith(f"{p}: ") for line in lines), lines


def test_branch_of_a_turn_loads_and_plays_on(saves, capsys):
    src = saves[0]
    before = src.read_bytes()
    code, out, _ = run(capsys, "branch", src, "--turn", "4")
    new = src.with_name(src.stem + "-branch-t04.toml")
    assert code == 0 and out.strip() == f"{src}: branched at the start of turn 4 -> {new}"
    assert src.read_bytes() == before                       # the original is untouched
    b = load_save(new)
    assert b.start_turn == 4 and b.lineage[0].file == str(src) and b.lineage[0].turn == 4
    code, out, _ = run(capsys, "verify", new)
    assert code == 0 and "no turns played yet" in out
    code, out, _ = run(capsys, "resume", new)               # the save's AIs play on
    assert code == 0 and "played turns 4-6" in out
    code, out, _ = run(capsys, "verify", new)
    assert code == 0 and "turns 4-6 replay exactly" in out
    # the same policies and seed give the same turns as the original game
    assert [t.digest for t in load_save(new).turns] == [t.digest for t in load_save(src).turns[3:]]
    code, out, _ = run(capsys, "branch", src, "--turn", "4")
    assert code == 0 and out.strip().endswith("-branch-t04-2.toml")


def test_branch_refusals(saves, capsys, tmp_path):
    src = saves[0]
    code, _, err = run(capsys, "branch", src, "--turn", "9")
    assert code == 1 and err.startswith(f"{src}: --turn: turn 9 is not in this save")
    code, _, err = run(capsys, "branch", src, "--turn", "7")
    assert code == 1 and "the game is over" in err
    code, _, err = run(capsys, "branch", src, "--turn", "2", "-o", src)
    assert code == 1 and "never overwritten" in err
    code, _, err = run(capsys, "branch", src, "--turn", "2", "-o", saves[1])
    assert code == 1 and "exists" in err
    code, _, _ = run(capsys, "branch", src, "--turn", "2", "-o", tmp_path / "b.toml", "--name", "Olena's try")
    assert code == 0 and load_save(tmp_path / "b.toml").name == "Olena's try"
    with pytest.raises(SystemExit) as e:
        main(["branch", str(src), "--turn", "0"])
    assert e.value.code == 2


def test_resume_plays_a_short_game_to_the_end(tmp_path, capsys):
    d = tmp_path / "s"
    code, out, _ = run(capsys, "simulate", "tutorial-hryshyne", "--ua", "hold", "--ru", "random", "--turns", "2",
                       "--save-dir", d, "--json")
    p = json.loads(out)["games"][0]["save"]
    code, out, _ = run(capsys, "resume", p, "--turns", "1", "-o", tmp_path / "r.toml")
    assert code == 0 and "played turns 3-3" in out and load_save(p).turns_saved == 2
    code, out, _ = run(capsys, "resume", tmp_path / "r.toml", "--ru", "hold")
    s = load_save(tmp_path / "r.toml")
    assert code == 0 and s.turns_saved == 6 and s.players.ru.level == "hold"
    code, _, err = run(capsys, "resume", tmp_path / "r.toml")
    assert code == 1 and "the game is over" in err


def test_resume_asks_for_a_policy_for_human_sides(tmp_path, capsys, saves):
    p = saves[0]
    p.write_text(p.read_text().replace('ua = {kind="ai", level="random"}', 'ua = {kind="human", name="Olena"}')
                 .replace('mode = "ai-vs-ai"', 'mode = "solo"'))
    code, _, err = run(capsys, "branch", p, "--turn", "3", "-o", tmp_path / "b.toml")
    code, _, err = run(capsys, "resume", tmp_path / "b.toml")
    assert code == 1 and "players.ua: human Olena plays this side; give --ua POLICY" in err


def test_schema_save(capsys):
    code, out, _ = run(capsys, "schema", "save")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "SaveGame"
    assert {"format_version", "turns", "scenario", "players", "annotations", "pending"} <= set(schema["properties"])
