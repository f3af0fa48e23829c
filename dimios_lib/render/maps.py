"""Maps as inline SVG, drawn from the packaged municipality boundaries
(:mod:`dimios_lib.reference.maps`): a choropleth of Sweden's municipalities (a municipality
without data is hatched and named so in the legend, never given a colour of the scale) and a
county map marking one municipality and its peers. Each map has a ``<title>`` (the alt text);
the report shows the same content as a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from ..reference.maps import shapes
from ..text import numbers as num
from .svg import COLOURS, MUTED, SEQUENTIAL, SMALL, Svg, esc, f

NO_DATA_FILL = "url(#nodata)"
HATCH = ('<pattern id="nodata" width="5" height="5" patternUnits="userSpaceOnUse" '
         'patternTransform="rotate(45)"><rect width="5" height="5" fill="#ffffff"/>'
         '<line x1="0" y1="0" x2="0" y2="5" stroke="#8c8c8c" stroke-width="1.4"/></pattern>')


def _paths(codes: Iterable[str], tolerance: float):
    geo = shapes(list(codes), tolerance=tolerance)
    pts = [r for rings in geo.values() for r in rings]
    allp = np.concatenate(pts) if pts else np.zeros((1, 2))
    return geo, allp[:, 0].min(), allp[:, 0].max(), allp[:, 1].min(), allp[:, 1].max()


def _d(rings, x0: float, y1: float, k: float, dx: float, dy: float) -> str:
    parts = []
    for r in rings:
        xy = [(dx + (x - x0) * k, dy + (y1 - y) * k) for x, y in r]
        parts.append("M" + "L".join(f"{f(round(a, 1))},{f(round(b, 1))}" for a, b in xy) + "Z")
    return "".join(parts)


def classes(values: Sequence[float], k: int = 5) -> list[float]:
    """Class limits at the quantiles of ``values``, rounded to whole numbers (k + 1 limits).

    >>> classes(list(range(100)), 4)
    [0.0, 25.0, 50.0, 74.0, 99.0]
    """
    v = np.asarray([x for x in values if x == x], float)
    if not v.size:
        return [0.0, 100.0]
    q = np.quantile(v, np.linspace(0, 1, k + 1))
    out = [float(np.floor(q[0]))] + [float(np.round(x)) for x in q[1:-1]] + [float(np.ceil(q[-1]))]
    return sorted(set(out))


def class_of(x: float, limits: Sequence[float]) -> int:
    for i in range(len(limits) - 1):
        if x <= limits[i + 1] or i == len(limits) - 2:
            return i
    return 0


def choropleth(values: dict[str, float], *, lang: str, alt: str, no_data: str,
               names: dict[str, str], tolerance: float = 1.6) -> str:
    """Every municipality coloured by its value class; municipalities without a value hatched.
    Each municipality carries a ``<title>`` with its name and value (shown on hover)."""
    codes = sorted(names)
    geo, xmin, xmax, ymin, ymax = _paths(codes, tolerance)
    width = 300.0
    k = (width - 10) / (xmax - xmin)
    height = (ymax - ymin) * k + 10
    svg = Svg(width, height, cls="map")
    svg.defs.append(HATCH)
    limits = classes(list(values.values()))
    colours = SEQUENTIAL[-(len(limits) - 1):] if len(limits) > 1 else SEQUENTIAL[:1]
    for code in codes:
        v = values.get(code)
        has = v is not None and v == v
        fill = colours[class_of(float(v), limits)] if has and v is not None else NO_DATA_FILL
        label = f"{names[code]}: {num.pct(v, lang) if has else no_data}"
        svg.add(f'<path d="{_d(geo[code], xmin, ymax, k, 5, 5)}" fill="{fill}" stroke="#ffffff" '
                f'stroke-width="0.4" fill-rule="evenodd"><title>{esc(label)}</title></path>')
    y = 14.0
    for i, c in enumerate(colours):
        svg.rect(8, y - 6, 14, 12, fill=c)
        svg.text(27, y, f"{num.number(limits[i], lang, 0)}–{num.pct(limits[i + 1], lang)}",
                 size=SMALL)
        y += 17
    svg.rect(8, y - 6, 14, 12, fill=NO_DATA_FILL, stroke="#8c8c8c")
    svg.text(27, y, no_data, size=SMALL)
    return svg.html(alt)


def county_map(codes: Sequence[str], *, focus: str, peers: Iterable[str], names: dict[str, str],
               lang: str, alt: str, legend: Sequence[str], tolerance: float = 0.5) -> str:
    """The municipalities ``codes`` (a county and any peers outside it): ``focus`` filled in the
    municipality's colour and named, ``peers`` in the peer colour, the others light grey;
    ``legend``: the words for focus, peers and others."""
    peers = set(peers) - {focus}
    geo, xmin, xmax, ymin, ymax = _paths(codes, tolerance)
    width = 360.0
    top = 44.0
    k = min((width - 10) / max(1e-6, xmax - xmin), 420 / max(1e-6, ymax - ymin))
    height = (ymax - ymin) * k + top + 10
    svg = Svg(width, height, cls="map")
    svg.defs.append(HATCH)
    fills = {focus: COLOURS["self"]}
    for c in peers:
        fills[c] = COLOURS["peer"]
    for code in codes:
        fill = fills.get(code, "#eeeeee")
        svg.add(f'<path d="{_d(geo[code], xmin, ymax, k, 5, top)}" fill="{fill}" '
                f'stroke="{MUTED}" stroke-width="0.6" fill-rule="evenodd">'
                f"<title>{esc(names.get(code, code))}</title></path>")
    items = [(legend[0], COLOURS["self"]), (legend[1], COLOURS["peer"]), (legend[2], "#eeeeee")]
    x = 8.0
    for label, col in items:
        svg.rect(x, 8, 14, 12, fill=col, stroke=MUTED)
        svg.text(x + 19, 14, label, size=SMALL)
        x += 36 + len(label) * SMALL * 0.62
    return svg.html(alt)
