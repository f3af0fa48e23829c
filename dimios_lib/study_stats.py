"""Statistics of before/after comparisons: tests, effect sizes, BCa intervals, pooled models.

Pure functions, data first and options keyword-only, used by :mod:`dimios_lib.study` and usable
on their own. Differences are always *after − before*; a positive statistic or effect size means
higher scores after.

=============================  ===================================================================
function                       what
=============================  ===================================================================
:func:`paired_tests`           paired t and Wilcoxon signed-rank (R's ``wilcox.test`` rule)
:func:`independent_tests`      Welch t, Mann–Whitney U, Brunner–Munzel
:func:`brunner_munzel`         Brunner–Munzel with its Satterthwaite degrees of freedom
:func:`hedges_g`               Hedges' g: ``g_s`` (independent) or ``g_av`` (paired)
:func:`rank_biserial`          rank-biserial correlation (Cliff's delta; matched-pairs version)
:func:`bca_interval`           BCa bootstrap interval (scipy), samples resampled as strata
:func:`compare_waves`          all of the above for one municipality and dimension
:func:`fixed_effects_change`   pooled change: OLS with municipality fixed effects, pooled g
:func:`difference_in_differences`  ``score ~ post + treated:post + municipality``, permutation test
:func:`proportional_odds`      ordered logit (statsmodels ``OrderedModel``)
:func:`adjust_pvalues`         Holm and Benjamini–Hochberg
=============================  ===================================================================

scipy and statsmodels (BSD) only; pingouin and factor_analyzer (GPL) stay out.
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings as _warnings
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from .errors import DimiosError

_ROUND_DIGITS = 10  # scores are rounded before ranking, so that 5/3 - 4/3 ties with 2 - 5/3
_MIN_RESAMPLED = 3  # a bootstrap sample (stratum) needs at least this many units


# --------------------------------------------------------------------------------------------
# Effect sizes (vectorised along the last axis, for the bootstrap)
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------

def paired_tests(before, after) -> dict[str, float | str]:
    """Paired t-test and Wilcoxon signed-rank test of *after − before*.

    Returns
    -------
    dict
        ``t, df, p_t, mean_diff, ci_low, ci_high`` (t interval of the mean difference at 95 %
        unless ``ci_level`` is passed to :func:`compare_waves`), ``w`` (the rank sum of the
        positive differences, R's ``V``), ``p_w, w_method``.

    Notes
    -----
    :math:`t = \\bar d / (s_d / \\sqrt n)` on :math:`n - 1` degrees of freedom. Wilcoxon: zero
    differences dropped; the exact distribution when there are fewer than 50 non-zero
    differences and no ties, otherwise the normal approximation with tie and continuity
    correction — R's ``wilcox.test`` rule, so that results match R. Differences are rounded to
    10 decimals first, so that ties of means are ties.

    Examples
    --------
    R's ``sleep`` data, ``t.test(extra ~ group, paired = TRUE)`` (group 2 − group 1):
    t = 4.0621, df = 9, p = 0.002833; ``wilcox.test(..., paired = TRUE)``: p = 0.009091, with
    V = 0 for group 1 − group 2, so V = 45 (= 1 + ... + 9, every non-zero difference positive)
    for after − before.

    >>> b = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> a = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> r = paired_tests(b, a)
    >>> round(r["t"], 4), r["df"], round(r["p_t"], 6), r["w"], round(r["p_w"], 6)
    (4.0621, 9.0, 0.002833, 45.0, 0.009091)
    """
    return _paired_tests(before, after, 0.95)


def _paired_tests(before, after, ci_level):
    b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    d = a - b
    n = len(d)
    out: dict[str, float | str] = {"t": np.nan, "df": np.nan, "p_t": np.nan,
                                   "mean_diff": float(d.mean()) if n else np.nan,
                                   "ci_low": np.nan, "ci_high": np.nan,
                                   "w": np.nan, "p_w": np.nan, "w_method": ""}
    if n >= 2:
        sd = d.std(ddof=1)
        if sd > 0:
            with _warnings.catch_warnings():
                _warnings.simplefilter("ignore", RuntimeWarning)
                res = stats.ttest_rel(a, b)
            half = stats.t.ppf((1 + ci_level) / 2, n - 1) * sd / math.sqrt(n)
            out.update(t=float(res.statistic), df=float(n - 1), p_t=float(res.pvalue),
                       ci_low=float(d.mean() - half), ci_high=float(d.mean() + half))
    dr = np.round(d, _ROUND_DIGITS)
    nonzero = dr[dr != 0]
    if len(nonzero) >= 1:
        exact = len(nonzero) < 50 and len(np.unique(np.abs(nonzero))) == len(nonzero) \
            and len(nonzero) == n
        method = "exact" if exact else "approx"
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore")
            res = stats.wilcoxon(dr, zero_method="wilcox", correction=not exact, method=method)
        ranks = stats.rankdata(np.abs(nonzero))
        out.update(w=float(ranks[nonzero > 0].sum()), p_w=float(res.pvalue),
                   w_method="exact" if exact else "normal approximation, continuity corrected")
    return out


def brunner_munzel(before, after) -> dict[str, float]:
    """Brunner–Munzel test that *after* tends to exceed *before*, with its degrees of freedom.

    Returns ``statistic`` (positive when after tends to be higher), ``df`` (Satterthwaite) and
    ``p`` (two-sided, t distribution), and ``p_hat`` = P(after > before) + P(=)/2.

    Notes
    -----
    With pooled ranks :math:`R`, within-sample ranks :math:`W` and mean pooled ranks
    :math:`\\bar R_b, \\bar R_a`:
    :math:`S_j^2 = \\sum_i (R_{ji} - W_{ji} - \\bar R_j + (n_j + 1)/2)^2 / (n_j - 1)`,
    :math:`BM = n_b n_a (\\bar R_a - \\bar R_b) / ((n_b + n_a)\\sqrt{n_b S_b^2 + n_a S_a^2})`,
    :math:`df = (n_b S_b^2 + n_a S_a^2)^2 / ((n_b S_b^2)^2/(n_b - 1) + (n_a S_a^2)^2/(n_a - 1))`.
    Source: Brunner & Munzel (2000), *Biometrical Journal* 42(1); the statistic and p-value are
    scipy's ``brunnermunzel``.

    Examples
    --------
    The pain-score example of Brunner & Munzel (2000), as in R's ``lawstat::brunner.munzel.test``:
    statistic 3.1375, df 17.683, p 0.005786.

    >>> x = [1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1]
    >>> y = [3, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4]
    >>> r = brunner_munzel(x, y)
    >>> round(r["statistic"], 4), round(r["df"], 3), round(r["p"], 6)
    (3.1375, 17.683, 0.005786)
    """
    b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    nb, na = len(b), len(a)
    nan = {"statistic": np.nan, "df": np.nan, "p": np.nan, "p_hat": np.nan}
    if nb < 2 or na < 2:
        return nan
    b, a = np.round(b, _ROUND_DIGITS), np.round(a, _ROUND_DIGITS)
    ranks = stats.rankdata(np.concatenate([b, a]))
    rb, ra = ranks[:nb], ranks[nb:]
    wb, wa = stats.rankdata(b), stats.rankdata(a)
    sb = ((rb - wb - rb.mean() + (nb + 1) / 2) ** 2).sum() / (nb - 1)
    sa = ((ra - wa - ra.mean() + (na + 1) / 2) ** 2).sum() / (na - 1)
    p_hat = (ra.mean() - (na + 1) / 2) / nb
    if nb * sb + na * sa == 0:
        return {**nan, "p_hat": float(p_hat)}
    df = (nb * sb + na * sa) ** 2 / ((nb * sb) ** 2 / (nb - 1) + (na * sa) ** 2 / (na - 1))
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        res = stats.brunnermunzel(b, a, distribution="t")
    return {"statistic": float(res.statistic), "df": float(df), "p": float(res.pvalue),
            "p_hat": float(p_hat)}


def independent_tests(before, after) -> dict[str, float | str]:
    """Welch t-test, Mann–Whitney U and Brunner–Munzel of *after* against *before*.

    Returns
    -------
    dict
        ``t, df, p_t, mean_diff, ci_low, ci_high`` (Welch interval of the mean difference at
        95 %), ``u, p_u, u_method`` (U of *after*), ``bm, bm_df, p_bm``.

    Notes
    -----
    Welch: :math:`t = (\\bar a - \\bar b)/\\sqrt{s_a^2/n_a + s_b^2/n_b}` with
    Welch–Satterthwaite degrees of freedom. Mann–Whitney: exact when both groups are below 50 and
    there are no ties, else the normal approximation with tie and continuity correction (R's
    ``wilcox.test`` rule). Brunner–Munzel: :func:`brunner_munzel`.

    Examples
    --------
    R's ``sleep`` data, ``t.test(extra ~ group)`` (Welch): t = -1.8608, df = 17.776,
    p = 0.07939 for group 1 − group 2, so t = 1.8608 for after − before;
    ``wilcox.test(extra ~ group)``: W = 25.5, p = 0.06933.

    >>> b = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> a = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> r = independent_tests(b, a)
    >>> round(r["t"], 4), round(r["df"], 3), round(r["p_t"], 5), r["u"], round(r["p_u"], 5)
    (1.8608, 17.776, 0.07939, 74.5, 0.06933)
    """
    return _independent_tests(before, after, 0.95)


def _independent_tests(before, after, ci_level):
    b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    nb, na = len(b), len(a)
    out: dict[str, float | str] = {
        "t": np.nan, "df": np.nan, "p_t": np.nan,
        "mean_diff": float(a.mean() - b.mean()) if nb and na else np.nan,
        "ci_low": np.nan, "ci_high": np.nan, "u": np.nan, "p_u": np.nan, "u_method": "",
        "bm": np.nan, "bm_df": np.nan, "p_bm": np.nan}
    if nb >= 2 and na >= 2:
        vb, va = b.var(ddof=1) / nb, a.var(ddof=1) / na
        if vb + va > 0:
            with _warnings.catch_warnings():
                _warnings.simplefilter("ignore", RuntimeWarning)  # one group without spread
                res = stats.ttest_ind(a, b, equal_var=False)
            df = float(res.df)
            half = stats.t.ppf((1 + ci_level) / 2, df) * math.sqrt(vb + va)
            diff = float(a.mean() - b.mean())
            out.update(t=float(res.statistic), df=df, p_t=float(res.pvalue),
                       ci_low=diff - half, ci_high=diff + half)
        bm = brunner_munzel(b, a)
        out.update(bm=bm["statistic"], bm_df=bm["df"], p_bm=bm["p"])
    if nb >= 1 and na >= 1:
        rb_, ra_ = np.round(b, _ROUND_DIGITS), np.round(a, _ROUND_DIGITS)
        both = np.concatenate([rb_, ra_])
        exact = nb < 50 and na < 50 and len(np.unique(both)) == len(both)
        res = stats.mannwhitneyu(ra_, rb_, alternative="two-sided",
                                 method="exact" if exact else "asymptotic", use_continuity=True)
        out.update(u=float(res.statistic), p_u=float(res.pvalue),
                   u_method="exact" if exact else "normal approximation, continuity corrected")
    return out


# --------------------------------------------------------------------------------------------
# Bootstrap
# --------------------------------------------------------------------------------------------

def group_seed(seed: int, *key: object) -> np.random.Generator:
    """A generator seeded from the run's seed and a group's key (stable across runs and groups)."""
    text = "\x1f".join(str(k) for k in key).encode()
    return np.random.default_rng([seed, zlib.crc32(text)])


def bca_interval(statistic: Callable, samples: Sequence[np.ndarray], *, ci_level: float = 0.95,
                 n_resamples: int = 2000, rng: np.random.Generator | int | None = None,
                 fixed: bool = False) -> tuple[float, float]:
    """BCa bootstrap interval (scipy.stats.bootstrap), each sample resampled on its own.

    Parameters
    ----------
    statistic : callable
        ``statistic(*samples, axis=-1)``, vectorised along the last axis.
    samples : sequence of arrays
        Resampled independently of each other (strata). To keep pairs or other units together,
        pass *indices* of the units and look the values up inside ``statistic``.

    Returns
    -------
    (low, high)
        NaN when a sample has fewer than 3 units or the bootstrap is degenerate; ``(θ, θ)`` when
        every resample gives the same value.

    Notes
    -----
    Bias-corrected and accelerated percentile interval (Efron 1987; Efron & Tibshirani 1993,
    ch. 14): the percentiles :math:`\\Phi(z_0 + (z_0 + z_\\alpha)/(1 - a(z_0 + z_\\alpha)))`
    of the bootstrap distribution, with bias correction :math:`z_0` from the share of resamples
    below the estimate and acceleration :math:`a` from the jackknife.
    """
    if any(len(s) < _MIN_RESAMPLED for s in samples):
        return float("nan"), float("nan")
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        res = stats.bootstrap(tuple(samples), statistic, n_resamples=n_resamples,
                              vectorized=True, paired=False, confidence_level=ci_level,
                              method="BCa", rng=rng)
    low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if np.isnan(low) or np.isnan(high):
        dist = np.asarray(res.bootstrap_distribution)
        if dist.size and np.all(np.isfinite(dist)) and np.ptp(dist) == 0:
            return float(dist[0]), float(dist[0])
    return low, high


def compare_waves(before, after, *, paired: bool, ci_level: float = 0.95,
                  n_resamples: int = 2000, rng_key: Sequence[object] = (), seed: int = 20191001
                  ) -> dict[str, Any]:
    """Everything about one before/after comparison: descriptives, tests, effect sizes, intervals.

    Parameters
    ----------
    before, after : array-like
        Dimension scores; aligned by respondent when ``paired``.
    paired : bool
        Paired (t, Wilcoxon, g_av) or independent (Welch, Mann–Whitney, Brunner–Munzel, g_s).
    ci_level, n_resamples, seed, rng_key
        Interval level; BCa resamples; the generator is :func:`group_seed` of ``seed`` and
        ``rng_key`` (one stream for g, one for the rank-biserial).

    Returns
    -------
    dict
        ``design, n_before, n_after, n_matched, mean_before, mean_after, sd_before, sd_after,
        mean_diff, mean_diff_ci_low, mean_diff_ci_high, test, statistic, df, p_value,
        effect_size, effect_size_kind, ci_low, ci_high, d_z, rank_test, rank_statistic,
        rank_p_value, rank_method, rank_biserial, rank_biserial_ci_low, rank_biserial_ci_high,
        bm_statistic, bm_df, bm_p_value``. The mean difference's interval is the t interval
        of the test; the effect sizes' intervals are BCa.
    """
    b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    nb, na = len(b), len(a)
    out: dict[str, Any] = {
        "design": "paired" if paired else "independent", "n_before": nb, "n_after": na,
        "n_matched": nb if paired else np.nan,
        "mean_before": float(b.mean()) if nb else np.nan,
        "mean_after": float(a.mean()) if na else np.nan,
        "sd_before": float(b.std(ddof=1)) if nb > 1 else np.nan,
        "sd_after": float(a.std(ddof=1)) if na > 1 else np.nan,
    }
    if paired:
        t = _paired_tests(b, a, ci_level)
        idx = (np.arange(nb),)

        def g_stat(i, axis=-1):
            return _g_av(b[i], a[i], axis=-1)

        def rb_stat(i, axis=-1):
            return _rb_paired(b[i], a[i], axis=-1)

        sd_d = (a - b).std(ddof=1) if nb > 1 else np.nan
        out.update(test="paired t", statistic=t["t"], df=t["df"], p_value=t["p_t"],
                   effect_size=hedges_g(b, a, paired=True) if nb >= 2 else np.nan,
                   effect_size_kind="g_av",
                   d_z=float(t["mean_diff"] / sd_d) if nb > 1 and sd_d > 0 else np.nan,
                   rank_test="Wilcoxon signed-rank", rank_statistic=t["w"],
                   rank_p_value=t["p_w"], rank_method=t["w_method"],
                   rank_biserial=rank_biserial(b, a, paired=True) if nb else np.nan,
                   bm_statistic=np.nan, bm_df=np.nan, bm_p_value=np.nan)
    else:
        t = _independent_tests(b, a, ci_level)
        idx = (np.arange(nb), np.arange(na))

        def g_stat(ib, ia, axis=-1):
            return _g_independent(b[ib], a[ia], axis=-1)

        def rb_stat(ib, ia, axis=-1):
            return _rb_independent(b[ib], a[ia], axis=-1)

        out.update(test="Welch t", statistic=t["t"], df=t["df"], p_value=t["p_t"],
                   effect_size=hedges_g(b, a), effect_size_kind="g_s", d_z=np.nan,
                   rank_test="Mann-Whitney U", rank_statistic=t["u"], rank_p_value=t["p_u"],
                   rank_method=t["u_method"], rank_biserial=rank_biserial(b, a),
                   bm_statistic=t["bm"], bm_df=t["bm_df"], bm_p_value=t["p_bm"])
    out.update(mean_diff=t["mean_diff"], mean_diff_ci_low=t["ci_low"],
               mean_diff_ci_high=t["ci_high"])
    if np.isfinite(out["effect_size"]):
        out["ci_low"], out["ci_high"] = bca_interval(
            g_stat, idx, ci_level=ci_level, n_resamples=n_resamples,
            rng=group_seed(seed, "g", *rng_key))
    else:
        out["ci_low"] = out["ci_high"] = np.nan
    if np.isfinite(out["rank_biserial"]):
        out["rank_biserial_ci_low"], out["rank_biserial_ci_high"] = bca_interval(
            rb_stat, idx, ci_level=ci_level, n_resamples=n_resamples,
            rng=group_seed(seed, "rb", *rng_key))
    else:
        out["rank_biserial_ci_low"] = out["rank_biserial_ci_high"] = np.nan
    return out


# --------------------------------------------------------------------------------------------
# Pooled: fixed effects, difference-in-differences
# --------------------------------------------------------------------------------------------

def _pooled_frame(scores: pd.DataFrame) -> pd.DataFrame:
    need = {"municipality_code", "wave", "person", "score"}
    missing = need - set(scores.columns)
    if missing:
        raise DimiosError(f"scores need the columns {sorted(need)}; missing {sorted(missing)}")
    work = scores.loc[scores["score"].notna()].copy()
    work["post"] = (work["wave"] == "after").astype(float)
    work["municipality_code"] = work["municipality_code"].astype(str)
    return work


def _ols_cluster(work: pd.DataFrame, formula: str, term: str, ci_level: float) -> dict:
    import statsmodels.formula.api as smf

    fit = smf.ols(formula, data=work).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(work["person"])[0]}, use_t=True)
    low, high = fit.conf_int(alpha=1 - ci_level).loc[term]
    return {"estimate": float(fit.params[term]), "se": float(fit.bse[term]),
            "statistic": float(fit.tvalues[term]), "df": float(fit.df_resid_inference),
            "p_value": float(fit.pvalues[term]), "ci_low": float(low), "ci_high": float(high),
            "n_clusters": int(work["person"].nunique())}


def fixed_effects_change(scores: pd.DataFrame, *, ci_level: float = 0.95,
                         n_resamples: int = 2000, seed: int = 20191001,
                         rng_key: Sequence[object] = ()) -> dict[str, Any]:
    """Pooled before/after change over municipalities: OLS with municipality fixed effects.

    Parameters
    ----------
    scores : DataFrame
        Respondent scores of one dimension: ``municipality_code, wave`` (before/after),
        ``person`` (the same for one respondent in both waves) and ``score``.

    Returns
    -------
    dict
        ``estimate, se, statistic, df, p_value, ci_low, ci_high`` of *post* (standard errors
        clustered by respondent, t on clusters − 1 df), ``n_clusters, n_municipalities,
        n_before, n_after, n_matched, mean_before, mean_after`` and the pooled Hedges' g
        ``effect_size`` with its BCa interval ``g_ci_low, g_ci_high``, and ``fixed_strata``.

    Notes
    -----
    Model: :math:`y_{ij} = \\alpha_{m(i)} + \\beta\\,\\mathrm{post}_j + \\varepsilon_{ij}`.
    With only municipality effects and *post*, OLS gives the precision-weighted mean of the
    municipalities' differences, :math:`\\hat\\beta = \\sum_m h_m \\Delta_m / \\sum_m h_m`,
    :math:`h_m = n_{bm} n_{am}/(n_{bm} + n_{am})` (Frisch–Waugh–Lovell). Errors are clustered
    by respondent, since a respondent in both waves gives two correlated scores; a respondent in
    one wave is a cluster of one (then the error is the heteroskedasticity-robust one).

    Pooled g: :math:`J(df)\\,\\hat\\beta / s_w` with the pooled within-cell SD
    :math:`s_w^2 = \\sum_c (n_c - 1)s_c^2 / \\sum_c (n_c - 1)` over municipality x wave cells,
    :math:`df = \\sum_c (n_c - 1)`. Its BCa interval resamples respondents within strata of
    municipality x (both waves / before only / after only), so pairs stay together and each
    cell keeps its size; a stratum of fewer than three respondents is held fixed (not
    resampled; ``fixed_strata`` counts them).

    Examples
    --------
    Two municipalities, hand calculation: A before (1, 3), after (4, 6): Δ = 3, h = 1;
    B before (2, 4, 6, 8), after (6, 8, 10, 12): Δ = 4, h = 2; β = (3 + 8) / 3 = 3.6667.

    >>> s = pd.DataFrame({"municipality_code": ["A"] * 4 + ["B"] * 8,
    ...     "wave": ["before", "before", "after", "after"] + ["before"] * 4 + ["after"] * 4,
    ...     "person": range(12), "score": [1, 3, 4, 6, 2, 4, 6, 8, 6, 8, 10, 12]})
    >>> round(fixed_effects_change(s, n_resamples=200)["estimate"], 4)
    3.6667
    """
    work = _pooled_frame(scores)
    # Only municipalities with scores in both waves say anything about the change.
    waves = work.groupby("municipality_code")["post"].nunique()
    work = work.loc[work["municipality_code"].isin(waves.index[waves == 2])]
    n_mun = work["municipality_code"].nunique()
    before = work.loc[work["post"] == 0]
    after = work.loc[work["post"] == 1]
    matched = set(before["person"]) & set(after["person"])
    counts = {"n_municipalities": int(n_mun), "n_before": len(before), "n_after": len(after),
              "n_matched": len(matched)}
    if len(before) + len(after) < 3 or n_mun == 0:
        return {**counts, **dict.fromkeys(
            ("estimate", "se", "statistic", "df", "p_value", "ci_low", "ci_high", "mean_before",
             "mean_after", "effect_size", "g_ci_low", "g_ci_high"), np.nan),
            "n_clusters": int(work["person"].nunique()), "fixed_strata": 0}
    formula = "score ~ post + C(municipality_code)" if n_mun > 1 else "score ~ post"
    res = _ols_cluster(work, formula, "post", ci_level)
    res.update(counts, mean_before=float(before["score"].mean()),
               mean_after=float(after["score"].mean()))
    statistic, strata, fixed = _pooled_g_parts(work)
    res["effect_size"] = float(statistic(*strata))
    movable = [s for s in strata if len(s) >= _MIN_RESAMPLED]
    if np.isfinite(res["effect_size"]) and movable:
        def stat_moving(*idx, axis=-1):
            it = iter(idx)
            return statistic(*[next(it) if len(s) >= _MIN_RESAMPLED else s for s in strata])

        low, high = bca_interval(stat_moving, movable, ci_level=ci_level,
                                 n_resamples=n_resamples, rng=group_seed(seed, "pooled", *rng_key))
    else:
        low = high = np.nan
    res.update(g_ci_low=low, g_ci_high=high, fixed_strata=fixed)
    return res


def _pooled_g_parts(work: pd.DataFrame):
    """The pooled g as a function of index arrays, one per stratum (municipality x pattern)."""
    parts = []  # (municipality index, before values or None, after values or None)
    codes = sorted(work["municipality_code"].unique())
    for m, code in enumerate(codes):
        block = work.loc[work["municipality_code"] == code]
        b = block.loc[block["post"] == 0].set_index("person")["score"]
        a = block.loc[block["post"] == 1].set_index("person")["score"]
        both = b.index.intersection(a.index)
        if len(both):
            parts.append((m, b.loc[both].to_numpy(), a.loc[both].to_numpy()))
        only_b = b.index.difference(both)
        if len(only_b):
            parts.append((m, b.loc[only_b].to_numpy(), None))
        only_a = a.index.difference(both)
        if len(only_a):
            parts.append((m, None, a.loc[only_a].to_numpy()))
    n_mun = len(codes)

    def statistic(*idx, axis=-1):
        shape = np.broadcast_shapes(*[np.shape(i)[:-1] for i in idx])
        acc = {k: [np.zeros(shape) for _ in range(n_mun)]
               for k in ("nb", "sb", "qb", "na", "sa", "qa")}
        for (m, bv, av), i in zip(parts, idx):
            i = np.asarray(i)
            for vals, side in ((bv, "b"), (av, "a")):
                if vals is None:
                    continue
                x = vals[i]
                acc["n" + side][m] = acc["n" + side][m] + i.shape[-1]
                acc["s" + side][m] = acc["s" + side][m] + x.sum(axis=-1)
                acc["q" + side][m] = acc["q" + side][m] + (x * x).sum(axis=-1)
        num = np.zeros(shape)
        den = np.zeros(shape)
        ss = np.zeros(shape)
        dof = np.zeros(shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            for m in range(n_mun):
                nb, na = acc["nb"][m], acc["na"][m]
                mb, ma = acc["sb"][m] / nb, acc["sa"][m] / na
                h = nb * na / (nb + na)
                num = num + h * (ma - mb)
                den = den + h
                ss = ss + (acc["qb"][m] - nb * mb**2) + (acc["qa"][m] - na * ma**2)
                dof = dof + (nb - 1) + (na - 1)
            beta = num / den
            sw = np.sqrt(ss / dof)
            return hedges_correction(dof) * beta / sw

    strata = [np.arange(len(bv if bv is not None else av)) for _, bv, av in parts]
    fixed = int(sum(len(s) < _MIN_RESAMPLED for s in strata))
    return statistic, strata, fixed


def difference_in_differences(scores: pd.DataFrame, *, ci_level: float = 0.95,
                              max_permutations: int = 10000, seed: int = 20191001
                              ) -> dict[str, Any]:
    """Difference-in-differences of treated against comparison municipalities.

    Parameters
    ----------
    scores : DataFrame
        Respondent scores of one dimension: ``municipality_code, arm`` (treated/comparison),
        ``wave`` (before/after), ``person``, ``score``.

    Returns
    -------
    dict
        ``estimate, se, statistic, df, p_value, ci_low, ci_high`` of ``treated:post`` (standard
        errors clustered by respondent), ``permutation_p``, ``n_assignments`` and
        ``min_permutation_p`` (the smallest p the permutation test can give),
        ``n_municipalities, n_treated, n_comparison, n_clusters``, the cell means
        ``treated_before, treated_after, comparison_before, comparison_after``, the changes
        ``treated_change, comparison_change`` and ``standardised`` (estimate / pooled
        within-cell SD).

    Notes
    -----
    Model, on respondent-level scores:
    :math:`y_{ij} = \\alpha_{m(i)} + \\beta\\,\\mathrm{post}_j
    + \\delta\\,\\mathrm{treated}_{m(i)}\\mathrm{post}_j + \\varepsilon_{ij}`;
    the treated main effect is absorbed by the municipality effects :math:`\\alpha_m`.
    :math:`\\hat\\delta` is the estimate. With one municipality per arm and balanced cells it is
    the difference of the cell-mean changes.

    Treatment is assigned to municipalities, so municipality-clustered errors would be the
    textbook choice; with a handful of municipalities they are unusable (Cameron & Miller 2015),
    so the errors are clustered by respondent — which ignores shocks common to a municipality and
    wave, and is therefore likely too narrow. The **permutation test** is the design-based check:
    it recomputes :math:`\\hat\\delta` for every way of choosing as many "treated" municipalities
    (all :math:`\\binom{G}{k}` up to ``max_permutations``, else a seeded random draw) and reports
    the share with :math:`|\\hat\\delta_\\pi| \\ge |\\hat\\delta|`. Its smallest possible value
    is :math:`1/\\binom{G}{k}`, or :math:`2/\\binom{G}{k}` when half the municipalities are
    treated: swapping the arms gives :math:`-\\hat\\delta` (for 3 treated of 6: 2/20 = 0.10, so
    this test can never reach 5 %).

    Examples
    --------
    Card & Krueger (1994), *AER* 84(4), Table 3: full-time-equivalent employment per store,
    New Jersey (minimum wage raised) 20.44 before and 21.03 after, Pennsylvania 23.33 and 21.17.
    By hand: (21.03 − 20.44) − (21.17 − 23.33) = 0.59 + 2.16 = 2.75 (the paper's 2.76 comes
    from unrounded means). Cells built around those means, one "municipality" per state:

    >>> rows = []
    >>> for state, arm, means in (("NJ", "treated", (20.44, 21.03)),
    ...                           ("PA", "comparison", (23.33, 21.17))):
    ...     for wave, mean in zip(("before", "after"), means):
    ...         rows += [(state, arm, wave, f"{state}{wave}{k}", mean + dev)
    ...                  for k, dev in enumerate((-1.0, 0.0, 1.0))]
    >>> s = pd.DataFrame(rows, columns=["municipality_code", "arm", "wave", "person", "score"])
    >>> round(difference_in_differences(s)["estimate"], 4)
    2.75
    """
    work = _pooled_frame(scores)
    if "arm" not in work:
        raise DimiosError("difference-in-differences needs an 'arm' column")
    work["treated"] = (work["arm"] == "treated").astype(float)
    work["treated_post"] = work["treated"] * work["post"]
    codes = sorted(work["municipality_code"].unique())
    treated_codes = sorted(work.loc[work["treated"] == 1, "municipality_code"].unique())
    if not treated_codes or len(treated_codes) == len(codes):
        raise DimiosError("difference-in-differences needs treated and comparison municipalities")
    cells = work.groupby(["arm", "wave"]).size()
    if len(cells) < 4:  # an arm without scores in a wave: nothing to difference
        return {**dict.fromkeys(
            ("estimate", "se", "statistic", "df", "p_value", "ci_low", "ci_high",
             "treated_before", "treated_after", "comparison_before", "comparison_after",
             "treated_change", "comparison_change", "standardised", "permutation_p",
             "min_permutation_p"), np.nan),
            "n_clusters": int(work["person"].nunique()), "n_municipalities": len(codes),
            "n_treated": len(treated_codes), "n_comparison": len(codes) - len(treated_codes),
            "n_assignments": math.comb(len(codes), len(treated_codes))}
    res = _ols_cluster(work, "score ~ post + treated_post + C(municipality_code)",
                       "treated_post", ci_level)
    cell = work.groupby(["arm", "wave"])["score"].mean()
    res.update(n_municipalities=len(codes), n_treated=len(treated_codes),
               n_comparison=len(codes) - len(treated_codes),
               treated_before=float(cell[("treated", "before")]),
               treated_after=float(cell[("treated", "after")]),
               comparison_before=float(cell[("comparison", "before")]),
               comparison_after=float(cell[("comparison", "after")]))
    res["treated_change"] = res["treated_after"] - res["treated_before"]
    res["comparison_change"] = res["comparison_after"] - res["comparison_before"]
    within = work.groupby(["municipality_code", "wave"])["score"]
    dof = (within.count() - 1).clip(lower=0)
    var = within.var(ddof=1).fillna(0)
    res["standardised"] = float(res["estimate"] / math.sqrt((dof * var).sum() / dof.sum()))
    p, n_assign, min_p = _did_permutation(work, codes, treated_codes, res["estimate"],
                                          max_permutations, seed)
    res.update(permutation_p=p, n_assignments=n_assign, min_permutation_p=min_p)
    return res


def _did_permutation(work, codes, treated_codes, estimate, max_permutations, seed):
    """Randomisation inference over assignments of treatment to municipalities (FWL, exact)."""
    g, k = len(codes), len(treated_codes)
    m_index = work["municipality_code"].map({c: i for i, c in enumerate(codes)}).to_numpy()
    post = work["post"].to_numpy()
    y = work["score"].to_numpy()
    base = np.column_stack([post, np.eye(g)[m_index]])  # post + one dummy per municipality
    q, _ = np.linalg.qr(base)
    total = math.comb(g, k)
    if total <= max_permutations:
        assignments = list(itertools.combinations(range(g), k))
        exact = True
    else:
        rng = group_seed(seed, "did-permutation", *codes)
        assignments = [tuple(sorted(rng.choice(g, k, replace=False)))
                       for _ in range(max_permutations)]
        exact = False
    member = np.zeros((g, len(assignments)))
    for j, a in enumerate(assignments):
        member[list(a), j] = 1
    x = member[m_index] * post[:, None]  # treated:post under each assignment
    rx = x - q @ (q.T @ x)
    ry = y - q @ (q.T @ y)
    with np.errstate(divide="ignore", invalid="ignore"):
        betas = (rx * ry[:, None]).sum(axis=0) / (rx * rx).sum(axis=0)
    hits = np.abs(betas) >= abs(estimate) - 1e-9
    if exact:
        # An assignment and its complement give -delta and delta when half are treated.
        return float(hits.mean()), total, (2 if 2 * k == g else 1) / total
    n = len(assignments)
    return float((1 + hits.sum()) / (1 + n)), n, 1 / (1 + n)


# --------------------------------------------------------------------------------------------
# Ordinal model and multiplicity
# --------------------------------------------------------------------------------------------

def proportional_odds(answers, exog: pd.DataFrame, term: str, *, ci_level: float = 0.95
                      ) -> dict[str, Any]:
    """Fit a proportional-odds (ordered logit) model and report one coefficient.

    Parameters
    ----------
    answers : array-like
        Ordinal answers (whole numbers).
    exog : DataFrame
        Regressors without a constant (the thresholds take its place).
    term : str
        The column of ``exog`` to report.

    Returns
    -------
    dict
        ``log_odds, se, ci_low, ci_high, odds_ratio, p_value, converged``.

    Notes
    -----
    :math:`\\mathrm{logit}\\,P(Y \\le k) = \\theta_k - x^\\top\\beta`: a positive coefficient
    means higher answers (statsmodels ``OrderedModel``, Wald tests). With two categories the
    model is logistic regression, and for a single binary regressor the coefficient is the log
    odds ratio of the 2 x 2 table (hand-checked in the tests).
    """
    y = np.asarray(answers, dtype=float)
    nan = {"log_odds": np.nan, "se": np.nan, "ci_low": np.nan, "ci_high": np.nan,
           "odds_ratio": np.nan, "p_value": np.nan, "converged": False}
    levels = np.unique(y)
    if len(levels) < 2 or exog[term].nunique() < 2:
        return nan
    endog = pd.Series(pd.Categorical(y, categories=levels, ordered=True))
    exog = exog.loc[:, exog.nunique() > 1].reset_index(drop=True)
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        try:
            fit = _ordered_logit()(endog, exog, distr="logit").fit(method="bfgs", disp=False,
                                                                   maxiter=500)
        except (np.linalg.LinAlgError, ValueError):
            return nan
    z = stats.norm.ppf((1 + ci_level) / 2)
    b, se = float(fit.params[term]), float(fit.bse[term])
    return {"log_odds": b, "se": se, "ci_low": b - z * se, "ci_high": b + z * se,
            "odds_ratio": math.exp(b), "p_value": float(fit.pvalues[term]),
            "converged": bool(fit.mle_retvals.get("converged", False)) and np.isfinite(se)}


@functools.lru_cache(maxsize=1)
def _ordered_logit():
    """statsmodels' OrderedModel with the logistic cdf and pdf evaluated by ``expit``.

    The same model (``distr="logit"``); scipy's generic ``logistic.cdf`` machinery made the fit
    ten times slower.
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    class OrderedLogit(OrderedModel):
        def cdf(self, x):
            return special.expit(x)

        def pdf(self, x):
            p = special.expit(x)
            return p * (1 - p)

    return OrderedLogit


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


