"""Nothing of the instructor's is lost: notes written by several writers merge (or are refused
saying so, never silently overwritten), and two branches of one save keep every day played in
each (full, unique file names; autosaves named after the unique file)."""

from pathlib import Path

import pytest

from pokrovsk_tui.cli import main
from pokrovsk_tui.game import persist
from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.annotations import (
    AnnotationError,
    NotesConflict,
    add_annotation,
    change_notes,
    edit_annotation,
    find_note,
)
from pokrovsk_tui.store.replay import current_state
from pokrovsk_tui.store.saves import (
    ai_players,
    append_turn,
    autosave,
    autosaves,
    load_save,
    save_from_record,
    write_save,
)
from pokrovsk_tui.store.scenarios import bundled_dir, load_scenario

TUTORIAL = bundled_dir() / "tutorial-hryshyne.toml"
LONG = "pokrovsk-winter-2026-hard-vs-normal-seed13"          # 42 characters, as simulate names saves


@pytest.fixture
def save_path(tmp_path):
    world = build_world(load_scenario("tutorial-hryshyne"))
    rec = play_game(world, (policy_for("random"), policy_for("random")), seed=5, keep_history=True, max_turns=3)
    save = save_from_record(rec, text=TUTORIAL.read_text(), players=ai_players("normal", "easy"), name=LONG)
    return write_save(save, tmp_path / f"{LONG}.toml")


def annotate(path, *args: str) -> None:
    """``pokrovsk annotate PATH ARGS``: another writer of the save's notes."""
    assert main(["annotate", str(path), *args]) == 0


def test_a_replay_copy_merges_notes_another_writer_added(save_path):
    mine = load_save(save_path)                        # the replay's copy, read once
    annotate(save_path, "--turn", "1", "--text", "from annotate")    # another writer meanwhile
    change_notes(mine, save_path, lambda s: add_annotation(s, 2, "from the replay"))
    texts = [a.text for a in load_save(save_path).annotations]
    assert texts == ["from annotate", "from the replay"]
    assert [a.text for a in mine.annotations] == texts  # the screen shows both too
    # and again: the copy is now in step with the file, a second note just lands
    change_notes(mine, save_path, lambda s: add_annotation(s, 3, "again"))
    assert len(load_save(save_path).annotations) == 3


def test_editing_a_note_another_writer_deleted_is_refused_and_says_so(save_path):
    annotate(save_path, "--turn", "1", "--text", "first")
    mine = load_save(save_path)
    seen = mine.annotations[0]
    annotate(save_path, "--delete", "1")                # e.g. another browser tab
    annotate(save_path, "--turn", "2", "--text", "theirs")
    with pytest.raises(AnnotationError, match="changed or deleted by another writer"):
        change_notes(mine, save_path, lambda s: edit_annotation(s, find_note(s, seen), text="mine"))
    assert [a.text for a in load_save(save_path).annotations] == ["theirs"]
    assert [a.text for a in mine.annotations] == ["theirs"]       # the screen shows what is on disk


def test_notes_are_refused_when_the_game_itself_changed(save_path):
    mine = load_save(save_path)
    other = load_save(save_path)
    other.name = "renamed elsewhere"
    write_save(other, save_path)
    with pytest.raises(NotesConflict, match="not only its notes"):
        change_notes(mine, save_path, lambda s: add_annotation(s, 1, "lost?"))
    assert load_save(save_path).name == "renamed elsewhere" and mine.annotations == []


def _play_on(path: Path, folder: Path, turns: int) -> list[int]:
    """Play ``turns`` days of the branch at ``path`` as the app does: autosave after each."""
    save = load_save(path)
    world = save.world()
    played = []
    for _ in range(turns):
        st = current_state(save)
        rec = play_game(world, (policy_for("random"), policy_for("random")), seed=save.seed, keep_history=True,
                        start=st, max_turns=st.turn)
        for tr in rec.turns:
            append_turn(save, tr.turn, tr.orders, tr.events, tr.state, tr.intents or None)
            played.append(tr.turn)
        autosave(save, folder)
    return played


def test_two_branches_of_one_save_keep_every_day_played(save_path, tmp_path):
    folder = tmp_path / "saves"
    src = load_save(save_path)
    a = persist.branch_game(src, save_path, 2, mode="keep", folder=folder)
    b = persist.branch_game(src, save_path, 2, mode="keep", folder=folder)
    assert a != b and a.stem.endswith("-branch-t02") and b.stem.endswith("-branch-t02-2")
    assert a.stem.startswith(LONG) and b.stem.startswith(LONG)     # never cut
    ga, gb = load_save(a), load_save(b)
    assert ga.name == a.stem and gb.name == b.stem                 # autosaves derive from the unique name
    assert ga.players == src.players                                # kept the save's players and levels
    days_a = _play_on(a, folder, 4)
    days_b = _play_on(b, folder, 4)
    assert days_a and days_b
    latest_a, latest_b = autosaves(ga.name, folder)[-1], autosaves(gb.name, folder)[-1]
    assert [t.turn for t in load_save(latest_a).turns] == days_a
    assert [t.turn for t in load_save(latest_b).turns] == days_b
    assert not set(autosaves(ga.name, folder)) & set(autosaves(gb.name, folder))
    # a third branch after both: a free name, not one whose autosaves exist
    a.unlink()
    c = persist.branch_game(src, save_path, 2, mode="keep", folder=folder)
    assert c.stem.endswith("-branch-t02-3")


def test_branch_command_seed_options(save_path, capsys):
    assert main(["branch", str(save_path), "--turn", "2", "--seed", "77"]) == 0
    out = capsys.readouterr().out
    new = save_path.with_name(f"{LONG}-branch-t02.toml")
    assert "with new seed 77" in out and load_save(new).seed == 77 and load_save(new).name == new.stem
    assert main(["branch", str(save_path), "--turn", "2", "--new-seed"]) == 0
    newer = save_path.with_name(f"{LONG}-branch-t02-2.toml")
    assert load_save(newer).seed != load_save(save_path).seed
    assert main(["branch", str(save_path), "--turn", "2"]) == 0
    assert load_save(save_path.with_name(f"{LONG}-branch-t02-3.toml")).seed == load_save(save_path).seed


def test_take_command_keeps_the_players_and_returns_to_the_replay(save_path, tmp_path):
    import asyncio
    import os

    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    from pokrovsk_tui.report.aar import render
    from pokrovsk_tui.tui.app import PokrovskApp, Start
    from pokrovsk_tui.tui.screens.game import GameScreen
    from pokrovsk_tui.tui.screens.replay import ReplayScreen
    from pokrovsk_tui.tui.screens.replay_dialogs import CommandScreen

    folder = tmp_path / "saves"

    async def run(keys, check):
        app = PokrovskApp(Start(kind="replay", path=str(save_path)), save_dir=folder, check_interrupted=False)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(3):
                await pilot.pause()
            app.screen.goto_turn(2)
            await pilot.pause()
            await pilot.press("b")
            await pilot.pause()
            dlg = app.screen
            assert isinstance(dlg, CommandScreen)
            assert dlg.side_levels == ["normal", "easy"]       # the save's levels, one per side
            await pilot.press(*keys)
            for _ in range(3):
                await pilot.pause()
            assert isinstance(app.screen, GameScreen)
            check(app.screen.session)
            app.screen.session.saved()
            await pilot.press("q")
            for _ in range(3):
                await pilot.pause()
            assert isinstance(app.screen, ReplayScreen) and app.screen.step.turn == 2   # back at that day

    asyncio.run(run(["enter"], lambda s: None))                                   # as played
    kept = load_save(next(folder.glob(f"{LONG}-branch-t02.toml")))
    assert kept.players == load_save(save_path).players
    asyncio.run(run(["down", "enter"], lambda s: None))                           # solo as Ukraine
    solo = load_save(next(folder.glob(f"{LONG}-branch-t02-2.toml")))
    assert solo.players.ua.kind == "human" and solo.players.ru.level == "easy"
    assert "Players differ from the original" in render(solo, "md") and "was AI normal" in render(solo, "md")
    assert "Players differ" not in render(kept, "md")


def test_the_replay_picker_shows_full_names_lineage_subfolders_and_a_typed_path(save_path, tmp_path):
    import asyncio
    import os

    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    from pokrovsk_tui.tui.app import PokrovskApp, Start
    from pokrovsk_tui.tui.screens.load import LoadScreen
    from pokrovsk_tui.tui.screens.replay import ReplayScreen

    saves = tmp_path / "saves"
    (saves / "class-a").mkdir(parents=True)
    (saves / "top.toml").write_bytes(save_path.read_bytes())
    src = load_save(save_path)
    branch = persist.branch_game(src, save_path, 2, mode="keep", folder=saves / "class-a")

    async def run():
        app = PokrovskApp(Start(), save_dir=saves, check_interrupted=False)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(3):
                await pilot.pause()
            await pilot.press("r")
            for _ in range(3):
                await pilot.pause()
            ls = app.screen
            assert isinstance(ls, LoadScreen) and [s.path.name for s in ls.saves] == ["top.toml"]
            assert [d.name for d in ls.folders] == ["class-a"]
            table = ls.query_one("#saves")
            table.move_cursor(row=table.get_row_index("dir0"))
            await pilot.press("enter")
            for _ in range(3):
                await pilot.pause()
            assert [s.path.name for s in ls.saves] == [branch.name]              # the full name
            assert ls.saves[0].lineage == f"branch of {LONG} at day 2"
            text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
            assert branch.name in text and f"branch of {LONG} at day 2" in text
            await pilot.press("backspace")
            for _ in range(2):
                await pilot.pause()
            assert [s.path.name for s in ls.saves] == ["top.toml"]
            await pilot.press("slash")
            assert ls.focused is ls.query_one("#load-path")
            ls.query_one("#load-path").value = str(saves / "top.toml")      # a typed path
            await pilot.press("enter")
            for _ in range(5):
                await pilot.pause()
            assert isinstance(app.screen, ReplayScreen) and app.screen.review.path.name == "top.toml"

    asyncio.run(run())


def test_exports_from_a_browser_are_offered_as_downloads(save_path, tmp_path, monkeypatch):
    import asyncio
    import os

    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    from pokrovsk_tui.tui.app import PokrovskApp, Start

    offered = []
    monkeypatch.setattr(PokrovskApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(PokrovskApp, "deliver_text",
                        lambda self, path, **kw: offered.append(("text", Path(path).name, kw.get("save_filename"))))
    monkeypatch.setattr(PokrovskApp, "deliver_binary",
                        lambda self, path, **kw: offered.append(("binary", Path(path).name, kw.get("save_filename"))))

    async def run():
        app = PokrovskApp(Start(kind="replay", path=str(save_path)), save_dir=tmp_path / "saves",
                          check_interrupted=False)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(3):
                await pilot.pause()
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("h")
            for _ in range(300):
                if len(offered) >= 2:
                    break
                await pilot.pause(0.02)

    asyncio.run(run())
    names = {o[1] for o in offered}
    assert f"{LONG}-series.csv" in names and f"{LONG}-report.html" in names
    assert all(o[0] == "text" and o[1] == o[2] for o in offered)
