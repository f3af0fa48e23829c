"""The delete-one jackknife: variances, pseudo-values and t-intervals of a statistic, for one
sample or for many groups and statistics at once; and a variance moderated towards a prior.

The jackknife (Quenouille 1949; Tukey 1958) leaves out one unit at a time. With
:math:`\\hat\\theta_{(i)}` the statistic without unit *i*, :math:`\\bar\\theta` their mean and
*n* units, the variance estimate is

.. math:: v_J = \\frac{n-1}{n} \\sum_i (\\hat\\theta_{(i)} - \\bar\\theta)^2

and the pseudo-values are :math:`p_i = n\\hat\\theta - (n-1)\\hat\\theta_{(i)}`, whose sample
variance divided by *n* is :math:`v_J`. For a mean, :math:`p_i` is the *i*-th value and
:math:`v_J = s^2/n` exactly; for a smooth function of means (a ratio, a mean of means) it is the
linearisation (delta-method) variance, estimated without deriving it (Efron & Stein 1981; Efron
& Tibshirani 1993, ch. 11; Shao & Tu 1995, ch. 2). Tukey's interval is
:math:`\\hat\\theta \\pm t_{n-1} \\sqrt{v_J}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special


@dataclass(frozen=True)
class Jackknife:
    """The jackknife of one statistic: ``estimate`` (the statistic of all units), ``se``
    (:math:`\\sqrt{v_J}`), ``df`` (*n* - 1) and the ``pseudo_values``."""

    estimate: float
    se: float
    df: int
    pseudo_values: np.ndarray


def jackknife(values, statistic: Callable[[np.ndarray], float] = np.mean) -> Jackknife:
    """Delete-one jackknife of ``statistic`` over the units (rows) of ``values``.

    Parameters
    ----------
    values : array_like
        One unit per row (a 1-d array is one value per unit).
    statistic : callable
        Of an array of units; the mean by default.

    Returns
    -------
    Jackknife

    Examples
    --------
    For a mean the jackknife variance is exactly :math:`s^2/n`: for 2, 4, 9 the variance is
    13 and :math:`v_J = 13/3`; the pseudo-values are the values themselves.

    >>> jk = jackknife([2.0, 4.0, 9.0])
    >>> round(jk.se ** 2, 10), jk.df, jk.pseudo_values.tolist()
    (4.3333333333, 2, [2.0, 4.0, 9.0])

    A ratio of two sums (a mean over the answers given): 1 + 2 + 6 over 1 + 1 + 2 answers is
    2.25; without each unit: 8/3, 7/3, 3/2, whose mean is 13/6; v_J = 2/3 × ((1/2)² + (1/6)² +
    (2/3)²) = 0.4815.

    >>> ratio = lambda v: v[:, 0].sum() / v[:, 1].sum()
    >>> round(jackknife([[1, 1], [2, 1], [6, 2]], ratio).se ** 2, 4)
    0.4815
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    est = float(statistic(x))
    if n < 2:
        return Jackknife(est, float("nan"), 0, np.full(n, np.nan))
    loo = np.array([statistic(np.delete(x, i, axis=0)) for i in range(n)], dtype=float)
    pseudo = n * est - (n - 1) * loo
    var = (n - 1) / n * float(((loo - loo.mean()) ** 2).sum())
    return Jackknife(est, float(np.sqrt(var)), n - 1, pseudo)


def grouped_jackknife(point: np.ndarray, loo: np.ndarray, starts: np.ndarray,
                      contributes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The jackknife of many statistics in many groups at once, from leave-one-out values.

    Parameters
    ----------
    point : ndarray, shape (groups, statistics)
        Each statistic of each group, from all its units.
    loo : ndarray, shape (units, statistics)
        Each statistic of the unit's group without the unit; units sorted by group.
    starts : ndarray of int
        The first unit of each group.
    contributes : ndarray of bool, shape (units, statistics)
        Whether the statistic depends on the unit at all. Only contributing units count: a
        unit that leaves a statistic unchanged (a respondent who did not answer the item) is not
        part of its sample.

    Returns
    -------
    variance : ndarray, shape (groups, statistics)
        :math:`v_J` over the contributing units; NaN with fewer than two of them, or where a
        leave-one-out value is missing (the statistic is undefined without one of its units).
    k : ndarray of int, shape (groups, statistics)
        Contributing units (the degrees of freedom of a t-interval are ``k - 1``).
    pseudo_values : ndarray, shape (units, statistics)
        :math:`k\\hat\\theta - (k-1)\\hat\\theta_{(i)}`; NaN for units that do not contribute.

    Examples
    --------
    Two groups of one mean each: (1, 2, 6) and (3, 5); the leave-one-out means are 4, 3.5, 1.5
    and 5, 3. Variances: 7/3 (= s²/n = 7/3) and 1 (= 2/2).

    >>> point = np.array([[3.0], [4.0]])
    >>> loo = np.array([[4.0], [3.5], [1.5], [5.0], [3.0]])
    >>> v, k, p = grouped_jackknife(point, loo, np.array([0, 3]), np.ones((5, 1), bool))
    >>> v.ravel().round(4).tolist(), k.ravel().tolist(), p.ravel().tolist()
    ([2.3333, 1.0], [3, 2], [1.0, 2.0, 6.0, 3.0, 5.0])
    """
    n_units = len(loo)
    sizes = np.diff(np.append(starts, n_units))
    group = np.repeat(np.arange(len(starts)), sizes)
    # Deviations from the group's estimate (not from the mean of the leave-one-out values):
    # the sums stay small, so the variance loses no precision.
    dev = np.where(contributes, loo - point[group], 0.0)
    k = _segment_sum(contributes.astype(np.int64), starts, len(starts))
    s1 = _segment_sum(dev, starts, len(starts))
    s2 = _segment_sum(dev * dev, starts, len(starts))
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = (k - 1) / k * (s2 - s1 * s1 / k)
        pseudo = np.where(contributes, k[group] * point[group] - (k[group] - 1) * loo, np.nan)
    variance = np.where(k >= 2, np.maximum(variance, 0.0), np.nan)
    return variance, k, pseudo


def _segment_sum(values: np.ndarray, starts: np.ndarray, n_groups: int) -> np.ndarray:
    if n_groups == 0:
        return np.zeros((0,) + values.shape[1:], dtype=values.dtype)
    return np.add.reduceat(values, starts, axis=0)


def moderated_variance(variance, df, prior_variance, prior_df):
    """A variance shrunk towards a prior variance, with the prior's degrees of freedom added.

    .. math:: \\tilde s^2 = \\frac{d_0 s_0^2 + d\\, s^2}{d_0 + d}, \\qquad \\tilde d = d_0 + d

    Smyth (2004), *Linear models and empirical Bayes methods for assessing differential
    expression in microarray experiments*, Stat. Appl. Genet. Mol. Biol. 3(1), eq. 3 (the
    "moderated" t uses :math:`\\tilde s` with :math:`d_0 + d` degrees of freedom). ``prior_df``
    0 leaves the variance as it is. A variance with ``df`` 0 has no information of its own.

    Examples
    --------
    Five equal answers (variance 0, 4 df) and a prior of 400 with 4 df: (4 × 400 + 0) / 8 = 200
    on 8 df.

    >>> v, d = moderated_variance(0.0, 4, 400.0, 4)
    >>> float(v), float(d)
    (200.0, 8.0)
    """
    variance, df = np.asarray(variance, float), np.asarray(df, float)
    total = df + prior_df
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (prior_df * np.asarray(prior_variance, float) + df * variance) / total
    return np.where(total > 0, out, np.nan), total


def t_bounds(estimate, se, df, level: float = 0.95,
             bounds: tuple[float, float] = (-np.inf, np.inf)) -> tuple[np.ndarray, np.ndarray]:
    """``estimate ± t(0.5 + level/2, df) × se``, clipped to ``bounds``; vectorised.

    A standard error of 0 gives the point; a missing one, or fewer than 1 degree of freedom,
    no interval.

    Examples
    --------
    50 with standard error 5 on 4 degrees of freedom: t(0.975, 4) = 2.7764, so 50 ± 13.88.

    >>> lo, hi = t_bounds(50.0, 5.0, 4)
    >>> round(float(lo), 2), round(float(hi), 2)
    (36.12, 63.88)
    """
    est, se, df = (np.asarray(a, dtype=float) for a in (estimate, se, df))
    with np.errstate(invalid="ignore"):
        q = np.where(df >= 1, special.stdtrit(np.where(df >= 1, df, 1.0), 0.5 + level / 2),
                     np.nan)
        half = np.where(se == 0, 0.0, q * se)
    lo = np.clip(est - half, *bounds)
    hi = np.clip(est + half, *bounds)
    return lo, hi


def t_p_value(estimate, se, df, null: float = 0.0) -> np.ndarray:
    """Two-sided p-value of ``(estimate - null) / se`` on ``df`` degrees of freedom.

    A standard error of 0 gives 0 when the estimate differs from ``null`` and 1 when it equals
    it (as R's ``Partiallyoverlapping`` does for a test statistic of ±∞ or NaN).

    Examples
    --------
    t = 2.7764 on 4 df is the 97.5 % point: p = 0.05.

    >>> round(float(t_p_value(2.7764451, 1.0, 4)), 4)
    0.05
    """
    est, se, df = (np.asarray(a, dtype=float) for a in (estimate, se, df))
    diff = est - null
    with np.errstate(invalid="ignore", divide="ignore"):
        t = diff / se
        p = 2 * special.stdtr(np.where(df > 0, df, np.nan), -np.abs(t))
    p = np.where(se == 0, np.where(diff == 0, 1.0, 0.0), p)
    return np.where(np.isnan(est) | np.isnan(se), np.nan, p)
