"""The partially overlapping samples t-test: two samples in which some units were measured in
both (paired) and the others in one only (Derrick, Russ, Toher & White 2017).

With :math:`n_1, n_2` units in the two samples, :math:`n_{12}` of them in both, sample variances
:math:`s_1^2, s_2^2` over *all* units of each sample and *r* the correlation of the paired
units, the unequal-variance statistic :math:`T_{new2}` is

.. math::

   T = \\frac{\\bar x_1 - \\bar x_2}
            {\\sqrt{s_1^2/n_1 + s_2^2/n_2 - 2 r s_1 s_2 n_{12}/(n_1 n_2)}}

on :math:`\\nu = (n_{12} - 1) + \\frac{\\gamma - n_{12} + 1}{n_a + n_b + 2 n_{12}}(n_a + n_b)`
degrees of freedom, where :math:`n_a = n_1 - n_{12}`, :math:`n_b = n_2 - n_{12}` are the unpaired
units and :math:`\\gamma` is Welch's degrees of freedom. With no paired units it *is* Welch's
test; with no unpaired units it *is* the paired t-test (the variance term is then
:math:`s_d^2/n`). The equal-variance form :math:`T_{new1}` pools :math:`s_1^2, s_2^2`.

Source: B. Derrick, B. Russ, D. Toher and P. White (2017), *Test statistics for the comparison
of means for two samples that include both paired and independent observations*, Journal of
Modern Applied Statistical Methods 16(1), 137-157; R package ``Partiallyoverlapping``
(``Partover.test``), whose conventions this follows: *r* = 0 when a paired sample has no
spread, p = 1 for a statistic of 0/0 and p = 0 for ±∞.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .jackknife import t_bounds, t_p_value


@dataclass(frozen=True)
class OverlapTest:
    """Result of :func:`overlap_t` (arrays, or floats from :func:`partially_overlapping_t`):
    ``estimate, se, df, statistic, p_value, ci_low, ci_high``."""

    estimate: Any
    se: Any
    df: Any
    statistic: Any
    p_value: Any
    ci_low: Any
    ci_high: Any


def overlap_t(estimate, var1, var2, n1, n2, n12, r, *, level: float = 0.95,
              equal_var: bool = False) -> OverlapTest:
    """The partially overlapping samples t-test from summary statistics, vectorised.

    Parameters
    ----------
    estimate : array_like
        The difference to test (sample 1 − sample 2; :math:`\\bar x_1 - \\bar x_2` in the
        paper, or any estimate whose linearisation these samples describe).
    var1, var2 : array_like
        Sample variances (ddof 1) over all units of each sample.
    n1, n2, n12 : array_like
        Units in each sample, and in both.
    r : array_like
        Correlation of the paired units (0 where it is not to be used).
    level : float
        Confidence level of the interval.
    equal_var : bool
        Pool the two variances (:math:`T_{new1}`) instead of Welch's form (:math:`T_{new2}`).

    Returns
    -------
    OverlapTest

    Examples
    --------
    No paired units: Welch's test. Means 10 and 7, variances 4 and 9, 5 and 6 units: se =
    √(4/5 + 9/6) = 1.5166, Welch's df = 2.3² / (0.8²/4 + 1.5²/5) = 5.29 / 0.61 = 8.6721.

    >>> res = overlap_t(3.0, 4.0, 9.0, 5, 6, 0, 0.0)
    >>> round(float(res.se), 4), round(float(res.df), 4)
    (1.5166, 8.6721)
    """
    est, v1, v2, n1, n2, n12, r = (np.asarray(a, dtype=float)
                                   for a in (estimate, var1, var2, n1, n2, n12, r))
    na, nb = n1 - n12, n2 - n12
    with np.errstate(invalid="ignore", divide="ignore"):
        if equal_var:
            pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
            se2 = pooled * (1 / n1 + 1 / n2 - 2 * r * n12 / (n1 * n2))
            df = (n12 - 1) + (na + nb + n12 - 1) / (na + nb + 2 * n12) * (na + nb)
        else:
            se2 = v1 / n1 + v2 / n2 - 2 * r * n12 * np.sqrt(v1 * v2) / (n1 * n2)
            welch = (v1 / n1 + v2 / n2) ** 2 / ((v1 / n1) ** 2 / (n1 - 1)
                                                + (v2 / n2) ** 2 / (n2 - 1))
            df = (n12 - 1) + (welch - n12 + 1) / (na + nb + 2 * n12) * (na + nb)
        se = np.sqrt(np.maximum(se2, 0.0))
        statistic = est / se
    # Welch's df is 0/0 when neither sample varies; the interval is then the point.
    df = np.where((se == 0) & np.isnan(df), np.maximum(n1 + n2 - n12 - 2, 1.0), df)
    lo, hi = t_bounds(est, se, df, level)
    return OverlapTest(est, se, df, statistic, t_p_value(est, se, df), lo, hi)


def partially_overlapping_t(x1, x2, x3, x4, *, level: float = 0.95, equal_var: bool = False,
                            min_pairs: int = 2) -> OverlapTest:
    """The partially overlapping samples t-test of raw values, as R's ``Partover.test``.

    Parameters
    ----------
    x1, x2 : array_like
        Unpaired values of sample 1 and of sample 2.
    x3, x4 : array_like
        Paired values of sample 1 and of sample 2 (same length, same order).
    level, equal_var
        As for :func:`overlap_t`.
    min_pairs : int
        With fewer pairs their correlation is not used (*r* = 0).

    Returns
    -------
    OverlapTest
        Of :math:`\\bar x_1 - \\bar x_2` (means over each sample's paired and unpaired values),
        as floats.

    Examples
    --------
    The example of ``Partover.test`` (Derrick, Toher & White 2017, *The Quantitative Methods
    for Psychology* 13(2), 120-126) with equal variances: p = 0.026.

    >>> a_unp = [20, 21, 16, 18, 14, 12, 14, 17]; a_pair = [14, 15, 18, 20, 11, 19, 14, 15]
    >>> b_unp = [10, 16, 18, 16, 15, 14, 13, 10]; b_pair = [15, 10, 15, 17, 13, 19, 12, 13]
    >>> res = partially_overlapping_t(a_unp, b_unp, a_pair, b_pair, equal_var=True)
    >>> round(res.p_value, 3)
    0.026
    """
    x1, x2, x3, x4 = (np.asarray(v, dtype=float).ravel() for v in (x1, x2, x3, x4))
    if len(x3) != len(x4):
        raise ValueError("the paired samples must have the same length")
    s1, s2 = np.concatenate([x1, x3]), np.concatenate([x2, x4])
    n12 = len(x3)
    r = 0.0
    if n12 >= max(min_pairs, 2) and x3.std() > 0 and x4.std() > 0:
        r = float(np.corrcoef(x3, x4)[0, 1])
    res = overlap_t(s1.mean() - s2.mean(), s1.var(ddof=1), s2.var(ddof=1), len(s1), len(s2),
                    n12, r, level=level, equal_var=equal_var)
    return OverlapTest(*(float(v) for v in (res.estimate, res.se, res.df, res.statistic,
                                             res.p_value, res.ci_low, res.ci_high)))
