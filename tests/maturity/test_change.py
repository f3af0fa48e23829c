"""Change between rounds: the partially overlapping samples t-test of the respondents'
pseudo-values, pinned to scipy's paired t-test (a panel), Welch's test (fresh samples) and the
raw partially overlapping test (both), on respondent scores; noise not called a change."""


import numpy as np
import pytest
from scipy import stats

from dimios_lib.config import ModelConfig
from dimios_lib.maturity.change import round_changes
from dimios_lib.maturity.scoring import score
from dimios_lib.stats.overlap import partially_overlapping_t

from ..conftest import frame, respondents


def people(bank, code, rnd, levels, ids):
    """Respondents answering every item with their level (reverse items written flipped), so
    that a respondent's maturity is (level - 1) / 5 x 100 plus a small item pattern."""
    rows = []
    reverse = dict(zip(bank.items["item_id"], bank.items["reverse"]))
    for rid, level in zip(ids, levels):
        for k, item in enumerate(bank.item_ids):
            a = int(np.clip(level + (k % 3 == 0) * (1 if level < 6 else -1), 1, 6))
            rows.append((code, rnd, rid, None, None, item, 7 - a if reverse[item] else a))
    return rows


def respondent_scores(data):
    """Each respondent's own maturity (scored as a group of one)."""
    s = score(data, by=("municipality_code", "round", "respondent_id"), ci=False).overall
    return s.set_index(["round", "respondent_id"])["maturity_pct"]


def test_round_change_with_interval(all_items):
    # Round 1: all six respondents answer 3 everywhere (40 %); round 2: all answer 4 (60 %).
    # Every respondent changes by exactly 20: the change is +20 with interval [20, 20].
    def block(rnd, a):
        return respondents("0114", rnd, {f"r{r}": {i: (7 - a if i in ("TEK2", "TEK3") else a)
                                                   for i in all_items} for r in range(6)})
    s = score(frame(block("2023-11", 3) + block("2024-05", 4)))
    c = round_changes(s).iloc[0]
    assert (c["round_from"], c["round_to"], c["design"], c["n_linked"]) == (
        "2023-11", "2024-05", "panel", 6)
    assert c["maturity_change"] == pytest.approx(20)
    assert c["maturity_ci_low"] == pytest.approx(20) and c["maturity_ci_high"] == pytest.approx(20)
    assert bool(c["maturity_significant"]) and c["maturity_p_value"] < 1e-12


def test_noise_is_not_called_a_change(all_items):
    rng = np.random.default_rng(7)
    rows = []
    for rnd in ("2023-11", "2024-05", "2024-11"):
        rows += respondents("0114", rnd, {f"{rnd}-r{r}": {i: int(rng.integers(2, 6))
                                                         for i in all_items} for r in range(12)})
    changes = round_changes(score(frame(rows)))
    assert len(changes) == 2 and (changes["design"] == "independent").all()
    assert not changes["maturity_significant"].any()
    assert (changes["maturity_p_value"] > 0.05).all()
    first = round_changes(score(frame(rows)), base="first")
    assert first["round_from"].tolist() == ["2023-11", "2023-11"]


def test_a_panel_gets_the_paired_t_test_of_respondent_scores(bank):
    ids = [f"p{i}" for i in range(7)]
    before, after = [2, 3, 3, 4, 4, 5, 5], [3, 3, 4, 4, 5, 6, 5]
    data = frame(people(bank, "0114", "2023-11", before, ids)
                 + people(bank, "0114", "2024-05", after, ids))
    c = round_changes(score(data)).iloc[0]
    r = respondent_scores(data)
    ref = stats.ttest_rel(r.loc["2024-05"].loc[ids], r.loc["2023-11"].loc[ids])
    ci = ref.confidence_interval(0.95)
    assert c["design"] == "panel" and c["maturity_df"] == 6
    assert c["maturity_p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    assert (c["maturity_ci_low"], c["maturity_ci_high"]) == pytest.approx((ci.low, ci.high))
    assert bool(c["maturity_significant"]) == (ref.pvalue < 0.05)


def test_fresh_samples_get_welchs_test(bank):
    data = frame(people(bank, "0114", "2023-11", [2, 3, 3, 4, 5], [f"a{i}" for i in range(5)])
                 + people(bank, "0114", "2024-05", [3, 4, 4, 5, 5, 6],
                          [f"b{i}" for i in range(6)]))
    s = score(data)
    c = round_changes(s).iloc[0]
    r = respondent_scores(data)
    ref = stats.ttest_ind(r.loc["2024-05"], r.loc["2023-11"], equal_var=False)
    assert c["design"] == "independent" and c["n_linked"] == 0
    assert c["maturity_df"] == pytest.approx(ref.df)
    assert c["maturity_p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    # fresh samples: the change's variance is the sum of the two rounds' jackknife variances
    se = s.overall["maturity_se"].to_numpy()
    assert c["maturity_se"] == pytest.approx(np.hypot(*se))


def test_a_partial_overlap_is_the_decomposed_test_or_derricks(bank):
    linked = ["p1", "p2", "p3", "p4"]
    data = frame(people(bank, "0114", "2023-11", [2, 3, 4, 4, 5, 3], linked + ["a1", "a2"])
                 + people(bank, "0114", "2024-05", [3, 3, 5, 4, 6], linked + ["b1"]))
    r = respondent_scores(data)
    to, frm = r.loc["2024-05"], r.loc["2023-11"]
    samples = (to.loc[["b1"]], frm.loc[["a1", "a2"]], to.loc[linked], frm.loc[linked])
    for cfg, method in ((ModelConfig(), "decomposed"),
                        (ModelConfig(change_test="derrick"), "derrick")):
        c = round_changes(score(data, config=cfg)).iloc[0]
        ref = partially_overlapping_t(*samples, method=method)
        assert (c["design"], c["n_linked"]) == ("partial", 4)
        assert (c["maturity_se"], c["maturity_df"], c["maturity_p_value"]) == pytest.approx(
            (ref.se, ref.df, ref.p_value))
    # below change_min_linked the linked respondents are treated as independent: Welch
    few = round_changes(score(data, config=ModelConfig(change_min_linked=5))).iloc[0]
    welch = stats.ttest_ind(to, frm, equal_var=False)
    assert few["maturity_p_value"] == pytest.approx(welch.pvalue)
    assert few["maturity_df"] == pytest.approx(welch.df)


def test_missing_answers_are_linearised(bank, rng):
    # With "vet ej" answers a respondent's pseudo-value is no longer their own score, but the
    # variance of a fresh-sample change still adds up from the rounds' jackknife variances.
    rows = []
    for rnd in ("2023-11", "2024-05"):
        rows += respondents("0114", rnd, {f"{rnd}-{r}": {
            i: (np.nan if rng.random() < 0.2 else int(rng.integers(1, 7)))
            for i in bank.item_ids} for r in range(8)})
    s = score(frame(rows))
    c = round_changes(s).iloc[0]
    for m in ("capability", "legacy", "maturity"):
        assert c[f"{m}_se"] == pytest.approx(np.hypot(*s.overall[f"{m}_se"]))
