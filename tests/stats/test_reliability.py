"""Cronbach's alpha, McDonald's omega and ICC against published values (R's psych package,
Shrout & Fleiss 1979) and hand calculations."""


import numpy as np
import pandas as pd
import pytest

from dimios_lib.stats.reliability import (
    cronbach_alpha,
    icc_oneway,
    mcdonald_fit,
    mcdonald_omega,
    omega_fit,
    omega_from_correlation,
    pairwise_moments,
)

SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9],
                 [6, 2, 4, 7]]

# 12 respondents x 11 binary items with 4 missing answers (www.real-statistics.com, shipped by
# pingouin as "cronbach_wide_missing"). R: psych::alpha(x, use = "pairwise") gives
# raw_alpha 0.7326608, psych::alpha(x, use = "complete.obs") 0.8016949 (as pingouin's
# documentation and tests record them).
_ = np.nan
WIDE_MISSING = [
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0],
    [_, 0, 1, 1, _, 1, 1, 1, 1, 0, 0],
    [1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0],
    [1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0],
    [0, 1, _, 0, 1, 1, 1, 1, 0, 0, 0],
    [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
    [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0],
    [1, 0, 0, 1, 0, 1, 0, 0, _, 0, 0],
    [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
]


def test_alpha_against_shrout_fleiss_1979():
    # Shrout & Fleiss (1979), Psychological Bulletin 86(2), Table 4: ICC(3,k) = .91, which is
    # Cronbach's alpha with the judges as items. Exact value 0.909316 by hand:
    # item variances 3.0667, 2.6667, 2.1667, 6.2667 (sum 14.1667); total variance 54.6667 (ddof 1)
    # alpha = 4/3 x (1 - 14.1667 / 54.6667)... = 0.9093
    alpha = cronbach_alpha(SHROUT_FLEISS)
    assert round(alpha, 2) == 0.91
    assert alpha == pytest.approx(0.909316, abs=1e-6)
    assert cronbach_alpha(SHROUT_FLEISS, missing="listwise") == pytest.approx(alpha)


def test_alpha_with_missing_answers_against_r_psych():
    assert cronbach_alpha(WIDE_MISSING) == pytest.approx(0.7326608, abs=1e-7)
    assert cronbach_alpha(WIDE_MISSING, missing="listwise") == pytest.approx(0.8016949,
                                                                             abs=1e-7)


def test_pairwise_moments_against_pandas_and_a_hand_calculation():
    frame = pd.DataFrame(WIDE_MISSING)
    cov, corr, n = pairwise_moments(frame.to_numpy())
    np.testing.assert_allclose(cov, frame.cov().to_numpy(), atol=1e-12)
    np.testing.assert_allclose(corr, frame.corr().to_numpy(), atol=1e-12)
    # items 1 and 3 are both answered by every respondent but 3 and 6 (10 rows)
    assert n[0, 2] == 10 and n[0, 0] == 11
    # by hand: item 1 over those rows 1,1,1,1,1,1,0,1,1,1 (mean .9), item 3 1,1,1,1,1,1,0,0,1,0
    # (mean .7); cross products sum 7, so cov = (7 - 10 x .9 x .7) / 9 = .7 / 9
    assert cov[0, 2] == pytest.approx(0.7 / 9)


def test_alpha_drops_a_respondent_only_listwise():
    x = np.array(SHROUT_FLEISS, float)
    with_gap = np.vstack([x, [np.nan, 1, 1, 1]])
    assert cronbach_alpha(with_gap, missing="listwise") == pytest.approx(cronbach_alpha(x))
    assert cronbach_alpha(with_gap) != pytest.approx(cronbach_alpha(x))  # the answers count
    assert np.isnan(cronbach_alpha(x[:, :1]))
    with pytest.raises(ValueError, match="missing"):
        cronbach_alpha(x, missing="mean")


def test_omega_hand_calculation():
    # Loadings 0.8, 0.7, 0.6, 0.5: omega = 2.6^2 / (2.6^2 + (0.36 + 0.51 + 0.64 + 0.75))
    # = 6.76 / 9.02 = 0.749446
    lam = np.array([0.8, 0.7, 0.6, 0.5])
    corr = np.outer(lam, lam)
    np.fill_diagonal(corr, 1)
    assert omega_from_correlation(corr) == pytest.approx(6.76 / 9.02, abs=1e-6)
    # Equal loadings (tau-equivalent, standardised): omega equals standardised alpha.
    corr = np.full((5, 5), 0.49)
    np.fill_diagonal(corr, 1)
    k, r = 5, 0.49
    assert omega_from_correlation(corr) == pytest.approx(k * r / (1 + (k - 1) * r), abs=1e-6)


def test_three_items_are_exactly_identified():
    # r12 = .56, r13 = .48, r23 = .42: l1^2 = .56 x .48 / .42 = .64, l2^2 = .56 x .42 / .48 = .49,
    # l3^2 = .48 x .42 / .56 = .36; omega = 2.1^2 / (4.41 + .36 + .51 + .64) = 4.41 / 5.92
    fit = omega_fit([[1, .56, .48], [.56, 1, .42], [.48, .42, 1]])
    np.testing.assert_allclose(fit.loadings, [0.8, 0.7, 0.6], atol=1e-6)
    assert fit.omega == pytest.approx(4.41 / 5.92, abs=1e-6) and not fit.heywood


def test_a_heywood_case_is_refitted_within_the_bounds_not_clipped():
    # r12 = r13 = .8, r23 = .5: the free solution has l1^2 = .64 / .5 = 1.28 (l1 = 1.131).
    # Refitted with |l| <= 1: l1 = 1 and l2 = l3 = x minimising 2(.8 - x)^2 + (.5 - x^2)^2,
    # i.e. x^3 + .5 x - .8 = 0, x = 0.751426; omega = (1 + 2x)^2 / ((1 + 2x)^2 + 2(1 - x^2))
    # = 0.877965. Clipping the free solution instead (1, .7071, .7071) would give 0.853553.
    fit = omega_fit([[1, .8, .8], [.8, 1, .5], [.8, .5, 1]])
    assert fit.heywood
    np.testing.assert_allclose(fit.loadings, [1, 0.751426, 0.751426], atol=1e-5)
    assert fit.omega == pytest.approx(0.877965, abs=1e-5)


def test_omega_with_missing_answers_uses_pairwise_correlations(rng):
    f = rng.normal(size=300)
    x = np.column_stack([lam * f + np.sqrt(1 - lam**2) * rng.normal(size=300)
                         for lam in (0.8, 0.7, 0.6, 0.5)])
    x[rng.random(x.shape) < 0.15] = np.nan
    expected = omega_fit(pd.DataFrame(x).corr().to_numpy()).omega
    assert mcdonald_omega(x) == pytest.approx(expected, abs=1e-8)
    listwise = x[~np.isnan(x).any(axis=1)]
    assert mcdonald_omega(x, missing="listwise") == pytest.approx(
        omega_fit(np.corrcoef(listwise, rowvar=False)).omega, abs=1e-8)
    assert not mcdonald_fit(x).heywood


def test_omega_needs_three_items(rng):
    x = rng.normal(size=(50, 2))
    assert np.isnan(mcdonald_omega(x))


def test_icc_against_shrout_fleiss_1979():
    # Table 4 read as six groups (targets) of four (judges' ratings): published ICC(1,1) = .17,
    # ICC(1,4) = .44. By hand: BMS = 11.24, WMS = 6.26; (11.24 - 6.26) / (11.24 + 3 x 6.26) = .166;
    # (11.24 - 6.26) / 11.24 = .443.
    r = icc_oneway(np.ravel(SHROUT_FLEISS), np.repeat(np.arange(6), 4))
    assert round(r["icc1"], 2) == 0.17 and round(r["icc2"], 2) == 0.44
    assert round(r["ms_between"], 2) == 11.24  # published BMS
    assert round(r["ms_within"], 2) == 6.26  # published WMS


def test_icc_with_unequal_groups_by_hand():
    # A = 1, 2, 3 (mean 2), B = 4, 6 (mean 5), C = 8, 9, 10, 11 (mean 9.5); grand mean 6.
    # SSB = 3 x 16 + 2 x 1 + 4 x 12.25 = 99, MSB = 49.5; SSW = 2 + 2 + 5 = 9, MSW = 9 / 6 = 1.5;
    # n0 = (9 - (9 + 4 + 16) / 9) / 2 = 26 / 9; ICC(1) = 48 / (49.5 + (26/9 - 1) x 1.5),
    # ICC(2) = 48 / 49.5.
    y = [1, 2, 3, 4, 6, 8, 9, 10, 11, np.nan]
    g = ["A", "A", "A", "B", "B", "C", "C", "C", "C", "B"]
    r = icc_oneway(y, g)
    assert r["n0"] == pytest.approx(26 / 9)
    assert r["icc1"] == pytest.approx(48 / (49.5 + 17 / 9 * 1.5))
    assert r["icc2"] == pytest.approx(48 / 49.5)
    n0, icc1 = r["n0"], r["icc1"]
    assert r["icc2"] == pytest.approx(n0 * icc1 / (1 + (n0 - 1) * icc1))  # Spearman-Brown
    assert np.isnan(icc_oneway([1, 2, 3], ["A", "A", "A"])["icc1"])
