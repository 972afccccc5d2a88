"""Headless tournaments: many games between two policies, in parallel processes, with
statistics (95% intervals), a CSV of one row per game and the calibration figures.

Game *i* of a run uses seed S + i and nothing else random, so a game's result is the same in
whatever process it is played: the output does not depend on ``jobs``.
"""

from __future__ import annotations

import csv
import math
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

import numpy as np

from pokrovsk_tui.game.loop import policy_for
from pokrovsk_tui.game.sim import SIDE_KEYS, play_game
from pokrovsk_tui.rules.params import WEATHERS
from pokrovsk_tui.rules.world import CAUSES, World, build_world

CLEAR = ("frost", "fog")         # the days without snow or mud
BAD = ("snow", "thaw")          # frost/snow spells: the days assaults stall

# the calibration bands of the design rules (main scenario, normal vs normal)
BANDS = {
    "drone_share": (0.60, 0.80, "share of all casualties caused by drones (FPV, bomber, kill zone)"),
    "glide_bomb_artillery_share": (0.15, 0.30, "glide bombs + artillery share of all casualties"),
    "ru_net_gain": (8.0, 40.0, "RU net gain over the game (hexes)"),
    "casualty_ratio": (1.5, 5.0, "RU:UA casualty ratio"),
    "bad_weather_advance": (0.0, 0.70, "RU advance per snow/thaw day / per frost or fog day"),
}


@dataclass
class Outcome:
    """One game: the ``sim.game_result`` dict plus what the calibration needs."""

    result: dict
    ru_start: int
    gain_by_weather: dict[str, float] = field(default_factory=dict)   # RU net hexes gained per weather
    days_by_weather: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ru_gain(self) -> int:
        return int(self.result["hexes"]["ru"] - self.ru_start)


# ----------------------------------------------------------------------------- playing

_WORLD: dict[str, World] = {}


def _world(ref: str) -> World:
    if ref not in _WORLD:
        from pokrovsk_tui.store.scenarios import load_scenario

        _WORLD[ref] = build_world(load_scenario(ref))
    return _WORLD[ref]


def play_one(world: World, ua: str, ru: str, seed: int, turns: int | None = None) -> Outcome:
    t0 = time.perf_counter()
    ru0 = int((world.initial_control == 1).sum())
    gains: dict[str, float] = {}
    days: dict[str, int] = {}
    last = [ru0]

    def on_turn(tr) -> None:
        now = int((tr.state.control == 1).sum())
        wname = WEATHERS[int(tr.state.weather)]
        gains[wname] = gains.get(wname, 0.0) + (now - last[0])
        days[wname] = days.get(wname, 0) + 1
        last[0] = now

    rec = play_game(world, (policy_for(ua), policy_for(ru)), seed=seed, max_turns=turns, on_turn=on_turn)
    return Outcome(rec.result(), ru0, gains, days, time.perf_counter() - t0)


def _job(args) -> tuple[int, Outcome]:
    ref, ua, ru, seed, turns, i = args
    return i, play_one(_world(ref), ua, ru, seed, turns)


def run(ref: str, ua: str, ru: str, games: int, seed: int = 1, turns: int | None = None, jobs: int = 1,
        progress: Callable[[int, int], None] | None = None, world: World | None = None,
        scheduler: str | None = None, out: str | None = None) -> list[Outcome]:
    """Play ``games`` games (seeds seed..seed+games-1), in ``jobs`` processes; results in seed order.

    ``scheduler``: on the Dask cluster at that address instead; ``out``: stream each finished
    game to that JSON-lines file and, when it already holds some of them, play only the rest
    (pokrovsk_tui.game.sweep). The results are the same either way."""
    if scheduler is not None or out is not None:
        return _swept(ref, ua, ru, games, seed, turns, jobs, progress, world, scheduler, out)
    tasks = [(ref, ua, ru, seed + i, turns, i) for i in range(games)]
    out_: list[Outcome | None] = [None] * games
    done = 0
    if world is not None:
        _WORLD[ref] = world          # the forked workers inherit it
    if jobs <= 1 or games <= 1:
        for t in tasks:
            i, o = _job(t)
            out_[i] = o
            done += 1
            if progress:
                progress(done, games)
    else:
        import multiprocessing as mp

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as ex:
            futs = [ex.submit(_job, t) for t in tasks]
            for f in as_completed(futs):
                i, o = f.result()
                out_[i] = o
                done += 1
                if progress:
                    progress(done, games)
    return [o for o in out_ if o is not None]


def sweep_game(key: str, data: dict, ua: str, ru: str, seed: int, turns: int | None) -> dict:
    """One game of a sweep, on whatever process or machine: its Outcome as JSON data."""
    from dataclasses import asdict

    from pokrovsk_tui.game.sweep import world_of

    o = play_one(world_of(key, data), ua, ru, seed, turns)
    d = asdict(o)
    d.pop("seconds")                 # the one figure that is not a function of the game
    return d


def _swept(ref, ua, ru, games, seed, turns, jobs, progress, world, scheduler, out) -> list[Outcome]:
    from pokrovsk_tui.game import sweep

    if world is None:
        world = _world(ref)
    key, data = sweep.payload(world.scenario)
    sweep.world_of(key, data, world)             # local runs (and forked processes) reuse it
    header = {"kind": "tournament", "scenario": key, "ua": ua, "ru": ru, "turns": turns}
    tasks = [(f"seed {seed + i}", (key, data, ua, ru, seed + i, turns)) for i in range(games)]
    res = sweep.run_tasks(tasks, sweep_game, header=header, scheduler=scheduler, out=out, jobs=jobs,
                          progress=progress)
    return [Outcome(**res[k]) for k, _ in tasks]


# ----------------------------------------------------------------------------- statistics

def wilson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion k/n (``scipy.stats.binomtest``)."""
    if n == 0:
        return 0.0, 1.0
    from scipy.stats import binomtest

    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return max(0.0, float(ci.low)), min(1.0, float(ci.high))


def mean_ci(x, z: float = 1.96) -> tuple[float, float, float]:
    """Mean and its normal-approximation 95% interval."""
    a = np.asarray(x, float)
    if a.size == 0:
        return 0.0, 0.0, 0.0
    m = float(a.mean())
    if a.size < 2:
        return m, m, m
    h = z * float(a.std(ddof=1)) / math.sqrt(a.size)
    return m, m - h, m + h


def bootstrap_ci(x, stat=np.median, reps: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """The statistic and its percentile-bootstrap 95% interval (``scipy.stats.bootstrap``,
    ``reps`` resamples from a generator seeded with ``seed``: the same figures every run)."""
    a = np.asarray(x, float)
    if a.size == 0:
        return 0.0, 0.0, 0.0
    m = float(stat(a))
    if a.size < 2 or np.all(a == a[0]):      # one value, or all alike: nothing to resample
        return m, m, m
    from scipy.stats import bootstrap

    res = bootstrap((a,), stat, n_resamples=reps, method="percentile", vectorized=True,
                    rng=np.random.Generator(np.random.PCG64(seed)))
    return m, float(res.confidence_interval.low), float(res.confidence_interval.high)


def binom_sf(k: int, n: int, p: float = 0.5) -> float:
    """P(X >= k) for X ~ Binomial(n, p): a one-sided sign test (``scipy.stats.binomtest``)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    from scipy.stats import binomtest

    return float(binomtest(int(k), int(n), p, alternative="greater").pvalue)


def stats(outcomes: list[Outcome]) -> dict:
    """Win rates (Wilson), VP margin, casualties by cause and hexes taken (95% intervals)."""
    n = len(outcomes)
    res = [o.result for o in outcomes]
    wins = {k: sum(r["winner"] == k for r in res) for k in ("ua", "ru", "draw")}
    out: dict = {"games": n, "wins": {}, "margin": None, "casualties": {}, "ru_net_gain": None}
    for k, c in wins.items():
        lo, hi = wilson(c, n)
        out["wins"][k] = {"n": c, "rate": c / n if n else 0.0, "ci": [lo, hi]}
    out["margin"] = _ci3(mean_ci([r["vp"]["ua"] - r["vp"]["ru"] for r in res]))
    for s in SIDE_KEYS:
        out["casualties"][s] = {c: _ci3(mean_ci([r["casualties"][s][c] for r in res])) for c in CAUSES}
        out["casualties"][s]["total"] = _ci3(mean_ci([sum(r["casualties"][s].values()) for r in res]))
    out["ru_net_gain"] = _ci3(mean_ci([o.ru_gain for o in outcomes]))
    return out


def _ci3(t: tuple[float, float, float]) -> dict:
    return {"mean": round(t[0], 3), "ci": [round(t[1], 3), round(t[2], 3)]}


def calibration(outcomes: list[Outcome]) -> dict:
    """The calibration figures of the design rules: per-game values, their medians (with a
    bootstrap 95% interval) and whether the median is inside its band."""
    per: dict[str, list[float]] = {k: [] for k in BANDS}
    g_clear = d_clear = g_bad = d_bad = 0.0
    for o in outcomes:
        cas = o.result["casualties"]
        tot = sum(sum(cas[s].values()) for s in SIDE_KEYS) or 1e-9
        drone = sum(cas[s]["drone"] for s in SIDE_KEYS)
        gba = sum(cas[s]["glide_bomb"] + cas[s]["artillery"] for s in SIDE_KEYS)
        per["drone_share"].append(drone / tot)
        per["glide_bomb_artillery_share"].append(gba / tot)
        per["ru_net_gain"].append(float(o.ru_gain))
        ua = sum(cas["ua"].values())
        per["casualty_ratio"].append(sum(cas["ru"].values()) / max(ua, 1e-9))
        gc = sum(o.gain_by_weather.get(w, 0.0) for w in CLEAR)
        dc = sum(o.days_by_weather.get(w, 0) for w in CLEAR)
        gb = sum(o.gain_by_weather.get(w, 0.0) for w in BAD)
        db = sum(o.days_by_weather.get(w, 0) for w in BAD)
        g_clear += gc
        d_clear += dc
        g_bad += gb
        d_bad += db
        if dc and db:
            per["bad_weather_advance"].append((gb / db) / (gc / dc) if gc > 0 else float("nan"))
    out = {}
    for k, (lo, hi, what) in BANDS.items():
        vals = [v for v in per[k] if np.isfinite(v)]
        if k == "bad_weather_advance":
            # pooled over all games: (RU gain per bad day) / (RU gain per clear day)
            rate_c = g_clear / d_clear if d_clear else float("nan")
            rate_b = g_bad / d_bad if d_bad else float("nan")
            med = rate_b / rate_c if rate_c and rate_c > 0 else float("nan")
            ci = _pooled_ratio_ci(outcomes)
            out[k] = {"what": what, "band": [lo, hi], "value": _r(med), "ci": [_r(ci[0]), _r(ci[1])],
                      "per_clear_day": _r(rate_c), "per_bad_day": _r(rate_b), "games": len(outcomes),
                      "inside": bool(np.isfinite(med) and lo <= med <= hi)}
            continue
        m, a, b = bootstrap_ci(vals) if vals else (float("nan"),) * 3
        out[k] = {"what": what, "band": [lo, hi], "value": _r(m), "ci": [_r(a), _r(b)], "games": len(vals),
                  "inside": bool(np.isfinite(m) and lo <= m <= hi)}
    return out


def _pooled_ratio_ci(outcomes: list[Outcome], reps: int = 2000) -> tuple[float, float]:
    """Percentile-bootstrap 95% interval of the pooled ratio (RU gain per bad day) / (RU gain
    per clear day), games resampled whole (``scipy.stats.bootstrap``, paired); resamples where
    the ratio is undefined are left out."""
    if len(outcomes) < 2:
        return float("nan"), float("nan")
    cols = np.array([[sum(o.gain_by_weather.get(w, 0.0) for w in CLEAR), sum(o.days_by_weather.get(w, 0) for w in CLEAR),
                      sum(o.gain_by_weather.get(w, 0.0) for w in BAD), sum(o.days_by_weather.get(w, 0) for w in BAD)]
                     for o in outcomes], float).T
    from scipy.stats import bootstrap

    def ratio(gc, dc, gb, db, axis=-1):
        with np.errstate(divide="ignore", invalid="ignore"):
            return (gb.sum(axis=axis) / db.sum(axis=axis)) / (gc.sum(axis=axis) / dc.sum(axis=axis))

    with np.errstate(divide="ignore", invalid="ignore"):
        res = bootstrap(tuple(cols), ratio, n_resamples=reps, paired=True, vectorized=True, method="percentile",
                        rng=np.random.Generator(np.random.PCG64(1)))
    # a resample without clear-day gain has no ratio: the percentiles are of the others
    r = res.bootstrap_distribution
    r = r[np.isfinite(r)]
    if r.size == 0:
        return float("nan"), float("nan")
    return float(np.percentile(r, 2.5)), float(np.percentile(r, 97.5))


def _r(x: float) -> float | None:
    return round(float(x), 4) if x is not None and np.isfinite(x) else None


# ----------------------------------------------------------------------------- output

CSV_FIELDS = (["seed", "ua_policy", "ru_policy", "winner", "turns", "vp_ua", "vp_ru", "vp_margin"]
              + [f"cas_{s}_{c}" for s in SIDE_KEYS for c in CAUSES]
              + ["cas_ua_total", "cas_ru_total", "hexes_ua", "hexes_ru", "hexes_contested", "ru_net_gain",
                 "ru_gain_clear_days", "clear_days", "ru_gain_bad_days", "bad_days"])


def write_csv(path: str, outcomes: list[Outcome], ua: str, ru: str) -> None:
    """One row per game; written to a temporary file beside ``path`` and moved into place."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(CSV_FIELDS)
        for o in outcomes:
            r = o.result
            row = [r["seed"], ua, ru, r["winner"], r["turns"], r["vp"]["ua"], r["vp"]["ru"],
                   round(r["vp"]["ua"] - r["vp"]["ru"], 2)]
            row += [r["casualties"][s][c] for s in SIDE_KEYS for c in CAUSES]
            row += [round(sum(r["casualties"][s].values()), 2) for s in SIDE_KEYS]
            row += [r["hexes"]["ua"], r["hexes"]["ru"], r["hexes"]["contested"], o.ru_gain]
            row += [sum(o.gain_by_weather.get(w, 0.0) for w in CLEAR), sum(o.days_by_weather.get(w, 0) for w in CLEAR),
                    sum(o.gain_by_weather.get(w, 0.0) for w in BAD), sum(o.days_by_weather.get(w, 0) for w in BAD)]
            wr.writerow(row)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def format_stats(st: dict) -> list[str]:
    n = st["games"]
    lines = [f"{'figure':<28} {'mean':>9}   95% interval", "-" * 58]
    for k, label in (("ua", "UA wins"), ("ru", "RU wins"), ("draw", "draws")):
        w = st["wins"][k]
        lines.append(f"{label:<28} {w['rate']:>8.0%}   [{w['ci'][0]:.0%}, {w['ci'][1]:.0%}]  ({w['n']} of {n})")
    m = st["margin"]
    lines.append(f"{'VP margin UA - RU':<28} {m['mean']:>9.1f}   [{m['ci'][0]:.1f}, {m['ci'][1]:.1f}]")
    g = st["ru_net_gain"]
    lines.append(f"{'RU net hexes taken':<28} {g['mean']:>9.1f}   [{g['ci'][0]:.1f}, {g['ci'][1]:.1f}]")
    for s in SIDE_KEYS:
        for c in (*CAUSES, "total"):
            x = st["casualties"][s][c]
            lines.append(f"{f'{s.upper()} casualties, {c}':<28} {x['mean']:>9.1f}   [{x['ci'][0]:.1f}, {x['ci'][1]:.1f}]")
    return lines


def format_calibration(cal: dict) -> list[str]:
    wid = max([len("calibration figure")] + [len(c["what"]) for c in cal.values()])
    lines = [f"{'calibration figure':<{wid}} {'band':>11} {'measured':>9}   95% interval   ", "-" * (wid + 42)]
    for k, c in cal.items():
        lo, hi = c["band"]
        pct = k.endswith("share") or k == "bad_weather_advance"
        fmt = (lambda x: "-" if x is None else f"{x:.0%}") if pct else (lambda x: "-" if x is None else f"{x:.1f}")
        band = f"{fmt(lo)}-{fmt(hi)}" if k != "bad_weather_advance" else f"<= {fmt(hi)}"
        ok = "inside" if c["inside"] else "OUTSIDE"
        lines.append(f"{c['what']:<{wid}} {band:>11} {fmt(c['value']):>9}   [{fmt(c['ci'][0])}, {fmt(c['ci'][1])}]  {ok}")
    return lines
