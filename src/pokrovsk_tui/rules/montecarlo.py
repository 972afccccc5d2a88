"""Monte Carlo: a whole turn resolved K times in one vectorised call, and odds previews for a
planned assault or strike computed with the very functions the resolution uses.

Previews read only a side's view: defenders are the contacts the side can see (strength at
the middle of their band, an assumed entrenchment), never the true state.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from .dice import Dice, DiceWindow, binomial_icdf, die_from_uniform, poisson_icdf
from .engine import check_orders, resolve_batch
from .orders import CompiledOrders, Order, compile_orders
from .params import RESULTS, TERRAINS, WEATHERS
from .phase_combat import attack_power, crt_column, crt_table, defence_power, loss_means
from .phase_fires import mission_probability
from .state import ARRAY_FIELDS, GameState
from .view import SideView
from .world import CAUSES, World

CHUNK = 100   # replications resolved together: bounds memory, keeps arrays cache-friendly


def replicate(world: World, state: GameState, orders_by_side: dict[int, list[Order]], dice: Dice, k: int,
              chunk: int = CHUNK, waive: Iterable[str] = ()) -> GameState:
    """The state's next turn resolved k times; replication 0 is the real resolution.

    Replications are resolved ``chunk`` at a time, each chunk drawing its own rows of the
    batch's random streams, so the result is the same whatever the chunk size. ``waive``: as
    for ``engine.resolve_turn``."""
    accepted, _ = check_orders(world, state, orders_by_side, waive)
    co = compile_orders(world, accepted)
    parts = []
    for start in range(0, k, chunk):
        size = min(chunk, k - start)
        d = DiceWindow(dice.seed, start) if start else dice
        parts.append(resolve_batch(world, state.batched(size), co, d))
    if len(parts) == 1:
        return parts[0]
    return dataclasses.replace(parts[0], **{f: np.concatenate([getattr(p, f) for p in parts])
                                            for f in ARRAY_FIELDS})


def batch_summary(world: World, before: GameState, batch: GameState) -> dict:
    """Distribution of the main outcomes over a replicated turn."""
    lost = batch.casualties - before.casualties[None]
    out = {"replications": int(batch.hex.shape[0])}
    for s, key in enumerate(("ua", "ru")):
        tot = lost[:, s].sum(axis=1)
        out[key] = {"losses_mean": float(tot.mean()), "losses_p10": float(np.percentile(tot, 10)),
                    "losses_p90": float(np.percentile(tot, 90)),
                    "by_cause": {c: float(lost[:, s, j].mean()) for j, c in enumerate(CAUSES)},
                    "hexes_mean": float((batch.control == s).sum(axis=1).mean())}
    return out


@dataclass(frozen=True)
class AssaultOdds:
    column_probs: dict[str, float]
    result_probs: dict[str, float]          # R, E, D, X
    attacker_loss_mean: float
    defender_loss_mean: float
    attacker_loss_p90: float
    defender_loss_p90: float
    attack: float
    defence: float
    modifier: int
    defenders_seen: int
    assumptions: str


def _pseudo_work(world: World, strength, cohesion, supply, entrench, weather: int):
    return SimpleNamespace(world=world, p=world.params, strength=strength[None, :], cohesion=cohesion[None, :],
                           supply=supply[None, :], entrench=entrench[None, :], weather=np.array([weather]))


def assault_odds(view: SideView, attackers: list[str], target: str, kind: str = "assault",
                 replications: int = 10_000, seed: int = 0, assumed_entrenchment: int = 1) -> AssaultOdds:
    """Odds of an assault (or infiltration, raid) from what the side knows."""
    world = view.world
    g = world.grid
    p = world.params
    h = g.index(target)
    U = world.n_units
    att = np.array([world.unit_index[a] for a in attackers], np.int64)
    weather = view.weather if view.weather >= 0 else world.weather_initial
    # the side's picture: own units exact; seen enemies on the target hex at mid-band strength
    strength = np.where(view.own, view.strength, 0.0)
    cohesion = np.where(view.own, view.cohesion, 100.0)
    supply = np.where(view.own, view.supply, 70.0)
    entrench = np.where(view.own, view.entrench, 0)
    hexes = np.where(view.own, view.hex, -1)
    seen = [c for c in view.contacts if c.hex == h]
    for c in seen:
        u = world.unit_index[c.unit]
        strength[u] = (c.band[0] + c.band[1]) / 2.0
        entrench[u] = assumed_entrenchment
        hexes[u] = h
    pw = _pseudo_work(world, strength, cohesion, supply, entrench, weather)
    ap = attack_power(pw)[0]
    dp = defence_power(pw, hexes[None, :])[0]
    dmask = np.zeros(U, bool)
    dmask[[world.unit_index[c.unit] for c in seen]] = True
    A = float(ap[att].sum())
    D = float(dp[dmask].sum())
    s_att = float(strength[att].sum())
    s_def = float(strength[dmask].sum())
    wr = p.weather[WEATHERS[weather]]
    mod = wr.infiltration_mod if kind == "infiltrate" else wr.attack_mod
    K = replications
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=seed, spawn_key=(h, 7))))
    u = rng.random((3, K, 1))
    if D <= 0:
        res = np.full((K, 1), RESULTS.index("D"))
        la = ld = np.zeros((K, 1))
        col = np.full((K, 1), len(p.crt_ratios) - 1)
    else:
        col = np.broadcast_to(crt_column(p, np.array([[A / D]])), (K, 1))
        idx = np.clip(die_from_uniform(u[0]) + mod, 0, 7)
        res = crt_table(p)[col, idx]
        m_a, m_d = loss_means(p, np.array([weather]), np.array([[s_att]]), np.array([[s_def]]),
                              np.array([[A]]), np.array([[D]]), np.array([kind == "infiltrate"]))
        la = poisson_icdf(u[1], np.broadcast_to(m_a, (K, 1))).astype(float)
        ld = poisson_icdf(u[2], np.broadcast_to(m_d, (K, 1))).astype(float)
    cols = list(p.crt)
    return AssaultOdds(
        column_probs={cols[c]: float(np.mean(col == c)) for c in np.unique(col)},
        result_probs={r: float(np.mean(res == i)) for i, r in enumerate(RESULTS)},
        attacker_loss_mean=float(la.mean()), defender_loss_mean=float(ld.mean()),
        attacker_loss_p90=float(np.percentile(la, 90)), defender_loss_p90=float(np.percentile(ld, 90)),
        attack=A, defence=D, modifier=int(mod), defenders_seen=len(seen),
        assumptions=(f"defenders: {len(seen)} seen unit(s) at mid-band strength, entrenchment {assumed_entrenchment}; "
                     f"weather {WEATHERS[weather]}; unseen units are not counted"))


@dataclass(frozen=True)
class StrikeOdds:
    p_hit: float
    hits_probs: list[float]       # P(hits = 0..count)
    damage_mean: float
    detected: bool
    jamming: float


def strike_odds(view: SideView, unit: str | None, kind: str, target: str, count: int,
                replications: int = 10_000, seed: int = 0, enemy_jamming: float = 0.0) -> StrikeOdds:
    """Odds of a drone strike or hunt, an artillery fire or a glide-bomb drop from the view.

    ``enemy_jamming`` is the jamming the player expects over the target (EW is not visible
    as a number; the preview shows the bare odds by default)."""
    world = view.world
    g = world.grid
    p = world.params
    h = g.index(target)
    kinds = {"strike": 1, "hunt": 3, "fire": 5, "bomb": 6}
    u_idx = world.unit_index[unit] if unit else -1
    co = CompiledOrders(ground=np.zeros(world.n_units, np.int64), target=np.full(world.n_units, -1),
                        path=np.full((world.n_units, 1), -1), m_side=np.array([view.side]), m_unit=np.array([u_idx]),
                        m_kind=np.array([kinds[kind]]), m_hex=np.array([h]), m_count=np.array([count]),
                        r_unit=np.zeros(0, np.int64), r_target=np.zeros(0, np.int64), r_count=np.zeros(0, np.int64))
    weather = view.weather if view.weather >= 0 else world.weather_initial
    v = np.array([p.weather[WEATHERS[weather]].visibility])
    detected = any(c.current and c.hex == h for c in view.contacts)
    spotted = np.zeros((1, 2, g.n))
    spotted[0, 1 - view.side, h] = 1.0 if detected else 0.0
    jam = np.zeros((1, 2, g.n))
    jam[0, 1 - view.side, h] = enemy_jamming
    pw = SimpleNamespace(world=world, p=p, co=co, v=v)
    prob = mission_probability(pw, jam, spotted)[0][0, 0]
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=seed, spawn_key=(h, 11))))
    hits = binomial_icdf(rng.random(replications), count, prob)
    per_hit = {"bomb": p.glide_damage * (p.glide_urban_mult if world.terrain[h] == TERRAINS.index("urban") else 1.0),
               "fire": p.artillery_damage}.get(kind)
    if per_hit is None:
        per_hit = p.fpv_damage if world.t_fpv[world.u_type[u_idx]] else p.bomber_damage
    return StrikeOdds(p_hit=float(prob), hits_probs=[float(np.mean(hits == i)) for i in range(count + 1)],
                      damage_mean=float(hits.mean() * per_hit), detected=detected, jamming=enemy_jamming)

