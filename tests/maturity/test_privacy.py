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


def test_a_hidden_value_takes_its_se_df_and_small_area_estimate_with_it(bank):
    """Nora has 3 respondents (hidden); in Örebro one item is answered by 3 of 6 (hidden).
    A hidden value's standard error, degrees of freedom (= answers - 1, which would tell the
    hidden count) and small-area estimate are hidden with it."""
    from dimios_lib.maturity.privacy import protect_values, value_columns
    from dimios_lib.maturity.scoring import Model, score
    from tests.conftest import small_dataset

    data = small_dataset(bank)
    item = bank.item_ids[0]
    drop = ((data["municipality_code"] == "1880") & (data["item_id"] == item)
            & data["respondent_id"].str.endswith(("01", "02", "03")))
    data = data[~drop].reset_index(drop=True)
    scores = score(data)
    protected = protect_values(scores, data, model=Model.build(bank))
    o = protected.overall
    nora = o[o["municipality_code"] == "1884"]
    assert {"maturity_se", "maturity_df"} <= set(value_columns(o))
    assert nora[value_columns(nora)].isna().all().all()
    c = protected.capabilities
    hidden = c[(c["municipality_code"] == "1880") & (c["item_id"] == item)]
    assert len(hidden) == 2 and hidden[["pct", "se", "df"]].isna().all().all()
    shown = scores.capabilities
    assert shown.loc[(shown["municipality_code"] == "1880") & (shown["item_id"] == item),
                     "df"].tolist() == [6, 6]  # 3 answers - 1 + 4 prior df: what would have shown
