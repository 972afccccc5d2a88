"""Small modal screens: confirm, quit, save as, order count with odds, unit picker, why (with its numbers),
thinking, the hot-seat handoff and the too-small notice. Each returns its result through
``dismiss``."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: Enter or y for yes, Escape or n for no."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Yes", priority=True),
        Binding("escape,n", "answer(False)", "No", priority=True),
    ]

    def __init__(self, title: str, body: str | Text = "", yes: str = "Yes", no: str = "No"):
        super().__init__()
        self.title_text = title
        self.body = body
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            if self.body:
                yield Static(self.body, classes="dialog-body")
            yield Static(f"[b]Enter[/b] {self.yes}    [b]Esc[/b] {self.no}", classes="dialog-keys")
        yield Footer()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class QuitScreen(ModalScreen[str]):
    """Quit with something unsaved: save first, quit anyway, or stay."""

    BINDINGS = [
        Binding("s", "answer('save')", "Save and quit", priority=True),
        Binding("q", "answer('quit')", "Quit without saving", priority=True),
        Binding("escape", "answer('stay')", "Stay", priority=True),
    ]

    def __init__(self, what: str):
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Quit the game?", classes="dialog-title")
            yield Static(f"Not saved yet: {self.what}.", classes="dialog-body")
            yield Static("[b]s[/b] Save and quit    [b]q[/b] Quit without saving    [b]Esc[/b] Stay",
                         classes="dialog-keys")
        yield Footer()

    def action_answer(self, value: str) -> None:
        self.dismiss(value)


class SaveAsScreen(ModalScreen[str | None]):
    """Ask for a save name (Enter saves, Escape cancels)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True)]

    def __init__(self, default: str, folder: str):
        super().__init__()
        self.default = default
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Save the game as", classes="dialog-title")
            yield Input(value=self.default, id="save-name", placeholder="a name for the save")
            yield Static(f"Saved into {self.folder}/  ·  [b]Enter[/b] Save  [b]Esc[/b] Cancel",
                         classes="dialog-keys")
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name:
            self.dismiss(name)
        else:
            self.notify("Type a name for the save.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)


class CountScreen(ModalScreen[int | None]):
    """How many sorties, runs, fires or bombs, with the odds of the strike updated live.

    left/right or -/+ change the count, a digit types it, Enter gives the order, Escape
    cancels."""

    BINDINGS = [
        Binding("left,minus", "change(-1)", "Fewer", priority=True),
        Binding("right,plus,equals_sign", "change(1)", "More", priority=True),
        Binding("home", "set_min", "One", show=False, priority=True),
        Binding("end", "set_max", "All", show=False, priority=True),
        Binding("enter", "ok", "Give order", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ] + [Binding(str(d), f"digit({d})", show=False, priority=True) for d in range(10)]

    def __init__(self, title: str, what: str, maximum: int, start: int,
                 preview: Callable[[int], Text] | None = None):
        super().__init__()
        self.title_text = title
        self.what = what
        self.maximum = max(1, maximum)
        self.count = min(max(1, start), self.maximum)
        self.preview = preview
        self._typed = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static("", id="count")
            yield Static("", id="odds", classes="dialog-body")
            yield Static("[b]←/→[/b] fewer/more  [b]0-9[/b] type  [b]End[/b] all  [b]Enter[/b] give order  "
                         "[b]Esc[/b] cancel", classes="dialog-keys")
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        bar = "■" * min(self.count, 40) + "□" * max(0, min(self.maximum, 40) - min(self.count, 40))
        self.query_one("#count", Static).update(
            Text.assemble((f"{self.count}", "bold"), f" of {self.maximum} {self.what}  ", (bar, "bold")))
        if self.preview is not None:
            try:
                self.query_one("#odds", Static).update(self.preview(self.count))
            except Exception as e:   # an odds preview must never break the order
                self.query_one("#odds", Static).update(Text(f"(no odds preview: {e})", style="dim"))

    def action_change(self, d: int) -> None:
        self._typed = ""
        self.count = min(max(1, self.count + d), self.maximum)
        self._show()

    def action_set_min(self) -> None:
        self.count = 1
        self._show()

    def action_set_max(self) -> None:
        self.count = self.maximum
        self._show()

    def action_digit(self, d: int) -> None:
        self._typed = (self._typed + str(d))[-4:]
        v = int(self._typed)
        if v > self.maximum:
            self._typed = str(d)
            v = d
        self.count = min(max(1, v), self.maximum)
        self._show()

    def action_ok(self) -> None:
        self.dismiss(self.count)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PreviewScreen(ModalScreen[bool]):
    """An order's odds before it is committed: Enter gives it, Escape cancels."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Give order", priority=True),
        Binding("escape,n", "answer(False)", "Cancel", priority=True),
    ]

    def __init__(self, title: str, body: Text):
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll"):
                yield Static(self.body, classes="dialog-body")
            yield Static("[b]Enter[/b] Give the order    [b]Esc[/b] Cancel", classes="dialog-keys")
        yield Footer()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class PickScreen(ModalScreen[str | None]):
    """Pick one of several (units in a stack, a unit to resupply): Enter picks, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True)]

    def __init__(self, title: str, choices: list[tuple[str, Text | str]]):
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield OptionList(*[Option(label, id=key) for key, label in self.choices], id="pick")
            yield Static("[b]↑/↓[/b] choose  [b]Enter[/b] pick  [b]Esc[/b] cancel", classes="dialog-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextScreen(ModalScreen[None]):
    """Read-only text (an event's "why?", the key reference): Escape or Enter closes."""

    BINDINGS = [Binding("escape,enter,q", "close", "Close", priority=True)]

    def __init__(self, title: str, body: Text | str, wide: bool = True):
        super().__init__()
        self.title_text = title
        self.body = body
        self.wide = wide

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide" if self.wide else "dialog"):
            yield Static(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll"):
                yield Static(self.body, classes="dialog-body")
            yield Static("[b]Esc[/b] Close", classes="dialog-keys")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)


class WhyScreen(TextScreen):
    """An event's "why?": the adjudicator's sentence; ``n`` shows or hides the raw numbers."""

    BINDINGS = [Binding("n", "numbers", "numbers")]

    def __init__(self, event, world=None, name: Callable[[str], str] | None = None):
        from ..describe import why_text  # the engine's explanations: loaded with a game

        self.why_of = lambda numbers: why_text(event, world=world, name=name, numbers=numbers)
        self.numbers = False
        super().__init__("Why?", self.why_of(False))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll"):
                yield Static(self.body, classes="dialog-body", id="why-body")
            yield Static("[b]n[/b] the numbers   [b]Esc[/b] Close", classes="dialog-keys", id="why-keys")
        yield Footer()

    def action_numbers(self) -> None:
        self.numbers = not self.numbers
        self.query_one("#why-body", Static).update(self.why_of(self.numbers))
        self.query_one("#why-keys", Static).update(
            f"[b]n[/b] {'hide' if self.numbers else 'the'} numbers   [b]Esc[/b] Close")


class ThinkingScreen(ModalScreen[None]):
    """Shown while the computer plans and the day is resolved; dismissed by the game."""

    def __init__(self, message: str):
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.message, id="thinking-text", classes="dialog-title")
            yield LoadingIndicator()

    def set_message(self, message: str) -> None:
        self.message = message
        if self.is_mounted:
            self.query_one("#thinking-text", Static).update(message)


class HandoffScreen(Screen[None]):
    """Hot-seat: a blank screen that shows nothing of the game, only whose turn it is."""

    BINDINGS = [Binding("enter", "go", "I am the next player", priority=True)]

    def __init__(self, side_name: str, player: str, note: str = ""):
        super().__init__()
        self.side_name = side_name
        self.player = player
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="handoff"):
            yield Static(f"Pass to the {self.side_name} player", id="handoff-title")
            if self.player:
                yield Static(self.player, id="handoff-player")
            yield Static("press Enter", id="handoff-keys")
            if self.note:
                yield Static(self.note, id="handoff-note")

    def action_go(self) -> None:
        self.dismiss(None)


class TooSmallScreen(ModalScreen[None]):
    """Covers everything while the terminal is smaller than the game needs."""

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", priority=True)]

    def __init__(self, need: tuple[int, int], have: tuple[int, int]):
        super().__init__()
        self.need = need
        self.have = have

    def compose(self) -> ComposeResult:
        yield Static(self._text(), id="too-small")

    def _text(self) -> str:
        return (f"Make the window larger\n\nThe game needs at least {self.need[0]} × {self.need[1]};"
                f"\nthis terminal is {self.have[0]} × {self.have[1]}.\n\nctrl+q quits")

    def update_size(self, have: tuple[int, int]) -> None:
        self.have = have
        if self.is_mounted:
            self.query_one("#too-small", Static).update(self._text())
