"""Intervals of scores: jackknife t-intervals (the default) or percentile bootstrap intervals,
for every statistic of every group at once; and the jackknife pseudo-values of the overall
measures, which change between rounds and the small-area estimates build on.

**What is estimated.** A group's score is a function of its item means (each over the answers
given), then means of the available children: :math:`\\hat\\theta = g(\\hat\\mu)`. Its target is
:math:`\\theta = g(\\mu)`, the same function of the population's item means: the score the group
would have if every member of its population of respondents answered. With every item answered,
*g* is linear and :math:`\\hat\\theta` is the mean of the respondents' own scores; with missing
answers it is a smooth function of means (ratios, renormalised weights). The jackknife estimates
the variance of :math:`\\hat\\theta` by its linearisation, without deriving it (for a mean it is
exactly :math:`s^2/n`). It does not remove the O(1/n) bias of a nonlinear *g*; the benchmark
measures that bias (``bench/bench_inference.py``), and the interval is centred on the direct
estimate.

**Jackknife t** (``interval_method="jackknife_t"``; Tukey 1958): for each statistic the
respondents who contribute to it (answered at least one of its items) are left out one at a
time; :math:`\\hat\\theta \\pm t_{k-1}\\sqrt{v_J}` with *k* contributors, clipped to 0-100. A single
item's variance is moderated towards the mean of the group's item variances with
``item_variance_prior_df`` prior degrees of freedom (Smyth 2004): with five answers on a
six-point scale all five are sometimes equal, and a zero variance would give a zero-width
interval. All statistics of all groups are computed from one leave-one-out matrix.

**Percentile bootstrap** (``interval_method="bootstrap"``): respondents resampled with
replacement within the group, ``bootstrap_resamples`` times, seeded per group; kept as an option
(it under-covers at 5-15 respondents: docs/inference.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..stats.bootstrap import _resample_counts, group_seed
from ..stats.intervals import column_quantiles
from ..stats.jackknife import grouped_jackknife, moderated_variance, t_bounds

INTERVAL_METHODS = ("jackknife_t", "bootstrap")
_CHUNK = 40_000  # respondents per block of the leave-one-out matrix (bounds the memory)


@dataclass(frozen=True)
class Inference:
    """Intervals and what change and small-area estimation need, aligned with the groups.

    ``lo``, ``hi``, ``se``, ``df``: (groups, statistics) in the column order of
    :func:`~dimios_lib.maturity.scoring.score`'s point estimates (items, categories,
    dimensions, maturity); ``df`` is NaN for the bootstrap. ``jk_var`` and ``jk_k``: the
    jackknife variance and number of contributors of capability, legacy and maturity (groups,
    3), whatever the interval method; ``pseudo``: their pseudo-values (respondents, 3), NaN for
    a respondent who does not contribute. ``replicates``: bootstrap replicates of the three
    (groups, resamples, 3), or None.
    """

    lo: np.ndarray
    hi: np.ndarray
    se: np.ndarray
    df: np.ndarray
    jk_var: np.ndarray
    jk_k: np.ndarray
    pseudo: np.ndarray
    replicates: np.ndarray | None


def score_intervals(model, x0: np.ndarray, mask: np.ndarray, starts: np.ndarray,
                    n_group: np.ndarray, group_keys: pd.DataFrame, sums: np.ndarray,
                    counts: np.ndarray, point: np.ndarray) -> Inference:
    """Intervals of every statistic of every group, by the configured method."""
    config = model.config
    var, k, pseudo = _jackknife(model, x0, mask, starts, sums, counts, point)
    n_items = len(model.bank.items)
    overall = slice(point.shape[1] - 3, point.shape[1])
    se = np.sqrt(var)
    df = (k - 1).astype(float)
    if config.item_variance_prior_df > 0:
        se[:, :n_items], df[:, :n_items] = _moderated_items(
            var[:, :n_items], k[:, :n_items], config.item_variance_prior_df)
    replicates = None
    if config.interval_method == "bootstrap":
        lo, hi, se, replicates = _bootstrap(model, x0, mask, starts, n_group, group_keys, point)
        df = np.full_like(se, np.nan)
    else:
        df = np.where(np.isnan(se), np.nan, df)
        lo, hi = t_bounds(point, se, df, config.ci_level, bounds=(0.0, 100.0))
    return Inference(lo, hi, se, df, var[:, overall], k[:, overall], pseudo, replicates)


def _membership(model) -> np.ndarray:
    """Items x statistics: which items each statistic depends on."""
    a = model.item_to_category > 0
    dims = (model.item_to_category @ model.category_to_dimension) > 0
    n_items = a.shape[0]
    return np.column_stack([np.eye(n_items, dtype=bool), a, dims,
                            np.ones((n_items, 1), dtype=bool)]).astype(np.float64)


def _jackknife(model, x0, mask, starts, sums, counts, point):
    """Jackknife variances and contributor counts of every statistic, and the pseudo-values
    of the three overall measures. The leave-one-out values are built in blocks of whole
    groups (a group's rows are contiguous)."""
    n_resp = len(x0)
    n_groups, width = point.shape
    member = _membership(model)
    var = np.full((n_groups, width), np.nan)
    k = np.zeros((n_groups, width), dtype=np.int64)
    pseudo = np.full((n_resp, 3), np.nan)
    ends = np.append(starts[1:], n_resp)
    g0 = 0
    while g0 < n_groups:
        g1 = int(np.searchsorted(ends, starts[g0] + _CHUNK, side="right"))
        g1 = max(g1, g0 + 1)
        rows = slice(int(starts[g0]), int(ends[g1 - 1]))
        local = starts[g0:g1] - starts[g0]
        group = np.repeat(np.arange(g0, g1), np.diff(np.append(local, rows.stop - rows.start)))
        with np.errstate(invalid="ignore", divide="ignore"):
            means = (sums[group] - x0[rows]) / (counts[group] - mask[rows])
        cat, dim, mat = model.aggregate(model.to_pct(means))
        loo = np.column_stack([model.to_pct(means), cat, dim, mat])
        contributes = (mask[rows] @ member) > 0
        v, kk, p = grouped_jackknife(point[g0:g1], loo, local, contributes)
        var[g0:g1], k[g0:g1] = v, kk
        pseudo[rows] = p[:, width - 3:]
        g0 = g1
    return var, k, pseudo


def _moderated_items(var: np.ndarray, k: np.ndarray, prior_df: float
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Single items' standard errors and degrees of freedom, their variances moderated towards
    the group's pooled item variance (Smyth 2004) with ``prior_df`` prior degrees of freedom.

    An item's answer variance is :math:`s_j^2 = k_j v_j` on :math:`d_j = k_j - 1` df; the prior
    is the df-weighted mean of the group's :math:`s_j^2`. Items with fewer than two answers
    get no interval.
    """
    d = np.where(k >= 2, k - 1, 0).astype(float)
    s2 = np.where(d > 0, var * k, 0.0)
    s2 = np.where(np.isfinite(s2), s2, 0.0)
    dd = np.where(np.isfinite(var), d, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        prior = (s2 * dd).sum(axis=1) / dd.sum(axis=1)
    mod, df = moderated_variance(s2, dd, prior[:, None], prior_df)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(mod / k)
    ok = (k >= 2) & np.isfinite(var)
    return np.where(ok, se, np.nan), np.where(ok, df, np.nan)


def _bootstrap(model, x0: np.ndarray, m: np.ndarray, starts: np.ndarray, n_group: np.ndarray,
               group_keys: pd.DataFrame, point: np.ndarray):
    """Percentile intervals and standard deviations of the bootstrap replicates."""
    config = model.config
    b = config.bootstrap_resamples
    alpha = (1 - config.ci_level) / 2
    n_groups, width = point.shape
    lo = np.empty((n_groups, width))
    hi = np.empty((n_groups, width))
    sd = np.empty((n_groups, width))
    reps = np.empty((n_groups, b, 3), dtype=np.float32)
    keys = list(group_keys.itertuples(index=False, name=None))
    for g in range(n_groups):
        s, n = starts[g], n_group[g]
        rng = group_seed(config.seed, *keys[g])
        w = _resample_counts(rng, n, b)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = (w @ x0[s:s + n]) / (w @ m[s:s + n])
        ipct = model.to_pct(means)
        cat, dim, mat = model.aggregate(ipct)
        stacked = np.column_stack([ipct, cat, dim, mat])
        q = column_quantiles(stacked, (alpha, 1 - alpha))
        # A statistic with no data in the group has no interval.
        q[:, np.isnan(point[g])] = np.nan
        lo[g], hi[g] = q
        with np.errstate(invalid="ignore", divide="ignore"):
            sd[g] = np.sqrt(_nanvar(stacked))
        reps[g, :, :2] = dim
        reps[g, :, 2] = mat
    sd[np.isnan(point)] = np.nan
    return lo, hi, sd, reps


def _nanvar(values: np.ndarray) -> np.ndarray:
    """Column variances (ddof 1) ignoring NaN, without numpy's warnings for empty columns."""
    ok = ~np.isnan(values)
    n = ok.sum(axis=0)
    x = np.where(ok, values, 0.0)
    mean = x.sum(axis=0) / np.where(n > 0, n, 1)
    ss = (np.where(ok, values - mean, 0.0) ** 2).sum(axis=0)
    return np.where(n > 1, ss / np.where(n > 1, n - 1, 1), np.nan)
