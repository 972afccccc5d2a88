"""The new-game form: scenario, mode, side, computer level, names and seed (opened from the
title screen, screens/title.py)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from ..widgets.footer import KeysFooter


@dataclass(frozen=True)
class ScenarioInfo:
    id: str
    title: str
    description: str
    turns: int
    size: str


def scenario_infos() -> list[ScenarioInfo]:
    """The bundled scenarios, read cheaply (tutorials first)."""
    from pokrovsk_tui.store.scenarios import bundled_dir, bundled_ids

    out = []
    for sid in bundled_ids():
        try:
            data = tomllib.loads((bundled_dir() / f"{sid}.toml").read_text(encoding="utf-8"))
            m = data.get("map", {})
            desc = "\n\n".join(" ".join(par.split()) for par in str(data.get("description", "")).split("\n\n"))
            out.append(ScenarioInfo(sid, str(data.get("title", sid)), desc.strip(),
                                    int(data.get("turns", 0)), f"{m.get('width', '?')} × {m.get('height', '?')}"))
        except (OSError, tomllib.TOMLDecodeError, TypeError, ValueError):
            continue
    out.sort(key=lambda s: (not s.id.startswith("tutorial"), s.id))
    return out


LEVEL_HELP = {"easy": "easy", "normal": "normal", "hard": "hard (thinks longer)",
              "random": "random (legal but aimless orders)", "hold": "hold (gives no orders: a sandbox)"}


class Choice(RadioButton):
    """A radio button whose glyph shows the choice without colour: ● chosen, blank not."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual's name
        return "●" if self.value else " "


@dataclass(frozen=True)
class GameSetup:
    scenario: str
    mode: str
    side: int
    ai: str
    names: tuple[str, str]
    seed: int | None
    watch_levels: tuple[str | None, str | None] = (None, None)


class NewGameScreen(Screen[None]):
    """Scenario, mode, side, AI level, names and seed. ctrl+g (or the Start button) starts."""

    BINDINGS = [
        Binding("ctrl+g", "start", "Start the game", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self):
        super().__init__()
        from pokrovsk_tui.game.session import ai_levels, default_ai_level

        self.scenarios = scenario_infos()
        self.levels = ai_levels()
        self.default_level = default_ai_level()

    def compose(self) -> ComposeResult:
        yield Static("New game: Tab moves between the choices, ↑/↓ and Enter pick, ctrl+g starts", id="new-title")
        with VerticalScroll(id="new-form"):
            with Horizontal(id="new-cols"):
                with Vertical(id="new-left"):
                    yield Label("Scenario")
                    with RadioSet(id="scenario"):
                        for i, s in enumerate(self.scenarios):
                            yield Choice(f"{s.title} ({s.size}, {s.turns} days)", value=i == 0)
                    yield Static("", id="scenario-desc")
                with Vertical(id="new-right"):
                    yield Label("Mode")
                    with RadioSet(id="mode"):
                        yield Choice("Solo against the computer", value=True)
                        yield Choice("Hot-seat: two players, one screen")
                        yield Choice("Watch: computer against computer")
                    yield Label("Your side", id="side-label")
                    with RadioSet(id="ng-side"):
                        yield Choice("Ukraine (defends)", value=True)
                        yield Choice("Russia (attacks)")
                    yield Label("Computer level", id="ai-label")
                    with RadioSet(id="ai"):
                        for lv in self.levels:
                            yield Choice(LEVEL_HELP.get(lv, lv), value=lv == self.default_level)
                    yield Label("Russia's computer", id="ai-ru-label")
                    with RadioSet(id="ai-ru"):
                        for lv in self.levels:
                            yield Choice(LEVEL_HELP.get(lv, lv), value=lv == self.default_level)
                    yield Static("Two players take turns at this screen; each sees only what their "
                                 "side knows.", id="hotseat-note")
            with Horizontal(id="new-bottom"):
                with Vertical(classes="new-field"):
                    yield Label("Ukrainian player's name")
                    yield Input(placeholder="optional", id="name-ua", max_length=40)
                with Vertical(classes="new-field"):
                    yield Label("Russian player's name")
                    yield Input(placeholder="optional", id="name-ru", max_length=40)
                with Vertical(classes="new-field"):
                    yield Label("Seed")
                    yield Input(placeholder="random", id="seed", type="integer", max_length=12)
                yield Button("Start (ctrl+g)", id="start", variant="primary")
        yield KeysFooter(show_command_palette=False)

    def on_mount(self) -> None:
        # Textual's RadioSet puts its keyboard highlight on the first button, not the pressed
        # one: ↓ from the preset "normal" then picked "normal" again, ↑ wrapped round to the
        # last. Start each highlight on the pressed button (no public API for it).
        for rs in self.query(RadioSet):
            if rs.pressed_index >= 0:
                rs._selected = rs.pressed_index
        self._describe()
        self._arrange()
        self.query_one("#scenario", RadioSet).focus()

    def _mode(self) -> str:
        return ("solo", "hotseat", "watch")[max(0, self.query_one("#mode", RadioSet).pressed_index)]

    def _arrange(self) -> None:
        """Show the choices the mode uses: solo a side and the opponent's level, watch each
        side's level, hot-seat neither."""
        mode = self._mode()
        for wid, shown in (("#side-label", mode == "solo"), ("#ng-side", mode == "solo"),
                           ("#ai-label", mode != "hotseat"), ("#ai", mode != "hotseat"),
                           ("#ai-ru-label", mode == "watch"), ("#ai-ru", mode == "watch"),
                           ("#hotseat-note", mode == "hotseat")):
            self.query_one(wid).display = shown
        self.query_one("#ai-label", Label).update("Ukraine's computer" if mode == "watch" else "Computer level")

    def _describe(self) -> None:
        rs = self.query_one("#scenario", RadioSet)
        i = rs.pressed_index if rs.pressed_index >= 0 else 0
        if self.scenarios:
            s = self.scenarios[min(i, len(self.scenarios) - 1)]
            self.query_one("#scenario-desc", Static).update(Text(s.description, style="italic"))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "scenario":
            self._describe()
        elif event.radio_set.id == "mode":
            self._arrange()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_start()

    def setup(self) -> GameSetup | None:
        if not self.scenarios:
            self.notify("No scenario found.", severity="error")
            return None
        sc = self.scenarios[max(0, self.query_one("#scenario", RadioSet).pressed_index)]
        mode = self._mode()
        side = max(0, self.query_one("#ng-side", RadioSet).pressed_index)
        ai_idx = self.query_one("#ai", RadioSet).pressed_index
        ai = self.levels[ai_idx] if ai_idx >= 0 else self.default_level
        ru_idx = self.query_one("#ai-ru", RadioSet).pressed_index
        watch = (ai, self.levels[ru_idx] if ru_idx >= 0 else ai) if mode == "watch" else (None, None)
        names = (self.query_one("#name-ua", Input).value.strip(), self.query_one("#name-ru", Input).value.strip())
        seed_text = self.query_one("#seed", Input).value.strip()
        seed = None
        if seed_text:
            try:
                seed = int(seed_text)
            except ValueError:
                self.notify("The seed is a whole number (or empty for a random one).", severity="error")
                return None
            if seed < 0:
                self.notify("The seed cannot be negative.", severity="error")
                return None
        return GameSetup(sc.id, mode, side, ai, names, seed, watch)

    def action_start(self) -> None:
        s = self.setup()
        if s is not None:
            self.app.start_new(s.scenario, mode=s.mode, side=s.side, ai=s.ai, names=s.names, seed=s.seed,
                               watch_levels=s.watch_levels)

    def action_back(self) -> None:
        self.dismiss(None)
