"""The partially overlapping samples t-test against its published example (R's
Partiallyoverlapping::Partover.test) and against scipy at its two limits: the paired t-test (no
unpaired units) and Welch's test (no paired units)."""


import numpy as np
import pytest
from scipy import stats

from dimios_lib.stats.overlap import overlap_decomposed, overlap_t, partially_overlapping_t

A_UNPAIRED = [20, 21, 16, 18, 14, 12, 14, 17]
A_PAIRED = [14, 15, 18, 20, 11, 19, 14, 15]
B_UNPAIRED = [10, 16, 18, 16, 15, 14, 13, 10]
B_PAIRED = [15, 10, 15, 17, 13, 19, 12, 13]


def test_published_example_equal_variances():
    # Partover.test(a.unpaired, b.unpaired, a.paired, b.paired, var.equal = TRUE):
    # "p.value = 0.026" (the package's manual; Derrick, Toher & White 2017, TQMP 13(2)).
    # By hand: means 16.125 and 14.125; pooled sd 2.88386; r = 0.68680 over the 8 pairs;
    # se = 2.88386 x sqrt(2/16 - 2 x 0.68680 x 8 / 256) = 0.82619; df = 7 + 23/32 x 16 = 18.5.
    res = partially_overlapping_t(A_UNPAIRED, B_UNPAIRED, A_PAIRED, B_PAIRED, equal_var=True)
    assert res.estimate == pytest.approx(2.0)
    assert res.se == pytest.approx(0.82619, abs=5e-5)
    assert res.df == pytest.approx(18.5)
    assert round(res.p_value, 3) == 0.026


@pytest.mark.parametrize("method", ["derrick", "decomposed"])
def test_limits_are_the_paired_t_test_and_welch(method):
    rng = np.random.default_rng(11)
    before = rng.normal(50, 8, 7)
    after = 0.7 * before + rng.normal(18, 5, 7)
    panel = partially_overlapping_t([], [], after, before, method=method)
    ref = stats.ttest_rel(after, before)
    assert (panel.statistic, panel.df, panel.p_value) == pytest.approx(
        (ref.statistic, ref.df, ref.pvalue), rel=1e-10)
    ci = ref.confidence_interval(0.95)
    assert (panel.ci_low, panel.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-10)
    x, y = rng.normal(50, 8, 5), rng.normal(55, 12, 8)
    fresh = partially_overlapping_t(x, y, [], [], method=method)
    ref = stats.ttest_ind(x, y, equal_var=False)
    assert (fresh.statistic, fresh.df, fresh.p_value) == pytest.approx(
        (ref.statistic, ref.df, ref.pvalue), rel=1e-10)


def test_partial_overlap_by_hand():
    # Sample 1: unpaired 4, 6; paired 5, 7, 9. Sample 2: unpaired 2; paired 4, 7, 7.
    # Means 6.2 and 5.0; variances 14.8/4 = 3.7 and 18/3 = 6.0. Pairs: sd 2 and sqrt(3),
    # covariance (4 + 0 + 2)/2 = 3, r = 3 / (2 sqrt 3) = 0.8660.
    # se² = 3.7/5 + 6/4 - 2 x 0.8660 x 3 x sqrt(3.7 x 6) / (5 x 4) = 2.24 - 1.2241 = 1.0159;
    # Welch df = 2.24² / (0.74²/4 + 1.5²/3) = 5.6575; df = 2 + (5.6575 - 2) x 3 / 9 = 3.2192.
    res = partially_overlapping_t([4, 6], [2], [5, 7, 9], [4, 7, 7])
    assert res.estimate == pytest.approx(1.2)
    assert res.se ** 2 == pytest.approx(1.0159, abs=5e-5)
    assert res.df == pytest.approx(3.2192, abs=5e-4)
    assert res.p_value == pytest.approx(2 * stats.t.sf(1.2 / np.sqrt(1.0159), 3.2192), abs=1e-4)


def test_no_spread_and_too_few_pairs():
    same = overlap_t(3.0, 0.0, 0.0, 6, 6, 6, 0.0)
    assert (float(same.ci_low), float(same.ci_high), float(same.p_value)) == (3.0, 3.0, 0.0)
    # one pair only: its correlation is not used (r = 0)
    a = partially_overlapping_t([1, 2, 3], [2, 3], [4], [5])
    b = overlap_t(a.estimate, np.var([1, 2, 3, 4], ddof=1), np.var([2, 3, 5], ddof=1),
                  4, 3, 1, 0.0)
    assert a.se == pytest.approx(float(b.se))


def test_decomposed_partial_overlap_by_hand():
    # The example above. z = x1/5 - x2/4 over the pairs: 0, -0.35, 0.05 (variance 0.0475).
    # V = 2 x 3.7/25 + 1 x 6/16 + 3 x 0.0475 = 0.8135 (the unbiased sum of the three parts);
    # Satterthwaite's df 8.384 exceed the 6 distinct units less two, so df = 4.
    res = partially_overlapping_t([4, 6], [2], [5, 7, 9], [4, 7, 7], method="decomposed")
    assert res.se ** 2 == pytest.approx(0.8135)
    assert res.df == 4.0
    assert res.p_value == pytest.approx(2 * stats.t.sf(1.2 / np.sqrt(0.8135), 4))
    # a larger overlap where Satterthwaite's count stands: 8 and 8 units, 6 paired
    rng = np.random.default_rng(2)
    x = rng.normal(0, 1, 8)
    y = np.concatenate([0.5 * x[:6] + rng.normal(0, 1, 6), rng.normal(0, 1, 2)])
    a, b, c = 2 * x.var(ddof=1) / 64, 2 * y.var(ddof=1) / 64, 6 * (x[:6] / 8 - y[:6] / 8).var(
        ddof=1)
    res = overlap_decomposed(x.mean() - y.mean(), x.var(ddof=1), y.var(ddof=1), 8, 8, 6,
                             (x[:6] / 8 - y[:6] / 8).var(ddof=1))
    sat = (a + b + c) ** 2 / (a ** 2 / 7 + b ** 2 / 7 + c ** 2 / 5)
    assert float(res.df) == pytest.approx(min(sat, 8.0)) and float(res.se) ** 2 == pytest.approx(
        a + b + c)
