"""What one side knows: its own units exactly, enemy units only as detected (strength as a
band) or as dimmed last-seen markers, the public control map, and its own events.

``view(world, state, side)`` is the only thing a player screen or an AI is handed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .events import Event, render
from .legal import OrderContext
from .scenario import SIDES
from .state import GameState
from .world import World

LAST_SEEN_TURNS = 3   # a marker fades this many turns after the last sighting
BAND = 20.0


@dataclass(frozen=True)
class Contact:
    """An enemy unit as this side knows it."""

    unit: str
    type: str
    hex: int
    band: tuple[int, int]     # strength between these
    seen_turn: int
    current: bool             # detected in the latest turn; else a last-seen marker
    dug_in: int | None = None  # its entrenchment as seen, for a unit detected in the latest turn


@dataclass(frozen=True, eq=False)
class SideView:
    world: World
    side: int
    turn: int
    weather: int
    control: np.ndarray          # (n,) public
    vp: np.ndarray               # (2,) public
    winner: int
    own: np.ndarray              # (U,) bool: own units on the map
    hex: np.ndarray              # (U,) own hexes, -1 for anything not own
    strength: np.ndarray
    cohesion: np.ndarray
    supply: np.ndarray
    entrench: np.ndarray
    isolated: np.ndarray
    stock: np.ndarray
    fire_control: np.ndarray     # (n,) own interdiction fire control
    casualties: np.ndarray       # (5,) own losses by cause
    contacts: tuple[Contact, ...]
    last_seen: np.ndarray | None = None   # (U,) turn each enemy unit was last seen, -1 never (own: -1)

    def context(self) -> OrderContext:
        return OrderContext(world=self.world, side=self.side, turn=self.turn, on_map=self.own,
                            hex=self.hex, stock=self.stock, supply=self.supply, control=self.control)

    @property
    def own_units(self) -> np.ndarray:
        return np.flatnonzero(self.own)


def days_since_seen(v: SideView, c: Contact) -> int:
    """Days since the side last saw this contact: 1 for a sighting of the latest day."""
    return int(v.turn - c.seen_turn)


def band(strength: float) -> tuple[int, int]:
    lo = int(strength // BAND * BAND)
    return lo, int(lo + BAND)


def band_shown(b: tuple[int, int], full: float) -> tuple[int, int]:
    """A contact's strength band as a player reads it: never above the unit type's full
    strength (a full 100 company reads 80-100, not 100-120). The map counter's digit and the
    Hex panel both use it; the computer's own estimates keep ``band`` (they cap at full)."""
    lo, hi = b
    top = int(round(full))
    if hi <= top:
        return lo, hi
    return max(0, min(lo, top - int(BAND))), top


def band_middle(b: tuple[int, int], full: float) -> float:
    """The middle of the shown band: the strength a counter's digit stands for."""
    lo, hi = band_shown(b, full)
    return (lo + hi) / 2


def view(world: World, state: GameState, side: int) -> SideView:
    """The side's knowledge of a single (unbatched) state."""
    mine = (world.u_side == side) & state.on_map

    def own(a, fill):
        return np.where(mine, a, fill)

    contacts = []
    last = state.turn - 1   # the latest resolved turn
    seen = np.flatnonzero((world.u_side != side) & (state.seen_hex[side] >= 0))
    # the seen units' fields as Python numbers, gathered once (not read unit by unit)
    for u, seen_turn, detected, on_map, h, s, dug, t in zip(
            seen.tolist(), state.seen_turn[side, seen].tolist(), state.detected[side, seen].tolist(),
            state.on_map[seen].tolist(), state.seen_hex[side, seen].tolist(), state.seen_strength[side, seen].tolist(),
            state.entrench[seen].tolist(), world.u_type[seen].tolist(), strict=True):
        current = detected and seen_turn == last and on_map
        if not current and last - seen_turn >= LAST_SEEN_TURNS:
            continue
        contacts.append(Contact(unit=world.unit_ids[u], type=world.type_names[t], hex=h, band=band(s),
                                seen_turn=seen_turn, current=current, dug_in=dug if current else None))
    return SideView(
        world=world, side=side, turn=state.turn, weather=int(state.weather), control=state.control.copy(),
        vp=state.vp.copy(), winner=int(state.winner), own=mine,
        hex=own(state.hex, -1), strength=own(state.strength, 0.0), cohesion=own(state.cohesion, 0.0),
        supply=own(state.supply, 0.0), entrench=own(state.entrench, 0), isolated=own(state.isolated, 0),
        stock=own(state.stock, 0), fire_control=state.fire_control[side].copy(),
        casualties=state.casualties[side].copy(), contacts=tuple(contacts),
        last_seen=np.where(world.u_side != side, state.seen_turn[side], -1))


# ----- which units a side can name --------------------------------------------------------
#
# The one rule of what a side may read about enemy units, used by the app, the replay, the
# report and the surprises alike:
#   - its own units: by id;
#   - an enemy unit detected in the latest turn, or shown as a last-seen marker (seen within
#     LAST_SEEN_TURNS turns): by id;
#   - an enemy unit seen before but whose marker has faded: by its type only
#     ("an undetected enemy artillery battery");
#   - any other enemy unit: "an undetected enemy unit".
# The truth (an instructor, ``None`` for a side) names every unit.

UNDETECTED = "an undetected enemy unit"


@dataclass(frozen=True, eq=False)
class Knowledge:
    """Which enemy units one side can name, and how it describes the others."""

    world: World
    side: int | None                    # None: the truth, every unit named
    named: frozenset[str]               # enemy ids the side may name (detected or last-seen)
    detected: frozenset[str]            # ... of which detected in the latest turn
    typed: dict[str, str]               # enemy ids seen before (marker faded) -> type name
    index: dict[str, int] = field(default_factory=dict)   # unit id -> slot (the world's)

    def __post_init__(self) -> None:
        if not self.index:
            object.__setattr__(self, "index", self.world.unit_index)

    def status(self, unit_id: str) -> str:
        """``own``, ``detected``, ``last_seen``, ``type_known``, ``undetected`` (``own`` for
        the truth and for anything that is not a unit of this world)."""
        u = self.index.get(unit_id) if isinstance(unit_id, str) else None
        if self.side is None or u is None or int(self.world.u_side[u]) == self.side:
            return "own"
        if unit_id in self.detected:
            return "detected"
        if unit_id in self.named:
            return "last_seen"
        return "type_known" if unit_id in self.typed else "undetected"

    def name(self, unit_id: str) -> str:
        """The unit's id when the side may name it, else how the side describes it."""
        st = self.status(unit_id)
        if st in ("own", "detected", "last_seen"):
            return unit_id
        if st == "type_known":
            return f"an undetected enemy {_lower_first(self.typed[unit_id])}"
        return UNDETECTED


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _type_label(world: World, u: int) -> str:
    key = world.type_names[world.u_type[u]]
    spec = world.scenario.unit_types.get(key)
    return spec.name if spec is not None and spec.name else key.replace("_", " ")


def truth(world: World) -> Knowledge:
    """The instructor's knowledge: every unit named."""
    return Knowledge(world=world, side=None, named=frozenset(), detected=frozenset(), typed={})


def knowledge(v: SideView | Knowledge) -> Knowledge:
    """A side's Knowledge from its view (of the live game or of a saved turn's state)."""
    if isinstance(v, Knowledge):
        return v
    cached = _KNOWLEDGE.get(id(v))
    if cached is not None and cached[0] is v:
        return cached[1]
    world = v.world
    named = frozenset(c.unit for c in v.contacts)
    detected = frozenset(c.unit for c in v.contacts if c.current)
    typed = {}
    if v.last_seen is not None:
        for u in np.flatnonzero(v.last_seen >= 0):
            if world.unit_ids[u] not in named:
                typed[world.unit_ids[u]] = _type_label(world, int(u))
    k = Knowledge(world=world, side=v.side, named=named, detected=detected, typed=typed)
    _KNOWLEDGE[id(v)] = (v, k)
    while len(_KNOWLEDGE) > 64:
        _KNOWLEDGE.pop(next(iter(_KNOWLEDGE)))
    return k


_KNOWLEDGE: dict[int, tuple[SideView, Knowledge]] = {}


def knowledge_at(world: World, state: GameState, side: int | None) -> Knowledge:
    """What ``side`` knew in ``state`` (e.g. a saved turn's state); the truth for None."""
    return truth(world) if side is None else knowledge(view(world, state, side))


def name_unit(k: SideView | Knowledge | None, unit_id: str) -> str:
    """How a side names a unit: its id when it may (own, detected, last-seen marker), else
    "an undetected enemy <type>" (seen before) or "an undetected enemy unit". None: the truth."""
    if k is None:
        return unit_id
    return knowledge(k).name(unit_id)


def _k(v: SideView | Knowledge | None) -> Knowledge | None:
    return None if v is None else knowledge(v)


def mask_value(k: SideView | Knowledge | None, value: Any) -> Any:
    """``value`` (an event's ``why``, a surprise ...) with every unit id in it, as a whole
    string value or a dict key, replaced by how the side names that unit. Structural: a
    string is a unit id or it is left alone; no text is searched. Dict keys that would
    collide ("an undetected enemy unit" twice) are numbered."""
    k = _k(k)
    if k is None or k.side is None:
        return value
    return _mask(k, value)


def _mask(k: Knowledge, v: Any) -> Any:
    if isinstance(v, str):
        return k.name(v) if v in k.index else v
    if isinstance(v, dict):
        out: dict[Any, Any] = {}
        for key, x in v.items():
            name = k.name(key) if isinstance(key, str) and key in k.index else key
            if name in out:
                n = 2
                while f"{name} ({n})" in out:
                    n += 1
                name = f"{name} ({n})"
            out[name] = _mask(k, x)
        return out
    if isinstance(v, list | tuple):
        return type(v)(_mask(k, x) for x in v)
    return v


def text_for(k: SideView | Knowledge | None, template: str, units: Iterable[str]) -> str:
    """A template (see ``rules.events``) filled with how the side names each unit."""
    units = list(units)
    kk = _k(k)
    names = units if kk is None else [kk.name(u) for u in units]
    return render(template, names, {i for i, (n, u) in enumerate(zip(names, units, strict=True)) if n != u})


def event_for(k: SideView | Knowledge | None, e: Event) -> Event:
    """One event as the side may read it: unit references it may not name described
    (``Knowledge.name``) in the text, ``units`` and ``why``. None: the event unchanged."""
    kk = _k(k)
    if kk is None or kk.side is None:
        return e
    names = tuple(kk.name(u) for u in e.units)
    return dataclasses.replace(e, text=text_for(kk, e.template, e.units), units=names, why=_mask(kk, e.why))


def events_for(v: SideView | Knowledge | None, events: Iterable[Event]) -> list[Event]:
    """The events a side may read (``visible_to``), as it may read them (``event_for``).
    ``v`` is the side's view (or Knowledge) after the events' turn; None: the truth, all
    events unchanged."""
    kk = _k(v)
    if kk is None or kk.side is None:
        return list(events)
    key = SIDES[kk.side]
    return [event_for(kk, e) for e in events if key in e.visible_to]


# ----- what a side could have seen coming -------------------------------------------------

NOT_SEEN_BY_DESIGN = {
    "glide_bombs": "glide bombs are released by aircraft off the map: no unit on the map to detect",
    "kill_zone": "enemy fire control (the kill zone) is never shown to a side",
    "robots": "robot runs are lost to enemy fire control on the route, never shown to a side",
}


def could_have_seen(kind: str, by: str | None, fire_kind: str | None = None) -> tuple[bool, str]:
    """Whether a loss a side did not see coming was *missed* (True: an enemy unit on the map
    caused it - a drone unit, artillery or an assault group - that recon could have found
    before the day) or *could not be seen by design* (False: glide bombs, the kill zone, robot
    runs lost to fire control); with the reason in words. ``kind`` is the surprise's kind
    (fires, assault, kill_zone, robots); ``fire_kind`` the fire mission's (glide_bombs, ...)."""
    if kind == "fires" and (by is None or fire_kind == "glide_bombs"):
        return False, NOT_SEEN_BY_DESIGN["glide_bombs"]
    if kind in NOT_SEEN_BY_DESIGN:
        return False, NOT_SEEN_BY_DESIGN[kind]
    return True, "an enemy unit on the map that recon could have found before the day"
