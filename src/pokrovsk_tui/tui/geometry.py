"""Where each hex sits on the screen, and which hex a screen cell belongs to. Pure functions,
tested without a screen.

Each hex is a block of ``cw`` columns by ``ch`` lines; odd rows are shifted right by
``shift`` columns (pointy-top, odd-r layout). Two zooms: ``LARGE`` (4 x 2, a counter line
under a terrain line) and ``COMPACT`` (3 x 1, the whole 40 x 38 sector in 121 x 38 cells).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:      # numpy and the engine load when a game starts, not for the title screen
    from pokrovsk_tui.rules.hexgrid import HexGrid


@dataclass(frozen=True)
class Zoom:
    name: str
    cw: int      # columns per hex
    ch: int      # lines per hex
    shift: int   # odd rows start this many columns to the right


# below this many columns the screen is "narrow": the app's -narrow class, shorter prompts
NARROW_WIDTH = 110

LARGE = Zoom("large", 4, 2, 2)
COMPACT = Zoom("compact", 3, 1, 1)


@dataclass(frozen=True)
class MapGeometry:
    width: int       # hexes
    height: int
    zoom: Zoom

    @property
    def virtual_width(self) -> int:
        return self.width * self.zoom.cw + self.zoom.shift

    @property
    def virtual_height(self) -> int:
        return self.height * self.zoom.ch

    def origin(self, hex_number: int) -> tuple[int, int]:
        """Top-left cell (x, y) of a hex in map (virtual) coordinates."""
        row, col = divmod(int(hex_number), self.width)
        return col * self.zoom.cw + (self.zoom.shift if row & 1 else 0), row * self.zoom.ch

    def row_start(self, row: int) -> int:
        return self.zoom.shift if row & 1 else 0

    def hex_at(self, x: int, y: int) -> int | None:
        """The hex covering map cell (x, y), or None for the margins and outside the map."""
        if x < 0 or y < 0:
            return None
        row = y // self.zoom.ch
        if row >= self.height:
            return None
        x0 = x - self.row_start(row)
        if x0 < 0:
            return None
        col = x0 // self.zoom.cw
        if col >= self.width:
            return None
        return row * self.width + col


def mouse_to_hex(geometry: MapGeometry, offset_x: int, offset_y: int, scroll_x: int = 0,
                 scroll_y: int = 0) -> int | None:
    """The hex under the mouse: offsets within the widget's content plus its scroll offset."""
    return geometry.hex_at(int(offset_x) + int(scroll_x), int(offset_y) + int(scroll_y))


# Cursor moves. The six hex directions use the engine's order (E, NE, NW, W, SW, SE);
# "up" and "down" keep the column (a neighbour in an odd-r layout either way).
HEX_DIRECTIONS = {"e": 0, "ne": 1, "nw": 2, "w": 3, "sw": 4, "se": 5}


def step(grid: HexGrid, hex_number: int, direction: str) -> int:
    """The hex one step away in a direction, or the same hex at the map's edge."""
    h = int(hex_number)
    if direction in ("up", "down"):
        row, col = divmod(h, grid.width)
        row += -1 if direction == "up" else 1
        return row * grid.width + col if 0 <= row < grid.height else h
    nb = int(grid.neighbours[h, HEX_DIRECTIONS[direction]])
    return nb if nb >= 0 else h
