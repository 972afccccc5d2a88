"""What the game and replay screens share around the map: the zoom it opens at, the overlays
(cached, bounded), the keys that work the same on both, and moving the focus between the map
and the list under it."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from textual.binding import Binding
from textual.cache import LRUCache
from textual.widgets import OptionList

from pokrovsk_tui.rules.world import World

from ..geometry import COMPACT, LARGE, Zoom
from ..overlays import OVERLAY_KEYS, OVERLAY_TITLES, Overlay
from ..picture import MapPicture
from ..widgets.hexmap import HexMap

MAP_BINDINGS = [
    Binding("f2", "overlay('supply')", "Supply", show=False),
    Binding("f3", "overlay('killzone')", "Kill zone", show=False),
    Binding("f4", "overlay('detection')", "Detection", show=False),
    Binding("f5", "overlay('ew')", "EW", show=False),
    Binding("plus,equals_sign,minus", "zoom", "Zoom", show=False),
    Binding("g", "focus_map", "Map", show=False),
    Binding("w", "why", "Why?", show=False),
]
"""The keys both screens give the same meaning."""


def opening_zoom(world: World) -> Zoom:
    """A map that fits a 120 x 40 screen at the large zoom opens large, any other compact."""
    return LARGE if (world.grid.width * 4 + 2 <= 84 and world.grid.height * 2 <= 30) else COMPACT


def focus_first(ol: OptionList) -> None:
    """Focus a list, highlighting its first item that can be chosen if none is."""
    ol.focus()
    if ol.highlighted is None:
        first = next((i for i in range(ol.option_count) if not ol.get_option_at_index(i).disabled), None)
        if first is not None:
            ol.highlighted = first


def chosen_id(ol: OptionList) -> int | None:
    """The id (a number) of the highlighted option of a list, or None."""
    if ol.highlighted is None:
        return None
    opt = ol.get_option_at_index(ol.highlighted)
    return int(opt.id) if opt.id is not None else None


class MapView:
    """Mixed into a Screen that has ``self.map`` (a HexMap), ``picture()``, ``overlay`` (the
    overlay's name or None) and says when overlays are refused and what to draw again after
    one changed."""

    map: HexMap
    overlay: str | None
    OVERLAY_CYCLE: tuple[str, ...] = ()      # the overlays the cycle key steps through
    CYCLE_KEY = "v"

    def picture(self) -> MapPicture:
        raise NotImplementedError

    def overlay_refused(self) -> str | None:
        """Why no overlay can be shown now (a side's knowledge is not on screen), or None."""
        return None

    def overlay_changed(self) -> None:
        raise NotImplementedError

    def action_overlay(self, name: str) -> None:
        refusal = self.overlay_refused()
        if refusal is not None:
            self.notify(refusal, title="Overlay")
            return
        self.overlay = None if self.overlay == name else name
        if self.overlay:
            self.notify(f"{OVERLAY_TITLES[self.overlay]}  ({OVERLAY_KEYS[self.overlay]} toggles, {self.CYCLE_KEY} next)",
                        title="Overlay")
        self.overlay_changed()

    def action_cycle_overlay(self) -> None:
        seq = [None, *self.OVERLAY_CYCLE]
        nxt = seq[(seq.index(self.overlay) + 1) % len(seq)] if self.overlay in seq else None
        self.overlay = None
        if nxt is None:
            self.overlay_changed()
        else:
            self.action_overlay(nxt)

    def make_map(self, world: World, id: str) -> HexMap:
        self._overlay_cache: LRUCache[Hashable, Overlay] = LRUCache(32)
        self.map = HexMap(world, zoom=opening_zoom(world), id=id)
        return self.map

    def cached_overlay(self, key: Hashable, compute: Callable[[], Overlay]) -> Overlay:
        ov = self._overlay_cache.get(key)
        if ov is None:
            ov = compute()
            self._overlay_cache.set(key, ov)
        return ov

    def action_zoom(self) -> None:
        self.map.set_zoom(COMPACT if self.map.zoom == LARGE else LARGE)
        self.map.set_picture(self.picture())

    def action_focus_map(self) -> None:
        self.map.focus()
