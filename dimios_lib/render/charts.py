"""The chart types of the reports, drawn as inline SVG (:mod:`dimios_lib.render.svg`).

Each function takes numbers and words already in the report language and returns SVG markup
(one ``<svg>``, or for :func:`dot_rows` a wide and a narrow twin). Labels sit in their own
column or row, never on the data; a missing round leaves a gap in a line; axis numbers are
formatted by :mod:`dimios_lib.text.numbers` (decimal comma and ``%`` with a space in Swedish).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..text import numbers as num
from .svg import (
    COLOURS,
    DASHES,
    FONT,
    GRID,
    INK,
    MUTED,
    SERIES,
    SHAPES,
    SMALL,
    WIDE,
    WIDTH,
    Scale,
    Svg,
    _nan,
    esc,
    legend,
    ticks,
)


def wrap(text: str, chars: int) -> list[str]:
    """Split a label into lines of about ``chars`` characters (at most two; the second may be
    shortened with an ellipsis).

    >>> wrap("Prioritering som balanserar effektivitet och innovation", 30)
    ['Prioritering som balanserar', 'effektivitet och innovation']
    """
    words, lines, cur = str(text).split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > chars:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    if len(lines) > 2:
        rest = " ".join(lines[1:])
        lines = [lines[0], rest[: chars - 1].rstrip() + "…"]
    return lines


@dataclass
class Ref:
    """A reference value drawn with a row: its name, marker and colour."""

    label: str
    shape: str
    colour: str


@dataclass
class Row:
    label: str
    value: float
    low: float = float("nan")
    high: float = float("nan")
    refs: list[float] = field(default_factory=list)
    note: str = ""          # short text after the value (e.g. "▼" or "n = 12")
    strong: bool = False    # drawn in bold (the municipality itself)


def tick_label(v: float, lang: str, percent: bool = True) -> str:
    """An axis number with the decimals it needs (at most one), in the language's format.

    >>> tick_label(2.5, "sv", False), tick_label(40, "sv"), tick_label(2.5, "en", False)
    ('2,5', '40\xa0%', '2.5')
    """
    text = num.decimal(v, lang, 1)
    return text + num.percent_sign(lang) if percent else text


def _axis_x(svg: Svg, sc: Scale, lo: float, hi: float, top: float, bottom: float, lang: str, *,
            percent: bool = True, label_y: float | None = None) -> None:
    for v in ticks(lo, hi, 5):
        x = sc(v)
        svg.line(x, top, x, bottom, colour=GRID, width=0.8)
        text = tick_label(v, lang, percent)
        svg.text(x, bottom + 11 if label_y is None else label_y, text, size=SMALL,
                 anchor="middle", colour=MUTED)


def dot_rows(rows: Sequence[Row], refs: Sequence[Ref], *, lang: str, self_label: str,
             scale: tuple[float, float] = (0, 100), percent: bool = True,
             self_colour: str = COLOURS["self"], decimals: int = 0,
             title: str = "") -> tuple[Svg, Svg]:
    """A dot plot, one row per item: the value with its interval and reference markers, under
    an optional bold ``title``.

    Returns the wide twin (labels to the left) and the narrow twin (labels above).
    """
    out: list[Svg] = []
    for wide in (True, False):
        width = WIDE if wide else WIDTH
        label_w = 235 if wide else 0
        value_w = 62
        left, right = 8 + label_w, width - value_w
        sc = Scale(scale[0], scale[1], left + 6, right - 6)
        chars = 38 if wide else 52
        y = 30.0
        svg = Svg(width, 10, cls="chart-wide" if wide else "chart-narrow")
        items = [(self_label, "circle", self_colour, "")] + [(r.label, r.shape, r.colour, "none")
                                                             for r in refs]
        y = 12.0
        for line in wrap(title, int((width - 16) / (FONT * 0.6))) if title else []:
            svg.text(8, y, line, weight="bold")
            y += 16
        y = legend(svg, items, 8, y, width - 16) + 4
        top = y
        body: list[tuple[float, Row, list[str]]] = []
        for r in rows:
            lines = wrap(r.label, chars)
            if wide:
                h = 24 if len(lines) == 1 else 34
                body.append((y + h / 2, r, lines))
                y += h
            else:
                h = 14 * len(lines) + 18
                body.append((y + 14 * len(lines) + 8, r, lines))
                y += h
        bottom = y
        _axis_x(svg, sc, scale[0], scale[1], top, bottom, lang, percent=percent)
        for k, (cy, r, lines) in enumerate(body):
            weight = "bold" if r.strong else ""
            if k % 2 == 0:
                svg.rect(0, cy - (12 if wide else 14 * len(lines) + 4), width, 24 if wide else
                         14 * len(lines) + 18, fill="#f4f4f4", extra=' fill-opacity="0.7"')
            if wide:
                for j, line in enumerate(lines):
                    svg.text(8, cy + (j - (len(lines) - 1) / 2) * 13, line, weight=weight)
            else:
                for j, line in enumerate(lines):
                    svg.text(8, cy - 14 * (len(lines) - j) - 2, line, weight=weight)
            if not _nan(r.low) and not _nan(r.high):
                svg.line(sc(r.low), cy, sc(r.high), cy, colour=self_colour, width=2, cap="round")
            for ref, v in zip(refs, r.refs):
                if not _nan(v):
                    svg.marker(sc(v), cy, ref.shape, ref.colour, size=4.2)
            if not _nan(r.value):
                svg.marker(sc(r.value), cy, "circle", self_colour, size=5)
            value = (num.pct(r.value, lang, decimals) if percent
                     else num.number(r.value, lang, decimals))
            svg.text(width - 6, cy, (value + (f" {r.note}" if r.note else "")).strip(),
                     anchor="end", weight="bold" if r.strong else "")
        svg.height = bottom + 22
        out.append(svg)
    return out[0], out[1]


def short_round(label: str, lang: str) -> str:
    """``2024-05`` as ``maj 24`` / ``May 24`` (a chart's axis)."""
    full = num.round_label(label, lang)
    parts = full.split()
    if len(parts) == 2 and len(parts[1]) == 4:
        return f"{parts[0][:3]} {parts[1][2:]}"
    return full


@dataclass
class Series:
    label: str
    values: Sequence[float]
    colour: str
    shape: str = "circle"
    dash: str = ""
    low: Sequence[float] | None = None
    high: Sequence[float] | None = None
    counts: Sequence[int] | None = None  # shown under each point ("n = 3")
    width: float = 2.2


def line_chart(rounds: Sequence[str], series: Sequence[Series], *, lang: str,
               scale: tuple[float, float], title: str = "", width: float = WIDTH,
               height: float = 230, end_labels: bool = False, percent: bool = True,
               show_legend: bool = True) -> Svg:
    """Values over rounds: a line per series, broken where a round has no value, markers at
    every value, intervals as vertical bars, a legend above the plot (or names at the right end,
    pushed apart so they never overlap) and optional counts under the points."""
    svg = Svg(width, height)
    label_w = 0.0
    if end_labels:
        label_w = min(120.0, max((len(s.label) for s in series), default=0) * SMALL * 0.6 + 12)
    top = 10.0
    if title:
        svg.text(8, 12, title, weight="bold")
        top = 28.0
    if show_legend and not end_labels:
        top = legend(svg, [(s.label, s.shape, s.colour, s.dash) for s in series], 8,
                     top + (2 if title else 4), width - 16) + 4
        height += top - 10
        svg.height = height
    has_counts = any(s.counts is not None for s in series)
    bottom = height - (40 if has_counts else 26)
    left, right = 40.0, width - label_w - 8
    n = len(rounds)
    xs = Scale(0, max(1, n - 1), left + 12, right - 12)
    ys = Scale(scale[0], scale[1], bottom, top)
    for v in ticks(scale[0], scale[1], 4):
        svg.line(left, ys(v), right, ys(v), colour=GRID, width=0.8)
        svg.text(left - 4, ys(v), tick_label(v, lang, percent),
                 size=SMALL, anchor="end", colour=MUTED)
    step = max(1, int(np.ceil(n * 40 / max(1.0, right - left))))
    for i, r in enumerate(rounds):
        if (n - 1 - i) % step == 0:
            svg.text(xs(i), bottom + 12, short_round(r, lang), size=SMALL, anchor="middle",
                     colour=MUTED)
    ends: list[tuple[float, Series]] = []
    for s in series:
        vals = [float("nan") if _nan(v) else float(v) for v in s.values]
        run: list[tuple[float, float]] = []
        for i, v in enumerate(vals + [float("nan")]):
            if _nan(v):
                svg.polyline(run, colour=s.colour, width=s.width, dash=s.dash)
                run = []
            else:
                run.append((xs(i), ys(v)))
        for i, v in enumerate(vals):
            if _nan(v):
                continue
            if s.low is not None and s.high is not None and not _nan(s.low[i]) \
                    and not _nan(s.high[i]):
                svg.line(xs(i), ys(s.low[i]), xs(i), ys(s.high[i]), colour=s.colour, width=1.2)
            if s.shape:
                svg.marker(xs(i), ys(v), s.shape, s.colour, size=3.8)
            if s.counts is not None:
                svg.text(xs(i), bottom + 25, f"n = {num.integer(s.counts[i], lang)}",
                         size=SMALL - 1, anchor="middle", colour=s.colour)
        last = [i for i, v in enumerate(vals) if not _nan(v)]
        if last and end_labels:
            ends.append((ys(vals[last[-1]]), s))
    if ends:
        ends.sort(key=lambda e: e[0])
        ys_ = [e[0] for e in ends]
        for k in range(1, len(ys_)):
            ys_[k] = max(ys_[k], ys_[k - 1] + 13)
        over = max(0.0, ys_[-1] - (bottom + 4))
        for y, (_, s) in zip(ys_, ends):
            svg.text(right + 4, y - over, s.label, size=SMALL, colour=s.colour, weight="bold")
    return svg


def panels(charts: Sequence[str], *, wide: bool = False) -> str:
    """Small multiples: SVGs in a grid that reflows with the screen (``wide``: fewer, larger
    panels)."""
    cls = "chart-panels wide-panels" if wide else "chart-panels"
    return f'<div class="{cls}">' + "".join(charts) + "</div>"


def bars(labels: Sequence[str], values: Sequence[float], value_labels: Sequence[str], *,
         colour: str = COLOURS["national"], scale_max: float | None = None,
         axis_label: str = "") -> Svg:
    """Horizontal bars, a label above each bar and its value at the bar's end."""
    n = len(labels)
    svg = Svg(WIDTH, 30 + 34 * n)
    top = 8.0
    vmax = scale_max or max([v for v in values if not _nan(v)] + [1])
    sc = Scale(0, vmax, 8, WIDTH - 80)
    for i, (lab, v, vl) in enumerate(zip(labels, values, value_labels)):
        y = top + 34 * i
        svg.text(8, y + 7, lab)
        if not _nan(v):
            svg.rect(8, y + 15, sc(v) - 8, 13, fill=colour)
            svg.text(sc(v) + 5, y + 22, vl, size=SMALL)
    if axis_label:
        svg.text(8, top + 34 * n + 10, axis_label, size=SMALL, colour=MUTED)
    return svg


def histogram(values: Sequence[float], *, lang: str,
              lines: Sequence[tuple[float, str, str, str]],
              bin_width: float = 2.5, axis_label: str = "", count_label: str = "") -> Svg:
    """Counts of municipalities by value, with labelled reference lines (labels in a legend
    above the plot, never on the bars)."""
    v = np.asarray([x for x in values if not _nan(x)], float)
    lo = np.floor((v.min() if v.size else 0) / 10) * 10
    hi = np.ceil((v.max() if v.size else 100) / 10) * 10
    for x, *_ in lines:
        lo, hi = min(lo, np.floor(x / 10) * 10), max(hi, np.ceil(x / 10) * 10)
    edges = np.arange(lo, hi + bin_width, bin_width)
    counts, _ = np.histogram(v, bins=edges)
    svg = Svg(WIDTH, 250)
    y0 = legend(svg, [(lab, "", col, dash) for _, lab, col, dash in lines], 8, 12, WIDTH - 16)
    top, bottom, left, right = y0 + 4, 210.0, 34.0, WIDTH - 18
    xs = Scale(lo, hi, left, right)
    cmax = max(1, counts.max() if counts.size else 1)
    ys = Scale(0, cmax, bottom, top)
    for t in ticks(0, cmax, 4):
        if t != int(t):
            continue
        svg.line(left, ys(t), right, ys(t), colour=GRID, width=0.8)
        svg.text(left - 4, ys(t), num.integer(t, lang), size=SMALL, anchor="end", colour=MUTED)
    for c, a, b in zip(counts, edges[:-1], edges[1:]):
        if c:
            svg.rect(xs(a) + 0.5, ys(c), xs(b) - xs(a) - 1, bottom - ys(c),
                     fill=COLOURS["other"])
    for x, _, col, dash in lines:
        svg.line(xs(x), top, xs(x), bottom, colour=col, width=2, dash=dash)
    for t in ticks(lo, hi, 5):
        svg.text(xs(t), bottom + 12, num.pct(t, lang), size=SMALL, anchor="middle", colour=MUTED)
    if axis_label:
        svg.text(WIDTH / 2, bottom + 30, axis_label, size=SMALL, anchor="middle", colour=MUTED)
    if count_label:
        svg.text(4, top - 8, count_label, size=SMALL, colour=MUTED)
    return svg


def stacked(labels: Sequence[str], parts: Sequence[Sequence[float]], keys: Sequence[str],
            colours: Sequence[str], *, lang: str) -> Svg:
    """Horizontal stacked bars (counts), one per label, a legend above, totals at the end."""
    n = len(labels)
    svg = Svg(WIDTH, 10)
    y = legend(svg, [(k, "square", c, "none") for k, c in zip(keys, colours)], 8, 12,
               WIDTH - 16) + 2
    totals = [sum(p) for p in parts]
    sc = Scale(0, max(totals + [1]), 8, WIDTH - 40)
    for i in range(n):
        svg.text(8, y + 7, labels[i], size=SMALL)
        x = 8.0
        for v, c in zip(parts[i], colours):
            if v:
                w = sc(v) - 8
                svg.rect(x, y + 14, w, 12, fill=c, stroke="#ffffff")
                x += w
        svg.text(x + 4, y + 20, num.integer(totals[i], lang), size=SMALL)
        y += 32
    svg.height = y + 4
    return svg


def scatter(points: Sequence[tuple[float, float, str]], *, lang: str, cuts: tuple[float, float],
            scale: tuple[float, float], xlabel: str, ylabel: str,
            styles: dict[str, tuple[str, str, float]], order: Sequence[str],
            legend_labels: dict[str, str], corners: dict[str, str] | None = None) -> Svg:
    """A scatter of (x, y, role) points; roles drawn in ``order`` (last on top, named in the
    legend, never on the plot), with cut lines and corner names outside the data area."""
    svg = Svg(WIDTH, 10)
    items = [(legend_labels[r], styles[r][0], styles[r][1], "none") for r in order
             if r in legend_labels]
    top = legend(svg, items, 8, 12, WIDTH - 16) + 14
    left, right = 44.0, WIDTH - 12
    size = right - left
    bottom = top + size
    xs = Scale(scale[0], scale[1], left, right)
    ys = Scale(scale[0], scale[1], bottom, top)
    for v in ticks(scale[0], scale[1], 5):
        svg.line(xs(v), top, xs(v), bottom, colour=GRID, width=0.8)
        svg.line(left, ys(v), right, ys(v), colour=GRID, width=0.8)
        svg.text(xs(v), bottom + 11, num.pct(v, lang), size=SMALL, anchor="middle", colour=MUTED)
        svg.text(left - 4, ys(v), num.pct(v, lang), size=SMALL, anchor="end", colour=MUTED)
    svg.line(xs(cuts[0]), top, xs(cuts[0]), bottom, colour=INK, width=1)
    svg.line(left, ys(cuts[1]), right, ys(cuts[1]), colour=INK, width=1)
    if corners:
        svg.text(left, top - 7, corners.get("C", ""), size=SMALL, weight="bold", colour=MUTED)
        svg.text(right, top - 7, corners.get("D", ""), size=SMALL, weight="bold", colour=MUTED,
                 anchor="end")
        svg.text(left, bottom + 24, corners.get("A", ""), size=SMALL, weight="bold",
                 colour=MUTED)
        svg.text(right, bottom + 24, corners.get("B", ""), size=SMALL, weight="bold",
                 colour=MUTED, anchor="end")
    for role in order:
        shape, colour, r = styles[role]
        for x, y, k in points:
            if k == role and not _nan(x) and not _nan(y):
                svg.marker(xs(x), ys(y), shape, colour, size=r)
    svg.text(WIDTH / 2, bottom + 38, xlabel, size=SMALL, anchor="middle", colour=MUTED)
    svg.add(f'<text transform="translate(10 {top + size / 2:.0f}) rotate(-90)" '
            f'text-anchor="middle" font-size="{SMALL}" fill="{MUTED}">{esc(ylabel)}</text>')
    svg.height = bottom + 46
    return svg


def style(i: int) -> tuple[str, str, str]:
    """Colour, marker shape and dash of the i-th series."""
    return SERIES[i % len(SERIES)], SHAPES[i % len(SHAPES)], DASHES[i % len(DASHES)]


__all__ = ["FONT", "Ref", "Row", "Series", "bars", "dot_rows", "histogram", "line_chart",
           "panels", "scatter", "short_round", "stacked", "style", "wrap"]


def before_after(rows: Sequence[tuple[str, float, float]], *, lang: str,
                 scale: tuple[float, float], labels: tuple[str, str], title: str = "") -> Svg:
    """Each row's value before (open circle) and after (filled diamond), joined by a line;
    labels above the rows, both values written at the right."""
    svg = Svg(WIDTH, 10)
    y = 12.0
    if title:
        svg.text(8, y, title, weight="bold")
        y += 16
    y = legend(svg, [(labels[0], "circle", COLOURS["national"], "none"),
                     (labels[1], "diamond", COLOURS["self"], "none")], 8, y, WIDTH - 16) + 2
    top = y
    sc = Scale(scale[0], scale[1], 14, WIDTH - 96)
    for label, b, a in rows:
        svg.text(8, y + 7, label, size=SMALL)
        cy = y + 22
        if not _nan(b) and not _nan(a):
            svg.line(sc(b), cy, sc(a), cy, colour=MUTED, width=1.4)
        if not _nan(b):
            svg.marker(sc(b), cy, "circle", COLOURS["national"], size=4.5, filled=False)
        if not _nan(a):
            svg.marker(sc(a), cy, "diamond", COLOURS["self"], size=4.5)
        svg.text(WIDTH - 6, cy, f"{num.number(b, lang, 2)} → {num.number(a, lang, 2)}",
                 size=SMALL, anchor="end")
        y += 36
    for v in ticks(scale[0], scale[1], 4):
        svg.line(sc(v), top, sc(v), y, colour=GRID, width=0.6)
        svg.text(sc(v), y + 10, tick_label(v, lang, False), size=SMALL, anchor="middle",
                 colour=MUTED)
    svg.parts.sort(key=lambda p: 0 if 'stroke="#d9d9d9"' in p else 1)
    svg.height = y + 22
    return svg
