"""Ranks and likeness from intervals and values: confidence intervals of ranks (from the
pairwise differences, adjusted for the comparisons with every other entity), the older range of
ranks consistent with overlapping intervals, and a permutation test of whether a group's members
are more alike than random sets of municipalities.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special

from .bootstrap import group_seed


def rank_intervals(estimate, se, df=None, *, level: float = 0.95, rows=None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """A confidence interval for the rank of each entity (1 = highest), at ``level`` for each;
    only for the entities at the positions ``rows`` when given (a report needs one row, not the
    whole n x n comparison).

    For entity *i*, every other entity *j* is compared with it by the t-interval of the
    difference :math:`\\hat\\theta_j - \\hat\\theta_i` (standard error
    :math:`\\sqrt{se_i^2 + se_j^2}`, Welch–Satterthwaite degrees of freedom from ``df``; normal
    when ``df`` is ``None``) at the Bonferroni level :math:`1 - \\alpha / (n - 1)`. Best rank =
    1 + the number of others whose difference interval lies wholly above zero, worst rank =
    *n* − the number wholly below. When all *n* − 1 intervals cover their true differences,
    which happens with probability at least ``level``, the true rank lies in the interval: the
    marginal confidence set of one entity's rank of Klein, Wright & Wieczorek (2020) and Mogstad,
    Romano, Shaikh & Wilhelm (2024), with Bonferroni's simultaneous intervals. An entity without a
    standard error is told apart from none; two with a standard error of 0 (no spread) by their
    estimates.

    Examples
    --------
    Three entities at 70, 60 and 40 with standard error 2 and a normal reference: the
    Bonferroni level for two comparisons is 97.5 %, z = 2.2414, and each difference's half-width
    is 2.2414 x √8 = 6.34; 70 − 60 = 10 and 60 − 40 = 20 exceed it, so the ranks are known.

    >>> low, high = rank_intervals([70, 60, 40], [2, 2, 2])
    >>> low.tolist(), high.tolist()
    ([1, 2, 3], [1, 2, 3])

    With standard errors of 4 the half-width is 12.68: 70 and 60 cannot be told apart.

    >>> low, high = rank_intervals([70, 60, 40], [4, 4, 4])
    >>> low.tolist(), high.tolist()
    ([1, 1, 3], [2, 2, 3])
    >>> [x.tolist() for x in rank_intervals([70, 60, 40], [4, 4, 4], rows=[1])]
    [[1], [2]]
    """
    est = np.asarray(estimate, float)
    se = np.asarray(se, float)
    n = est.size
    r = np.arange(n) if rows is None else np.atleast_1d(np.asarray(rows, dtype=int))
    if n < 2:
        return np.ones(r.size, dtype=int), np.full(r.size, n, dtype=int)
    alpha = 1 - level
    var = se ** 2
    diff = est[None, :] - est[r, None]                 # row i, column j: theta_j - theta_i
    s2 = var[r, None] + var[None, :]
    q = 1 - alpha / (2 * (n - 1))
    if df is None:
        crit = np.full(s2.shape, special.ndtri(q))
    else:
        d = np.asarray(df, float)
        with np.errstate(invalid="ignore", divide="ignore"):
            welch = s2 ** 2 / (var[r, None] ** 2 / d[r, None] + var[None, :] ** 2 / d[None, :])
        crit = special.stdtrit(np.where(welch > 0, welch, np.nan), q)
    half = np.where(s2 == 0, 0.0, crit * np.sqrt(s2))  # no error: the estimates decide
    with np.errstate(invalid="ignore"):
        above = np.nan_to_num(diff - half > 0, nan=0).astype(bool)
        below = np.nan_to_num(diff + half < 0, nan=0).astype(bool)
    above[np.arange(r.size), r] = False                # never compared with itself
    below[np.arange(r.size), r] = False
    return 1 + above.sum(axis=1), n - below.sum(axis=1)


def rank_range(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ranks each entity could hold given the intervals (1 = highest).

    Best rank = 1 + number of others whose interval lies wholly above; worst rank = n - number
    of others whose interval lies wholly below. Entities whose intervals overlap cannot be told
    apart, so their ranges overlap.

    Examples
    --------
    Intervals [60, 70], [55, 65] and [40, 50]: the first two overlap, so each is 1st or 2nd;
    the third lies below both, so it is 3rd.

    >>> best, worst = rank_range(np.array([60, 55, 40]), np.array([70, 65, 50]))
    >>> best.tolist(), worst.tolist()
    ([1, 1, 3], [2, 2, 3])
    """
    low = np.asarray(low, float)
    high = np.asarray(high, float)
    above = (low[None, :] > high[:, None]).sum(axis=1)   # others wholly above me
    below = (high[None, :] < low[:, None]).sum(axis=1)   # others wholly below me
    return 1 + above, len(low) - below


def similarity(table: pd.DataFrame, members: Sequence[str], value: str, *,
               n_draws: int = 2000, seed: int = 20211101) -> dict:
    """Are the members' values more alike than those of random municipalities? (one round)

    The statistic is the standard deviation of the members' values; the reference distribution
    is the same statistic for ``n_draws`` random sets of the same size drawn without
    replacement from all municipalities in ``table`` (a permutation test). ``p_value`` is the
    share of random sets at least as alike as the members (with the usual +1 correction).

    Returns ``{"n", "sd", "random_median_sd", "p_value"}``; ``p_value`` is missing for fewer
    than two members with values.
    """
    vals = table.set_index("municipality_code")[value].dropna()
    mine = vals[vals.index.isin(list(members))].to_numpy()
    out = {"n": int(mine.size), "sd": np.nan, "random_median_sd": np.nan, "p_value": np.nan}
    if mine.size < 2 or vals.size <= mine.size:
        return out
    rng = group_seed(seed, "similarity", ",".join(sorted(members)), value)
    pool = vals.to_numpy()
    draws = np.argsort(rng.random((n_draws, pool.size)), axis=1)[:, :mine.size]
    random_sd = pool[draws].std(axis=1, ddof=1)
    sd = float(mine.std(ddof=1))
    out.update(sd=sd, random_median_sd=float(np.median(random_sd)),
               p_value=float((1 + (random_sd <= sd).sum()) / (n_draws + 1)))
    return out


def similarity_pooled(tables: Sequence[pd.DataFrame], members: Sequence[str], value: str, *,
                      n_draws: int = 2000, seed: int = 20211101) -> dict:
    """:func:`similarity` over several rounds at once: the mean of the per-round spreads.

    Each draw picks, in every round, a random set of the size the group has in that round, and
    averages the spreads; rounds with fewer than two members with values are left out. Returns
    ``{"rounds", "mean_sd", "random_median_sd", "p_value"}``.
    """
    rng = group_seed(seed, "similarity-pooled", ",".join(sorted(members)), value)
    observed, random = [], []
    for tab in tables:
        vals = tab.set_index("municipality_code")[value].dropna()
        mine = vals[vals.index.isin(list(members))].to_numpy()
        if mine.size < 2 or vals.size <= mine.size:
            continue
        pool = vals.to_numpy()
        draws = np.argsort(rng.random((n_draws, pool.size)), axis=1)[:, :mine.size]
        observed.append(mine.std(ddof=1))
        random.append(pool[draws].std(axis=1, ddof=1))
    if not observed:
        return {"rounds": 0, "mean_sd": np.nan, "random_median_sd": np.nan, "p_value": np.nan}
    obs = float(np.mean(observed))
    rand = np.mean(random, axis=0)
    return {"rounds": len(observed), "mean_sd": obs, "random_median_sd": float(np.median(rand)),
            "p_value": float((1 + (rand <= obs).sum()) / (n_draws + 1))}
