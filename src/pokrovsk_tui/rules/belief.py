"""What one side believes the map holds today, as a batch the engine's phases can run on.

The previews (rules/odds.py) and the computer players share these assumptions, so the odds a
player is shown and the odds the AI plans with are the same numbers:

- ``assumed_entrenchment``: how dug in the side expects enemy defenders to be on a hex;
- ``unseen_estimate``: where the enemy units it has not seen lately probably stand, and how
  strong one such unit is;
- ``believed_batch``: the side's picture as K replications of a game state (own units exact,
  enemies seen now at mid-band strength, an estimated unseen defender on a target hex in the
  share of replications the estimate gives), and ``run_phases`` to resolve today's phases on it
  with the side's own orders (the enemy's are unknown: it is assumed to hold), in rules/odds.py.

The closed-form helpers of the phases (CRT column and result chances, loss means, detection
and hit chances) are re-exported here: this module is the face the computer player plans
through.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .estimates import assumed_entrenchment, expected_entrenchment, own_effort
from .phase_combat import (
    crt_column,
    crt_probs,
    die_modifier,
    going,
    going_chance,
    loss_means,
    loss_means_one,
    position_factor,
    unit_attack_power,
)
from .phase_fires import hit_probability
from .phase_sense import combine_jamming, detect_probability, recon_effort
from .state import ARRAY_FIELDS, GameState, initial_state
from .view import SideView
from .world import World

COVER = np.array([1.0, 1.5, 1.4, 1.6, 1.4, 0.0])      # where hidden troops tend to sit, by terrain
# share of the enemy's unseen combat units assumed in the front zone (the rest rest, rotate
# or are gone); calibrated on games: a fuller prior makes the commander too timid
FRONT_SHARE = 0.35
INF, ASLT = 0, 1     # role numbers of infantry and assault (world.ROLES order)

__all__ = ["ASLT", "COVER", "FRONT_SHARE", "INF", "UnseenEstimate", "assumed_entrenchment", "believed_batch", "expected_entrenchment", "combine_jamming", "own_effort", "recon_effort",
           "believed_state", "crt_column_at", "crt_columns", "crt_probs", "detect_probability", "die_modifier", "forecast_weather", "going_chance", "going_chances",
           "hit_probability", "loss_means", "loss_means_one", "nearest_distance", "objective_hexes", "touches", "position_factor", "unit_attack_power", "unseen_attrition",
           "unseen_estimate"]


def going_chances(p, world, weather: int) -> np.ndarray:
    """(n,) ``going_chance`` of every hex for one day's weather (the same values, at once)."""
    return going(p, world, np.array([weather]), np.arange(world.grid.n))[0]


def crt_column_at(p, ratio: float) -> int:
    """The CRT column of one attack-to-defence ratio."""
    return int(crt_column(p, np.float64(ratio)))


def crt_columns(p, ratios: np.ndarray) -> list[int]:
    """``crt_column_at`` of many ratios at once."""
    return [int(c) for c in crt_column(p, np.asarray(ratios, np.float64)).tolist()]


def unseen_attrition(turn: int) -> float:
    """Share of its strength an enemy unit not seen lately is assumed to keep."""
    return float(max(0.55, 0.92 - 0.012 * turn))


def objective_hexes(world: World) -> np.ndarray:
    """(n,) bool: any hold objective worth VP, sudden-death hex or road objective hex."""
    return world.derived(_objective_hexes)


def _objective_hexes(world: World) -> np.ndarray:
    obj = np.zeros(world.grid.n, bool)
    for ob, hexes in zip(world.scenario.objectives, world.objective_hexes, strict=True):
        if ob.kind != "hold" or ob.vp > 0:
            obj[hexes] = True
    for hexes in world.sudden_death_hexes:
        obj[hexes] = True
    return obj


_NEAREST_KEPT = 8          # hex sets whose distance fields are kept per world


def nearest_distance(world: World, hexes: np.ndarray) -> np.ndarray:
    """``world.grid.nearest_distance(hexes)``, the last few answers kept per world (read-only):
    a side's front edge is the other side's border, so the estimates of both sides, and of a
    side's modelled enemy, ask for the same few fields on a day."""
    memo = world.derived(_nearest_memo)
    key = np.unique(np.asarray(hexes, np.int64)).tobytes()
    got = memo.get(key)
    if got is None:
        got = world.grid.nearest_distance(hexes)
        got.flags.writeable = False
        if len(memo) >= _NEAREST_KEPT:
            memo.pop(next(iter(memo)))
        memo[key] = got
    return got


def _nearest_memo(world: World) -> dict[bytes, np.ndarray]:
    return {}


def touches(world: World, mask: np.ndarray) -> np.ndarray:
    """(n,) bool: the hexes with a neighbour in ``mask`` ((n,) bool)."""
    ring = world.derived(_neighbour_rows)
    return np.append(mask, False)[ring].any(axis=0)


def _neighbour_rows(world: World) -> np.ndarray:
    """(6, n) each hex's neighbours, one direction a row, n for none (off the map)."""
    nb = world.grid.neighbours
    rows = np.ascontiguousarray(np.where(nb >= 0, nb, world.grid.n).T)
    rows.flags.writeable = False
    return rows


@dataclass(frozen=True, eq=False)
class UnseenEstimate:
    slots: np.ndarray          # enemy unit slots arrived and not seen lately
    near: np.ndarray           # (n,) prior weight of where they stand near the front (sums to 1)
    deep: np.ndarray           # (n,) prior weight of where they stand behind it (sums to 1)
    attrition: float
    p_defender: np.ndarray     # (n,) chance an unseen enemy combat unit stands on each hex
    strength: float            # strength of one typical unseen combat unit
    defence_type: float        # its unit type's mean defence factor
    slot: int                  # a representative slot to stand for it in a replication, -1 if none
    d_own: np.ndarray          # (n,) hexes from each hex to the side's nearest ground (0 on it)


def unseen_estimate(view: SideView) -> UnseenEstimate:
    """The side's estimate of the enemy units it has not seen lately (contacts and last-seen
    markers count as seen), the same estimate the computer player plans with."""
    w = view.world
    side, enemy, turn = view.side, 1 - view.side, view.turn
    g = w.grid
    mine = view.control == side
    not_mine = (view.control != side) & w.passable
    edge = np.flatnonzero(mine & touches(w, not_mine))
    d_own = np.where(mine, 0, nearest_distance(w, edge)) if edge.size else np.full(g.n, 99, np.int64)
    seen = np.zeros(w.n_units, bool)
    seen[[w.unit_index[c.unit] for c in view.contacts]] = True
    slots = np.flatnonzero((w.u_side == enemy) & (w.u_arrival <= turn - 1) & ~seen)
    base = np.where(not_mine, COVER[w.terrain], 0.0)
    near = base * np.exp(-np.maximum(d_own - 1, 0) / 0.8) * np.where(objective_hexes(w), 3.0, 1.0)
    own_str = np.bincount(view.hex[view.own], weights=view.strength[view.own], minlength=g.n)
    near[own_str > 0] *= 0.3          # a hex we stand on hides fewer (contested only)
    deep = base * np.exp(-np.abs(d_own - 5) / 3.0)
    near = near / max(near.sum(), 1e-9)
    deep = deep / max(deep.sum(), 1e-9)
    att = unseen_attrition(turn)
    r = w.u_role[slots]
    cs = slots[(r == INF) | (r == ASLT)]
    cnt = float(cs.size) * att * FRONT_SHARE
    p_def = 1.0 - np.exp(-near * cnt)
    s = float(w.u_full[cs].mean()) * att if cs.size else 0.0
    dtype = float(w.t_defence[w.u_type[cs]].mean()) if cs.size else 0.0
    return UnseenEstimate(slots=slots, near=near, deep=deep, attrition=att, p_defender=p_def, strength=s,
                          defence_type=dtype, slot=int(cs[0]) if cs.size else -1, d_own=d_own)


def adequate_supply(p) -> float:
    """The supply assumed of an enemy unit whose supply is unknown: enough to fight a day
    without falling below low_supply (no low-supply penalty, no hunger)."""
    return p.low_supply + p.consumption + p.fight_consumption


def believed_state(view: SideView) -> tuple[GameState, list[str]]:
    """The side's picture as one game state, and what it had to assume. Enemy units seen now
    stand where seen, at the middle of their strength band (at most full strength), dug in as
    seen (``expected_entrenchment``), with adequate supply and the cohesion and drone stock they
    started the scenario with; every other enemy unit is off the map."""
    w = view.world
    side = view.side
    start = w.derived(_start_state)
    own = view.own.copy()
    on_map = own.copy()
    hexes = np.where(own, view.hex, -1)
    strength = np.where(own, view.strength, 0.0)
    cohesion = np.where(own, view.cohesion, start.cohesion)
    # enemy supply unknown: assumed adequate (no low-supply penalty), as the computer player assumes
    supply = np.where(own, view.supply, np.maximum(start.supply, adequate_supply(w.params)))
    entrench = np.where(own, view.entrench, 0)
    stock = np.where(own, view.stock, start.stock)
    notes = []
    now = [c for c in view.contacts if c.current]
    for c in now:
        u = w.unit_index[c.unit]
        on_map[u] = True
        hexes[u] = c.hex
        strength[u] = min((c.band[0] + c.band[1]) / 2.0, float(w.u_full[u]))
        entrench[u] = expected_entrenchment(w, 1 - side, c)
    seen_hex = np.full((2, w.n_units), -1, np.int64)
    seen_turn = np.full((2, w.n_units), -1, np.int64)
    for c in view.contacts:                    # what the side has seen (a blind attack is not)
        u = w.unit_index[c.unit]
        seen_hex[side, u], seen_turn[side, u] = c.hex, c.seen_turn
    markers = len(view.contacts) - len(now)
    if now:
        notes.append(f"{len(now)} enemy unit(s) seen now, counted at mid-band strength, dug in as assumed "
                     "(3 in towns, 2 in villages and industry for Ukrainians, 1 otherwise), "
                     "supply adequate, cohesion and drones as at the start")
    if markers:
        notes.append(f"{markers} last-seen marker(s) not counted where they were")
    fc = np.zeros((2, w.grid.n))
    fc[side] = view.fire_control
    notes.append("enemy orders unknown (assumed to hold); enemy interdiction fire control unknown")
    state = GameState(
        turn=view.turn, weather=np.array(view.weather, np.int64), on_map=on_map, lost=np.zeros(w.n_units, bool),
        hex=hexes.astype(np.int64), strength=strength.astype(float), cohesion=cohesion.astype(float),
        supply=supply.astype(float), entrench=entrench.astype(np.int64),
        isolated=np.where(own, view.isolated, 0).astype(np.int64), stock=stock.astype(np.int64),
        detected=np.zeros((2, w.n_units), bool), seen_hex=seen_hex,
        seen_turn=seen_turn, seen_strength=np.zeros((2, w.n_units)),
        control=view.control.copy(), fire_control=fc, vp=view.vp.copy(), sd_days=start.sd_days.copy(),
        casualties=np.zeros_like(start.casualties), winner=np.array(-1, np.int64),
        end_reason=np.array(-1, np.int64))
    return state, notes


def _start_state(world: World) -> GameState:
    """``initial_state(world)``, made once per world and read-only (its arrays are not to be
    handed out: ``believed_state`` copies what it keeps)."""
    start = initial_state(world)
    for f in ARRAY_FIELDS:
        getattr(start, f).flags.writeable = False
    return start


def believed_batch(view: SideView, k: int, rng: np.random.Generator, target: int | None = None
                   ) -> tuple[GameState, list[str]]:
    """K replications of the believed state. When nothing is seen on ``target`` now, an unseen
    enemy defender of the estimated strength stands there in the share of replications the
    estimate gives (the same estimate the computer player uses)."""
    state, notes = believed_state(view)
    batch = state.batched(k)
    if target is None or any(c.current and c.hex == target for c in view.contacts):
        return batch, notes
    if view.control[target] == view.side:
        return batch, notes
    est = unseen_estimate(view)
    p = float(est.p_defender[target])
    if est.slot < 0 or p <= 0:
        notes.append("no unseen enemy defender expected on the target")
        return batch, notes
    w = view.world
    here = rng.random(k) < p
    u = est.slot
    batch.on_map[here, u] = True
    batch.hex[here, u] = target
    batch.strength[here, u] = est.strength
    batch.entrench[here, u] = assumed_entrenchment(w, 1 - view.side, target)
    notes.append(f"nothing seen on the target now: an unseen defender of strength {est.strength:.0f} "
                 f"estimated there with chance {p:.0%}")
    return batch, notes


def forecast_weather(world: World, turn: int, yesterday: int) -> int:
    """Today's weather for closed-form estimates: the scripted day, else the likeliest day
    after yesterday's weather by the scenario's Markov table."""
    t = turn - 1
    scripted = int(world.weather_script[t]) if 0 <= t < len(world.weather_script) else -1
    if scripted >= 0:
        return scripted
    y = yesterday if yesterday >= 0 else world.weather_initial
    return int(np.argmax(world.weather_markov[y]))
