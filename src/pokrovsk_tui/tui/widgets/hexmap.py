"""The hex map: ONE Line-API widget on a ScrollView.

The static layer (terrain, roads, rail, names, objectives, supply sources) is worked out once
per map and zoom; the dynamic layer (control, front line, unit counters, overlays, targets,
changes) is a small key per hex, worked out when the picture changes. The cursor is a reactive
apart from the picture: a step draws again only the lines of the two hexes it leaves and
enters, and whoever watches it (the screens' panels) is told at once, in the same frame. A
hex's cell is rendered once per key and a map line's Strip is kept until a hex on it changes
(both in bounded LRU caches), so a repaint of the whole map is a lookup.
Colours come from component classes (see DEFAULT_CSS and app.tcss), so themes work; every
colour has a glyph beside it.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pokrovsk_tui.rules.params import TERRAINS
from pokrovsk_tui.rules.world import World

from .. import glyphs as G
from .. import labels as L
from ..geometry import LARGE, MapGeometry, Zoom, mouse_to_hex, step
from ..messages import HexActivated
from ..picture import MapPicture, front_marks

TERRAIN_CLASS = tuple(f"hexmap--{t}" for t in TERRAINS)
CONTROL_CLASS = ("hexmap--ua", "hexmap--ru", "hexmap--contested")


class HexMap(ScrollView, can_focus=True):
    """The map of the sector; the cursor moves with the arrows and the six hex directions."""

    cursor: reactive[int] = reactive(0, repaint=False, init=False)
    """The hex under the cursor (watch it to follow the cursor in the same frame)."""

    COMPONENT_CLASSES = {
        "hexmap--ua", "hexmap--ru", "hexmap--contested",
        *TERRAIN_CLASS,
        "hexmap--highway", "hexmap--road", "hexmap--rail", "hexmap--label", "hexmap--road-label",
        "hexmap--objective", "hexmap--source", "hexmap--front",
        "hexmap--unit-ua", "hexmap--unit-ru", "hexmap--unit-last",
        "hexmap--cursor", "hexmap--selected", "hexmap--target", "hexmap--target-unit", "hexmap--path", "hexmap--changed",
        "hexmap--ov1", "hexmap--ov2", "hexmap--ov3", "hexmap--ov-mark",
        "hexmap--mark-ua", "hexmap--mark-ru", "hexmap--mark-note", "hexmap--mark-surprise",
    }

    DEFAULT_CSS = """
    HexMap { background: $background; scrollbar-size: 1 1; }
    HexMap > .hexmap--ua { background: #12243a; }
    HexMap > .hexmap--ru { background: #3a1616; }
    HexMap > .hexmap--contested { background: #35284a; }
    HexMap > .hexmap--open { color: #8a9a6a; }
    HexMap > .hexmap--treeline { color: #4fbf5f; }
    HexMap > .hexmap--village { color: #e0b870; }
    HexMap > .hexmap--urban { color: #d0d0d0; }
    HexMap > .hexmap--industrial { color: #c09070; }
    HexMap > .hexmap--water { color: #5ab0f0; }
    HexMap > .hexmap--highway { color: #ffd75f; text-style: bold; }
    HexMap > .hexmap--road { color: #e8e8e8; }
    HexMap > .hexmap--rail { color: #a8a8b8; }
    HexMap > .hexmap--label { color: #ffffff; text-style: bold; }
    HexMap > .hexmap--road-label { color: #ffd75f; text-style: italic; }
    HexMap > .hexmap--objective { color: #ffd700; text-style: bold; }
    HexMap > .hexmap--source { color: #5fff87; text-style: bold; }
    HexMap > .hexmap--front { color: #ffffff; text-style: bold; }
    HexMap > .hexmap--unit-ua { background: #2060c0; color: #ffffff; text-style: bold; }
    HexMap > .hexmap--unit-ru { background: #c03030; color: #ffffff; text-style: bold; }
    HexMap > .hexmap--unit-last { color: #c08080; text-style: dim; }
    HexMap > .hexmap--cursor { background: #f0f0f0; color: #000000; text-style: bold; }
    HexMap > .hexmap--selected { background: #e0e040; color: #000000; text-style: bold; }
    HexMap > .hexmap--target { color: #5fff5f; text-style: bold; }
    HexMap > .hexmap--target-unit { text-style: bold underline; }
    HexMap > .hexmap--path { background: #6e6e10; }
    HexMap > .hexmap--changed { background: #805000; }
    HexMap > .hexmap--ov1 { background: #1c4040; }
    HexMap > .hexmap--ov2 { background: #246868; }
    HexMap > .hexmap--ov3 { background: #2e9a8a; }
    HexMap > .hexmap--ov-mark { color: #ffffff; text-style: bold; }
    HexMap > .hexmap--mark-ua { background: #3f7fe0; color: #ffffff; text-style: bold; }
    HexMap > .hexmap--mark-ru { background: #e05a3a; color: #ffffff; text-style: bold; }
    HexMap > .hexmap--mark-note { background: #ffd75f; color: #000000; text-style: bold; }
    HexMap > .hexmap--mark-surprise { background: #ff8c00; color: #000000; text-style: bold; }
    """

    BINDINGS = [
        Binding("left", "step('w')", "West", show=False),
        Binding("right", "step('e')", "East", show=False),
        Binding("up", "step('up')", "Up", show=False),
        Binding("down", "step('down')", "Down", show=False),
        Binding("7,home", "step('nw')", "North-west", show=False),
        Binding("9,pageup", "step('ne')", "North-east", show=False),
        Binding("4", "step('w')", "West", show=False),
        Binding("6", "step('e')", "East", show=False),
        Binding("1,end", "step('sw')", "South-west", show=False),
        Binding("3,pagedown", "step('se')", "South-east", show=False),
        Binding("enter,space", "activate", "Select", show=True),
    ]

    def __init__(self, world: World, *, zoom: Zoom = LARGE, name: str | None = None, id: str | None = None,
                 classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.world = world
        self.zoom = zoom
        self.geometry = MapGeometry(world.grid.width, world.grid.height, zoom)
        self.picture = MapPicture(control=world.initial_control.copy())
        self._front = front_marks(world, self.picture.control)
        self._keys: list | None = None           # per hex, without the cursor
        # a hex's cell per (hex, key): the whole map's at both zooms, and room for changes
        self._cells: LRUCache[tuple, list[list[Segment]]] = LRUCache(4 * world.grid.n)
        self._strips: LRUCache[int, Strip] = LRUCache(4 * world.grid.height)
        self._styles: LRUCache[tuple[str, ...], Style] = LRUCache(1024)
        self._static: dict[str, dict] = {}
        self._features = {int(h) for hs in world.objective_hexes for h in hs} | {int(h) for h in world.src_hex}
        self.virtual_size = Size(self.geometry.virtual_width, self.geometry.virtual_height)

    # ----- public ------------------------------------------------------------------------
    def invalidate_cache(self) -> None:
        """Forget every drawn cell and line (a new zoom or theme)."""
        self._cells.clear()
        self._strips.clear()

    def set_zoom(self, zoom: Zoom) -> None:
        if zoom == self.zoom:
            return
        self.zoom = zoom
        self.geometry = MapGeometry(self.world.grid.width, self.world.grid.height, zoom)
        self.virtual_size = Size(self.geometry.virtual_width, self.geometry.virtual_height)
        self.invalidate_cache()
        self._keys = None
        self.refresh()
        self.call_after_refresh(self.scroll_to_cursor, True)

    def set_picture(self, picture: MapPicture) -> None:
        """Show a new picture; only the map lines whose hexes changed are drawn again (the
        picture's ``cursor`` is not read: the cursor is the ``cursor`` reactive)."""
        if not np.array_equal(picture.control, self.picture.control):
            self._front = front_marks(self.world, picture.control)
        picture.cursor = self.cursor
        self.picture = picture
        keys = self._hex_keys()
        old = self._keys
        self._keys = keys
        if old is None:
            self._strips.clear()
            self.refresh()
            return
        width = self.world.grid.width
        self._refresh_rows({i // width for i, (a, b) in enumerate(zip(old, keys, strict=True)) if a != b})

    def _refresh_rows(self, rows: set[int]) -> None:
        """Draw again the map lines of these rows of hexes (all of them past a dozen rows)."""
        if len(rows) > 12:
            self._strips.clear()
            self.refresh()
            return
        ch = self.geometry.zoom.ch
        sy = self.scroll_offset.y
        top = self.margin[1]
        for r in rows:
            for dy in range(ch):
                self._strips.discard(r * ch + dy)
            self.refresh(Region(0, r * ch - sy + top, self.size.width, ch))

    def watch_cursor(self, old: int, new: int) -> None:
        self.picture.cursor = new
        width = self.world.grid.width
        self._refresh_rows({old // width, new // width})

    def move_cursor(self, hex_number: int, *, scroll: bool = True, center: bool = False) -> None:
        """Put the cursor on a hex (its watchers run at once), and keep it in view."""
        if hex_number == self.cursor:
            if center:
                self.scroll_to_cursor(center=True)
            return
        self.cursor = int(hex_number)
        if scroll:
            self.scroll_to_cursor(center=center)

    def scroll_to_cursor(self, center: bool = False) -> None:
        """Keep the cursor in view: centred after a jump, a hex from the edge when stepping."""
        x, y = self.geometry.origin(self.cursor)
        cw, ch = self.geometry.zoom.cw, self.geometry.zoom.ch
        region = Region(x, y, cw, ch)
        if center:
            self.scroll_to_region(region, animate=False, immediate=True, center=True)
        else:
            self.scroll_to_region(region.grow((ch, cw, ch, cw)), animate=False, immediate=True)

    def invalidate_styles(self) -> None:
        self._styles.clear()
        self.invalidate_cache()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self.invalidate_cache()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.scroll_to_cursor, True)

    # ----- input -------------------------------------------------------------------------
    def action_step(self, direction: str) -> None:
        self.move_cursor(step(self.world.grid, self.cursor, direction))

    def action_activate(self) -> None:
        self.post_message(HexActivated(self.cursor))

    def hex_at_event(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        sx, sy = self.scroll_offset
        mx, my = self.margin
        return mouse_to_hex(self.geometry, offset.x - mx, offset.y - my, sx, sy)

    def on_click(self, event: events.Click) -> None:
        h = self.hex_at_event(event)
        if h is None:
            return
        event.stop()
        self.focus()
        self.move_cursor(h, scroll=False)
        self.post_message(HexActivated(h))

    # ----- drawing -----------------------------------------------------------------------
    def _hex_keys(self) -> list:
        """Per hex, what its cell shows but the cursor (``_key`` adds the cursor)."""
        p = self.picture
        n = self.world.grid.n
        ov_level = p.overlay.level if p.overlay is not None else None
        ov_marks = p.overlay.marks if p.overlay is not None else {}
        targets = p.targets
        keys = []
        counters = p.counters
        control = p.control
        front = self._front
        marks = p.marks
        label_cells = self._label_cells()
        for h in range(n):
            hl = ""
            if h == p.selected:
                hl = "selected"
            elif targets is not None and targets[h]:
                hl = "target"
            elif h in p.path:
                hl = "path"
            elif h in p.changed:
                hl = "changed"
            keys.append((int(control[h]), front[h], counters.get(h), hl,
                         int(ov_level[h]) if ov_level is not None else 0, ov_marks.get(h, ""), marks.get(h),
                         label_cells.get(h, ())))
        return keys

    def _key(self, h: int) -> tuple:
        if self._keys is None:
            self._keys = self._hex_keys()
        key = self._keys[h]
        if h == self.cursor:
            key = (*key[:3], "cursor", *key[4:])
        return key

    def labels(self) -> tuple[L.Label, ...]:
        """The names placed on the map for the current picture: on cells that hide no unit,
        mark, target or objective (labels.py)."""
        p = self.picture
        n = self.world.grid.n
        front = self._front
        ov_level = p.overlay.level if p.overlay is not None else None
        ov_marks = p.overlay.marks if p.overlay is not None else {}
        marked = {h for h in range(n) if front[h]} | set(ov_marks) | set(p.marks) | set(p.path) | set(p.changed)
        if ov_level is not None:
            marked |= {int(h) for h in np.flatnonzero(ov_level)}
        targets = set() if p.targets is None else {int(h) for h in np.flatnonzero(p.targets)}
        blocked = L.blocked_cells(self.geometry, counters=set(p.counters), marks=marked, targets=targets,
                                  features=self._features)
        return L.place(self.world, self.geometry, blocked, L.beside_counters(self.geometry, set(p.counters)))

    def _label_cells(self) -> dict[int, tuple]:
        """Per hex: the label characters drawn on it, as (line, column, char, class)."""
        geo = self.geometry
        ch = geo.zoom.ch
        out: dict[int, list] = {}
        for lab in self.labels():
            for i, (x, y) in enumerate(lab.cells()):
                h = geo.hex_at(x, y)
                if h is None:
                    continue
                ox, oy = geo.origin(h)
                out.setdefault(h, []).append((y - oy if ch > 1 else 0, x - ox, lab.text[i], lab.cls))
        return {h: tuple(v) for h, v in out.items()}

    def _style(self, *names: str) -> Style:
        st = self._styles.get(names)
        if st is None:
            st = Style()
            for nm in names:
                if nm:
                    st += self.get_component_rich_style(nm, partial=True)
            self._styles.set(names, st)
        return st

    def _static_for(self, zoom: Zoom) -> dict:
        """Per hex: list of lines, each a list of (char, class) for the static layer."""
        cache = self._static.get(zoom.name)
        if cache is not None:
            return cache
        w = self.world
        g = w.grid
        cw, ch = zoom.cw, zoom.ch
        obj = {int(h) for hs in w.objective_hexes for h in hs}
        src = {int(h) for h in w.src_hex}
        cells: dict[int, list[list[tuple[str, str]]]] = {}
        for h in range(g.n):
            t = int(w.terrain[h])
            tg, tc = G.TERRAIN_GLYPHS[t], TERRAIN_CLASS[t]
            if h in obj:
                feat = (G.OBJECTIVE, "hexmap--objective")
            elif h in src:
                feat = (G.SOURCE, "hexmap--source")
            elif w.highway[h]:
                feat = (G.HIGHWAY, "hexmap--highway")
            elif w.road[h]:
                feat = (G.ROAD, "hexmap--road")
            elif w.rail[h]:
                feat = (G.RAIL, "hexmap--rail")
            else:
                feat = (tg, tc)
            if ch == 1:
                lines = [[feat, (tg, tc), (" ", "")][:cw]]
            else:
                second = (G.RAIL, "hexmap--rail") if w.rail[h] and feat[0] != G.RAIL else (tg, tc)
                lines = [[feat, (tg, tc), (tg, tc), (" ", "")],
                         [(" ", ""), (tg, tc), second, (" ", "")]]
            cells[h] = lines
        self._static[zoom.name] = cells
        return cells

    def _cell(self, h: int, key) -> list[list[Segment]]:
        cached = self._cells.get((h, key))
        if cached is not None:
            return cached
        ctrl, front, counter, hl, ov, ovmark, extra, label = key
        zoom = self.geometry.zoom
        cw = zoom.cw
        static = self._static_for(zoom)[h]
        bg = CONTROL_CLASS[ctrl]
        if ov:
            bg = f"hexmap--ov{ov}"
        hl_cls = f"hexmap--{hl}" if hl else ""
        # the mark slot: last column of the top line
        mark, mark_cls = "", "hexmap--front"
        if front:
            mark = front
        if ov:
            mark = G.OVERLAY_SHADES[ov]
            mark_cls = "hexmap--ov-mark"
        if ovmark:
            mark, mark_cls = ovmark, "hexmap--ov-mark"
        if hl == "changed":
            mark, mark_cls = G.CHANGED, "hexmap--front"
        elif hl == "path":
            mark, mark_cls = G.PATH, "hexmap--front"
        lines: list[list[tuple[str, str, str]]] = []   # (char, fg class, bg class)
        for sl in static:
            lines.append([(c, cls, bg) for c, cls in sl])
        for line, off, c, cls in label:
            lines[line][off] = (c, cls, bg)
        if mark:
            lines[0][cw - 1] = (mark, mark_cls, bg)
        if hl == "target":
            # a marker beside the front mark, on the control colour (no tint)
            lines[0][1] = (G.TARGET, "hexmap--target", bg)
        if counter is not None:
            text = counter.text(cw)
            if counter.kind == "last":
                ucls, ubg = "hexmap--unit-last", bg
            else:
                ucls = "hexmap--unit-ua" if counter.side == 0 else "hexmap--unit-ru"
                ubg = ""
            target_line = len(lines) - 1
            for i, c in enumerate(text[:cw]):
                lines[target_line][i] = (c, ucls, ubg)
        if extra is not None:
            glyph, suffix = extra
            lines[0][cw - 1] = (glyph, f"hexmap--mark-{suffix}", bg)
        out = []
        for ln in lines:
            segs = []
            for c, fg, b in ln:
                if hl == "target":
                    # the target's own marker, and a counter on it underlined
                    style = self._style(b, fg, "hexmap--target-unit") if fg.startswith("hexmap--unit-") \
                        else self._style(b, fg)
                elif hl_cls and (hl in ("cursor", "selected") or not fg.startswith("hexmap--unit-")):
                    style = self._style(b, fg, hl_cls) if hl in ("cursor", "selected") else self._style(hl_cls, fg)
                else:
                    style = self._style(b, fg)
                segs.append(Segment(c, style))
            out.append(segs)
        self._cells.set((h, key), out)
        return out

    def _line(self, y: int) -> Strip:
        strip = self._strips.get(y)
        if strip is not None:
            return strip
        geo = self.geometry
        zoom = geo.zoom
        g = self.world.grid
        row, sub = divmod(y, zoom.ch)
        base = self._style("")
        segs: list[Segment] = []
        lead = geo.row_start(row)
        if lead:
            segs.append(Segment(" " * lead, base))
        for col in range(g.width):
            h = row * g.width + col
            segs.extend(self._cell(h, self._key(h))[sub])
        tail = geo.virtual_width - lead - g.width * zoom.cw
        if tail > 0:
            segs.append(Segment(" " * tail, base))
        strip = Strip(Segment.simplify(segs), geo.virtual_width)
        self._strips.set(y, strip)
        return strip

    @property
    def margin(self) -> tuple[int, int]:
        """(left, top) blank cells that centre a map smaller than the widget."""
        return (max(0, (self.size.width - self.geometry.virtual_width) // 2),
                max(0, (self.size.height - self.geometry.virtual_height) // 2))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        mx, my = self.margin
        vy = y + scroll_y - my
        width = self.size.width
        if vy < 0 or vy >= self.geometry.virtual_height:
            return Strip.blank(width, self.rich_style)
        strip = self._line(vy)
        if mx:
            strip = Strip.join([Strip.blank(mx, self.rich_style), strip])
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def render_all(self) -> list[Strip]:
        """Every line of the whole map (for benchmarks and tests)."""
        return [self._line(y) for y in range(self.geometry.virtual_height)]
