"""The planner's combat arithmetic: what an attack is expected to give, from the side's
knowledge, with the rules' own scalar helpers (rules/belief.py)."""

from __future__ import annotations

import numpy as np

from pokrovsk_tui.rules.belief import (
    crt_columns,
    crt_probs,
    die_modifier,
    going_chances,
    loss_means,
    position_factor,
    unit_attack_power,
)
from pokrovsk_tui.rules.estimates import assumed_entrenchments
from pokrovsk_tui.rules.params import TERRAINS, WEATHERS

from .situation import Situation

URBAN = TERRAINS.index("urban")
R, E, D, X = range(4)          # combat results, in RESULTS order


def going(world, weather: int) -> float:
    """Doctrine: ground taken across snow or mud is worth less to the commander (the units
    arrive spent and strung out and cannot consolidate before the next counter-attack):
    1 / (off-road MP multiplier)^2, so 1 in frost or fog."""
    if not world.scenario.ai.weather_doctrine:          # switched off for a what-if question
        return 1.0
    return 1.0 / world.params.weather[WEATHERS[weather]].offroad_mp_mult ** 2


def attack_power(sit: Situation, units) -> float:
    ap = sit.extra.get("ap")
    if ap is None:
        v = sit.view
        ap = np.where(v.own, unit_attack_power(sit.world, v.strength, v.cohesion, v.supply), 0.0).tolist()
        sit.extra["ap"] = ap
    return float(sum(ap[u] for u in units))


def _strength(sit: Situation, units) -> float:
    """Own strength of a group (summed unit after unit, as numpy sums a few numbers)."""
    st = sit.extra.get("strength_list")
    if st is None:
        st = sit.extra["strength_list"] = sit.view.strength.tolist()
    total = st[units[0]]
    for u in units[1:]:
        total += st[u]
    return float(total)


def _assumed_entrench(sit: Situation, h: int) -> int:
    """What entrenchment the planner expects enemy defenders to have on a hex (the previews'
    assumption, rules/belief.py), from a table of every hex made once per world."""
    row = sit.extra.get("assumed_row")
    if row is None:
        row = sit.extra["assumed_row"] = sit.world.derived(_assumed_table)[sit.enemy]
    return row[h]


def _assumed_table(world) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``assumed_entrenchment(world, enemy, h)`` for every hex, by enemy side (UA, RU)."""
    return tuple(assumed_entrenchments(world, 0).tolist()), tuple(assumed_entrenchments(world, 1).tolist())


def _memo(sit: Situation, table: str, key, compute):
    """``compute()`` once per situation and key (the situation is one side's one day)."""
    cache = sit.extra.setdefault(table, {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def defence_known(sit: Situation, h: int) -> tuple[float, float]:
    """(defence power, strength) of the enemy combat units seen on the hex (recent sightings)."""
    return _memo(sit, "def_known", h, lambda: _defence_known(sit, h))


def _defence_known(sit: Situation, h: int) -> tuple[float, float]:
    w, p = sit.world, sit.world.params
    sel = sit.recent_by_hex.get(int(h))       # the recent contacts on the hex, in contact order
    if sel is None:
        return 0.0, 0.0
    e = sit.c_dug[sel]
    u = sit.c_unit[sel]
    s = sit.c_str[sel] * np.where(sit.c_age[sel] == 0, 1.0, 0.8)
    dp = s * w.t_defence[w.u_type[u]] * position_factor(p, w, h, e)
    return float(dp.sum()), float(s.sum())


def defences_known(sit: Situation, hexes: list[int]) -> None:
    """``defence_known`` of many hexes at once, into its memo: the recent contacts of every
    hex asked about go through the same element-wise arithmetic as one array, and each hex's
    two sums are taken over its own contacts in contact order (``_few_sum``)."""
    memo = sit.extra.setdefault("def_known", {})
    by_hex = sit.recent_by_hex
    hs: list[int] = []
    sels: list[np.ndarray] = []
    for h in hexes:
        if h in memo:
            continue
        sel = by_hex.get(h)
        if sel is None:
            memo[h] = (0.0, 0.0)
        else:
            hs.append(h)
            sels.append(sel)
    if not hs:
        return
    w, p = sit.world, sit.world.params
    sizes = [sel.size for sel in sels]
    sel = np.concatenate(sels)
    e = sit.c_dug[sel]
    u = sit.c_unit[sel]
    s = sit.c_str[sel] * np.where(sit.c_age[sel] == 0, 1.0, 0.8)
    dp = s * w.t_defence[w.u_type[u]] * position_factor(p, w, np.repeat(np.array(hs, np.int64), sizes), e)
    dp_l, s_l = dp.tolist(), s.tolist()
    i = 0
    for h, k in zip(hs, sizes, strict=True):
        memo.setdefault(h, (_few_sum(dp_l, i, k), _few_sum(s_l, i, k)))
        i += k


def _few_sum(x: list[float], i: int, k: int) -> float:
    """``float(np.array(x[i:i + k]).sum())``: below 8 numbers numpy adds them one after the
    other from the first, as done here; from 8 on its own (pairwise) sum is asked."""
    if k >= 8:
        return float(np.array(x[i:i + k]).sum())
    total = x[i]
    for j in range(i + 1, i + k):
        total += x[j]
    return total


def _hidden_defence(sit: Situation, h: int) -> tuple[float, float]:
    """(defence, strength) of one typical unseen enemy combat unit on the hex."""
    return _memo(sit, "hidden_def", h, lambda: _hidden_defence1(sit, h))


def _hidden_defence1(sit: Situation, h: int) -> tuple[float, float]:
    w, p = sit.world, sit.world.params
    est = sit.unseen
    if est.slot < 0:
        return 0.0, 0.0
    s = est.strength
    d = s * est.defence_type * position_factor(p, w, h, _assumed_entrench(sit, h))
    return d, s


def assault_outlook(sit: Situation, units: list[int], h: int, kind: str, hidden: bool = True) -> dict:
    """Expected outcome of an attack from the side's knowledge: P(R, E, D, X) ("p", and
    "p_list" the same as Python floats), losses."""
    key = (h, tuple(units), kind, hidden)
    cache = sit.extra.setdefault("outlook", {})
    if key not in cache:
        assault_outlooks(sit, [(units, h, kind)], hidden)
    return cache[key]


def assault_outlooks(sit: Situation, attacks: list[tuple[list[int], int, str]], hidden: bool = True) -> None:
    """``assault_outlook`` of many attacks (units, hex, kind) at once, into its memo: the
    loss means of every attack go through the rules' ``loss_means`` as one array (each
    element is worked out exactly as for one attack alone)."""
    w = sit.world
    p = w.params
    cache = sit.extra.setdefault("outlook", {})
    todo = []
    seen = set()
    for units, h, kind in attacks:
        key = (h, tuple(units), kind, hidden)
        if key not in cache and key not in seen:
            seen.add(key)
            todo.append((key, units, h, kind))
    if not todo:
        return
    crt = sit.extra.setdefault("crt_probs", {})
    p_go = sit.extra.setdefault("p_go", {})
    own_hex = sit.view.hex
    line_est = sit.line_est
    go_row = None
    parts = []          # per attack: its fields and its cases (weight, CRT row or None, loss-mean column)
    fights: list[tuple] = []   # (s_att, s_def, a, d, infil, blind) of every case that fights
    known = sit.extra.setdefault("def_known", {})        # defence_known's memo
    mods: dict[bool, int] = {}                           # die_modifier by infiltration
    for key, units, h, kind in todo:
        a = attack_power(sit, units)
        s_att = _strength(sit, units) if len(units) else 0.0
        d0, s0 = known[h] if h in known else defence_known(sit, h)
        infil = kind == "infiltrate"
        mod = mods.get(infil)
        if mod is None:
            mod = mods[infil] = die_modifier(p, sit.weather, infil)
        cases = []
        ph = float(sit.p_hidden_defender[h]) if (hidden and d0 == 0) else 0.0
        if d0 > 0:
            cases.append((1.0, d0, s0, False))
        else:                                        # a defender there would be one not seen: blind
            cases.append((1.0 - ph, 0.0, 0.0, False))
            if ph > 0:
                dh, sh = _hidden_defence(sit, h)
                cases.append((ph, dh, sh, True))
        done: list[tuple] = []   # (weight, CRT row or outcome index, index into fights or None)
        for wgt, d, s, blind in cases:
            if wgt <= 0:
                continue
            if d <= 0:
                # an empty hex is walked into, unless a held line covers it and every attacker
                # stands on that line already
                line = bool(line_est[h]) and all(bool(line_est[own_hex[u]]) for u in units)
                done.append((wgt, R if line else D, None))
                continue
            m = mod + (p.blind_assault_mod if blind else 0)
            done.append((wgt, m, len(fights)))
            fights.append((s_att, s, a, d, infil, blind))
        if h not in p_go:
            if go_row is None:
                go_row = _memo(sit, "going_row", sit.weather, lambda: going_chances(p, w, sit.weather).tolist())
            p_go[h] = go_row[h]
        parts.append((key, done, d0, s0, ph, a))
    if fights:
        s_att_, s_def_, a_, d_, infil_, blind_ = (np.array(x) for x in zip(*fights, strict=True))
        # the CRT column of every fight at once (each as crt_column_at gives it alone)
        cols = crt_columns(p, a_ / d_)
        m_att, m_def = loss_means(p, np.array([sit.weather]), s_att_[None, :], s_def_[None, :], a_[None, :],
                                  d_[None, :], infil_, blind_[None, :])
        m_att, m_def = m_att[0].tolist(), m_def[0].tolist()
    crt_l = sit.extra.setdefault("crt_lists", {})   # the CRT rows as Python floats
    for key, done, d0, s0, ph, a in parts:
        h = key[0]
        # (the sums numpy would make of np.zeros(4), element by element, in Python floats)
        pr = [0.0, 0.0, 0.0, 0.0]
        la = ld = 0.0
        for wgt, row, i in done:
            if i is None:
                pr[row] += wgt
                continue
            cm = (cols[i], row)                      # row: the die modifier of a fight
            c = crt_l.get(cm)
            if c is None:
                if cm not in crt:
                    crt[cm] = crt_probs(p, *cm)
                c = crt_l[cm] = crt[cm].tolist()
            pr = [pr[0] + wgt * c[0], pr[1] + wgt * c[1], pr[2] + wgt * c[2], pr[3] + wgt * c[3]]
            la += wgt * m_att[i]
            ld += wgt * m_def[i]
        probs = np.array(pr)
        ratio = a / d0 if d0 > 0 else float("inf")
        cache[key] = {"p": probs, "p_list": pr, "att_loss": la, "def_loss": ld, "ratio": ratio, "def_str": s0,
                      "p_hidden": ph, "attack": a, "p_go": p_go[h]}
