"""Holm and Benjamini–Hochberg by hand and against statsmodels."""


import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from dimios_lib.stats.multiplicity import adjust_pvalues


def test_adjust_pvalues_by_hand_and_against_statsmodels():
    """Holm, p = 0.01, 0.04, 0.03, 0.005: sorted x (4, 3, 2, 1) = 0.02, 0.03, 0.06, 0.04,
    running maximum 0.02, 0.03, 0.06, 0.06. Benjamini-Hochberg: sorted x 4 / rank = 0.02, 0.02,
    0.04, 0.04, running minimum from the top 0.02, 0.02, 0.04, 0.04."""
    p = [0.01, 0.04, 0.03, 0.005]
    assert adjust_pvalues(p).tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert adjust_pvalues(p, method="fdr_bh").tolist() == pytest.approx([0.02, 0.04, 0.04, 0.02])
    rng = np.random.default_rng(3)
    q = rng.random(12) ** 3
    assert adjust_pvalues(q) == pytest.approx(multipletests(q, method="holm")[1])
    with_nan = adjust_pvalues([0.01, np.nan, 0.04])
    assert np.isnan(with_nan[1]) and with_nan[[0, 2]].tolist() == pytest.approx([0.02, 0.04])
    with pytest.raises(ValueError):
        adjust_pvalues(p, method="bonferroni")
