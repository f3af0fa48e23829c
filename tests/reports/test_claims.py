"""The claims of a municipality report: decided across its comparisons, pinned to hand
calculations and statsmodels, and the words follow the decisions."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from dimios_lib import reports
from dimios_lib.config import ModelConfig
from dimios_lib.errors import ConfigError
from dimios_lib.reports import claims
from dimios_lib.stats.multiplicity import adjust_pvalues
from dimios_lib.stats.ranking import rank_intervals
from dimios_lib.text import municipality as text_municipality
from dimios_lib.text.catalog import t


@pytest.fixture(scope="module")
def data(small_csv):
    return reports.load_data(small_csv)


@pytest.mark.parametrize("method", ["fdr_bh", "fdr_by", "holm"])
def test_adjusted_p_values_are_statsmodels(method):
    rng = np.random.default_rng(7)
    for _ in range(20):
        p = rng.random(44) ** 4
        p[rng.random(44) < 0.1] = np.nan
        ok = ~np.isnan(p)
        ours = adjust_pvalues(p, method=method)
        assert np.isnan(ours[~ok]).all()
        np.testing.assert_allclose(ours[ok], multipletests(p[ok], method=method)[1])


def test_decide_claims_by_the_adjusted_p_value():
    f = pd.DataFrame({"kind": "capability", "key": list("abcde"), "difference": -5.0,
                      "p_value": [0.001, 0.021, 0.031, 0.041, 0.5]})
    # BH by hand: p x 5/rank = 0.005, 0.0525, 0.05167, 0.05125, 0.5, then the running minimum
    # from the largest: 0.005, 0.05125, 0.05125, 0.05125, 0.5: only the first is below 0.05
    out = claims.decide(f)
    np.testing.assert_allclose(out["p_adjusted"], [0.005, 0.05125, 0.05125, 0.05125, 0.5])
    assert out["claimed"].tolist() == [True, False, False, False, False]
    # each alone (the old rule): four
    assert claims.decide(f, method="none")["claimed"].sum() == 4


def test_the_family_holds_every_comparison_once():
    head = pd.DataFrame({"measure": ["maturity"], "pct": [60.0], "national": [50.0],
                         "peer": [55.0], "p_national": [0.01], "p_peer": [np.nan]})
    caps = pd.DataFrame({"item_id": ["A", "B"], "gap": [1.0, -2.0], "p_value": [0.5, 0.2]})
    ch = pd.DataFrame({"measure": ["maturity", "maturity"], "round_from": ["2023-11"] * 2,
                       "change": [3.0, 3.0], "p_value": [0.04, 0.04]})
    fam = claims.family(head, None, caps, ch)
    # no peer p-value: left out; the same pair of rounds twice: once
    assert fam["kind"].tolist() == ["national", "capability", "capability", "change"]
    assert fam["difference"].tolist() == [10.0, 1.0, -2.0, 3.0]


def test_the_national_comparison_counts_the_national_mean_s_own_error(data):
    """Karlskoga against the mean of three municipalities (each once): the difference is
    (2/3) y_K - (1/3)(y_1 + y_2), so V = (2/3)^2 se_K^2 + (1/9)(se_1^2 + se_2^2), with
    Welch-Satterthwaite's degrees of freedom; the p-value is the two-sided t."""
    rep = reports.municipality_report(data, "1883")
    shown = data.shown()
    r = shown[shown["round"] == rep.round].set_index("municipality_code")
    se, df, y = r["maturity_se"], r["maturity_df"], r["maturity_pct"]
    parts = {c: ((2 / 3) ** 2 if c == "1883" else 1 / 9) * se[c] ** 2 for c in r.index}
    v = sum(parts.values())
    dof = v ** 2 / sum(p ** 2 / df[c] for c, p in parts.items() if p > 0)
    diff = y["1883"] - y.mean()
    expected = 2 * stats.t.sf(abs(diff) / np.sqrt(v), dof)
    h = rep.headline.set_index("measure")
    assert h.at["maturity", "p_national"] == pytest.approx(expected, rel=1e-9)
    # and the report's family is adjusted with Benjamini-Hochberg as statsmodels does it
    fam = rep.family
    np.testing.assert_allclose(fam["p_adjusted"],
                               multipletests(fam["p_value"], method="fdr_bh")[1])
    assert (fam["claimed"] == (fam["p_adjusted"] < 0.05)).all()


def test_rank_intervals_by_hand():
    """Two entities with t df: the difference 10 with se sqrt(2^2 + 3^2) = 3.606 on the Welch
    df 13^2 / (16/5 + 81/8) = 12.68; Bonferroni over one comparison is the plain 95 % t:
    half-width t(0.975, 12.68) x 3.606 = 7.85 < 10, so the ranks are told apart."""
    low, high = rank_intervals([70.0, 60.0], [2.0, 3.0], [5, 8])
    welch = 13 ** 2 / (16 / 5 + 81 / 8)
    assert stats.t.ppf(0.975, welch) * np.sqrt(13) < 10
    assert low.tolist() == [1, 2] and high.tolist() == [1, 2]
    low, high = rank_intervals([70.0, 60.0], [4.0, 4.0], [5, 8])
    assert low.tolist() == [1, 1] and high.tolist() == [2, 2]


def test_the_words_follow_the_claims_not_the_intervals(data):
    rep = reports.municipality_report(data, "1883")
    h = rep.headline
    nat = h.set_index("measure").at["maturity", "national"]
    above = t("mun.verdict.national.above", "sv", national=f"{nat:.0f}\xa0%")
    level = t("mun.verdict.national.level", "sv", national=f"{nat:.0f}\xa0%")
    # the report's own decision for maturity against the nation is "level"
    assert h.set_index("measure").at["maturity", "national_claim"] == "level"
    assert level in text_municipality.mun_verdict(rep, data.bank, "sv")
    # an interval wholly above the national mean is not a claim when the family says "level"
    h.loc[h["measure"] == "maturity", "ci_low"] = nat + 1
    assert level in text_municipality.mun_verdict(rep, data.bank, "sv")
    # and a claim is said when the family makes it
    h.loc[h["measure"] == "maturity", "national_claim"] = "above"
    assert above in text_municipality.mun_verdict(rep, data.bank, "sv")


def test_a_priority_is_clear_only_when_claimed(data):
    rep = reports.municipality_report(data, "1880")
    assert len(rep.priorities_gap)
    first = rep.priorities_gap.iloc[0]
    label = data.bank.label(first["item_id"], "sv")
    rep.priorities_gap["clear"] = False
    rep.priorities_gap["clear_unadjusted"] = True  # the old rule would have said "clear"
    sv = text_municipality.mun_verdict(rep, data.bank, "sv")
    assert t("mun.verdict.priority", "sv", label=label) in sv
    pri, _, _ = text_municipality.mun_lists(rep, data.bank, "sv")
    assert "inom felmarginalen" in pri[0] and "tydlig skillnad" not in pri[0]
    rep.priorities_gap["clear"] = True
    sv = text_municipality.mun_verdict(rep, data.bank, "sv")
    assert t("mun.verdict.priority_clear", "sv", label=label) in sv
    assert "tydlig skillnad" in text_municipality.mun_lists(rep, data.bank, "sv")[0][0]


def test_the_rank_is_an_interval(data):
    rep = reports.municipality_report(data, "1883")
    text = text_municipality.mun_rank(rep, "en")
    assert text == ("Karlskoga's place in digital maturity among 3 municipalities lies between "
                    "1 and 2 (95% confidence, allowing for the comparison with every other "
                    "municipality).")
    h = rep.headline
    h.loc[h["measure"] == "maturity", ["rank_low", "rank_high"]] = [1, 3]
    assert "cannot be told" in text_municipality.mun_rank(rep, "en")
    assert not claims.rank_claimed(h.set_index("measure").loc["maturity"].to_dict())


def test_the_old_rule_is_one_setting_away(small_csv):
    cfg = ModelConfig(claims_adjustment="none", rank_method="overlap", benchmark_error=False)
    rep = reports.municipality_report(reports.load_data(small_csv, config=cfg), "1883")
    fam = rep.family
    assert (fam["p_adjusted"] == fam["p_value"]).all()
    # with the benchmark fixed, a capability's p-value is its own t-test against the mean
    caps = rep.capabilities
    np.testing.assert_allclose(caps["gap_se"], caps["se"])
    h = rep.headline.set_index("measure")
    assert (h.at["maturity", "rank_low"], h.at["maturity", "rank_high"]) == (1, 2)
    with pytest.raises(ConfigError, match="claims_adjustment"):
        ModelConfig(claims_adjustment="bonferroni")
    with pytest.raises(ConfigError, match="claims_alpha"):
        ModelConfig(claims_alpha=0.7)
