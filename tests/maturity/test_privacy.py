"""Suppression hides the values of small groups, never their keys."""


import numpy as np
import pandas as pd

from dimios_lib.config import ModelConfig
from dimios_lib.maturity.privacy import suppress


def test_suppression_hides_values_not_keys():
    t = pd.DataFrame({"municipality_code": ["0114", "0180"], "n_respondents": [4, 12],
                      "maturity_pct": [40.0, 50.0], "maturity_ci_low": [30.0, 45.0],
                      "type": ["A", "D"]})
    s = suppress(t)
    assert s["suppressed"].tolist() == [True, False]
    assert np.isnan(s.loc[0, "maturity_pct"]) and s.loc[0, "type"] is None
    assert s.loc[0, "municipality_code"] == "0114" and s.loc[0, "n_respondents"] == 4
    assert suppress(t, config=ModelConfig(min_group_size=3))["suppressed"].sum() == 0
