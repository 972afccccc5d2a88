"""Glyphs: every terrain, feature, side and unit type has a character as well as a colour, so
the map reads on a 16-colour terminal and for colour-blind players."""

from __future__ import annotations

from pokrovsk_tui.rules.params import TERRAINS

TERRAIN_GLYPH = {"open": "·", "treeline": "♣", "village": "⌂", "urban": "#", "industrial": "▲", "water": "≈"}
TERRAIN_NAME = {"open": "open fields", "treeline": "tree line", "village": "village", "urban": "urban blocks",
                "industrial": "industrial (mines, spoil heaps)", "water": "water"}
TERRAIN_GLYPHS = tuple(TERRAIN_GLYPH[t] for t in TERRAINS)

# unit type letters by role; Ukrainian units upper case in [ ], Russian lower case in < >
ROLE_LETTER = {"infantry": "I", "assault": "A", "drone": "D", "ugv": "U", "ew": "E", "artillery": "G", "hq": "H"}
ROLE_NAME = {"infantry": "infantry", "assault": "assault group", "drone": "drone unit", "ugv": "UGV section",
             "ew": "EW post", "artillery": "artillery", "hq": "HQ"}
SIDE_BRACKETS = (("[", "]"), ("<", ">"))
LAST_SEEN_BRACKETS = ("(", ")")
STACK_MARK = "+"

HIGHWAY = "═"
ROAD = "─"
RAIL = "┼"
OBJECTIVE = "★"
SOURCE = "S"
CONTESTED = "×"
FRONT_MARK = ("u", "r")      # printed on front-line hexes: the side that holds it
CHANGED = "•"
TARGET = "◆"
PATH = "∙"
OVERLAY_SHADES = ("", "░", "▒", "▓")

POSTURES = ("none", "hasty", "prepared", "fortified")


def unit_letter(role: str, side: int) -> str:
    letter = ROLE_LETTER.get(role, "?")
    return letter if side == 0 else letter.lower()


def strength_digit(strength: float, full: float) -> str:
    """Strength as tenths of full strength, 0-9, '*' at full strength or more."""
    if full <= 0:
        return "?"
    share = strength / full
    if share >= 0.995:
        return "*"
    return str(max(0, min(9, int(share * 10))))


LEGEND = [
    ("·", "open fields"), ("♣", "tree line"), ("⌂", "village"), ("#", "urban blocks"),
    ("▲", "industrial: mines, spoil heaps"), ("≈", "water"),
    ("═", "highway"), ("─", "road"), ("┼", "rail"), ("★", "objective"), ("S", "supply source"),
    ("[I7]", "Ukrainian unit: type, strength in tenths (* full), + more units in the hex"),
    ("<a6>", "Russian unit (lower case)"), ("(a?)", "last seen here, dimmed"),
    ("u / r", "front line: the side holding the hex"), ("×", "contested hex"),
    ("◆", "legal target"), ("•", "changed hands last turn"),
]

TYPE_LEGEND = [(ROLE_LETTER[r], ROLE_NAME[r]) for r in ROLE_LETTER]
