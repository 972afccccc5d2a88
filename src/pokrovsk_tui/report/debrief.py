"""The front page of the after-action report: the result and why, and the key moments.

``front(tl)`` (plain data): VP by objective (``rules.scoring``), the final control of each
objective, the VP margin day by day and where the lead changed, and how close each
sudden-death condition came. ``key_moments(tl, who)``: 3 to 7 moments chosen from the data -
the largest VP swings, objectives changing hands, the heaviest losses, units destroyed and the
least likely combat results (by the odds the rules gave) - each told in one sentence with
place names and odds, with the hexes to ring on its map and discussion prompts on the four
questions of an after-action review (what was planned, what happened, why, what to keep or
change). For a side (``who`` "ua"/"ru") only what it could know is told: its own losses,
objectives (control is public), combats its units fought, enemy units named only as it could
name them (``rules.view.name_unit``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pokrovsk_tui.rules.scenario import SIDES
from pokrovsk_tui.rules.scoring import day_factor, objective_gains
from pokrovsk_tui.rules.view import name_unit
from pokrovsk_tui.rules.world import CONTESTED

from .places import and_list, where
from .timeline import CAUSE_LABELS
from .words import ordinal

NAMES = {"ua": "UA", "ru": "RU", "draw": "neither side"}
RESULT_WORDS = {"R": "was repulsed", "E": "ended in a standoff, the hex contested",
                "D": "pushed the defenders out", "X": "routed the defenders"}
MAX_MOMENTS = 7


# ----- the result and why ----------------------------------------------------------------

def vp_by_objective(tl) -> list[dict[str, Any]]:
    """Per objective: VP scored by each side over the game, and the final control of its hexes.
    Control is saved; fire control on roads only in part (a patrol's is not), so the day's total
    (saved exactly) settles a road that fire alone held: it is credited to RU."""
    world = tl.world
    scn = world.scenario
    tot = np.zeros((len(scn.objectives), 2))
    for t in tl.turns:
        before, after = tl.state_at(t), tl.state_at(t + 1)
        g = objective_gains(world, after.control[None, :], after.fire_control[1][None, :])[0]
        f = day_factor(world, t)
        actual = np.asarray(after.vp - before.vp, dtype=float)
        for i, ob in enumerate(scn.objectives):                   # settle roads held by patrol fire
            if ob.kind == "road" and actual[1] - g.sum(axis=0)[1] * f > 0.01 and g[i, 0] > 0:
                g[i] = (0.0, ob.vp)
        tot += g * f
    final = tl.state_at(tl.last + 1).control
    rows = []
    for i, (ob, hexes) in enumerate(zip(scn.objectives, world.objective_hexes, strict=True)):
        c = final[hexes]
        held = {"ua": int((c == 0).sum()), "ru": int((c == 1).sum()), "contested": int((c == CONTESTED).sum())}
        rows.append({"id": ob.id, "name": ob.name, "kind": ob.kind, "vp_day": ob.vp, "hexes": len(hexes),
                     "vp": {"ua": round(float(tot[i, 0]), 1), "ru": round(float(tot[i, 1]), 1)}, "final": held,
                     "holder": max(("ua", "ru"), key=lambda k: held[k]) if held["ua"] != held["ru"] else "split"})
    return rows


def sudden_death_closeness(tl) -> list[dict[str, Any]]:
    """How close each sudden-death condition came: the most of its hexes its side held on any
    day (control_all) and the longest it ran against the days needed."""
    world = tl.world
    out = []
    for i, (sd, hexes) in enumerate(zip(world.scenario.victory.sudden_death, world.sudden_death_hexes, strict=True)):
        s = 0 if sd.side == "ua" else 1
        best_days, best_day, best_held, held_day = 0, None, 0, None
        for t in tl.turns:
            st = tl.state_at(t + 1)
            run = int(st.sd_days[i])
            if run > best_days:
                best_days, best_day = run, t
            held = int((st.control[hexes] == s).sum())
            if held > best_held:
                best_held, held_day = held, t
        fired = bool(tl.state_at(tl.last + 1).end_reason == i)
        if sd.kind == "control_all":
            said = (f"{NAMES[sd.side]} never held any of its {len(hexes)} hexes" if best_held == 0 else
                    f"closest on day {held_day}: {NAMES[sd.side]} held {best_held} of {len(hexes)} hexes")
        else:
            said = ("the supply path was never cut" if best_days == 0 else
                    f"closest on day {best_day}: cut {best_days} of the {sd.days} days needed")
        out.append({"name": sd.name, "side": sd.side, "kind": sd.kind, "fired": fired, "days_needed": sd.days,
                    "longest_run": best_days, "most_hexes": best_held, "hexes": len(hexes),
                    "text": ("it happened: " + said) if fired else said})
    return out


def front(tl) -> dict[str, Any]:
    objs = vp_by_objective(tl)
    margins = [round(float(tl.state_at(t + 1).vp[0] - tl.state_at(t + 1).vp[1]), 1) for t in tl.turns]
    crossings = [tl.turns[i] for i in range(1, len(margins)) if np.sign(margins[i]) != np.sign(margins[i - 1])
                 and margins[i] != 0]
    diff = sorted(objs, key=lambda o: -abs(o["vp"]["ua"] - o["vp"]["ru"]))
    why = []
    for o in diff[:3]:
        d = o["vp"]["ua"] - o["vp"]["ru"]
        if abs(d) >= 0.05:
            how = "; scored by control or fire control of the road" if o["kind"] == "road" else ""
            why.append(f"{o['name']} ({'UA' if d > 0 else 'RU'} +{abs(d):.1f} VP{how}; at the end "
                       f"{_held_words(o['final'], o['hexes'])})")
    return {"objectives": objs, "margins": dict(zip(tl.turns, margins, strict=True)), "lead_changes": crossings,
            "why": why, "sudden_death": sudden_death_closeness(tl)}


def _held_words(held: dict[str, int], n: int) -> str:
    parts = [f"{k.upper() if k != 'contested' else 'contested'} {v}" for k, v in held.items() if v]
    return f"{', '.join(parts)} of {n} hexes"


# ----- key moments -----------------------------------------------------------------------

def _luck(save, turn: int, side: str, k: int) -> str:
    """"; re-rolled 100 times with the same orders, losses were lower in 98% of them" (the
    day's own orders adjudicated again: luck or judgement?), or "" when not asked for."""
    if k <= 0:
        return ""
    from .reroll import RerollError, reroll

    try:
        d = reroll(save, turn, k)["losses"][side]
    except (RerollError, ValueError):
        return ""
    p = d["percentile"]
    verdict = ("bad luck more than the orders" if p >= 90 else "better luck than the orders deserved" if p <= 10
               else "the orders more than luck")
    return (f"; re-rolled {k} times with the same orders it lost {d['mean']:.1f} on average, this day at the "
            f"{ordinal(p)} percentile: {verdict}")


def _candidates(tl, who: str, reroll_k: int = 0) -> list[dict[str, Any]]:
    world = tl.world
    shown = [k for k in SIDES if who in ("truth", k)]
    frames = list(tl.frames())
    out: list[dict[str, Any]] = []
    if not frames:
        return out
    # VP swings: the day's change of the margin, far from the game's usual day
    deltas = np.array([float((f.after.vp[0] - f.after.vp[1]) - (f.before.vp[0] - f.before.vp[1])) for f in frames])
    spread = float(np.std(deltas)) or 1.0
    for f, d in zip(frames, deltas, strict=True):
        z = abs(d - float(np.mean(deltas))) / spread
        before = float(f.before.vp[0] - f.before.vp[1])
        after = before + d
        crossed = np.sign(before) != np.sign(after) and after != 0 and f.turn > tl.first and abs(d) >= 1.0
        if z >= 1.5 or crossed:
            talks = " (the talks day: objectives counted double)" if day_factor(world, f.turn) > 1 else ""
            lead = (f"; the lead passed to {'UA' if after > 0 else 'RU'}" if crossed else "")
            out.append({"turn": f.turn, "kind": "vp swing", "score": z + (1.0 if crossed else 0.0), "side": None,
                        "hexes": [c["hex"] for c in f.control_changes][:6],
                        "text": f"the VP margin (UA - RU) moved {d:+.1f} in a day{talks}, from {before:+.1f} to "
                                f"{after:+.1f}{lead}."})
    # objectives changing hands (the side holding most of its hexes)
    for f in frames:
        for ob, hexes in zip(world.scenario.objectives, world.objective_hexes, strict=True):
            if ob.kind != "hold":
                continue
            a, b = _holder(f.before.control[hexes]), _holder(f.after.control[hexes])
            if a != b:
                held = int((f.after.control[hexes] == (SIDES.index(b) if b in SIDES else -1)).sum())
                now = f"{b.upper()} now holds {held} of {len(hexes)} hexes" if b in SIDES else "now split"
                out.append({"turn": f.turn, "kind": "objective", "score": 2.5 + ob.vp / 5, "side": b,
                            "hexes": [world.grid.hex_id(int(h)) for h in hexes],
                            "text": f"{ob.name} changed hands, from {_holder_words(a)} to {_holder_words(b)} "
                                    f"({now}, {ob.vp:g} VP a day)."})
    # heaviest losses, against the side's usual day
    for k in shown:
        lost = np.array([sum(f.losses[k].values()) for f in frames])
        mean = float(lost.mean()) or 1.0
        i = int(np.argmax(lost))
        if lost[i] >= 1.8 * mean and lost[i] > 0:
            f = frames[i]
            top = sorted(((v, c) for c, v in f.losses[k].items()), reverse=True)[:2]
            how = " and ".join(f"{CAUSE_LABELS[c]} {v:.1f}" for v, c in top if v >= 0.05)
            luck = _luck(tl.save, f.turn, k, reroll_k)
            out.append({"turn": f.turn, "kind": "losses", "score": 1.5 + lost[i] / mean / 2, "side": k,
                        "hexes": [], "text": f"{k.upper()}'s heaviest day: {lost[i]:.1f} strength lost, "
                                             f"{lost[i] / mean:.1f} times its average day ({how}){luck}."})
    # units destroyed (a loss is told to its own side only)
    k_who = None if who == "truth" else frames[-1].knowledge(who)
    for f in frames:
        gone = [u for u in f.units_lost if u["side"] in shown]
        if len(gone) >= 2 or (gone and len(frames) <= 6):
            names = and_list([f"{name_unit(k_who, u['unit'])} ({where(world, u['hex'])})" for u in gone[:4]])
            more = f" and {len(gone) - 4} more" if len(gone) > 4 else ""
            out.append({"turn": f.turn, "kind": "units destroyed", "score": 1.5 + len(gone) / 2, "side": gone[0]["side"],
                        "hexes": [u["hex"] for u in gone if u["hex"]],
                        "text": f"{len(gone)} unit(s) destroyed or broken: {names}{more}."})
    # the least likely combat results, by the odds the rules gave
    for f in frames:
        k_day = None if who == "truth" else f.knowledge(who)
        for e in f.events_for(who):
            why = e["why"] if isinstance(e["why"], dict) else {}
            ch, r = why.get("chances"), why.get("result")
            if e["phase"] != "combat" or not isinstance(ch, dict) or r not in ch or not why.get("defenders"):
                continue
            p = float(ch[r])
            if p > 0.25:
                continue
            side = why.get("side")
            place = where(world, e["hex"])
            att = and_list([name_unit(k_day, a) for a in why.get("attackers", [])][:2])
            out.append({"turn": f.turn, "kind": "unlikely result", "score": 2.0 + (0.25 - p) * 8, "side": side,
                        "hexes": [e["hex"]],
                        "text": f"{str(side).upper()} {e['kind']} on {e['hex']} ({place}) by {att} at "
                                f"{why.get('column', '?')} {RESULT_WORDS.get(r, r)} - at those odds only "
                                f"{p:.0%} of {e['kind']}s do."})
    return out


def short_intent(line: str, limit: int = 160) -> str:
    """An intent's first line without its "UA day 5 (frost), hard:" head, cut at ``limit``."""
    head, sep, rest = line.partition(": ")
    text = rest if sep and " day " in head else line
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;") + " …"


def _holder(c: np.ndarray) -> str:
    ua, ru = int((c == 0).sum()), int((c == 1).sum())
    return "ua" if ua > ru and ua * 2 > len(c) else "ru" if ru > ua and ru * 2 > len(c) else "split"


def _holder_words(h: str) -> str:
    return "no one (split)" if h == "split" else h.upper()


def key_moments(tl, who: str = "truth", reroll_k: int = 100) -> list[dict[str, Any]]:
    """3 to 7 moments (fewer when the game is shorter), at most one a day, the best of each
    kind first, then by score; in day order, each with its prompts. A side's heaviest day is
    re-rolled ``reroll_k`` times (0: not) to say whether it was luck."""
    cands = sorted(_candidates(tl, who, reroll_k), key=lambda c: -c["score"])
    chosen: list[dict[str, Any]] = []
    days: set[int] = set()
    per_kind: dict[str, int] = {}
    for kind in ("objective", "vp swing", "unlikely result", "units destroyed", "losses"):
        for c in cands:
            if c["kind"] == kind and c["turn"] not in days:
                chosen.append(c)
                days.add(c["turn"])
                break
    for c in chosen:
        per_kind[c["kind"]] = per_kind.get(c["kind"], 0) + 1
    for c in cands:
        if len(chosen) >= MAX_MOMENTS:
            break
        if c["turn"] not in days and per_kind.get(c["kind"], 0) < 2:      # variety: two of a kind at most
            chosen.append(c)
            days.add(c["turn"])
            per_kind[c["kind"]] = per_kind.get(c["kind"], 0) + 1
    chosen = sorted(chosen[:MAX_MOMENTS], key=lambda c: c["turn"])
    frames = {f.turn: f for f in tl.frames()}
    for c in chosen:
        c["prompts"] = prompts(frames[c["turn"]], c, who)
        c["sentence"] = f"Day {c['turn']}: {c['text']}"
    return chosen


def prompts(f, moment: dict[str, Any], who: str) -> dict[str, str]:
    """The four after-action questions, filled in from the day."""
    side = moment.get("side") if moment.get("side") in SIDES else None
    if who in SIDES:
        sides = [who]                  # a side's debrief asks that side's questions
    else:
        sides = [side] if side else list(SIDES)
    planned = []
    for k in sides:
        lines = f.intents.get(k) or []
        if who in ("truth", k) and lines:
            planned.append(f"{k.upper()}'s intent: {short_intent(lines[0])}")
    seen = []
    for e in f.events_for(who):
        why = e["why"] if isinstance(e["why"], dict) else {}
        if e["phase"] == "detection" and e["kind"] == "summary" and len(e["to"]) == 1 and e["to"][0] in sides:
            seen.append(f"{e['to'][0].upper()} had found {why.get('detected', '?')} of "
                        f"{why.get('enemy_units', '?')} enemy units")
    subject = " and ".join(k.upper() for k in sides)
    return {
        "planned": ("; ".join(planned).rstrip(".") + ". Did the orders serve that intent?") if planned else
                   f"What did {subject} plan for day {f.turn}, and what did it expect the enemy to do?",
        "happened": "What did each side see of it as it happened, and what did it do next?",
        "why": (f"{'; '.join(seen)}; weather {f.weather}. Was it the odds, what could be seen, or the "
                f"choice of ground?" if seen else f"Weather {f.weather}. Was it the odds, what could be "
                                                  f"seen, or the choice of ground?"),
        "keep_change": f"What should {subject} keep, and what change, in orders like day {f.turn}'s?",
    }
