"""Determinisation: complete game states drawn from what one side knows.

The side's own units are copied exactly from its view. Enemy units are *sampled*:
- seen today: on the hex they were seen on, strength drawn inside their band;
- seen lately (a last-seen marker): on that hex or a neighbour the enemy may hold;
- not seen lately: on ground the enemy holds (or contests), drawn from the situation's prior
  (combat units near the front, support units a few hexes back), at a guessed strength.
Enemy supply, cohesion, entrenchment and drone stocks are guesses too. Nothing comes from the
true state: two true states that give the same view give the same samples.

A *draw* fixes the enemy positions; its K replications share them (so the engine's per-position
work is done once) and differ in the enemy strengths and in the dice.
"""

from __future__ import annotations

import bisect

import numpy as np

from pokrovsk_tui.rules.estimates import assumed_entrenchments
from pokrovsk_tui.rules.state import GameState
from pokrovsk_tui.rules.world import CAUSES

from .situation import FRONT_SHARE, R_ASLT, R_INF, Situation


def sample_positions(sit: Situation, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One guess of where every enemy unit is: (slots, hexes, strength centre)."""
    w = sit.world
    g = sit.grid
    nb = sit.st.neighbours
    slots: list[int] = []
    hexes: list[int] = []
    strength: list[float] = []
    for u, h, s, age in zip(sit.c_unit.tolist(), sit.c_hex.tolist(), sit.c_str.tolist(), sit.c_age.tolist(), strict=True):
        if age > 0 and rng.random() < 0.4:
            opts = nb[h][(nb[h] >= 0)]
            opts = opts[w.passable[opts] & (sit.control[opts] != sit.side)]
            if opts.size:
                h = int(opts[rng.integers(opts.size)])
        slots.append(u)
        hexes.append(h)
        strength.append(float(s) * (1.0 if age == 0 else 0.9))
    hid = sit.hidden
    taken = [0] * g.n
    for h in hexes:
        taken[h] += 1
    # each prior's cumulative weights, once: a draw is then a search, not a pass over the map
    # (the draws of rng.choice(n, p=prior): the same uniform numbers, the same hexes; a
    # search of the list, bisect_right, finds what cdf.searchsorted(x, side="right") finds)
    cdfs = {key: _cdf(hid[key]) for key in ("near", "deep")}
    cdf_lists = {key: None if cdf is None else cdf.tolist() for key, cdf in cdfs.items()}
    roles = w.u_role.tolist()
    full = w.u_full.tolist()
    for u in hid["slots"].tolist():
        r = roles[u]
        front = r in (R_INF, R_ASLT) and rng.random() < FRONT_SHARE
        cdf = cdf_lists["near" if front else "deep"]
        if cdf is None:
            continue
        h = bisect.bisect_right(cdf, rng.random())
        if taken[h] >= 2:     # crowded: one more try
            h = bisect.bisect_right(cdf, rng.random())
        taken[h] += 1
        slots.append(u)
        hexes.append(h)
        strength.append(float(full[u]) * sit.attrition)
    return np.asarray(slots, np.int64), np.asarray(hexes, np.int64), np.asarray(strength)


def _cdf(prior: np.ndarray) -> np.ndarray | None:
    """Cumulative weights of a prior over hexes, as ``Generator.choice`` builds them for ``p``
    (None if the prior is empty): ``cdf.searchsorted(rng.random(), side="right")`` draws the
    hex ``rng.choice(n, p=prior)`` would."""
    if prior.sum() <= 0:
        return None
    cdf = prior.cumsum()
    cdf /= cdf[-1]
    return cdf


def sample_batch(sit: Situation, rng: np.random.Generator, k: int,
                 positions: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> GameState:
    """A batch of k complete states sharing one draw of enemy positions."""
    v = sit.view
    w = sit.world
    U = w.n_units
    if positions is None:
        positions = sample_positions(sit, rng)
    slots, hexes, s_mid = positions
    own = v.own
    on_map = own.copy()
    on_map[slots] = True
    hx = np.where(own, v.hex, -1)
    hx[slots] = hexes
    # enemy strength: seen bands are 20 wide; unseen units +-20%
    full = w.u_full
    strength = np.broadcast_to(np.where(own, v.strength, 0.0), (k, U)).copy()
    if slots.size:
        jitter = rng.uniform(-8.0, 8.0, (k, slots.size))
        strength[:, slots] = np.clip(s_mid[None, :] + jitter, 0.15 * full[slots], full[slots])
    ent = np.where(own, v.entrench, 0)
    # the enemy's combat units dug in as the planner assumes on their hexes, the others at 1
    ent[slots] = np.where(np.isin(w.u_role[slots], (R_INF, R_ASLT)), assumed_entrenchments(w, sit.enemy)[hexes], 1)
    stock = np.where(own, v.stock, 0)
    stock[slots] = w.t_max_stock[w.u_type[slots]] // 2
    n = sit.n
    fc = np.zeros((2, n))
    fc[sit.side] = v.fire_control
    state = GameState(
        turn=v.turn,
        weather=np.array(v.weather, np.int64),
        on_map=on_map,
        lost=np.zeros(U, bool),
        hex=hx.astype(np.int64),
        strength=strength[0],
        cohesion=np.where(own, v.cohesion, 75.0),
        supply=np.where(own, v.supply, 60.0),
        entrench=ent.astype(np.int64),
        isolated=np.where(own, v.isolated, 0).astype(np.int64),
        stock=stock.astype(np.int64),
        detected=np.zeros((2, U), bool),
        seen_hex=np.full((2, U), -1, np.int64),
        seen_turn=np.full((2, U), -1, np.int64),
        seen_strength=np.zeros((2, U)),
        control=v.control.copy(),
        fire_control=fc,
        vp=v.vp.astype(float).copy(),
        sd_days=np.zeros(len(w.scenario.victory.sudden_death), np.int64),
        casualties=np.zeros((2, len(CAUSES))),
        winner=np.array(-1, np.int64),
        end_reason=np.array(-1, np.int64),
    )
    b = state.batched(k)
    return b.copy_with(strength=strength)


def enemy_eye(sit: Situation, state: GameState, rng: np.random.Generator) -> GameState:
    """The sampled state with the enemy's detections filled in (for modelling his orders):
    he sees our units next to his and, with some luck, a few more."""
    w = sit.world
    g = sit.grid
    e = sit.enemy
    mine = (w.u_side == sit.side) & state.on_map
    theirs = (w.u_side == e) & state.on_map
    det = np.zeros_like(state.detected)
    if theirs.any() and mine.any():
        # distance to his nearest unit, as far as it matters (4 hexes; 5 = farther)
        occupied = np.zeros(g.n + 1, bool)
        occupied[state.hex[theirs]] = True
        near, dist = g.around(state.hex[mine], 4)
        d = np.where(occupied[near], dist, 5).min(axis=1)
        p = np.where(d <= 1, 0.8, np.where(d <= 4, 0.3, 0.05))
        det[e, np.flatnonzero(mine)] = rng.random(p.size) < p
    seen_hex = np.where(det, state.hex[None, :], -1)
    seen_turn = np.where(det, state.turn - 1, -1)
    seen_str = np.where(det, state.strength[None, :], 0.0)
    return state.copy_with(detected=det, seen_hex=seen_hex, seen_turn=seen_turn, seen_strength=seen_str)
