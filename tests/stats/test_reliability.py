"""Cronbach's alpha and McDonald's omega against published and hand-computed values."""


import numpy as np
import pytest

from dimios_lib.stats.reliability import cronbach_alpha, mcdonald_omega, omega_from_correlation

SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9],
                 [6, 2, 4, 7]]


def test_alpha_against_shrout_fleiss_1979():
    # Shrout & Fleiss (1979), Psychological Bulletin 86(2), Table 4: ICC(3,k) = .91, which is
    # Cronbach's alpha with the judges as items. Exact value 0.909316 by hand:
    # item variances 3.0667, 2.6667, 2.1667, 6.2667 (sum 14.1667); total variance 54.6667 (ddof 1)
    # alpha = 4/3 x (1 - 14.1667 / 54.6667)... = 0.9093
    alpha = cronbach_alpha(SHROUT_FLEISS)
    assert round(alpha, 2) == 0.91
    assert alpha == pytest.approx(0.909316, abs=1e-6)


def test_alpha_listwise_and_degenerate():
    x = np.array(SHROUT_FLEISS, float)
    with_gap = np.vstack([x, [np.nan, 1, 1, 1]])
    assert cronbach_alpha(with_gap) == pytest.approx(cronbach_alpha(x))
    assert np.isnan(cronbach_alpha(x[:, :1]))


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


def test_omega_needs_three_items(rng):
    x = rng.normal(size=(50, 2))
    assert np.isnan(mcdonald_omega(x))
