"""Scoring against hand calculations (each shown in a comment) and Karlskoga's published figures."""


import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dimios_lib.config import ModelConfig
from dimios_lib.maturity.scoring import item_pct, maturity_pct, score

from ..conftest import frame, respondents


def answers_for(pct, n=20):
    """n answers on 1-6 whose mean is 1 + pct/20 exactly: item % = (mean - 1) / 5 x 100 = pct."""
    total = round(n * (1 + pct / 20))
    low = total // n
    k = total - low * n
    return [low + 1] * k + [low] * (n - k)


def dataset(bank, capability, legacy, code="1883", rnd="2022-11"):
    """20 respondents whose every capability item scores `capability` % and legacy item
    `legacy` % (reverse items written flipped)."""
    cap, leg = answers_for(capability), answers_for(legacy)
    rows = []
    for r in range(20):
        for rec in bank.items.itertuples():
            a = (cap if rec.dimension == "capability" else leg)[r]
            rows.append((code, rnd, f"r{r}", None, None, rec.item_id, 7 - a if rec.reverse else a))
    return frame(rows)


def random_data(rng, all_items, groups):
    rows = []
    for code, rnd, n in groups:
        for r in range(n):
            unit = ["Socialtjänst", "Service", None][r % 3]
            for item in all_items:
                a = rng.integers(1, 7) if rng.random() > 0.05 else np.nan
                rows.append((code, rnd, f"r{r}", unit, "Ledning", item, a))
    return frame(rows)


@pytest.mark.parametrize("capability,legacy,published", [(47, 59, 53), (56, 71, 63),
                                                          (57, 72, 64)])
def test_karlskoga_published_triples(bank, capability, legacy, published):
    # Karlskoga 2022/2023/2024: the mean of the two published (rounded) dimension figures lies
    # within rounding (0.5) of the published maturity: 53.0, 63.5, 64.5.
    s = score(dataset(bank, capability, legacy), ci=False).overall.iloc[0]
    assert s["capability_pct"] == pytest.approx(capability)
    assert s["legacy_pct"] == pytest.approx(legacy)
    assert s["maturity_pct"] == pytest.approx((capability + legacy) / 2)
    assert abs(s["maturity_pct"] - published) <= 0.5
    assert s["type"] == ("C" if capability < 50 else "D")


def test_item_and_maturity_helpers():
    assert item_pct([1, 6]) == 50.0           # mean 3.5 -> 2.5 / 5 x 100
    assert item_pct([2, None, 2]) == 20.0
    assert item_pct([5], reverse=True) == 20.0  # 7 - 5 = 2 -> 20
    assert np.isnan(item_pct([None]))
    assert maturity_pct(47, 59) == 53.0


def test_two_respondent_hand_example(bank):
    # r1: EFF1 6, INN1 1, ORG1 4, TEK2 2 (reverse -> 5); r2: EFF1 4, INN1 3, ORG1 vet ej, TEK2 5
    # (-> 2). Items: EFF1 mean 5 -> 80 %; INN1 2 -> 20 %; ORG1 4 -> 60 %; TEK2 3.5 -> 50 %.
    # Capability = mean(Effektivitet 80, Innovation 20) = 50 (Balansering has no data);
    # legacy = mean(Organisation 60, Teknik 50) = 55; maturity = 52.5; type D (50 >= 50).
    rows = respondents("1883", "2022-11", {
        "r1": {"EFF1": 6, "INN1": 1, "ORG1": 4, "TEK2": 2},
        "r2": {"EFF1": 4, "INN1": 3, "ORG1": np.nan, "TEK2": 5}})
    s = score(frame(rows))
    o = s.overall.iloc[0]
    assert (o["capability_pct"], o["legacy_pct"], o["maturity_pct"], o["type"]) == (
        50.0, 55.0, 52.5, "D")
    assert o["municipality_name"] == "Karlskoga" and o["n_respondents"] == 2
    caps = s.capabilities.set_index("item_id")
    assert caps.loc["TEK2", "mean_answer"] == 3.5 and caps.loc["ORG1", "n_answers"] == 1
    cats = s.categories.set_index("category")["pct"]
    assert cats["Effektivitet"] == 80.0 and np.isnan(cats["Balansering"])


def test_dimension_is_mean_of_categories_not_items(bank):
    # Effektivitet (7 items) all 6 -> 100 %; Innovation (6) and Balansering (5) all 1 -> 0 %.
    # Mean of categories: 100 / 3 = 33.33 %; the mean of items would be 7 / 18 = 38.89 %.
    answers = {i: (6 if i.startswith("EFF") else 1) for i in bank.item_ids
               if bank.items.set_index("item_id").loc[i, "dimension"] == "capability"}
    rows = respondents("0114", "2023-11", {"r1": answers})
    o = score(frame(rows), ci=False).overall.iloc[0]
    assert o["capability_pct"] == pytest.approx(100 / 3)
    assert np.isnan(o["legacy_pct"]) and np.isnan(o["maturity_pct"]) and o["type"] is None
    # Weighted: Effektivitet weight 2 -> (2 x 100 + 0 + 0) / 4 = 50 %.
    cfg = ModelConfig(category_weights={"Effektivitet": 2})
    assert score(frame(rows), config=cfg, ci=False).overall.iloc[0]["capability_pct"] == 50.0


def test_other_scale_and_no_reverse(bank):
    rows = respondents("0114", "2023-11", {"r1": {"TEK2": 5, "EFF1": 5}})
    cfg = ModelConfig(scale_min=1, scale_max=5, reverse_scoring=False)
    caps = score(frame(rows), config=cfg, ci=False).capabilities.set_index("item_id")["pct"]
    assert caps["TEK2"] == 100.0 and caps["EFF1"] == 100.0   # (5 - 1) / 4 x 100, not flipped


def test_bootstrap_is_seeded_per_group_and_covers_the_estimate(rng, all_items):
    boot = ModelConfig(interval_method="bootstrap")
    data = random_data(rng, all_items, [("0114", "2023-11", 30), ("0180", "2023-11", 8),
                                        ("0180", "2024-05", 1)])
    a = score(data, config=boot).overall
    b = score(data, config=boot).overall
    pd.testing.assert_frame_equal(a, b)
    alone = score(data[data.municipality_code == "0180"], config=boot).overall
    cols = [c for c in alone.columns if "_eb_" not in c]
    pd.testing.assert_frame_equal(alone[cols].reset_index(drop=True),
                                  a[a.municipality_code == "0180"][cols].reset_index(drop=True))
    for m in ("capability", "legacy", "maturity"):
        assert (a[f"{m}_ci_low"] <= a[f"{m}_pct"]).all()
        assert (a[f"{m}_pct"] <= a[f"{m}_ci_high"]).all()
        assert a[f"{m}_df"].isna().all()            # no t-distribution behind a percentile
    one = a[a.n_respondents == 1].iloc[0]   # one respondent: every resample is that respondent
    assert one["maturity_ci_low"] == one["maturity_ci_high"] == one["maturity_pct"]
    width = (a["maturity_ci_high"] - a["maturity_ci_low"]).to_numpy()
    assert width[0] < width[1]              # 30 respondents vs 8
    other = score(data, config=boot.with_(seed=1)).overall
    assert not np.allclose(other["maturity_ci_low"], a["maturity_ci_low"])


def test_jackknife_t_interval_of_complete_answers_is_the_t_interval_of_respondent_scores(
        rng, all_items):
    # With every item answered, maturity is the mean of the respondents' own maturity scores:
    # its jackknife standard error is s / sqrt(n) and the interval scipy's one-sample t-interval.
    data = random_data(rng, all_items, [("0114", "2023-11", 7)])
    data = data.assign(answer=data["answer"].fillna(4.0))
    o = score(data).overall.iloc[0]
    own = score(data, by=("municipality_code", "round", "respondent_id"),
                ci=False).overall["maturity_pct"].to_numpy()
    ref = stats.ttest_1samp(own, 0).confidence_interval(0.95)
    assert o["maturity_pct"] == pytest.approx(own.mean())
    assert o["maturity_se"] == pytest.approx(own.std(ddof=1) / np.sqrt(7))
    assert o["maturity_df"] == 6
    assert (o["maturity_ci_low"], o["maturity_ci_high"]) == pytest.approx((ref.low, ref.high))
    pseudo = score(data).pseudo_values
    np.testing.assert_allclose(pseudo["maturity"], own)   # pseudo-values = respondent scores


def test_intervals_of_categories_and_items_by_hand(bank):
    # Effektivitet's 7 items, five respondents: EFF1 answered 2, 3, 4, 4, 5 (% 20, 40, 60, 60,
    # 80: mean 52, s² = 2080 / 4 = 520) and the other six items 4 by all (s² = 0).
    # EFF1 moderated (Smyth 2004) towards the group's pooled item variance, the df-weighted
    # mean over the seven answered items: s0² = 520 / 7 = 74.29; with 4 prior df:
    # (4 x 74.29 + 4 x 520) / 8 = 297.14 on 8 df; se = sqrt(297.14 / 5) = 7.709.
    # The category is the mean of each respondent's mean of the 7 items: t on 4 df.
    eff = [i for i in bank.item_ids if i.startswith("EFF")]
    rows = respondents("0114", "2023-11", {
        f"r{r}": {i: (a if i == "EFF1" else 4) for i in eff}
        for r, a in enumerate([2, 3, 4, 4, 5])})
    s = score(frame(rows))
    cap = s.capabilities.set_index("item_id")
    assert cap.loc["EFF1", "pct"] == pytest.approx(52.0)
    assert cap.loc["EFF1", "df"] == 8
    assert cap.loc["EFF1", "se"] == pytest.approx(np.sqrt((4 * 520 / 7 + 4 * 520) / 8 / 5))
    assert cap.loc["EFF1", "ci_high"] - cap.loc["EFF1", "pct"] == pytest.approx(
        stats.t.ppf(0.975, 8) * cap.loc["EFF1", "se"])
    # EFF2 had no spread of its own; moderation gives it the prior's share: 4 x 74.29 / 8
    assert cap.loc["EFF2", "se"] == pytest.approx(np.sqrt(4 * 520 / 7 / 8 / 5))
    plain = score(frame(rows), config=ModelConfig(item_variance_prior_df=0))
    plain_cap = plain.capabilities.set_index("item_id")
    assert plain_cap.loc["EFF2", "se"] == 0 and plain_cap.loc["EFF1", "df"] == 4
    cat = s.categories.set_index("category").loc["Effektivitet"]
    resp = (np.array([20, 40, 60, 60, 80]) + 6 * 60) / 7
    assert cat["se"] == pytest.approx(resp.std(ddof=1) / np.sqrt(5)) and cat["df"] == 4


def test_one_respondent_has_no_jackknife_interval(rng, all_items):
    data = random_data(rng, all_items, [("0180", "2024-05", 1), ("0180", "2023-11", 6)])
    o = score(data).overall.set_index("round")
    assert np.isnan(o.loc["2024-05", "maturity_ci_low"]) and np.isnan(o.loc["2024-05",
                                                                            "maturity_se"])
    assert o.loc["2023-11", "maturity_df"] == 5


def test_grouping_by_unit_keeps_respondents_without_unit(rng, all_items):
    data = random_data(rng, all_items, [("0114", "2023-11", 9)])
    s = score(data, by=("municipality_code", "round", "unit"), ci=False).overall
    assert s["n_respondents"].sum() == 9
    assert s["unit"].isna().sum() == 1 and len(s) == 3
    national = score(data, by=("round",), ci=False).overall
    assert national["n_respondents"].item() == 9


def test_grouping_column_must_be_constant_within_respondent():
    from dimios_lib.errors import DimiosError

    rows = [("0114", "2023-11", "r1", "Service", None, "EFF1", 4.0),
            ("0114", "2023-11", "r1", "Utbildning", None, "EFF2", 4.0)]
    with pytest.raises(DimiosError, match="varies within a respondent"):
        score(frame(rows), by=("municipality_code", "round", "unit"), ci=False)
