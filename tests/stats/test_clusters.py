"""The respondent-weighted mean over municipalities and its ratio-estimator interval."""

import numpy as np
import pytest

from dimios_lib.stats.clusters import ratio_interval
from dimios_lib.stats.intervals import t_interval


def test_equal_weights_give_the_t_interval(rng):
    y = rng.uniform(30, 70, 12)
    assert ratio_interval(y, np.full(12, 7.0)) == pytest.approx(t_interval(y))


def test_the_ratio_estimator_by_hand():
    # 40, 50, 60 % with 5, 10, 100 respondents: mean 6700 / 115; v = 3/2 x sum w^2 (y - m)^2 /
    # 115^2 = 5.150067; half-width t(.975, 2) x sqrt(v) = 4.302653 x 2.269376
    mean, lo, hi, n = ratio_interval([40, 50, 60, np.nan], [5, 10, 100, 3])
    assert mean == pytest.approx(6700 / 115) and n == 3
    assert hi - mean == pytest.approx(4.302653 * np.sqrt(5.150067), abs=1e-5)
    assert mean - lo == pytest.approx(hi - mean)
    assert ratio_interval([55.0], [9])[:2] == (55.0, ratio_interval([55.0], [9])[1])
    assert np.isnan(ratio_interval([55.0], [9])[1]) and ratio_interval([], [])[3] == 0
