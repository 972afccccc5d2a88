"""What every part of the planner shares: the features a level plans with, the knobs that
tell one candidate plan from another, the plan being built, the planner's prices, and
``PlannerBase`` (the situation, the knobs, the ground orders so far and the order helpers) that
the ground, fires and logistics planners (plans_ground.py, plans_fires.py,
plans_logistics.py) extend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np

from pokrovsk_tui.rules import legal
from pokrovsk_tui.rules.orders import Order

from .situation import Situation

T = TypeVar("T")


@dataclass(frozen=True)
class Features:
    """What the planner takes into account (the levels differ here; see levels.py)."""

    hidden_odds: bool = True       # unseen defenders may stand on a hex that looks empty
    guards: bool = True            # keep units on the ground whose loss ends the game
    recon_hunt: bool = True        # recon before strikes; hunt enemy drone/EW teams
    supply_lines: bool = True      # own supply corridors to keep, the enemy's to cut


FULL = Features()
SIMPLE = Features(hidden_odds=False, guards=False, recon_hunt=False, supply_lines=False)


@dataclass(frozen=True)
class Knobs:
    """What distinguishes one candidate plan from another."""

    name: str = "balanced"
    min_ratio: float = 0.5          # attack ratio (A/D) below which a defended hex is not assaulted
    probe: float = 0.5              # walk into a hex that looks empty if P(hidden defender) < probe
    ev_bias: float = 0.0            # VP an assault must be expected to earn beyond its cost
    patrol_share: float = 0.45      # share of each drone unit's sorties kept on patrol
    interdict: bool = True          # put fire control on the enemy's roads (RU: the road objective)
    bomb_strip: bool = True         # glide bombs concentrated where an assault goes in
    recon: bool = True              # recon the hexes we strike or assault before the fires land
    reserves_move: bool = True      # reserves walk to the threatened hexes
    rest_cohesion: float = 45.0     # below this cohesion a unit out of contact rests
    max_move_loss: float = 0.04     # a unit moves only if the kill zone on its way costs less
    focus: int = -1                 # sector index to weight (hard level's sector variants)
    focus_weight: float = 1.0


@dataclass
class Plan:
    knobs: Knobs
    orders: list[Order]
    notes: dict[str, list[str]] = field(default_factory=dict)
    assaults: list[tuple[int, list[int], str, float, float]] = field(default_factory=list)  # hex, units, kind, P(take), ev

    def note(self, key: str, text: str) -> None:
        self.notes.setdefault(key, []).append(text)


@dataclass(frozen=True)
class Weights:
    """How the planner prices things, in VP-like units."""

    kill: float = 0.22              # per enemy strength point destroyed
    loss: float = 0.22              # per own strength point lost
    entrench: float = 1.2           # per level of entrenchment given up by advancing
    exposure: float = 0.02          # per point of enemy strength able to hit a hex we advance into
    doctrine: tuple[float, float] = (1.3, 0.6)   # own losses priced x this (UA, RU): Russia spends men
    trenches: tuple[float, float] = (1.0, 0.25)  # entrenchment priced x this: the defender lives in his

    def for_side(self, side: int) -> Weights:
        return replace(self, loss=self.loss * self.doctrine[side], entrench=self.entrench * self.trenches[side])


def made(sit: Situation, **fields) -> Order:
    """``Order(**fields)``, made once a day: orders are frozen and compare by value, so the
    plans of a day (and the same order given again) may share one."""
    key = ("made", *sorted(fields.items()))
    ex = sit.extra
    got = ex.get(key)
    if got is None:
        got = ex[key] = Order(**fields)
    return got


class PlannerBase:
    """The state of one plan being built: what the ground, fires and logistics parts share."""

    def __init__(self, sit: Situation, knobs: Knobs, weights: Weights | None = None, features: Features = Features()):
        self.sit = sit
        self.k = knobs
        self.wt = (weights or Weights()).for_side(sit.side)
        self.f = features
        self.plan = Plan(knobs=knobs, orders=[])
        self.ground: dict[int, Order] = {}
        self.assault_hexes: dict[int, float] = {}     # hex -> expected value of today's assault there
        self._tv: dict[tuple[int, bool], float] = {}  # (hex, assaulted) -> value of a fire target
        self.guard_raid: dict[int, set[int]] = {}     # guards: unit -> the hexes it guards

    # ---- helpers
    def daily(self, key: tuple, make: Callable[[], T]) -> T:
        """``make()`` worked out once a day: what depends only on the side's view, the same
        for every candidate plan, is kept in the situation. Callers must not change it."""
        ex = self.sit.extra
        try:
            return ex[key]
        except KeyError:
            got = ex[key] = make()
            return got

    def ctx(self) -> legal.OrderContext:
        """The side view's order context (what the legality checks read), made once a day."""
        return self.daily(("ctx",), self.sit.view.context)

    def legal_targets(self, u: int | None, kind: str) -> np.ndarray:
        """``legal.legal_targets`` of the side's view, once a day per unit and kind."""
        return self.daily(("legal_targets", u, kind), lambda: legal.legal_targets(self.ctx(), u, kind))

    def targets_at(self, u: int, kind: str, hexes: np.ndarray) -> np.ndarray:
        """``legal_targets(u, kind)[hexes]`` (hexes on the map) worked out for the hexes asked
        about only (``legal.targets_among``; a big map's other hexes are never looked at), each
        hex once a day per unit and kind."""
        n = self.sit.n
        known, ok = self.daily(("targets_at", u, kind), lambda: (np.zeros(n, bool), np.zeros(n, bool)))
        hexes = np.asarray(hexes, np.int64)
        new = hexes[~known[hexes]]
        if new.size:
            ok[new] = legal.targets_among(self.ctx(), u, kind, new)
            known[new] = True
        return ok[hexes]

    def target_ok(self, u: int, kind: str, h: int) -> bool:
        """``legal.target_refusal(view, u, kind, h) is None`` (no target rule of
        ``legal.conditions`` fails), once a day per unit, kind and hex."""
        def make() -> bool:
            t = int(h)
            return all(c.ok(t) for c in self.daily(("conditions", u, kind), lambda: legal.conditions(self.ctx(), u, kind)))
        return self.daily(("target_ok", u, kind, h), make)

    def targets_ok(self, u: int, kind: str, hexes: tuple[int, ...]) -> tuple[bool, ...]:
        """``target_ok(u, kind, h)`` for each of ``hexes``, once a day per unit, kind and hexes:
        ``legal.targets_among`` (the same target rules, for the hexes at once) when the unit may
        take the kind at all, else hex by hex."""
        def make() -> tuple[bool, ...]:
            ctx = self.ctx()
            if legal.may_take(ctx, u, kind):
                return tuple(legal.targets_among(ctx, u, kind, np.asarray(hexes, np.int64)).tolist())
            return tuple(self.target_ok(u, kind, h) for h in hexes)
        return self.daily(("targets_ok", u, kind, hexes), make)

    def uid(self, u: int) -> str:
        return self.sit.world.unit_ids[int(u)]

    def hid(self, h: int) -> str:
        return self.sit.grid.hex_id(int(h))

    def move_loss(self, u: int) -> np.ndarray:
        """``sit.move_loss(u)``, once a day per signature (all it depends on of the unit)."""
        w = self.sit.world
        return self.daily(("move_loss", float(w.t_signature[w.u_type[u]])), lambda: self.sit.move_loss(u))

    def order(self, kind: str, u: int, target: int | None = None) -> Order:
        """The order ``kind`` for unit ``u`` (at hex ``target``), made once a day: orders are
        frozen, so every plan of the day may share it."""
        ex = self.sit.extra
        key = ("order", kind, u, target)
        got = ex.get(key)
        if got is None:
            got = ex[key] = (Order(kind=kind, unit=self.uid(u)) if target is None
                             else Order(kind=kind, unit=self.uid(u), target=self.hid(target)))
        return got

    def made(self, **fields) -> Order:
        """``Order(**fields)``, made once a day (``made``)."""
        return made(self.sit, **fields)

    def set_ground(self, u: int, kind: str, target: int | None = None, path: list[int] | None = None) -> None:
        if kind == "move":
            assert path is not None
            self.ground[int(u)] = self.daily(("move", int(u), tuple(path)), lambda: Order(
                kind="move", unit=self.uid(u), path=tuple(self.sit.grid.ids(path))))
        else:
            self.ground[int(u)] = self.order(kind, int(u), None if target is None else int(target))
