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
    legend = save.why_keys = why_legend(save)          # kept: the next write names them the same
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
    cached = t._toml
    if cached is not None and all(legend.get(p, {}).get(k) == names for (p, k), names in cached[0].items()):
        return cached[1]          # the names its kinds of event use are the same: the same text
    used = {(e.phase, e.kind): legend.get(e.phase, {}).get(e.kind) for e in t.events}
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
    t._toml = (used, text, {(e.phase, e.kind) for e in t.events if isinstance(e.why, dict) and e.why})
    return text


def pending_doc(pending) -> dict[str, list]:
    doc = _orders_doc(pending)
    if pending.done:
        doc["done"] = list(pending.done)
    return doc


def _orders_doc(orders) -> dict[str, list]:
    return {k: [order_text(o) or o.model_dump(exclude_defaults=True) for o in getattr(orders, k)] for k in SIDES}


def why_legend(save: SaveGame) -> dict[str, dict[str, list[str]]]:
    """The names of each phase and kind of event's breakdown values: those the save was last
    written or loaded with (``save.why_keys``) stay as they are, and each phase and kind they
    lack gets its most common list of names. Names once written never change, so the text kept
    on every earlier turn stays good and a full write renders only the turns new since the last
    one (an autosave's cost stays flat across the game)."""
    return with_names(save.why_keys, new_names(save.why_keys, save.turns))


def new_names(have: dict[str, dict[str, list[str]]], turns) -> dict[str, dict[str, list[str]]]:
    """For each phase and kind of event in ``turns`` that ``have`` does not name, the most
    common list of its breakdown names there."""
    counts: dict[tuple[str, str], Counter] = {}
    for t in turns:
        cached = t._toml                            # (.., .., kinds whose breakdown is a table)
        if cached is not None and all(k in have.get(p, ()) for p, k in cached[2]):
            continue
        for e in t.events:
            if isinstance(e.why, dict) and e.why and e.kind not in have.get(e.phase, ()):
                counts.setdefault((e.phase, e.kind), Counter())[tuple(e.why)] += 1
    added: dict[str, dict[str, list[str]]] = {}
    for (phase, kind), c in counts.items():
        added.setdefault(phase, {})[kind] = list(c.most_common(1)[0][0])
    return added


def with_names(have: dict[str, dict[str, list[str]]], added: dict[str, dict[str, list[str]]]
               ) -> dict[str, dict[str, list[str]]]:
    """A new legend: ``have`` and the names ``added`` (of kinds ``have`` does not name)."""
    legend = {phase: dict(kinds) for phase, kinds in have.items()}
    for phase, kinds in added.items():
        legend.setdefault(phase, {}).update(kinds)
    return legend
