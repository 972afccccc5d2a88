"""A save's TOML text: orders on one line each where they fit, event breakdowns as lists of
values named once in ``[why_keys]``, each turn's text kept on the turn (so an autosave after a
new turn writes out only the new one). Written with ``tomlw`` (store/tomlw.py), the one TOML
writer of the project.
"""

from __future__ import annotations

from collections import Counter

from pokrovsk_tui.rules.scenario import SIDES

from . import tomlw
from .savefmt import FORMAT_VERSION, SavedTurn, SaveGame, group_runs, order_text

AOT_KEYS = ("lineage", "annotations", "turns")
HEADER = (f"# pokrovsk-tui saved game (format_version {FORMAT_VERSION}). Check it with: pokrovsk verify FILE\n"
          "# Instructors may add annotations by hand: turn, hex (optional), author, text.\n\n")


def dumps_save(save: SaveGame) -> str:
    """The save's TOML text: orders on one line each where they fit, event breakdowns as
    lists of values named once in ``[why_keys]``. The text of each turn is kept on the turn,
    so saving again after a new turn (autosave) only writes out the new one."""
    legend = why_legend(save)
    doc = save.model_dump(exclude_defaults=True, exclude_none=True, exclude={"turns", "scenario", "why_keys"})
    head = {k: doc.pop(k) for k in ("format_version", "app_version", "name", "created", "updated", "mode", "seed")}
    head["start_turn"] = save.start_turn
    head["turns_saved"] = len(save.turns)
    doc.pop("start_turn", None)
    doc.pop("turns_saved", None)
    if save.pending is not None:
        doc["pending"] = pending_doc(save.pending)
    rest = {k: doc.pop(k) for k in ("start_digest", "players", "lineage", "annotations", "pending", "start")
            if k in doc}
    if legend:
        rest["why_keys"] = legend
    parts = [HEADER, tomlw.dumps(head | rest | doc, aot=AOT_KEYS, wide=("why_keys",))]
    parts += [turn_text(t, legend) for t in save.turns]
    parts.append(tomlw.dumps({"scenario": save.scenario.model_dump(exclude_none=True)}))
    return "\n".join(parts)


def turn_text(t: SavedTurn, legend: dict[str, dict[str, list[str]]]) -> str:
    used = {(e.phase, e.kind): legend.get(e.phase, {}).get(e.kind) for e in t.events}
    cached = t._toml
    if cached is not None and cached[0] == used:
        return cached[1]
    td = t.model_dump(exclude_defaults=True, exclude_none=True)
    out = {"turn": td["turn"], "digest": td["digest"], "orders_digest": td["orders_digest"],
           "orders": _orders_doc(t.orders)}
    if "intents" in td:
        out["intents"] = td["intents"]
    events = td.get("events", [])
    for e in events:
        why = e.get("why")
        if isinstance(why, dict):
            names = used.get((e["phase"], e["kind"]))
            if names is not None and list(why) == names:
                e["why"] = list(why.values())
    out["events"] = group_runs(events)
    out["state"] = td["state"]
    text = tomlw.dumps({"turns": [out]}, aot=AOT_KEYS)
    t._toml = (used, text)
    return text


def pending_doc(pending) -> dict[str, list]:
    doc = _orders_doc(pending)
    if pending.done:
        doc["done"] = list(pending.done)
    return doc


def _orders_doc(orders) -> dict[str, list]:
    return {k: [order_text(o) or o.model_dump(exclude_defaults=True) for o in getattr(orders, k)] for k in SIDES}


def why_legend(save: SaveGame) -> dict[str, dict[str, list[str]]]:
    """For each phase and kind of event, the most common list of breakdown names."""
    counts: dict[tuple[str, str], Counter] = {}
    for t in save.turns:
        for e in t.events:
            if isinstance(e.why, dict) and e.why:
                counts.setdefault((e.phase, e.kind), Counter())[tuple(e.why)] += 1
    legend: dict[str, dict[str, list[str]]] = {}
    for (phase, kind), c in counts.items():
        legend.setdefault(phase, {})[kind] = list(c.most_common(1)[0][0])
    return legend
