"""The jackknife against its textbook identities (a mean: s²/n exactly, pseudo-values = the
values), Tukey's t-interval against scipy's one-sample t-interval, and the moderated variance
against Smyth's (2004) formula worked by hand."""


import numpy as np
import pytest
from scipy import stats

from dimios_lib.stats.jackknife import (
    grouped_jackknife,
    jackknife,
    moderated_variance,
    t_bounds,
    t_p_value,
)


def test_jackknife_variance_of_a_mean_is_s2_over_n_exactly():
    x = np.random.default_rng(3).normal(50, 12, 9)
    jk = jackknife(x)
    assert jk.se ** 2 == pytest.approx(x.var(ddof=1) / len(x), rel=1e-12)
    assert jk.df == 8
    np.testing.assert_allclose(jk.pseudo_values, x, rtol=1e-12)


def test_tukey_interval_of_a_mean_is_the_one_sample_t_interval():
    x = np.array([3.0, 4.0, 4.0, 5.0, 6.0])
    jk = jackknife(x)
    lo, hi = t_bounds(jk.estimate, jk.se, jk.df, 0.95)
    ref = stats.ttest_1samp(x, 0).confidence_interval(0.95)
    assert (float(lo), float(hi)) == pytest.approx((ref.low, ref.high), rel=1e-12)
    assert float(t_p_value(jk.estimate - 4.0, jk.se, jk.df)) == pytest.approx(
        stats.ttest_1samp(x, 4.0).pvalue, rel=1e-12)


def test_grouped_jackknife_matches_one_group_at_a_time_and_skips_non_contributors():
    # Two groups of ratio means (answers given / answers counted); in group 2 the third unit
    # answered nothing, so it does not contribute and the variance is that of two units.
    sums = np.array([[1.0], [2.0], [6.0], [3.0], [5.0], [0.0]])
    counts = np.array([[1.0], [1.0], [2.0], [1.0], [1.0], [0.0]])
    starts = np.array([0, 3])
    group = np.array([0, 0, 0, 1, 1, 1])
    tot_s = np.add.reduceat(sums, starts)
    tot_c = np.add.reduceat(counts, starts)
    point = tot_s / tot_c
    loo = (tot_s[group] - sums) / (tot_c[group] - counts)
    v, k, pseudo = grouped_jackknife(point, loo, starts, counts > 0)
    ratio = lambda a: a[:, 0].sum() / a[:, 1].sum()  # noqa: E731
    one = jackknife(np.column_stack([sums[:3, 0], counts[:3, 0]]), ratio)
    assert v[0, 0] == pytest.approx(one.se ** 2)
    assert v[1, 0] == pytest.approx(np.var([3.0, 5.0], ddof=1) / 2)   # s²/n of the two
    assert k.ravel().tolist() == [3, 2]
    assert np.isnan(pseudo[5, 0]) and pseudo[3, 0] == pytest.approx(3.0)


def test_moderated_variance_by_hand():
    # Smyth (2004): (d0 s0² + d s²) / (d0 + d). s² = 100 on 4 df, prior 400 on 2 df:
    # (2 x 400 + 4 x 100) / 6 = 200 on 6 df; prior df 0 leaves it alone.
    v, d = moderated_variance(np.array([100.0, 100.0]), np.array([4, 4]), 400.0,
                              np.array([2, 0]))
    assert v.tolist() == [200.0, 100.0] and d.tolist() == [6.0, 4.0]


def test_degenerate_intervals():
    lo, hi = t_bounds([20.0, 20.0, 20.0], [0.0, np.nan, 1.0], [4, 4, 0])
    assert (lo[0], hi[0]) == (20.0, 20.0)                 # no spread: the point
    assert np.isnan(lo[1]) and np.isnan(hi[2])            # no se, or no df: no interval
    assert t_p_value([2.0, 0.0], [0.0, 0.0], [3, 3]).tolist() == [0.0, 1.0]
    lo, hi = t_bounds(98.0, 5.0, 4, bounds=(0, 100))
    assert hi == 100.0
