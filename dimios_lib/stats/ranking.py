"""Ranks and likeness from intervals and values: the range of ranks consistent with the intervals,
and a permutation test of whether a group's members are more alike than random sets of
municipalities.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .bootstrap import group_seed


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
