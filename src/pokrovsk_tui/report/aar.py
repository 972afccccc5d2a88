"""The after-action report of a saved game, as Markdown or HTML.

``report_data(save)`` gathers everything as plain data: the game (scenario, seed, mode,
players, lineage), the result and margin, per-turn stories (sentences built from the events,
the AI intents when the save has them, the surprises and the annotations of the turn), the
casualty totals by cause, the time series (``series.series``) and the annotations.
``to_markdown(data)`` and ``to_html(data)`` render it: Markdown has tables only; HTML has the
same tables and inline SVG charts (``svg.py``), in one self-contained file.
``render(save, fmt)`` does both steps, ``write_report`` writes the result atomically.

Every text that comes from a file (names, annotations, intents, settlement names) is escaped
for the output format.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from pokrovsk_tui.rules.scenario import SIDES
from pokrovsk_tui.rules.world import CAUSES
from pokrovsk_tui.store.atomic import atomic_write
from pokrovsk_tui.store.replay import players_changed
from pokrovsk_tui.store.savefmt import SaveGame

from . import svg
from .debrief import NAMES, key_moments, short_intent
from .debrief import front as front_page
from .series import series
from .story import SIDE_NAMES, story
from .timeline import CAUSE_LABELS, place, surprise_days, timeline

FORMATS = ("md", "html")
# ----- gathering -------------------------------------------------------------------------

def result_of(save: SaveGame) -> dict[str, Any]:
    """The result now: winner (ua, ru, draw, or None while the game goes on), how, VP, margin."""
    tl = timeline(save)
    scn = tl.world.scenario
    final = tl.state_at(tl.last + 1)
    vp = {k: round(float(final.vp[s]), 2) for s, k in enumerate(SIDES)}
    margin = round(vp["ua"] - vp["ru"], 2)
    need = scn.victory.margin
    w, reason = int(final.winner), int(final.end_reason)
    out: dict[str, Any] = {"vp": vp, "margin": margin, "margin_needed": need, "turns_played": tl.last,
                           "scenario_turns": scn.turns}
    if w >= 0:
        out["winner"] = ("ua", "ru", "draw")[w]
        if 0 <= reason < len(scn.victory.sudden_death):
            sd = scn.victory.sudden_death[reason]
            out["how"] = f"by sudden death on turn {tl.last}: {sd.name}"
        elif out["winner"] == "draw":
            out["how"] = f"after the last turn: VP margin {abs(margin):.1f}, short of the {need:g} needed to win"
        else:
            out["how"] = f"on points after the last turn: VP margin {abs(margin):.1f} ({need:g} needed)"
        out["headline"] = "Draw" if out["winner"] == "draw" else f"{SIDE_NAMES[out['winner']]} wins"
    else:
        out["winner"] = None
        lead = "UA" if margin > 0 else "RU" if margin < 0 else None
        ahead = f"{lead} leads by {abs(margin):.1f} VP" if lead else "the VP are level"
        out["how"] = f"the game goes on: {tl.last} of {scn.turns} turns played; {ahead} ({need:g} needed to win on points)"
        out["headline"] = "Game in progress"
    return out


def report_data(save: SaveGame, source: str | None = None, who: str = "truth") -> dict[str, Any]:
    """Everything the report shows, as plain data; ``who`` "ua"/"ru": the day-by-day story as
    that side could tell it (see ``story``) and only its own commander's intent."""
    if who not in ("truth", *SIDES):
        raise ValueError(f"who is one of truth, {', '.join(SIDES)}, not {who!r}")
    tl = timeline(save)
    world = tl.world
    scn = world.scenario
    notes = sorted(save.annotations, key=lambda a: a.turn)
    annotations = [{"turn": a.turn, "hex": a.hex, "place": place(world, a.hex) if a.hex else None,
                    "author": a.author, "text": a.text} for a in notes]
    turns = []
    marked = surprise_days(tl)
    for f in tl.frames():
        turns.append({"turn": f.turn, "weather": f.weather, "lines": story(f, who, marked),
                      "marked": [k for k in SIDES if f.turn in marked[k] and who in ("truth", k)],
                      "missed": f.surprise_totals(True),
                      "intents": {k: v for k, v in f.intents.items() if v and who in ("truth", k)},
                      "intent": {k: short_intent(v[0], 240) for k, v in f.intents.items() if v and who in ("truth", k)},
                      "surprise": f.surprise_totals(),
                      "annotations": [a for a in annotations if a["turn"] == f.turn]})
    final = tl.state_at(tl.last + 1)
    return {
        "name": save.name, "source": source, "who": who,
        "scenario": {"id": scn.id, "title": scn.title, "start_date": scn.start_date.isoformat(), "turns": scn.turns},
        "seed": save.seed, "mode": save.mode, "app_version": save.app_version,
        "created": save.created.isoformat(), "updated": save.updated.isoformat(),
        "players": {k: getattr(save.players, k).label() for k in SIDES},
        "player_kinds": {k: {"kind": getattr(save.players, k).kind, "name": getattr(save.players, k).name or ""}
                         for k in SIDES},
        "first_turn": tl.first, "last_turn": tl.last,
        "lineage": [{"file": s.file, "name": s.name, "turn": s.turn} for s in save.lineage],
        "players_changed": players_changed(save),
        "result": result_of(save),
        "casualties": {k: {c: round(float(final.casualties[s, j] - tl.state_at(tl.first).casualties[s, j]), 2)
                           for j, c in enumerate(CAUSES)} for s, k in enumerate(SIDES)},
        "surprise_total": {k: round(sum(t["surprise"][k] for t in turns), 2) for k in SIDES},
        "missed_total": {k: round(sum(t["missed"][k] for t in turns), 2) for k in SIDES},
        "front": front_page(tl) if tl.last >= tl.first else None,
        "moments": key_moments(tl, who) if tl.last >= tl.first else [],
        "series": series(save),
        "turns": turns,
        "setup_annotations": [a for a in annotations if a["turn"] < tl.first],
        "annotations": annotations,
    }


# ----- Markdown --------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<|])")
_MD_START = re.compile(r"^(?:(#{1,6}|[-+])(?= |$)|>|\d{1,9}(?=[.)](?: |$)))")


def md(text: Any) -> str:
    """Text from a file made inert in Markdown (no emphasis, links, HTML or table breaks; no
    heading, quote or list at its start), on one line."""
    out = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    m = _MD_START.match(out)
    if m:
        cut = m.end() if out[:1].isdigit() else 0
        out = out[:cut] + "\\" + out[cut:]
    return out


def _md_table(head: list[str], rows: list[list[Any]], text_cols: tuple[int, ...] = (0,)) -> list[str]:
    """A pipe table; ``text_cols`` are aligned left, the others (numbers) right."""
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join("---" if i in text_cols else "---:" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return out


def _n(v: float) -> str:
    return f"{v:.1f}"


def _tables(d: dict[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The report's tables (already formatted, cells not yet escaped: numbers and names)."""
    s = d["series"]
    cas = d["casualties"]
    causes = [[CAUSE_LABELS[c], _n(cas["ua"][c]), _n(cas["ru"][c])] for c in CAUSES]
    causes.append(["total", _n(sum(cas["ua"].values())), _n(sum(cas["ru"].values()))])
    causes.append(["of which not seen coming", _n(d["surprise_total"]["ua"]), _n(d["surprise_total"]["ru"])])
    causes.append(["... missed (recon could have found it)", _n(d["missed_total"]["ua"]), _n(d["missed_total"]["ru"])])
    causes.append(["... unseeable by design", _n(d["surprise_total"]["ua"] - d["missed_total"]["ua"]),
                   _n(d["surprise_total"]["ru"] - d["missed_total"]["ru"])])
    turns, supply = [], []
    for i, t in enumerate(s["turn"]):
        lost = {k: sum(s["losses"][k][c][i] for c in CAUSES) for k in SIDES}
        weather = "set-up" if i == 0 and t == 0 else "" if s["weather"][i] == "none" else s["weather"][i]
        turns.append([t, weather, _n(s["strength"]["ua"][i]), _n(s["strength"]["ru"][i]), _n(lost["ua"]),
                      _n(lost["ru"]), s["hexes"]["ua"][i], s["hexes"]["ru"][i], s["hexes"]["contested"][i],
                      _n(s["vp"]["ua"][i]), _n(s["vp"]["ru"][i])])
        supply.append([t, s["supply"]["ua"][i], s["supply"]["ru"][i], s["robot_supply"]["ua"][i],
                       s["robot_supply"]["ru"][i], s["isolated"]["ua"][i], s["isolated"]["ru"][i],
                       s["sorties"]["ua"][i], s["sorties"]["ru"][i], s["drone_stock"]["ua"][i], s["drone_stock"]["ru"][i]])
    return {
        "casualties": (["cause", "UA", "RU"], causes),
        "turns": (["turn", "weather", "strength UA", "strength RU", "lost UA", "lost RU", "hexes UA", "hexes RU",
                   "contested", "VP UA", "VP RU"], turns),
        "supply": (["turn", "supply UA", "supply RU", "by robots UA", "by robots RU", "isolated UA", "isolated RU",
                    "sorties UA", "sorties RU", "drones held UA", "drones held RU"], supply),
    }


def _game_lines(d: dict[str, Any]) -> list[tuple[str, str]]:
    sc = d["scenario"]
    out = [("Scenario", f"{sc['title']} ({sc['id']}), {sc['turns']} turns from {sc['start_date']}"),
           ("Sides", f"UA: {d['players']['ua']}; RU: {d['players']['ru']} (mode {d['mode']})"),
           ("Seed", str(d["seed"])),
           ("Turns in this save", f"{d['first_turn']} to {d['last_turn']}" if d["last_turn"] >= d["first_turn"]
            else "none played yet")]
    if d.get("who", "truth") != "truth":
        side = SIDE_NAMES[d["who"]]
        out.append(("Written for", f"{side}: each day's story tells only what {side} could read, naming only the "
                                   f"enemy units {side} had detected; the tables and charts are the ground truth"))
    if d["lineage"]:
        out.append(("Branched from", "; ".join(f"{s['name'] or s['file']} at the start of turn {s['turn']}"
                                               for s in d["lineage"])))
    if d.get("players_changed"):
        out.append(("Players differ from the original", d["players_changed"]))
    return out


def to_markdown(d: dict[str, Any]) -> str:
    r = d["result"]
    out = [f"# After-action report: {md(d['name'])}", ""]
    out += [f"- **{k}:** {md(v)}" for k, v in _game_lines(d)]
    out += ["", "## Result", "", f"**{md(r['headline'])}** {md(r['how'])}.", "",
            f"VP: UA {r['vp']['ua']:.1f}, RU {r['vp']['ru']:.1f} (margin {r['margin']:+.1f} for UA; "
            f"{r['margin_needed']:g} needed to win on points).", ""]
    out += _md_front(d)
    out += ["## What happened, day by day", ""]
    if d["setup_annotations"]:
        out += ["### Before the first turn", ""]
        for a in d["setup_annotations"]:
            out += _md_note(a)
    if not d["turns"]:
        out += ["No turn has been played yet.", ""]
    for t in d["turns"]:
        out += [f"### Day {t['turn']} ({md(t['weather'])}){_mark(t)}", ""]
        for k, line in t["intent"].items():            # what each side meant to do, before what happened
            out.append(f"- *{md(_intent_label(d, k))}:* {md(line)}")
        out += [f"- {md(line)}" for line in t["lines"]]
        out.append("")
        for a in t["annotations"]:
            out += _md_note(a)
    tables = _tables(d)
    out += ["## Tables", ""]
    for title, key in (("Casualties by cause", "casualties"), ("Turn by turn", "turns"),
                       ("Supply and drones", "supply")):
        head, rows = tables[key]
        text_cols = (0, 1) if key != "casualties" else (0,)
        out += [f"### {title}", ""] + _md_table(head, [[md(c) for c in row] for row in rows], text_cols) + [""]
    out += ["## Annotations", ""]
    if d["annotations"]:
        out += _md_table(["turn", "hex", "author", "note"],
                         [[a["turn"], md(a["place"] or ""), md(a["author"] or ""), md(a["text"])]
                          for a in d["annotations"]], text_cols=(1, 2, 3))
    else:
        out.append("None.")
    out.append("")
    return "\n".join(out)


def _md_front(d: dict[str, Any]) -> list[str]:
    """Why the result, then the key moments with their questions."""
    f = d["front"]
    if f is None:
        return []
    out = ["### Why", ""]
    if f["why"]:
        out += ["Most of the margin came from:", ""] + [f"- {md(w)}" for w in f["why"]] + [""]
    out += _md_table(["objective", "VP a day", "VP UA", "VP RU", "at the end"],
                     [[md(o["name"]), f"{o['vp_day']:g}", _n(o["vp"]["ua"]), _n(o["vp"]["ru"]),
                       md(_final_words(o))] for o in f["objectives"]], text_cols=(0, 4)) + [""]
    out += [f"VP margin (UA - RU) at the end of each day: {md(_margin_line(f))}.", ""]
    if f["sudden_death"]:
        out += ["Sudden death, how close it came:", ""]
        out += [f"- {md(s['name'])} ({NAMES[s['side']]} wins): {md(s['text'])}" for s in f["sudden_death"]]
        out.append("")
    out += ["## Key moments", ""]
    if not d["moments"]:
        out += ["None stood out.", ""]
    for i, m in enumerate(d["moments"], 1):
        p = m["prompts"]
        out += [f"{i}. **Day {m['turn']}**: {md(m['text'])}",
                f"    - *Planned?* {md(p['planned'])}", f"    - *Happened?* {md(p['happened'])}",
                f"    - *Why?* {md(p['why'])}", f"    - *Keep or change?* {md(p['keep_change'])}"]
    out += ["", "(The HTML report shows a map at the start, at each key moment and at the end.)", ""]
    return out


def _intent_label(d: dict[str, Any], k: str) -> str:
    """"UA commander's intent" (the computer's) or "UA player's intent (Olena)" (a human's)."""
    p = d["player_kinds"][k]
    if p["kind"] == "human":
        return f"{SIDE_NAMES[k]} player's intent" + (f" ({p['name']})" if p["name"] else "")
    return f"{SIDE_NAMES[k]} commander's intent"


def _mark(t: dict[str, Any]) -> str:
    """" ! UA missed 51.3": a day a side's missed losses were large for this game."""
    if not t["marked"]:
        return ""
    return " ! " + ", ".join(f"{SIDE_NAMES[k]} missed {t['missed'][k]:.1f}" for k in t["marked"])


def _final_words(o: dict[str, Any]) -> str:
    held = o["final"]
    parts = [f"{k.upper() if k != 'contested' else 'contested'} {v}" for k, v in held.items() if v]
    return f"{', '.join(parts)} of {o['hexes']} hexes"


def _margin_line(f: dict[str, Any]) -> str:
    line = ", ".join(f"{t}: {m:+.1f}" for t, m in f["margins"].items())
    if f["lead_changes"]:
        line += f" (the lead changed on day{'s' if len(f['lead_changes']) > 1 else ''} " \
                f"{', '.join(str(t) for t in f['lead_changes'])})"
    return line


def _md_note(a: dict[str, Any]) -> list[str]:
    who = md(a["author"]) if a["author"] else "note"
    where = f" on {md(a['place'])}" if a["place"] else ""
    lines = [md(x) for x in a["text"].split("\n")]
    return [f"> **{who}**{where}: {lines[0]}"] + [f"> {x}" for x in lines[1:]] + [""]


# ----- HTML ------------------------------------------------------------------------------

CSS = """
body { font-family: system-ui, sans-serif; max-width: 62rem; margin: 1.5rem auto; padding: 0 1rem;
       color: #1d1d1d; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; } h3 { margin-bottom: .3rem; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .15rem .5rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.text { text-align: left; white-space: pre-wrap; }
.result { font-size: 1.15rem; } .charts svg { margin: .4rem .6rem .4rem 0; }
blockquote { border-left: 4px solid #d9a520; margin: .5rem 0; padding: .2rem .8rem; background: #fdf7e6;
             white-space: pre-wrap; }
.intent { color: #444; font-size: .9rem; } .moment { font-size: 1.05rem; } .prompts { color: #333; }
.map svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _html_table(head: list[str], rows: list[list[Any]], text_cols: tuple[int, ...] = ()) -> str:
    out = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    for r in rows:
        out.append("<tr>" + "".join(f'<td class="text">{_e(c)}</td>' if i in text_cols else f"<td>{_e(c)}</td>"
                                    for i, c in enumerate(r)) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def charts(d: dict[str, Any]) -> list[str]:
    """The report's SVG figures."""
    s = d["series"]
    x = s["turn"]
    c = svg.SIDE_COLOURS
    out = [
        svg.line_chart("Strength on the map", x, [("UA", s["strength"]["ua"], c["ua"]),
                                                  ("RU", s["strength"]["ru"], c["ru"])], "strength"),
        svg.line_chart("Hexes controlled", x, [("UA", s["hexes"]["ua"], c["ua"]), ("RU", s["hexes"]["ru"], c["ru"]),
                                               ("contested", s["hexes"]["contested"], c["contested"])], "hexes"),
        svg.line_chart("Victory points", x, [("UA", s["vp"]["ua"], c["ua"]), ("RU", s["vp"]["ru"], c["ru"])], "VP"),
    ]
    for k in SIDES:
        out.append(svg.stacked_bars(f"{SIDE_NAMES[k]} losses by cause, per turn", x,
                                    [(CAUSE_LABELS[cause], s["losses"][k][cause], svg.CAUSE_COLOURS[cause])
                                     for cause in CAUSES], "strength lost"))
    out.append(svg.line_chart("Supply delivered (road, HQ and robots)", x,
                              [("UA", [a + b for a, b in zip(s["supply"]["ua"], s["robot_supply"]["ua"], strict=True)], c["ua"]),
                               ("RU", [a + b for a, b in zip(s["supply"]["ru"], s["robot_supply"]["ru"], strict=True)], c["ru"])],
                              "supply points"))
    return out


def to_html(d: dict[str, Any]) -> str:
    r = d["result"]
    title = f"After-action report: {d['name']}"
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>", f"<h1>{_e(title)}</h1>",
           "<ul>" + "".join(f"<li><b>{_e(k)}:</b> {_e(v)}</li>" for k, v in _game_lines(d)) + "</ul>",
           "<h2>Result</h2>",
           f'<p class="result"><b>{_e(r["headline"])}</b> {_e(r["how"])}.</p>',
           f"<p>VP: UA {r['vp']['ua']:.1f}, RU {r['vp']['ru']:.1f} (margin {r['margin']:+.1f} for UA; "
           f"{r['margin_needed']:g} needed to win on points).</p>"]
    out += _html_front(d)
    out.append("<h2>What happened, day by day</h2>")
    if d["setup_annotations"]:
        out.append("<h3>Before the first turn</h3>")
        out += [_html_note(a) for a in d["setup_annotations"]]
    if not d["turns"]:
        out.append("<p>No turn has been played yet.</p>")
    for t in d["turns"]:
        out.append(f'<h3 id="turn-{t["turn"]}">Day {t["turn"]} ({_e(t["weather"])}){_e(_mark(t))}</h3>')
        for k, lines in t["intents"].items():          # what each side meant to do, before what happened
            out.append(f'<details class="intent"><summary><b>{_e(_intent_label(d, k))}:</b> '
                       f'{_e(t["intent"][k])}</summary><ul>' + "".join(f"<li>{_e(x)}</li>" for x in lines)
                       + "</ul></details>")
        out.append("<ul>" + "".join(f"<li>{_e(line)}</li>" for line in t["lines"]) + "</ul>")
        out += [_html_note(a) for a in t["annotations"]]
    out += ["<h2>Charts</h2>", '<div class="charts">', *charts(d), "</div>"]
    tables = _tables(d)
    for title_, key in (("Casualties by cause", "casualties"), ("Turn by turn", "turns"),
                        ("Supply and drones", "supply")):
        head, rows = tables[key]
        out += [f"<h2>{_e(title_)}</h2>", _html_table(head, rows)]
    out.append("<h2>Annotations</h2>")
    if d["annotations"]:
        out.append(_html_table(["turn", "hex", "author", "note"],
                               [[a["turn"], a["place"] or "", a["author"] or "", a["text"]] for a in d["annotations"]],
                               text_cols=(1, 2, 3)))
    else:
        out.append("<p>None.</p>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _html_front(d: dict[str, Any]) -> list[str]:
    f = d["front"]
    if f is None:
        return []
    maps = d.get("maps", {})
    out = ["<h3>Why</h3>"]
    if f["why"]:
        out.append("<p>Most of the margin came from:</p><ul>" + "".join(f"<li>{_e(w)}</li>" for w in f["why"])
                   + "</ul>")
    out.append(_html_table(["objective", "VP a day", "VP UA", "VP RU", "at the end"],
                           [[o["name"], f"{o['vp_day']:g}", _n(o["vp"]["ua"]), _n(o["vp"]["ru"]), _final_words(o)]
                            for o in f["objectives"]], text_cols=(4,)))
    out.append(f"<p>VP margin (UA - RU) at the end of each day: {_e(_margin_line(f))}.</p>")
    if f["sudden_death"]:
        out.append("<p>Sudden death, how close it came:</p><ul>" + "".join(
            f"<li>{_e(s['name'])} ({NAMES[s['side']]} wins): {_e(s['text'])}</li>" for s in f["sudden_death"])
            + "</ul>")
    if "start" in maps:
        out.append(f'<div class="map">{maps["start"]}</div>')
    out.append("<h2>Key moments</h2>")
    if not d["moments"]:
        out.append("<p>None stood out.</p>")
    for i, m in enumerate(d["moments"], 1):
        p = m["prompts"]
        out.append(f'<h3>{i}. Day {m["turn"]}</h3><p class="moment">{_e(m["text"])}</p>')
        if m["turn"] in maps:
            out.append(f'<div class="map">{maps[m["turn"]]}</div>')
        out.append('<ul class="prompts">' + "".join(
            f"<li><b>{label}</b> {_e(p[key])}</li>" for label, key in
            (("Planned?", "planned"), ("Happened?", "happened"), ("Why?", "why"), ("Keep or change?", "keep_change")))
            + "</ul>")
    if "end" in maps:
        out += ["<h3>The end</h3>", f'<div class="map">{maps["end"]}</div>']
    return out


def _html_note(a: dict[str, Any]) -> str:
    who = _e(a["author"]) if a["author"] else "note"
    where = f" on {_e(a['place'])}" if a["place"] else ""
    return f"<blockquote><b>{who}</b>{where}: {_e(a['text'])}</blockquote>"


# ----- entry points ----------------------------------------------------------------------

def render(save: SaveGame, fmt: str = "md", source: str | None = None, who: str = "truth") -> str:
    """The report as text in ``fmt`` (``md`` or ``html``); ``who``: see ``report_data``."""
    if fmt not in FORMATS:
        raise ValueError(f"format is one of {', '.join(FORMATS)}, not {fmt!r}")
    d = report_data(save, source, who)
    if fmt == "html":
        d["maps"] = maps(save, d, who)
    return to_markdown(d) if fmt == "md" else to_html(d)


def maps(save: SaveGame, d: dict[str, Any], who: str = "truth") -> dict[Any, str]:
    """SVG maps: the start, each key moment (the day's end, its hexes ringed) and the end; for
    a side, only its own units and the enemy units it had detected."""
    from .svg_map import map_svg

    tl = timeline(save)
    if tl.last < tl.first:
        return {}
    side = None if who == "truth" else SIDES.index(who)
    seen = "" if side is None else f" (as {SIDE_NAMES[who]} saw it)"
    out: dict[Any, str] = {"start": map_svg(tl.world, tl.state_at(tl.first), f"Start of day {tl.first}{seen}",
                                            side=side, key="start")}
    for m in d["moments"]:
        out[m["turn"]] = map_svg(tl.world, tl.state_at(m["turn"] + 1), f"End of day {m['turn']}{seen}",
                                 ring=m["hexes"], side=side, key=f"day{m['turn']}")
    out["end"] = map_svg(tl.world, tl.state_at(tl.last + 1), f"End of day {tl.last}{seen}", side=side, key="end")
    return out


def write_report(save: SaveGame, path: str | Path, fmt: str | None = None, source: str | None = None,
                 who: str = "truth") -> Path:
    """Write the report atomically; the format defaults from the file's suffix (.html/.htm:
    HTML, else Markdown)."""
    path = Path(path)
    if fmt is None:
        fmt = "html" if path.suffix.lower() in (".html", ".htm") else "md"
    return atomic_write(path, render(save, fmt, source, who))
