"""Small SVG charts for the HTML report, written by hand (no plotting dependency).

``line_chart`` and ``stacked_bars`` return one ``<svg>`` element as text: a title, axes with
round-number ticks, a legend naming every series (lines also differ by dash pattern, so
colour is never the only signal) and a ``<title>`` tooltip on every bar. All text is escaped.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Callable, Sequence

SIDE_COLOURS = {"ua": "#1f5fa8", "ru": "#b8322a", "contested": "#6b6b6b"}
CAUSE_COLOURS = {"drone": "#7b3fa0", "glide_bomb": "#d9822b", "artillery": "#8c6d31",
                 "ground": "#2f7d4f", "attrition": "#9a9a9a"}
DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 2")
W, H = 640, 270
LEFT, RIGHT, TOP, BOTTOM = 58, 14, 30, 62


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def nice_ticks(top: float, n: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``."""
    if not math.isfinite(top) or top <= 0:
        return [0.0, 1.0]
    raw = top / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    count = math.ceil(top / step - 1e-9)
    return [i * step for i in range(count + 1)]


def _fmt(v: float) -> str:
    return f"{v:.0f}" if abs(v - round(v)) < 1e-9 else f"{v:g}"


def _frame(title: str, x: Sequence, y_max: float, y_label: str) -> tuple[list[str], float, float, float, Callable]:
    ticks = nice_ticks(y_max)
    top = ticks[-1] or 1.0
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM
    uid = "chart-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:10]   # stable: same report, same text
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
           f'role="img" aria-labelledby="{uid}" font-family="sans-serif" font-size="11">',
           f'<title id="{uid}">{_e(title)}</title>',
           f'<text x="{W / 2:.0f}" y="18" text-anchor="middle" font-size="13" font-weight="bold">{_e(title)}</text>']
    for t in ticks:
        y = TOP + ph - ph * t / top
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(t)}</text>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + ph}" x2="{W - RIGHT}" y2="{TOP + ph}" stroke="#333"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + ph}" stroke="#333"/>')
    if y_label:
        out.append(f'<text x="14" y="{TOP + ph / 2:.0f}" text-anchor="middle" '
                   f'transform="rotate(-90 14 {TOP + ph / 2:.0f})">{_e(y_label)}</text>')
    n = max(len(x), 1)
    every = max(1, math.ceil(n / 12))
    for i, v in enumerate(x):
        if i % every == 0 or i == n - 1:
            cx = LEFT + pw * (i + 0.5) / n
            out.append(f'<text x="{cx:.1f}" y="{TOP + ph + 14}" text-anchor="middle">{_e(v)}</text>')
    out.append(f'<text x="{LEFT + pw / 2:.0f}" y="{TOP + ph + 28}" text-anchor="middle">turn</text>')

    def scale(i: float, v: float) -> tuple[float, float]:
        return LEFT + pw * (i + 0.5) / n, TOP + ph - ph * max(v, 0.0) / top
    return out, pw, ph, top, scale


def _legend(items: list[tuple[str, str, str, bool]]) -> list[str]:
    """(label, colour, dash, is_line) entries in a row under the plot."""
    out = []
    x = LEFT
    y = H - 14
    for label, colour, dash, is_line in items:
        if is_line:
            d = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line x1="{x}" y1="{y - 4}" x2="{x + 22}" y2="{y - 4}" stroke="{colour}" stroke-width="2.5"{d}/>')
        else:
            out.append(f'<rect x="{x + 6}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 27}" y="{y}">{_e(label)}</text>')
        x += 34 + 7 * len(label)
    return out


def line_chart(title: str, x: Sequence, lines: Sequence[tuple[str, Sequence[float], str]], y_label: str = "") -> str:
    """One line per (label, values, colour), values aligned with ``x``."""
    y_max = max((max(v, default=0.0) for _, v, _ in lines), default=0.0)
    out, _pw, _ph, _top, scale = _frame(title, x, y_max, y_label)
    legend = []
    for j, (label, values, colour) in enumerate(lines):
        dash = DASHES[j % len(DASHES)]
        pts = " ".join(f"{px:.1f},{py:.1f}" for px, py in (scale(i, float(v)) for i, v in enumerate(values)))
        d = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.5"{d}>'
                   f'<title>{_e(label)}</title></polyline>')
        legend.append((label, colour, dash, True))
    out += _legend(legend)
    out.append("</svg>")
    return "\n".join(out)


def stacked_bars(title: str, x: Sequence, stacks: Sequence[tuple[str, Sequence[float], str]], y_label: str = "") -> str:
    """One bar per x, made of one segment per (label, values, colour)."""
    n = len(x)
    totals = [sum(float(v[i]) for _, v, _ in stacks) for i in range(n)]
    out, pw, _ph, _top, scale = _frame(title, x, max(totals, default=0.0), y_label)
    bw = max(pw / max(n, 1) * 0.7, 1.0)
    for i in range(n):
        base = 0.0
        for label, values, colour in stacks:
            v = float(values[i])
            if v <= 0:
                continue
            cx, y1 = scale(i, base + v)
            _, y0 = scale(i, base)
            out.append(f'<rect x="{cx - bw / 2:.1f}" y="{y1:.1f}" width="{bw:.1f}" height="{max(y0 - y1, 0.0):.1f}" '
                       f'fill="{colour}"><title>{_e(f"turn {x[i]}: {label} {v:.1f}")}</title></rect>')
            base += v
    out += _legend([(label, colour, "", False) for label, _, colour in stacks])
    out.append("</svg>")
    return "\n".join(out)
