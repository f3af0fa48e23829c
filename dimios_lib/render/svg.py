"""Drawing charts as inline SVG: real text (sharp when zoomed, searchable, read by screen readers),
a ``viewBox`` and ``width: 100%`` so a chart scales to any screen, numbers in the report
language's format (:mod:`dimios_lib.text.numbers`).

Charts are drawn narrow (:data:`WIDTH` units) with a 12-unit font, so on a 320 px phone the text
is still about 10 px; wide charts (labels beside the data) come with a narrow twin (labels above
the data) and the page shows the one that fits (``chart-wide`` / ``chart-narrow`` in
:mod:`dimios_lib.render.page`).

Every data colour has a contrast of at least 3:1 against the white background (WCAG 1.4.11,
tested), and every series also differs in marker shape or line style.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np

WIDTH = 360.0
WIDE = 640.0
FONT = 12.0
SMALL = 10.5
BACKGROUND = "#ffffff"
INK = "#1a1a1a"
MUTED = "#4d4d4d"
GRID = "#d9d9d9"

COLOURS = {
    "self": "#C44E00",      # the municipality (a darkened Okabe-Ito vermillion)
    "national": "#0072B2",  # the national mean (Okabe-Ito blue)
    "peer": "#88419D",      # the peer group
    "county": "#007A5E",    # the county (a darkened Okabe-Ito bluish green)
    "group": "#1a1a1a",     # a group mean
    "other": "#767676",     # every other municipality
    "target": "#9E5A00",    # a target
}
"""Colours by role; each at least 3:1 against white."""

SERIES = ["#0072B2", "#C44E00", "#007A5E", "#88419D", "#9E5A00", "#1a1a1a"]
"""Colours for up to six series (more lines than that become small multiples)."""

SEQUENTIAL = ["#5a8fc4", "#3a76b8", "#2c62a3", "#1e4c88", "#0a224b"]
"""Five classes for a choropleth, light to dark, each at least 3:1 against white."""

TYPE_COLOURS = {"A": "#C44E00", "B": "#9E5A00", "C": "#0072B2", "D": "#007A5E"}

SHAPES = ["circle", "diamond", "triangle", "square", "triangle-down", "cross"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2"]


def luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2)."""
    c = colour.lstrip("#")
    rgb = [int(c[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str = BACKGROUND) -> float:
    """WCAG contrast ratio of two colours.

    >>> round(contrast("#000000"), 1), round(contrast("#0072B2"), 2)
    (21.0, 5.19)
    """
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def f(x: float) -> str:
    """A coordinate, short."""
    return f"{x:.1f}".rstrip("0").rstrip(".") if abs(x - round(x)) > 1e-9 else str(int(round(x)))


class Scale:
    """A linear map from data to drawing units."""

    def __init__(self, lo: float, hi: float, a: float, b: float):
        self.lo, self.hi, self.a, self.b = float(lo), float(hi), float(a), float(b)

    def __call__(self, x: float) -> float:
        span = self.hi - self.lo or 1.0
        return self.a + (float(x) - self.lo) / span * (self.b - self.a)


def ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering [lo, hi].

    >>> ticks(0, 100)
    [0, 20, 40, 60, 80, 100]
    """
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = span / max(1, n)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    start = math.ceil(lo / step - 1e-9) * step
    return [round(start + k * step, 10) for k in range(int((hi - start) / step + 1e-9) + 1)]


def nice_range(values, *, pad: float = 5, floor: float = 0, ceil: float = 100,
               at_least: tuple[float, float] | None = None) -> tuple[float, float]:
    """A data range rounded outwards to tens, within [floor, ceil]."""
    v = np.asarray([x for x in values if x is not None and not _nan(x)], float)
    if not v.size:
        return (floor, ceil)
    lo, hi = v.min() - pad, v.max() + pad
    if at_least:
        lo, hi = min(lo, at_least[0]), max(hi, at_least[1])
    return (max(floor, math.floor(lo / 10) * 10), min(ceil, math.ceil(hi / 10) * 10))


def _nan(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


class Svg:
    """An SVG drawing with a ``<title>`` (the alt text) and optional ``<desc>``."""

    def __init__(self, width: float = WIDTH, height: float = 200.0, *, cls: str = ""):
        self.width, self.height, self.cls = width, height, cls
        self.parts: list[str] = []
        self.defs: list[str] = []

    def add(self, element: str) -> None:
        self.parts.append(element)

    def text(self, x: float, y: float, s: str, *, size: float = FONT, anchor: str = "start",
             weight: str = "", colour: str = INK, baseline: str = "middle", lang: str = "",
             cls: str = "") -> None:
        w = f' font-weight="{weight}"' if weight else ""
        c = f' fill="{colour}"' if colour != INK else ""
        a = f' text-anchor="{anchor}"' if anchor != "start" else ""
        sz = f' font-size="{f(size)}"' if size != FONT else ""
        lg = f' lang="{lang}"' if lang else ""
        k = f' class="{cls}"' if cls else ""
        self.add(f'<text x="{f(x)}" y="{f(y)}" dominant-baseline="{baseline}"{a}{sz}{w}{c}{lg}{k}>'
                 f"{esc(s)}</text>")

    def line(self, x1, y1, x2, y2, *, colour: str = INK, width: float = 1.0, dash: str = "",
             cap: str = "") -> None:
        d = f' stroke-dasharray="{dash}"' if dash else ""
        c = f' stroke-linecap="{cap}"' if cap else ""
        self.add(f'<line x1="{f(x1)}" y1="{f(y1)}" x2="{f(x2)}" y2="{f(y2)}" stroke="{colour}" '
                 f'stroke-width="{f(width)}"{d}{c}/>')

    def rect(self, x, y, w, h, *, fill: str, stroke: str = "", extra: str = "") -> None:
        s = f' stroke="{stroke}"' if stroke else ""
        self.add(f'<rect x="{f(x)}" y="{f(y)}" width="{f(max(0, w))}" height="{f(max(0, h))}" '
                 f'fill="{fill}"{s}{extra}/>')

    def polyline(self, points: Sequence[tuple[float, float]], *, colour: str, width: float = 2.0,
                 dash: str = "") -> None:
        if len(points) < 2:
            return
        d = f' stroke-dasharray="{dash}"' if dash else ""
        pts = " ".join(f"{f(x)},{f(y)}" for x, y in points)
        self.add(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="{f(width)}"'
                 f' stroke-linejoin="round"{d}/>')

    def marker(self, x: float, y: float, shape: str, colour: str, *, size: float = 5.0,
               filled: bool = True, outline: str = "#ffffff") -> None:
        fill = colour if filled else "#ffffff"
        stroke = f' stroke="{outline if filled else colour}" stroke-width="{1 if filled else 1.8}"'
        s = size
        if shape == "circle":
            self.add(f'<circle cx="{f(x)}" cy="{f(y)}" r="{f(s)}" fill="{fill}"{stroke}/>')
            return
        if shape == "square":
            pts = [(x - s * .9, y - s * .9), (x + s * .9, y - s * .9), (x + s * .9, y + s * .9),
                   (x - s * .9, y + s * .9)]
        elif shape == "diamond":
            pts = [(x, y - s * 1.25), (x + s * 1.1, y), (x, y + s * 1.25), (x - s * 1.1, y)]
        elif shape == "triangle":
            pts = [(x, y - s * 1.2), (x + s * 1.15, y + s * .85), (x - s * 1.15, y + s * .85)]
        elif shape == "triangle-down":
            pts = [(x, y + s * 1.2), (x + s * 1.15, y - s * .85), (x - s * 1.15, y - s * .85)]
        else:  # cross
            t = s * .45
            pts = [(x - t, y - s), (x + t, y - s), (x + t, y - t), (x + s, y - t), (x + s, y + t),
                   (x + t, y + t), (x + t, y + s), (x - t, y + s), (x - t, y + t), (x - s, y + t),
                   (x - s, y - t), (x - t, y - t)]
        p = " ".join(f"{f(a)},{f(b)}" for a, b in pts)
        self.add(f'<polygon points="{p}" fill="{fill}"{stroke}/>')

    def html(self, title: str, desc: str = "") -> str:
        """The inline ``<svg>``: ``role="img"``, its title (the alt text) and description."""
        d = f"<desc>{esc(desc)}</desc>" if desc else ""
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        cls = f"chart-svg {self.cls}".strip()
        return (f'<svg class="{cls}" viewBox="0 0 {f(self.width)} {f(self.height)}" '
                f'width="100%" role="img" '
                f'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, Arial, sans-serif" '
                f'font-size="{f(FONT)}" style="max-width:{f(self.width * 1.35)}px">'
                f"<title>{esc(title)}</title>{d}{defs}{''.join(self.parts)}</svg>")


def legend(svg: Svg, items: Sequence[tuple[str, str, str, str]], x: float, y: float,
           width: float) -> float:
    """Legend entries ``(label, shape, colour, dash)`` wrapped into rows from (x, y); returns the
    y below the legend. An entry with a dash draws a short line with the marker."""
    cx, cy = x, y
    for label, shape, colour, dash in items:
        w = 30 + len(label) * SMALL * 0.62
        if cx + w > x + width and cx > x:
            cx, cy = x, cy + 18
        if dash is not None and dash != "none":
            svg.line(cx, cy, cx + 16, cy, colour=colour, width=2, dash=dash)
        if shape:
            svg.marker(cx + 8, cy, shape, colour, size=4.5)
        svg.text(cx + 21, cy, label, size=SMALL)
        cx += w
    return cy + 16


def tint(gap) -> str:
    """A cell's background: white blended towards orange (below the national value of the
    unit) or blue (above) in proportion to the gap, full at 15 points; light enough that dark
    text keeps a contrast above 4.5:1. Colour only repeats the printed difference."""
    if _nan(gap):
        return ""
    share = min(abs(float(gap)), 15.0) / 15.0
    end = (246, 190, 150) if gap < 0 else (170, 205, 235)
    rgb = [round(255 + (e - 255) * share) for e in end]
    return "#" + "".join(f"{v:02x}" for v in rgb)
