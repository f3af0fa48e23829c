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
