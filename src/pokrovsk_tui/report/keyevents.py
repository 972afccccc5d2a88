"""Events a class can follow: which of a day's events are *key* (combat results, objectives
changing hands, units destroyed, large fires, the end of the game), key first; and a filter
by phase, side, hex, unit and words, typed as one line ("combat ru 2213", "ru-ag-3 routed").

Used by the replay's event list (and anything else that lists a day's events); the screen only
shows what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.scenario import SIDES

PHASES = ("weather", "orders", "detection", "fires", "movement", "combat", "logistics", "recovery", "victory")
FIRE_KINDS = ("strike", "hunt", "artillery_fire", "glide_bombs")
LARGE_FIRE = 3.0          # strength: a fire mission that did at least this much damage is key
LARGE_HIT = 3.0           # strength lost on a hex to fire in one "hit" event


def is_key(e: Event, objective_hexes: frozenset[str] = frozenset()) -> bool:
    """A key event: a ground combat against defenders (its result), a hex of an objective
    changing hands, a unit destroyed, a fire mission or hit of at least 3 strength, the end of
    the game."""
    why = e.why if isinstance(e.why, dict) else {}
    if e.phase == "combat" and e.kind in ("assault", "infiltration", "raid"):
        return bool(why.get("defenders")) or (e.hex in objective_hexes)
    if e.phase == "recovery" and e.kind == "lost":
        return True
    if e.phase == "fires" and e.kind in FIRE_KINDS:
        return float(why.get("damage", 0.0) or 0.0) >= LARGE_FIRE
    if e.phase == "fires" and e.kind == "hit":
        losses = why.get("losses", {})
        return isinstance(losses, dict) and sum(float(v) for v in losses.values()) >= LARGE_HIT
    if e.phase == "victory" and e.kind in ("sudden_death", "end"):
        return True
    return False


def key_first(events: list[Event], objective_hexes: frozenset[str] = frozenset()) -> tuple[list[Event], list[Event]]:
    """(key events, the rest), each in the order they happened."""
    key, rest = [], []
    for e in events:
        (key if is_key(e, objective_hexes) else rest).append(e)
    return key, rest


def acting_side(e: Event, side_of: dict[str, int]) -> str | None:
    """The side that acted: a combat's attacker, a unit's own side, else the one side told."""
    why = e.why if isinstance(e.why, dict) else {}
    if why.get("side") in SIDES:
        return why["side"]
    for u in e.units:
        if u in side_of:
            return SIDES[side_of[u]]
    if len(e.visible_to) == 1:
        return e.visible_to[0]
    return None


@dataclass(frozen=True)
class EventFilter:
    phases: frozenset[str] = frozenset()
    sides: frozenset[str] = frozenset()
    hexes: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()
    key_only: bool = False
    said: list[str] = field(default_factory=list, compare=False)

    @property
    def empty(self) -> bool:
        return not (self.phases or self.sides or self.hexes or self.units or self.words or self.key_only)

    def describe(self) -> str:
        return ", ".join(self.said) if self.said else "everything"


def parse_filter(text: str, hex_ids: set[str] | frozenset[str] = frozenset(),
                 unit_ids: set[str] | frozenset[str] = frozenset()) -> EventFilter:
    """A filter from one typed line: phase names (combat, fires, ...), ua / ru, hex ids of the
    map, unit ids, "key" (key events only); any other word is searched for in the text."""
    phases, sides, hexes, units, words, key = set(), set(), set(), set(), [], False
    said = []
    for tok in text.lower().split():
        if tok in PHASES:
            phases.add(tok)
            said.append(f"phase {tok}")
        elif tok in SIDES:
            sides.add(tok)
            said.append(f"side {tok.upper()}")
        elif tok in hex_ids:
            hexes.add(tok)
            said.append(f"hex {tok}")
        elif tok in unit_ids:
            units.add(tok)
            said.append(f"unit {tok}")
        elif tok in ("key", "!"):
            key = True
            said.append("key events only")
        else:
            words.append(tok)
            said.append(f'"{tok}"')
    return EventFilter(frozenset(phases), frozenset(sides), frozenset(hexes), frozenset(units), tuple(words), key,
                       said)


def matches(e: Event, f: EventFilter, side_of: dict[str, int], text: str | None = None,
            key: bool | None = None) -> bool:
    """Whether the event passes the filter (``text``: the event's words as shown, default its
    own text; ``key``: whether it is key, when ``f.key_only``)."""
    if f.phases and e.phase not in f.phases:
        return False
    if f.sides and acting_side(e, side_of) not in f.sides:
        return False
    if f.hexes and e.hex not in f.hexes:
        return False
    words = (text if text is not None else e.text).lower()
    if f.units and not any(u in words for u in f.units):     # as named on screen: a side never finds
        return False                                          # a unit it could not name

    if f.key_only and not key:
        return False
    return all(w in words for w in f.words)
