"""Why, in words: each event's breakdown (its ``why``) as the sentence an adjudicator would say,
with the numbers behind it.

``explain(event, name=..., world=...)`` is pure (no Textual, no files). Unit ids go through the
``name`` callable, so a side's view can mask enemy units it has not detected; the world, when
given, adds settlement and road names and the scenario's rule numbers. Any kind this module
does not know, or a breakdown missing its numbers (an old save), falls back to a plain sentence
built from the event's text and its numbers in words; it never raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

Namer = Callable[[str], str]

SIDE_WORD = {"ua": "UA", "ru": "RU"}
RESULT_WORDS = {"R": "repulsed", "E": "engaged, the hex is contested", "D": "the defenders retreat",
                "X": "the defenders are routed"}
RAID_RESULT_WORDS = {"R": "repulsed", "E": "engaged, the raiders come back",
                     "D": "the defenders lose a tenth, the raiders come back",
                     "X": "the defenders lose a fifth, the raiders come back"}
TERRAIN_WORDS = {"open": "open ground", "treeline": "tree line", "village": "village", "urban": "urban ground",
                 "industrial": "industrial ground", "water": "water"}
POSTURE_WORDS = {1: "hasty positions", 2: "prepared defences", 3: "fortified positions"}
MISSION_WORDS = {"strike": ("drone strike", "sortie"), "hunt": ("drone hunt", "sortie"),
                 "artillery_fire": ("artillery fire", "round"), "glide_bombs": ("glide bombs", "bomb")}


def cause_words(cause: str | None, enemy: str | None) -> str:
    """A cause of loss as the losing side can know it: the enemy's arm, never its unit."""
    them = f"{SIDE_WORD[enemy]} " if enemy in SIDE_WORD else "enemy "
    return {"drone": f"{them}drones", "glide_bomb": f"{them}glide bombs", "artillery": f"{them}artillery",
            "ground": "ground combat", "attrition": "attrition (wear and isolation)"}.get(cause or "", "unknown causes")


def explain(event: Any, name: Namer | None = None, world: Any = None) -> str:
    """The sentence for one event (an ``Event`` or its dict form, as saves and timelines hold it)."""
    e = _Ev(event, name or (lambda uid: uid), world)
    fn = _BY_KIND.get(e.kind)
    if fn is not None:
        try:
            return fn(e)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            pass                      # a breakdown without the numbers (an older save): say it plainly
    return generic(e)


class _Ev:
    """The fields of an event, whatever its form, with the helpers the sentences share."""

    def __init__(self, event: Any, name: Namer, world: Any):
        get = event.get if isinstance(event, Mapping) else (lambda k, d=None: getattr(event, k, d))
        self.kind = str(get("kind", "") or "")
        self.phase = str(get("phase", "") or "")
        self.text = str(get("text", "") or "")
        self.hex = get("hex")
        self.units = [str(u) for u in (get("units") or ())]
        why = get("why")
        self.why = dict(why) if isinstance(why, Mapping) else {}
        to = get("visible_to", None) or get("to", None) or ()
        self.to = tuple(to)
        self.name = name
        self.world = world

    def place(self, hex_id: Any = None) -> str:
        """``2213`` or ``2213 (Rodynske)`` when a settlement stands there."""
        h = self.hex if hex_id is None else hex_id
        if h is None:
            return "an unknown hex"
        label = None
        if self.world is not None:
            try:
                label = self.world.hex_names.get(self.world.grid.index(str(h)))
            except (ValueError, KeyError, IndexError):
                label = None
        return f"{h} ({label})" if label else str(h)

    def road(self) -> str | None:
        if self.world is None or self.hex is None:
            return None
        try:
            return self.world.road_names.get(self.world.grid.index(str(self.hex)))
        except (ValueError, KeyError, IndexError):
            return None

    def names(self, ids: Any) -> str:
        return ", ".join(self.name(str(u)) for u in ids or ()) or "none"

    def unit(self, i: int = 0) -> str:
        return self.name(self.units[i]) if len(self.units) > i else "a unit"

    def param(self, field: str) -> Any:
        return getattr(self.world.params, field, None) if self.world is not None else None

    def only_side(self) -> str | None:
        return self.to[0] if len(self.to) == 1 else None


def pct(x: Any) -> str:
    x = float(x) * 100.0
    if 0 < x < 1:
        return f"{x:.1f}%"
    if 99 < x < 100:
        return f"{x:.1f}%"
    return f"{x:.0f}%"


def num(x: Any, digits: int = 1) -> str:
    return f"{float(x):.{digits}f}"


def factor(x: Any) -> str:
    return f"×{float(x):g}" if abs(float(x) - round(float(x), 2)) < 1e-9 else f"×{float(x):.2f}"


def other(side: str | None) -> str | None:
    return {"ua": "ru", "ru": "ua"}.get(side or "")


# ----- the sentences, by kind --------------------------------------------------------------

def _weather(e: _Ev) -> str:
    w = e.why
    today = w["weather"]
    s = f"Weather today: {today}"
    if w.get("source") == "script":
        s += ", as the scenario's script sets it"
    elif w.get("source") == "markov":
        table = w.get("table") or {}
        odds = ", ".join(f"{k} {pct(v)}" for k, v in table.items() if float(v) > 0)
        s += f". After {w['yesterday']} yesterday the chances were {odds}; the draw {num(w['draw'], 2)} gave {today}"
    if e.world is not None:
        row = e.world.params.weather.get(today)
        if row is not None:
            s += (f" (drone visibility {factor(row.visibility)}, off-road movement {factor(row.offroad_mp_mult)}, "
                  f"attack die {row.attack_mod:+d}" + ("; combat losses halved" if row.bad_weather else "") + ")")
    return s


def _detected(e: _Ev) -> str:
    w = e.why
    return (f"{e.unit()} spotted at {e.place()}: {pct(w['p'])} chance, rolled {num(w['draw'], 2)}. "
            f"The chance is 1 − exp(−{num(w['k'], 2)} × observation effort {num(w['effort'], 2)} on the hex "
            f"× signature {num(w['signature'], 2)} × terrain concealment {num(w['concealment'], 2)} "
            f"× visibility {num(w['visibility'], 2)})")


def _summary(e: _Ev) -> str:
    w = e.why
    return (f"{w['detected']} of {w['enemy_units']} enemy units detected today; "
            f"{w['patrol_sorties']} drone sorties flew patrols (each patrol sortie also adds to the kill zone)")


def _combat(e: _Ev) -> str:
    w = e.why
    kind = w.get("kind", e.kind)
    side = w.get("side") or ("ua" if e.text.startswith("UA") else "ru" if e.text.startswith("RU") else None)
    us, them = SIDE_WORD.get(side or "", "?"), SIDE_WORD.get(other(side) or "", "the enemy")
    head = f"{us} {kind} on {e.place()}"
    if float(w["defence"]) <= 0 and w.get("line_held"):
        s = (f"{head}: no defenders, but the hex is covered by a held line (enemy positions dug in "
             f"next to it) and the attackers ({e.names(w.get('attackers'))}) stood on that line already: "
             f"they cannot walk along it, only assault the positions")
        if float(w.get("position_fire_loss", 0) or 0) > 0:
            s += f"; trying cost them {num(w['position_fire_loss'])} strength"
        return s
    if float(w["defence"]) <= 0:
        return f"{head}: no defenders, the attackers ({e.names(w.get('attackers'))}) walk in"
    mods = []
    terrain = w.get("terrain")
    if terrain and terrain != "open":
        mods.append(f"{TERRAIN_WORDS.get(terrain, terrain)} ({factor(w['terrain_defence'])})")
    dug = int(w.get("dug_in", 0) or 0)
    if dug:
        mods.append(f"{POSTURE_WORDS.get(dug, 'entrenchment')} (dug in {dug})")
    after = f" after {' and '.join(mods)}" if mods else (" in the open" if terrain == "open" else "")
    s = f"{head}: {num(w['attack'], 0)} against {num(w['defence'], 0)}{after}, column {w['column']}"
    mod = int(w.get("modifier", 0) or 0)
    why_mod = f" for {w['weather']}" if w.get("weather") else ""
    chances = w.get("chances")
    if isinstance(chances, Mapping):
        s += "; at that column" + (f", with {mod:+d} on the die{why_mod}," if mod else "") + " "
        s += " / ".join(f"{r} {pct(x)}" for r, x in chances.items() if float(x) > 0)
    die = f"die {w['die']}" + (f" {mod:+d}" if mod else "")
    words = (RAID_RESULT_WORDS if kind == "raid" else RESULT_WORDS).get(w["result"], "")
    s += f"; {die} → {w['result']}, {words}"
    s += (f"; losses {us} {num(w['attacker_loss'])} / {them} {num(w['defender_loss'])} "
          f"(expected {num(w['attacker_loss_mean'])} / {num(w['defender_loss_mean'])})")
    s += f". Attackers: {e.names(w.get('attackers'))}; defenders: {e.names(w.get('defenders'))}"
    if w.get("surrendered"):
        s += f"; cut off with nowhere to retreat, surrendered: {e.names(w['surrendered'])}"
    return s


def _contact(e: _Ev) -> str:
    w = e.why
    return (f"Close fighting in contested {e.place()}: {SIDE_WORD.get(w['side'], '?')} had "
            f"{num(w['strength'])} strength there and could expect to lose {num(w['mean'])}; "
            f"the draw {num(w['draw'], 2)} → lost {num(w['loss'])}")


def _mission(e: _Ev) -> str:
    w = e.why
    what, each = MISSION_WORDS[e.kind]
    who = f" by {e.unit()}" if e.units else " (KAB)" if e.kind == "glide_bombs" else ""
    count = int(w.get("sorties", w.get("rounds", 0)) or 0)
    parts = [f"base {pct(w['base_p'])}"]
    if w["target_detected"]:
        parts.append("target seen")
    else:
        f = e.param("undetected_factor")
        parts.append("target not seen" + (f" {factor(f)}" if f is not None else ""))
    if float(w.get("jamming", 0) or 0) > 0:
        parts.append(f"jamming −{pct(w['jamming'])}")
    if abs(float(w.get("visibility_factor", 1.0)) - 1.0) > 1e-9:
        parts.append(f"visibility {factor(w['visibility_factor'])}")
    s = (f"{what.capitalize()}{who} on {e.place()}: {count} {each}{'s' if count != 1 else ''} at "
         f"{pct(w['p'])} each ({', '.join(parts)}); the draw {num(w['draw'], 2)} → {int(w['hits'])} "
         f"hit{'s' if int(w['hits']) != 1 else ''}, {num(w['damage'])} damage")
    if w.get("urban_x1_5"):
        s += " (×1.5 on urban ground)"
    return s + "; damage is shared by the units there by signature × strength, less for dug-in units"


def _hit(e: _Ev) -> str:
    losses = e.why["losses"]
    return (f"Under fire at {e.place()}: " + ", ".join(f"{e.name(str(u))} lost {num(x)}" for u, x in losses.items())
            + " (shared by signature × strength; entrenchment reduces it)")


def _interdict(e: _Ev) -> str:
    w = e.why
    road = e.road()
    decay = e.param("fire_control_decay")
    s = (f"{e.unit()} puts fire control on {e.place()}" + (f" ({road})" if road else "")
         + f": {w['sorties']} sorties × visibility {num(w['visibility'], 2)} → fire control {num(w['f_after'])} there")
    if decay is not None:
        s += f"; it loses {pct(decay)} each day"
    return s + ". Supply and robots crossing it are slowed or lost, and moving units pay the kill zone"


def _move(e: _Ev) -> str:
    w = e.why
    start = w.get("from")
    planned = list(w.get("planned") or [])
    if start is not None and str(start) != str(e.hex):
        s = f"{e.unit()} moved {e.place(start)} → {e.place()}"
    else:
        s = f"{e.unit()} could not move from {e.place()}"
    if planned:
        s += f" (path of {len(planned)} hex{'es' if len(planned) != 1 else ''} planned, to {planned[-1]})"
    s += f": spent {num(w['spent'])} of {num(w['mp'])} movement points"
    if abs(float(w.get("weather_offroad_x", 1.0)) - 1.0) > 1e-9:
        s += f", off-road costs {factor(w['weather_offroad_x'])} in today's weather"
    if w.get("stopped"):
        s += f"; stopped: {w['stopped']}"
    if float(w.get("killzone_loss", 0) or 0) > 0:
        s += f"; the enemy's drone kill zone cost it {num(w['killzone_loss'])} strength"
    if float(w.get("position_fire_loss", 0) or 0) > 0:
        s += (f"; fire from the enemy's dug-in positions next to its path cost it "
              f"{num(w['position_fire_loss'])} strength")
    return s


def _ugv(e: _Ev) -> str:
    w = e.why
    robot, target = e.unit(0), e.unit(1)
    runs, arrived, lost = int(w["runs"]), int(w["arrived"]), int(w["lost"])
    return (f"{robot} → {target}: {arrived} of {runs} robot runs arrived. Each crossed enemy fire control "
            f"{num(w['fire_control_on_route'])} on the way, a {pct(w['p_loss'])} chance to be lost; "
            f"the draw {num(w['draw'], 2)} → {lost} lost, {num(arrived * float(w['payload']))} supply delivered")


def _supply(e: _Ev) -> str:
    w = e.why
    low, iso = list(w.get("low") or []), list(w.get("isolated") or [])
    s = f"Supply today: {num(w['delivered'], 0)} delivered by road and HQ, {num(w['by_robots'], 0)} by robots"
    s += f"; {len(low)} unit{'s' if len(low) != 1 else ''} low on supply" + (f" ({e.names(low)})" if low else "")
    s += f"; {len(iso)} cut off from any supply path" + (f" ({e.names(iso)}), losing strength and cohesion each day"
                                                        if iso else "")
    return s


def _lost(e: _Ev) -> str:
    w = e.why
    mine = e.only_side()
    if mine is None and e.world is not None and e.units:
        try:
            mine = ("ua", "ru")[int(e.world.u_side[e.world.unit_index[e.units[0]]])]
        except (KeyError, IndexError):
            mine = None
    if float(w.get("cohesion", 1) or 0) <= 0:
        why = "its cohesion fell to 0, it is broken"
    elif "strength" in w and "removal_below" in w:
        why = (f"strength {num(w['strength'])} is below the {num(w['removal_below'])} a unit needs to stay "
               "in play")
    else:
        why = "its strength fell too low to stay in play"
    return f"{e.unit()} is destroyed or broken and leaves play: {why}; lost mostly to {cause_words(w.get('cause'), other(mine))}"


def _arrives(e: _Ev) -> str:
    return f"Reinforcement {e.unit()} arrived at {e.place()}"


def _no_entry(e: _Ev) -> str:
    return (f"Reinforcement {e.unit()} found no free hex to enter (its arrival hex and the friendly hexes "
            "near it are held by the enemy or impassable); it tries again tomorrow")


def _sudden_death(e: _Ev) -> str:
    w = e.why
    title = None
    if e.world is not None:
        title = next((sd.name for sd in e.world.scenario.victory.sudden_death if sd.id == w.get("condition")), None)
    if title is None and e.text.startswith("Sudden death: "):
        title = e.text[len("Sudden death: "):].rsplit(" - ", 1)[0]
    side = SIDE_WORD.get(w["side"], "?")
    return (f"Sudden death — {title or 'a sudden-death condition'}: the condition held {w['days']} "
            f"day{'s' if int(w['days']) != 1 else ''} running ({w['needed']} needed), so {side} wins")


def _end(e: _Ev) -> str:
    w = e.why
    margin, need = float(w["margin"]), float(w["margin_needed"])
    lead = "UA" if margin > 0 else "RU"
    verdict = "UA wins" if margin >= need else "RU wins" if -margin >= need else "a draw"
    return (f"Last day: UA {num(w['ua'])} VP, RU {num(w['ru'])} VP; {lead} leads by {num(abs(margin))}, "
            f"{num(need)} needed to win → {verdict}")


def _vp(e: _Ev) -> str:
    w = e.why
    s = f"VP today: UA +{num(w['ua_gain'])}, RU +{num(w['ru_gain'])}"
    if w.get("talks_day"):
        s += " (talks day: all VP count double)"
    return s + f"; totals UA {num(w['ua'])}, RU {num(w['ru'])}"


def _refused(e: _Ev) -> str:
    if any(e.name(u) != u for u in e.units):     # the reason quotes ids: not one the side may not name
        return "An order for a unit that is not yours was refused; nothing happens"
    who = f"{e.unit()}'s order" if e.units else "An order"
    return f"{who} was refused: {e.why['reason']}; the unit holds instead"


_BY_KIND: dict[str, Callable[[_Ev], str]] = {
    "weather": _weather, "detected": _detected, "summary": _summary,
    "assault": _combat, "infiltration": _combat, "raid": _combat, "contact": _contact,
    "strike": _mission, "hunt": _mission, "artillery_fire": _mission, "glide_bombs": _mission,
    "hit": _hit, "interdict": _interdict, "move": _move, "ugv": _ugv, "supply": _supply,
    "lost": _lost, "arrives": _arrives, "no_entry": _no_entry, "sudden_death": _sudden_death,
    "end": _end, "vp": _vp, "refused": _refused,
}
KINDS = frozenset(_BY_KIND)


# ----- anything else: the event's text and its numbers in words ---------------------------

def words(v: Any, name: Namer) -> str:
    if v is None:
        return "unknown"
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.3g}"
    if isinstance(v, Mapping):
        return ", ".join(f"{words(k, name)} {words(x, name)}" for k, x in v.items()) or "nothing"
    if isinstance(v, list | tuple):
        return ", ".join(words(x, name) for x in v) or "none"
    if isinstance(v, str):
        return name(v).replace("_", " ")
    try:
        return f"{float(v):.3g}"
    except (TypeError, ValueError):
        return str(v).replace("_", " ")


def generic(e: _Ev) -> str:
    """A readable sentence for any event: its text, then its breakdown as words."""
    head = e.text.strip() or f"{e.phase or 'event'} {e.kind.replace('_', ' ')}".strip().capitalize()
    if e.hex is not None and str(e.hex) not in head:
        head += f" at {e.place()}"
    if not e.why:
        return head
    parts = [f"{str(k).replace('_', ' ')} {words(v, e.name)}" for k, v in e.why.items()]
    return f"{head} ({'; '.join(parts)})"
