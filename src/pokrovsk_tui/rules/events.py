"""Events: what happened in a turn, each with the breakdown that answers "why?"."""

from __future__ import annotations

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
