"""Intervals of means: the t-interval of a mean of municipality scores, and fast column quantiles
for percentile intervals of bootstrap replicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import special


def column_quantiles(values: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Quantiles of each column, ignoring NaN; numpy's default ("linear") method.

    Equivalent to ``np.nanquantile(values, qs, axis=0)`` (tested), without its per-column
    Python loop: one sort (NaN sorts last), then interpolation between order statistics at
    position ``q x (n - 1)`` where ``n`` counts a column's non-missing values. A column with no
    values gives NaN.
    """
    ordered = np.sort(values, axis=0)
    n = (~np.isnan(values)).sum(axis=0)
    out = np.full((len(qs), values.shape[1]), np.nan)
    has = n > 0
    cols = np.flatnonzero(has)
    for k, q in enumerate(qs):
        pos = q * (n[has] - 1)
        lo = np.floor(pos).astype(np.intp)
        hi = np.minimum(lo + 1, n[has] - 1)
        frac = pos - lo
        a, b = ordered[lo, cols], ordered[hi, cols]
        out[k, has] = a + (b - a) * frac
    return out


def t_interval(values: Iterable[float], level: float = 0.95, bounds: tuple[float, float] = (0, 100)
               ) -> tuple[float, float, float, int]:
    """Mean and t-interval of municipality scores: ``(mean, low, high, n)``.

    The interval is clipped to ``bounds`` (percentages cannot leave 0-100; with three
    municipalities a t-interval easily would).

    Examples
    --------
    40, 50 and 60: mean 50, half-width t(0.975, 2) x 10 / sqrt(3) = 4.3027 x 5.7735 = 24.84.

    >>> [round(v, 2) for v in t_interval([40, 50, 60])]
    [50.0, 25.16, 74.84, 3]
    """
    v = np.asarray([x for x in values if not pd.isna(x)], dtype=float)
    if v.size == 0:
        return (np.nan, np.nan, np.nan, 0)
    m = float(v.mean())
    if v.size < 2:
        return (m, np.nan, np.nan, 1)
    half = special.stdtrit(v.size - 1, 0.5 + level / 2) * v.std(ddof=1) / np.sqrt(v.size)
    return (m, float(max(m - half, bounds[0])), float(min(m + half, bounds[1])), int(v.size))
