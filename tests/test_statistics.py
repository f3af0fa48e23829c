"""Reliability, types, suppression and benchmarks against published or hand-computed values."""

import numpy as np
import pandas as pd
import pytest

from dimios_lib.config import ModelConfig
from dimios_lib.maturity.benchmarks import national_means
from dimios_lib.maturity.change import round_changes
from dimios_lib.maturity.privacy import suppress
from dimios_lib.maturity.reliability import reliability
from dimios_lib.maturity.scoring import Scores, score
from dimios_lib.maturity.types import classify
from dimios_lib.reference.types import describe_type
from dimios_lib.stats.reliability import cronbach_alpha, mcdonald_omega, omega_from_correlation

from .conftest import frame, respondents

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


def test_types_grid_and_cutoffs():
    assert classify([49.9, 50, 49.9, 50, np.nan], [49.9, 49.9, 50, 50, 60]).tolist() == [
        "A", "B", "C", "D", None]
    assert classify([55], [55], config=ModelConfig(capability_cutoff=60)).tolist() == ["C"]
    assert "broms" in describe_type("A", "sv") and "brake" in describe_type("A", "en")


def test_suppression_hides_values_not_keys():
    t = pd.DataFrame({"municipality_code": ["0114", "0180"], "n_respondents": [4, 12],
                      "maturity_pct": [40.0, 50.0], "maturity_ci_low": [30.0, 45.0],
                      "type": ["A", "D"]})
    s = suppress(t)
    assert s["suppressed"].tolist() == [True, False]
    assert np.isnan(s.loc[0, "maturity_pct"]) and s.loc[0, "type"] is None
    assert s.loc[0, "municipality_code"] == "0114" and s.loc[0, "n_respondents"] == 4
    assert suppress(t, config=ModelConfig(min_group_size=3))["suppressed"].sum() == 0


def test_national_mean_is_mean_of_municipality_scores():
    # Three municipalities at 40, 50, 60 % (with 5, 10 and 100 respondents): mean 50, not the
    # respondent-weighted 57.8; t-interval 50 +- 4.302653 x 10 / sqrt(3) = [25.159, 74.841].
    overall = pd.DataFrame({"municipality_code": ["0114", "0180", "1280"],
                            "round": "2023-11", "n_respondents": [5, 10, 100],
                            "capability_pct": [40.0, 50, 60], "legacy_pct": [40.0, 50, 60],
                            "maturity_pct": [40.0, 50, 60]})
    s = Scores(overall, None, None, None, ("municipality_code", "round"), ModelConfig())
    n = national_means(s).iloc[0]
    assert n["maturity_pct"] == 50 and n["n_municipalities"] == 3 and n["n_respondents"] == 115
    assert n["maturity_ci_low"] == pytest.approx(25.159, abs=1e-3)
    assert n["maturity_ci_high"] == pytest.approx(74.841, abs=1e-3)
    assert n["basis"] == "mean of municipality scores"


def test_round_change_with_interval(all_items):
    # Round 1: all six respondents answer 3 everywhere (40 %); round 2: all answer 4 (60 %).
    # Every resample gives the same scores, so the change is exactly +20 with interval [20, 20].
    def block(rnd, a):
        return respondents("0114", rnd, {f"r{r}": {i: (7 - a if i in ("TEK2", "TEK3") else a)
                                                   for i in all_items} for r in range(6)})
    s = score(frame(block("2023-11", 3) + block("2024-05", 4)))
    c = round_changes(s).iloc[0]
    assert (c["round_from"], c["round_to"]) == ("2023-11", "2024-05")
    assert c["maturity_change"] == pytest.approx(20)
    assert c["maturity_ci_low"] == pytest.approx(20) and c["maturity_ci_high"] == pytest.approx(20)
    assert bool(c["maturity_significant"])


def test_noise_is_not_called_a_change(all_items):
    rng = np.random.default_rng(7)
    rows = []
    for rnd in ("2023-11", "2024-05", "2024-11"):
        rows += respondents("0114", rnd, {f"r{r}": {i: int(rng.integers(2, 6)) for i in all_items}
                                          for r in range(12)})
    changes = round_changes(score(frame(rows)))
    assert len(changes) == 2
    assert not changes["maturity_significant"].any()
    first = round_changes(score(frame(rows)), base="first")
    assert first["round_from"].tolist() == ["2023-11", "2023-11"]
