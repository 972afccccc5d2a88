"""Order previews: one odds function per kind of action, each computed by the engine's own
phase functions over Monte Carlo replications of today as the ordering side sees it.

What a preview counts: today's weather (the forecast when the scenario scripts the day, else
the engine's own draw from yesterday's weather), the side's other orders for the same day
(recon flown today raises detection, its jammers, its strikes before an assault), the enemy
units it sees now (at mid-band strength, dug in as assumed), the enemy EW units it sees, and
its estimate of an unseen defender on a target where it sees nobody (rules/belief.py, shared
with the computer player). What it cannot know is listed in each result's ``unknowns``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from . import engine
from .belief import believed_batch, believed_state
from .dice import Dice, DiceWindow
from .engine import PHASES, check_orders
from .montecarlo import chunk_size
from .orders import (
    GROUND_KINDS,
    M_BOMB,
    M_FIRE,
    M_HUNT,
    M_INTERDICT,
    M_RECON,
    M_STRIKE,
    Order,
    compile_orders,
)
from .params import RESULTS, WEATHERS
from .phase_combat import combat, die_modifier, groups
from .phase_fires import URBAN, fires
from .phase_move import killzone_fraction
from .state import ARRAY_FIELDS, GameState
from .view import SideView
from .work import Work
from .world import CAUSES

REPLICATIONS = 2000
MISSION = {"strike": M_STRIKE, "hunt": M_HUNT, "fire": M_FIRE, "bomb": M_BOMB, "interdict": M_INTERDICT}
CAUSE = {"strike": "drone", "hunt": "drone", "fire": "artillery", "bomb": "glide_bomb"}


@dataclass(frozen=True)
class Preview:
    weather: str                 # today's weather as the side knows it, in words
    weather_known: bool          # scripted (forecast) rather than drawn
    recon_today: int             # recon sorties the side flies today on or next to the target
    unknowns: list[str]          # what the preview does not know
    replications: int


@dataclass(frozen=True)
class AssaultOdds(Preview):
    kind: str = "assault"
    result_probs: dict[str, float] = field(default_factory=dict)     # R, E, D, X
    column_probs: dict[str, float] = field(default_factory=dict)
    p_defended: float = 0.0              # share of replications with a defender on the hex
    p_advance: float = 0.0               # the attackers end the day on the hex (E, D, X and the going)
    attack: float = 0.0
    defence: float = 0.0                 # mean over defended replications
    modifier: int = 0                    # die modifier of the forecast (or yesterday's) weather
    attacker_loss_mean: float = 0.0
    defender_loss_mean: float = 0.0
    attacker_loss_p90: float = 0.0
    defender_loss_p90: float = 0.0
    defenders_seen: int = 0


@dataclass(frozen=True)
class MissionOdds(Preview):
    kind: str = "strike"
    count: int = 0
    p_hit: float = 0.0                   # chance each sortie / round / bomb hits
    p_detected: float = 0.0              # chance the side detects the target hex today
    hits_probs: list[float] = field(default_factory=list)   # P(hits = 0..count)
    damage_mean: float = 0.0             # hits x damage per hit
    loss_mean: float = 0.0               # strength the enemy on the hex loses to it
    jamming: float = 0.0                 # mean jamming on the sorties (radio drones)
    p_strip: float = 0.0                 # glide bombs: chance of the hits that strip a level


@dataclass(frozen=True)
class InterdictOdds(Preview):
    count: int = 0
    f_mean: float = 0.0                  # interdiction fire control on the hex after today
    f_total_mean: float = 0.0            # with today's patrol field
    threshold: float | None = None       # road objective threshold, if the hex is on one
    p_over: float = 0.0                  # chance the total reaches it
    supply_cost: float = 1.0             # enemy supply cost through the hex, x
    run_loss: float = 0.0                # chance an enemy robot run crossing the hex is lost
    move_loss: float = 0.0               # share of strength a typical enemy unit moving in loses


@dataclass(frozen=True)
class RunOdds(Preview):
    count: int = 0
    p_arrive: float = 0.0                # chance each run arrives
    arrived_probs: list[float] = field(default_factory=list)
    supply_mean: float = 0.0             # expected supply delivered by the runs
    payload: float = 0.0


def run_phases(view: SideView, orders: list[Order], batch: GameState, seed: int, through: str, extract):
    """Resolve today's phases up to ``through`` on the believed batch with the side's orders
    (refused ones dropped, the enemy holding), by the engine's own phase functions, as many
    replications at a time as Monte Carlo resolves together (``montecarlo.chunk_size``).
    ``extract(work, co, chunk)`` reads each chunk's engine working copy (its scratch layers hold
    each phase's draws and results) into (k, ...) arrays, which come back joined, with the
    compiled orders and today's drawn weather."""
    w = view.world
    accepted, _ = check_orders(w, batch.replica(0), {view.side: orders})
    co = compile_orders(w, accepted)
    # the previews' dice are their own: never the game's seed stream
    pseed = int(np.random.SeedSequence([int(seed), 0x0DD5]).generate_state(1)[0])
    K = batch.hex.shape[0]
    size = chunk_size(w)
    parts = []
    for start in range(0, K, size):
        chunk = dataclasses.replace(batch, **{f: getattr(batch, f)[start:start + size] for f in ARRAY_FIELDS})
        work = Work(w, chunk, co, DiceWindow(pseed, start) if start else Dice(pseed), None)
        engine.run_phases(work, PHASES, through)
        parts.append(extract(work, co, chunk) | {"weather": work.weather})
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}, co


def weather_note(view: SideView, drawn: np.ndarray) -> tuple[str, bool]:
    """Today's weather as the side knows it: the forecast when the scenario scripts the day,
    else the spread of the engine's draw from yesterday's weather. Second item: known exactly."""
    w = view.world
    t = view.turn - 1
    scripted = int(w.weather_script[t]) if 0 <= t < len(w.weather_script) else -1
    if scripted >= 0:
        return f"today's weather {WEATHERS[scripted]} (forecast)", True
    y = view.weather if view.weather >= 0 else w.weather_initial
    share = np.bincount(drawn, minlength=4) / max(drawn.size, 1)
    spread = ", ".join(f"{WEATHERS[i]} {share[i]:.0%}" for i in range(4) if share[i] > 0)
    return f"today's weather not forecast: after {WEATHERS[y]} yesterday, {spread}", False


def _orders(current: list[Order], new: Order) -> list[Order]:
    """The side's orders with ``new`` in place of the one it replaces."""
    def same(o: Order) -> bool:
        if new.kind in GROUND_KINDS:
            return o.unit == new.unit and o.kind in GROUND_KINDS
        return (o.kind, o.unit, o.target, o.target_unit) == (new.kind, new.unit, new.target, new.target_unit)
    return [o for o in current if not same(o)] + [new]


def _common(view: SideView, drawn: np.ndarray, co, target: int | None, k: int, notes: list[str]) -> dict:
    w = view.world
    wx, known = weather_note(view, drawn)
    recon = 0
    if target is not None:
        sel = (co.m_side == view.side) & (co.m_kind == M_RECON)
        near = w.grid.dist_pairs(co.m_hex[sel], target) <= 1
        recon = int(co.m_count[sel][near].sum())
    unknowns = list(notes)
    enemy = 1 - view.side
    seen_now = {w.unit_index[c.unit] for c in view.contacts if c.current}
    ew = [u for u in np.flatnonzero(w.role_is("ew") & (w.u_side == enemy)) if u not in seen_now]
    if ew:
        unknowns.append(f"enemy EW unknown: {len(ew)} enemy EW unit(s) not seen now are not counted")
    drones = [u for u in np.flatnonzero(w.role_is("drone") & (w.u_side == enemy)) if u not in seen_now]
    if drones:
        unknowns.append(f"{len(drones)} enemy drone unit(s) not seen now: their patrols are not counted")
    return {"weather": wx, "weather_known": known, "recon_today": recon, "unknowns": unknowns, "replications": k}


def view_state(view: SideView) -> GameState:
    """The believed state, for checking the side's orders (its own units are exact)."""
    return believed_state(view)[0]


def _rng(seed: int, h: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=int(seed), spawn_key=(h, 7))))


def assault_odds(view: SideView, orders: list[Order], attackers: list[str], target: str, kind: str = "assault",
                 replications: int = REPLICATIONS, seed: int = 0) -> AssaultOdds:
    """Odds of an assault, infiltration or raid on ``target`` by ``attackers`` (with the side's
    other orders of the day, ``orders``)."""
    w = view.world
    h = w.grid.index(target)
    new = [Order(kind=kind, unit=a, target=target) for a in attackers]
    mine = list(orders)
    for o in new:
        mine = _orders(mine, o)
    accepted, _ = check_orders(w, view_state(view), {view.side: mine})
    g_side, g_hex = groups(w, compile_orders(w, accepted))[:2]
    found = np.flatnonzero((g_side == view.side) & (g_hex == h))
    if found.size == 0:
        raise ValueError(f"no {kind} on {target} among today's accepted orders")
    gi = int(found[0])
    att = np.array([w.unit_index[a] for a in attackers])
    ground = CAUSES.index("ground")

    def extract(work, co, chunk):
        start_hex = work.hex.copy()
        before = work.loss[:, :, ground].copy()
        combat(work)
        lost = work.loss[:, :, ground] - before
        dmask = (start_hex == h) & (w.u_side != view.side)[None, :] & chunk.on_map & (chunk.strength > 0)
        return {"res": work.g_res[:, gi], "col": work.g_col[:, gi], "A": work.g_A[:, gi], "D": work.g_D[:, gi],
                "la": lost[:, att].sum(axis=1), "ld": np.where(dmask, lost, 0.0).sum(axis=1),
                "adv": (work.hex[:, att] == h).any(axis=1)}

    batch, notes = believed_batch(view, replications, _rng(seed, h), target=h)
    out, co = run_phases(view, mine, batch, seed, "movement", extract)
    res, la, ld = out["res"], out["la"], out["ld"]
    defended = out["D"] > 0
    cols = list(w.params.crt)
    col = out["col"][defended]
    return AssaultOdds(
        **_common(view, out["weather"], co, h, replications, notes), kind=kind,
        result_probs={r: float(np.mean(res == i)) for i, r in enumerate(RESULTS)},
        column_probs={cols[c]: float(np.mean(col == c)) for c in np.unique(col)},
        p_defended=float(defended.mean()), p_advance=float(out["adv"].mean()), attack=float(out["A"].mean()),
        defence=float(out["D"][defended].mean()) if defended.any() else 0.0,
        modifier=die_modifier(w.params, int(np.bincount(out["weather"]).argmax()), kind == "infiltrate"),
        attacker_loss_mean=float(la.mean()), defender_loss_mean=float(ld.mean()),
        attacker_loss_p90=float(np.percentile(la, 90)), defender_loss_p90=float(np.percentile(ld, 90)),
        defenders_seen=sum(1 for c in view.contacts if c.current and c.hex == h))


def mission_odds(view: SideView, orders: list[Order], unit: str | None, kind: str, target: str, count: int,
                 replications: int = REPLICATIONS, seed: int = 0) -> MissionOdds:
    """Odds of a drone strike or hunt, an artillery fire or a glide-bomb drop."""
    w = view.world
    p = w.params
    h = w.grid.index(target)
    order = Order(kind=kind, unit=unit, target=target, count=count)
    mine = _orders(list(orders), order)
    co0 = compile_orders(w, check_orders(w, view_state(view), {view.side: mine})[0])
    u_idx = w.unit_index[unit] if unit else -1
    found = np.flatnonzero((co0.m_side == view.side) & (co0.m_unit == u_idx) & (co0.m_kind == MISSION[kind])
                           & (co0.m_hex == h))
    if found.size == 0:
        raise ValueError(f"the {kind} on {target} is not among today's accepted orders")
    m = int(found[0])
    c = CAUSES.index(CAUSE[kind])
    radio = kind in ("strike", "hunt") and bool(w.t_radio[w.u_type[u_idx]])

    def extract(work, co, chunk):
        before = work.loss[:, :, c].copy()
        fires(work)
        on_hex = (work.hex == h) & (w.u_side != view.side)[None, :]
        return {"prob": work.m_prob[:, m], "hits": work.m_hits[:, m],
                "lost": np.where(on_hex, work.loss[:, :, c] - before, 0.0).sum(axis=1),
                "spotted": (work.detected[:, view.side] & on_hex).any(axis=1),
                "jam": work.jam[:, 1 - view.side, h] if radio else np.zeros(work.K)}

    batch, notes = believed_batch(view, replications, _rng(seed, h), target=h)
    out, co = run_phases(view, mine, batch, seed, "detection", extract)
    hits = out["hits"]
    dmg = {"bomb": p.glide_damage * (p.glide_urban_mult if w.terrain[h] == URBAN else 1.0),
           "fire": p.artillery_damage}.get(kind)
    if dmg is None:
        dmg = p.fpv_damage if w.t_fpv[w.u_type[u_idx]] else p.bomber_damage
    return MissionOdds(
        **_common(view, out["weather"], co, h, replications, notes), kind=kind, count=count,
        p_hit=float(out["prob"].mean()), p_detected=float(out["spotted"].mean()),
        hits_probs=[float(np.mean(hits == i)) for i in range(count + 1)],
        damage_mean=float(hits.mean() * dmg), loss_mean=float(out["lost"].mean()), jamming=float(out["jam"].mean()),
        p_strip=float(np.mean(hits >= p.glide_entrench_hits)) if kind == "bomb" else 0.0)


def interdict_odds(view: SideView, orders: list[Order], unit: str, target: str, count: int,
                   replications: int = REPLICATIONS, seed: int = 0) -> InterdictOdds:
    """What interdiction sorties on a road hex do today: its fire control, whether a road
    objective's threshold is reached, and what that does to enemy supply, robots and movers."""
    w = view.world
    p = w.params
    s = view.side
    h = w.grid.index(target)
    order = Order(kind="interdict", unit=unit, target=target, count=count)
    batch, notes = believed_batch(view, replications, _rng(seed, h))
    out, co = run_phases(view, _orders(list(orders), order), batch, seed, "fires",
                         lambda work, co, chunk: {"f": work.fire_control[:, s, h], "tot": work.fc_total[:, s, h]})
    f, tot = out["f"], out["tot"]
    thr = None
    for ob, hexes in zip(w.scenario.objectives, w.objective_hexes, strict=True):
        if ob.kind == "road" and h in hexes and s == 1:
            thr = float(ob.fire_control_threshold)
    enemy = w.u_side == 1 - s
    types, cnt = np.unique(w.u_type[enemy], return_counts=True)
    sig = float(w.t_signature[types[np.argmax(cnt)]]) if types.size else 0.0
    fm = float(tot.mean())
    return InterdictOdds(
        **_common(view, out["weather"], co, h, replications, notes), count=count, f_mean=float(f.mean()), f_total_mean=fm,
        threshold=thr, p_over=float(np.mean(tot >= thr)) if thr is not None else 0.0,
        supply_cost=1.0 + p.fire_control_cost * fm, run_loss=float(1.0 - np.exp(-p.ugv_loss_coeff * fm)),
        move_loss=float(killzone_fraction(p, fm, sig * p.moving_signature, 1.0)))


def resupply_odds(view: SideView, orders: list[Order], unit: str, target_unit: str, count: int,
                  replications: int = REPLICATIONS, seed: int = 0) -> RunOdds:
    """The chance each robot run arrives and the supply they are expected to deliver."""
    w = view.world
    p = w.params
    order = Order(kind="resupply", unit=unit, target_unit=target_unit, count=count)
    t = w.unit_index[target_unit]
    batch, notes = believed_batch(view, replications, _rng(seed, int(view.hex[t])))
    mine = _orders(list(orders), order)
    co0 = compile_orders(w, check_orders(w, view_state(view), {view.side: mine})[0])
    found = np.flatnonzero((co0.r_unit == w.unit_index[unit]) & (co0.r_target == t))
    if found.size == 0:
        raise ValueError(f"the resupply of {target_unit} by {unit} is not among today's accepted orders")
    r = int(found[0])
    out, co = run_phases(view, mine, batch, seed, "logistics",
                         lambda work, co, chunk: {"arrived": work.r_arrived[:, r], "p_loss": work.r_p_loss[:, r]})
    arrived = out["arrived"]
    return RunOdds(
        **_common(view, out["weather"], co, int(view.hex[t]), replications, notes), count=count,
        p_arrive=float(1.0 - out["p_loss"].mean()),
        arrived_probs=[float(np.mean(arrived == i)) for i in range(count + 1)],
        supply_mean=float(arrived.mean() * p.ugv_payload), payload=float(p.ugv_payload))


def order_odds(view: SideView, orders: list[Order], order: Order, replications: int = REPLICATIONS, seed: int = 0):
    """The preview of one order, whatever its kind (None for kinds without odds)."""
    if order.kind in ("assault", "infiltrate", "raid"):
        assert order.unit is not None and order.target is not None      # an Order's own check
        joining = [o.unit for o in orders if o.kind == order.kind and o.target == order.target
                   and o.unit != order.unit and o.unit is not None]
        return assault_odds(view, orders, joining + [order.unit], order.target, order.kind, replications, seed)
    if order.kind in CAUSE:
        assert order.target is not None
        return mission_odds(view, orders, order.unit, order.kind, order.target, order.count, replications, seed)
    if order.kind == "interdict":
        assert order.unit is not None and order.target is not None
        return interdict_odds(view, orders, order.unit, order.target, order.count, replications, seed)
    if order.kind == "resupply":
        assert order.unit is not None and order.target_unit is not None
        return resupply_odds(view, orders, order.unit, order.target_unit, order.count, replications, seed)
    return None
