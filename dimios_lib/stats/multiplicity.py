"""Adjusting p-values for many comparisons: Holm (family-wise error), Benjamini–Hochberg and
Benjamini–Yekutieli (false discovery rate).
"""

from __future__ import annotations

import numpy as np

METHODS = ("holm", "fdr_bh", "fdr_by", "none")


def adjust_pvalues(p, *, method: str = "holm") -> np.ndarray:
    """Multiplicity-adjusted p-values; missing values stay missing and are not counted.

    ``method="holm"`` (Holm 1979, family-wise error), ``"fdr_bh"`` (Benjamini & Hochberg 1995,
    false discovery rate, via statsmodels ``multipletests``), ``"fdr_by"`` (Benjamini &
    Yekutieli 2001: the same under any dependence, at the price of a factor
    :math:`\\sum_{i \\le m} 1/i`) or ``"none"`` (the p-values as they are). All are computed here (the same
    numbers as statsmodels' ``multipletests``, which the tests check, without importing
    statsmodels in a report, and without the full garbage collection that it runs on every Holm
    call).

    Notes
    -----
    Holm: with the :math:`m` p-values sorted, :math:`\\tilde p_{(i)} = \\max_{j \\le i}
    \\min(1, (m - j + 1)\\,p_{(j)})`.

    Examples
    --------
    Holm by hand for p = 0.01, 0.04, 0.03, 0.005: sorted 0.005 x 4 = 0.02, 0.01 x 3 = 0.03,
    0.03 x 2 = 0.06, 0.04 x 1 = 0.04 → running maximum 0.02, 0.03, 0.06, 0.06.

    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.005]).round(4).tolist()
    [0.03, 0.06, 0.06, 0.02]
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if not ok.any():
        return out
    if method == "none":
        out[ok] = p[ok]
        return out
    if method in ("fdr_bh", "fdr_by"):
        out[ok] = _step_up(p[ok], method == "fdr_by")
        return out
    q = p[ok]
    m = len(q)
    order = np.argsort(q, kind="stable")
    adjusted = np.minimum(1, np.maximum.accumulate((m - np.arange(m)) * q[order]))
    result = np.empty(m)
    result[order] = adjusted
    out[ok] = result
    return out


def _step_up(q: np.ndarray, dependent: bool) -> np.ndarray:
    """Benjamini–Hochberg (or –Yekutieli) adjusted p-values: with the *m* p-values sorted,
    :math:`\\tilde p_{(i)} = \\min_{j \\ge i} \\min(1, c\\,m\\,p_{(j)}/j)`, *c* = 1 (BH) or
    :math:`\\sum_{k \\le m} 1/k` (BY); the same numbers as statsmodels ``multipletests``
    (tested), without importing statsmodels in a report.

    >>> _step_up(np.array([0.01, 0.04, 0.03, 0.005]), False).round(4).tolist()
    [0.02, 0.04, 0.04, 0.02]
    """
    m = len(q)
    c = float(np.sum(1.0 / np.arange(1, m + 1))) if dependent else 1.0
    order = np.argsort(q, kind="stable")
    scaled = c * m * q[order] / np.arange(1, m + 1)
    adjusted = np.minimum(1, np.minimum.accumulate(scaled[::-1])[::-1])
    result = np.empty(m)
    result[order] = adjusted
    return result
