"""The save file format (``FORMAT_VERSION``, 4): pydantic models that validate a save in both directions.

A save is one TOML file holding a game's whole life (see README "Saves"):

- a header: ``format_version``, ``app_version``, ``name``, times, ``mode``, ``seed``,
  ``start_turn`` and ``turns_saved`` (a file cut short is noticed);
- ``[players.ua]``/``[players.ru]``: who plays each side (a human's name or an AI's level);
- ``[[lineage]]``: the saves this one was branched from, oldest first;
- ``[[annotations]]``: an instructor's notes (turn, optional hex, author, text);
- ``[pending]``: orders given for the current turn but not yet resolved (hot-seat handoff);
- ``[start]``: the state a branched save starts from (absent: the scenario's initial state);
- ``[why_keys]``: for each phase and kind of event, the names of its breakdown values;
- ``[[turns]]``: for every played turn the orders of both sides as given (one line each
  where they fit, see ``order_text``), optional AI intents, the events grouped by phase
  with their breakdowns (``why``: a list of values named in ``why_keys``, or a table), a
  snapshot of the state after the turn and its sha256 ``digest``, and ``orders_digest``: a
  sha256 over that digest, both sides' orders and the intents (``orders_digest``), so an
  order edited by hand shows even when it changes nothing (format 3; earlier formats lacked it);
- ``[scenario]``: the scenario's full text and its sha256, so the save replays even when
  the bundled file changes (last, so the game comes first when reading).

A state snapshot keeps per-hex layers as rows of characters (``control``: u, r, x), unit
slots as one inline table a line in scenario order (``strength`` left out at the type's full
strength, ``cohesion`` at 100, zero counters left out), and each side's knowledge sparsely
(``detected`` unit ids, ``seen`` last sightings, ``fire_control`` by hex).

In memory a turn's events are one list (``SavedTurn.events``), each with its phase.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    TypeAdapter,
    model_validator,
)

from pokrovsk_tui.rules.limits import MAX_NUMBER
from pokrovsk_tui.rules.orders import Order

if TYPE_CHECKING:
    from .scenarios import Problem

FORMAT_VERSION = 4
MAX_TURN = 10_000
MAX_INT = 2**62

Mode = Literal["solo", "hot-seat", "ai-vs-ai"]
Weather = Literal["none", "frost", "snow", "thaw", "fog"]
Winner = Literal["playing", "ua", "ru", "draw"]
Status = Literal["on", "off", "lost", "on-lost"]
Digest = str


class SaveError(Exception):
    """A save that cannot be used; ``problems`` says every reason (raised while loading, by
    ``save_load``, and by the migrations of older formats)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Player(_Model):
    kind: Literal["human", "ai"]
    name: str | None = Field(None, max_length=200, description="a human player's name")
    level: str | None = Field(None, max_length=200, description="an AI's level or policy")

    def label(self) -> str:
        if self.kind == "human":
            return f"human {self.name}" if self.name else "human"
        return f"AI {self.level}" if self.level else "AI"


class Players(_Model):
    ua: Player
    ru: Player


class EmbeddedScenario(_Model):
    id: str = Field(min_length=1, max_length=200)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of text (UTF-8)")
    source: str | None = Field(None, description="where the text was read from, for people")
    text: str = Field(min_length=1, description="the scenario file's full text")


class LineageStep(_Model):
    file: str = Field(description="the save this one was branched from, as named then")
    name: str = Field("", description="that save's game name")
    turn: int = Field(ge=1, le=MAX_TURN, description="the branch starts at the start of this turn")
    digest: Digest = Field(pattern=r"^[0-9a-f]{64}$", description="digest of the state it starts from")
    created: dt.datetime | None = None
    players: Players | None = Field(None, description="that save's players (a branch may change them)")


class Annotation(_Model):
    turn: int = Field(ge=0, le=MAX_TURN, description="0 is the set-up before turn 1")
    hex: str | None = None
    author: str = Field("", max_length=200)
    text: str = Field(max_length=20_000)


_OTHER_SPACE = re.compile(r"[^\S ]")


@functools.lru_cache(maxsize=1 << 16)
def order_text(o: Order) -> str | None:
    """An order as one line, ``UNIT KIND [@TARGET] [PATH...] [xCOUNT] [>TARGET_UNIT]``
    (UNIT ``-`` for none), e.g. ``ua-101-1 move @1821 2221 2122 1821``, ``- bomb @0831 x4``,
    ``ua-ugv-1 resupply >ua-101-2 x2``; None when the order does not fit that form."""
    parts = [o.unit if o.unit is not None else "-", o.kind]
    if o.target is not None:
        parts.append("@" + o.target)
    parts += o.path
    if o.count != 1:
        parts.append(f"x{o.count}")
    if o.target_unit is not None:
        parts.append(">" + o.target_unit)
    text = " ".join(parts)
    try:
        d = order_from_text(text)
    except ValueError:
        return None
    same = (d["kind"] == o.kind and d.get("unit") == o.unit and d.get("target") == o.target
            and tuple(d.get("path", ())) == o.path and d.get("count", 1) == o.count
            and d.get("target_unit") == o.target_unit)
    return text if same else None


def order_from_text(v: Any) -> Any:
    """Parse the one-line form of an order into its fields (tables pass through)."""
    if not isinstance(v, str):
        return v
    tokens = v.split(" ")
    if len(tokens) < 2 or "" in tokens or _OTHER_SPACE.search(v):
        raise ValueError(f"order {v!r} is not 'UNIT KIND [@TARGET] [PATH...] [xCOUNT] [>UNIT]' "
                         "(single spaces between words)")
    d: dict[str, Any] = {"kind": tokens[1]}
    if tokens[0] != "-":
        d["unit"] = tokens[0]
    path = []
    for t in tokens[2:]:
        if t[0] == "@" and len(t) > 1 and "target" not in d:
            d["target"] = t[1:]
        elif t[0] == ">" and len(t) > 1 and "target_unit" not in d:
            d["target_unit"] = t[1:]
        elif t[0] == "x" and t[1:].isdigit() and t[1:].isascii() and "count" not in d:
            d["count"] = int(t[1:])
        elif t[0] not in "@>" and not (t[0] == "x" and t[1:].isdigit()) and "count" not in d \
                and "target_unit" not in d:
            path.append(t)
        else:
            raise ValueError(f"order {v!r}: cannot read {t!r} here")
    if path:
        d["path"] = path
    return d


OrderItem = Annotated[Order, BeforeValidator(order_from_text, json_schema_input_type=str | Order)]


class SideOrders(_Model):
    ua: list[OrderItem] = Field(default_factory=list)
    ru: list[OrderItem] = Field(default_factory=list)
    done: list[Literal["ua", "ru"]] = Field(
        default_factory=list, description="in [pending]: sides that had finished their orders for the turn")


class SideIntents(_Model):
    ua: list[str] = Field(default_factory=list)
    ru: list[str] = Field(default_factory=list)


class _Finite(_Model):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class UnitRow(_Finite):
    id: str
    hex: str
    status: Status = Field("on", description="on the map, off it (not arrived yet) or lost")
    strength: float | None = Field(None, ge=0, le=MAX_NUMBER, description="absent: the full strength of the unit's type")
    cohesion: float = Field(100.0, ge=0, le=100)
    supply: float = Field(ge=0, le=100)
    entrench: int = Field(0, ge=0, le=3)
    isolated: int = Field(0, ge=0, le=MAX_INT, description="days without a supply path")
    stock: int = Field(0, ge=0, le=MAX_INT, description="drones held")


class SeenRow(_Finite):
    unit: str
    hex: str | None = Field(None, description="absent: never seen")
    turn: int = Field(-1, ge=-1, le=MAX_TURN)
    strength: float = Field(0.0, ge=0, le=MAX_NUMBER)


class SideKnowledge(_Finite):
    vp: float = Field(0.0, ge=-1e12, le=1e12)
    casualties: dict[str, Annotated[float, Field(ge=0, le=1e12)]] = Field(
        default_factory=dict, description="strength lost, by cause")
    detected: list[str] = Field(default_factory=list, description="enemy units this side sees now")
    seen: list[SeenRow] = Field(default_factory=list, description="last sightings")
    fire_control: dict[str, Annotated[float, Field(ge=0, le=1e12)]] = Field(default_factory=dict,
                                           description="interdiction fire control by hex (others 0)")


class Snapshot(_Model):
    turn: int = Field(ge=1, le=MAX_TURN, description="the next turn to resolve")
    weather: Weather = "none"
    winner: Winner = "playing"
    end_reason: int = Field(-1, ge=-2, le=MAX_TURN, description="-1 playing, -2 last turn, i: sudden death i")
    sd_days: list[Annotated[int, Field(ge=0, le=MAX_INT)]] = Field(default_factory=list)
    control: list[str]
    units: list[UnitRow]
    ua: SideKnowledge = Field(default_factory=SideKnowledge)
    ru: SideKnowledge = Field(default_factory=SideKnowledge)


def group_runs(events: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Events (dicts with a phase) as the file groups them: each run of one phase is a group
    named after it, its events without their phase; a phase that comes back after another
    gets the group ``phase-2`` (``-3``...) and its events keep their phase."""
    groups: dict[str, list[dict[str, Any]]] = {}
    last: object = None
    key = ""
    for e in events:
        phase = e.get("phase")
        if phase != last or not groups:
            last = phase
            key = str(phase)
            n = 2
            while key in groups:
                key = f"{phase}-{n}"
                n += 1
            groups[key] = []
        groups[key].append({k: v for k, v in e.items() if k != "phase"} if key == phase else e)
    return groups


def group_places(events: list) -> list[str]:
    """For each event of a flat list, its place in the file's groups: ``fires[3]``."""
    out = []
    runs = group_runs([{"phase": getattr(e, "phase", None) if not isinstance(e, dict) else e.get("phase")}
                       for e in events])
    for g, evs in runs.items():
        out += [f"{g}[{j}]" for j in range(len(evs))]
    return out


def flatten_events(v: Any) -> Any:
    """The file's events grouped by phase back to one list, each event with its phase."""
    if not isinstance(v, dict):
        return v
    out = []
    for group, evs in v.items():
        if not isinstance(evs, list):
            raise ValueError(f"events.{group} should be a list of events")
        for e in evs:
            out.append({"phase": group, **e} if isinstance(e, dict) and "phase" not in e else e)
    return out


_ORDER_LIST = TypeAdapter(list[Order])     # each order as Order.model_dump(mode="json") gives it, in one call


def orders_digest(state_digest: str, ua: list[Order], ru: list[Order], intents: Any = None) -> str:
    """The sha256 sealing one turn's orders (and intents) to the state they led to."""
    import hashlib
    import json

    if intents is not None and not isinstance(intents, dict):
        intents = intents.model_dump()
    doc = {"state": state_digest, "ua": _ORDER_LIST.dump_python(list(ua), mode="json"),
           "ru": _ORDER_LIST.dump_python(list(ru), mode="json"), "intents": intents or None}
    return hashlib.sha256(json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class SavedEvent(_Model):
    phase: str | None = Field(None, description="in the file: only when it is not the name of the event's group")
    kind: str
    text: str = Field(description="the text; {0}, {1} ... stand for units[0], units[1] ... ({{ is a literal {)")
    to: list[Literal["ua", "ru"]] = Field(default_factory=lambda: ["ua", "ru"], description="who may read it")
    hex: str | None = None
    units: list[str] = Field(default_factory=list)
    why: dict[str, Any] | list[Any] = Field(
        default_factory=dict, description="the breakdown; a list gives the values named in why_keys.PHASE.KIND")

    @model_validator(mode="after")
    def _placeholders_name_units(self) -> SavedEvent:
        if "{" not in self.text:
            return self
        refs = [int(m) for m in re.findall(r"(?<!\{)\{(\d+)\}", self.text.replace("{{", ""))]
        if refs and max(refs) >= len(self.units):
            raise ValueError(f"text refers to unit {{{max(refs)}}} but the event has {len(self.units)} units")
        return self


class SavedTurn(_Model):
    turn: int = Field(ge=1, le=MAX_TURN)
    digest: Digest = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the state after the turn")
    orders_digest: Digest = Field(pattern=r"^[0-9a-f]{64}$",
                                  description="sha256 of digest, both sides' orders and the intents")
    orders: SideOrders = Field(default_factory=SideOrders)
    intents: SideIntents | None = None
    events: Annotated[list[SavedEvent], BeforeValidator(
        flatten_events, json_schema_input_type=dict[str, list[SavedEvent]] | list[SavedEvent])] = Field(
        default_factory=list, description="the turn's events in order; the file groups them by phase")
    state: Snapshot

    # The turn's TOML text once written, with the why_keys it used, so that saving again
    # after a new turn only writes the new one; and what checking the turn found (``checked``),
    # so that verifying a save just loaded does not work it out again. A played turn does not
    # change; setting a field or copying the turn forgets both, changing a nested value in
    # place would not.
    _toml: Any = PrivateAttr(default=None)
    _checked: dict[str, Any] | None = PrivateAttr(default=None)

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if not name.startswith("_"):
            super().__setattr__("_toml", None)
            super().__setattr__("_checked", None)

    def __deepcopy__(self, memo: dict | None = None):
        new = super().__deepcopy__(memo)
        object.__setattr__(new, "__pydantic_private__",
                           {**(new.__pydantic_private__ or {}), "_toml": None, "_checked": None})
        return new

    def __copy__(self):
        new = super().__copy__()
        object.__setattr__(new, "__pydantic_private__",
                           {**(new.__pydantic_private__ or {}), "_toml": None, "_checked": None})
        return new

    def checked(self) -> dict[str, Any]:
        """What checking this turn found, kept with it: ``sealed`` (``sealed_orders_digest``),
        ``state_digest`` (of its snapshot decoded), ``waives`` (the digest of the state
        before the turn, the later rules the turn was played without: ``checks.waived_rules``)
        and ``orders`` (that digest, the engine's ``check_orders`` of the turn's orders from
        that state, when it waives nothing)."""
        if self._checked is None:
            self._checked = {}
        return self._checked

    def sealed_orders_digest(self) -> str:
        """What ``orders_digest`` should be for this turn's digest, orders and intents."""
        got = self.checked().get("sealed")
        if got is None:
            got = self.checked()["sealed"] = orders_digest(self.digest, list(self.orders.ua), list(self.orders.ru),
                                                           self.intents)
        return got

    def event_list(self) -> list[SavedEvent]:
        """The events in order (each with its phase)."""
        return list(self.events)


class SaveGame(_Model):
    format_version: Literal[4]
    app_version: str
    name: str = Field(min_length=1, max_length=200)
    created: dt.datetime
    updated: dt.datetime
    mode: Mode
    seed: int = Field(ge=0, lt=2**63)
    start_turn: int = Field(1, ge=1, le=MAX_TURN)
    turns_saved: int = Field(ge=0, le=MAX_TURN, description="how many [[turns]] follow")
    players: Players
    lineage: list[LineageStep] = Field(default_factory=list)
    annotations: list[Annotation] = Field(default_factory=list)
    why_keys: dict[str, dict[str, list[str]]] = Field(
        default_factory=dict, description="names of the values of events whose why is a list, by phase and kind")
    pending: SideOrders | None = None
    start_digest: Digest | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    start: Snapshot | None = None
    turns: list[SavedTurn] = Field(default_factory=list)
    scenario: EmbeddedScenario

    _world: Any = PrivateAttr(default=None)
    # file (resolved path) -> sha256 of its bytes when this save was read from it or last
    # written there: a writer refuses to replace a file that changed since (store/atomic.py)
    _disk: dict[str, str] = PrivateAttr(default_factory=dict)
    # problems (store.scenarios.Problem) of digests that do not match what they cover, found
    # when loading: the save was modified by hand. It still loads; validate and verify say so.
    _modified: list[Any] = PrivateAttr(default_factory=list)
    # the last full autosave of this game and how many turns it and its journal hold
    # (store.saves.autosave, store/journal.py)
    _autosave: Any = PrivateAttr(default=None)

    def modified_by_hand(self) -> list[Any]:
        return list(self._modified)

    @property
    def next_turn(self) -> int:
        """The turn the game would resolve next."""
        return self.turns[-1].turn + 1 if self.turns else self.start_turn

    def world(self):
        """The World compiled from the embedded scenario (cached)."""
        if self._world is None:
            from pokrovsk_tui.rules.scenario import Scenario
            from pokrovsk_tui.rules.world import world_of_text

            from .tomlr import loads

            text = self.scenario.text
            self._world = world_of_text(text, lambda: Scenario.model_validate(loads(text)))
        return self._world
