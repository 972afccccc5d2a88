"""What if? The same games played on a baseline scenario and on a variant of it, seed for seed,
and the headline figures compared pair by pair.

Game *i* of both runs uses seed S + i, so the two games of a pair see the same dice streams
and the same commanders' random streams; what differs between them is the change (and what
the change makes the commanders do). The difference of each figure is taken pair by pair and
given with its 95% interval (normal approximation over the pairs).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

import numpy as np

from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import SIDE_KEYS, play_game, winner_of
from pokrovsk_tui.rules.params import TERRAINS, WEATHERS
from pokrovsk_tui.rules.world import CAUSES, World

# ----------------------------------------------------------------------------- one game


def towns(world: World) -> dict[str, np.ndarray]:
    """(n,) bool per objective to hold: its hexes and the hexes next to them (the town's
    garrison stands there); a hex next to two objectives counts for the nearer, then the first."""
    g = world.grid
    out: dict[str, np.ndarray] = {}
    taken = np.zeros(g.n, bool)
    objs = [(ob, hexes) for ob, hexes in zip(world.scenario.objectives, world.objective_hexes, strict=True)
            if ob.kind == "hold"]
    for ob, hexes in objs:            # the objective's own hexes first
        m = np.zeros(g.n, bool)
        m[hexes] = True
        out[ob.id] = m
        taken |= m
    for ob, hexes in objs:            # then the ring around it
        ring = (g.dist_from(hexes).min(axis=0) == 1) & ~taken
        out[ob.id] = out[ob.id] | ring
        taken |= ring
    return out


def measure_game(world: World, ua: str, ru: str, seed: int, turns: int | None = None) -> dict[str, float]:
    """Play one game and return its headline figures as a flat dict of numbers."""
    urban = world.terrain == TERRAINS.index("urban")
    ru0 = int((world.initial_control == 1).sum())
    urban0 = int(((world.initial_control == 1) & urban).sum())
    town = towns(world)
    idx = world.unit_index
    f: dict[str, float] = {}

    def add(key: str, x: float) -> None:
        f[key] = f.get(key, 0.0) + float(x)

    for name in town:
        add(f"supply.{name}.road", 0.0)
        add(f"supply.{name}.robots", 0.0)
    for s in SIDE_KEYS:
        add(f"isolated_unit_days.{s}", 0.0)
        add(f"robot_runs.{s}.sent", 0.0)
        add(f"robot_runs.{s}.lost", 0.0)
    for s in SIDE_KEYS:
        for k in ("fought", "won", "blind", "attacker_loss"):
            add(f"assaults.{s}.{k}", 0.0)
    ru_by_day: list[int] = []
    bad_day = [bool(world.params.weather[wx].bad_weather) for wx in WEATHERS]
    by_weather = {True: [0.0, 0], False: [0.0, 0]}      # bad weather? -> [RU net gain, days]

    def on_turn(tr) -> None:
        st = tr.state
        for s, key in enumerate(SIDE_KEYS):
            add(f"isolated_unit_days.{key}", int((st.on_map & (world.u_side == s) & (st.isolated > 0)).sum()))
        ru_now = int((st.control == 1).sum())
        acc = by_weather[bad_day[int(st.weather)]]
        acc[0] += ru_now - (ru_by_day[-1] if ru_by_day else ru0)
        acc[1] += 1
        ru_by_day.append(ru_now)
        for e in tr.events:
            if e.kind == "ugv" and e.visible_to:
                key = e.visible_to[0]
                lost = float(e.why.get("lost", 0))
                add(f"robot_runs.{key}.lost", lost)
                add(f"robot_runs.{key}.sent", lost + float(e.why.get("arrived", 0)))
            elif e.phase == "combat" and e.kind in ("assault", "infiltration", "raid") and e.why.get("defence", 0) > 0:
                key = e.why["side"]                 # an attack on a defended hex
                add(f"assaults.{key}.fought", 1)
                add(f"assaults.{key}.won", e.why["result"] in ("D", "X"))
                add(f"assaults.{key}.blind", bool(e.why.get("blind")))
                add(f"assaults.{key}.attacker_loss", e.why["attacker_loss"])
            elif e.kind == "supply" and e.visible_to == ("ua",):
                for uid, (road, robots) in e.why.get("by_unit", {}).items():
                    h = int(st.hex[idx[uid]])
                    for name, m in town.items():
                        if h >= 0 and m[h]:
                            add(f"supply.{name}.road", road)
                            add(f"supply.{name}.robots", robots)
                            break

    rec = play_game(world, (policy_for(ua), policy_for(ru)), seed=seed, max_turns=turns, on_turn=on_turn)
    st = rec.final
    win = winner_of(world, st)
    f["vp_margin"] = float(st.vp[0] - st.vp[1])
    for i, k in enumerate(("ua", "ru", "draw")):
        f[f"win.{k}"] = float(win == i)
    f["hexes.ru_gain"] = float((st.control == 1).sum() - ru0)
    f["hexes.ru_gain_after_day2"] = float(ru_by_day[-1] - ru_by_day[1]) if len(ru_by_day) > 2 else 0.0
    for bad, key in ((False, "good_weather"), (True, "bad_weather")):
        gain, days = by_weather[bad]
        f[f"hexes.ru_gain_{key}"] = gain
        f[f"days.{key}"] = float(days)
    f["hexes.urban_taken"] = float(((st.control == 1) & urban).sum() - urban0)
    for s, key in enumerate(SIDE_KEYS):
        for j, c in enumerate(CAUSES):
            f[f"casualties.{key}.{c}"] = float(st.casualties[s, j])
        f[f"casualties.{key}.total"] = float(st.casualties[s].sum())
    for name in town:
        f[f"supply.{name}.total"] = f[f"supply.{name}.road"] + f[f"supply.{name}.robots"]
    for key in SIDE_KEYS:       # per attack fought: the share won and the attackers' loss
        n = f[f"assaults.{key}.fought"]
        f[f"assaults.{key}.success"] = f[f"assaults.{key}.won"] / n if n else 0.0
        f[f"assaults.{key}.loss_each"] = f[f"assaults.{key}.attacker_loss"] / n if n else 0.0
    f["turns"] = float(st.turn - 1)
    return f


# ----------------------------------------------------------------------------- many games

_WORLDS: dict[str, World] = {}


def _job(args) -> tuple[str, int, dict[str, float]]:
    which, ua, ru, seed, turns = args
    return which, seed, measure_game(_WORLDS[which], ua, ru, seed, turns)


def run_pairs(base: World, variant: World, ua: str, ru: str, games: int, seed: int = 1, turns: int | None = None,
              jobs: int = 1, progress: Callable[[int, int], None] | None = None,
              scheduler: str | None = None, out: str | None = None
              ) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """Play games seed..seed+games-1 on both scenarios; the figures of each, in seed order.
    ``scheduler``, ``out``: on a Dask cluster, streamed to a resumable file
    (pokrovsk_tui.game.sweep); the same figures either way."""
    if scheduler is not None or out is not None:
        return _swept_pairs(base, variant, ua, ru, games, seed, turns, jobs, progress, scheduler, out)
    _WORLDS["base"], _WORLDS["variant"] = base, variant       # forked workers inherit them
    tasks = [(which, ua, ru, seed + i, turns) for i in range(games) for which in ("base", "variant")]
    out: dict[tuple[str, int], dict[str, float]] = {}
    total = len(tasks)
    if jobs <= 1 or total <= 1:
        for t in tasks:
            which, s, fig = _job(t)
            out[(which, s)] = fig
            if progress:
                progress(len(out), total)
    else:
        import multiprocessing as mp

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as ex:
            for fut in as_completed([ex.submit(_job, t) for t in tasks]):
                which, s, fig = fut.result()
                out[(which, s)] = fig
                if progress:
                    progress(len(out), total)
    seeds = range(seed, seed + games)
    return [out[("base", s)] for s in seeds], [out[("variant", s)] for s in seeds]


def sweep_measure(key: str, data: dict, ua: str, ru: str, seed: int, turns: int | None) -> dict[str, float]:
    """One game of a what-if sweep, on whatever process or machine: its figures."""
    from pokrovsk_tui.game.sweep import world_of

    return measure_game(world_of(key, data), ua, ru, seed, turns)


def _swept_pairs(base, variant, ua, ru, games, seed, turns, jobs, progress, scheduler, out):
    from pokrovsk_tui.game import sweep

    worlds = {}
    for which, w in (("base", base), ("variant", variant)):
        key, data = sweep.payload(w.scenario)
        sweep.world_of(key, data, w)
        worlds[which] = (key, data)
    header = {"kind": "whatif", "base": worlds["base"][0], "variant": worlds["variant"][0], "ua": ua, "ru": ru,
              "turns": turns}
    tasks = [(f"{which} seed {seed + i}", (*worlds[which], ua, ru, seed + i, turns))
             for i in range(games) for which in ("base", "variant")]
    res = sweep.run_tasks(tasks, sweep_measure, header=header, scheduler=scheduler, out=out, jobs=jobs,
                          progress=progress)
    seeds = range(seed, seed + games)
    return [res[f"base seed {s}"] for s in seeds], [res[f"variant seed {s}"] for s in seeds]


def compare(base: list[dict[str, float]], variant: list[dict[str, float]]) -> dict[str, dict]:
    """Per figure: baseline mean, variant mean, the paired difference with its 95% interval,
    and the relative change (difference / baseline mean) where the baseline is not zero."""
    order = ("vp_margin", "win", "hexes", "days", "casualties", "assaults", "supply", "isolated_unit_days", "robot_runs")
    keys = sorted((k for k in (base[0] if base else {}) if k != "turns"),
                  key=lambda k: order.index(k.split(".")[0]) if k.split(".")[0] in order else len(order))
    out: dict[str, dict] = {}
    for k in keys:
        b = np.array([g[k] for g in base])
        v = np.array([g.get(k, 0.0) for g in variant])
        d = v - b
        n = d.size
        m = float(d.mean())
        h = 1.96 * float(d.std(ddof=1)) / math.sqrt(n) if n > 1 else float("nan")
        bm = float(b.mean())
        out[k] = {"baseline": round(bm, 4), "variant": round(float(v.mean()), 4), "diff": round(m, 4),
                  "ci": [round(m - h, 4), round(m + h, 4)] if np.isfinite(h) else [None, None],
                  "relative": round(m / bm, 4) if abs(bm) > 1e-9 else None,
                  "significant": bool(np.isfinite(h) and (m - h > 0 or m + h < 0))}
    return out


# ----------------------------------------------------------------------------- output

LABELS = {
    "vp_margin": "VP margin UA - RU",
    "win.ua": "UA wins (share)", "win.ru": "RU wins (share)", "win.draw": "draws (share)",
    "hexes.ru_gain": "RU net hexes gained",
    "hexes.ru_gain_after_day2": "RU net gain after day 2",
    "hexes.urban_taken": "urban hexes RU took (net)",
    "hexes.ru_gain_good_weather": "RU net gain on frost/fog days",
    "hexes.ru_gain_bad_weather": "RU net gain on snow/thaw days",
    "days.good_weather": "frost/fog days", "days.bad_weather": "snow/thaw days",
}


def label(key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    parts = key.split(".")
    if parts[0] == "casualties":
        return f"{parts[1].upper()} casualties, {parts[2].replace('_', ' ')}"
    if parts[0] == "supply":
        return f"supply to UA in {parts[1]}, {parts[2]}"
    if parts[0] == "isolated_unit_days":
        return f"{parts[1].upper()} isolated unit-days"
    if parts[0] == "assaults":
        what = {"fought": "attacks on defended hexes", "won": "attacks that took the hex (D/X)",
                "blind": "blind attacks", "attacker_loss": "losses attacking defended hexes",
                "success": "share of attacks won", "loss_each": "loss per attack fought"}[parts[2]]
        return f"{parts[1].upper()} {what}"
    if parts[0] == "robot_runs":
        return f"{parts[1].upper()} robot runs {parts[2]}"
    return key


def format_table(cmp: dict[str, dict], show_all: bool = True) -> list[str]:
    wid = max([len("figure")] + [len(label(k)) for k in cmp])
    lines = [f"{'figure':<{wid}} {'baseline':>9} {'variant':>9} {'difference':>11}   95% interval      change",
             "-" * (wid + 62)]
    for k, c in cmp.items():
        share = k.startswith("win.") or k.endswith(".success")
        fmt = (lambda x: "-" if x is None else f"{x:.0%}") if share else (lambda x: "-" if x is None else f"{x:.1f}")
        dfmt = (lambda x: "-" if x is None else f"{x:+.0%}") if share else (lambda x: "-" if x is None else f"{x:+.1f}")
        rel = "" if c["relative"] is None or share else f"{c['relative']:+.0%}"
        mark = " *" if c["significant"] else ""
        lines.append(f"{label(k):<{wid}} {fmt(c['baseline']):>9} {fmt(c['variant']):>9} {dfmt(c['diff']):>11}   "
                     f"[{dfmt(c['ci'][0])}, {dfmt(c['ci'][1])}]".ljust(wid + 50) + f"{rel:>7}{mark}")
    lines.append("* the 95% interval of the paired difference excludes zero")
    return lines
