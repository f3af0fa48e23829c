"""Hedges' g and rank-biserial correlation against hand calculations."""


import numpy as np
import pytest

from dimios_lib.stats.effect_sizes import (
    _rb_independent,
    _rb_paired,
    hedges_correction,
    hedges_g,
    rank_biserial,
)
from dimios_lib.study.compare import compare_waves

# R's datasets::sleep (Student 1908): extra hours of sleep, group 1 and group 2, ten patients.
# Read here as before = group 1, after = group 2, so that after - before = group 2 - group 1.
SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])


SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def test_hedges_g_hand_calculation():
    """Sleep data: SDs 1.789010 (before) and 2.002249 (after), mean difference 1.58.
    s_p = sqrt((3.200556 + 4.009000) / 2) = 1.898625 (equal n: the pooled SD is the root mean
    square of the SDs); d = 1.58 / 1.898625 = 0.832181.
    g_s  = d x (1 - 3 / (4 x 18 - 1)) = 0.832181 x 0.957746 = 0.797019.
    g_av = d x (1 - 3 / (4 x 9 - 1))  = 0.832181 x 0.914286 = 0.760851.
    d_z  = 1.58 / 1.229995 = 1.284558 (by the SD of the differences; reported apart)."""
    assert hedges_correction(18) == pytest.approx(1 - 3 / 71)
    assert hedges_g(SLEEP_1, SLEEP_2) == pytest.approx(0.797019, abs=5e-7)
    assert hedges_g(SLEEP_1, SLEEP_2, paired=True) == pytest.approx(0.760851, abs=5e-7)
    r = compare_waves(SLEEP_1, SLEEP_2, paired=True, n_resamples=200)
    assert r["effect_size_kind"] == "g_av" and r["d_z"] == pytest.approx(1.284558, abs=5e-7)
    with pytest.raises(ValueError):
        hedges_g([1, 2], [1, 2, 3], paired=True)


def test_rank_biserial_hand_calculation():
    # Independent: U = 74.5 of 10 x 10 pairs: r = 2 x 74.5 / 100 - 1 = 0.49 (Cliff's delta).
    assert rank_biserial(SLEEP_1, SLEEP_2) == pytest.approx(0.49)
    cliff = np.sign(SLEEP_2[:, None] - SLEEP_1[None, :]).mean()
    assert cliff == pytest.approx(0.49)
    # Paired, every non-zero difference positive: r = 1.
    assert rank_biserial(SLEEP_1, SLEEP_2, paired=True) == 1
    # Differences 0, 1, -2, 3, 0, 4: zeros dropped, ranks of |d| 1, 2, 3, 4;
    # T+ = 1 + 3 + 4 = 8, T- = 2, r = (8 - 2) / 10 = 0.6.
    before = np.zeros(6)
    after = np.array([0, 1, -2, 3, 0, 4.0])
    assert rank_biserial(before, after, paired=True) == pytest.approx(0.6)
    # The vectorised kernels agree row by row (what the bootstrap relies on).
    rng = np.random.default_rng(1)
    b, a = rng.integers(1, 8, (5, 12)) / 4, rng.integers(1, 8, (5, 12)) / 4
    assert np.allclose(_rb_paired(b, a), [rank_biserial(x, y, paired=True) for x, y in zip(b, a)])
    assert np.allclose(_rb_independent(b, a[:, :9]),
                       [rank_biserial(x, y) for x, y in zip(b, a[:, :9])])
