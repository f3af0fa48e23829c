"""Before/after studies: the data contract, the design rules, the analysis end to end (pinned to
R's sleep data and Shrout & Fleiss 1979), warnings, conclusions and the shared table."""


import numpy as np

from dimios_lib.config import StudyConfig
from dimios_lib.study.analysis import analyse_study

from .conftest import small_study

FAST = StudyConfig(ordinal=False, bootstrap_resamples=200)




def test_without_comparison_the_conclusion_cannot_be_causal():
    res = analyse_study(small_study(n_after_small=4), config=FAST)
    codes = {w.code for w in res.warnings}
    assert {"no_comparison", "random_effects", "small_group"} <= codes
    assert res.did is None and not res.has_comparison
    assert set(res.conclusions["level"]) <= {"change_without_comparison", "no_clear_change"}
    assert "change_without_comparison" in set(res.conclusions["level"])
    small = next(w for w in res.warnings if w.code == "small_group")
    assert small.municipality_code == "2480" and small.wave == "after"
    assert dict(small.values) == {"n": 4, "min_group_size": 5}
    # The shared table withholds the small group's values; counts stay.
    table = res.table()
    umea = table[table["municipality_code"] == "2480"]
    assert umea["suppressed"].all() and umea["n_after"].eq(4).all()
    assert umea[["mean_after", "p_value", "effect_size", "ci_low"]].isna().all().all()
    assert table.loc[table["municipality_code"] != "2480", "mean_after"].notna().all()
    assert not res.table(suppress_small=False)["suppressed"].any()
    assert res.table(suppress_small=False).loc[umea.index, "mean_after"].notna().all()
    assert table["did_estimate"].isna().all()


def test_unreliable_scale_is_flagged():
    data = small_study()
    rng = np.random.default_rng(5)
    noisy = data.copy()
    purpose = noisy["item_id"].str.startswith("PUR")
    noisy.loc[purpose, "answer"] = rng.integers(1, 8, purpose.sum()).astype(float)
    res = analyse_study(noisy, config=FAST)
    flagged = {(w.code, w.dimension) for w in res.warnings}
    assert ("unreliable_scale", "purpose") in flagged
    assert ("unreliable_scale", "capacity") not in flagged
