"""The group comparison's "more alike than chance": decided across all the report's likeness
tests by the report's rule (pinned to a hand calculation and statsmodels), and the words follow
the decision, not the p-value alone."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from dimios_lib import reports
from dimios_lib.config import ModelConfig
from dimios_lib.reports import claims
from dimios_lib.reports.group import decide_likeness
from dimios_lib.text import fmt
from dimios_lib.text import group as text_group
from dimios_lib.text.catalog import t
from dimios_lib.text.common import measure


def _tests(p_rounds, p_pooled, rounds=("2023-11", "2024-05"), n_pooled=2):
    """Likeness tables with the given p-values: ``p_rounds`` row by row over rounds x
    (capability, legacy, maturity), ``p_pooled`` per measure."""
    ms = ["capability", "legacy", "maturity"]
    alike = pd.DataFrame([{"round": r, "measure": m, "n": 3, "sd": 2.0,
                           "random_median_sd": 6.0} for r in rounds for m in ms])
    alike["p_value"] = p_rounds
    pooled = pd.DataFrame({"measure": ms, "rounds": n_pooled, "mean_sd": 2.0,
                           "random_median_sd": 6.0, "p_value": p_pooled})
    return alike, pooled


def test_the_likeness_tests_are_adjusted_together_by_hand():
    # six per-round tests and three pooled: nine in the family. Sorted p: 0.001, 0.004, 0.02,
    # 0.03, 0.04, 0.3, 0.5, 0.6, 0.9; BH: p x 9/rank = 0.009, 0.018, 0.06, 0.0675, 0.072, 0.45,
    # 0.643, 0.675, 0.9, and the running minimum from the largest leaves them as they are.
    alike, pooled = _tests([0.02, 0.5, 0.3, 0.04, 0.6, 0.001], [0.03, 0.9, 0.004])
    a, p, fam = decide_likeness(alike, pooled, ModelConfig())
    assert len(fam) == 9
    np.testing.assert_allclose(a["p_adjusted"], [0.06, 9 * 0.5 / 7, 0.45, 0.072, 0.675, 0.009])
    np.testing.assert_allclose(p["p_adjusted"], [0.0675, 0.9, 0.018])
    # each alone five would be "more alike"; across the report two are
    assert a["claimed"].tolist() == [False, False, False, False, False, True]
    assert p["claimed"].tolist() == [False, False, True]
    # Holm: 0.001 x 9 = 0.009, 0.004 x 8 = 0.032, 0.02 x 7 = 0.14, 0.03 x 6 = 0.18, ...,
    # 0.6 x 2 = 1.2 -> 1, then the running maximum (0.9 x 1 becomes 1): the same two
    a, p, _ = decide_likeness(alike, pooled, ModelConfig(claims_adjustment="holm"))
    assert a["claimed"].sum() + p["claimed"].sum() == 2
    np.testing.assert_allclose(p["p_adjusted"], [0.18, 1.0, 0.032])
    # the old rule is one setting away: each test alone at claims_alpha
    a, p, _ = decide_likeness(alike, pooled, ModelConfig(claims_adjustment="none"))
    assert a["claimed"].sum() + p["claimed"].sum() == 5


def test_a_pooled_test_over_one_round_and_missing_p_values_stay_out():
    alike, pooled = _tests([0.01, np.nan, 0.2], [0.01, 0.5, 0.2], rounds=("2024-05",),
                           n_pooled=1)
    a, p, fam = decide_likeness(alike, pooled, ModelConfig())
    assert fam["key"].tolist() == ["capability:2024-05", "maturity:2024-05"]
    np.testing.assert_allclose(a["p_adjusted"], [0.02, np.nan, 0.2])
    assert not p["claimed"].any() and p["p_adjusted"].isna().all()


@pytest.mark.parametrize("method", ["fdr_bh", "fdr_by", "holm"])
def test_the_likeness_adjustment_is_statsmodels(method):
    rng = np.random.default_rng(11)
    rounds = [f"202{k}-05" for k in range(5)]
    for _ in range(10):
        alike, pooled = _tests(rng.random(15) ** 3, rng.random(3) ** 3, rounds=rounds, n_pooled=5)
        a, p, fam = decide_likeness(alike, pooled,
                                    ModelConfig(claims_adjustment=method))
        ps = np.concatenate([alike["p_value"], pooled["p_value"]])
        ref = multipletests(ps, alpha=0.05, method=method)
        np.testing.assert_allclose(np.concatenate([a["p_adjusted"], p["p_adjusted"]]), ref[1])
        assert np.concatenate([a["claimed"], p["claimed"]]).tolist() == ref[0].tolist()


def test_a_report_decides_its_likeness_across_rounds_and_measures(small_csv):
    data = reports.load_data(small_csv)
    rep = reports.group_comparison(data, ["1883", "0114"])
    fam = rep.likeness
    stated = rep.alike["p_value"].notna().sum() + (
        rep.alike_pooled["p_value"].notna() & (rep.alike_pooled["rounds"] >= 2)).sum()
    assert len(fam) == stated > 0
    np.testing.assert_allclose(fam["p_adjusted"],
                               multipletests(fam["p_value"], method="fdr_bh")[1])
    assert rep.record()["alike_tests"] == len(fam)


def test_the_words_follow_the_decision_not_the_p_value(small_csv):
    data = reports.load_data(small_csv)
    rep = reports.group_comparison(data, ["1883", "0114"])
    latest = rep.alike["round"] == rep.round
    assert latest.any() and rep.alike.loc[latest, "p_value"].notna().all()
    # a p-value below 0.05 that the family does not claim: "no clear sign"
    alike = rep.alike.copy()
    alike.loc[latest, ["p_value", "p_adjusted", "claimed"]] = [0.01, 0.2, False]
    words = text_group.grp_alike(dataclasses.replace(rep, alike=alike), "en")
    r = alike[latest].iloc[0]
    no = t("grp.alike.no", "en", measure=measure(r["measure"], "en"),
           round=fmt.round_label(rep.round, "en"), sd=fmt.number(r["sd"], "en", 1),
           random=fmt.number(r["random_median_sd"], "en", 1), p="0.010", p_adjusted="0.200")
    assert words[0] == no
    # and "more alike" where the family claims it
    alike.loc[latest, ["p_adjusted", "claimed"]] = [0.03, True]
    words = text_group.grp_alike(dataclasses.replace(rep, alike=alike), "en")
    assert words[0].startswith(t("grp.alike.yes", "en", measure=measure(r["measure"], "en"),
                                 round=fmt.round_label(rep.round, "en"), sd="", random="",
                                 p="", p_adjusted="").split(":")[0] + ":")
    assert "more alike than randomly chosen" in words[0]
    assert claims.alike_claimed({"p_value": 0.001, "claimed": False}) is False
    # the rule is stated with the number of tests
    assert f" {len(rep.likeness)} " in text_group.grp_alike_rule(rep, "en")
