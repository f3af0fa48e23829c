"""Before/after statistics pinned to outside references: R's sleep data, Brunner & Munzel (2000),
Card & Krueger (1994), and hand calculations shown in the docstrings."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from dimios_lib.stats.bootstrap import bca_interval, group_seed
from dimios_lib.stats.comparisons import brunner_munzel, independent_tests, paired_tests
from dimios_lib.stats.effect_sizes import (
    _rb_independent,
    _rb_paired,
    hedges_correction,
    hedges_g,
    rank_biserial,
)
from dimios_lib.stats.models import difference_in_differences, fixed_effects_change, proportional_odds
from dimios_lib.stats.multiplicity import adjust_pvalues
from dimios_lib.study.compare import compare_waves

# R's datasets::sleep (Student 1908): extra hours of sleep, group 1 and group 2, ten patients.
# Read here as before = group 1, after = group 2, so that after - before = group 2 - group 1.
SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def test_paired_t_and_wilcoxon_against_r_sleep():
    """R: t.test(extra ~ group, data = sleep, paired = TRUE) gives t = -4.0621, df = 9,
    p-value = 0.002833 for group 1 - group 2; wilcox.test(..., paired = TRUE) gives V = 0,
    p-value = 0.009091 (normal approximation: there are ties and a zero difference)."""
    r = paired_tests(SLEEP_1, SLEEP_2)
    assert r["t"] == pytest.approx(4.0621, abs=5e-5)
    assert r["df"] == 9
    assert r["p_t"] == pytest.approx(0.002833, abs=5e-7)
    assert r["mean_diff"] == pytest.approx(1.58)
    # R: 95 percent confidence interval -2.4598858 -0.7001142 (group 1 - group 2)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.7001142, 2.4598858), abs=1e-7)
    assert r["p_w"] == pytest.approx(0.009091, abs=5e-7)
    assert r["w"] == 45  # V for after - before: ranks 1..9 all positive
    assert r["w_method"].startswith("normal approximation")


def test_wilcoxon_exact_without_ties_or_zeros():
    # Differences 1..6 all positive, no ties: exact p = 2 / 2^6 = 0.03125 (R: V = 21, p = 0.03125)
    r = paired_tests(np.zeros(6), np.arange(1, 7))
    assert r["w_method"] == "exact" and r["w"] == 21
    assert r["p_w"] == pytest.approx(2 / 64)


def test_welch_and_mann_whitney_against_r_sleep():
    """R: t.test(extra ~ group, data = sleep) gives t = -1.8608, df = 17.776, p-value = 0.07939;
    wilcox.test(extra ~ group, data = sleep) gives W = 25.5, p-value = 0.06933."""
    r = independent_tests(SLEEP_1, SLEEP_2)
    assert r["t"] == pytest.approx(1.8608, abs=5e-5)
    assert r["df"] == pytest.approx(17.776, abs=5e-4)
    assert r["p_t"] == pytest.approx(0.07939, abs=5e-6)
    # R: 95 percent confidence interval -3.3654832  0.2054832
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((-0.2054832, 3.3654832), abs=1e-7)
    assert r["u"] == 100 - 25.5  # U of after = n1 n2 - W
    assert r["p_u"] == pytest.approx(0.06933, abs=5e-6)


def test_brunner_munzel_against_published_example():
    """Brunner & Munzel (2000), pain scores after surgery; R lawstat::brunner.munzel.test(x, y):
    Brunner-Munzel Test Statistic = 3.1375, df = 17.683, p-value = 0.005786."""
    x = [1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1]
    y = [3, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4]
    r = brunner_munzel(x, y)
    assert r["statistic"] == pytest.approx(3.1375, abs=5e-5)
    assert r["df"] == pytest.approx(17.683, abs=5e-4)
    assert r["p"] == pytest.approx(0.005786, abs=5e-7)
    # p_hat = P(Y > X) + P(Y = X)/2 = 0.789 (lawstat: "P(X<Y)+.5*P(X=Y) 0.788961")
    assert r["p_hat"] == pytest.approx(0.788961, abs=5e-7)
    # The other direction flips the sign only.
    back = brunner_munzel(y, x)
    assert back["statistic"] == pytest.approx(-r["statistic"]) and back["p"] == pytest.approx(r["p"])


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


def test_bca_interval_is_scipys_and_seeded():
    """The paired interval resamples respondent indices: exactly what scipy.stats.bootstrap does
    with paired=True, so with the same generator the two intervals are identical."""
    r = compare_waves(SLEEP_1, SLEEP_2, paired=True, n_resamples=2000, seed=7, rng_key=("k",))
    ref = stats.bootstrap((SLEEP_1, SLEEP_2), lambda b, a, axis=-1: (
        np.mean(a - b, axis=axis) / np.sqrt((np.var(b, axis=axis, ddof=1)
                                             + np.var(a, axis=axis, ddof=1)) / 2)
        * (1 - 3 / 35)), paired=True, vectorized=True, n_resamples=2000, method="BCa",
        rng=group_seed(7, "g", "k"))
    assert (r["ci_low"], r["ci_high"]) == pytest.approx(
        (ref.confidence_interval.low, ref.confidence_interval.high), rel=1e-12)
    assert r["ci_low"] < r["effect_size"] < r["ci_high"]
    again = compare_waves(SLEEP_1, SLEEP_2, paired=True, n_resamples=2000, seed=7, rng_key=("k",))
    other = compare_waves(SLEEP_1, SLEEP_2, paired=True, n_resamples=2000, seed=8, rng_key=("k",))
    assert again["ci_low"] == r["ci_low"] and other["ci_low"] != r["ci_low"]
    # Every resample of an all-positive paired sample has r = 1: the interval is (1, 1).
    assert (r["rank_biserial_ci_low"], r["rank_biserial_ci_high"]) == (1.0, 1.0)
    # Too few units: no interval.
    assert all(np.isnan(bca_interval(np.mean, [np.array([1.0, 2.0])])))


def test_compare_waves_independent_columns():
    r = compare_waves(SLEEP_1, SLEEP_2, paired=False, n_resamples=500)
    assert r["test"] == "Welch t" and r["rank_test"] == "Mann-Whitney U"
    assert r["statistic"] == pytest.approx(1.8608, abs=5e-5)
    assert r["mean_after"] - r["mean_before"] == pytest.approx(r["mean_diff"])
    assert r["ci_low"] < r["effect_size"] < r["ci_high"]
    assert r["rank_biserial_ci_low"] < 0.49 < r["rank_biserial_ci_high"]
    assert r["bm_p_value"] == pytest.approx(stats.brunnermunzel(SLEEP_1, SLEEP_2).pvalue)


def _cells(spec, *, spread=(-1.0, 0.0, 1.0)):
    """Respondent scores around given cell means: {(code, arm): (mean before, mean after)}."""
    rows = []
    for (code, arm), means in spec.items():
        for wave, mean in zip(("before", "after"), means):
            rows += [(code, arm, wave, f"{code}-{wave}-{k}", mean + dev)
                     for k, dev in enumerate(spread)]
    return pd.DataFrame(rows, columns=["municipality_code", "arm", "wave", "person", "score"])


def test_difference_in_differences_card_krueger():
    """Card & Krueger (1994), AER 84(4), Table 3, FTE employment per store:
    NJ 20.44 -> 21.03, PA 23.33 -> 21.17. By hand: (21.03 - 20.44) - (21.17 - 23.33)
    = 0.59 - (-2.16) = 2.75; the paper prints 2.76 (unrounded means)."""
    scores = _cells({("NJ", "treated"): (20.44, 21.03), ("PA", "comparison"): (23.33, 21.17)})
    r = difference_in_differences(scores)
    assert r["estimate"] == pytest.approx(2.75, abs=1e-9)
    assert abs(r["estimate"] - 2.76) <= 0.01 + 1e-9
    assert r["treated_change"] == pytest.approx(0.59) and r["comparison_change"] == pytest.approx(-2.16)
    assert r["ci_low"] < 2.75 < r["ci_high"]
    # Two municipalities: two assignments (NJ or PA treated), one the mirror of the other.
    assert r["n_assignments"] == 2 and r["permutation_p"] == 1 and r["min_permutation_p"] == 1


def test_difference_in_differences_four_municipalities_by_hand():
    """Balanced cells, changes T1 +1, T2 +3 (treated), C1 0, C2 +1 (comparison):
    DiD = mean(1, 3) - mean(0, 1) = 1.5. Permutation over the C(4, 2) = 6 assignments:
    {T1,T2} 1.5, {C1,C2} -1.5, {T1,C1} 0.5 - 2 = -1.5, {T2,C2} 2 - 0.5 = 1.5,
    {T1,C2} 1 - 1.5 = -0.5, {T2,C1} 1.5 - 1 = 0.5: four of six reach |1.5|, p = 4/6."""
    scores = _cells({("T1", "treated"): (3.0, 4.0), ("T2", "treated"): (4.0, 7.0),
                     ("C1", "comparison"): (5.0, 5.0), ("C2", "comparison"): (2.0, 3.0)})
    r = difference_in_differences(scores)
    assert r["estimate"] == pytest.approx(1.5, abs=1e-9)
    assert r["n_assignments"] == 6 and r["min_permutation_p"] == pytest.approx(2 / 6)
    assert r["permutation_p"] == pytest.approx(4 / 6)
    assert (r["n_municipalities"], r["n_treated"], r["n_comparison"]) == (4, 2, 2)
    # Clustered by respondent: every respondent here is a cluster of one.
    assert r["n_clusters"] == len(scores) and r["df"] == len(scores) - 1
    # The pooled within-cell SD is 1 (deviations -1, 0, 1): standardised = estimate.
    assert r["standardised"] == pytest.approx(1.5)


def test_fixed_effects_change_hand_calculation():
    """A before (1, 3) after (4, 6): change 3, weight 2 x 2 / 4 = 1; B before (2, 4, 6, 8) after
    (6, 8, 10, 12): change 4, weight 4 x 4 / 8 = 2. Beta = (1 x 3 + 2 x 4) / 3 = 3.666667.
    Within-cell SDs 1.414214 and 2.581989 (twice each): s_w^2 = (2 x 1 x 2 + 2 x 3 x 6.666667)
    / 8 = 5.5, s_w = 2.345208; g = J(8) x 3.666667 / 2.345208 = 0.903226 x 1.563472 = 1.412168."""
    s = pd.DataFrame({"municipality_code": ["A"] * 4 + ["B"] * 8,
                      "wave": ["before", "before", "after", "after"] + ["before"] * 4
                      + ["after"] * 4,
                      "person": range(12), "score": [1, 3, 4, 6, 2, 4, 6, 8, 6, 8, 10, 12.0]})
    r = fixed_effects_change(s, n_resamples=500)
    assert r["estimate"] == pytest.approx(11 / 3, abs=1e-9)
    assert r["effect_size"] == pytest.approx(1.412168, abs=5e-7)
    assert (r["n_before"], r["n_after"], r["n_matched"], r["n_municipalities"]) == (6, 6, 0, 2)
    assert r["ci_low"] < r["estimate"] < r["ci_high"]
    # A's strata (2 before only, 2 after only) are too small to resample and held fixed.
    assert r["g_ci_low"] < r["effect_size"] < r["g_ci_high"]
    assert r["fixed_strata"] == 2


def test_fixed_effects_holds_a_stratum_of_one_fixed():
    # Three respondents in both waves and one before only: that stratum of one cannot be
    # resampled; it is kept as it is, and the interval still exists.
    s = pd.DataFrame({"municipality_code": "A", "wave": ["before"] * 4 + ["after"] * 3,
                      "person": [1, 2, 3, 9, 1, 2, 3], "score": [1, 2, 3, 4, 2, 4, 5.0]})
    r = fixed_effects_change(s, n_resamples=500)
    assert r["fixed_strata"] == 1 and (r["n_before"], r["n_after"], r["n_matched"]) == (4, 3, 3)
    # beta = mean after - mean before = 11/3 - 10/4
    assert r["estimate"] == pytest.approx(11 / 3 - 10 / 4)
    assert np.isfinite(r["g_ci_low"]) and r["g_ci_low"] < r["effect_size"] < r["g_ci_high"]


def test_fixed_effects_with_pairs_keeps_them_together():
    # One municipality, everyone in both waves, differences 1, 2, 3, 2: beta = mean = 2;
    # the pooled g equals the municipality's g_av up to the Hedges correction's df.
    s = pd.DataFrame({"municipality_code": "A", "wave": ["before"] * 4 + ["after"] * 4,
                      "person": [1, 2, 3, 4] * 2, "score": [1, 2, 3, 4, 2, 4, 6, 6.0]})
    r = fixed_effects_change(s, n_resamples=500)
    assert r["estimate"] == pytest.approx(2) and r["n_matched"] == 4 and r["n_clusters"] == 4
    d_av = 2 / math.sqrt((np.var([1, 2, 3, 4], ddof=1) + np.var([2, 4, 6, 6], ddof=1)) / 2)
    assert r["effect_size"] == pytest.approx(d_av * hedges_correction(6))


def test_proportional_odds_binary_is_the_log_odds_ratio():
    """Two answer levels make the ordered logit a logistic regression; with one binary regressor
    the coefficient is the log odds ratio of the 2 x 2 table. Before: 12 low, 8 high; after:
    6 low, 14 high. OR = (14 / 6) / (8 / 12) = 3.5, log OR = 1.252763;
    SE = sqrt(1/12 + 1/8 + 1/6 + 1/14) = 0.668153 (Woolf)."""
    answers = np.array([1] * 12 + [2] * 8 + [1] * 6 + [2] * 14)
    exog = pd.DataFrame({"post": [0.0] * 20 + [1.0] * 20})
    r = proportional_odds(answers, exog, "post")
    assert r["converged"]
    assert r["log_odds"] == pytest.approx(math.log(3.5), abs=1e-4)
    assert r["se"] == pytest.approx(math.sqrt(1 / 12 + 1 / 8 + 1 / 6 + 1 / 14), abs=1e-3)
    assert r["odds_ratio"] == pytest.approx(3.5, abs=1e-3)
    # One answer level only: nothing to fit.
    assert np.isnan(proportional_odds(np.ones(40), exog, "post")["log_odds"])


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
