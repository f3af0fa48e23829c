"""Benchmarks: the mean of municipality scores, one implementation for tables and reports."""


import pandas as pd
import pytest

from dimios_lib.config import ModelConfig
from dimios_lib.maturity.benchmarks import national_means
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
    assert n["basis"] == "mean of municipality scores"


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
