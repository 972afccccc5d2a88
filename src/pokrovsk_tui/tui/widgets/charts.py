"""Charts over a saved game's turns (textual-plotext): what each chart holds is a pure
function of ``report.series`` (``charts``, tested without a screen); ``ChartView`` draws one
chart as one plot per panel. Every line has a marker letter as well as a colour, named in
the legend, so a chart reads in 16 colours and for colour-blind eyes."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual_plotext import PlotextPlot

from pokrovsk_tui.report.timeline import CAUSE_LABELS
from pokrovsk_tui.rules.world import CAUSES

SIDE_LINE = {"ua": ("UA", "blue", "o"), "ru": ("RU", "red", "x")}
CAUSE_LINE = {"drone": ("orange", "D"), "glide_bomb": ("magenta", "B"), "artillery": ("yellow", "A"),
              "ground": ("green", "G"), "attrition": ("cyan", "T")}


@dataclass(frozen=True)
class Line:
    label: str
    values: list[float]
    color: str
    marker: str


@dataclass(frozen=True)
class Panel:
    title: str
    ylabel: str
    lines: list[Line]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    panels: list[Panel]


def _sides(data: dict[str, Any], name: str, suffix: str = "") -> list[Line]:
    return [Line(SIDE_LINE[k][0] + suffix, [float(x) for x in data[name][k]], SIDE_LINE[k][1], SIDE_LINE[k][2])
            for k in ("ua", "ru")]


def charts(data: dict[str, Any]) -> list[Chart]:
    """The replay's charts from ``report.series.series(save)``: x is ``data["turn"]``."""
    out = [Chart("strength", "Strength", [Panel("Strength of each side on the map", "strength",
                                                _sides(data, "strength"))])]
    panels = []
    for k in ("ua", "ru"):
        lines = [Line(CAUSE_LABELS[c], [float(x) for x in accumulate(data["losses"][k][c])],
                      CAUSE_LINE[c][0], CAUSE_LINE[c][1]) for c in CAUSES]
        panels.append(Panel(f"{k.upper()} casualties by cause (cumulative)", "strength lost", lines))
    out.append(Chart("casualties", "Casualties", panels))
    hexes = [Line("UA", [float(x) for x in data["hexes"]["ua"]], "blue", "o"),
             Line("RU", [float(x) for x in data["hexes"]["ru"]], "red", "x"),
             Line("contested", [float(x) for x in data["hexes"]["contested"]], "magenta", "+")]
    out.append(Chart("hexes", "Hexes", [Panel("Hexes controlled", "hexes", hexes)]))
    out.append(Chart("supply", "Supply", [
        Panel("Supply delivered a day (road and HQ; robots)", "supply",
              _sides(data, "supply", " road") + [Line(SIDE_LINE[k][0] + " robots",
                                                      [float(x) for x in data["robot_supply"][k]],
                                                      "cyan" if k == "ua" else "orange", "r" if k == "ua" else "k")
                                                 for k in ("ua", "ru")]),
        Panel("Isolated units (no supply path)", "units", _sides(data, "isolated"))]))
    out.append(Chart("drones", "Drones", [
        Panel("Drone sorties flown a day", "sorties", _sides(data, "sorties")),
        Panel("Drone units lost (total) and drone teams' strength lost a day", "",
              _sides(data, "drone_units_lost", " units lost")
              + [Line(SIDE_LINE[k][0] + " team losses", [float(x) for x in data["drone_team_losses"][k]],
                      "cyan" if k == "ua" else "orange", "t" if k == "ua" else "s") for k in ("ua", "ru")])]))
    out.append(Chart("vp", "VP", [Panel("Victory points", "VP", _sides(data, "vp"))]))
    return out


class ChartView(Horizontal):
    """One chart: a plot per panel, side by side, with the day being replayed marked."""

    DEFAULT_CSS = """
    ChartView { height: 1fr; }
    ChartView PlotextPlot { width: 1fr; height: 1fr; }
    """

    def __init__(self, chart: Chart, turns: list[int], marker: int | None = None, *, id: str | None = None):
        super().__init__(id=id)
        self.chart = chart
        self.turns = [int(t) for t in turns]
        self.marker = marker

    def compose(self) -> ComposeResult:
        for _ in self.chart.panels:
            yield PlotextPlot()

    def on_mount(self) -> None:
        for plot, panel in zip(self.query(PlotextPlot), self.chart.panels, strict=True):
            plt = plot.plt
            plt.clear_data()
            for line in panel.lines:
                plt.plot(self.turns, line.values, label=f"{line.marker} {line.label}", color=line.color,
                         marker=line.marker)
            if self.turns:
                every = max(1, -(-len(self.turns) // 8))
                ticks = self.turns[::every]
                plt.xticks(ticks, [str(t) for t in ticks])
            if self.marker is not None:
                plt.vertical_line(self.marker, "white")
            plt.title(panel.title)
            plt.xlabel("day (0: the start)" + (f"; | day {self.marker}" if self.marker is not None else ""))
            if panel.ylabel:
                plt.ylabel(panel.ylabel)
            plot.refresh()
