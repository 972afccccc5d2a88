"""Candidate plans: a whole side's orders for the day, built from a :class:`Situation` by
rules of thumb and parameterised by a few *knobs* (how bold the assaults, how many drone
sorties stay on patrol, where the glide bombs go...). The commander builds several plans with
different knobs and, at the normal and hard levels, lets the Monte Carlo engine pick one.

Every plan is checked with the engine's own ``validate`` before it leaves the AI.

The parts: plans_base.py (features, knobs, the plan, prices), plans_ground.py (ground
orders), plans_fires.py (fire missions), plans_logistics.py (robot runs), plans_odds.py (the
combat arithmetic of an assault as the side sees it).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pokrovsk_tui.rules.orders import validate

from .plans_base import FULL, SIMPLE, Features, Knobs, Plan, Weights
from .plans_fires import FiresPlanner
from .plans_ground import GroundPlanner
from .plans_logistics import LogisticsPlanner
from .plans_odds import assault_outlook, going

__all__ = ["FULL", "SIMPLE", "Features", "Knobs", "Plan", "Planner", "Weights", "assault_outlook", "going",
           "variants"]


class Planner(GroundPlanner, FiresPlanner, LogisticsPlanner):
    """Builds one plan from a situation and knobs: the ground orders, then the fires and the
    robot runs that support them, checked with the engine's ``validate``."""

    # ---- main
    def build(self) -> Plan:
        if self.f.guards:
            self._guards()
        self._attacks()
        self._ground_rest()
        fires = self._fires()
        logi = self._ugv()
        orders = list(self.ground.values()) + fires + logi
        ok, bad = validate(self.ctx(), orders)
        self.plan.orders = ok
        if bad:
            self.plan.note("refused", f"{len(bad)} orders refused by validation: {bad[0]}")
        return self.plan


def variants(base: Knobs, names: list[str]) -> list[Knobs]:
    """Named knob settings derived from a base."""
    table: dict[str, dict[str, Any]] = {
        "balanced": {},
        "cautious": {"min_ratio": 1.0, "probe": 0.25, "ev_bias": 1.0, "patrol_share": 0.6, "max_move_loss": 0.02},
        "bold": {"min_ratio": 0.0, "probe": 0.8, "ev_bias": -0.5, "patrol_share": 0.35, "max_move_loss": 0.10},
        "strike": {"patrol_share": 0.15},
        "patrol": {"patrol_share": 0.8},
        "hold": {"min_ratio": 9.0, "probe": 0.0, "ev_bias": 5.0, "reserves_move": False},
        "nobombstrip": {"bomb_strip": False},
        "dig": {"reserves_move": False},
    }
    return [replace(base, name=nm, **table[nm]) for nm in names]
