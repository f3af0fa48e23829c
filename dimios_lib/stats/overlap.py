"""Two samples in which some units were measured in both (paired) and the others in one only:
the partially overlapping samples t-test (Derrick, Russ, Toher & White 2017), and a t-test with
the difference's variance decomposed into independent parts and Satterthwaite's degrees of
freedom. Both are the paired t-test when every unit is in both samples and Welch's test when
none is.

**Derrick et al.'s** :math:`T_{new2}`:

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

**The decomposed test.** The difference of the two means is a sum of three independent parts:
the unpaired units of sample 1, those of sample 2, and the pairs, each pair contributing
:math:`z_i = x_{1i}/n_1 - x_{2i}/n_2`. Its variance is estimated part by part,

.. math::

   V = \frac{n_a s_1^2}{n_1^2} + \frac{n_b s_2^2}{n_2^2} + n_{12} s_z^2,

unbiasedly and never below zero (:math:`s_z^2` the variance of the :math:`z_i`, which carries
the pairs' covariance; the unpaired parts use each sample's variance over all its units, as the
paired and unpaired units of a sample come from one population). The degrees of freedom are
Satterthwaite's (1946) for the three parts, on :math:`n_1 - 1`, :math:`n_2 - 1` and
:math:`n_{12} - 1` degrees of freedom, but for a partial overlap at most
:math:`n_1 + n_2 - n_{12} - 2` (the distinct units less the two means: the parts share the
paired units, so Satterthwaite's count can exceed what the data hold). The variance is, in
expectation, the one of Looney & Jones (2003) and of :math:`T_{new2}`; the degrees of freedom
are larger than :math:`T_{new2}`'s when the overlap is partial, which at 5-8 units per sample
makes :math:`T_{new2}` conservative (bench/README.md and docs/inference.md).
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


def overlap_decomposed(estimate, var1, var2, n1, n2, n12, var_z, *, level: float = 0.95
                       ) -> OverlapTest:
    """The decomposed t-test of two partially overlapping samples from summary statistics,
    vectorised.

    Parameters
    ----------
    estimate : array_like
        The difference to test (sample 1 − sample 2).
    var1, var2 : array_like
        Sample variances (ddof 1) over all units of each sample.
    n1, n2, n12 : array_like
        Units in each sample, and in both (0 treats every unit as unpaired).
    var_z : array_like
        Sample variance (ddof 1) over the pairs of :math:`x_{1i}/n_1 - x_{2i}/n_2` (ignored
        when ``n12`` is 0).

    Returns
    -------
    OverlapTest

    Examples
    --------
    Sample 1: unpaired 4, 6, paired 5, 7, 9; sample 2: unpaired 2, paired 4, 7, 7. Variances
    3.7 and 6; the pairs' z = x1/5 − x2/4 are 0, −0.35, 0.05 with variance 0.0475. V = 2 × 3.7
    / 25 + 1 × 6 / 16 + 3 × 0.0475 = 0.296 + 0.375 + 0.1425 = 0.8135; Satterthwaite's df =
    0.8135² / (0.296²/4 + 0.375²/3 + 0.1425²/2) = 8.384, more than the 6 distinct units less
    two: df = 4.

    >>> res = overlap_decomposed(1.2, 3.7, 6.0, 5, 4, 3, 0.0475)
    >>> round(float(res.se ** 2), 4), float(res.df)
    (0.8135, 4.0)
    """
    est, v1, v2, n1, n2, n12, vz = (np.asarray(a, dtype=float)
                                    for a in (estimate, var1, var2, n1, n2, n12, var_z))
    a = (n1 - n12) * v1 / n1 ** 2
    b = (n2 - n12) * v2 / n2 ** 2
    c = np.where(n12 > 0, n12 * np.where(n12 > 0, vz, 0.0), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        se2 = a + b + c
        df = se2 ** 2 / (a ** 2 / (n1 - 1) + b ** 2 / (n2 - 1)
                         + np.where(n12 > 1, c ** 2 / (n12 - 1), 0.0))
        se = np.sqrt(se2)
        statistic = est / se
    partial = (n1 + n2 - 2 * n12 > 0) & (n12 > 0)
    df = np.where(partial, np.minimum(df, n1 + n2 - n12 - 2), df)
    df = np.where((se == 0) & np.isnan(df), np.maximum(n1 + n2 - n12 - 2, 1.0), df)
    lo, hi = t_bounds(est, se, df, level)
    return OverlapTest(est, se, df, statistic, t_p_value(est, se, df), lo, hi)


def partially_overlapping_t(x1, x2, x3, x4, *, level: float = 0.95, equal_var: bool = False,
                            min_pairs: int = 2, method: str = "derrick") -> OverlapTest:
    """The partially overlapping samples t-test of raw values, as R's ``Partover.test``
    (``method="derrick"``), or the decomposed test (``method="decomposed"``).

    Parameters
    ----------
    x1, x2 : array_like
        Unpaired values of sample 1 and of sample 2.
    x3, x4 : array_like
        Paired values of sample 1 and of sample 2 (same length, same order).
    level, equal_var
        As for :func:`overlap_t`.
    min_pairs : int
        With fewer pairs their correlation is not used (Derrick: *r* = 0; decomposed: the pairs
        are treated as unpaired units).
    method : {"derrick", "decomposed"}

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
    if method == "decomposed":
        paired = n12 >= max(min_pairs, 2)
        z = x3 / len(s1) - x4 / len(s2)
        res = overlap_decomposed(s1.mean() - s2.mean(), s1.var(ddof=1), s2.var(ddof=1),
                                 len(s1), len(s2), n12 if paired else 0,
                                 z.var(ddof=1) if paired else 0.0, level=level)
        return OverlapTest(*(float(v) for v in (res.estimate, res.se, res.df, res.statistic,
                                                 res.p_value, res.ci_low, res.ci_high)))
    if method != "derrick":
        raise ValueError("method must be 'derrick' or 'decomposed'")
    r = 0.0
    if n12 >= max(min_pairs, 2) and x3.std() > 0 and x4.std() > 0:
        r = float(np.corrcoef(x3, x4)[0, 1])
    res = overlap_t(s1.mean() - s2.mean(), s1.var(ddof=1), s2.var(ddof=1), len(s1), len(s2),
                    n12, r, level=level, equal_var=equal_var)
    return OverlapTest(*(float(v) for v in (res.estimate, res.se, res.df, res.statistic,
                                             res.p_value, res.ci_low, res.ci_high)))
