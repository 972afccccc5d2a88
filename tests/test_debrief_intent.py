"""Human intent: at the end of a day a player may write what they mean to do; it is saved with
the turn, hidden from the other player during the game, and shown in the replay and the report."""

import asyncio
import os

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from conftest import screen_text, settle  # noqa: E402
from pokrovsk_tui.report.aar import render  # noqa: E402
from pokrovsk_tui.store.saves import autosaves, load_save  # noqa: E402
from pokrovsk_tui.tui.app import PokrovskApp, Start  # noqa: E402
from pokrovsk_tui.tui.screens.dialogs import HandoffScreen  # noqa: E402
from pokrovsk_tui.tui.screens.game import GameScreen  # noqa: E402
from pokrovsk_tui.tui.screens.intent import EndDayScreen  # noqa: E402

UA_INTENT = "hold Hryshyne with the reserve"
RU_INTENT = "probe the mine with the assault group"


def test_hotseat_intents_are_saved_hidden_and_reported(tmp_path):
    async def run():
        app = PokrovskApp(Start(kind="play", scenario="tutorial-hryshyne", mode="hotseat", seed=5,
                                names=("Olena", "Ivan")), save_dir=tmp_path, check_interrupted=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("enter")                       # the handoff to UA
            await settle(pilot)
            await pilot.press("e")
            await settle(pilot)
            assert isinstance(app.screen, EndDayScreen)
            await pilot.press(*[("space" if c == " " else c) for c in UA_INTENT])    # typed into the intent field
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, HandoffScreen)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, GameScreen)
            assert "Hryshyne with the" not in screen_text(app)        # RU never sees UA's intent
            await pilot.press("e")
            await settle(pilot)
            assert "with the reserve" not in screen_text(app)
            await pilot.press(*[("space" if c == " " else c) for c in RU_INTENT])
            await pilot.press("enter")
            for _ in range(300):
                if isinstance(app.screen, HandoffScreen):
                    break
                await pilot.pause(0.02)
            assert "with the reserve" not in screen_text(app)

    asyncio.run(run())
    saves = [p for p in tmp_path.glob("*-turn01.toml")]
    assert saves, list(tmp_path.iterdir())
    save = load_save(saves[0])
    t = save.turns[0]
    assert t.intents.ua == [UA_INTENT] and t.intents.ru == [RU_INTENT]
    md = render(save, "md")
    assert f"*UA player's intent (Olena):* {UA_INTENT}" in md and f"RU player's intent (Ivan):* {RU_INTENT}" in md
    assert autosaves(save.name, tmp_path)


def test_ending_a_day_without_an_intent_saves_none(tmp_path):
    async def run():
        app = PokrovskApp(Start(kind="play", scenario="tutorial-hryshyne", seed=1, ai="hold"), save_dir=tmp_path,
                          check_interrupted=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("e")
            await settle(pilot)
            assert isinstance(app.screen, EndDayScreen)
            await pilot.press("enter")
            for _ in range(300):
                if app.game_screen().session.turn == 2:
                    break
                await pilot.pause(0.02)

    asyncio.run(run())
    save = load_save(next(tmp_path.glob("*-turn01.toml")))
    assert save.turns[0].intents is None or not save.turns[0].intents.ua

