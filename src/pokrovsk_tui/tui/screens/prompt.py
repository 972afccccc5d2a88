"""The game screen's one line under the map: what to do next, in shorter words on a narrow
screen."""

from __future__ import annotations

from rich.text import Text

from .. import glyphs as G
from ..geometry import NARROW_WIDTH
from ..order_keys import ACTIONS
from ..overlays import OVERLAY_TITLES


class GamePrompt:
    """Mixed into the game screen: needs its session, side, selection, action and watch state."""

    def prompt_text(self) -> Text:
        """The one line under the map: what to do next (shorter words on a narrow screen)."""
        t = Text()
        s = self.session
        narrow = self.app.size.width < NARROW_WIDTH
        if s.over:
            t.append("The game is over. The map shows the whole truth. ", style="bold")
            t.append("Esc: the result, t: title screen, ctrl+s saves, q quits.")
            return t
        if self.side is None:
            if narrow:
                t.append("Paused: " if self.paused else "Running: ", style="bold")
                t.append("space run/pause, n one day, +/- pace, k events, z zoom, q quit", style="italic")
                return t
            state = "Paused" if self.paused else f"Running, a day every {self.pace:g} s"
            t.append(f"Watching. {state}. ", style="bold")
            t.append("space runs/pauses, n one day, + - pace, k key events/all, z zoom, q quits.", style="italic")
            return t
        if self.busy or s.finished(self.side):
            t.append("Waiting…", style="italic")
            return t
        if self.action is not None:
            label = ACTIONS[self.action][1]
            what = {"move": "the destination", "resupply": "a hex with the unit to resupply"}.get(self.action,
                                                                                                 "the target hex")
            if self.action_unit is not None:
                t.append(f"{label} ({s.world.unit_ids[self.action_unit]}): ", style="bold")
            else:
                t.append(f"{label}: ", style="bold")
            if narrow:
                t.append(f"cursor to {what.removeprefix('the ')} {G.TARGET}, Enter or click; Esc cancels.")
            else:
                t.append(f"move the cursor to {what} (highlighted {G.TARGET}) and press Enter or click; Esc cancels.")
            return t
        if self.overlay:
            t.append(f"[{OVERLAY_TITLES[self.overlay]}] ", style="italic")
        if self.selected is None:
            t.append("Enter or click selects a unit, Tab the next; " if narrow else
                     "Select a unit: Enter on it or click it, Tab for the next one. ")
            t.append("e ends your turn, ? all keys." if narrow else "e ends your turn, ? lists every key.", style="dim")
        else:
            t.append(f"{s.world.unit_ids[self.selected]} selected: ", style="bold")
            t.append("an order key (Unit panel), Tab next, Esc deselects." if narrow else
                     "press an order key (see the Unit panel), Tab for the next unit, Esc to deselect.")
        return t
