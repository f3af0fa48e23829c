"""Simulations with a known truth: the exact true scores against their limits and against a
large simulated sample, and the panel option of the demo (returning respondents, correlated
person effects, the rest of the data unchanged)."""


import numpy as np
import pandas as pd
import pytest

from dimios_lib.demo.known import demo_truth, item_difficulty, simulate_groups, true_scores
from dimios_lib.demo.responses import ROUNDS, generate_demo
from dimios_lib.maturity.scoring import score


@pytest.fixture(scope="module")
def difficulty():
    return item_difficulty()


def test_true_scores_at_the_ends_of_the_scale(bank):
    # far above the top threshold every answer is 6 (100 %), far below every answer is 1 (0 %)
    t = true_scores([500.0, -500.0], [500.0, -500.0], difficulty=np.zeros(26), bank=bank)
    assert t["maturity"].tolist() == pytest.approx([100.0, 0.0])
    assert t["EFF1"].tolist() == pytest.approx([100.0, 0.0])


def test_a_large_sample_scores_its_true_score(difficulty):
    # 600 groups of 40 at one level: the mean of the direct estimates has standard error
    # about 8.9 / sqrt(24000) = 0.06 points; the true score is computed, not simulated.
    data = simulate_groups(np.full(600, 46.0), np.full(600, 53.0), 40, seed=5,
                           difficulty=difficulty)
    est = score(data, ci=False).overall[["capability_pct", "legacy_pct", "maturity_pct"]].mean()
    truth = true_scores([46.0], [53.0], difficulty=difficulty).iloc[0]
    assert est["maturity_pct"] == pytest.approx(truth["maturity"], abs=0.25)
    assert est["capability_pct"] == pytest.approx(truth["capability"], abs=0.25)
    assert est["legacy_pct"] == pytest.approx(truth["legacy"], abs=0.3)


def test_panels_return_with_correlated_person_effects(difficulty):
    cap, leg = np.full(400, 50.0), np.full(400, 50.0)

    def correlation(panel):
        data = simulate_groups(cap, leg, 5, seed=9, difficulty=difficulty, rounds=2,
                               panel=panel)
        own = score(data, by=("round", "respondent_id"), ci=False).overall
        wide = own.pivot(index="respondent_id", columns="round", values="maturity_pct")
        return wide.dropna(), data

    pairs, data = correlation(1.0)
    assert data.groupby("round")["respondent_id"].nunique().tolist() == [2000, 2000]
    assert len(pairs) == 2000
    # person sd 7 (correlated 0.7) plus unit and role (the same) against item noise
    assert np.corrcoef(pairs["1"], pairs["2"])[0, 1] == pytest.approx(0.68, abs=0.05)
    half, _ = correlation(0.4)
    assert len(half) == 400 * 2       # round(0.4 x 5) = 2 returning per group
    assert correlation(0.0)[0].empty


def test_the_demo_panel_option_changes_only_the_returning_respondents():
    rounds = ROUNDS[:2]
    plain = generate_demo(rounds=rounds)
    pd.testing.assert_frame_equal(generate_demo(rounds=rounds, panel=0.0), plain)
    panel = generate_demo(rounds=rounds, panel=0.5)
    first = plain["round"] == rounds[0]
    pd.testing.assert_frame_equal(panel[first], plain[first])
    returning = panel["respondent_id"].str.contains(rounds[0]) & ~first
    assert returning.any()
    same = ~first & ~returning
    pd.testing.assert_frame_equal(panel[same], plain[same])
    with pytest.raises(ValueError, match="panel"):
        generate_demo(panel=2.0)


def test_demo_truth_is_calibrated_like_the_demo():
    truth = demo_truth()
    nat = truth.groupby("round")["maturity"].mean()
    assert nat[ROUNDS[0]] == pytest.approx(48, abs=1.5)
    assert nat[ROUNDS[-1]] == pytest.approx(55, abs=1.5)
    assert len(truth) == 290 * len(ROUNDS)


def test_truth_of_a_unit_and_with_unequal_item_noise(difficulty):
    noise = np.linspace(6, 22, 26)
    data = simulate_groups(np.full(500, 46.0), np.full(500, 53.0), 40, seed=6,
                           difficulty=difficulty, noise_sd=noise)
    by_unit = score(data, by=("round", "unit"), ci=False).overall.set_index("unit")
    for unit in ("Socialtjänst", "Service"):
        truth = true_scores([46.0], [53.0], difficulty=difficulty, unit=unit, noise_sd=noise)
        assert by_unit.loc[unit, "maturity_pct"] == pytest.approx(truth["maturity"].iloc[0],
                                                                  abs=0.4)
    social = true_scores([46.0], [53.0], difficulty=difficulty, unit="Socialtjänst")
    everyone = true_scores([46.0], [53.0], difficulty=difficulty)
    # social services sit 6 points below the unit average of -0.58 on the latent scale
    assert (everyone - social)["maturity"].iloc[0] == pytest.approx(5.4, abs=0.6)
