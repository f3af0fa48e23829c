"""Means over clusters (municipalities) weighted by their sizes: the ratio estimator and its
interval.

A respondent-weighted benchmark averages municipality scores with each municipality's number of
respondents as its weight. Treating the municipalities as the sampled clusters, this is the
ratio estimator of cluster totals over cluster sizes, and its variance is the linearised
(Taylor) variance of a ratio.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy import special


def ratio_interval(values: Iterable[float], weights: Iterable[float], level: float = 0.95,
                   bounds: tuple[float, float] = (0, 100)) -> tuple[float, float, float, int]:
    """Weighted mean of cluster means and its t-interval: ``(mean, low, high, n)``.

    Parameters
    ----------
    values : iterable of float
        One mean per cluster (a municipality's score); missing values are left out with their
        weight.
    weights : iterable of float
        The clusters' sizes (respondents), positive.
    level : float
        Confidence level.
    bounds : (float, float)
        The interval is clipped to these (percentages cannot leave 0-100).

    Returns
    -------
    tuple
        Mean, interval (missing for fewer than two clusters) and the number of clusters.

    Notes
    -----
    With cluster means :math:`y_i`, sizes :math:`w_i` and :math:`m` clusters,

    .. math:: \\bar y_w = \\frac{\\sum_i w_i y_i}{\\sum_i w_i}, \\qquad
              v(\\bar y_w) = \\frac{m}{m-1}\\,
              \\frac{\\sum_i w_i^2 (y_i - \\bar y_w)^2}{(\\sum_i w_i)^2},

    and the interval is :math:`\\bar y_w \\pm t_{m-1} \\sqrt{v}`. This is the variance of the
    ratio estimator :math:`\\hat R = \\sum y_i' / \\sum w_i` of the cluster totals
    :math:`y_i' = w_i y_i` (Cochran 1977, *Sampling Techniques*, 3rd ed., section 6.4,
    without the finite population correction). With equal weights it is the ordinary
    t-interval of the cluster means (tested).

    Examples
    --------
    Municipalities at 40, 50 and 60 % with 5, 10 and 100 respondents: weighted mean
    (200 + 500 + 6000) / 115 = 58.26; the deviations -18.26, -8.26, 1.74 give
    v = 3/2 x (25 x 333.46 + 100 x 68.24 + 10000 x 3.0246) / 115^2 = 5.150 and the half-width
    t(0.975, 2) x sqrt(v) = 4.303 x 2.269 = 9.76.

    >>> mean, low, high, n = ratio_interval([40, 50, 60], [5, 10, 100])
    >>> round(mean, 2), round(low, 2), round(high, 2), n
    (58.26, 48.5, 68.03, 3)
    """
    y = np.asarray(list(values), dtype=float)
    w = np.asarray(list(weights), dtype=float)
    keep = ~(np.isnan(y) | np.isnan(w))
    y, w = y[keep], w[keep]
    if y.size == 0 or w.sum() <= 0:
        return (np.nan, np.nan, np.nan, 0)
    m = y.size
    mean = float((w * y).sum() / w.sum())
    if m < 2:
        return (mean, np.nan, np.nan, 1)
    var = m / (m - 1) * float((w**2 * (y - mean) ** 2).sum()) / float(w.sum()) ** 2
    half = special.stdtrit(m - 1, 0.5 + level / 2) * np.sqrt(var)
    return (mean, float(max(mean - half, bounds[0])), float(min(mean + half, bounds[1])), m)
