"""What the map shows, as data (no Textual): the unit counters a side sees (its own, the
enemy it detected, last-seen markers) or the ground truth, the front-line marks, and the
whole picture the hex map widget draws (widgets/hexmap.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pokrovsk_tui.rules.legal import path_to, suggested_targets
from pokrovsk_tui.rules.state import GameState
from pokrovsk_tui.rules.view import SideView, band_middle
from pokrovsk_tui.rules.world import ROLES, World

from . import glyphs as G
from .overlays import Overlay


@dataclass(frozen=True)
class Counter:
    """The unit counter drawn on a hex."""

    side: int
    letter: str
    digit: str
    kind: str          # "unit" (own or seen now) or "last" (last-seen marker)
    stacked: bool = False

    def text(self, width: int) -> str:
        if width >= 4:
            if self.kind == "last":
                o, c = G.LAST_SEEN_BRACKETS
            else:
                o, c = G.SIDE_BRACKETS[self.side]
            return f"{o}{self.letter}{self.digit}{G.STACK_MARK if self.stacked else c}"
        return f"{self.letter}{self.digit}{G.STACK_MARK if self.stacked else ''}"


@dataclass
class MapPicture:
    """Everything dynamic the map shows, worked out by the screen from a side's view."""

    control: np.ndarray
    counters: dict[int, Counter] = field(default_factory=dict)
    cursor: int = 0
    selected: int | None = None
    targets: np.ndarray | None = None
    path: frozenset[int] = frozenset()
    overlay: Overlay | None = None
    changed: frozenset[int] = frozenset()
    # extra one-character marks (a replay's orders, notes, surprises): hex -> (glyph, class
    # suffix: "hexmap--mark-<suffix>"); drawn in the hex's mark slot, over a stack mark
    marks: dict[int, tuple[str, str]] = field(default_factory=dict)


def _stack(items: dict[int, list[tuple[float, Counter]]]) -> dict[int, Counter]:
    out: dict[int, Counter] = {}
    for h, lst in items.items():
        lst.sort(key=lambda x: -x[0])
        top = lst[0][1]
        if len(lst) > 1:
            top = Counter(top.side, top.letter, top.digit, top.kind, True)
        out[h] = top
    return out


def counters_truth(world: World, state: GameState, selected: int | None = None) -> dict[int, Counter]:
    """The counter drawn on each hex when the whole truth is shown: every unit on the map
    (the strongest on top, the selected unit first)."""
    items: dict[int, list[tuple[float, Counter]]] = {}
    full = world.u_full
    for u in np.flatnonzero(state.on_map):
        side = int(world.u_side[u])
        role = ROLES[world.u_role[u]]
        items.setdefault(int(state.hex[u]), []).append(
            (float(state.strength[u]) + (1000 if u == selected else 0),
             Counter(side, G.unit_letter(role, side), G.strength_digit(float(state.strength[u]), float(full[u])),
                     "unit")))
    return _stack(items)


def counters_view(world: World, view: SideView, selected: int | None = None) -> dict[int, Counter]:
    """The counter drawn on each hex for a side: its own units exactly, the enemy units it
    detects now (strength as the middle of the band) and dimmed last-seen markers; nothing
    of what it has not detected."""
    items: dict[int, list[tuple[float, Counter]]] = {}
    full = world.u_full
    for u in view.own_units:
        role = ROLES[world.u_role[u]]
        items.setdefault(int(view.hex[u]), []).append(
            (2000 + float(view.strength[u]) + (1000 if u == selected else 0),
             Counter(view.side, G.unit_letter(role, view.side),
                     G.strength_digit(float(view.strength[u]), float(full[u])), "unit")))
    for c in view.contacts:
        u = world.unit_index[c.unit]
        side = int(world.u_side[u])
        role = ROLES[world.u_role[u]]
        mid = band_middle(c.band, float(full[u]))
        if c.current:
            entry = (500 + mid, Counter(side, G.unit_letter(role, side), G.strength_digit(mid, float(full[u])), "unit"))
        else:
            entry = (mid, Counter(side, G.unit_letter(role, side), "?", "last"))
        items.setdefault(int(c.hex), []).append(entry)
    return _stack(items)


def front_marks(world: World, control: np.ndarray) -> np.ndarray:
    """(n,) mark per hex: '' inside, 'u'/'r' on the front line, '×' contested."""
    nb = world.grid.neighbours
    own = control[:, None]
    other = np.where(nb >= 0, control[np.maximum(nb, 0)], own)
    front = (other != own).any(axis=1)
    out = np.full(control.shape, "", dtype=object)
    out[front & (control == 0)] = G.FRONT_MARK[0]
    out[front & (control == 1)] = G.FRONT_MARK[1]
    out[control == 2] = G.CONTESTED
    return out


def side_picture(world: World, state: GameState, view: SideView | None, cursor: int, *,
                 selected: int | None = None, action: str | None = None, action_unit: int | None = None,
                 book=None, overlay: Overlay | None = None, changed: frozenset[int] = frozenset()) -> MapPicture:
    """The game screen's picture: a side's knowledge (``view``), or the ground truth when
    ``view`` is None; while an order is given (``action``), its suggested targets and the path
    a move to the cursor would take; else the move ordered for the selected unit."""
    targets = None
    path: frozenset[int] = frozenset()
    if action is not None and view is not None:
        targets = suggested_targets(view, action_unit, action)
        if action == "move" and action_unit is not None and targets[cursor]:
            path = frozenset(path_to(view, action_unit, cursor))
    elif selected is not None and view is not None and book is not None:
        for o in book.for_unit(world.unit_ids[selected]):
            if o.kind == "move":
                path = frozenset(world.grid.index(h) for h in o.path)
    sel_hex = None
    if selected is not None:
        if view is None:
            sel_hex = int(state.hex[selected]) if state.on_map[selected] else None
        elif view.own[selected]:
            sel_hex = int(view.hex[selected])
    counters = counters_truth(world, state, selected) if view is None else counters_view(world, view, selected)
    return MapPicture(control=state.control.copy(), counters=counters, cursor=cursor, selected=sel_hex,
                      targets=targets, path=path, overlay=overlay, changed=changed)
