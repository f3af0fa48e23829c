"""Scoring against hand calculations (each shown in a comment) and Karlskoga's published figures."""


import numpy as np
import pandas as pd
import pytest

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
    data = random_data(rng, all_items, [("0114", "2023-11", 30), ("0180", "2023-11", 8),
                                        ("0180", "2024-05", 1)])
    a = score(data).overall
    b = score(data).overall
    pd.testing.assert_frame_equal(a, b)
    alone = score(data[data.municipality_code == "0180"]).overall
    pd.testing.assert_frame_equal(alone.reset_index(drop=True),
                                  a[a.municipality_code == "0180"].reset_index(drop=True))
    for m in ("capability", "legacy", "maturity"):
        assert (a[f"{m}_ci_low"] <= a[f"{m}_pct"]).all()
        assert (a[f"{m}_pct"] <= a[f"{m}_ci_high"]).all()
    one = a[a.n_respondents == 1].iloc[0]   # one respondent: every resample is that respondent
    assert one["maturity_ci_low"] == one["maturity_ci_high"] == one["maturity_pct"]
    width = (a["maturity_ci_high"] - a["maturity_ci_low"]).to_numpy()
    assert width[0] < width[1]              # 30 respondents vs 8
    other = score(data, config=ModelConfig(seed=1)).overall
    assert not np.allclose(other["maturity_ci_low"], a["maturity_ci_low"])


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
