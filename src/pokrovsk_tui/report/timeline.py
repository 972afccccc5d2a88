"""A saved game's turns as plain data for a replay screen and the after-action report.

``timeline(save)`` gives the save's ``Timeline`` (built once per save and cached for the last
few saves asked for: states are decoded from the save's snapshots once, frames are made on
first use), and
``timeline(save).frame(T)`` a ``TurnFrame`` for turn T:

- ``before`` / ``after``: the true state at the start of the turn (``store.replay.state_at``)
  and after it;
- ``orders`` and ``intents`` of both sides, ``events`` (every event with its phase and ``why``,
  ``text`` the truth and ``template`` the same with unit placeholders; ``events_for("ua")`` is
  what UA's log showed: only its events, units it could not name described, by
  ``rules.view.events_for`` with what it knew after the day);
- ``views_before`` / ``views_after``: what UA and RU knew (``rules.view.view``) when they gave
  their orders and once the day was over; ``view("truth"|"ua"|"ru", "before"|"after")`` and
  ``units("truth"|"ua"|"ru", ...)`` (the same as rows of plain values);
- ``losses`` by side and cause, ``control_changes``, ``units_lost``;
- ``surprises``: what hit a side that its view at the start of the turn did not show coming.

Surprises (each a dict: ``side`` hurt, ``kind``, ``by`` (unit or None), ``hex``, ``loss``,
``known`` (how the side knew the source), ``text``, and ``template`` with ``refs``: the text
with its units as placeholders; ``surprises_for("ua")`` are UA's as UA may read them, every
unit it could not name described by ``rules.view``). Whether a side saw a source coming is
``rules.view.Knowledge.status`` at the start of the day being ``detected``:

- ``fires``: a strike, hunt, artillery fire or glide-bomb mission whose firing unit the side
  had not detected at the start of the turn (a dimmed last-seen marker does not count as
  detected; glide bombs have no unit on the map to detect). The side's loss on the target hex
  (the ``hit`` event) is shared among the missions on that hex in proportion to their damage.
- ``assault``: an assault, infiltration or raid with attackers the side had not detected; the
  loss is the defenders' strength lost that day other than to fires and kill zones (combat,
  retreat, rout, surrender). Listed also when it cost no strength but took the hex.
- ``kill_zone``: strength lost moving through enemy fire control (never shown in a side's view).
- ``robots``: UGV robots lost to enemy fire control on their route.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pokrovsk_tui.rules.events import Event, lit, ref
from pokrovsk_tui.rules.params import WEATHERS
from pokrovsk_tui.rules.scenario import SIDES
from pokrovsk_tui.rules.state import GameState
from pokrovsk_tui.rules.view import (
    Knowledge,
    SideView,
    could_have_seen,
    event_for,
    knowledge,
    mask_value,
    text_for,
    view,
)
from pokrovsk_tui.rules.world import CAUSES, World
from pokrovsk_tui.store.replay import state_at
from pokrovsk_tui.store.savefmt import SaveGame
from pokrovsk_tui.store.snapshot import decode_event, state_digest

CONTROL_NAMES = ("ua", "ru", "contested")
CAUSE_LABELS = {"drone": "drones", "glide_bomb": "glide bombs", "artillery": "artillery",
                "ground": "ground combat", "attrition": "attrition"}
FIRE_KINDS = {"strike": "drone strike", "hunt": "drone hunt", "artillery_fire": "artillery fire",
              "glide_bombs": "glide bombs"}
ASSAULT_KINDS = ("assault", "infiltration", "raid")
WHO = ("truth", "ua", "ru")


def weather_name(state: GameState) -> str:
    w = int(state.weather)
    return WEATHERS[w] if 0 <= w < len(WEATHERS) else "none"


def place(world: World, hex_id: str | None) -> str:
    """``2022`` or ``2022 (Pokrovsk)`` when a settlement is there."""
    if hex_id is None:
        return "-"
    try:
        name = world.hex_names.get(world.grid.index(hex_id))
    except ValueError:
        name = None
    return f"{hex_id} ({name})" if name else hex_id


@dataclass(frozen=True, eq=False)
class TurnFrame:
    """One turn of a saved game, for a replay screen. Everything but the states and views is
    plain Python data (str, int, float, list, dict)."""

    turn: int
    weather: str                                   # the day's weather
    before: GameState                              # truth at the start of the turn
    after: GameState                               # truth after it
    digest_before: str
    digest_after: str
    orders: dict[str, list[str]]                   # side -> orders as given (one line each)
    intents: dict[str, list[str]]                  # side -> the AI's intent lines (may be empty)
    events: list[dict[str, Any]]                   # phase, kind, text, to, hex, units, why
    views_before: dict[str, SideView]              # "ua"/"ru" -> what the side knew deciding
    views_after: dict[str, SideView]               # ... and after the day
    losses: dict[str, dict[str, float]]            # side -> cause -> strength lost today
    control_changes: list[dict[str, Any]]          # hex, place, before, after
    units_lost: list[dict[str, Any]]               # unit, side, hex, cause
    surprises: list[dict[str, Any]]
    world: World = field(repr=False)

    def knowledge(self, who: str, when: str = "after") -> Knowledge | None:
        """What ``who`` could name (``rules.view.knowledge``); None for the truth."""
        _check_who(who, when)
        return None if who == "truth" else knowledge(self.view(who, when))

    def events_for(self, who: str) -> list[dict[str, Any]]:
        """The events a side could read, as it could read them (``"truth"``: all, unmasked)."""
        if who == "truth":
            return list(self.events)
        k = self.knowledge(who)
        return [event_dict(event_for(k, event_of(self.turn, e))) for e in self.events if who in e["to"]]

    def surprises_for(self, who: str) -> list[dict[str, Any]]:
        """The surprises of a side as it may read them (``"truth"``: all of them)."""
        if who == "truth":
            return list(self.surprises)
        k = self.knowledge(who)
        return [surprise_for(k, s) for s in self.surprises if s["side"] == who]

    def view(self, who: str, when: str = "before") -> GameState | SideView:
        """``"truth"`` -> the GameState; ``"ua"``/``"ru"`` -> that side's SideView."""
        _check_who(who, when)
        if who == "truth":
            return self.before if when == "before" else self.after
        return (self.views_before if when == "before" else self.views_after)[who]

    def units(self, who: str, when: str = "before") -> list[dict[str, Any]]:
        """The units ``who`` knows of, as rows (see ``units_of``)."""
        _check_who(who, when)
        state = self.before if when == "before" else self.after
        return units_of(self.world, state, who)

    def surprise_totals(self, missed: bool | None = None) -> dict[str, float]:
        """Strength each side lost to what it did not see coming (``missed`` True: only what
        recon could have found; False: only what could not be seen by design)."""
        out = {k: 0.0 for k in SIDES}
        for s in self.surprises:
            if missed is None or s.get("missed") == missed:
                out[s["side"]] += s["loss"]
        return {k: round(v, 2) for k, v in out.items()}


def _check_who(who: str, when: str) -> None:
    if who not in WHO:
        raise ValueError(f"who is one of {', '.join(WHO)}, not {who!r}")
    if when not in ("before", "after"):
        raise ValueError(f"when is 'before' or 'after', not {when!r}")


def units_of(world: World, state: GameState, who: str) -> list[dict[str, Any]]:
    """Units as rows of plain values.

    ``"truth"``: every unit on the map (id, side, type, hex, strength, cohesion, supply,
    entrench, isolated, stock). ``"ua"``/``"ru"``: the side's own units the same way, then the
    enemy units it knows of from its view: id, side, type, hex, ``band`` (strength between),
    ``seen_turn`` and ``current`` (False: a dimmed last-seen marker)."""
    g = world.grid
    rows: list[dict[str, Any]] = []

    def own_rows(mask):
        for u in np.flatnonzero(mask):
            rows.append({"id": world.unit_ids[u], "side": SIDES[world.u_side[u]],
                         "type": world.type_names[world.u_type[u]], "hex": g.hex_id(state.hex[u]),
                         "strength": round(float(state.strength[u]), 2),
                         "cohesion": round(float(state.cohesion[u]), 2),
                         "supply": round(float(state.supply[u]), 2), "entrench": int(state.entrench[u]),
                         "isolated": int(state.isolated[u]), "stock": int(state.stock[u])})

    if who == "truth":
        own_rows(state.on_map)
        return rows
    side = SIDES.index(who)
    v = view(world, state, side)
    own_rows(v.own)
    for c in v.contacts:
        rows.append({"id": c.unit, "side": SIDES[1 - side], "type": c.type, "hex": g.hex_id(c.hex),
                     "band": list(c.band), "seen_turn": c.seen_turn, "current": c.current})
    return rows


class Timeline:
    """The turns of one save; states and frames are cached (jump to any turn in a few ms)."""

    def __init__(self, save: SaveGame):
        self.save = save
        self.world = save.world()
        self._states: dict[int, GameState] = {}
        self._frames: dict[int, TurnFrame] = {}

    @property
    def first(self) -> int:
        """The first turn played in the save."""
        return self.save.start_turn

    @property
    def last(self) -> int:
        """The last turn played (first - 1 when none was)."""
        return self.save.next_turn - 1

    @property
    def turns(self) -> list[int]:
        return list(range(self.first, self.last + 1))

    def __len__(self) -> int:
        return len(self.save.turns)

    def state_at(self, turn: int) -> GameState:
        """The true state at the start of ``turn`` (first .. last + 1), decoded once."""
        s = self._states.get(turn)
        if s is None:
            s = self._states[turn] = state_at(self.save, turn)
        return s

    def digest_at(self, turn: int) -> str:
        return state_digest(self.state_at(turn))

    def frame(self, turn: int) -> TurnFrame:
        """Turn ``turn`` (first .. last). Raises ValueError for a turn not in the save."""
        if not self.first <= turn <= self.last:
            raise ValueError(f"turn {turn} is not in this save (turns {self.first} to {self.last})"
                             if self.last >= self.first else "no turn has been played in this save")
        f = self._frames.get(turn)
        if f is None:
            f = self._frames[turn] = self._make_frame(turn)
        return f

    def frames(self) -> list[TurnFrame]:
        return [self.frame(t) for t in self.turns]

    def _make_frame(self, turn: int) -> TurnFrame:
        world = self.world
        saved = self.save.turns[turn - self.first]
        before, after = self.state_at(turn), self.state_at(turn + 1)
        events = [event_dict(decode_event(turn, e)) for e in saved.events]
        intents = saved.intents.model_dump() if saved.intents is not None else {k: [] for k in SIDES}
        lost = after.casualties - before.casualties
        g = world.grid
        changes = [{"hex": g.hex_id(h), "place": place(world, g.hex_id(h)),
                    "before": CONTROL_NAMES[before.control[h]], "after": CONTROL_NAMES[after.control[h]]}
                   for h in np.flatnonzero(before.control != after.control)]
        units_lost = []
        for e in events:
            if e["phase"] == "recovery" and e["kind"] == "lost" and e["units"]:
                u = world.unit_index.get(e["units"][0])
                why = e["why"] if isinstance(e["why"], dict) else {}
                units_lost.append({"unit": e["units"][0], "side": SIDES[world.u_side[u]] if u is not None else None,
                                   "hex": e["hex"], "cause": why.get("cause")})
        return TurnFrame(
            turn=turn, weather=weather_name(after), before=before, after=after,
            digest_before=state_digest(before), digest_after=saved.digest,
            orders={k: [o.describe() for o in getattr(saved.orders, k)] for k in SIDES},
            intents={k: list(intents.get(k, [])) for k in SIDES},
            events=events,
            views_before={k: view(world, before, s) for s, k in enumerate(SIDES)},
            views_after={k: view(world, after, s) for s, k in enumerate(SIDES)},
            losses={k: {c: round(float(lost[s, j]), 4) for j, c in enumerate(CAUSES)} for s, k in enumerate(SIDES)},
            control_changes=changes, units_lost=units_lost,
            surprises=_classified(surprises(world, before, after, events)), world=world)


# the timelines of the last few saves asked for, newest last: id(save) -> (save, what its
# turns were, timeline); holding the save keeps its id from being reused
CACHE_SIZE = 4
_CACHE: OrderedDict[int, tuple[SaveGame, tuple, Timeline]] = OrderedDict()


def timeline(save: SaveGame) -> Timeline:
    """The save's Timeline, made once and kept for the last few saves asked for (made anew if
    turns were added to the save since)."""
    key = (len(save.turns), id(save.turns[-1]) if save.turns else None, save.start_turn)
    got = _CACHE.get(id(save))
    if got is not None and got[0] is save and got[1] == key:
        _CACHE.move_to_end(id(save))
        return got[2]
    tl = Timeline(save)
    _CACHE[id(save)] = (save, key, tl)
    _CACHE.move_to_end(id(save))
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return tl


def frame(save: SaveGame, turn: int) -> TurnFrame:
    """Shorthand for ``timeline(save).frame(turn)``."""
    return timeline(save).frame(turn)


# ----- surprises -------------------------------------------------------------------------

def event_dict(e: Event) -> dict[str, Any]:
    """An event as the plain dict a frame holds (``text`` the text, ``template`` with placeholders)."""
    return {"phase": e.phase, "kind": e.kind, "text": e.text, "template": e.template, "to": list(e.visible_to),
            "hex": e.hex, "units": list(e.units), "why": e.why}


def event_of(turn: int, d: dict[str, Any]) -> Event:
    return Event(turn=turn, phase=d["phase"] or "", kind=d["kind"], text=d["text"], template=d["template"],
                 visible_to=tuple(d["to"]), hex=d["hex"], units=tuple(d["units"]),
                 why=dict(d["why"]) if isinstance(d["why"], dict) else {})


def surprise_for(k: Knowledge | None, s: dict[str, Any]) -> dict[str, Any]:
    """A surprise as a side may read it: its text from the template with each unit named as
    the side may (``rules.view.text_for``), unit ids in its fields masked (``mask_value``)."""
    out = {key: mask_value(k, v) for key, v in s.items() if key not in ("template", "refs", "text")}
    out["text"] = text_for(k, s["template"], s["refs"])
    out["template"], out["refs"] = s["template"], [mask_value(k, r) for r in s["refs"]]
    return out


def _why(e: dict[str, Any]) -> dict[str, Any]:
    return e["why"] if isinstance(e.get("why"), dict) else {}


def _known(world: World, side_view: SideView, unit: str | None) -> tuple[bool, str]:
    """(detected?, how the side knew the unit) at the start of the turn (``rules.view``)."""
    if unit is None:
        return False, "no launcher on the map to detect"
    st = knowledge(side_view).status(unit)
    if st in ("detected", "own"):
        return True, "detected"
    for c in side_view.contacts:
        if c.unit == unit:
            return False, f"not detected (last seen on turn {c.seen_turn} at {world.grid.hex_id(c.hex)})"
    return False, "not detected"


def surprises(world: World, before: GameState, after: GameState, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What hit each side that its view at the start of the turn did not show coming (see the
    module's docstring for the rules). Each: side, kind, what, by, by_side, hex, loss, units,
    known, text."""
    views = [view(world, before, s) for s in (0, 1)]
    idx = world.unit_index
    # each unit's loss today, and what of it came from fires and kill zones
    total = np.where(before.on_map, before.strength - after.strength, 0.0)
    fire = np.zeros(world.n_units)
    kz = np.zeros(world.n_units)
    hits: dict[tuple[int, str], float] = {}           # (hurt side, hex) -> fire loss there
    hit_units: dict[tuple[int, str], list[str]] = {}
    damage: dict[tuple[int, str], float] = {}         # (hurt side, hex) -> mission damage there
    for e in events:
        why = _why(e)
        if e["phase"] == "fires" and e["kind"] == "hit" and e["hex"] is not None:
            side = SIDES.index(e["to"][0]) if len(e["to"]) == 1 else None
            losses = why.get("losses", {}) if isinstance(why.get("losses"), dict) else {}
            for unit, x in losses.items():
                if unit in idx:
                    fire[idx[unit]] += float(x)
                    side = int(world.u_side[idx[unit]]) if side is None else side
            if side is not None:
                hits[(side, e["hex"])] = hits.get((side, e["hex"]), 0.0) + sum(float(x) for x in losses.values())
                hit_units.setdefault((side, e["hex"]), []).extend(losses)
        elif e["phase"] == "fires" and e["kind"] in FIRE_KINDS and e["hex"] is not None and len(e["to"]) == 1:
            hurt = 1 - SIDES.index(e["to"][0])
            damage[(hurt, e["hex"])] = damage.get((hurt, e["hex"]), 0.0) + float(why.get("damage", 0.0) or 0.0)
        elif e["phase"] == "movement" and e["kind"] == "move" and e["units"]:
            u = idx.get(e["units"][0])
            if u is not None:
                kz[u] += float(why.get("killzone_loss", 0.0) or 0.0)

    out: list[dict[str, Any]] = []
    for e in events:
        why = _why(e)
        if e["phase"] == "fires" and e["kind"] in FIRE_KINDS and e["hex"] is not None and len(e["to"]) == 1:
            by_side = SIDES.index(e["to"][0])
            hurt = 1 - by_side
            key = (hurt, e["hex"])
            dmg = float(why.get("damage", 0.0) or 0.0)
            if dmg <= 0 or hits.get(key, 0.0) <= 0 or damage.get(key, 0.0) <= 0:
                continue
            by = e["units"][0] if e["units"] else None
            seen, known = _known(world, views[hurt], by)
            if seen:
                continue
            loss = hits[key] * dmg / damage[key]
            what = FIRE_KINDS[e["kind"]]
            out.append({"side": SIDES[hurt], "kind": "fires", "what": what, "by": by, "by_side": SIDES[by_side],
                        "hex": e["hex"], "loss": round(loss, 2), "units": list(dict.fromkeys(hit_units[key])),
                        "known": known,
                        **_text(f"{SIDES[hurt].upper()} lost {loss:.1f} on {lit(place(world, e['hex']))} to {what}"
                                + (f" by {ref(0)}" if by else "") + f" ({known})", [by] if by else [])})
        elif e["phase"] == "combat" and e["kind"] in ASSAULT_KINDS:
            attackers = [a for a in why.get("attackers", []) if a in idx]
            defenders = [d for d in why.get("defenders", []) if d in idx]
            if not attackers or not defenders:
                continue
            by_side = int(world.u_side[idx[attackers[0]]])
            hurt = 1 - by_side
            unseen = [a for a in attackers if not _known(world, views[hurt], a)[0]]
            if not unseen:
                continue
            loss = float(sum(max(total[idx[d]] - fire[idx[d]] - kz[idx[d]], 0.0) for d in defenders))
            result = why.get("result")
            if loss <= 1e-9 and result not in ("D", "X"):
                continue
            took = " and took the hex" if result in ("D", "X") and e["kind"] != "raid" else ""
            out.append({"side": SIDES[hurt], "kind": "assault", "what": e["kind"], "by": unseen[0],
                        "by_side": SIDES[by_side], "hex": e["hex"], "loss": round(loss, 2), "units": defenders,
                        "attackers": attackers, "unseen": unseen, "result": result,
                        "known": f"{len(unseen)} of {len(attackers)} attackers not detected",
                        **_text(f"{SIDES[hurt].upper()} lost {loss:.1f} on {lit(place(world, e['hex']))} to "
                                f"{'a' if e['kind'] == 'raid' else 'an'} {e['kind']} by {', '.join(ref(i) for i in range(len(attackers)))}{took} "
                                f"({', '.join(ref(len(attackers) + i) for i in range(len(unseen)))} not detected)",
                                attackers + unseen)})
        elif e["phase"] == "movement" and e["kind"] == "move" and e["units"]:
            loss = float(why.get("killzone_loss", 0.0) or 0.0)
            u = idx.get(e["units"][0])
            if loss <= 0 or u is None:
                continue
            side = SIDES[world.u_side[u]]
            out.append({"side": side, "kind": "kill_zone", "what": "kill zone", "by": None,
                        "by_side": SIDES[1 - world.u_side[u]], "hex": e["hex"], "loss": round(loss, 2),
                        "units": [e["units"][0]], "known": "enemy fire control is not shown to a side",
                        **_text(f"{side.upper()} lost {loss:.1f}: {ref(0)} walked through the enemy's "
                                f"kill zone to {lit(place(world, e['hex']))}", [e["units"][0]])})
        elif e["phase"] == "logistics" and e["kind"] == "ugv" and e["units"]:
            lost = int(why.get("lost", 0) or 0)
            u = idx.get(e["units"][0])
            if lost <= 0 or u is None:
                continue
            loss = min(lost * world.params.ugv_lost_strength, float(before.strength[u]))
            side = SIDES[world.u_side[u]]
            out.append({"side": side, "kind": "robots", "what": "robots lost", "by": None,
                        "by_side": SIDES[1 - world.u_side[u]], "hex": e["hex"], "loss": round(loss, 2),
                        "units": [e["units"][0]], "known": "enemy fire control is not shown to a side",
                        **_text(f"{side.upper()} lost {lost} robot run(s) of {ref(0)} to enemy fire "
                                f"control on the route (-{loss:.1f})", [e["units"][0]])})
    return out


MARK_QUANTILE = 0.9     # a day is marked "!" for a side when its missed losses are among its top tenth
MARK_SHARE = 0.3        # ... and at least this share of what it lost that day
MARK_MIN = 3.0          # ... and at least this much strength


def surprise_days(tl) -> dict[str, list[int]]:
    """The days marked "!" for each side: its losses to what recon could have found (``missed``)
    large for this game - in the side's top tenth of days, at least 30% of what it lost that
    day and at least 3 strength - so a game has a few marked days, not all."""
    frames = list(tl.frames())
    out: dict[str, list[int]] = {k: [] for k in SIDES}
    if not frames:
        return out
    for k in SIDES:
        missed = np.array([f.surprise_totals(True)[k] for f in frames])
        lost = np.array([sum(f.losses[k].values()) for f in frames])
        top = float(np.quantile(missed, MARK_QUANTILE))
        out[k] = [f.turn for f, m, lo in zip(frames, missed, lost, strict=True)
                  if m >= max(top, MARK_MIN) and m >= MARK_SHARE * lo]
    return out


def _classified(out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each surprise marked ``missed`` (recon could have found its source) or not (could not
    be seen by design), with ``why_unseen`` in words: ``rules.view.could_have_seen``."""
    for s in out:
        fire_kind = "glide_bombs" if s["kind"] == "fires" and s.get("what") == FIRE_KINDS.get("glide_bombs") else None
        s["missed"], s["why_unseen"] = could_have_seen(s["kind"], s.get("by"), fire_kind)
    return out


def _text(template: str, refs: list[str]) -> dict[str, Any]:
    """A surprise's words: the template, the units its placeholders stand for, the truth."""
    return {"template": template, "refs": list(refs), "text": text_for(None, template, refs)}
