"""The replay's fixed lines: its header, the prompt under the map and the legend of the marks
on the map (replay.py)."""

from __future__ import annotations

from rich.text import Text

from .. import describe as D
from ..review import MARK_LEGEND, STAGE_SHORT, VIEW_SHORT, VIEW_TITLES, Review, Step


def legend() -> Text:
    """What the marks on the replay's map mean."""
    t = Text()
    t.append("Orders: ", style="bold")
    t.append("UA", style=D.SIDE_STYLE[0])
    t.append(" marks blue, ")
    t.append("RU", style=D.SIDE_STYLE[1])
    t.append(" red\n")
    for k, (g, what) in enumerate(MARK_LEGEND):
        t.append(("\n" if k else "") + f"{g:>3} ", style="bold")
        t.append(what)
    return t


def header_text(r: Review, step: Step, who: str, overlay: str | None, playing: bool) -> Text:
    """The replay's top line: the day, the step, the view, the VP and the save."""
    f = r.frame(step)
    st = f.before if step.stage == "orders" else f.after
    t = Text()
    t.append(" REPLAY ", style="bold reverse")
    t.append(f" Day {step.turn}/{r.last}", style="bold")
    t.append(f" {r.date(step.turn).strftime('%d %b')}, {f.weather} ")
    t.append(f" {STAGE_SHORT[step.stage]} ", style="bold reverse")
    t.append(" View: ")
    style = {"truth": "bold", "ua": D.SIDE_STYLE[0], "ru": D.SIDE_STYLE[1]}[who]
    t.append(f" {VIEW_SHORT[who]} ", style=f"{style} reverse")
    t.append(f" {VIEW_TITLES[who]}", style="italic")
    t.append("  VP ")
    t.append("UA ", style=D.SIDE_STYLE[0])
    t.append(f"{st.vp[0]:.1f} ")
    t.append("RU ", style=D.SIDE_STYLE[1])
    t.append(f"{st.vp[1]:.1f}")
    if overlay:
        t.append(f"  [{overlay}]", style="italic")
    if playing:
        t.append("  ▶ playing (p pauses)", style="bold")
    t.append(f"  {r.save.name}", style="dim")
    return t


def prompt_text(step: Step, who: str) -> Text:
    """The line under the map: what is shown and the keys that go on from here."""
    t = Text()
    if step.stage == "orders":
        who = "both sides'" if who == "truth" else f"{who.upper()}'s"
        t.append(f"Day {step.turn}, start: {who} orders, on the map and below. ", style="bold")
        t.append("] the results · [ back · v the view · l the list · ? all keys", style="dim")
    else:
        t.append(f"Day {step.turn}, results. ", style="bold")
        t.append("l, Enter on an event: why? · ! surprise · ] next day · x re-roll · b take command",
                 style="dim")
    return t
