"""Luck or judgement, from any position: play the rest of a saved game from the start of one of
its turns N times with new dice, and compare what actually happened with the distribution.

``from_turn(save, turn, games)`` returns plain data (``--json`` prints it as is):

- ``turn``, ``games``, ``seeds`` (game i uses ``seed + i``; the default ``seed`` is never the
  save's, so every game rolls new dice), ``policies`` {ua, ru} (default: the save's computer
  players and levels), ``stop_turn`` (the scenario's end, or the save's last turn when the
  saved game is not over, so both are compared at the same turn);
- ``winners`` {ua, ru, draw}: games won; ``margin`` (UA VP minus RU VP at the end): ``mean``,
  ``p10``, ``p50``, ``p90``, ``min``, ``max``, ``histogram`` [(low, high, count)];
- ``actual``: the saved game's ``winner`` and ``margin``, its ``percentile`` among the
  simulated margins (the share of games with a smaller margin, ties counting half, in %) and
  ``winner_share`` (the share of simulated games with the same winner).

``format_lines`` says it in words for the command line and the replay.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from pokrovsk_tui.ai.policies import POLICIES as _POLICIES
from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import WINNERS, play_game, winner_of
from pokrovsk_tui.report.words import ordinal
from pokrovsk_tui.store.replay import current_state, state_at
from pokrovsk_tui.store.savefmt import SaveGame

POLICIES = tuple(_POLICIES)     # hold, random, easy, normal, hard
MAX_GAMES = 10_000


class FromTurnError(ValueError):
    """A run that cannot be made; ``flag`` names the option at fault."""

    def __init__(self, flag: str, message: str):
        self.flag = flag
        super().__init__(message)


def default_policies(save: SaveGame, ua: str | None = None, ru: str | None = None) -> dict[str, str]:
    """The policies to play each side: those given, else the save's computer player's level."""
    out = {}
    for key, given in (("ua", ua), ("ru", ru)):
        player = getattr(save.players, key)
        if given is None and player.kind == "ai" and player.level in POLICIES:
            given = player.level
        if given is None:
            raise FromTurnError(f"--{key}", f"{player.label()} played this side in the save; give --{key} POLICY "
                                            f"({', '.join(POLICIES)}) to play it")
        if given not in POLICIES:
            raise FromTurnError(f"--{key}", f"{given!r} is not a policy: {', '.join(POLICIES)}")
        out[key] = given
    return out


def _play(world, names: tuple[str, str], seed: int, state, stop: int | None) -> tuple[str, float]:
    rec = play_game(world, (policy_for(names[0]), policy_for(names[1])), seed=seed, max_turns=stop, start=state)
    return WINNERS[winner_of(world, rec.final)], round(float(rec.final.vp[0] - rec.final.vp[1]), 2)


def _job(args):
    return _play(*args)


def from_turn(save: SaveGame, turn: int, games: int, ua: str | None = None, ru: str | None = None,
              seed: int | None = None, jobs: int = 1,
              progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> dict[str, Any]:
    """The rest of the game from the start of ``turn``, played ``games`` times (see the
    module's docstring). ``progress(done, games)`` is called after each game; ``cancelled()``
    true stops early (the games played so far are reported)."""
    if isinstance(games, bool) or not isinstance(games, int) or not 1 <= games <= MAX_GAMES:
        raise FromTurnError("--games", f"give 1 to {MAX_GAMES} games, not {games!r}")
    last = save.next_turn - 1
    if isinstance(turn, bool) or not isinstance(turn, int) or not save.start_turn <= turn <= last:
        have = f"turns {save.start_turn} to {last}" if last >= save.start_turn else "no turn played yet"
        raise FromTurnError("--turn", f"turn {turn} is not in this save ({have})")
    names = default_policies(save, ua, ru)
    world = save.world()
    start = state_at(save, turn)
    if start.over:
        raise FromTurnError("--turn", f"the game was over before turn {turn}")
    final = current_state(save)
    stop = None if final.over else last
    base = seed if seed is not None else save.seed + 1
    seeds = [base + i for i in range(games)]
    if seed is None and save.seed in seeds:            # every default game rolls new dice
        seeds = [s + games for s in seeds]
    pair = (names["ua"], names["ru"])
    results: list[tuple[str, float]] = []
    if jobs > 1 and games > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for r in pool.map(_job, [(world, pair, s, start, stop) for s in seeds]):
                results.append(r)
                if progress:
                    progress(len(results), games)
    else:
        for s in seeds:
            if cancelled is not None and cancelled():
                break
            results.append(_play(world, pair, s, start, stop))
            if progress:
                progress(len(results), games)
    return summarise(results, seeds[:len(results)], turn=turn, policies=names, stop=stop, world=world,
                     actual=(WINNERS[winner_of(world, final)], round(float(final.vp[0] - final.vp[1]), 2)))


def summarise(results: list[tuple[str, float]], seeds: list[int], *, turn: int, policies: dict[str, str],
              stop: int | None, world, actual: tuple[str, float]) -> dict[str, Any]:
    m = np.array([r[1] for r in results], dtype=float) if results else np.zeros(0)
    wins = {w: sum(1 for r in results if r[0] == w) for w in ("ua", "ru", "draw")}
    out: dict[str, Any] = {"turn": turn, "games": len(results), "seeds": seeds, "policies": policies,
                           "stop_turn": stop if stop is not None else world.scenario.turns,
                           "margin_needed": world.scenario.victory.margin, "winners": wins}
    if len(m):
        eps = 1e-9
        pct = 100.0 * (float(np.mean(m < actual[1] - eps)) + 0.5 * float(np.mean(np.abs(m - actual[1]) <= eps)))
        edges = np.histogram_bin_edges(m, bins=min(8, max(1, len(set(m.tolist())))))
        counts, edges = np.histogram(m, bins=edges)
        out["margin"] = {"mean": round(float(m.mean()), 2), "p10": round(float(np.percentile(m, 10)), 2),
                         "p50": round(float(np.percentile(m, 50)), 2), "p90": round(float(np.percentile(m, 90)), 2),
                         "min": round(float(m.min()), 2), "max": round(float(m.max()), 2),
                         "histogram": [[round(float(edges[i]), 2), round(float(edges[i + 1]), 2), int(c)]
                                       for i, c in enumerate(counts)]}
        out["actual"] = {"winner": actual[0], "margin": actual[1], "percentile": round(pct, 1),
                         "winner_share": round(wins[actual[0]] / len(results), 3)}
    else:
        out["margin"] = None
        out["actual"] = {"winner": actual[0], "margin": actual[1], "percentile": None, "winner_share": None}
    return out


WHO = {"ua": "UA wins", "ru": "RU wins", "draw": "draws"}


def format_lines(r: dict[str, Any], width: int = 40) -> list[str]:
    """The distribution in words and a text histogram."""
    p = r["policies"]
    n = r["games"]
    out = [f"from the start of turn {r['turn']} to turn {r['stop_turn']}: {n} game(s) with new dice, "
           f"UA {p['ua']} vs RU {p['ru']} (seeds {r['seeds'][0]}..{r['seeds'][-1]})" if n else
           f"from the start of turn {r['turn']}: no game played"]
    if not n:
        return out
    w = r["winners"]
    out.append("  winners: " + ", ".join(f"{WHO[k]} {w[k]} ({w[k] / n:.0%})" for k in ("ua", "ru", "draw")))
    m = r["margin"]
    out.append(f"  VP margin (UA - RU): mean {m['mean']:+.1f}, p10 {m['p10']:+.1f}, median {m['p50']:+.1f}, "
               f"p90 {m['p90']:+.1f} (min {m['min']:+.1f}, max {m['max']:+.1f}; "
               f"{r['margin_needed']:g} needed to win on points)")
    top = max(c for _, _, c in m["histogram"]) or 1
    a = r["actual"]
    for lo, hi, c in m["histogram"]:
        mark = "  <- the actual game" if lo <= a["margin"] <= hi else ""
        out.append(f"    {lo:+7.1f} .. {hi:+7.1f} | {'#' * max(1 if c else 0, round(c / top * width)):<{width}} "
                   f"{c}{mark}")
    out.append(f"  the actual game: {WHO[a['winner']]} with margin {a['margin']:+.1f}, at the "
               f"{ordinal(a['percentile'])} percentile of these margins; "
               f"{a['winner_share']:.0%} of these games had the same result")
    return out
