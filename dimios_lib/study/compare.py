"""One municipality's two waves on one dimension: the tests (paired or independent), effect sizes
(Hedges' g, rank-biserial) and their BCa intervals, in one row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..stats.bootstrap import bca_interval, group_seed
from ..stats.comparisons import _independent_tests, _paired_tests
from ..stats.effect_sizes import _g_av, _g_independent, hedges_g, rank_biserial, rank_biserial_interval

#: The ``test`` of a comparison: paired or independent (method codes, as written to CSV).
PAIRED_TEST, INDEPENDENT_TEST = "paired t", "Welch t"
TESTS = (PAIRED_TEST, INDEPENDENT_TEST)


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
        Interval level; BCa resamples of g; the generator is :func:`group_seed` of ``seed`` and
        ``rng_key``.

    Returns
    -------
    dict
        ``design, n_before, n_after, n_matched, mean_before, mean_after, sd_before, sd_after,
        mean_diff, mean_diff_ci_low, mean_diff_ci_high, test, statistic, df, p_value,
        effect_size, effect_size_kind, ci_low, ci_high, d_z, rank_test, rank_statistic,
        rank_p_value, rank_method, rank_biserial, rank_biserial_ci_low, rank_biserial_ci_high,
        bm_statistic, bm_df, bm_p_value``. The mean difference's interval is the t interval
        of the test; g's is BCa; the rank-biserial's is a score interval
        (:func:`~dimios_lib.stats.effect_sizes.rank_biserial_interval`), which keeps its width
        when every difference has the same sign.
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
        idx: tuple[np.ndarray, ...] = (np.arange(nb),)  # pairs resampled together

        def g_stat(*i, axis=-1):
            return _g_av(b[i[0]], a[i[0]], axis=-1)

        sd_d = (a - b).std(ddof=1) if nb > 1 else np.nan
        out.update(test=PAIRED_TEST, statistic=t["t"], df=t["df"], p_value=t["p_t"],
                   effect_size=hedges_g(b, a, paired=True) if nb >= 2 else np.nan,
                   effect_size_kind="g_av",
                   d_z=float(t["mean_diff"] / sd_d) if nb > 1 and sd_d > 0 else np.nan,
                   rank_test="Wilcoxon signed-rank", rank_statistic=t["w"],
                   rank_p_value=t["p_w"], rank_method=t["w_method"],
                   rank_biserial=rank_biserial(b, a, paired=True) if nb else np.nan,
                   bm_statistic=np.nan, bm_df=np.nan, bm_p_value=np.nan)
    else:
        t = _independent_tests(b, a, ci_level)
        idx = (np.arange(nb), np.arange(na))  # each wave resampled on its own

        def g_stat(*i, axis=-1):
            return _g_independent(b[i[0]], a[i[1]], axis=-1)

        out.update(test=INDEPENDENT_TEST, statistic=t["t"], df=t["df"], p_value=t["p_t"],
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
        out["rank_biserial_ci_low"], out["rank_biserial_ci_high"] = rank_biserial_interval(
            b, a, paired=paired, ci_level=ci_level)
    else:
        out["rank_biserial_ci_low"] = out["rank_biserial_ci_high"] = np.nan
    return out
