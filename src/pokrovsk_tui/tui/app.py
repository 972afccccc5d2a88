"""The Textual app: title screen, new game, the game, saves, help, and the guards (terminal
too small, unsaved work, errors shown as messages and never as tracebacks). Saving and
quitting are mixed in from saving.py, taking command from a replay from branching.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from pokrovsk_tui.game import persist

from .branching import BranchNav
from .saving import SaveAndQuit
from .screens.title import TitleScreen

if TYPE_CHECKING:      # the game screen (and the engine) load when a game starts, not before
    from pokrovsk_tui.game.session import GameSession

    from .screens.dialogs import TooSmallScreen
    from .screens.game import GameScreen

# The title screen is all a start-up needs: the dialogs (screens/dialogs.py), the game and the
# other screens are imported where first used, so the title shows sooner (issue #15).


def _is_handoff(screen: Screen) -> bool:
    """A hot-seat handoff screen (by name: checked on every key, it needs no import)."""
    return type(screen).__name__ == "HandoffScreen"


def _game_screen_class():
    from .screens.game import GameScreen

    return GameScreen

MIN_SIZE = (80, 24)


@dataclass(frozen=True)
class Start:
    """What the app opens with: the title screen, a new game, or a save."""

    kind: str = "title"               # title | play | load | replay
    scenario: str = "pokrovsk-winter-2026"
    mode: str = "solo"
    side: int = 0
    ai: str | None = None
    seed: int | None = None
    names: tuple[str, str] = ("", "")
    path: str | None = None
    watch_levels: tuple[str | None, str | None] = (None, None)   # watch mode: each side's level


class PokrovskApp(SaveAndQuit, BranchNav, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Pokrovsk"
    SUB_TITLE = "winter 2025-26"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Keys", show=True),
        Binding("ctrl+q", "quit_game", "Quit", show=False, priority=True),
        Binding("f8", "toggle_colourblind", "Colour-blind colours", show=False),
        Binding("f9", "svg_screenshot", "Screenshot (SVG)", show=False),
    ]

    def __init__(self, start: Start | None = None, *, save_dir: str | Path | None = None, autosave: bool = True,
                 check_interrupted: bool = True):
        super().__init__()
        self.start = start or Start()
        self.save_dir = save_dir
        self.autosave_enabled = autosave
        self.check_interrupted = check_interrupted
        self._too_small: TooSmallScreen | None = None
        self._autosave_failed = False
        self.catch_errors: bool | None = None     # None: in a real terminal, not in tests
        self.note_author = ""                     # the replay's last note author, offered again

    # ----- start -------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """The title screen is the first screen, under everything else (nothing pops it)."""
        return TitleScreen()

    def on_mount(self) -> None:
        st = self.start
        if st.kind == "play":
            self.start_new(st.scenario, mode=st.mode, side=st.side, ai=st.ai, names=st.names, seed=st.seed,
                           watch_levels=st.watch_levels)
        elif st.kind == "load" and st.path:
            self.open_save(Path(st.path))
        elif st.kind == "replay" and st.path:
            self.open_replay(Path(st.path))
        elif self.check_interrupted:
            path = persist.interrupted(self.save_dir)
            if path is not None:
                from .screens.dialogs import ConfirmScreen

                self.push_screen(ConfirmScreen(
                    "Resume the interrupted game?",
                    f"A game was still open when the program last stopped.\nIts latest autosave: {path.name}",
                    yes="Resume it", no="Not now"),
                    lambda ok: self.open_save(path) if ok else persist.clear_running(self.save_dir))
        self.call_after_refresh(self._check_size)

    def start_new(self, scenario: str, *, mode: str = "solo", side: int = 0, ai: str | None = None,
                  names: tuple[str, str] = ("", ""), seed: int | None = None,
                  watch_levels: tuple[str | None, str | None] = (None, None)) -> None:
        from pokrovsk_tui.game.session import new_session
        from pokrovsk_tui.store.scenarios import ScenarioError

        try:
            session = new_session(scenario, mode=mode, side=side, ai_level=ai, seed=seed, names=names,
                                  watch_levels=watch_levels)
        except ScenarioError as e:
            from .screens.dialogs import TextScreen

            self.push_screen(TextScreen("The scenario cannot be used", Text(str(e))))
            return
        except Exception as e:       # never a traceback
            self.notify(f"Cannot start: {type(e).__name__}: {e}", severity="error", timeout=15)
            return
        self._leave_to_title()
        self.autosave_session(session)
        self.push_screen(_game_screen_class()(session))

    def _save_problems(self, path: Path, e: Exception, from_list: bool) -> None:
        from pokrovsk_tui.store.saves import SaveError

        from .screens.dialogs import TextScreen

        if not isinstance(e, SaveError):      # never a traceback
            self.push_screen(TextScreen("This save cannot be loaded", Text(f"{path}: {type(e).__name__}: {e}")))
            return
        body = Text()
        body.append(f"{path}\n\n", style="bold")
        for p in e.problems[:40]:
            body.append(f"• {p.place}: {p.message}\n")
        if len(e.problems) > 40:
            body.append(f"… and {len(e.problems) - 40} more\n")
        body.append("\nChoose another save." if from_list else "")
        self.push_screen(TextScreen("This save cannot be loaded", body))

    def open_save(self, path: Path, *, from_list: bool = False) -> None:
        try:
            session = persist.load(path)
        except Exception as e:
            self._save_problems(path, e, from_list)
            return
        self._leave_to_title()
        persist.mark_running(session, path, self.save_dir)
        self.push_screen(_game_screen_class()(session))
        self._say_if_modified(path, session.save_doc)

    def _say_if_modified(self, path: Path, save) -> None:
        """A save whose digests do not match was edited by hand: it opens, and says so."""
        found = save.modified_by_hand() if save is not None else []
        if found:
            first = found[0]
            self.notify(f"{path.name} was modified by hand: {first.place}: {first.message}"
                        + (f" (and {len(found) - 1} more)" if len(found) > 1 else ""),
                        severity="warning", title="Modified save", timeout=15)

    def open_replay(self, path: Path, *, from_list: bool = False) -> None:
        """The instructor's replay of a saved game (screens/replay.py)."""
        from pokrovsk_tui.store.saves import load_save

        try:
            save = load_save(path)
        except Exception as e:
            self._save_problems(path, e, from_list)
            return
        self._say_if_modified(path, save)
        if not save.turns:
            self.notify(f"{path.name}: no day has been played in this game yet, so there is nothing to replay. "
                        "Load it to play.", severity="warning", title="Replay", timeout=10)
            return
        import gc

        from .screens.replay import ReplayScreen

        # a loaded save is ~90,000 long-lived objects (its models, then the days' frames):
        # keep the cyclic collector from walking them again and again (a full collection
        # costs ~30 ms, and its pauses were the slowest steps of a replay)
        gc.collect()
        gc.freeze()
        self._leave_to_title()
        self.push_screen(ReplayScreen(save, path))

    def continue_latest(self) -> None:
        info = persist.latest_autosave(self.save_dir)
        if info is None:
            self.notify("No autosave yet: start a new game.", severity="warning")
            return
        self.open_save(info.path)

    def _leave_to_title(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, TitleScreen):
            self.pop_screen()

    # ----- the game in play --------------------------------------------------------------
    def game_screen(self) -> GameScreen | None:
        for s in reversed(self.screen_stack):
            if type(s).__name__ == "GameScreen":
                return s
        return None

    def session(self) -> GameSession | None:
        g = self.game_screen()
        return g.session if g is not None else None

    def action_to_title(self) -> None:
        persist.clear_running(self.save_dir)
        self._leave_to_title()

    # ----- no traceback on screen --------------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error (a bug): Textual cannot go on after one, so save what can be
        saved, write the traceback to a log file and end with one plain line instead of a
        traceback. Tests (headless) keep Textual's own behaviour, so they fail loudly.

        The app's one use of Textual's private API: Textual 8 has no public hook for an
        exception no handler caught, so this overrides ``App._handle_exception``; the rest is
        public (``exit`` for the return code, ``panic`` for the line printed on the way out)."""
        catch = self.catch_errors if self.catch_errors is not None else not self.is_headless
        if not catch:
            super()._handle_exception(error)
            return
        path = self._log_error(error)
        saved = None
        session = self.session()
        if session is not None:
            try:
                saved = persist.autosave(session, self.save_dir)
            except Exception:
                saved = None
        msg = f"pokrovsk stopped on an internal error ({type(error).__name__}: {error})"
        msg += f"; details in {path}" if path else ""
        msg += f". The game was saved to {saved}" if saved else ""
        msg += ". Run `pokrovsk` and choose Continue to go on."
        self.exit(return_code=1)
        self.panic(Text(msg))

    def _log_error(self, error: Exception) -> Path | None:
        import datetime as dt
        import traceback

        try:
            folder = persist.save_dir(self.save_dir)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / "pokrovsk-errors.log"
            with path.open("a", encoding="utf-8") as f:
                f.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n")
                f.write("".join(traceback.format_exception(error)))
            return path
        except OSError:
            return None

    # ----- help, theme, size -------------------------------------------------------------
    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_rules(self) -> None:
        from .screens.help import RulesScreen

        self.push_screen(RulesScreen())

    def action_svg_screenshot(self) -> None:
        """F9: the screen as an SVG file in the save folder (Textual's own screenshot), once
        the toasts on screen have cleared; in a browser also offered as a download."""
        self.clear_notifications()
        self.call_after_refresh(self._svg_screenshot)

    def _svg_screenshot(self) -> str | None:
        folder = persist.save_dir(self.save_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            out = self.save_screenshot(path=str(folder))
        except OSError as e:
            self.notify(f"Could not save the screenshot: {e}", severity="error", timeout=10)
            return None
        self.notify(f"Screenshot saved: {out}", title="SVG", timeout=8)
        if self.is_web:
            try:
                self.deliver_binary(Path(out), save_filename=Path(out).name)
            except Exception as e:          # never a traceback
                self.notify(f"Could not offer the screenshot as a download: {e}", severity="warning")
        return out

    def action_toggle_colourblind(self) -> None:
        self.toggle_class("-colourblind")
        on = self.has_class("-colourblind")
        self.notify("Colour-blind-safe colours " + ("on (blue / orange)" if on else "off"), title="Colours")
        for s in self.screen_stack:
            m = getattr(s, "map", None)
            if m is not None and hasattr(m, "invalidate_styles"):
                m.invalidate_styles()

    def on_resize(self, event) -> None:
        self._check_size(tuple(event.size))

    def _check_size(self, size: tuple[int, int] | None = None) -> None:
        from .geometry import NARROW_WIDTH

        w, h = size if size is not None else self.size
        before = (self.has_class("-narrow"), self.has_class("-short"))
        self.set_class(w < NARROW_WIDTH, "-narrow")
        self.set_class(h < 34, "-short")
        if before != (self.has_class("-narrow"), self.has_class("-short")):
            # Textual restyles only the screens down to the first opaque one (the "make the
            # window larger" screen hides the game): restyle every screen, so the one under
            # it comes back with the layout for the new size
            for screen in self.screen_stack:
                if screen.is_mounted:
                    screen.update_node_styles(animate=False)
        small = w < MIN_SIZE[0] or h < MIN_SIZE[1]
        if small and self._too_small is None:
            from .screens.dialogs import TooSmallScreen

            self._too_small = TooSmallScreen(MIN_SIZE, (w, h))
            self.push_screen(self._too_small)
        elif small and self._too_small is not None:
            self._too_small.update_size((w, h))
        elif not small and self._too_small is not None:
            screen = self._too_small
            self._too_small = None
            if screen in self.screen_stack:
                if self.screen is screen:
                    self.pop_screen()
                else:
                    screen.dismiss(None)

    # ----- command palette ---------------------------------------------------------------
    # At a hot-seat handoff nothing acts on the game but "continue" (and quitting the app):
    # the player waiting must not end the other's day unseen, nor anything else.
    HANDOFF_ACTIONS = frozenset({"quit_game", "quit", "help_quit", "command_palette"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if _is_handoff(self.screen) and action not in self.HANDOFF_ACTIONS:
            return False
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if _is_handoff(screen) or _is_handoff(self.screen):
            handoff = screen if _is_handoff(screen) else self.screen
            yield SystemCommand("Continue", "I am the next player: show my map (Enter)", handoff.action_go)
            yield SystemCommand("Quit", "Quit (asks only when something is unsaved)", self.action_quit_game)
            return
        g = self.game_screen()
        rp = next((s for s in reversed(self.screen_stack) if type(s).__name__ == "ReplayScreen"), None)
        if rp is not None and g is None:
            for name, help_, action in (
                    ("Step on", "The results of the day, then the next day (])", lambda: rp.action_step(1)),
                    ("Step back", "([)", lambda: rp.action_step(-1)),
                    ("Jump to a day", "(j)", rp.action_jump),
                    ("Play / pause", "(p)", rp.action_play),
                    ("View: ground truth", "(t)", lambda: rp.action_view("truth")),
                    ("View: what UA knew", "(u)", lambda: rp.action_view("ua")),
                    ("View: what RU knew", "(r)", lambda: rp.action_view("ru")),
                    ("Note", "Write a note on this day or a hex (n)", rp.action_note),
                    ("Notes", "Every note: edit, delete (N)", rp.action_notes),
                    ("Charts", "The game's series as charts (c)", rp.action_charts),
                    ("Re-roll", "Re-adjudicate this day K times (x)", rp.action_reroll),
                    ("Take command", "A new game from the start of this day (b)", rp.action_take_command),
                    ("Export CSV", "The series beside the save (e)", rp.action_export_csv),
                    ("HTML report", "The after-action report beside the save (h)", rp.action_export_report),
                    ("Screenshot", "An SVG of the screen beside the save (i, F9)", rp.action_screenshot)):
                yield SystemCommand(name, help_, action)
            yield SystemCommand("Title screen", "Leave the replay for the title screen", self.action_to_title)
        elif g is not None and not isinstance(screen, TitleScreen):
            yield SystemCommand("End turn", "Finish your orders for the day (e)", g.action_end_turn)
            yield SystemCommand("Save as", "Save the game under a name (ctrl+s)", self.action_save_as)
            yield SystemCommand("Undo order", "Undo the last change to today's orders (ctrl+z)", g.action_undo)
            yield SystemCommand("Redo order", "Redo (ctrl+y)", g.action_redo)
            yield SystemCommand("Next unit", "Select the next unit without orders (tab)", g.action_next_unit)
            for name, key in (("supply", "f2"), ("killzone", "f3"), ("detection", "f4"), ("ew", "f5"),
                              ("range", "f6")):
                yield SystemCommand(f"Overlay: {name}", f"Toggle the {name} overlay ({key})",
                                    lambda n=name: g.action_overlay(n))
            yield SystemCommand("Zoom", "Large counters or the whole sector (+/-)", g.action_zoom)
            yield SystemCommand("Why?", "Why did the highlighted event happen (w)", g.action_why)
            yield SystemCommand("Title screen", "Leave the game for the title screen", self.action_quit_to_title)
        else:
            yield SystemCommand("New game", "Start a new game (n)", lambda: self._title_choose("new"))
            yield SystemCommand("Continue", "Open the latest autosave (c)", self.continue_latest)
            yield SystemCommand("Load game", "Load a save (l)", lambda: self._title_choose("load"))
            yield SystemCommand("Replay", "Replay a saved game (r)", lambda: self._title_choose("replay"))
        yield SystemCommand("Keys", "The key reference (? or F1)", self.action_help)
        yield SystemCommand("Rules", "The rules summary", self.action_rules)
        yield SystemCommand("Colour-blind colours", "Blue and orange sides, on or off (F8)",
                            self.action_toggle_colourblind)
        yield SystemCommand("Screenshot (SVG)", "Save the screen as an SVG file in the save folder (F9)",
                            self.action_svg_screenshot)
        yield SystemCommand("Theme", "Change the current theme", self.action_change_theme)
        yield SystemCommand("Quit", "Quit (asks only when something is unsaved)", self.action_quit_game)

    def _title_choose(self, item: str) -> None:
        for s in self.screen_stack:
            if isinstance(s, TitleScreen):
                s.action_choose(item)
                return

    def action_quit_to_title(self) -> None:
        s = self.session()
        if s is not None and self.unsaved_work(s) is not None:
            from .screens.dialogs import ConfirmScreen

            self.push_screen(ConfirmScreen("Leave the game?", "Today's orders are not saved. The latest autosave "
                                           "keeps the game up to the start of the day.", yes="Leave", no="Stay"),
                             lambda ok: self.action_to_title() if ok else None)
        else:
            self.action_to_title()


def run(start: Start | None = None, save_dir: str | Path | None = None) -> int:
    app = PokrovskApp(start, save_dir=save_dir)
    app.run()
    return 0
