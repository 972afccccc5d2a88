"""Headless games: two policies play a scenario (the game loop of ``loop.py``); results as
plain dicts for the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from pokrovsk_tui.ai.policies import Policy
from pokrovsk_tui.game.loop import TurnRecord, decide, play_day, policy_rng
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.state import GameState, initial_state
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.world import CAUSES, CONTESTED, World

SIDE_KEYS = ("ua", "ru")
WINNERS = {0: "ua", 1: "ru", 2: "draw"}


@dataclass
class GameRecord:
    seed: int
    world: World
    initial: GameState
    final: GameState
    turns: list[TurnRecord] = field(default_factory=list)

    def result(self) -> dict:
        return game_result(self.world, self.final, self.seed)


def winner_of(world: World, state: GameState) -> int:
    """The result now: the engine's verdict, or the VP margin for a game stopped early."""
    if state.winner >= 0:
        return int(state.winner)
    margin = float(state.vp[0] - state.vp[1])
    need = world.scenario.victory.margin
    return 0 if margin >= need else 1 if -margin >= need else 2


def game_result(world: World, state: GameState, seed: int) -> dict:
    ctrl = state.control
    return {
        "seed": int(seed),
        "winner": WINNERS[winner_of(world, state)],
        "turns": int(state.turn - 1),
        "vp": {k: round(float(state.vp[i]), 2) for i, k in enumerate(SIDE_KEYS)},
        "casualties": {k: {c: round(float(state.casualties[i, j]), 2) for j, c in enumerate(CAUSES)}
                       for i, k in enumerate(SIDE_KEYS)},
        "hexes": {"ua": int((ctrl == 0).sum()), "ru": int((ctrl == 1).sum()), "contested": int((ctrl == CONTESTED).sum())},
    }


def play_game(world: World, policies: tuple[Policy | str, Policy | str], seed: int, max_turns: int | None = None,
              keep_history: bool = False, on_turn: Callable[[TurnRecord], None] | None = None,
              start: GameState | None = None) -> GameRecord:
    """Play from the initial state (or from ``start``, e.g. a resumed save's last state) until
    the game ends or turn ``max_turns`` has been played. A policy is a name or a callable
    (``loop.decide``)."""
    dice = Dice(seed)
    state = initial_state(world) if start is None else start
    rec = GameRecord(seed=seed, world=world, initial=state, final=state)
    limit = world.scenario.turns if max_turns is None else min(max_turns, world.scenario.turns)
    while not state.over and state.turn <= limit:
        decided = {s: decide(policies[s], view(world, state, s), policy_rng(seed, state.turn, s)) for s in (0, 1)}
        tr = play_day(world, state, dice, {s: d[0] for s, d in decided.items()},
                      {s: d[1] for s, d in decided.items()})
        state = tr.state
        if keep_history:
            rec.turns.append(tr)
        if on_turn:
            on_turn(tr)
    rec.final = state
    return rec


def summarize(results: list[dict]) -> dict:
    n = len(results)
    if n == 0:
        return {"games": 0}
    wins = {k: sum(r["winner"] == k for r in results) for k in ("ua", "ru", "draw")}
    cas = {s: {c: round(float(np.mean([r["casualties"][s][c] for r in results])), 2) for c in CAUSES}
           for s in SIDE_KEYS}
    total = {s: sum(cas[s].values()) for s in SIDE_KEYS}
    all_cas = sum(total.values()) or 1.0
    by_cause = {c: sum(cas[s][c] for s in SIDE_KEYS) for c in CAUSES}
    return {
        "games": n,
        "wins": wins,
        "vp": {s: round(float(np.mean([r["vp"][s] for r in results])), 2) for s in SIDE_KEYS},
        "casualties": cas,
        "casualties_total": {s: round(total[s], 2) for s in SIDE_KEYS},
        "drone_share": round(by_cause["drone"] / all_cas, 4),
        "glide_bomb_artillery_share": round((by_cause["glide_bomb"] + by_cause["artillery"]) / all_cas, 4),
        "hexes": {k: round(float(np.mean([r["hexes"][k] for r in results])), 2) for k in ("ua", "ru", "contested")},
        "turns": round(float(np.mean([r["turns"] for r in results])), 2),
    }
