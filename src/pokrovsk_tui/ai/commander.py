"""The computer commander: reads its side's view, builds candidate plans, tests them with the
vectorised Monte Carlo engine on determinised samples of the unseen enemy, and returns the
orders of the best plan with a short commander's intent.

``Commander(level).decide(view, rng) -> Decision(orders, intent)``; the commander is also a
policy ``(view, rng) -> list[Order]`` for ``sim.play_game``. All its randomness comes from the
``rng`` it is given, so a game replays exactly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pokrovsk_tui.rules.belief import nearest_distance
from pokrovsk_tui.rules.dice import BlockDice, Dice
from pokrovsk_tui.rules.digging import can_dig
from pokrovsk_tui.rules.engine import stack_plans
from pokrovsk_tui.rules.orders import Order, compile_orders, join_sides, no_orders
from pokrovsk_tui.rules.state import ARRAY_FIELDS, GameState
from pokrovsk_tui.rules.view import SideView, view

from .determinise import enemy_eye, sample_batch, sample_positions
from .levels import LEVELS, Level
from .plans import SIMPLE, Knobs, Plan, Planner, Weights, variants
from .plans_base import made
from .plans_odds import going
from .rollout import expected_delivery, resolve
from .situation import SIDE_NAMES, Situation, situation

WIN_VALUE = 400.0


@dataclass
class Decision:
    orders: list[Order]
    intent: list[str]
    plan: str = ""
    scores: dict[str, float] = field(default_factory=dict)


# how the intent names an attack of each kind
NOUN = {"assault": "assault", "infiltrate": "infiltration", "raid": "raid"}
ARTICLE = {"assault": "an", "infiltrate": "an", "raid": "a"}


class Commander:
    """A computer opponent at one level; a policy ``(view, rng) -> orders``."""

    def __init__(self, level: str | Level = "normal", weights: Weights | None = None):
        self.level = LEVELS[level] if isinstance(level, str) else level
        self.weights = weights or Weights()
        self.__name__ = self.level.name

    def __call__(self, view: SideView, rng: np.random.Generator) -> list[Order]:
        return self.decide(view, rng).orders

    # ------------------------------------------------------------------ decide
    def decide(self, view: SideView, rng: np.random.Generator) -> Decision:
        sit = situation(view)
        lv = self.level
        if not lv.features.supply_lines:
            sit.extra["light"] = True     # no supply-line reckoning
        if view.winner >= 0 or not view.own.any():
            return Decision([], [f"{SIDE_NAMES[view.side]} has nothing to order"], "none")
        knobs = variants(Knobs(), list(lv.candidates))
        if lv.sector_variants:
            sec = sectors(sit, lv.sector_variants)
            sit.extra["sectors"] = sec
            knobs += [Knobs(name=f"focus-{i + 1}", focus=i, focus_weight=2.5) for i in range(lv.sector_variants)
                      if (sec[sit.border] == i).any()]
        plans: list[Plan] = []
        seen: set[tuple] = set()
        for k in knobs:
            p = Planner(sit, k, self.weights, lv.features).build()
            key = tuple(sorted(map(order_key, p.orders)))
            if key in seen:
                continue
            seen.add(key)
            plans.append(p)
        scores: dict[str, float] = {}
        refined: list[str] = []
        if lv.draws > 0 and (len(plans) > 1 or lv.refine):
            ctxs = self.samples(sit, rng)
            scores = dict(zip([p.knobs.name for p in plans], self.values(sit, [p.orders for p in plans], ctxs),
                              strict=True))
            best = max(plans, key=lambda p: (scores[p.knobs.name], -knobs.index(p.knobs)))
            if lv.refine:
                best, gain, refined = self.refine(sit, best, scores[best.knobs.name], ctxs)
                if refined:
                    scores[best.knobs.name] = scores[best.knobs.name] + gain
        else:
            best = plans[0]
        return Decision(best.orders, self.intent(sit, best, scores, refined), best.knobs.name, scores)

    # ------------------------------------------------------------------ Monte Carlo
    def samples(self, sit: Situation, rng: np.random.Generator) -> list[tuple]:
        """The level's determinised samples: per draw of enemy positions, a batch of states,
        the enemy's modelled orders and the dice of the look-ahead days (common to all plans)."""
        lv = self.level
        out = []
        for _d in range(lv.draws):
            pos = sample_positions(sit, rng)
            batch = sample_batch(sit, rng, lv.reps, pos)
            enemy_orders = self.enemy_model(sit, batch.replica(0), rng)
            dice = [Dice(int(rng.integers(1 << 31))) for _ in range(lv.lookahead)]
            out.append((batch, enemy_orders, dice))
        return out

    def value(self, sit: Situation, orders: list[Order], ctxs: list[tuple]) -> float:
        """Mean score of a set of orders over the samples."""
        return self.values(sit, [orders], ctxs)[0]

    def values(self, sit: Situation, orders: list[list[Order]], ctxs: list[tuple]) -> list[float]:
        """Mean score of each set of orders over the samples. Every (sample, set) pair goes
        through the engine as one block of the sample's replications, all in one batch: the
        first day with orders that carry a plan axis (``engine.stack_plans``), the days after
        it, when both sides hold whatever the plan, with no orders. Each block draws the dice
        its sample would draw alone (``BlockDice``), so the scores are those of one set and
        one sample at a time."""
        lv = self.level
        w = sit.world
        deliv = sit.extra.get("delivery")
        if deliv is None and lv.rollout == "light":
            deliv = sit.extra["delivery"] = expected_delivery(sit)
        if not ctxs:
            return [0.0] * len(orders)
        wt = self.weights.for_side(sit.side)
        k = ctxs[0][0].hex.shape[0]
        assert all(b.hex.shape[0] == k for b, _e, _d in ctxs), "samples of one size"
        # block (c, i): sample c with set i
        starts = [batch for batch, _e, _d in ctxs for _o in orders]
        # each set of orders and each sample's modelled enemy compiled once, joined per block
        own = [compile_orders(w, {sit.side: o}) for o in orders]
        foes = sit.extra.setdefault("enemy_compiled", {})      # the samples' enemies, for refine too
        for _b, enemy_orders, _d in ctxs:
            if id(enemy_orders) not in foes:
                foes[id(enemy_orders)] = (enemy_orders, compile_orders(w, {sit.enemy: enemy_orders}))
        cos = [join_sides(w, *((mine, foes[id(e)][1]) if sit.side == 0 else (foes[id(e)][1], mine)))
               for _b, e, _d in ctxs for mine in own]
        if len(cos) == 1:
            before = starts[0]
            after = resolve(w, before, cos[0], ctxs[0][2][0], lv.rollout, deliv)
        else:
            co, columns = stack_plans(w, cos, k)
            seeds = [dice[0].seed for _b, _e, dice in ctxs for _o in orders]
            before = join(starts)
            after = resolve(w, before, co, BlockDice(seeds, k, columns), lv.rollout, deliv)
        for day in range(1, len(ctxs[0][2])):
            if after.turn > w.scenario.turns:
                break
            seeds = [dice[day].seed for _b, _e, dice in ctxs for _o in orders]
            idle = no_orders(w)                               # the days after the first: no orders
            after = resolve(w, after, idle, BlockDice(seeds, k), lv.rollout, deliv)
        # every block scored at once: each replication's score is worked out on its own row
        # (row-wise sums), so a block's slice is what scoring the block alone gives
        # the ground held before: each sample's rows once, repeated for every set of orders
        tb = [held_before(sit, batch) for batch, _e, _d in ctxs]
        sc = score(sit, wt, before, after, np.concatenate([tb[c] for c in range(len(ctxs)) for _o in orders]))
        totals = [0.0] * len(orders)
        for c in range(len(ctxs)):
            for i in range(len(orders)):
                start = (c * len(orders) + i) * k
                totals[i] += float(sc[start:start + k].mean())
        return [t / len(ctxs) for t in totals]

    def refine(self, sit: Situation, plan: Plan, base: float, ctxs: list[tuple]) -> tuple[Plan, float, list[str]]:
        """Local search on the chosen plan's attacks: try calling off each of its attacks and
        launching each near-miss attack it left out; keep every change that scores better on
        the same samples, then check the changes together."""
        w = sit.world
        g = sit.grid
        lv = self.level
        v = sit.view
        own_ground = {o.unit: o for o in plan.orders if o.kind in ("hold", "move", "assault", "infiltrate", "raid",
                                                                    "dig_in", "rest", "jam")}
        others = [o for o in plan.orders if o.unit not in own_ground or o.kind not in
                  ("hold", "move", "assault", "infiltrate", "raid", "dig_in", "rest", "jam")]

        def stay(u: int) -> Order:
            return made(sit, kind="dig_in" if can_dig(w.params, v.entrench[u]) else "rest", unit=w.unit_ids[u])

        changes: list[tuple[str, dict[str, Order]]] = []
        for t, grp, kind, _p, _ev in sorted(plan.assaults, key=lambda a: a[4])[: lv.refine]:
            changes.append((f"call off the {NOUN[kind]} on {g.hex_id(t)}", {w.unit_ids[u]: stay(u) for u in grp}))
        table = sit.extra.get(("attack_table", plan.knobs.focus, lv.features.hidden_odds), {})
        taken = {t for t, *_ in plan.assaults}
        busy = {w.unit_ids[u] for _t, grp, *_ in plan.assaults for u in grp}
        near = []
        for t, opts in table.items():
            if t in taken:
                continue
            for ev, grp, kind, _o, _kd in opts:
                if any(w.unit_ids[u] in busy for u in grp):
                    continue
                near.append((ev, t, grp, kind))
        near.sort(key=lambda x: (-x[0], x[1]))
        seen_t: set[int] = set()
        for _ev, t, grp, kind in near:
            if t in seen_t or len(changes) >= 2 * lv.refine:
                continue
            seen_t.add(t)
            changes.append((f"add {ARTICLE[kind]} {NOUN[kind]} on {g.hex_id(t)} with {', '.join(w.unit_ids[u] for u in grp)}",
                            {w.unit_ids[u]: made(sit, kind=kind, unit=w.unit_ids[u], target=g.hex_id(t)) for u in grp}))

        def orders_with(patch: dict[str, Order]) -> list[Order]:
            gr = dict(own_ground)
            gr.update(patch)
            return list(gr.values()) + others

        good = []
        vals = self.values(sit, [orders_with(patch) for _text, patch in changes], ctxs) if changes else []
        for (text, patch), val in zip(changes, vals, strict=True):
            if val > base + 0.05:
                good.append((val - base, text, patch, val))
        if not good:
            return plan, 0.0, []
        good.sort(key=lambda x: -x[0])
        merged: dict[str, Order] = {}
        texts = []
        for _gain, text, patch, _val in good:
            if any(u in merged for u in patch):
                continue
            merged.update(patch)
            texts.append(text)
        # one change alone was scored with the others above (each set's score is its own)
        val = good[0][3] if len(texts) == 1 else self.value(sit, orders_with(merged), ctxs)
        if val <= base + good[0][0] - 1e-9 and len(texts) > 1:
            merged, texts, val = good[0][2], [good[0][1]], base + good[0][0]
        new = Plan(knobs=plan.knobs, orders=orders_with(merged), notes=plan.notes, assaults=plan.assaults)
        return new, val - base, texts

    def enemy_model(self, sit: Situation, state: GameState, rng: np.random.Generator) -> list[Order]:
        """The enemy's likely ground attacks on the sampled state (his drones fly patrol)."""
        w = sit.world
        est = enemy_eye(sit, state, rng)
        ev = view(w, est, sit.enemy)
        esit = situation(ev)
        esit.extra["light"] = True       # no supply-corridor reckoning for the modelled enemy
        pl = Planner(esit, Knobs(name="enemy", interdict=False, recon=False, reserves_move=True),
                     self.weights, SIMPLE)
        pl._guards()
        pl._attacks()
        pl._ground_rest()
        return list(pl.ground.values())

    # ------------------------------------------------------------------ intent
    def intent(self, sit: Situation, plan: Plan, scores: dict[str, float], refined: list[str] | None = None) -> list[str]:
        out = [f"{SIDE_NAMES[sit.side]} day {sit.turn} ({sit.weather_name()}), {self.level.name}: {aim(sit, plan)}"]
        for key in ("ground", "fires", "logistics"):
            lines = plan.notes.get(key, [])
            if lines:
                out.append(f"{key}: " + "; ".join(lines[:3]))
        if scores:
            ranked = sorted(scores.items(), key=lambda x: -x[1])
            lv = self.level
            n = lv.draws * lv.reps
            out.append(f"plan '{plan.knobs.name}' chosen by Monte Carlo ({n} samples, {lv.lookahead} day"
                       f"{'s' if lv.lookahead > 1 else ''} ahead): "
                       + ", ".join(f"{k} {v:+.1f}" for k, v in ranked))
        if refined:
            out.append("refined on the same samples: " + "; ".join(refined[:3]))
        return out


def order_key(o: Order) -> tuple:
    """Every field of an order, as a tuple that sorts (two plans with the same orders in any
    order have the same sorted keys)."""
    return (o.kind, o.unit or "", o.unit is None, o.target or "", o.target is None, o.path, o.count,
            o.target_unit or "", o.target_unit is None)


def join(states: list[GameState]) -> GameState:
    """One batch of several batched states (same turn), one after the other."""
    if len(states) == 1:
        return states[0]
    joined: dict[str, Any] = {f: np.concatenate([getattr(s, f) for s in states]) for f in ARRAY_FIELDS}
    return dataclasses.replace(states[0], **joined)


# ---------------------------------------------------------------------- scoring

def territory(sit: Situation, control: np.ndarray) -> np.ndarray:
    """(K,) the value of the ground each replication's (K, n) ``control`` gives the side: the
    hexes it holds at ``sit.hex_value``, less those the enemy holds (contested ones count 0);
    each row's sum is its own (a row's value does not depend on the others)."""
    hv = sit.hex_value
    # (1 - 0) * hv, (0 - 1) * hv and (0 - 0) * hv hex by hex, summed along each row
    signed = np.where(control == sit.side, hv, np.where(control == sit.enemy, -hv, 0.0 * hv))
    return signed.sum(axis=1) + 0.0


def held_before(sit: Situation, batch: GameState) -> np.ndarray:
    """``territory(sit, batch.control)`` of a sample's batch, once per decision (the scoring
    of the plans and of the refinements starts from the same samples)."""
    kept = sit.extra.setdefault("held_before", {})
    got = kept.get(id(batch))
    if got is None or got[0] is not batch:
        got = kept[id(batch)] = (batch, territory(sit, batch.control))
    return got[1]


def score(sit: Situation, wt: Weights, before: GameState, after: GameState,
          terr_before: np.ndarray | None = None) -> np.ndarray:
    """(K,) value of each replication's outcome for the side, in VP-like units.
    ``terr_before``: ``territory(sit, before.control)``, when the caller has it."""
    w = sit.world
    s, e = sit.side, sit.enemy

    dvp = (after.vp[:, s] - before.vp[:, s]) - (after.vp[:, e] - before.vp[:, e])
    # ground changing hands in snow or mud is discounted as the planner does (see plans.going)
    if terr_before is None:
        terr_before = territory(sit, before.control)
    dterr = (territory(sit, after.control) - terr_before) * going(w, sit.weather)
    side = w.u_side[None, :]
    lost = before.strength - after.strength
    own_lost = np.where(side == s, lost, 0.0).sum(axis=1)
    foe_lost = np.where(side == e, lost, 0.0).sum(axis=1)
    mat = wt.kill * foe_lost - wt.loss * own_lost
    live = after.on_map & (side == s)
    sup = -0.04 * np.where(live, np.maximum(30.0 - after.supply, 0.0), 0.0).sum(axis=1)
    iso = -2.0 * (live & (after.isolated > 0)).sum(axis=1) + 1.0 * (after.on_map & (side == e) & (after.isolated > 0)).sum(axis=1)
    coh = -0.02 * np.where(live, np.maximum(before.cohesion - after.cohesion, 0.0), 0.0).sum(axis=1)
    threatened = sit.threat[np.maximum(before.hex, 0)] > 1.0
    dig = 0.6 * np.where(live & threatened, np.maximum(after.entrench - before.entrench, 0), 0).sum(axis=1)
    win = np.where(after.winner == s, WIN_VALUE, np.where(after.winner == e, -WIN_VALUE, 0.0))
    return dvp + dterr + mat + sup + iso + coh + dig + win


# ---------------------------------------------------------------------- aims and sectors

def aim(sit: Situation, plan: Plan) -> str:
    """One sentence of operational aim from the scenario's objectives and the day's plan."""
    w = sit.world
    parts = []
    mine_sd = [c for c in sit.st.sd if c[0] == sit.side]
    foe_sd = [c for c in sit.st.sd if c[0] == sit.enemy]
    best = None
    for _s, kind, hexes, _days, name in mine_sd:
        if kind != "control_all":
            continue
        todo = hexes[sit.control[hexes] != sit.side]
        if todo.size == 0:
            continue
        d = int(nearest_distance(w, np.flatnonzero(sit.mine))[todo].min()) if sit.mine.any() else 99
        if best is None or (d, todo.size) < best[0]:
            best = ((d, todo.size), name, todo)
    if best is not None:
        parts.append(f"{best[1].lower()} ({best[2].size} hexes to take, nearest {best[0][0]} from our line)")
    for _s, kind, hexes, _days, _name in foe_sd:
        if kind == "cut_supply":
            cost = sit.supply[hexes].min()
            sup = f"path cost {cost:.0f}" if np.isfinite(cost) else "CUT"
            parts.append(f"keep supply open to {sit.label(hexes[0])} ({sup})")
    if foe_sd:
        t, name = max((float(sit.threat[hexes].max()), name) for _s, _k, hexes, _d, name in foe_sd)
        parts.append(f"deny '{name.lower()}'")
    lost: list[str] = []
    pressed: list[str] = []
    for ob, hexes in zip(w.scenario.objectives, w.objective_hexes, strict=True):
        if ob.kind != "hold":
            continue
        # (counts of hexes: some of it the enemy's, not all of it ours, most of it ours at the start)
        control = sit.control[hexes]
        theirs = np.count_nonzero(control == sit.enemy)
        if theirs > 0 and sit.d_own[hexes].min() <= 1 and np.count_nonzero(control == sit.side) < hexes.size:
            ours_at_start = 2 * np.count_nonzero(w.initial_control[hexes] == sit.side) > hexes.size
            (lost if ours_at_start else pressed).append(ob.name)
    if lost:
        parts.append(f"retake ground in {', '.join(lost[:3])}")
    if pressed:
        parts.append(f"press on {', '.join(pressed[:2])}")
    for _hexes, _vp, thr, name in sit.st.roads:
        short = name.split(",")[0]
        parts.append(f"keep {short} under fire control (F>={thr:g})" if sit.side == 1 else f"keep {short} open")
    if any(a[2] == "raid" for a in plan.assaults):
        parts.append("bleed the attacker with raids")
    return "; ".join(parts) if parts else "hold the line and bleed the attacker"


def sectors(sit: Situation, k: int) -> np.ndarray:
    """(n,) sector 0..k-1 of every hex: the front cut into k pieces (k-means on the border)."""
    g = sit.grid
    b = sit.border
    if b.size < k:
        return np.zeros(sit.n, np.int64)
    xy = np.stack([g.col[b] + 0.5 * (g.row[b] & 1), g.row[b] * 0.866], axis=1).astype(float)
    order = np.argsort(xy[:, 1] * 1000 + xy[:, 0], kind="stable")
    cent = xy[order[np.linspace(0, b.size - 1, k).astype(int)]]
    for _ in range(8):
        lab = ((xy[:, None, :] - cent[None]) ** 2).sum(axis=2).argmin(axis=1)
        for i in range(k):
            if (lab == i).any():
                cent[i] = xy[lab == i].mean(axis=0)
    allxy = np.stack([g.col + 0.5 * (g.row & 1), g.row * 0.866], axis=1).astype(float)
    return ((allxy[:, None, :] - cent[None]) ** 2).sum(axis=2).argmin(axis=1)


COMMANDERS = {name: Commander(name) for name in LEVELS}
