"""The key and the label that give each order kind in the app. What an order may aim at,
and whether it needs a target at all, is rules/legal.py's."""

from __future__ import annotations

from pokrovsk_tui.rules.legal import TARGET_OF

_KEYS: dict[str, tuple[str, str]] = {
    "hold": ("h", "Hold"),
    "move": ("m", "Move"),
    "assault": ("a", "Assault"),
    "infiltrate": ("i", "Infiltrate"),
    "raid": ("r", "Raid"),
    "dig_in": ("d", "Dig in"),
    "rest": ("z", "Rest"),
    "jam": ("j", "Jam"),
    "recon": ("c", "Recon"),
    "strike": ("k", "Strike"),
    "interdict": ("t", "Interdict"),
    "hunt": ("u", "Hunt"),
    "resupply": ("p", "Resupply"),
    "fire": ("f", "Fire"),
    "bomb": ("b", "Glide bomb"),
}
# kind: (key, label, target: none | hex | unit)
ACTIONS: dict[str, tuple[str, str, str]] = {k: (key, label, TARGET_OF[k]) for k, (key, label) in _KEYS.items()}
