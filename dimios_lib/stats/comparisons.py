"""Two-sample tests of before/after: paired t and Wilcoxon signed-rank (R's ``wilcox.test``
rule), or Welch t, Mann–Whitney U and Brunner–Munzel (with its Satterthwaite degrees of
freedom). scipy only; pingouin (GPL) stays out.
"""

from __future__ import annotations

import math
import warnings as _warnings

import numpy as np
from scipy import stats

from .effect_sizes import _ROUND_DIGITS


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
