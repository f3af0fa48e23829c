"""Pooled models: fixed effects, difference-in-differences (Card & Krueger), proportional odds."""


import math

import numpy as np
import pandas as pd
import pytest

from dimios_lib.stats.effect_sizes import (
    hedges_correction,
)
from dimios_lib.stats.models import difference_in_differences, fixed_effects_change, proportional_odds


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


@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt")
def test_difference_in_differences_is_tested_across_municipalities():
    """The four-municipality example (DiD 1.5, permutation p 4/6) with respondent noise that
    differs by municipality: the wild cluster bootstrap clusters by municipality. Its t is
    statsmodels' CR1 t clustered by municipality, and with 4 municipalities Rademacher weights
    give all 2^4 = 16 vectors (p at least 2/16, so the 95 % interval is unbounded)."""
    import statsmodels.formula.api as smf

    scores = _cells({("T1", "treated"): (3.0, 4.0), ("T2", "treated"): (4.0, 7.0),
                     ("C1", "comparison"): (5.0, 5.0), ("C2", "comparison"): (2.0, 3.0)},
                    spread=(-1.5, -0.5, 0.0, 0.5, 1.5))
    r = difference_in_differences(scores)
    work = scores.assign(post=(scores["wave"] == "after").astype(float))
    work["treated_post"] = (work["arm"] == "treated") * work["post"]
    fit = smf.ols("score ~ post + treated_post + C(municipality_code)", data=work).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(work["municipality_code"])[0]})
    assert r["estimate"] == pytest.approx(1.5)
    assert r["wild_statistic"] == pytest.approx(fit.tvalues["treated_post"], rel=1e-9)
    assert (r["wild_draws"], r["wild_enumerated"], r["min_wild_p"]) == (16, True, 2 / 16)
    assert r["wild_p"] >= 2 / 16
    assert r["wild_ci_low"] == -math.inf and r["wild_ci_high"] == math.inf
    assert r["permutation_p"] == pytest.approx(4 / 6)
    # Respondent-clustered numbers stay, for transparency: every respondent a cluster of one.
    assert r["n_clusters"] == len(scores) and r["ci_low"] < 1.5 < r["ci_high"]
    webb = difference_in_differences(scores, weights="webb")
    assert (webb["wild_draws"], webb["min_wild_p"]) == (6 ** 4, pytest.approx(6 / 6 ** 4))
