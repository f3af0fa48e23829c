"""Intervals for proportions against statsmodels."""


import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from dimios_lib.stats.proportions import proportion_interval


@pytest.mark.parametrize("x,n", [(0, 5), (5, 5), (84, 120), (1, 3), (468, 780)])
def test_proportion_interval_matches_statsmodels(x, n):
    for method, sm in (("wilson", "wilson"), ("clopper-pearson", "beta")):
        for level in (0.9, 0.95):
            got = proportion_interval(x, n, ci_level=level, method=method)
            want = proportion_confint(x, n, alpha=1 - level, method=sm)
            assert (float(got[0]), float(got[1])) == pytest.approx(want, abs=1e-10)
    lo, hi = proportion_interval([0, 2], [0, 4])
    assert np.isnan(lo[0]) and np.isnan(hi[0]) and lo[1] < 0.5 < hi[1]
    with pytest.raises(ValueError):
        proportion_interval(1, 2, method="wald")
