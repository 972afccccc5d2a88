"""One World per scenario text per process (issue #15, item 4): a save, its checks, its replay
and a second load of it share one World, and the cache keeps only the last few worlds."""

from __future__ import annotations

import glob

from pokrovsk_tui.rules import world as world_mod
from pokrovsk_tui.rules.scenario import Scenario
from pokrovsk_tui.rules.world import KEEP_WORLDS, world_of_text
from pokrovsk_tui.store.save_load import load_save
from pokrovsk_tui.store.scenarios import bundled_dir
from pokrovsk_tui.store.tomlr import loads


def _text(i: int) -> str:
    path = sorted(glob.glob(str(bundled_dir() / "tutorial-*.toml")))[0]
    with open(path, encoding="utf-8") as f:
        return f.read() + f"\n# copy {i}\n"          # a different text, the same scenario


def _parse(text: str):
    return lambda: Scenario.model_validate(loads(text))


def test_the_same_text_gives_the_same_world_and_another_text_another():
    a = world_of_text(_text(0), _parse(_text(0)))
    assert world_of_text(_text(0), _parse(_text(0))) is a
    b = world_of_text(_text(1), _parse(_text(1)))
    assert b is not a and b.grid.n == a.grid.n


def test_the_cache_is_bounded():
    first = world_of_text(_text(10), _parse(_text(10)))
    for i in range(11, 11 + KEEP_WORLDS):
        world_of_text(_text(i), _parse(_text(i)))
    assert len(world_mod._WORLDS) <= KEEP_WORLDS
    again = world_of_text(_text(10), _parse(_text(10)))
    assert again is not first                        # let go, then built afresh


def test_a_save_loaded_twice_checked_and_verified_builds_one_world(tmp_path, monkeypatch, capsys):
    from pokrovsk_tui.cli import main
    from pokrovsk_tui.store.replay import verify

    assert main(["simulate", "tutorial-hryshyne", "--ua", "random", "--ru", "random", "--games", "1",
                 "--turns", "2", "--save-dir", str(tmp_path)]) == 0
    capsys.readouterr()
    path = next(tmp_path.glob("*.toml"))
    built = []
    real = world_mod.build_world
    from pokrovsk_tui.store import checks

    for mod in (world_mod, checks):
        monkeypatch.setattr(mod, "build_world", lambda scn: built.append(1) or real(scn))
    world_mod._WORLDS.clear()
    one, two = load_save(path), load_save(path)
    assert one.world() is two.world()
    assert verify(two).ok
    assert len(built) == 1
