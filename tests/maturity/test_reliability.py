"""Reliability of the DiMiOS scales per category, dimension and round."""


import numpy as np
import pytest

from dimios_lib.config import ModelConfig
from dimios_lib.maturity.reliability import reliability
from dimios_lib.stats.reliability import cronbach_alpha, mcdonald_omega

from ..conftest import frame, small_dataset


def test_reliability_table(rng, all_items):
    rows = []
    for r in range(40):
        trait = rng.normal()
        for item in all_items:
            a = int(np.clip(np.rint(3.5 + trait + rng.normal(0, 0.7)), 1, 6))
            rows.append(("0114", "2023-11", f"r{r}", None, None, item,
                         7 - a if item in ("TEK2", "TEK3") else a))
    table = reliability(frame(rows)).set_index("scale")
    assert table.loc["Effektivitet", "k_items"] == 7 and table.loc["Effektivitet", "n_complete"] == 40
    assert table.loc["capability", "alpha"] > 0.9         # one strong common trait
    assert np.isnan(table.loc["Organisation", "omega"])   # two items
    assert table.loc["Teknik", "alpha"] > 0.7             # reverse items flipped back
    assert np.isnan(table.loc["maturity", "alpha"])       # a composite, not one scale


def test_missing_answers_cost_an_answer_not_the_respondent(rng, all_items, bank):
    rows = []
    for r in range(60):
        trait = rng.normal()
        for item in all_items:
            a = float(np.clip(np.rint(3.5 + trait + rng.normal(0, 0.8)), 1, 6))
            rows.append(("0114", "2023-11", f"r{r}", None, None, item,
                         np.nan if rng.random() < 0.12 else (7 - a if item in ("TEK2", "TEK3")
                                                            else a)))
    data = frame(rows)
    table = reliability(data).set_index("scale")
    listwise = reliability(data, config=ModelConfig(reliability_missing="listwise")
                           ).set_index("scale")
    eff = [i for i in all_items if i.startswith("EFF")]
    x = data[data["item_id"].isin(eff)].pivot(index="respondent_id", columns="item_id",
                                              values="answer")
    assert table.loc["Effektivitet", "alpha"] == pytest.approx(cronbach_alpha(x.to_numpy()))
    assert table.loc["Effektivitet", "omega"] == pytest.approx(mcdonald_omega(x.to_numpy()))
    assert listwise.loc["Effektivitet", "alpha"] == pytest.approx(
        cronbach_alpha(x.to_numpy(), missing="listwise"))
    # 18 capability items at 12 % missing: about 60 x 0.88^18 = 6 complete respondents
    assert table.loc["capability", "n_complete"] < 15 <= table.loc["capability", "n_pairs_min"]
    assert table.loc["capability", "n_respondents"] == 60


def test_the_reliability_of_municipality_means_by_hand(bank):
    # The small dataset in 2024-05 (tests/conftest.py): every respondent's maturity is
    # (v - 1) / 5 x 100. Karlskoga 60, 60, 60, 80, 80, 80; Örebro 6 x 40; Upplands Väsby 6 x 80;
    # Nora (3 respondents) is not shown and does not count. Means 70, 40, 80, grand mean 63.33:
    # SSB = 6 x (6.67^2 + 23.33^2 + 16.67^2) = 5200, MSB = 2600; SSW = 6 x 10^2 = 600, MSW = 40;
    # n0 = 6. ICC(1) = 2560 / (2600 + 5 x 40) = 0.914286, ICC(2) = 2560 / 2600 = 0.984615.
    table = reliability(small_dataset(bank), bank=bank)
    row = table[(table["round"] == "2024-05") & (table["scale"] == "maturity")].iloc[0]
    assert row["icc1"] == pytest.approx(2560 / 2800) and row["icc2"] == pytest.approx(2560 / 2600)
    assert row["n_municipalities"] == 3 and row["respondents_per_municipality"] == 6
    cap = table[(table["round"] == "2024-05") & (table["scale"] == "capability")].iloc[0]
    # identical items: alpha 1, and every loading 1 (no unique variance): a Heywood case
    assert cap["alpha"] == pytest.approx(1.0) and cap["heywood"]
