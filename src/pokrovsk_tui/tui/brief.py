"""The first day of a big map, made readable: units grouped by sector, a situation brief from
the scenario's own text, and a recon hint from what the side knows. Pure, no widgets.

A sector is named after the objective a unit stands nearest (the scenario's own places:
Rodynske, Pokrovsk centre, Myrnohrad...); sectors run from north to south, and so does the
Tab order. The recon hint reads the side's last-seen markers (rules/view.py), never the
truth.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text

from pokrovsk_tui.rules.view import SideView, days_since_seen
from pokrovsk_tui.rules.world import ROLES, World

from . import glyphs as G

MERGE = 2          # objectives this close to a bigger one belong to its sector
COMPASS = ("east", "north-east", "north", "north-west", "west", "south-west", "south", "south-east")


def _anchors(world: World, v: SideView) -> list[tuple[str, np.ndarray]]:
    """(name, hexes) of the places that name the side's sectors: the hold objectives it holds
    most of (all of them if it holds none), biggest first, a small one next to a bigger one
    merged into it; each named with its compass direction from the biggest."""
    objs = [(o, np.asarray(h, np.int64)) for o, h in zip(world.scenario.objectives, world.objective_hexes,
                                                         strict=True) if o.kind == "hold" and len(h)]
    held = [(o, h) for o, h in objs if np.mean(v.control[h] == v.side) >= 0.5]
    objs = sorted(held or objs, key=lambda x: -x[0].vp)
    if not objs:
        g = world.grid
        return [(s.name, np.array([g.index(s.hex)])) for s in world.scenario.map.settlements]
    dist = world.grid.dist_pairs
    groups: list[tuple[str, np.ndarray]] = []
    for o, h in objs:
        near = next((i for i, (_, gh) in enumerate(groups) if dist(h[:, None], gh[None, :]).min() <= MERGE), None)
        if near is None:
            groups.append((o.name.split(" (")[0], h))
        else:
            groups[near] = (groups[near][0], np.concatenate([groups[near][1], h]))
    width = world.grid.width
    r0, c0 = divmod(int(groups[0][1][0]), width)
    out = []
    for i, (name, h) in enumerate(groups):
        r, c = divmod(int(h[0]), width)
        if i == 0 or (r, c) == (r0, c0):
            out.append((name, h))
            continue
        angle = np.degrees(np.arctan2(-(r - r0), (c - c0) * 1.15)) % 360
        out.append((f"{name} ({COMPASS[int((angle + 22.5) // 45) % 8]})", h))
    return out


def sector_of(world: World, v: SideView, hexes: np.ndarray) -> list[str]:
    """The sector name of each hex: the nearest anchor (ties: the bigger objective)."""
    anchors = _anchors(world, v)
    if not anchors:
        return ["the map"] * len(hexes)
    hexes = np.asarray(hexes, np.int64)[:, None]
    d = np.stack([world.grid.dist_pairs(hexes, a[None, :]).min(axis=1) for _, a in anchors], axis=1)
    return [anchors[int(i)][0] for i in d.argmin(axis=1)]


def sectors(world: World, v: SideView) -> list[tuple[str, list[int]]]:
    """The side's units grouped by sector, sectors from north to south, units within a
    sector from north-west to south-east."""
    units = [int(u) for u in v.own_units]
    if not units:
        return []
    hexes = np.array([int(v.hex[u]) for u in units])
    names = sector_of(world, v, hexes)
    groups: dict[str, list[int]] = {}
    for u, name in zip(units, names, strict=True):
        groups.setdefault(name, []).append(u)
    width = world.grid.width

    def row(u: int) -> tuple[int, int]:
        return divmod(int(v.hex[u]), width)

    out = [(name, sorted(us, key=row)) for name, us in groups.items()]
    out.sort(key=lambda g: (float(np.mean([row(u)[0] for u in g[1]])), g[0]))
    return out


def tab_order(world: World, v: SideView) -> list[int]:
    return [u for _, us in sectors(world, v) for u in us]


def recon_hint(world: World, v: SideView) -> str:
    """Where the side's drones should look: the last-seen marker not looked at for longest
    (from the side's own knowledge), or, before any sighting, the enemy ground next to the
    front."""
    stale = [c for c in v.contacts if not c.current]
    if stale:
        c = max(stale, key=lambda c: (days_since_seen(v, c), -c.hex))
        days = days_since_seen(v, c)
        role = G.ROLE_NAME.get(ROLES[world.u_role[world.unit_index[c.unit]]], "")
        what = f"an enemy {role}".strip() if role else "an enemy unit"
        return (f"Your drones have not looked at {world.grid.hex_id(c.hex)} for {days} "
                f"day{'s' if days != 1 else ''} ({what} was last seen there): c (recon) with a drone unit.")
    current = [c for c in v.contacts if c.current]
    if current:
        return (f"You see {len(current)} enemy unit{'s' if len(current) != 1 else ''} now; recon (c) "
                "the hexes you mean to strike or assault today, so the strikes find their targets.")
    return ("No enemy seen yet: your drones see only what they look at. Select a drone unit, press c "
            "(recon) and aim at the enemy ground across the front from your weakest sector.")


def situation_lines(world: World, v: SideView) -> list[tuple[str, str]]:
    """The brief in two lines for the top of the event log: the scenario's first paragraph
    and the side's units by sector."""
    first = " ".join(world.scenario.description.strip().split("\n\n")[0].split())
    groups = ", ".join(f"{name} {len(us)}" for name, us in sectors(world, v))
    return [("Situation: ", first),
            ("Your units by sector, north to south (Tab in this order): ", groups + ". F7: the whole brief.")]


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 or what in ("infantry", "artillery") else f"{n} {what}s"


def situation(world: World, v: SideView) -> Text:
    """The brief at the start of a game: the scenario's own words, what each objective is
    worth, where the side's units are, and where to look first."""
    scn = world.scenario
    t = Text()
    first = scn.description.strip().split("\n\n")[0]
    t.append(" ".join(first.split()) + "\n\n")
    t.append("Objectives (VP a day, to whoever holds them)\n", style="bold")
    for o, hexes in zip(scn.objectives, world.objective_hexes, strict=True):
        held = int(np.sum(v.control[hexes] == v.side)) if len(hexes) else 0
        t.append(f"  {o.name}: {o.vp:g} VP" + (f", you hold {held} of {len(hexes)} hexes" if o.kind == "hold"
                                                else "") + "\n")
    t.append(f"Win: lead by {scn.victory.margin:g} VP after day {scn.turns}", style="bold")
    if scn.victory.talks_turn:
        t.append(f"; talks on day {scn.victory.talks_turn} count every objective double")
    t.append(".\n\n")
    groups = sectors(world, v)
    t.append(f"Your {sum(len(us) for _, us in groups)} units by sector, north to south (Tab goes through "
             "them in this order)\n", style="bold")
    for name, us in groups:
        roles: dict[str, int] = {}
        for u in us:
            r = G.ROLE_NAME.get(ROLES[world.u_role[u]], "")
            roles[r] = roles.get(r, 0) + 1
        t.append(f"  {name}: {len(us)} ({', '.join(_count(n, r) for r, n in roles.items() if r)})\n")
    t.append("\nWhere to start\n", style="bold")
    t.append("  " + recon_hint(world, v) + "\n")
    t.append("  Then dig in the companies on the front line (d), and keep the robots (p) on the units "
             "lowest on supply. e ends the day; ? lists every key.")
    return t
