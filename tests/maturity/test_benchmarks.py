"""Reliability, types, suppression and benchmarks against published or hand-computed values."""


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
