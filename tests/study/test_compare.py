"""Before/after statistics pinned to outside references: R's sleep data, Brunner & Munzel (2000),
Card & Krueger (1994), and hand calculations shown in the docstrings."""


import numpy as np
import pytest
from scipy import stats

from dimios_lib.study.compare import compare_waves

# R's datasets::sleep (Student 1908): extra hours of sleep, group 1 and group 2, ten patients.
# Read here as before = group 1, after = group 2, so that after - before = group 2 - group 1.
SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])


SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def test_compare_waves_independent_columns():
    r = compare_waves(SLEEP_1, SLEEP_2, paired=False, n_resamples=500)
    assert r["test"] == "Welch t" and r["rank_test"] == "Mann-Whitney U"
    assert r["statistic"] == pytest.approx(1.8608, abs=5e-5)
    assert r["mean_after"] - r["mean_before"] == pytest.approx(r["mean_diff"])
    assert r["ci_low"] < r["effect_size"] < r["ci_high"]
    assert r["rank_biserial_ci_low"] < 0.49 < r["rank_biserial_ci_high"]
    assert r["bm_p_value"] == pytest.approx(stats.brunnermunzel(SLEEP_1, SLEEP_2).pvalue)
