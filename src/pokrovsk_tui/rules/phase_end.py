"""Phases 7 and 8: recovery, deliveries, reinforcements, removal; control and victory."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .digging import dug
from .events import lit, ref
from .kernels import occupied, unique_rows
from .orders import G_DIG, G_HOLD, G_JAM, G_REST
from .phase_supply import provisional_control
from .scoring import day_factor, objective_gains
from .world import CAUSES, CONTESTED

if TYPE_CHECKING:
    from .work import Work


_ATTRITION = CAUSES.index("attrition")


def recovery(w: Work) -> None:
    world, p, co = w.world, w.p, w.co
    _K, _U, n = w.K, w.U, w.n
    live = w.live
    g = co.per_rep(co.ground)
    still = live & ~w.moved & ~w.fought
    supplied = (w.supply >= p.low_supply) & (w.isolated == 0)   # an isolated unit is not supplied
    gain = np.where(g == G_REST, p.rest_cohesion, np.where((g == G_HOLD) | (g == G_DIG) | (g == G_JAM), p.hold_cohesion, 0.0))
    w.cohesion = np.where(still & supplied, np.minimum(w.cohesion + gain, 100.0), w.cohesion)
    # digging in: a level with the day's chance, up to max_entrenchment (rules/digging.py)
    digging = still & (g == G_DIG)
    if digging.any():
        w.entrench = dug(p, w.entrench, digging, w.dice.uniform(w.turn, "recovery", "dig", (w.K, w.U)))

    # drones delivered to supplied drone units, shared equally (remainder by slot order)
    d = world.scenario.deliveries
    drone = w.c.drone[None, :] & live & (w.delivered > 0) & (w.isolated == 0)
    for s, total in ((0, d.ua_drones), (1, d.ru_drones)) if drone.any() else ():
        mine = drone & w.c.of_side[s][None, :]
        cnt = mine.sum(axis=1, keepdims=True)
        rank = np.cumsum(mine, axis=1) - 1
        base = np.where(cnt > 0, total // np.maximum(cnt, 1), 0)
        share = base + (rank < (total - base * cnt))
        w.stock = np.where(mine, np.minimum(w.stock + share, w.c.max_stock[None, :]), w.stock)

    # removal: cohesion gone or strength below 10% of full
    out = w.on_map & ((w.cohesion <= 0) | (w.strength < p.removal_strength * world.u_full[None, :]))
    if out.any():
        # what is left of a removed unit is lost to the cause that cost it most today
        # (attrition if nothing did); only the removed units' entries change
        rk, ru = np.nonzero(out)
        today = w.loss[rk, ru]                                           # (N, C)
        cause = np.where(today.max(axis=1) > 0, np.argmax(today, axis=1), _ATTRITION)
        rest = w.strength[rk, ru]
        w.loss[rk, ru, cause] += rest
        w.strength = np.where(out, 0.0, w.strength)
        w.on_map = w.on_map & ~out
        w.lost = w.lost | out
        if w.events is not None:
            for i in np.flatnonzero(rk == 0).tolist():
                ui = int(ru[i])
                # only its own side is told: the enemy learns of it only by what it sees
                w.emit("recovery", "lost", f"{ref(0)} is destroyed or broken and leaves play",
                       side=int(world.u_side[ui]), hex=int(w.hex[0, ui]), units=[ui],
                       why={"cohesion": w.cohesion[0, ui], "cause": CAUSES[cause[i]],
                            "strength": rest[i], "removal_below": p.removal_strength * world.u_full[ui]})

    # reinforcements arrive at their hex, or the nearest free friendly hex
    # a reinforcement that found no free hex on its day tries again each day after
    due = (world.u_arrival > 0) & (world.u_arrival <= w.turn)
    pending = due[None, :] & ~w.on_map & ~w.lost if due.any() else None
    arriving = np.flatnonzero(pending.any(axis=0)) if pending is not None else ()
    if pending is not None and len(arriving):
        occ = occupied(w.hex, w.live, w.c.side_n, n)
        for u in arriving:
            s = world.u_side[u]
            want = world.u_start_hex[u]
            bad = occ[:, 1 - s] | ~world.passable[None, :] | ((w.control != s) & (w.control != CONTESTED))
            bad[:, want] &= occ[:, 1 - s][:, want]            # its own hex is fine unless enemy-held
            # rows that bar the same hexes send it to the same one: each distinct row once
            first, group = unique_rows(bad)
            score = np.where(bad[first], np.inf, _entry_order(world, int(want))[None, :])
            dest = np.argmin(score, axis=1)[group]
            come = pending[:, u] & np.isfinite(score.min(axis=1))[group]
            w.hex[:, u] = np.where(come, dest, w.hex[:, u])
            w.on_map[:, u] = w.on_map[:, u] | come
            if come[0]:
                w.emit("recovery", "arrives", f"Reinforcement {ref(0)} arrives at {world.grid.hex_id(dest[0])}",
                       side=int(s), hex=int(dest[0]), units=[u])
            elif pending[0, u]:
                w.emit("recovery", "no_entry", f"Reinforcement {ref(0)} finds no free hex to enter "
                       "and tries again tomorrow", side=int(s), units=[u])
    w.casualties = w.casualties + np.stack(
        [w.loss[:, slots].sum(axis=1) for slots in world.derived(_side_slots)], axis=1)


def _side_slots(world) -> tuple[np.ndarray, np.ndarray]:
    """Each side's unit slots (once per world)."""
    return np.flatnonzero(world.u_side == 0), np.flatnonzero(world.u_side == 1)


def _entry_order(world, want: int) -> np.ndarray:
    """(n,) the order in which a reinforcement due at hex ``want`` takes the hexes: nearest
    first, ties by hex index (kept per world and hex)."""
    kept = world.derived(_new_entry_orders)
    order = kept.get(want)
    if order is None:
        order = world.grid.dist_from(want).astype(float) + np.arange(world.grid.n) * 1e-6
        order.flags.writeable = False
        kept[want] = order
    return order


def _new_entry_orders(world) -> dict:
    return {}


def control_and_victory(w: Work) -> None:
    world, _p = w.world, w.p
    scn = world.scenario
    w.control = provisional_control(w)
    factor = day_factor(world, w.turn)
    gained = objective_gains(world, w.control, w.fc_total[:, 1]).sum(axis=1)
    w.vp = w.vp + gained * factor
    playing = w.winner < 0
    for i, (sd, hexes) in enumerate(zip(scn.victory.sudden_death, world.sudden_death_hexes, strict=True)):
        s = 0 if sd.side == "ua" else 1
        if sd.kind == "control_all":
            holds = (w.control[:, hexes] == s).all(axis=1)
        else:
            holds = ~w.reach[:, 1 - s][:, hexes].any(axis=1)
        w.sd_days[:, i] = np.where(holds, w.sd_days[:, i] + 1, 0)
        fire = playing & (w.sd_days[:, i] >= sd.days)
        w.winner = np.where(fire, s, w.winner)
        w.end_reason = np.where(fire, i, w.end_reason)
        if fire[0]:
            w.emit("victory", "sudden_death", f"Sudden death: {lit(sd.name)} - {sd.side.upper()} wins",
                   why={"condition": sd.id, "days": w.sd_days[0, i], "side": sd.side, "needed": sd.days})
        playing = w.winner < 0
    if w.turn >= scn.turns:
        margin = w.vp[:, 0] - w.vp[:, 1]
        res = np.where(margin >= scn.victory.margin, 0, np.where(-margin >= scn.victory.margin, 1, 2))
        w.winner = np.where(playing, res, w.winner)
        w.end_reason = np.where(playing, -2, w.end_reason)
        if playing[0]:
            w.emit("victory", "end", f"Last turn: VP UA {w.vp[0, 0]:.1f}, RU {w.vp[0, 1]:.1f} -> "
                   + ("UA wins" if res[0] == 0 else "RU wins" if res[0] == 1 else "draw"),
                   why={"margin_needed": scn.victory.margin, "margin": margin[0], "ua": w.vp[0, 0], "ru": w.vp[0, 1]})
    w.emit("victory", "vp", f"VP today: UA +{gained[0, 0] * factor:.1f}, RU +{gained[0, 1] * factor:.1f}"
           + (" (talks day: double)" if factor > 1 else ""),
           why={"ua": w.vp[0, 0], "ru": w.vp[0, 1], "ua_gain": gained[0, 0] * factor, "ru_gain": gained[0, 1] * factor,
                "talks_day": factor > 1})

