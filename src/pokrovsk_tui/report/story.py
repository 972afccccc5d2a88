"""A day of a saved game told in sentences, as one side knew it (or the whole truth): the
story the after-action report prints for each day."""

from __future__ import annotations

from typing import Any

from pokrovsk_tui.rules.explain import explain
from pokrovsk_tui.rules.scenario import SIDES
from pokrovsk_tui.rules.view import name_unit
from pokrovsk_tui.rules.world import CAUSES

from .places import group, where
from .timeline import CAUSE_LABELS, FIRE_KINDS, TurnFrame

SIDE_NAMES = {"ua": "UA", "ru": "RU"}
LIST_MAX = 6          # hexes or units named in one sentence before "and N more"
MISSION_WORDS = {"strike": ("drone strike", "drone strikes", "sortie"),
                 "hunt": ("drone hunt", "drone hunts", "sortie"),
                 "artillery_fire": ("artillery mission", "artillery missions", "round"),
                 "glide_bombs": ("glide-bomb strike", "glide-bomb strikes", "bomb")}


def _names(items: list[str], limit: int = LIST_MAX) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def story(f: TurnFrame, who: str = "truth", marked: dict[str, list[int]] | None = None) -> list[str]:
    """The turn in sentences, built from its events, losses, control changes and surprises;
    for a side (``who`` "ua"/"ru"): only what it could read, every unit named as it could name
    it (``rules.view`` by way of ``TurnFrame.events_for`` and ``surprises_for``). ``marked``:
    the days marked "!" per side (``timeline.surprise_days``): that side's surprise line starts "! "."""
    marked = marked or {}
    world = f.world
    events = f.events_for(who)
    shown = [k for k in SIDES if who in ("truth", k)]
    k_who = f.knowledge(who)
    lines = []
    refused = {k: sum(1 for e in events if e["phase"] == "orders" and e["kind"] == "refused" and k in e["to"])
               for k in SIDES}
    # ground combat, by attacking side
    for s, k in enumerate(SIDES):
        mine = []
        for e in events:
            if e["phase"] != "combat" or e["kind"] not in ("assault", "infiltration", "raid"):
                continue
            why = e["why"] if isinstance(e["why"], dict) else {}
            if _attacking_side(world, why, who) == s:
                mine.append((e, why))
        if not mine:
            continue
        kinds: dict[str, int] = {}
        took, contested, repulsed, walked = [], [], [], []
        for e, why in mine:
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
            r = why.get("result")
            if e["kind"] == "raid":
                continue                        # raiders come back: counted above, no ground changes
            held = _owner_after(f, e["hex"]) == s      # what the day ended with: never two sides "took" one hex
            if r in ("D", "X") or not why.get("defenders"):
                if not held:
                    contested.append(e["hex"])
                elif not why.get("defenders"):
                    walked.append(e["hex"])
                else:
                    took.append(e["hex"])
            elif r == "E":
                contested.append(e["hex"])
            else:
                repulsed.append(e["hex"])
        parts = []
        if took:
            parts.append(f"took {group(world, took)}")
        if walked:
            parts.append(f"walked into {group(world, walked)}")
        if contested:
            parts.append(f"fought over {group(world, contested)} (not held at day's end)")
        if repulsed:
            parts.append(f"repulsed {_plural(len(repulsed), 'time')} ({group(world, repulsed)})")
        what = ", ".join(_plural(n, kind) for kind, n in kinds.items())
        lines.append(f"{SIDE_NAMES[k]} attacked {_plural(len(mine), 'time')} ({what})"
                     + (f": {'; '.join(parts)}." if parts else "."))
    # fires, by firing side
    for k in SIDES:
        missions: dict[str, list[int]] = {}
        interdicts = 0
        for e in events:
            if e["phase"] != "fires" or e["to"] != [k]:
                continue
            why = e["why"] if isinstance(e["why"], dict) else {}
            if e["kind"] in FIRE_KINDS:
                m = missions.setdefault(e["kind"], [0, 0, 0])
                m[0] += 1
                m[1] += int(why.get("sorties", why.get("rounds", 0)) or 0)
                m[2] += int(why.get("hits", 0) or 0)
            elif e["kind"] == "interdict":
                interdicts += 1
        if not missions and not interdicts:
            continue
        parts = [f"{_plural(n, *MISSION_WORDS[kind][:2])} ({_plural(count, MISSION_WORDS[kind][2])}, {_plural(hits, 'hit')})"
                 for kind, (n, count, hits) in missions.items()]
        if interdicts:
            parts.append(f"{_plural(interdicts, 'interdiction')} of roads")
        lines.append(f"{SIDE_NAMES[k]} fires: {', '.join(parts)}.")
    # losses
    parts = []
    for k in SIDES:
        if k not in shown:
            parts.append(f"{SIDE_NAMES[k]} not known to {SIDE_NAMES[who]}")
            continue
        tot = sum(f.losses[k].values())
        detail = ", ".join(f"{CAUSE_LABELS[c]} {f.losses[k][c]:.1f}" for c in CAUSES if f.losses[k][c] >= 0.05)
        parts.append(f"{SIDE_NAMES[k]} {tot:.1f}" + (f" ({detail})" if detail else ""))
    lines.append(f"Losses: {'; '.join(parts)}.")
    # control
    if f.control_changes:
        by: dict[str, list[str]] = {}
        for c in f.control_changes:
            by.setdefault(c["after"], []).append(c["hex"])
        parts = []
        for owner in ("ru", "ua", "contested"):
            if owner in by:
                label = "now contested" if owner == "contested" else f"to {SIDE_NAMES[owner]}"
                parts.append(f"{len(by[owner])} {label} ({group(world, by[owner])})")
        lines.append(f"Hexes changed hands: {'; '.join(parts)}.")
    units_lost = [u for u in f.units_lost if u["side"] in shown]     # a loss is told to its own side
    if units_lost:
        lines.append("Destroyed or broken: " + ", ".join(
            f"{name_unit(k_who, u['unit'])} ({CAUSE_LABELS.get(u['cause'], u['cause'] or '?')})"
            for u in units_lost) + ".")
    arrived = [f"{e['units'][0]} ({where(world, e['hex'])})" for e in events
               if e["phase"] == "recovery" and e["kind"] == "arrives" and e["units"]]
    if arrived:
        lines.append(f"Reinforcements arrived: {_names(arrived)}.")
    for k in SIDES:
        for e in events:
            if e["phase"] == "logistics" and e["kind"] == "supply" and e["to"] == [k]:
                iso = (e["why"] or {}).get("isolated", []) if isinstance(e["why"], dict) else []
                if iso:
                    lines.append(f"{SIDE_NAMES[k]} cut off from supply: {_names(list(iso))}.")
    if any(refused.values()):
        lines.append("Orders refused by the rules: " + ", ".join(f"{SIDE_NAMES[k]} {n}" for k, n in refused.items() if n) + ".")
    # surprises: missed (recon could have found the source) apart from unseeable by design
    for k in shown:
        mine = [s for s in f.surprises_for(who) if s["side"] == k]
        total = sum(s["loss"] for s in mine)
        if total < 0.05 and not any(s["kind"] == "assault" for s in mine):
            continue
        parts = []
        fires = [s for s in mine if s["kind"] == "fires" and s.get("missed")]
        if fires:
            parts.append(f"{sum(s['loss'] for s in fires):.1f} to fire from {_names([s['by'] for s in fires])}")
        assaults = [s for s in mine if s["kind"] == "assault"]
        if assaults:
            parts.append(f"{sum(s['loss'] for s in assaults):.1f} to {_plural(len(assaults), 'attack')} by units "
                         f"it had not detected ({group(world, [s['hex'] for s in assaults])})")
        design = []
        bombs = sum(s["loss"] for s in mine if s["kind"] == "fires" and not s.get("missed"))
        if bombs >= 0.05:
            design.append(f"glide bombs {bombs:.1f}")
        zone = sum(s["loss"] for s in mine if s["kind"] == "kill_zone")
        if zone >= 0.05:
            design.append(f"kill zones {zone:.1f}")
        robots = sum(s["loss"] for s in mine if s["kind"] == "robots")
        if robots >= 0.05:
            design.append(f"robots lost on the road {robots:.1f}")
        missed = sum(s["loss"] for s in mine if s.get("missed"))
        said = []
        if parts or missed >= 0.05:
            said.append(f"missed {missed:.1f} that recon could have found ({'; '.join(parts)})")
        if design:
            said.append(f"{sum(s['loss'] for s in mine if not s.get('missed')):.1f} could not be seen by design "
                        f"({', '.join(design)})")
        mark = "! " if f.turn in marked.get(k, ()) else ""
        lines.append(f"{mark}{SIDE_NAMES[k]} did not see it coming: {'; '.join(said)}.")
    for e in events:
        if e["phase"] == "victory" and e["kind"] in ("sudden_death", "end"):
            lines.append(explain(e, world=world) + ".")     # the reason, with its numbers
    vp = {k: float(f.after.vp[s]) for s, k in enumerate(SIDES)}
    gained = {k: float(f.after.vp[s] - f.before.vp[s]) for s, k in enumerate(SIDES)}
    lines.append(f"VP: UA +{gained['ua']:.1f} (total {vp['ua']:.1f}), RU +{gained['ru']:.1f} (total {vp['ru']:.1f}).")
    return lines


def _owner_after(f: TurnFrame, hex_id: str) -> int:
    """0 UA, 1 RU, 2 contested: who held the hex at the end of the day."""
    try:
        return int(f.after.control[f.world.grid.index(hex_id)])
    except (ValueError, KeyError):
        return -1


def _attacking_side(world, why: dict[str, Any], who: str) -> int | None:
    """The side that made an assault: its first attacker's, or (attackers all described, not
    named, in a side's view) the other side's."""
    idx = world.unit_index
    att = [a for a in why.get("attackers", []) if a in idx]
    if att:
        return int(world.u_side[idx[att[0]]])
    if why.get("attackers") and who in SIDES:
        return 1 - SIDES.index(who)
    return None
