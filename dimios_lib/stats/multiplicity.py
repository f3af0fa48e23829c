"""Adjusting p-values for many comparisons: Holm (family-wise error) and Benjamini–Hochberg
(false discovery rate).
"""

from __future__ import annotations

import numpy as np


def adjust_pvalues(p, *, method: str = "holm") -> np.ndarray:
    """Multiplicity-adjusted p-values; missing values stay missing and are not counted.

    ``method="holm"`` (Holm 1979, family-wise error) or ``"fdr_bh"`` (Benjamini & Hochberg 1995,
    false discovery rate, via statsmodels ``multipletests``). Holm is computed here (the same
    numbers as ``multipletests(method="holm")``, which the tests check, without the full garbage
    collection that statsmodels runs on every Holm call).

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
    if method not in ("holm", "fdr_bh"):
        raise ValueError(f"unknown method {method!r}; expected 'holm' or 'fdr_bh'")
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if not ok.any():
        return out
    if method == "fdr_bh":
        from statsmodels.stats.multitest import multipletests

        out[ok] = multipletests(p[ok], method="fdr_bh")[1]
        return out
    q = p[ok]
    m = len(q)
    order = np.argsort(q, kind="stable")
    adjusted = np.minimum(1, np.maximum.accumulate((m - np.arange(m)) * q[order]))
    result = np.empty(m)
    result[order] = adjusted
    out[ok] = result
    return out
