"""Hedges' g and rank-biserial correlation against hand calculations."""


import numpy as np
import pytest
from scipy import stats

from dimios_lib.stats.effect_sizes import (
    _rb_independent,
    _rb_paired,
    hedges_correction,
    hedges_g,
    rank_biserial,
    rank_biserial_interval,
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


def test_rank_biserial_interval_paired_hand_calculation():
    """Sleep data paired: nine non-zero differences, all positive, |d| = 1.3 twice.
    Var0(T+) = 9 x 10 x 19 / 24 - (2^3 - 2) / 48 = 71.25 - 0.125 = 71.125; T+ + T- = 45;
    n_e = 45^2 / (4 x 71.125) = 7.117750; psi = 1, so the Wilson bounds are
    n_e / (n_e + z^2) = 7.117750 / (7.117750 + 3.841459) = 0.649477 and 1:
    r from 2 x 0.649477 - 1 = 0.298953 to 1, not the degenerate [1, 1]."""
    low, high = rank_biserial_interval(SLEEP_1, SLEEP_2, paired=True)
    n_e = 45 ** 2 / (4 * 71.125)
    assert n_e == pytest.approx(7.117750, abs=5e-7)
    assert low == pytest.approx(2 * n_e / (n_e + 1.959964 ** 2) - 1, abs=1e-6)
    assert low == pytest.approx(0.298953, abs=5e-7) and high == 1.0
    # Mirror image: every difference negative.
    assert rank_biserial_interval(SLEEP_2, SLEEP_1, paired=True) == pytest.approx((-1.0, -low))
    r = compare_waves(SLEEP_1, SLEEP_2, paired=True, n_resamples=200)
    assert (r["rank_biserial_ci_low"], r["rank_biserial_ci_high"]) == pytest.approx((low, 1.0))


def test_rank_biserial_interval_independent_hand_calculation():
    """Every after above every before, m = n = 5: theta = U / 25 = 1. Newcombe's method 5:
    N* = (5 + 5) / 2 - 1 = 4 and the lower bound solves (1 - theta)^2 = z^2 V(theta),
    V = theta (1 - theta) (1 + 4 (1 - theta) / (2 - theta) + 4 theta / (1 + theta)) / 25.
    Dividing by 1 - theta: 25 (1 - theta) = z^2 theta (1 + ...), root theta = 0.642703, so
    r = 2 x 0.642703 - 1 = 0.285406 (checked here by putting the root back in)."""
    low, high = rank_biserial_interval([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
    assert high == 1.0 and low == pytest.approx(0.285406, abs=5e-7)
    theta, z2 = (low + 1) / 2, 1.959964 ** 2
    v = theta * (1 - theta) * (1 + 4 * (1 - theta) / (2 - theta) + 4 * theta / (1 + theta)) / 25
    assert (1 - theta) ** 2 == pytest.approx(z2 * v, rel=1e-5)
    # At theta = 1/2 the variance is the exact null variance of U / (m n), (m + n + 1) / (12 m n)
    # (m, n = 7, 11: 19 / 924) — the anchoring the paired interval copies.
    from dimios_lib.stats.effect_sizes import _newcombe_variance
    assert _newcombe_variance(0.5, 7, 11) == pytest.approx(19 / 924)
    # The sleep data (r = 0.49, Mann-Whitney p = 0.069): the interval covers 0 and 0.49.
    low, high = rank_biserial_interval(SLEEP_1, SLEEP_2)
    assert low < 0 < 0.49 < high < 1


def test_paired_interval_agrees_with_the_wilcoxon_normal_approximation():
    """The interval excludes r = 0 exactly when scipy's signed-rank test (normal approximation,
    no continuity correction, zeros dropped) has p below 5 %."""
    rng = np.random.default_rng(11)
    seen = set()
    for k in range(60):
        b = rng.integers(1, 8, 25).astype(float)
        a = b + rng.integers(-3, 4, 25) + (k % 3)
        p = stats.wilcoxon(a, b, zero_method="wilcox", correction=False,
                           method="approx").pvalue
        if abs(p - 0.05) < 0.002:
            continue
        low, high = rank_biserial_interval(b, a, paired=True)
        assert (p < 0.05) == (not low <= 0 <= high)
        seen.add(p < 0.05)
    assert seen == {True, False}
