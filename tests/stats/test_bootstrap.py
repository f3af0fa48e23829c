"""BCa intervals: scipy's, seeded per group."""


import numpy as np
import pytest
from scipy import stats

from dimios_lib.stats.bootstrap import bca_interval, group_seed
from dimios_lib.study.compare import compare_waves

# R's datasets::sleep (Student 1908): extra hours of sleep, group 1 and group 2, ten patients.
# Read here as before = group 1, after = group 2, so that after - before = group 2 - group 1.
SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])


SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def test_bca_interval_is_scipys_and_seeded():
    """The paired interval resamples respondent indices: exactly what scipy.stats.bootstrap does
    with paired=True, so with the same generator the two intervals are identical."""
    r = compare_waves(SLEEP_1, SLEEP_2, paired=True, n_resamples=2000, seed=7, rng_key=("k",))
    ref = stats.bootstrap((SLEEP_1, SLEEP_2), lambda b, a, axis=-1: (
        np.mean(a - b, axis=axis) / np.sqrt((np.var(b, axis=axis, ddof=1)
                                             + np.var(a, axis=axis, ddof=1)) / 2)
        * (1 - 3 / 35)), paired=True, vectorized=True, n_resamples=2000, method="BCa",
        rng=group_seed(7, "g", "k"))
    assert (r["ci_low"], r["ci_high"]) == pytest.approx(
        (ref.confidence_interval.low, ref.confidence_interval.high), rel=1e-12)
    assert r["ci_low"] < r["effect_size"] < r["ci_high"]
    again = compare_waves(SLEEP_1, SLEEP_2, paired=True, n_resamples=2000, seed=7, rng_key=("k",))
    other = compare_waves(SLEEP_1, SLEEP_2, paired=True, n_resamples=2000, seed=8, rng_key=("k",))
    assert again["ci_low"] == r["ci_low"] and other["ci_low"] != r["ci_low"]
    # Every resample of an all-positive paired sample has r = 1, so a bootstrap interval of the
    # rank-biserial would be (1, 1): compare_waves gives it a score interval instead
    # (tests/stats/test_effect_sizes.py).
    assert r["rank_biserial_ci_low"] < 1 == r["rank_biserial_ci_high"]
    # Too few units: no interval.
    assert all(np.isnan(bca_interval(np.mean, [np.array([1.0, 2.0])])))
