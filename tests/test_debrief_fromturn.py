"""Luck or judgement from any position: ``simulate --from SAVE --turn T`` plays the rest of the
game N times with new dice and places the actual game in the distribution; ordinals read right."""

import json

import pytest

from pokrovsk_tui.cli import main
from pokrovsk_tui.game.fromturn import FromTurnError, format_lines, from_turn
from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.report.words import ordinal
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.savefmt import Player
from pokrovsk_tui.store.saves import ai_players, load_save, save_from_record, write_save
from pokrovsk_tui.store.scenarios import bundled_dir, load_scenario

TUTORIAL = bundled_dir() / "tutorial-hryshyne.toml"


@pytest.fixture(scope="module")
def save_path(tmp_path_factory):
    world = build_world(load_scenario("tutorial-hryshyne"))
    rec = play_game(world, (policy_for("random"), policy_for("random")), seed=5, keep_history=True)
    save = save_from_record(rec, text=TUTORIAL.read_text(), players=ai_players("random", "random"))
    return write_save(save, tmp_path_factory.mktemp("ft") / "game.toml")


@pytest.mark.parametrize("n, word", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                     (13, "13th"), (21, "21st"), (73, "73rd"), (100, "100th"), (72.6, "73rd")])
def test_ordinals(n, word):
    assert ordinal(n) == word


def test_distribution_from_a_turn_with_new_dice(save_path):
    save = load_save(save_path)
    r = from_turn(save, 2, 6)
    assert r["games"] == 6 and sum(r["winners"].values()) == 6
    assert save.seed not in r["seeds"] and len(set(r["seeds"])) == 6
    assert r["policies"] == {"ua": "random", "ru": "random"}           # the save's players
    m = r["margin"]
    assert m["min"] <= m["p10"] <= m["p50"] <= m["p90"] <= m["max"]
    assert sum(c for _, _, c in m["histogram"]) == 6
    assert 0 <= r["actual"]["percentile"] <= 100
    text = "\n".join(format_lines(r))
    assert "percentile" in text and "th percentile" not in text.replace(ordinal(r["actual"]["percentile"]), "")


def test_the_same_seed_replays_the_actual_game(save_path):
    save = load_save(save_path)
    r = from_turn(save, 2, 1, seed=save.seed)
    assert r["margin"]["p50"] == r["actual"]["margin"]
    assert r["actual"]["percentile"] == 50.0 and r["actual"]["winner_share"] == 1.0


def test_a_human_side_needs_a_policy(save_path, tmp_path):
    save = load_save(save_path)
    save.players.ru = Player(kind="human", name="Olena")
    with pytest.raises(FromTurnError) as e:
        from_turn(save, 1, 2)
    assert e.value.flag == "--ru" and "give --ru POLICY" in str(e.value)
    assert from_turn(save, 1, 2, ru="easy")["policies"]["ru"] == "easy"


def test_the_command(save_path, capsys):
    assert main(["simulate", "--from", str(save_path), "--turn", "3", "--games", "3", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["games"] == 3 and doc["turn"] == 3 and set(doc["actual"]) >= {"percentile", "winner"}
    assert main(["simulate", "--from", str(save_path), "--turn", "99", "--games", "2"]) == 1
    assert "--turn: turn 99 is not in this save" in capsys.readouterr().err
    assert main(["simulate", "--from", str(save_path), "--games", "2"]) == 2
    assert main(["simulate", "--ua", "easy"]) == 2


def test_the_replay_plays_on_from_the_day_shown_in_a_worker(tmp_path, save_path):
    import asyncio
    import os

    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    from pokrovsk_tui.tui.app import PokrovskApp, Start
    from pokrovsk_tui.tui.screens.replay import ReplayScreen
    from pokrovsk_tui.tui.screens.replay_fromturn import FromTurnScreen

    async def run():
        app = PokrovskApp(Start(kind="replay", path=str(save_path)), save_dir=tmp_path / "saves",
                          check_interrupted=False)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(3):
                await pilot.pause()
            app.screen.goto_turn(2, "orders")
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            dlg = app.screen
            assert isinstance(dlg, FromTurnScreen) and dlg.turn == 2
            dlg.query_one("#fromturn-n").value = "3"
            await pilot.press("enter")
            for _ in range(500):
                if dlg.result is not None or dlg.error is not None:
                    break
                await pilot.pause(0.02)
            assert dlg.error is None and dlg.result["games"] == 3 and dlg.result["turn"] == 2
            text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
            assert "the actual game" in text and "percentile" in text
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ReplayScreen)

    asyncio.run(run())
