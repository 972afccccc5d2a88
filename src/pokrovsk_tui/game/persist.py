"""A thin adapter between the app's ``GameSession`` and the store's save format
(``store/saves.py``): build a save from a session, a session from a save, list the save
folder, find the latest autosave, and mark a game as running so an interrupted one can be
offered for resuming. No Textual here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pokrovsk_tui.store.paths import default_save_dir

if TYPE_CHECKING:      # the engine loads only when a game does: the title screen opens fast
    from pokrovsk_tui.game.session import GameSession

MODE_TO_SAVE = {"solo": "solo", "hotseat": "hot-seat", "watch": "ai-vs-ai"}
MODE_FROM_SAVE = {v: k for k, v in MODE_TO_SAVE.items()}
AUTOSAVE_RE = re.compile(r"-turn(\d+)\.toml$")
RUNNING_MARK = ".running.json"


def save_dir(override: str | Path | None = None) -> Path:
    """The save folder: the override, else $POKROVSK_SAVE_DIR, else ./saves."""
    return Path(override) if override is not None else default_save_dir()


def _players(session: GameSession):
    from pokrovsk_tui.store.savefmt import Player as SPlayer
    from pokrovsk_tui.store.savefmt import Players

    def one(p) -> SPlayer:
        if p.human:
            return SPlayer(kind="human", name=p.name or None)
        return SPlayer(kind="ai", level=p.level or None)

    return Players(ua=one(session.players[0]), ru=one(session.players[1]))


def _scenario_text(session: GameSession) -> str:
    if session.scenario_text:
        return session.scenario_text
    from pokrovsk_tui.store.saves import scenario_text

    session.scenario_text = scenario_text(session.world.scenario)
    return session.scenario_text


def to_save(session: GameSession):
    """The session as a ``SaveGame``: every resolved turn and the orders pending now.

    The save document is kept on the session (``session.save_doc``) and only the new turns
    are appended; from then on the session's history reads them from there (each turn is
    kept once, ``game/history.py``)."""
    from pokrovsk_tui.store.savefmt import SideOrders
    from pokrovsk_tui.store.saves import append_turn, new_save, now_utc

    doc = session.save_doc
    if doc is None:
        initial = session.initial
        from pokrovsk_tui.rules.state import initial_state

        fresh = initial_state(session.world)
        start = None if (initial.turn == 1 and not fresh.equal(initial, tol=0.0)) else initial
        doc = new_save(session.world, text=_scenario_text(session), seed=session.seed, players=_players(session),
                       mode=MODE_TO_SAVE[session.mode], name=session.name, source=session.scenario_ref, start=start)
        session.save_doc = doc
    for i in range(len(doc.turns), len(session.history)):
        rec = session.history[i]
        t = append_turn(doc, rec.turn, rec.orders, rec.events, rec.state, rec.intents or None)
        session.history.saved_as(i, t)
    pend = {s: list(session.books[s].orders) for s in (0, 1)}
    done = [k for s, k in enumerate(("ua", "ru")) if session.done[s] and s in session.human_sides()]
    if (any(pend.values()) or done) and not session.over:
        doc.pending = SideOrders(ua=pend[0], ru=pend[1], done=done)
    else:
        doc.pending = None
    doc.players = _players(session)
    doc.updated = now_utc()
    return doc


def from_save(save, path: str | Path | None = None) -> GameSession:
    """A session from a loaded (validated) ``SaveGame``."""
    from pokrovsk_tui.game.history import History
    from pokrovsk_tui.game.session import GameSession, Player
    from pokrovsk_tui.store.replay import start_state

    world = save.world()
    initial = start_state(save)
    history = History(world, save.turns)      # decoded when read, kept once

    def player(p):
        if p.kind == "human":
            return Player("human", p.name or "")
        from pokrovsk_tui.game.session import ai_levels, default_ai_level

        level = p.level if p.level in ai_levels() else default_ai_level()
        return Player("ai", level=level)

    players = (player(save.players.ua), player(save.players.ru))
    humans = [p.human for p in players]
    mode = "hotseat" if all(humans) else "solo" if any(humans) else "watch"
    pending = None
    if save.pending is not None:
        pending = {0: list(save.pending.ua), 1: list(save.pending.ru)}
    s = GameSession(world, scenario_ref=save.scenario.id, seed=save.seed, mode=mode, players=players,
                    initial=initial, history=history, pending=pending, name=save.name,
                    scenario_text=save.scenario.text)
    # a game saved mid-turn resumes where it stopped: sides that had finished stay finished,
    # so a hot-seat game restarts at the handoff to the player still to give orders
    if save.pending is not None:
        for side, key in enumerate(("ua", "ru")):
            s.done[side] = key in save.pending.done and players[side].human
    s.save_doc = save
    s.saved(Path(path) if path is not None else None)
    return s


def write(session: GameSession, path: str | Path, replace: bool = True) -> Path:
    """Write the session's save to ``path``. ``replace=False``: a file there that this game
    was not read from or written to is not replaced (``store.atomic.ChangedOnDisk``)."""
    from pokrovsk_tui.store.saves import write_save

    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    out = write_save(to_save(session), p, replace=replace)
    session.saved(out)
    return out


def autosave(session: GameSession, folder: str | Path | None = None) -> Path:
    from pokrovsk_tui.store.saves import autosave as store_autosave

    out = store_autosave(to_save(session), save_dir(folder))
    session.saved()
    mark_running(session, out, folder)
    return out


def fold_journal(session: GameSession, folder: str | Path | None = None) -> Path | None:
    """On quitting: when the session's latest autosave is a whole file with days journaled
    beside it, write the game whole (the journal folded in and removed), so that the game
    left in the save folder is one readable file. Returns the file written, or None when
    there was nothing to fold."""
    from pokrovsk_tui.store.saves import journaled

    if session.save_doc is None or not journaled(session.save_doc):
        return None
    return autosave(session, folder)


def load(path: str | Path) -> GameSession:
    """Load a save file into a session; raises ``store.saves.SaveError``."""
    from pokrovsk_tui.store.saves import load_save

    return from_save(load_save(path), path)


def other_game_at(session: GameSession, path: str | Path) -> str | None:
    """What another game's file at ``path`` holds, said for a question ("game 'Lesson 1',
    tutorial-hryshyne, 3 turns played"); None when there is no file or it is this game's
    (read from or written by it, or the same game: same creation time and seed)."""
    from pokrovsk_tui.store.saves import is_its_file

    p = Path(path)
    if not p.exists():
        return None
    doc = to_save(session)
    if is_its_file(doc, p):
        return None
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
        same = str(data.get("created")) == str(doc.created) and data.get("seed") == doc.seed
        if same and data.get("name") == doc.name:
            return None
        turns = data.get("turns_saved", len(data.get("turns", [])))
        scn = data.get("scenario", {}).get("id", "?")
        return f"game {str(data.get('name', '?'))[:60]!r}, {scn}, {turns} turn(s) played"
    except (OSError, ValueError, AttributeError, TypeError):
        return "a file that is not a readable save"


def save_path_for(name: str, folder: str | Path | None = None) -> Path:
    from pokrovsk_tui.store.saves import safe_name

    return save_dir(folder) / f"{safe_name(name)}.toml"


# ----- the save folder -------------------------------------------------------------------

@dataclass(frozen=True)
class SaveInfo:
    path: Path
    name: str
    scenario: str
    turn: int                 # turns played
    date: str                 # the game's date of the next turn (of the last day, once over)
    mode: str
    updated: str
    autosave: bool
    problem: str = ""
    lineage: str = ""         # "branch of NAME at day T", when it is a branch


_HEAD_RE = re.compile(r'^(name|mode|updated|start_turn|turns_saved)\s*=\s*(.+)$', re.M)


def describe(path: Path) -> SaveInfo:
    """What the Load list shows for a file, read cheaply; a file that is not a readable
    save still gets a row (its problem is said when it is chosen)."""
    auto = bool(AUTOSAVE_RE.search(path.name))
    try:
        with path.open("rb") as f:
            head = f.read(8192).decode("utf-8", errors="replace")
    except OSError as e:
        return SaveInfo(path, path.stem, "?", 0, "", "?", "", auto, f"cannot read: {e.strerror or e}")
    found = {}
    for k, v in _HEAD_RE.findall(head.split("[", 1)[0] if "[" in head else head):
        with contextlib.suppress(tomllib.TOMLDecodeError):
            found[k] = tomllib.loads(f"x = {v}")["x"]
    scenario = "?"
    start_date = None
    over = False
    try:
        with path.open("rb") as f:                  # the last 300 kB only: [scenario] is at the end
            f.seek(max(0, f.seek(0, os.SEEK_END) - 300_000))
            tail = f.read().decode("utf-8", errors="replace")
        m = re.search(r'^\[scenario\]\s*\n(?:.*\n)*?id\s*=\s*"([^"]+)"', tail, re.M)
        if m:
            scenario = m.group(1)
        d = re.search(r'^start_date\s*=\s*(\d{4}-\d\d-\d\d)', tail, re.M)
        if d:
            start_date = dt.date.fromisoformat(d.group(1))
        winners = re.findall(r'^winner\s*=\s*"(\w+)"', tail, re.M)
        over = bool(winners) and winners[-1] != "playing"
    except (OSError, ValueError):
        pass
    played = int(found.get("turns_saved", 0) or 0) + int(found.get("start_turn", 1) or 1) - 1
    from pokrovsk_tui.store.journal import last_turn

    played = max(played, last_turn(path) or 0)        # an autosave's journal: the days after the file
    # the date of the next day to play; once the game is over, of the last day played
    shown = played - 1 if over and played > 0 else played
    date = (start_date + dt.timedelta(days=shown)).isoformat() if start_date else ""
    updated = found.get("updated", "")
    if isinstance(updated, dt.datetime):
        updated = updated.strftime("%Y-%m-%d %H:%M")
    problem = "" if "name" in found else "not a pokrovsk save (no header)"
    steps = _LINEAGE_RE.findall(head)
    lineage = "; ".join(f"branch of {name or Path(file).stem} at day {turn}" for file, name, turn in steps[-2:])
    if len(steps) > 2:
        lineage = f"{len(steps) - 2} earlier branch(es); " + lineage
    return SaveInfo(path, str(found.get("name", path.stem)), scenario, played, date,
                    MODE_FROM_SAVE.get(str(found.get("mode", "")), str(found.get("mode", "?"))),
                    str(updated), auto, problem, lineage)


_LINEAGE_RE = re.compile(r'^\[\[lineage\]\]\s*\nfile\s*=\s*"([^"]*)"\s*\n(?:name\s*=\s*"([^"]*)"\s*\n)?turn\s*=\s*(\d+)',
                         re.M)


def list_folders(folder: str | Path | None = None) -> list[Path]:
    """The subfolders of a folder (not hidden), by name."""
    d = save_dir(folder)
    try:
        return sorted((p for p in d.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)
    except OSError:
        return []


def list_saves(folder: str | Path | None = None) -> list[SaveInfo]:
    """Every .toml file of the save folder, newest first."""
    return [describe(p) for p in _newest_first(folder)]


def _newest_first(folder: str | Path | None) -> list[Path]:
    d = save_dir(folder)
    try:
        found = []
        for p in d.iterdir():
            if p.suffix == ".toml":
                with contextlib.suppress(OSError):
                    st = p.stat()
                    if stat.S_ISREG(st.st_mode):
                        found.append((st.st_mtime, p.name, p))
    except OSError:
        return []
    found.sort(reverse=True)
    return [p for _, _, p in found]


def latest_autosave(folder: str | Path | None = None) -> SaveInfo | None:
    """The newest autosave that reads as a save (the title's Continue); only the files up to
    it are read, however many saves the folder holds."""
    for p in _newest_first(folder):
        if AUTOSAVE_RE.search(p.name):
            info = describe(p)
            if not info.problem:
                return info
    return None


# ----- an interrupted game ---------------------------------------------------------------

def mark_running(session: GameSession, autosave_path: Path | None, folder: str | Path | None = None) -> None:
    """Note that a game is open (and its latest autosave), so a crash leaves the mark."""
    d = save_dir(folder)
    with contextlib.suppress(OSError):
        d.mkdir(parents=True, exist_ok=True)
        data = {"name": session.name, "autosave": str(autosave_path) if autosave_path else None,
                "pid": os.getpid()}
        (d / RUNNING_MARK).write_text(json.dumps(data), encoding="utf-8")


def clear_running(folder: str | Path | None = None) -> None:
    with contextlib.suppress(OSError):
        (save_dir(folder) / RUNNING_MARK).unlink()


def interrupted(folder: str | Path | None = None) -> Path | None:
    """The autosave of a game that was open when the program last stopped without quitting."""
    mark = save_dir(folder) / RUNNING_MARK
    try:
        data = json.loads(mark.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    pid = data.get("pid")
    if isinstance(pid, int) and pid != os.getpid() and _alive(pid):
        return None          # another copy of the game is running right now
    p = data.get("autosave")
    if isinstance(p, str) and Path(p).is_file():
        return Path(p)
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True



# ----- a branch of a replayed game -------------------------------------------------------

def branch_game(save, source: str | Path | None, turn: int, *, mode: str = "solo", side: int = 0,
                level: str = "normal", folder: str | Path | None = None, levels: tuple[str, str] | None = None,
                seed: int | None = None) -> Path:
    """"Take command from here": a new save starting from the state at the start of
    ``turn`` of ``save`` (``store.replay.branch``: same scenario, the save's seed unless
    ``seed``, the lineage recorded), with players for ``mode``: ``keep`` the save's players
    and levels; solo as ``side`` against the computer at ``level``; hot-seat; or watch
    (``levels`` (UA, RU), default ``level`` for both). Written into the save folder as
    ``<source>-branch-tTT.toml`` (a free, full name: ``store.replay.branch_file``), the game
    named after its file so its autosaves are its own. Raises ``store.replay.BranchError``
    or OSError. The original is untouched."""
    from pokrovsk_tui.store.replay import branch, branch_file
    from pokrovsk_tui.store.savefmt import Player as SPlayer
    from pokrovsk_tui.store.savefmt import Players
    from pokrovsk_tui.store.saves import write_save

    src = Path(source) if source is not None else None
    d = save_dir(folder)
    d.mkdir(parents=True, exist_ok=True)
    path = branch_file(d, src.stem if src is not None else save.name, turn)
    new = branch(save, turn, str(src) if src is not None else save.name, name=path.stem, seed=seed)
    human, ai = SPlayer(kind="human"), SPlayer(kind="ai", level=level)
    if mode == "keep":
        new.players = save.players.model_copy(deep=True)
    elif mode == "solo":
        new.players = Players(ua=human if side == 0 else ai, ru=ai if side == 0 else human)
    elif mode == "hotseat":
        new.players = Players(ua=SPlayer(kind="human"), ru=SPlayer(kind="human"))
    else:
        ua_level, ru_level = levels if levels is not None else (level, level)
        new.players = Players(ua=SPlayer(kind="ai", level=ua_level), ru=SPlayer(kind="ai", level=ru_level))
    if mode == "keep":
        new.mode = save.mode
    else:
        new.mode = MODE_TO_SAVE[mode]
    return write_save(new, path, replace=False)


def take_command(save, source: str | Path | None, turn: int, *, mode: str, side: int = 0, level: str = "normal",
                 levels: tuple[str, str] | None = None, folder: str | Path | None = None) -> tuple[Path, GameSession]:
    """Take command from the start of ``turn`` of a replayed game: the branch written
    (``branch_game``), opened as a session and marked as the running game. Raises
    ``store.replay.BranchError``, ``store.saves.SaveError`` or OSError."""
    path = branch_game(save, source, turn, mode=mode, side=side, level=level, folder=folder, levels=levels)
    session = load(path)
    mark_running(session, path, folder)
    return path, session
