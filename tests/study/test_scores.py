"""Before/after studies: the data contract, the design rules, the analysis end to end (pinned to
R's sleep data and Shrout & Fleiss 1979), warnings, conclusions and the shared table."""


import numpy as np
import pandas as pd
import pytest

from dimios_lib.config import StudyConfig
from dimios_lib.reference.instrument import load_instrument
from dimios_lib.study.scores import choose_design, dimension_scores


def long_frame(rows, columns=("municipality_code", "wave", "respondent_id", "item_id",
                              "answer")):
    return pd.DataFrame(rows, columns=list(columns))


def test_dimension_scores_flip_reverse_items_and_need_half_the_items():
    ins = load_instrument()
    rows = [("1489", "before", "r1", "PUR1", 5), ("1489", "before", "r1", "PUR4", 2),  # 2 → 6
            ("1489", "before", "r2", "PUR1", 7), ("1489", "before", "r2", "PUR2", np.nan),
            ("1489", "before", "r2", "PUR3", np.nan)]
    data = long_frame(rows).assign(arm="treated")
    s = dimension_scores(data, ins).set_index("respondent_id")
    assert s.loc["r1", "score"] == pytest.approx((5 + 6) / 2)   # 2 of 4 items: enough
    assert np.isnan(s.loc["r2", "score"]) and s.loc["r2", "n_items"] == 1  # 1 of 4: too few
    strict = dimension_scores(data, ins, config=StudyConfig(min_item_share=0.75))
    assert strict["score"].isna().all()


@pytest.mark.parametrize("before,after,expected", [
    ([1, 2, 3], [1, 2, 3], ("paired", "full", 0 + 3)),
    ([1, 2, 3], [4, 5], ("independent", "none", 0)),
    ([1, 2, 3], [2, 3, 4], ("independent", "partial", 2)),
    ([1, 2, 3], [1, 2], ("independent", "partial", 2)),   # one drop-out is enough
])
def test_design_rules(before, after, expected):
    s = pd.DataFrame({"municipality_code": "0580", "arm": "treated",
                      "wave": ["before"] * len(before) + ["after"] * len(after),
                      "person": before + after, "score": 4.0})
    d = choose_design(s).iloc[0]
    assert (d["design"], d["overlap"], d["n_matched"]) == expected
    assert (d["n_before"], d["n_after"]) == (len(before), len(after))


def test_design_counts_only_respondents_with_a_score():
    # Person 3 is in the after wave but answered nothing: not a participant there.
    s = pd.DataFrame({"municipality_code": "0580", "arm": "treated",
                      "wave": ["before"] * 3 + ["after"] * 3, "person": [1, 2, 3, 1, 2, 3],
                      "score": [4, 4, 4, 5, 5, np.nan]})
    d = choose_design(s).iloc[0]
    assert (d["design"], d["n_after"], d["n_matched"]) == ("independent", 2, 2)
