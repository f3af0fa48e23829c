"""Effect sizes of before/after comparisons: Hedges' g (``g_s`` for independent groups, ``g_av``
for pairs) and the rank-biserial correlation (Cliff's delta; matched-pairs version).

Differences are *after − before*: a positive effect size means higher scores after.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

_ROUND_DIGITS = 10  # scores are rounded before ranking, so that 5/3 - 4/3 ties with 2 - 5/3


def hedges_correction(df) -> np.ndarray | float:
    """Hedges' small-sample correction :math:`J = 1 - 3 / (4\\,df - 1)`.

    Source: Hedges (1981); Borenstein et al. (2009), *Introduction to Meta-Analysis*, eq. 4.22.

    >>> round(hedges_correction(18), 6)
    0.957746
    """
    df = np.asarray(df, dtype=float)
    out = np.where(df > 0.25, 1 - 3 / np.maximum(4 * df - 1, 1e-12), np.nan)
    return float(out) if out.ndim == 0 else out


def _g_independent(b, a, axis=-1):
    nb, na = b.shape[axis], a.shape[axis]
    vb, va = np.var(b, axis=axis, ddof=1), np.var(a, axis=axis, ddof=1)
    sp = np.sqrt(((nb - 1) * vb + (na - 1) * va) / (nb + na - 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        d = (np.mean(a, axis=axis) - np.mean(b, axis=axis)) / sp
    return d * hedges_correction(nb + na - 2)


def _g_av(b, a, axis=-1):
    n = b.shape[axis]
    s = np.sqrt((np.var(b, axis=axis, ddof=1) + np.var(a, axis=axis, ddof=1)) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.mean(a - b, axis=axis) / s
    return d * hedges_correction(n - 1)


def hedges_g(before, after, *, paired: bool = False) -> float:
    """Hedges' g of *after − before*: a standardised mean difference with small-sample correction.

    Parameters
    ----------
    before, after : array-like
        Scores; for ``paired=True`` aligned by respondent (equal length).
    paired : bool
        Independent groups (``g_s``) or the same respondents twice (``g_av``).

    Notes
    -----
    Independent: :math:`g_s = J(n_1 + n_2 - 2)\\,(\\bar a - \\bar b) / s_p` with the pooled SD
    :math:`s_p = \\sqrt{((n_b - 1)s_b^2 + (n_a - 1)s_a^2)/(n_b + n_a - 2)}`.

    Paired: :math:`g_{av} = J(n - 1)\\,\\bar d / \\sqrt{(s_b^2 + s_a^2)/2}`, standardised by
    the root mean square of the before and after SDs — **not** by the SD of the differences
    (that would be :math:`d_z`, reported apart as ``d_z``). With ``g_av`` a paired and an
    independent municipality's effects are on the same scale (the spread of scores between
    respondents), which the pooled and cross-municipality comparisons need; ``d_z`` grows with
    the correlation between waves and is not comparable across designs (Lakens 2013; Cumming
    2012). :math:`J(df) = 1 - 3/(4 df - 1)` with ``df = n - 1`` for paired data (Borenstein et
    al. 2009, section 4).

    Examples
    --------
    R's ``sleep`` data (after = group 2, before = group 1). Hand calculation: means 2.33 and
    0.75, SDs 2.002249 and 1.789010; independent: s_p = sqrt((4.009000 + 3.200556) / 2) =
    1.898625, d = 1.58 / 1.898625 = 0.832181, J(18) = 1 - 3/71 = 0.957746, g_s = 0.797019.
    Paired: the same standardiser, J(9) = 1 - 3/35 = 0.914286, g_av = 0.760851 (d_z, by the
    SD of the differences 1.229995, would be 1.284558).

    >>> b = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> a = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> round(hedges_g(b, a), 6), round(hedges_g(b, a, paired=True), 6)
    (0.797019, 0.760851)
    """
    b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    if paired:
        if b.shape != a.shape:
            raise ValueError("paired data need before and after of equal length")
        return float(_g_av(b, a)) if len(b) >= 2 else float("nan")
    if len(b) < 2 or len(a) < 2:
        return float("nan")
    return float(_g_independent(b, a))


def _rb_independent(b, a, axis=-1):
    b, a = np.moveaxis(b, axis, -1), np.moveaxis(a, axis, -1)
    b, a = np.broadcast_arrays(b, a[..., :1])[0], np.broadcast_arrays(a, b[..., :1])[0]
    nb, na = b.shape[-1], a.shape[-1]
    both = np.round(np.concatenate([b, a], axis=-1), _ROUND_DIGITS)
    ranks = stats.rankdata(both, axis=-1)
    u = ranks[..., nb:].sum(axis=-1) - na * (na + 1) / 2
    return 2 * u / (na * nb) - 1


def _rb_paired(b, a, axis=-1):
    d = np.round(np.moveaxis(a, axis, -1) - np.moveaxis(b, axis, -1), _ROUND_DIGITS)
    ranks = stats.rankdata(np.abs(d), axis=-1)
    zeros = (d == 0).sum(axis=-1, keepdims=True)
    r = ranks - zeros  # zeros hold the lowest ranks; the others shift down by their number
    plus = np.where(d > 0, r, 0).sum(axis=-1)
    minus = np.where(d < 0, r, 0).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (plus - minus) / (plus + minus)


def rank_biserial(before, after, *, paired: bool = False) -> float:
    """Rank-biserial correlation of *after* against *before*, from -1 to 1 (positive: after higher).

    Notes
    -----
    Independent: :math:`r = 2U/(n_a n_b) - 1`, with :math:`U` the Mann–Whitney statistic of
    *after*; this equals Cliff's delta, :math:`P(a > b) - P(a < b)` (Kerby 2014).
    Paired: the matched-pairs rank-biserial :math:`r = (T_+ - T_-)/(T_+ + T_-)`, with the
    Wilcoxon rank sums of the positive and negative differences, zero differences dropped as in
    the Wilcoxon test (Kerby 2014).

    Examples
    --------
    R's ``sleep`` data: U = 74.5 of 100 pairs (R's ``wilcox.test`` prints W = 25.5 for the
    other group), so r = 2 x 74.5 / 100 - 1 = 0.49; paired, all nine non-zero differences are
    positive, so r = 1.

    >>> b = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> a = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> round(rank_biserial(b, a), 6), round(rank_biserial(b, a, paired=True), 6)
    (0.49, 1.0)
    """
    b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    if paired:
        if b.shape != a.shape:
            raise ValueError("paired data need before and after of equal length")
        return float(_rb_paired(b, a)) if len(b) else float("nan")
    if len(b) == 0 or len(a) == 0:
        return float("nan")
    return float(_rb_independent(b, a))


def _newcombe_variance(theta, m: int, n: int):
    """Newcombe's (2006) variance of the Mann–Whitney proportion as a function of θ (method 5):
    Hanley & McNeil's (1982) formula with both sample sizes replaced by their mean."""
    star = (m + n) / 2 - 1
    return theta * (1 - theta) * (1 + star * (1 - theta) / (2 - theta)
                                  + star * theta / (1 + theta)) / (m * n)


def _score_bounds(estimate: float, variance, z: float) -> tuple[float, float]:
    """The θ in [0, 1] with (θ̂ − θ)² = z² V(θ) on each side of θ̂ (a score interval)."""
    from scipy import optimize

    def side(sign):
        def f(theta):
            return estimate - theta + sign * z * np.sqrt(max(variance(theta), 0.0))
        # Step off the estimate, where V may be 0 (at 0 or 1) and f has a trivial root.
        a, b = (0.0, estimate - 1e-12) if sign < 0 else (estimate + 1e-12, 1.0)
        if a >= b or f(a) * f(b) > 0:
            return 0.0 if sign < 0 else 1.0
        return float(optimize.brentq(f, a, b, xtol=1e-14))

    return side(-1), side(1)


def rank_biserial_interval(before, after, *, paired: bool = False, ci_level: float = 0.95
                           ) -> tuple[float, float]:
    """Score-type confidence interval of the rank-biserial correlation, never degenerate.

    The rank-biserial correlation is :math:`r = 2\\theta - 1` for a probability :math:`\\theta`;
    the interval is a score (Wilson-type) interval for :math:`\\theta`, mapped back. It keeps
    its width when every difference is positive (:math:`r = 1`), where every bootstrap resample
    gives 1 and a bootstrap interval collapses to [1, 1].

    Parameters
    ----------
    before, after : array-like
        Scores; for ``paired=True`` aligned by respondent.
    paired : bool
        Independent groups (Cliff's delta) or pairs (matched-pairs rank-biserial).
    ci_level : float
        Confidence level.

    Returns
    -------
    (low, high)
        NaN when there is nothing to rank (an empty group; no non-zero difference).

    Notes
    -----
    **Independent** (Newcombe 2006, part 2, method 5): :math:`\\theta = U/(n_a n_b)`, the
    Mann–Whitney proportion (the AUC, :math:`P(a > b) + \\tfrac12 P(a = b)`). The bounds solve
    :math:`(\\hat\\theta - \\theta)^2 = z^2 V(\\theta)` with
    :math:`V(\\theta) = \\theta(1 - \\theta)[1 + N^*\\frac{1 - \\theta}{2 - \\theta}
    + N^*\\frac{\\theta}{1 + \\theta}]/(n_a n_b)`, :math:`N^* = (n_a + n_b)/2 - 1`. At
    :math:`\\theta = 1/2`, :math:`V` is exactly the null variance of :math:`U/(n_a n_b)`,
    :math:`(n_a + n_b + 1)/(12 n_a n_b)`.

    **Paired** [assumption, by analogy]: :math:`\\psi = T_+/(T_+ + T_-)`, so that
    :math:`r = 2\\psi - 1` (Wilcoxon rank sums of the non-zero differences, Kerby 2014). A
    Wilson score interval (Wilson 1927) for :math:`\\psi` with the effective sample size
    :math:`n_e = (T_+ + T_-)^2 / (4\\,\\mathrm{Var}_0(T_+))` at which its variance at
    :math:`\\psi = 1/2` is the signed-rank statistic's exact null variance
    :math:`\\mathrm{Var}_0(T_+) = n(n + 1)(2n + 1)/24 - \\sum(t^3 - t)/48` (ties of
    :math:`|d|`) — the same anchoring that method 5 has for the independent case. The interval
    excludes :math:`r = 0` exactly when the normal approximation of the Wilcoxon signed-rank
    test (no continuity correction) rejects.

    Examples
    --------
    R's ``sleep`` data paired: nine non-zero differences, all positive, two tied (1.3):
    :math:`\\mathrm{Var}_0 = 9 \\cdot 10 \\cdot 19/24 - (8 - 2)/48 = 71.125`,
    :math:`n_e = 45^2/(4 \\cdot 71.125) = 7.117750`; :math:`\\hat\\psi = 1`, so the Wilson
    lower bound is :math:`n_e/(n_e + z^2) = 7.117750/10.959209 = 0.649477` and
    :math:`r \\ge 2 \\cdot 0.649477 - 1 = 0.298953`:

    >>> b = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> a = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> [round(x, 6) for x in rank_biserial_interval(b, a, paired=True)]
    [0.298953, 1.0]
    """
    from scipy import stats

    b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    z = float(stats.norm.ppf(0.5 + ci_level / 2))
    if paired:
        if b.shape != a.shape:
            raise ValueError("paired data need before and after of equal length")
        d = np.round(a - b, _ROUND_DIGITS)
        d = d[d != 0]
        n = len(d)
        if n == 0:
            return float("nan"), float("nan")
        _, ties = np.unique(np.abs(d), return_counts=True)
        var0 = n * (n + 1) * (2 * n + 1) / 24 - float((ties ** 3 - ties).sum()) / 48
        total = n * (n + 1) / 2
        psi = (float(_rb_paired(b, a)) + 1) / 2
        n_e = total ** 2 / (4 * var0)
        centre = (psi + z * z / (2 * n_e)) / (1 + z * z / n_e)
        half = z * np.sqrt(psi * (1 - psi) / n_e + z * z / (4 * n_e ** 2)) / (1 + z * z / n_e)
        low, high = max(0.0, centre - half), min(1.0, centre + half)
    else:
        if len(b) == 0 or len(a) == 0:
            return float("nan"), float("nan")
        theta = (float(_rb_independent(b, a)) + 1) / 2
        m, n = len(b), len(a)
        low, high = _score_bounds(theta, lambda x: _newcombe_variance(x, m, n), z)
    return float(2 * low - 1), float(2 * high - 1)
