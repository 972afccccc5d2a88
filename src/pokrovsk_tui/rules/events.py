"""Events: what happened in a turn, each with the breakdown that answers "why?".

An event's text is kept as a template whose unit references are placeholders ``{0}``,
``{1}`` ... tied to the event's ``units`` (written with ``ref(k)`` when the event is emitted);
a literal ``{`` is doubled (``lit``). ``text`` is the template filled with the unit ids (the
truth), filled in when first read; ``rules.view.events_for`` fills it with what a side may know of each unit instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Event:
    turn: int
    phase: str
    kind: str
    text: str
    visible_to: tuple[str, ...] = ("ua", "ru")   # which sides may read it
    hex: str | None = None
    units: tuple[str, ...] = ()
    why: dict[str, Any] = field(default_factory=dict)
    template: str = ""       # the text with unit placeholders; "" -> the text has none

    def __post_init__(self) -> None:
        if self.template and not self.text:
            # the text is filled in when first read (__getattr__): a game's events are many,
            # and a save keeps only their templates
            object.__delattr__(self, "text")
        elif not self.template:
            object.__setattr__(self, "template", lit(self.text))

    def __getattr__(self, name: str) -> str:
        # called only for an attribute not set: the text of an event made from a template
        if name != "text" or "template" not in self.__dict__:
            raise AttributeError(name)
        text = render(self.template, self.units)
        object.__setattr__(self, "text", text)
        return text

    @classmethod
    def from_template(cls, turn: int, phase: str, kind: str, template: str, visible_to: tuple[str, ...],
                      hex: str | None, units: tuple[str, ...], why: dict[str, Any]) -> Event:
        """``Event(turn, phase, kind, "", visible_to, hex, units, why, template)`` without the
        dataclass's frozen __init__ (the engine makes many events a turn); the text is filled
        in when first read, as for any event made from a template."""
        e = cls.__new__(cls)
        d = e.__dict__                  # (set item by item: cheaper than update's keywords)
        d["turn"] = turn
        d["phase"] = phase
        d["kind"] = kind
        d["visible_to"] = visible_to
        d["hex"] = hex
        d["units"] = units
        d["why"] = why
        d["template"] = template
        return e

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"turn": self.turn, "phase": self.phase, "kind": self.kind, "text": self.text,
                             "visible_to": list(self.visible_to)}
        if self.hex is not None:
            d["hex"] = self.hex
        if self.units:
            d["units"] = list(self.units)
        if self.why:
            d["why"] = {k: clean(v) for k, v in self.why.items()}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(turn=int(d["turn"]), phase=d["phase"], kind=d["kind"], text=d["text"],
                   visible_to=tuple(d.get("visible_to", ("ua", "ru"))), hex=d.get("hex"),
                   units=tuple(d.get("units", ())), why=dict(d.get("why", {})))


_TOKEN = re.compile(r"\{\{|\{(\d+)\}")


def ref(k: int) -> str:
    """The placeholder for the event's ``units[k]`` in a template."""
    return "{" + str(int(k)) + "}"


def lit(text: str) -> str:
    """Literal text (a road or place name from the scenario) made safe for a template."""
    return text.replace("{", "{{")


def render(template: str, names: Sequence[str], described: set[int] | frozenset[int] = frozenset()) -> str:
    """Fill a template's placeholders with ``names`` (by index); a description (its index in
    ``described``, e.g. "an undetected enemy unit") at the start of the text gets a capital."""
    def one(m: re.Match) -> str:
        if m.group(1) is None:
            return "{"
        k = int(m.group(1))
        if k >= len(names):
            return m.group(0)
        s = names[k]
        return s[:1].upper() + s[1:] if m.start() == 0 and k in described else s
    return _TOKEN.sub(one, template)


def clean(v: Any) -> Any:
    """Plain Python values (rounded floats) fit for JSON and TOML."""
    if isinstance(v, dict):
        return {str(k): clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [clean(x) for x in v]
    if isinstance(v, np.ndarray):
        return [clean(x) for x in v.tolist()]
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return round(float(v), 4)
    return v
