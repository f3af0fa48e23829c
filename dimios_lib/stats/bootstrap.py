"""Bootstrap building blocks: generators seeded from a seed and a group's key (so a group's
interval does not depend on which other groups are analysed with it), resample counts, and BCa
intervals (scipy) with samples resampled as strata.
"""

from __future__ import annotations

import warnings as _warnings
import zlib
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd


def _resample_counts(rng: np.random.Generator, n: int, b: int) -> np.ndarray:
    """How often each of ``n`` respondents is drawn in each of ``b`` resamples (b x n)."""
    draws = rng.integers(0, n, size=(b, n))
    flat = draws + (np.arange(b) * n)[:, None]
    return np.bincount(flat.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)


_MIN_RESAMPLED = 3  # a bootstrap sample (stratum) needs at least this many units


def group_seed(seed: int, *key: object) -> np.random.Generator:
    """A generator seeded from the run's seed and a group's key: the one way the library seeds
    a random draw that belongs to a group (a municipality's bootstrap, a study's permutations,
    a group's random comparison sets).

    The key's parts are joined as text (a missing part as the empty string) and hashed with
    CRC-32, so a group's draws are the same in every run and whichever other groups are
    analysed with it.

    Examples
    --------
    >>> a = group_seed(1, "0114", "2023-11").random()
    >>> b = group_seed(1, "0114", "2023-11").random()
    >>> c = group_seed(1, "0114", "2024-05").random()
    >>> a == b != c
    True
    """
    text = "\x1f".join("" if _missing(k) else str(k) for k in key).encode()
    return np.random.default_rng([seed, zlib.crc32(text)])


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


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
    from scipy import stats  # slow to import; the scoring path never needs it

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
