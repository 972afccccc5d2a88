"""Re-roll a turn: the same orders re-adjudicated K times from the state at the start of the
turn (``rules.montecarlo.replicate``, one vectorised call), to ask "how likely was what
happened?".

Replication 0 is the real resolution (the same random draws as the game), so it equals the
saved outcome; the result says whether it did: ``replication_0_matches`` (every field within
1e-9 of the saved state after the turn) and ``replication_0_exact`` (the same digest; a
batch of several replications can differ from the single game in the last bit of a float,
e.g. a unit's supply). Replications 1..K-1 draw fresh dice.

``reroll(save, turn, k)`` returns plain data:

- ``losses[side]``: the side's strength lost that turn over the K replications: ``mean``,
  ``p10``, ``p90``, ``min``, ``max``, ``actual`` (what happened) and ``percentile`` of the actual
  outcome (the share of replications with smaller losses, ties counting half, in %), and
  ``by_cause`` means;
- ``hexes``: per key hex (the objective hexes, and the hexes whose control changed that turn):
  ``p`` (probability of each control outcome ua / ru / contested), ``actual`` and
  ``p_actual``, ``before`` (control at the start), ``objective`` (its name, or None),
  ``changed``;
- ``vp[side]`` gained that turn (mean, p10, p90, actual); ``ends``: probability the game ended
  that turn, by winner (when it was still going at the start).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.montecarlo import replicate
from pokrovsk_tui.rules.scenario import SIDES
from pokrovsk_tui.rules.world import CAUSES
from pokrovsk_tui.store.replay import orders_of, turn_waives
from pokrovsk_tui.store.savefmt import SaveGame
from pokrovsk_tui.store.snapshot import state_digest

from .timeline import CONTROL_NAMES, place, timeline
from .words import ordinal

DEFAULT_K = 200
MAX_K = 5000


class RerollError(ValueError):
    """A re-roll that cannot be made (turn not in the save, K out of range)."""


def _dist(x: np.ndarray, actual: float) -> dict[str, float]:
    eps = 1e-9
    below = float(np.mean(x < actual - eps))
    tie = float(np.mean(np.abs(x - actual) <= eps))
    return {"mean": round(float(x.mean()), 2), "p10": round(float(np.percentile(x, 10)), 2),
            "p90": round(float(np.percentile(x, 90)), 2), "min": round(float(x.min()), 2),
            "max": round(float(x.max()), 2), "actual": round(float(actual), 2),
            "percentile": round(100.0 * (below + 0.5 * tie), 1)}


def reroll(save: SaveGame, turn: int, k: int = DEFAULT_K) -> dict[str, Any]:
    """Turn ``turn`` of the save re-adjudicated ``k`` times (see the module's docstring)."""
    tl = timeline(save)
    if not tl.first <= turn <= tl.last:
        raise RerollError(f"turn {turn} is not in this save (turns {tl.first} to {tl.last})"
                          if tl.last >= tl.first else "no turn has been played in this save")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise RerollError(f"replications must be 1 to {MAX_K}, not {k!r}")
    world = tl.world
    saved = save.turns[turn - tl.first]
    before, after = tl.state_at(turn), tl.state_at(turn + 1)
    batch = replicate(world, before, orders_of(saved), Dice(save.seed), k, waive=turn_waives(world, before, saved))
    first = batch.replica(0)
    out: dict[str, Any] = {"turn": turn, "replications": k,
                           "replication_0_matches": not first.equal(after, tol=1e-9),
                           "replication_0_exact": state_digest(first) == saved.digest}

    lost = batch.casualties - before.casualties[None]               # (k, 2, causes)
    real = after.casualties - before.casualties
    out["losses"] = {}
    for s, key in enumerate(SIDES):
        d = _dist(lost[:, s].sum(axis=1), float(real[s].sum()))
        d["by_cause"] = {c: round(float(lost[:, s, j].mean()), 2) for j, c in enumerate(CAUSES)}
        d["actual_by_cause"] = {c: round(float(real[s, j]), 2) for j, c in enumerate(CAUSES)}
        out["losses"][key] = d
    gained = batch.vp - before.vp[None]
    out["vp"] = {key: _dist(gained[:, s], float(after.vp[s] - before.vp[s])) for s, key in enumerate(SIDES)}
    out["ends"] = None
    if not before.over:
        w = np.asarray(batch.winner).reshape(k)
        out["ends"] = {"ua": float(np.mean(w == 0)), "ru": float(np.mean(w == 1)), "draw": float(np.mean(w == 2)),
                       "going_on": float(np.mean(w < 0)),
                       "actual": {0: "ua", 1: "ru", 2: "draw"}.get(int(after.winner), "going_on")}

    g = world.grid
    objective_of: dict[int, str] = {}
    for ob, hexes in zip(world.scenario.objectives, world.objective_hexes, strict=True):
        for h in hexes:
            objective_of.setdefault(int(h), ob.name)
    changed = set(np.flatnonzero(before.control != after.control).tolist())
    hexes = []
    for h in list(objective_of) + sorted(changed - set(objective_of)):
        c = batch.control[:, h]
        p = {name: round(float(np.mean(c == i)), 4) for i, name in enumerate(CONTROL_NAMES)}
        actual = CONTROL_NAMES[after.control[h]]
        hexes.append({"hex": g.hex_id(h), "place": place(world, g.hex_id(h)), "objective": objective_of.get(h),
                      "changed": h in changed, "before": CONTROL_NAMES[before.control[h]], "actual": actual,
                      "p": p, "p_actual": p[actual]})
    out["hexes"] = hexes
    return out


def format_lines(r: dict[str, Any], all_hexes: bool = False) -> list[str]:
    """The re-roll as lines of text (for the command line)."""
    out = [f"turn {r['turn']} re-rolled {r['replications']} times with the same orders "
           f"(replication 0 {'equals' if r['replication_0_matches'] else 'DOES NOT equal'} what happened)"]
    for key in SIDES:
        d = r["losses"][key]
        out.append(f"  {key.upper()} losses: actual {d['actual']:.1f}; mean {d['mean']:.1f}, p10 {d['p10']:.1f}, "
                   f"p90 {d['p90']:.1f}; the actual outcome is at the {ordinal(d['percentile'])} percentile")
    for key in SIDES:
        d = r["vp"][key]
        out.append(f"  {key.upper()} VP gained: actual {d['actual']:.1f}; mean {d['mean']:.1f} "
                   f"(p10 {d['p10']:.1f}, p90 {d['p90']:.1f})")
    if r["ends"] is not None and r["ends"]["going_on"] < 1.0:
        e = r["ends"]
        out.append(f"  game ends this turn: UA wins {e['ua']:.0%}, RU wins {e['ru']:.0%}, draw {e['draw']:.0%} "
                   f"(actual: {e['actual'].replace('_', ' ')})")
    shown = [h for h in r["hexes"] if all_hexes or h["changed"] or h["p_actual"] < 0.95]
    if shown:
        out.append("  key hexes (objective or changed hands): P(ua / ru / contested) -> what happened")
        for h in sorted(shown, key=lambda h: h["p_actual"]):
            tag = f" [{h['objective']}]" if h["objective"] else ""
            p = h["p"]
            out.append(f"    {h['place']}{tag}: {h['before']} -> {h['actual']}; P {p['ua']:.0%} / {p['ru']:.0%} / "
                       f"{p['contested']:.0%}; what happened had P {h['p_actual']:.0%}")
    hidden = len(r["hexes"]) - len(shown)
    if hidden:
        out.append(f"  ({hidden} more objective hexes kept their owner in at least 95% of replications)")
    return out
