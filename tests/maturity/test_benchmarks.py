"""Benchmarks: the mean of municipality scores, one implementation for tables and reports."""


import pandas as pd
import pytest

from dimios_lib.config import ModelConfig
from dimios_lib.maturity.benchmarks import national_means, national_weightings
from dimios_lib.maturity.scoring import Scores


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
    assert n["basis"] == ("mean of municipality scores, each once; municipalities with at least 5 "
                          "respondents") and n["weights"] == "municipalities"


def test_the_respondent_weighted_variant():
    # The same three: (5 x 40 + 10 x 50 + 100 x 60) / 115 = 58.26; ratio-estimator interval
    # [48.50, 68.03] (hand calculation in dimios_lib.stats.clusters.ratio_interval).
    overall = pd.DataFrame({"municipality_code": ["0114", "0180", "1280", "1884"],
                            "round": "2023-11", "n_respondents": [5, 10, 100, 4],
                            "capability_pct": [40.0, 50, 60, 0], "legacy_pct": [40.0, 50, 60, 0],
                            "maturity_pct": [40.0, 50, 60, 0]})
    s = Scores(overall, None, None, None, ("municipality_code", "round"), ModelConfig())
    n = national_means(s, weights="respondents").iloc[0]
    assert n["maturity_pct"] == pytest.approx(6700 / 115)
    assert n["maturity_ci_low"] == pytest.approx(48.4965, abs=1e-4)
    assert n["maturity_ci_high"] == pytest.approx(68.0252, abs=1e-4)
    assert n["n_municipalities"] == 3 and n["n_respondents"] == 115  # 1884 (4) left out
    assert "weighted by respondents" in n["basis"]
    configured = Scores(overall, None, None, None, ("municipality_code", "round"),
                        ModelConfig(benchmark_weights="respondents"))
    assert national_means(configured).iloc[0]["maturity_pct"] == pytest.approx(6700 / 115)
    both = national_weightings(s).set_index("weights")
    assert both.at["municipalities", "maturity_pct"] == pytest.approx(50)
    assert both.at["respondents", "maturity_pct"] == pytest.approx(6700 / 115)


def _uneven(bank):
    """The small dataset with Upplands Väsby's 2024-05 respondents doubled (12 at 80 %): national
    mean of municipalities (70 + 40 + 80) / 3 = 63.33; weighted by respondents
    (6 x 70 + 6 x 40 + 12 x 80) / 24 = 67.5."""
    from ..conftest import small_dataset

    data = small_dataset(bank)
    extra = data[(data["municipality_code"] == "0114") & (data["round"] == "2024-05")].copy()
    extra["respondent_id"] = extra["respondent_id"] + "b"
    return pd.concat([data, extra], ignore_index=True)


@pytest.mark.parametrize("weights,expected", [("municipalities", 190 / 3), ("respondents", 67.5)])
def test_the_shared_tables_and_the_reports_give_the_same_benchmark(bank, weights, expected):
    """What ``dimios tables`` writes and what the municipality and national reports say (their
    tables and sentences) are the same numbers, for either weighting."""
    from dimios_lib.maturity.scoring import score
    from dimios_lib.maturity.tables import shareable_tables
    from dimios_lib.reports.data import ReportData
    from dimios_lib.reports.municipality import municipality_report
    from dimios_lib.reports.national import national_overview
    from dimios_lib.text import fmt
    from dimios_lib.text import municipality as mun_text
    from dimios_lib.text import national as nat_text

    config = ModelConfig(benchmark_weights=weights, bootstrap_resamples=200)
    data = _uneven(bank)
    csv = shareable_tables(data, bank=bank, config=config, groups={})
    national = csv["national_round.csv"].set_index("round")
    assert national.at["2024-05", "maturity_pct"] == pytest.approx(expected)
    assert national.at["2024-05", "weights"] == weights
    both = csv["national_round_weighting.csv"]
    assert set(both.loc[both["round"] == "2024-05", "maturity_pct"].round(4)) == {
        round(190 / 3, 4), 67.5}
    loaded = ReportData(responses=data, scores=score(data, bank=bank, config=config),
                        source="small", synthetic=False, rounds=["2023-11", "2024-05"], bank=bank,
                        config=config)
    mun = municipality_report(loaded, "1883", "2024-05")
    nat = national_overview(loaded, "2024-05")
    h = mun.headline.set_index("measure")
    for m in ("capability", "legacy", "maturity"):
        row = national.loc["2024-05"]
        assert h.at[m, "national"] == pytest.approx(row[f"{m}_pct"])
        assert (h.at[m, "national_ci_low"], h.at[m, "national_ci_high"]) == pytest.approx(
            (row[f"{m}_ci_low"], row[f"{m}_ci_high"]))
        assert nat.national[m] == pytest.approx(
            (row[f"{m}_pct"], row[f"{m}_ci_low"], row[f"{m}_ci_high"]))
    counties = csv["county_round.csv"].set_index(["county_code", "round"])
    assert nat.counties.set_index("county_code").at["18", "mean"] == pytest.approx(
        counties.at[("18", "2024-05"), "maturity_pct"])
    # the sentences print the shared table's number, and name what it is
    for lang in ("sv", "en"):
        shown = fmt.pct(national.at["2024-05", "maturity_pct"], lang)
        said = [mun_text.mun_verdict(mun, bank, lang)] + mun_text.mun_national_notes(mun, lang)
        assert shown in said[0] and any("3" in s for s in said[1:])
        basis = nat_text.nat_basis(nat, lang)
        assert ("respondents" in basis or "svarande" in basis) and "3" in basis
    assert ("weighted by each municipality's number of respondents" in nat_text.nat_basis(
        nat, "en")) == (weights == "respondents")


def test_one_benchmark_in_tables_and_reports(bank):
    """The shared table and the report give the same national mean over the same
    municipalities: the hand-computed dataset's 2024-05 mean over Karlskoga (70), Örebro (40)
    and Upplands Väsby (80) is 63.33; Nora (3 respondents, below the minimum of 5) counts in
    neither."""
    from dimios_lib.maturity.scoring import score
    from dimios_lib.reports.data import ReportData
    from dimios_lib.reports.municipality import municipality_report

    from ..conftest import small_dataset

    data = small_dataset(bank)
    scores = score(data, bank=bank)
    table = national_means(scores).set_index("round")
    assert table.at["2024-05", "maturity_pct"] == pytest.approx(190 / 3)
    assert table.at["2024-05", "n_municipalities"] == 3
    loaded = ReportData(responses=data, scores=scores, source="small", synthetic=False,
                        rounds=["2023-11", "2024-05"], bank=bank, config=ModelConfig())
    rep = municipality_report(loaded, "1883", "2024-05").headline.set_index("measure")
    for m in ("capability", "legacy", "maturity"):
        assert rep.at[m, "national"] == pytest.approx(table.at["2024-05", f"{m}_pct"])
        assert rep.at[m, "national_ci_low"] == pytest.approx(table.at["2024-05", f"{m}_ci_low"])
        assert rep.at[m, "n_national"] == table.at["2024-05", "n_municipalities"]
