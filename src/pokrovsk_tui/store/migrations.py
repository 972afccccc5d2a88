"""Older save formats, brought up to date one step at a time.

``MIGRATIONS[v]`` turns the data of a format-``v`` save into format ``v + 1``; ``migrate``
runs the chain up to ``savefmt.FORMAT_VERSION``. Each step works on plain data (what
``tomllib`` reads) and raises ``SaveError`` naming the place of anything it cannot carry over.

Format 0 (the first sketch of saves, before 0.1) is kept as the worked example:

    format_version = 0
    app_version = "0.0.9"
    scenario = "tutorial-hryshyne"      # a bundled scenario, by id only
    seed = 3
    saved = 2025-12-01T10:00:00Z
    ua = "human:Olena"                  # "human:NAME" or "ai:LEVEL"
    ru = "ai:random"

    [[turns]]
    turn = 1
    ua = [{ kind = "dig_in", unit = "ua-93-1" }]    # orders as given
    ru = []

It has no embedded scenario, events, snapshots or digests: the step to format 1 embeds the
bundled scenario's current text and replays the orders to fill in the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.events import lit, ref, render
from pokrovsk_tui.rules.legal import LATER_RULES
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.state import initial_state

from .save_build import mode_of, sha256_text, turn_data
from .savefmt import FORMAT_VERSION, Players, SaveError, SideIntents, SideOrders, orders_digest
from .scenarios import Problem, bundled_dir, loc_to_place, read_toml, validate_data

Step = Callable[[dict, str], dict]


class _V0Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    turn: int = Field(ge=1, le=10_000)
    ua: list[Order] = Field(default_factory=list)
    ru: list[Order] = Field(default_factory=list)


class _V0Save(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format_version: Literal[0]
    app_version: str = "0.0"
    scenario: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=200)
    seed: int = Field(ge=0, lt=2**63)
    saved: dt.datetime
    ua: str = Field(pattern=r"^(human|ai):.*$")
    ru: str = Field(pattern=r"^(human|ai):.*$")
    turns: list[_V0Turn] = Field(default_factory=list)


def _player(spec: str) -> dict:
    kind, _, who = spec.partition(":")
    return {"kind": kind, "name": who or None} if kind == "human" else {"kind": kind, "level": who or None}


def v0_to_v1(data: dict, name: str) -> dict:
    try:
        old = _V0Save.model_validate(data)
    except ValidationError as e:
        raise SaveError([Problem(name, loc_to_place(err["loc"]), f"{err['msg']} (format 0 save)")
                         for err in e.errors(include_url=False)]) from None
    path = bundled_dir() / f"{old.scenario}.toml"
    if not path.is_file():
        raise SaveError([Problem(name, "scenario", f"this format 0 save plays bundled scenario {old.scenario!r}, "
                                                   "which this program does not have")])
    text = path.read_text(encoding="utf-8")
    raw, found = read_toml(path)
    scn, more = validate_data(raw, str(path)) if raw is not None else (None, [])
    if scn is None:
        raise SaveError(found + more)
    from pokrovsk_tui.rules.world import build_world

    world = build_world(scn)
    players = {"ua": _player(old.ua), "ru": _player(old.ru)}
    state = initial_state(world)
    dice = Dice(old.seed)
    turns = []
    for i, t in enumerate(old.turns):
        if t.turn != state.turn:
            raise SaveError([Problem(name, f"turns[{i}].turn", f"expected turn {state.turn} here, found {t.turn}")])
        if state.over or t.turn > scn.turns:
            raise SaveError([Problem(name, f"turns[{i}]", f"turn {t.turn} follows the end of the game")])
        orders = {0: list(t.ua), 1: list(t.ru)}
        state, events = resolve_turn(world, state, orders, dice, LATER_RULES)   # played before them
        turns.append(turn_data(world, t.turn, orders, events, state))
    for d in turns:         # format 1 events held the text itself, the ids written out
        for group in d["events"].values():
            for e in group:
                e["text"] = render(e["text"], e.get("units", []))
    return {
        "format_version": 1,
        "app_version": old.app_version,
        "name": f"{old.scenario}-seed{old.seed}",
        "created": old.saved,
        "updated": old.saved,
        "mode": mode_of(Players.model_validate(players)),
        "seed": old.seed,
        "start_turn": 1,
        "turns_saved": len(turns),
        "players": players,
        "turns": turns,
        "scenario": {"id": scn.id, "sha256": sha256_text(text), "source": f"bundled:{scn.id} (migrated from format 0)",
                     "text": text},
    }


def v1_to_v2(data: dict, name: str) -> dict:
    """Format 2 keeps each event's text as a template: the units it names are placeholders
    ``{0}``, ``{1}`` ... tied to the event's ``units`` (so a side's view can describe a unit
    it never detected without rewriting free text). Format 1 texts hold the ids themselves:
    each is found once here, at exact token boundaries (``ru-ag-1`` is not part of
    ``ru-ag-10``), and replaced by its placeholder. Anything not shaped like a format 1 save
    is left for validation to report."""
    for e in _event_dicts(data):
        units = e.get("units", [])
        ids = [u for u in units if isinstance(u, str)] if isinstance(units, list) else []
        e["text"] = template_of(e["text"], ids if len(ids) == len(units) else [])
    return {**data, "format_version": 2}


def _event_dicts(data: dict):
    """Every saved event (a dict with a text) of every turn, events grouped by phase or not;
    anything not shaped like that is skipped, for validation to report."""
    turns = data.get("turns")
    for t in turns if isinstance(turns, list) else []:
        evs = t.get("events") if isinstance(t, dict) else None
        groups = evs.values() if isinstance(evs, dict) else [evs] if isinstance(evs, list) else []
        for group in groups:
            for e in group if isinstance(group, list) else []:
                if isinstance(e, dict) and isinstance(e.get("text"), str):
                    yield e


_ID_CHAR = r"[A-Za-z0-9_\-]"


def template_of(text: str, units: list[str]) -> str:
    """A format 1 event text as a format 2 template (see ``v1_to_v2``). A unit listed twice
    (a robot section resupplying itself) takes its places in order: the n-th mention of an id
    is its n-th place in ``units`` (the last one when mentioned more often)."""
    places: dict[str, list[int]] = {}
    for k, u in enumerate(units):
        places.setdefault(u, []).append(k)
    if not places:
        return lit(text)
    alts = "|".join(re.escape(u) for u in sorted(places, key=len, reverse=True))
    pattern = re.compile(f"(?<!{_ID_CHAR})(?:{alts})(?!{_ID_CHAR})")
    out, at = [], 0
    seen: dict[str, int] = {}
    for m in pattern.finditer(text):
        ks = places[m.group(0)]
        n = seen.get(m.group(0), 0)
        seen[m.group(0)] = n + 1
        out += [lit(text[at:m.start()]), ref(ks[min(n, len(ks) - 1)])]
        at = m.end()
    out.append(lit(text[at:]))
    return "".join(out)



def v2_to_v3_orders_digest(data: dict, name: str) -> dict:
    """Format 3 seals each turn's orders and intents with its state digest (``orders_digest``)
    so that an order edited by hand shows. A format-2 save is sealed as it is read: edits made
    to it before this migration cannot be told apart (its state digests still are checked)."""
    out = dict(data)
    turns = []
    for t in data.get("turns", []) if isinstance(data.get("turns"), list) else []:
        if isinstance(t, dict) and isinstance(t.get("digest"), str):
            t = dict(t)
            try:
                orders = SideOrders.model_validate(t.get("orders", {}))
                intents = SideIntents.model_validate(t["intents"]) if t.get("intents") is not None else None
                t["orders_digest"] = orders_digest(t["digest"], list(orders.ua), list(orders.ru), intents)
            except (ValidationError, ValueError, TypeError):
                pass        # the models then say what is wrong with the turn's orders
        turns.append(t)
    if "turns" in data:
        out["turns"] = turns
    out["format_version"] = 3
    return out


def v3_to_v4_event_words(data: dict, name: str) -> dict:
    """Format 4 words a glide bomb strike's event "glide bombs on H: ..." (format 3 said "glide
    bombs by glide bombs on H"); the saved events are reworded so that they still match the
    replayed day."""
    old, new = "glide bombs by glide bombs on ", "glide bombs on "
    for e in _event_dicts(data):
        if e["text"].startswith(old):
            e["text"] = new + e["text"][len(old):]
    return {**data, "format_version": 4}


MIGRATIONS: dict[int, Step] = {0: v0_to_v1, 1: v1_to_v2, 2: v2_to_v3_orders_digest, 3: v3_to_v4_event_words}


def migrate(data: dict, version: int, name: str, steps: dict[int, Step] | None = None,
            target: int = FORMAT_VERSION) -> dict:
    """Run the migration chain from ``version`` up to ``target``."""
    steps = MIGRATIONS if steps is None else steps
    v = version
    while v < target:
        step = steps.get(v)
        if step is None:
            known = ", ".join(str(k) for k in sorted(steps)) or "none"
            raise SaveError([Problem(name, "format_version",
                                     f"format_version {version} cannot be read: no migration from version {v} "
                                     f"(this program reads {target} and migrates from {known})")])
        data = step(data, name)
        v += 1
        if data.get("format_version") != v:
            raise SaveError([Problem(name, "format_version", f"migration from version {v - 1} did not give version {v}")])
    return data
