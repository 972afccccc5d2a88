"""The title screen as it opens (built once, with its menu, for a fast start: issue #15) and
as it comes back: the Continue item and line follow the save folder, and the key footer is
built once per change of the keys it shows."""

from __future__ import annotations

import os

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from textual.widgets import Footer, OptionList  # noqa: E402

from conftest import screen_text, settle, sync  # noqa: E402
from pokrovsk_tui.game import persist  # noqa: E402
from pokrovsk_tui.tui.app import PokrovskApp, Start  # noqa: E402
from pokrovsk_tui.tui.screens.title import TitleScreen  # noqa: E402
from pokrovsk_tui.tui.widgets.footer import KeysFooter  # noqa: E402

TUT = "tutorial-hryshyne"


def title_app(tmp_path) -> PokrovskApp:
    return PokrovskApp(Start(), save_dir=tmp_path, check_interrupted=False)


def an_autosave(folder) -> str:
    from pokrovsk_tui.game.session import new_session

    session = new_session(TUT, mode="solo", side=0, ai_level="hold", seed=3)
    return persist.autosave(session, folder).name


def menu_state(app) -> tuple[bool, int | None]:
    menu = app.screen.query_one("#title-menu", OptionList)
    return menu.get_option("continue").disabled, menu.highlighted


@sync
async def test_no_autosave_the_menu_starts_on_new_game(tmp_path):
    async with title_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = pilot.app
        assert isinstance(app.screen, TitleScreen) and app.screen_stack == [app.screen]
        assert menu_state(app) == (True, 0)
        assert "No autosave yet." in screen_text(app)
        assert app.screen.query_one("#title-menu").has_focus


@sync
async def test_with_an_autosave_the_menu_starts_on_continue(tmp_path):
    name = an_autosave(tmp_path)
    async with title_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = pilot.app
        assert menu_state(app) == (False, 1)
        info = persist.latest_autosave(tmp_path)
        assert info is not None and info.path.name == name
        assert f"Continue: {info.name}" in screen_text(app)


@sync
async def test_back_on_the_title_the_menu_follows_the_save_folder(tmp_path):
    async with title_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = pilot.app
        assert menu_state(app) == (True, 0)
        an_autosave(tmp_path)                  # e.g. another window saved a game meanwhile
        await pilot.press("u")                 # the rules, and back
        await settle(pilot)
        assert not isinstance(app.screen, TitleScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        disabled, highlighted = menu_state(app)
        assert not disabled and highlighted == 0          # the player's highlight is kept
        assert "Continue: " in screen_text(app)


@sync
async def test_the_footer_builds_its_keys_once_and_again_when_they_change(tmp_path, monkeypatch):
    builds: list[str] = []
    plain = Footer.compose

    def counted(self):
        widgets = list(plain(self))
        if widgets:
            builds.append(type(self.screen).__name__)
        return iter(widgets)

    monkeypatch.setattr(Footer, "compose", counted)
    async with title_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot, 6)
        app = pilot.app
        assert isinstance(app.screen.query_one(Footer), KeysFooter)
        assert builds == ["TitleScreen"]       # Textual's Footer built them once per signal
        bottom = screen_text(app).splitlines()[-1]
        for key, label in (("n", "New game"), ("c", "Continue"), ("q", "Quit"), ("?", "Keys")):
            assert key in bottom and label in bottom
        await pilot.press("n")                 # the new-game form: its own keys
        await settle(pilot, 6)
        assert "Start the game" in screen_text(app).splitlines()[-1]
        await pilot.press("escape")
        await settle(pilot, 6)
        assert isinstance(app.screen, TitleScreen)
        assert "New game" in screen_text(app).splitlines()[-1]
