"""Building a save in memory: a new game's save, a played turn appended, a whole played game
(``save_from_record``); the names and file names made from a game's name.

Nothing here reads or writes files: the text of a save is in ``save_text.py``, reading it
back in ``save_load.py``, writing and autosaving in ``saves.py`` (the public face).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any

from pokrovsk_tui import __version__
from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.scenario import SIDES, Scenario
from pokrovsk_tui.rules.state import GameState, initial_state
from pokrovsk_tui.rules.world import World

from . import tomlw
from .savefmt import (
    FORMAT_VERSION,
    Mode,
    Player,
    Players,
    SavedTurn,
    SaveGame,
    Snapshot,
    orders_digest,
)
from .snapshot import encode_orders, encode_state, group_events, state_digest

# ----- names and places ------------------------------------------------------------------

_TRANSLIT = dict(zip("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяёыэъ",
                     "a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch _ iu ia e y e _"
                     .split(), strict=True))
_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}


NAME_MAX = 100          # characters of a file-name stem made from a game's name (autosaves, branches)


def safe_name(text: str, max_len: int = 48) -> str:
    """A file-name stem from anything a user typed: lowercase letters, digits and single
    dashes, at most ``max_len`` characters, never empty, never a path component."""
    out = []
    for ch in str(text).lower():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch].strip("_"))
            continue
        for c in unicodedata.normalize("NFKD", ch):
            if c.isascii() and c.isalnum():
                out.append(c)
            elif not unicodedata.combining(c):
                out.append("-")
    s = re.sub(r"-+", "-", "".join(out)).strip("-")
    s = s[: max(1, max_len)].strip("-")
    if not s:
        s = "game"
    if s in _RESERVED:
        s += "-game"
    return s


def unique_path(folder: Path, stem: str, suffix: str = ".toml") -> Path:
    """``folder/stem.toml``, or ``stem-2.toml``, ``stem-3.toml``... whichever is free."""
    p = folder / f"{stem}{suffix}"
    i = 2
    while p.exists():
        p = folder / f"{stem}-{i}{suffix}"
        i += 1
    return p


# ----- building a save -------------------------------------------------------------------

def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scenario_text(scn: Scenario) -> str:
    """TOML text of a scenario model (for scenarios built in memory rather than read), in the
    project's one TOML dialect (``tomlw``)."""
    return tomlw.dumps(scn.model_dump(mode="python", exclude_none=True))


def mode_of(players: Players) -> Mode:
    humans = [p.kind == "human" for p in (players.ua, players.ru)]
    return "hot-seat" if all(humans) else "solo" if any(humans) else "ai-vs-ai"


def ai_players(ua: str, ru: str) -> Players:
    return Players(ua=Player(kind="ai", level=ua), ru=Player(kind="ai", level=ru))


def new_save(world: World, *, text: str, seed: int, players: Players, mode: Mode | None = None,
             name: str | None = None, source: str | None = None, start: GameState | None = None,
             now: dt.datetime | None = None) -> SaveGame:
    """An empty save of a game about to start (from ``start``, else the initial state)."""
    now = now or now_utc()
    scn = world.scenario
    save = SaveGame(
        format_version=FORMAT_VERSION, app_version=__version__,
        name=name or f"{scn.id}-seed{seed}", created=now, updated=now,
        mode=mode or mode_of(players), seed=seed, turns_saved=0, players=players,
        scenario={"id": scn.id, "sha256": sha256_text(text), "source": source, "text": text})
    if start is not None:
        save.start_turn = int(start.turn)
        save.start = Snapshot.model_validate(encode_state(world, start))
        save.start_digest = state_digest(start)
    save._world = world
    return save


def turn_data(world: World, turn: int, orders: dict[int, list[Order]], events: list[Event],
              state: GameState, intents: dict[int, list[str]] | None = None) -> dict[str, Any]:
    """One played turn as save data (what a [[turns]] entry holds)."""
    digest = state_digest(state)
    d: dict[str, Any] = {
        "turn": int(turn),
        "digest": digest,
        "orders": {k: encode_orders(list(orders.get(s, []))) for s, k in enumerate(SIDES)},
    }
    if intents:
        d["intents"] = {k: [str(x) for x in intents.get(s, [])] for s, k in enumerate(SIDES)}
    d["orders_digest"] = orders_digest(digest, list(orders.get(0, [])), list(orders.get(1, [])),
                                       d.get("intents"))
    d["events"] = group_events(events)
    d["state"] = encode_state(world, state)
    return d


def append_turn(save: SaveGame, turn: int, orders: dict[int, list[Order]], events: list[Event],
                state: GameState, intents: dict[int, list[str]] | None = None,
                now: dt.datetime | None = None) -> SavedTurn:
    """Record an adjudicated turn; clears the pending orders."""
    if turn != save.next_turn:
        raise ValueError(f"turn {turn} does not follow the save's last turn ({save.next_turn - 1})")
    t = SavedTurn.model_validate(turn_data(save.world(), turn, orders, events, state, intents))
    save.turns.append(t)
    save.turns_saved = len(save.turns)
    save.pending = None
    save.updated = now or now_utc()
    return t


def save_from_record(rec, *, text: str, players: Players, mode: Mode | None = None, name: str | None = None,
                     source: str | None = None, now: dt.datetime | None = None) -> SaveGame:
    """A save of a whole played game (a ``sim.GameRecord`` kept with ``keep_history``)."""
    save = new_save(rec.world, text=text, seed=rec.seed, players=players, mode=mode, name=name,
                    source=source, now=now,
                    start=None if _is_initial(rec.world, rec.initial) else rec.initial)
    for tr in rec.turns:
        append_turn(save, tr.turn, tr.orders, tr.events, tr.state, getattr(tr, "intents", None), now=save.updated)
    return save


def _is_initial(world: World, state: GameState) -> bool:
    return state.turn == 1 and not initial_state(world).equal(state, tol=0.0)
