"""The take-command dialog: the mode (as played by default) and each side's computer level,
for a new game from the start of a replayed day (replay_command.py starts it)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

MODES = [
    ("keep", "As played", "the same players and computer levels as the saved game"),
    ("solo-ua", "Solo as Ukraine", "you command UA, the computer RU"),
    ("solo-ru", "Solo as Russia", "you command RU, the computer UA"),
    ("hotseat", "Hot-seat", "two players, one screen"),
    ("watch", "Watch", "the computer against itself, a level for each side"),
]


class CommandScreen(ModalScreen[tuple[str, int, tuple[str, str]] | None]):
    """Take command from the start of a day: pick the mode (as played by default) and each
    side's computer level (←/→ UA's, shift+←/→ RU's; each defaults to the saved game's level
    for that side); returns (mode, side, (UA level, RU level))."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("left", "level(0, -1)", "UA weaker", priority=True),
        Binding("right", "level(0, 1)", "UA stronger", priority=True),
        Binding("shift+left", "level(1, -1)", "RU weaker", priority=True),
        Binding("shift+right", "level(1, 1)", "RU stronger", priority=True),
    ]

    def __init__(self, turn: int, levels: list[str], level: str, note: str = "", players=None):
        super().__init__()
        self.turn = turn
        self.levels = levels
        default = level if level in levels else levels[0]
        self.side_levels = [default, default]
        self.players = players
        if players is not None:
            for i, k in enumerate(("ua", "ru")):
                p = getattr(players, k)
                if p.kind == "ai" and p.level in levels:
                    self.side_levels[i] = p.level
        self.note = note

    @property
    def level(self) -> str:
        """The computer's level when one level is asked for (solo as UA: RU's)."""
        return self.side_levels[1]

    def compose(self) -> ComposeResult:
        modes = list(MODES)
        if self.players is not None:
            k, label, _ = modes[0]
            modes[0] = (k, label, f"UA {self.players.ua.label()}, RU {self.players.ru.label()}")
        else:
            modes = modes[1:]
        with Vertical(classes="dialog wide"):
            yield Static(f"Take command from the start of day {self.turn}", classes="dialog-title")
            yield Static(Text(
                f"A new game starts from the state at the start of day {self.turn}, same scenario and seed; "
                "it is written as a new save (its branch recorded) and the original is never touched. "
                "Leaving it (q) returns to this replay."
                + (f"\n{self.note}" if self.note else ""), style="italic"), classes="dialog-body")
            yield OptionList(*[Option(Text.assemble((label, "bold"), f"  {help_}"), id=key)
                               for key, label, help_ in modes], id="command-modes")
            yield Static("", id="command-level")
            yield Static("[b]↑/↓[/b] mode  [b]←/→[/b] UA computer  [b]shift+←/→[/b] RU computer  "
                         "[b]Enter[/b] start  [b]Esc[/b] cancel", classes="dialog-keys")
        yield Footer()

    def on_mount(self) -> None:
        self._show_level()
        ol = self.query_one(OptionList)
        ol.focus()
        ol.highlighted = 0

    def _show_level(self) -> None:
        self.query_one("#command-level", Static).update(
            Text.assemble("Computer levels (when the computer plays a side): UA ", (self.side_levels[0], "bold"),
                          ", RU ", (self.side_levels[1], "bold")))

    def action_level(self, side: int, d: int) -> None:
        i = self.levels.index(self.side_levels[side])
        self.side_levels[side] = self.levels[(i + d) % len(self.levels)]
        self._show_level()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id
        mode, side = {"keep": ("keep", 0), "solo-ua": ("solo", 0), "solo-ru": ("solo", 1),
                      "hotseat": ("hotseat", 0), "watch": ("watch", 0)}[key]
        self.dismiss((mode, side, (self.side_levels[0], self.side_levels[1])))

    def action_cancel(self) -> None:
        self.dismiss(None)
