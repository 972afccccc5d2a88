"""Writers that race on one save never lose each other's work silently: annotate waits for
annotate (the sidecar lock) and both notes land; resume keeps notes added while it played, or
exits 1 saying the save changed; a writer holding an old copy is refused; a symlinked save
writes the file it points to; the CLI clears dead processes' temporaries."""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pokrovsk_tui.cli import main
from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.atomic import ChangedOnDisk
from pokrovsk_tui.store.saves import ai_players, load_save, save_from_record, write_save
from pokrovsk_tui.store.scenarios import bundled_dir, load_scenario

TUTORIAL = bundled_dir() / "tutorial-hryshyne.toml"
ENV = dict(os.environ, PYTHONDONTWRITEBYTECODE="1",
           PYTHONPATH=os.pathsep.join([str(Path(__file__).parents[1] / "src"), os.environ.get("PYTHONPATH", "")]))


@pytest.fixture
def save_path(tmp_path):
    world = build_world(load_scenario("tutorial-hryshyne"))
    rec = play_game(world, (policy_for("random"), policy_for("random")), seed=5, keep_history=True, max_turns=2)
    save = save_from_record(rec, text=TUTORIAL.read_text(), players=ai_players("random", "random"))
    return write_save(save, tmp_path / "game.toml")


ANNOTATOR = textwrap.dedent("""
    import sys
    from pokrovsk_tui.cli import main
    path, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print("ready", flush=True)
    sys.stdin.readline()
    codes = [main(["annotate", path, "--turn", "1", "--text", f"{tag}{i}"]) for i in range(n)]
    print("codes", *codes, flush=True)
""")


def test_two_annotating_processes_lose_no_note(save_path):
    """Two processes each add 30 notes at once: 60 racing writes (30 pairs), every one kept."""
    n = 30
    procs = [subprocess.Popen([sys.executable, "-c", ANNOTATOR, str(save_path), tag, str(n)], env=ENV,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
             for tag in "ab"]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:                      # both start writing together
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = [p.communicate(timeout=120)[0] for p in procs]
    for out in outs:
        assert out.split("codes")[1].split() == ["0"] * n
    texts = sorted(a.text for a in load_save(save_path).annotations)
    assert texts == sorted([f"a{i}" for i in range(n)] + [f"b{i}" for i in range(n)])


def test_resume_keeps_notes_added_while_it_played(save_path):
    resume = subprocess.Popen([sys.executable, "-m", "pokrovsk_tui", "resume", str(save_path)], env=ENV,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    added = 0
    deadline = time.monotonic() + 60
    while resume.poll() is None and time.monotonic() < deadline:
        assert main(["annotate", str(save_path), "--turn", "1", "--text", f"during {added}"]) == 0
        added += 1
    out, err = resume.communicate(timeout=120)
    save = load_save(save_path)
    assert {f"during {i}" for i in range(added)} <= {a.text for a in save.annotations}   # no note lost
    if resume.returncode == 0:
        assert save.next_turn == 7 and "played turns 3-6" in out
    else:       # refused, never a silent loss
        assert "changed on disk since it was read; nothing written" in err
        assert save.next_turn == 3


def test_a_writer_with_an_old_copy_is_refused(save_path, capsys):
    old = load_save(save_path)
    assert main(["annotate", str(save_path), "--turn", "1", "--text", "theirs"]) == 0
    old.name = "mine"
    with pytest.raises(ChangedOnDisk, match="changed on disk since it was read; nothing written"):
        write_save(old, save_path)
    assert [a.text for a in load_save(save_path).annotations] == ["theirs"]


def test_resume_refuses_when_the_game_itself_changed_meanwhile(save_path, capsys, monkeypatch):
    import pokrovsk_tui.game.sim as sim

    real = sim.play_game

    def play_and_meanwhile_rename(*a, **k):
        other = load_save(save_path)
        other.name = "renamed elsewhere"
        write_save(other, save_path)
        return real(*a, **k)
    monkeypatch.setattr(sim, "play_game", play_and_meanwhile_rename)
    assert main(["resume", str(save_path), "--turns", "1"]) == 1
    err = capsys.readouterr().err
    assert f"{save_path}: (file): changed on disk since it was read; nothing written" in err
    back = load_save(save_path)
    assert back.name == "renamed elsewhere" and back.next_turn == 3


def test_writing_a_symlinked_save_writes_the_file_it_points_to(save_path, tmp_path):
    link = tmp_path / "link.toml"
    link.symlink_to(save_path)
    assert main(["annotate", str(link), "--turn", "1", "--text", "via the link"]) == 0
    assert link.is_symlink()
    assert [a.text for a in load_save(save_path).annotations] == ["via the link"]


def test_the_cli_removes_dead_processes_temporaries(save_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = save_path.parent / f".game.toml.{dead.stdout.strip()}.0badc0de.tmp"
    stale.write_text("half a save")
    live = save_path.parent / f".game.toml.{os.getpid()}.0badc0de.tmp"
    live.write_text("being written")
    assert main(["annotate", str(save_path), "--turn", "1", "--text", "x"]) == 0
    assert not stale.exists() and live.exists()
