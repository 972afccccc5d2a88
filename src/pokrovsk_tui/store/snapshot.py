"""A GameState to a save's snapshot and back, exactly; the state digest; events and orders
as plain TOML data.

``encode_state`` writes every field of ``GameState`` (see ``rules.state.ARRAY_FIELDS``):
floats go through ``repr``, so ``decode_state(encode_state(s))`` is bit-for-bit ``s`` (up to
the sign of zero, which the digest ignores). ``state_digest`` is a sha256 over a canonical
encoding of the turn and all the arrays.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.hexgrid import HexIdError
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.params import WEATHERS
from pokrovsk_tui.rules.scenario import SIDES
from pokrovsk_tui.rules.state import ARRAY_FIELDS, GameState
from pokrovsk_tui.rules.world import CAUSES, World

from .savefmt import SavedEvent, Snapshot, group_runs

CONTROL_CHARS = "urx"
WINNERS = ("ua", "ru", "draw")
_CTRL_LUT = np.full(256, -1, np.int16)
for _i, _c in enumerate(CONTROL_CHARS):
    _CTRL_LUT[ord(_c)] = _i


class SnapshotError(Exception):
    """A snapshot that does not fit its scenario; ``problems`` are (place, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{p}: {m}" for p, m in problems))


# ----- digest ----------------------------------------------------------------------------

def state_digest(state: GameState) -> str:
    """sha256 of the turn and every array field, in a canonical little-endian encoding."""
    h = hashlib.sha256(b"pokrovsk-state-v1\0")
    h.update(f"turn={int(state.turn)}\0".encode())
    for f in ARRAY_FIELDS:
        a = np.asarray(getattr(state, f))
        if a.dtype.kind == "f":
            a = np.ascontiguousarray(a, dtype="<f8") + 0.0          # -0.0 -> 0.0
            if np.isnan(a).any():
                a = np.where(np.isnan(a), np.nan, a)                 # one NaN pattern
        elif a.dtype.kind == "b":
            a = np.ascontiguousarray(a, dtype="u1")
        else:
            a = np.ascontiguousarray(a, dtype="<i8")
        h.update(f"{f}:{a.dtype.str}:{a.shape}\0".encode())
        h.update(a.tobytes())
    return h.hexdigest()


# ----- state -> snapshot -----------------------------------------------------------------

def _hex(world: World, h: int) -> str:
    if not 0 <= h < world.grid.n:
        raise ValueError(f"hex number {h} is off the map")
    return world.grid.hex_id(h)


def encode_state(world: World, s: GameState) -> dict[str, Any]:
    """The snapshot of a single (unbatched) state as plain data, defaults left out."""
    g = world.grid
    ctrl = np.asarray(s.control)
    if ctrl.size and (ctrl.min() < 0 or ctrl.max() > 2):
        raise ValueError("control holds a value other than UA, RU or contested")
    chars = np.frombuffer(CONTROL_CHARS.encode(), dtype="S1")[ctrl.astype(np.int64)]
    control = [row.tobytes().decode() for row in chars.reshape(g.height, g.width)]
    units = []
    hexes = s.hex.tolist()
    strength, cohesion, supply = s.strength.tolist(), s.cohesion.tolist(), s.supply.tolist()
    entrench, isolated, stock = s.entrench.tolist(), s.isolated.tolist(), s.stock.tolist()
    on_map, lost = s.on_map.tolist(), s.lost.tolist()
    full = world.u_full.tolist()
    for i, uid in enumerate(world.unit_ids):
        row: dict[str, Any] = {"id": uid, "hex": _hex(world, hexes[i])}
        status = ("on-lost" if lost[i] else "on") if on_map[i] else ("lost" if lost[i] else "off")
        if status != "on":
            row["status"] = status
        if strength[i] != full[i]:
            row["strength"] = strength[i]
        if cohesion[i] != 100.0:
            row["cohesion"] = cohesion[i]
        row["supply"] = supply[i]
        if entrench[i]:
            row["entrench"] = entrench[i]
        if isolated[i]:
            row["isolated"] = isolated[i]
        if stock[i]:
            row["stock"] = stock[i]
        units.append(row)
    out: dict[str, Any] = {"turn": int(s.turn)}
    w = int(s.weather)
    if w != -1:
        out["weather"] = WEATHERS[w]
    win = int(s.winner)
    if win != -1:
        out["winner"] = WINNERS[win]
    if int(s.end_reason) != -1:
        out["end_reason"] = int(s.end_reason)
    if s.sd_days.size:
        out["sd_days"] = s.sd_days.tolist()
    out["control"] = control
    out["units"] = units
    for side, key in enumerate(SIDES):
        out[key] = _encode_side(world, s, side)
    return out


def _encode_side(world: World, s: GameState, side: int) -> dict[str, Any]:
    ids = world.unit_ids
    seen = []
    sh, st, ss = s.seen_hex[side].tolist(), s.seen_turn[side].tolist(), s.seen_strength[side].tolist()
    for u in range(len(ids)):
        if sh[u] == -1 and st[u] == -1 and ss[u] == 0.0:
            continue
        row: dict[str, Any] = {"unit": ids[u]}
        if sh[u] != -1:
            row["hex"] = _hex(world, sh[u])
        if st[u] != -1:
            row["turn"] = st[u]
        if ss[u] != 0.0:
            row["strength"] = ss[u]
        seen.append(row)
    fc = s.fire_control[side]
    nz = np.flatnonzero(fc)
    return {
        "vp": float(s.vp[side]),
        "casualties": {c: float(s.casualties[side, j]) for j, c in enumerate(CAUSES)},
        "detected": [ids[u] for u in np.flatnonzero(s.detected[side])],
        "seen": seen,
        "fire_control": {world.grid.hex_id(int(h)): float(fc[h]) for h in nz},
    }


# ----- snapshot -> state -----------------------------------------------------------------

def decode_state(world: World, snap: Snapshot) -> GameState:
    """The GameState a snapshot describes; raises SnapshotError naming every misfit."""
    g = world.grid
    U = world.n_units
    bad: list[tuple[str, str]] = []

    def hex_index(place: str, h: str) -> int:
        try:
            return g.index(h)
        except HexIdError as e:
            bad.append((place, str(e)))
            return 0

    if len(snap.control) != g.height:
        bad.append(("control", f"has {len(snap.control)} rows, the map has {g.height}"))
    for i, row in enumerate(snap.control):
        if len(row) != g.width:
            bad.append((f"control[{i}]", f"row {i + 1} has {len(row)} characters, the map is {g.width} wide"))
        odd = sorted({c for c in row if c not in CONTROL_CHARS})
        if odd:
            bad.append((f"control[{i}]", f"unknown characters {''.join(odd)!r} (allowed: u, r, x)"))
    if len(snap.units) != U:
        bad.append(("units", f"has {len(snap.units)} unit slots, the scenario has {U} (units and reinforcements)"))
    sd_n = len(world.scenario.victory.sudden_death)
    if len(snap.sd_days) != sd_n:
        bad.append(("sd_days", f"has {len(snap.sd_days)} counters, the scenario has {sd_n} sudden-death conditions"))

    # the unit rows as columns (Python lists, one array each); any misfit is named unit by unit.
    # The slots missing from a short snapshot are zeros: the problem said stops the decoding.
    rows = snap.units[:U]
    ids = world.unit_ids
    try:
        fits = [r.id for r in rows] == list(ids[:len(rows)])
        hex_list = [g.index(r.hex) for r in rows]
    except HexIdError:
        fits = False
    if not fits:
        hex_list = []
        for i, row in enumerate(rows):
            if row.id != ids[i]:
                bad.append((f"units[{i}].id", f"expected {ids[i]!r} here (unit slots are in scenario order), "
                                              f"found {row.id!r}"))
            hex_list.append(hex_index(f"units[{i}].hex", row.hex))
    status = [r.status for r in rows]
    full = world.u_full.tolist()
    pad = [0] * (U - len(rows))
    hexes = np.array(hex_list + pad, np.int64)
    on_map = np.array([x in ("on", "on-lost") for x in status] + pad, bool)
    lost = np.array([x in ("lost", "on-lost") for x in status] + pad, bool)
    fl = np.array([[full[i] if r.strength is None else r.strength for i, r in enumerate(rows)] + pad,
                   [r.cohesion for r in rows] + pad, [r.supply for r in rows] + pad], dtype=np.float64)
    ints = np.array([[r.entrench for r in rows] + pad, [r.isolated for r in rows] + pad,
                     [r.stock for r in rows] + pad], dtype=np.int64)

    detected = np.zeros((2, U), bool)
    seen_hex = np.full((2, U), -1, np.int64)
    seen_turn = np.full((2, U), -1, np.int64)
    seen_strength = np.zeros((2, U))
    fire = np.zeros((2, g.n))
    vp = np.zeros(2)
    cas = np.zeros((2, len(CAUSES)))
    for side, key in enumerate(SIDES):
        k = getattr(snap, key)
        vp[side] = k.vp
        for c, v in k.casualties.items():
            if c not in CAUSES:
                bad.append((f"{key}.casualties.{c}", f"unknown cause (known: {', '.join(CAUSES)})"))
            else:
                cas[side, CAUSES.index(c)] = v
        for j, uid in enumerate(k.detected):
            u = world.unit_index.get(uid)
            if u is None:
                bad.append((f"{key}.detected[{j}]", f"unknown unit {uid!r}"))
            else:
                detected[side, u] = True
        seen_units: set[str] = set()
        for j, r in enumerate(k.seen):
            u = world.unit_index.get(r.unit)
            if u is None:
                bad.append((f"{key}.seen[{j}].unit", f"unknown unit {r.unit!r}"))
                continue
            if r.unit in seen_units:
                bad.append((f"{key}.seen[{j}].unit", f"{r.unit} is listed twice"))
            seen_units.add(r.unit)
            if r.hex is not None:
                seen_hex[side, u] = hex_index(f"{key}.seen[{j}].hex", r.hex)
            seen_turn[side, u] = r.turn
            seen_strength[side, u] = r.strength
        for h, value in k.fire_control.items():
            fire[side, hex_index(f"{key}.fire_control.{h}", h)] = value
    if bad:
        raise SnapshotError(bad)
    ctrl = _CTRL_LUT[np.frombuffer("".join(snap.control).encode("ascii"), dtype=np.uint8)].astype(np.int8)
    return GameState(
        turn=snap.turn,
        weather=np.array(-1 if snap.weather == "none" else WEATHERS.index(snap.weather), dtype=np.int64),
        on_map=on_map, lost=lost, hex=hexes,
        strength=fl[0].copy(), cohesion=fl[1].copy(), supply=fl[2].copy(),
        entrench=ints[0].copy(), isolated=ints[1].copy(), stock=ints[2].copy(),
        detected=detected, seen_hex=seen_hex, seen_turn=seen_turn, seen_strength=seen_strength,
        control=ctrl, fire_control=fire, vp=vp,
        sd_days=np.array(snap.sd_days, dtype=np.int64).reshape(sd_n),
        casualties=cas,
        winner=np.array(-1 if snap.winner == "playing" else WINNERS.index(snap.winner), dtype=np.int64),
        end_reason=np.array(snap.end_reason, dtype=np.int64),
    )


# ----- events and orders -----------------------------------------------------------------

def plain(v: Any) -> Any:
    """Event breakdowns as TOML-safe data, as ``events.clean`` makes them (floats rounded to
    4 places, numpy values as Python ones), and further: dict entries that are None are
    left out, a None inside a list becomes "none", anything unusual becomes its text."""
    t = type(v)
    if t is str or t is int or t is bool:
        return v
    if t is float:
        return round(v, 4)
    if t is dict:
        return {str(k): plain(x) for k, x in v.items() if x is not None}
    if t is list or t is tuple:
        return ["none" if x is None else plain(x) for x in v]
    if isinstance(v, np.ndarray):
        return plain(v.tolist())
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return round(float(v), 4)
    if isinstance(v, str):
        return str(v)
    if isinstance(v, dict):
        return plain(dict(v))
    if isinstance(v, list | tuple):
        return plain(list(v))
    return str(v)


def encode_event(e: Event, with_phase: bool = True) -> dict[str, Any]:
    d: dict[str, Any] = {"phase": e.phase} if with_phase else {}
    d["kind"] = e.kind
    d["text"] = e.template      # the units named by placeholders: the text is derived from it
    if tuple(e.visible_to) != tuple(SIDES):
        d["to"] = list(e.visible_to)
    if e.hex is not None:
        d["hex"] = e.hex
    if e.units:
        d["units"] = list(e.units)
    if e.why:
        d["why"] = plain(e.why)
    return d


def group_events(events: list[Event]) -> dict[str, list[dict[str, Any]]]:
    """Events as a save file groups them by phase (see ``savefmt.group_runs``)."""
    return group_runs([encode_event(e) for e in events])


def decode_event(turn: int, e: SavedEvent) -> Event:
    """A saved event (phase filled in, why a dict) back to an engine Event."""
    return Event(turn=turn, phase=e.phase, kind=e.kind, text="", template=e.text, visible_to=tuple(e.to),
                 hex=e.hex, units=tuple(e.units), why=dict(e.why) if isinstance(e.why, dict) else {})


def encode_orders(orders: list[Order]) -> list[dict[str, Any]]:
    return [o.model_dump(exclude_defaults=True) for o in orders]

