"""The words of the panels: header, hex, unit, allocation, results and victory, as Rich
Text built from a side's view (or the truth once the game is over). Pure, no widgets."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from rich.text import Text

from pokrovsk_tui.game.session import SIDE_NAMES, GameSession
from pokrovsk_tui.rules.budgets import Budget
from pokrovsk_tui.rules.digging import dig_odds
from pokrovsk_tui.rules.events import Event
from pokrovsk_tui.rules.explain import explain
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.params import TERRAINS, WEATHERS
from pokrovsk_tui.rules.state import GameState
from pokrovsk_tui.rules.view import SideView, band_middle, band_shown, knowledge_at
from pokrovsk_tui.rules.world import CAUSES, ROLES, World

from . import glyphs as G
from .labels import settlement_of
from .order_keys import ACTIONS
from .overlays import Overlay

SIDE_STYLE = ("bold #6fa8ff", "bold #ff7a7a")
CONTROL_NAMES = ("Ukrainian", "Russian", "contested")
SIDES_SHORT = ("UA", "RU")
CAUSE_NAMES = {"drone": "drones", "glide_bomb": "glide bombs", "artillery": "artillery", "ground": "ground combat",
               "attrition": "attrition (isolation, kill zone on the move)"}


def header(session: GameSession, side: int | None, note: str = "", width: int | None = None) -> Text:
    """The line atop the game screen. When ``width`` is given and the whole line does not fit,
    it is shortened step by step (the scenario title first, then the wording), never losing
    either side's VP, the margin or the talks countdown."""
    for level in range(5):
        t = _header(session, side, note, level)
        if width is None or t.cell_len <= width:
            return t
    return t


def _header(session: GameSession, side: int | None, note: str, level: int) -> Text:
    w = session.world
    st = session.state
    scn = w.scenario
    t = Text()
    if session.over:
        t.append(" GAME OVER " if level < 3 else " OVER ", style="bold reverse")
    elif side is None:
        t.append(" Watching " if level < 3 else " Watch ", style="bold reverse")
    else:
        t.append(f" {SIDE_NAMES[side]} to move " if level < 3 else f" {SIDES_SHORT[side]} ",
                 style=f"{SIDE_STYLE[side]} reverse")
        p = session.players[side]
        if p.human and p.name and level < 4:
            t.append(f" {p.name}")
    turn = min(session.turn, scn.turns)
    date = session.date_of(turn)
    if level < 2:
        t.append(f"  Day {turn}/{scn.turns}, {date.strftime('%d %b %Y')}  ")
    else:
        t.append(f" D{turn}/{scn.turns} {date.strftime('%d %b')} ")
    wx = int(st.weather)
    nxt = int(w.weather_script[turn - 1]) if turn - 1 < len(w.weather_script) else -1
    if session.over or nxt < 0:
        t.append(WEATHERS[wx] if wx >= 0 else WEATHERS[w.weather_initial], style="bold")
        if not session.over and level < 2:
            t.append(" (yesterday)", style="dim")
    else:
        t.append(WEATHERS[nxt], style="bold")
        if level < 2:
            t.append(" (forecast)", style="dim")
    t.append("   VP " if level < 2 else " VP ")
    t.append("UA ", style=SIDE_STYLE[0])
    t.append(f"{st.vp[0]:.1f} " if level < 3 else f"{st.vp[0]:.0f} ")
    t.append("RU ", style=SIDE_STYLE[1])
    t.append(f"{st.vp[1]:.1f}" if level < 3 else f"{st.vp[1]:.0f}")
    t.append(f" (margin {scn.victory.margin:g})" if level < 3 else f" m{scn.victory.margin:g}", style="dim")
    talks = scn.victory.talks_turn
    if talks and 0 <= talks - turn <= 3 and not session.over:
        if talks == turn:
            t.append(" talks day!", style="bold yellow")
        else:
            t.append(f" talks in {talks - turn}d" if level < 3 else f" talks {talks - turn}d", style="bold yellow")
    if note:
        t.append(f"  {note}" if level < 3 else f" {note}", style="italic")
    if level == 0:
        t.append(f"  {scn.title}", style="dim")
    return t


def _features(world: World, h: int) -> list[str]:
    out = []
    if h in world.hex_names:
        out.append(world.hex_names[h])
    elif h in settlement_of(world):
        out.append(f"{settlement_of(world)[h]} (built-up area)")
    if world.road[h]:
        out.append(("highway " if world.highway[h] else "road ") + world.road_names.get(h, ""))
    if world.rail[h]:
        out.append("rail")
    for ob, hexes in zip(world.scenario.objectives, world.objective_hexes, strict=True):
        if h in hexes:
            per = ob.vp / len(hexes) if ob.kind == "hold" else ob.vp
            out.append(f"objective: {ob.name} ({round(per, 2):g} VP a day)")
    for s in world.scenario.supply_sources:
        if world.grid.index(s.hex) == h:
            out.append(f"{s.side.upper()} supply source: {s.name} ({s.capacity:g} a day)")
    return out


def unit_line(world: World, u: int, strength: float, extra: str = "") -> Text:
    role = ROLES[world.u_role[u]]
    side = int(world.u_side[u])
    t = Text()
    o, c = G.SIDE_BRACKETS[side]
    t.append(f"{o}{G.unit_letter(role, side)}{G.strength_digit(strength, float(world.u_full[u]))}{c}",
             style=SIDE_STYLE[side])
    t.append(f" {world.unit_ids[u]} {G.ROLE_NAME[role]} {strength:.0f}/{world.u_full[u]:.0f}")
    if extra:
        t.append(f" {extra}", style="dim")
    return t


def hex_panel(world: World, h: int, control: np.ndarray, view: SideView | None, truth: GameState | None,
              overlay: Overlay | None = None) -> Text:
    g = world.grid
    t = Text()
    terr = TERRAINS[int(world.terrain[h])]
    t.append(f"Hex {g.hex_id(h)}", style="bold")
    t.append(f"  {G.TERRAIN_GLYPH[terr]} {G.TERRAIN_NAME[terr]}")
    c = int(control[h])
    t.append(f"\nControl: {CONTROL_NAMES[c]}", style=SIDE_STYLE[c] if c < 2 else "bold #c79cff")
    if world.passable[h]:
        t.append(f"  move {world.move_cost[h]:g} MP", style="dim")
    for f in _features(world, h):
        t.append(f"\n{f}")
    if overlay is not None:
        t.append(f"\n{overlay.name}: {overlay.value[h]:.2f} {overlay.unit}", style="italic")
    if truth is not None:
        units = np.flatnonzero(truth.on_map & (truth.hex == h))
        for u in units:
            t.append("\n")
            t.append_text(unit_line(world, int(u), float(truth.strength[u])))
    elif view is not None:
        for u in view.own_units:
            if int(view.hex[u]) == h:
                t.append("\n")
                t.append_text(unit_line(world, int(u), float(view.strength[u])))
        for ct in view.contacts:
            if ct.hex == h:
                u = world.unit_index[ct.unit]
                role = ROLES[world.u_role[u]]
                side = int(world.u_side[u])
                t.append("\n")
                full = float(world.u_full[u])
                lo, hi = band_shown(ct.band, full)
                if ct.current:
                    o, cl = G.SIDE_BRACKETS[side]
                    digit = G.strength_digit(band_middle(ct.band, full), full)
                    t.append(f"{o}{G.unit_letter(role, side)}{digit}{cl}", style=SIDE_STYLE[side])
                    t.append(f" enemy {G.ROLE_NAME[role]}, strength {lo}-{hi} of {full:.0f}")
                    if ct.dug_in:
                        t.append(f", dug in: {G.POSTURES[ct.dug_in]}")
                else:
                    t.append(f"({G.unit_letter(role, side)}?)", style="dim")
                    t.append(f" last seen day {ct.seen_turn}: {G.ROLE_NAME[role]}, {lo}-{hi} of {full:.0f}",
                             style="dim")
    return t


def unit_panel(world: World, u: int | None, view: SideView | None, truth: GameState | None,
               orders: list[Order], actions: list[str] | None = None) -> Text:
    t = Text()
    if u is None:
        t.append("No unit selected.\n", style="dim")
        t.append("Move the cursor onto one of your units and press Enter, or Tab for the next unit.",
                 style="dim")
        return t
    src = truth if truth is not None else view
    assert src is not None
    side = int(world.u_side[u])
    role = ROLES[world.u_role[u]]
    ty = world.u_type[u]
    t.append_text(unit_line(world, u, float(src.strength[u])))
    mine = [o for o in orders if o.unit == world.unit_ids[u]]
    if truth is None:
        t.append("\nOrders: ", style="bold")
        if mine:
            t.append("; ".join(o.describe().split(": ", 1)[-1] for o in mine))
        else:
            t.append("none (holds" + (", patrols" if role == "drone" else "") + ")", style="dim")
    if actions:
        t.append("\nKeys: ", style="bold")
        t.append("  ".join(f"{ACTIONS[k][0]} {ACTIONS[k][1].lower()}" for k in actions))
    t.append(f"\n{world.unit_names[u]}", style="italic")
    ent = int(src.entrench[u])
    t.append(f"\nCohesion {src.cohesion[u]:.0f}  Supply {src.supply[u]:.0f}")
    if src.supply[u] < world.params.low_supply:
        t.append(" LOW", style="bold red")
    top = max(ent, world.params.max_entrenchment)          # how deep digging in can go here
    t.append(f"\nDug in {ent}/{top} ({G.POSTURES[min(ent, 3)]})  MP {world.t_mp[ty]:g}")
    if 0 < dig_odds(world.params, ent) < 1:
        t.append(f"\nDigging in: {dig_odds(world.params, ent):.0%} a day to {G.POSTURES[ent + 1]}")
    if int(src.isolated[u]) > 0:
        t.append(f"\nISOLATED {int(src.isolated[u])} day(s)", style="bold red")
    if role == "drone":
        kind = "FPV" if world.t_fpv[ty] else "bomber"
        link = "radio" if world.t_radio[ty] else "fibre"
        t.append(f"\n{kind}, {link}; stock {int(src.stock[u])}/{world.t_max_stock[ty]}, "
                 f"{world.t_sorties[ty]} sorties a day, range {world.t_range[ty]}")
    elif role == "artillery":
        t.append(f"\nrange {world.t_range[ty]}, {world.t_fires[ty]} fires a day at full supply")
    elif role == "ugv":
        t.append(f"\n{world.t_runs[ty]} runs a day, range {world.t_range[ty]}")
    elif role == "ew":
        t.append(f"\njams radius {world.t_ew_radius[ty]}, strength {world.t_ew_strength[ty]:g}")
    del side
    return t


ALLOC_NAMES = {"sorties": ("Sorties", "drone unit"), "runs": ("Robot runs", "UGV unit"),
               "fires": ("Fires", "gun"), "bombs": ("Glide bombs", "")}


def allocation_panel(world: World, budgets: list[Budget], selected: int | None = None) -> Text:
    """What is left to allocate today: one line a kind, all units together ("Sorties 100/152
    in 9 drone units"), then the selected unit's own, so a side with many drone units still
    leaves room for its orders list."""
    t = Text()
    if not budgets:
        t.append("No drones, robots, guns or bombs to allocate.", style="dim")
        return t
    kinds: dict[str, list[Budget]] = {}
    for b in budgets:
        kinds.setdefault(b.what, []).append(b)
    t.append("Left today", style="bold underline")
    for what, bs in kinds.items():
        t.append("\n")
        name, unit = ALLOC_NAMES.get(what, (what.title(), "unit"))
        left, total = sum(b.left for b in bs), sum(b.total for b in bs)
        t.append(f"{name} ", style="bold")
        t.append(f"{left}/{total}", style="bold" if left else "dim")
        if unit:
            t.append(f" in {len(bs)} {unit}{'s' if len(bs) != 1 else ''}", style="dim")
    for b in budgets:
        if selected is not None and b.unit == selected:
            t.append(f"\n{world.unit_ids[b.unit]}: {b.left}/{b.total} {b.what} left", style="italic")
    return t


def why_text(event: Event, world: World | None = None, name: Callable[[str], str] | None = None,
             numbers: bool = True) -> Text:
    """An event's "why?": the adjudicator's sentence (rules/explain.py), then, unless
    ``numbers`` is off, the raw breakdown below a rule. ``name`` masks unit ids a side may not
    name; ``world`` adds settlement names and the scenario's rule numbers."""
    t = Text()
    t.append(f"Day {event.turn}, {event.phase}: ", style="bold")
    t.append(explain(event, name=name, world=world))
    if numbers:
        t.append("\n\n")
        t.append(why_numbers(event))
    return t


def why_numbers(event: Event) -> Text:
    """The raw numbers behind an event: its text, hex, units and every entry of its breakdown."""
    t = Text()
    t.append("The numbers behind it", style="bold")
    t.append(f"\n  {event.text}")
    if event.hex:
        t.append(f"\n  hex: {event.hex}")
    if event.units:
        t.append(f"\n  units: {', '.join(event.units)}")
    if event.why:
        for k, v in event.why.items():
            t.append(f"\n  {k.replace('_', ' ')}: ")
            t.append(_fmt(v))
    else:
        t.append("\n  (no breakdown recorded for this event)", style="dim")
    return t


def _fmt(v) -> str:
    if isinstance(v, float | np.floating):
        return f"{float(v):.3g}"
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "no"
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_fmt(x)}" for k, x in v.items())
    if isinstance(v, list | tuple):
        return ", ".join(_fmt(x) for x in v)
    return str(v)


def results_summary(session: GameSession, side: int | None, record, before: GameState) -> Text:
    """What a side learned and suffered in one resolved turn."""
    w = session.world
    after = record.state
    k = knowledge_at(w, after, side)      # what the side knew after the turn (None: truth)
    t = Text()
    wx = int(after.weather)
    t.append(f"Weather: {WEATHERS[wx]}\n" if wx >= 0 else "")
    sides = (side,) if side is not None else (0, 1)
    for s in sides:
        lost = after.casualties[s] - before.casualties[s]
        total = float(lost.sum())
        t.append("Your losses" if side is not None else f"{SIDE_NAMES[s]} losses", style="bold")
        t.append(f": {total:.1f} strength\n")
        for j, c in enumerate(CAUSES):
            if lost[j] > 0.05:
                t.append(f"  {CAUSE_NAMES[c]}: {lost[j]:.1f}\n")
        gone = [u for u in np.flatnonzero(after.lost & ~before.lost) if int(w.u_side[u]) == s]
        if gone:
            t.append("  units lost: " + ", ".join(k.name(w.unit_ids[u]) for u in gone) + "\n", style="bold red")
        robots = sum(int(e.why.get("lost", 0)) for e in record.events
                     if e.kind == "ugv" and ("ua", "ru")[s] in e.visible_to)
        if robots:
            t.append(f"  ground robots destroyed: {robots} (equipment, not counted above)\n")
    changed = np.flatnonzero(after.control != before.control)
    t.append("Hexes changed", style="bold")
    if changed.size:
        t.append(f": {changed.size}\n")
        parts = []
        for h in changed[:12]:
            short = ("UA", "RU", "contested")
            parts.append(f"{w.grid.hex_id(h)} {short[before.control[h]]}→{short[after.control[h]]}")
        t.append("  " + ", ".join(parts) + (" …" if changed.size > 12 else "") + "\n")
    else:
        t.append(": none\n")
    for s in sides:
        mine = np.flatnonzero(after.on_map & (w.u_side == s))
        low = [u for u in mine if after.supply[u] < w.params.low_supply]
        iso = [u for u in mine if after.isolated[u] > 0]
        if low or iso:
            t.append("Supply problems" + ("" if side is not None else f" ({SIDE_NAMES[s]})"), style="bold")
            t.append("\n")
            if iso:
                t.append("  isolated: " + ", ".join(k.name(w.unit_ids[u]) for u in iso) + "\n", style="bold red")
            if low:
                t.append("  low supply (<30): " + ", ".join(f"{k.name(w.unit_ids[u])} {after.supply[u]:.0f}" for u in low[:8])
                         + (" …" if len(low) > 8 else "") + "\n")
    if side is not None:
        for e in session.events_for(side, record):
            if e.kind != "summary":
                continue
            t.append(f"Seen: {e.text}\n")
    gained = after.vp - before.vp
    t.append(f"VP today: UA +{gained[0]:.1f}, RU +{gained[1]:.1f}; total UA {after.vp[0]:.1f}, RU {after.vp[1]:.1f}")
    return t


def victory_summary(session: GameSession) -> tuple[str, Text]:
    w = session.world
    st = session.state
    scn = w.scenario
    win = int(st.winner)
    margin = float(st.vp[0] - st.vp[1])
    if win == 2 or win < 0:
        title = "A draw"
    else:
        title = f"{SIDE_NAMES[win]} wins"
    t = Text()
    reason = int(st.end_reason)
    if reason >= 0 and reason < len(scn.victory.sudden_death):
        sd = scn.victory.sudden_death[reason]
        t.append(f"Sudden death on day {st.turn - 1}: {sd.name}.\n", style="bold")
    else:
        t.append(f"After {st.turn - 1} days the VP margin decides (a win needs {scn.victory.margin:g}).\n",
                 style="bold")
    lead = "UA" if margin > 0 else "RU"
    t.append(f"VP: UA {st.vp[0]:.1f}, RU {st.vp[1]:.1f}: margin {abs(margin):.1f} to {lead}.\n")
    ctrl = st.control
    t.append(f"Hexes held: UA {int((ctrl == 0).sum())}, RU {int((ctrl == 1).sum())}, contested "
             f"{int((ctrl == 2).sum())} (start: UA {int((w.initial_control == 0).sum())}, "
             f"RU {int((w.initial_control == 1).sum())}).\n")
    for s in (0, 1):
        cas = st.casualties[s]
        lost_units = int((st.lost & (w.u_side == s)).sum())
        t.append(f"{SIDE_NAMES[s]}: ", style=SIDE_STYLE[s])
        t.append(f"lost {cas.sum():.0f} strength, {lost_units} unit(s) gone; ")
        t.append(", ".join(f"{CAUSE_NAMES[c].split(' (')[0]} {cas[j]:.0f}" for j, c in enumerate(CAUSES) if cas[j] >= 0.5))
        t.append("\n")
    total = st.casualties.sum()
    if total > 0:
        share = st.casualties[:, CAUSES.index("drone")].sum() / total
        t.append(f"Drones caused {share:.0%} of all casualties.\n")
    for ob, hexes in zip(scn.objectives, w.objective_hexes, strict=True):
        held = ctrl[hexes]
        t.append(f"  {ob.name}: UA {int((held == 0).sum())}, RU {int((held == 1).sum())} of {len(hexes)} hexes\n",
                 style="dim")
    return title, t
