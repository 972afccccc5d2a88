"""The game loop, once: asking a policy for a side's orders and playing one day.

Every way a game moves on goes through here: the app's session (``GameSession.resolve``),
headless games (``sim.play_game``: ``pokrovsk simulate``, tournaments, what-if, from-turn),
``pokrovsk resume`` and a game taken over from a replay (a branch, played as a session).

- ``TurnRecord``: one resolved day (the orders as given, the AI's intents, the events, the
  state after it);
- ``policy_for(name)``: the policy of that name (``hold``, ``random`` or a computer
  commander level);
- ``decide(policy, view, rng)``: the orders and intent lines of a policy (a name or a callable)
  for a side's view, the one way to ask;
- ``play_day(world, state, dice, orders, intents)``: the engine resolves the day.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pokrovsk_tui.ai.policies import POLICIES, Policy, policy_rng
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.state import GameState
from pokrovsk_tui.rules.view import SideView
from pokrovsk_tui.rules.world import World

__all__ = ["TurnRecord", "decide", "play_day", "policy_for", "policy_rng"]


@dataclass
class TurnRecord:
    """One resolved turn: the orders as given, the AI's intents, the events, the state after."""

    turn: int
    orders: dict[int, list[Order]]
    events: list[Event]
    state: GameState
    intents: dict[int, list[str]] = field(default_factory=dict)   # side -> commander's intent lines


def policy_for(name: str) -> Policy:
    """The policy of that name; KeyError for an unknown one."""
    return POLICIES[name]


def decide(policy: Policy | str, side_view: SideView, rng: np.random.Generator) -> tuple[list[Order], list[str]]:
    """A policy's orders for a side's view and, for the computer commander, its intent lines.

    ``policy`` is a name (``policy_for``) or a callable ``(view, rng) -> orders``; one that
    also has ``decide(view, rng)`` (the commander) gives its intent too."""
    if isinstance(policy, str):
        policy = policy_for(policy)
    if hasattr(policy, "decide"):
        d = policy.decide(side_view, rng)
        return list(d.orders), [str(x) for x in d.intent]
    return list(policy(side_view, rng)), []


def play_day(world: World, state: GameState, dice: Dice, orders: dict[int, list[Order]],
             intents: dict[int, list[str]] | None = None) -> TurnRecord:
    """Resolve the day of ``state`` with both sides' orders: its record (sides without intent
    lines have no entry in ``intents``)."""
    turn = int(state.turn)
    after, events = resolve_turn(world, state, orders, dice)
    return TurnRecord(turn, orders, events, after,
                      intents={s: list(v) for s, v in (intents or {}).items() if v})
