"""Training measures: summaries by municipality, role and month, cumulative training, outcome shares."""


import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from dimios_lib.contracts.training import (
    LOG_COLUMNS,
    validate_outcomes,
    validate_training_log,
)
from dimios_lib.programmes.training import (
    SHARE_COLUMNS,
    SUMMARY_COLUMNS,
    cumulative_training,
    outcome_shares,
    training_summary,
)


def small_log() -> pd.DataFrame:
    """Two municipalities, two months.

    ====  =======  ==============  ===  ========  =====
    code  month    role            amb  trainees  hours
    ====  =======  ==============  ===  ========  =====
    1419  2019-10  Undersköterska    1        10     30
    1419  2019-10  Enhetschef        0         2      6
    1419  2019-11  Undersköterska    2         5     25
    1419  2019-11  Enhetschef        0         0      4   (follow-up only)
    1415  2019-10  Undersköterska    3        20     50
    1415  2019-11  Undersköterska    2         0      0   (one ambassador left)
    1415  2019-11  Stödassistent     1         8     16
    ====  =======  ==============  ===  ========  =====

    By municipality
      Tjörn 1419: people 10 + 2 + 5 + 0 = 17, hours 30 + 6 + 25 + 4 = 65, hours/person
      65/17 = 3.8235; ambassadors: peak of Undersköterska 2 + Enhetschef 0 = 2, trainees per
      ambassador 17/2 = 8.5; active in 2019-10 and 2019-11.
      Stenungsund 1415: people 20 + 0 + 8 = 28, hours 66, 66/28 = 2.3571; ambassadors: peak
      of Undersköterska 3 + Stödassistent 1 = 4; 28/4 = 7.
      Total: people 45, hours 131 (2.9111 per person), ambassadors 2 + 4 = 6 — more than in
      any single month (4 in October, 5 in November) — 45/6 = 7.5 per ambassador.
    By month
      2019-10: people 32, hours 86, ambassadors 1 + 0 + 3 = 4, 8 per ambassador;
      2019-11: people 13, hours 45, ambassadors 2 + 0 + 2 + 1 = 5, 2.6 per ambassador.
    By role
      Undersköterska: people 35, hours 105, ambassadors 2 + 3 = 5, 7 per ambassador;
      Enhetschef: people 2, hours 10 (5 per person), no ambassadors (NaN per ambassador);
      Stödassistent: people 8, hours 16, 1 ambassador.
    """
    rows = [("1419", "2019-10", "Undersköterska", 1, 10, 30),
            ("1419", "2019-10", "Enhetschef", 0, 2, 6),
            ("1419", "2019-11", "Undersköterska", 2, 5, 25),
            ("1419", "2019-11", "Enhetschef", 0, 0, 4),
            ("1415", "2019-10", "Undersköterska", 3, 20, 50),
            ("1415", "2019-11", "Undersköterska", 2, 0, 0),
            ("1415", "2019-11", "Stödassistent", 1, 8, 16)]
    return validate_training_log(pd.DataFrame(rows, columns=list(LOG_COLUMNS)))


def test_summary_by_municipality_with_total():
    s = training_summary(small_log(), total=True)
    assert list(s.columns) == ["municipality_code", "municipality_name", *SUMMARY_COLUMNS]
    assert s["municipality_code"].tolist() == ["1415", "1419", "total"]
    assert s["municipality_name"].tolist()[:2] == ["Stenungsund", "Tjörn"]
    assert s["people_trained"].tolist() == [28, 17, 45]
    assert s["hours"].tolist() == [66.0, 65.0, 131.0]
    assert s["hours_per_person"].tolist() == pytest.approx([66 / 28, 65 / 17, 131 / 45])
    assert s["ambassadors"].tolist() == [4, 2, 6]
    assert s["trainees_per_ambassador"].tolist() == pytest.approx([7.0, 8.5, 7.5])
    assert s["active_months"].tolist() == [2, 2, 2]
    assert s["first_month"].tolist() == ["2019-10"] * 3
    assert s["last_month"].tolist() == ["2019-11"] * 3


def test_summary_by_month_and_role():
    log = small_log()
    m = training_summary(log, by=("month",)).set_index("month")
    assert m["people_trained"].tolist() == [32, 13] and m["hours"].tolist() == [86.0, 45.0]
    assert m["ambassadors"].tolist() == [4, 5]
    assert m["trainees_per_ambassador"].tolist() == pytest.approx([8.0, 2.6])
    r = training_summary(log, by=("role",)).set_index("role")
    assert r.loc["Undersköterska", ["people_trained", "hours", "ambassadors"]].tolist() == \
        [35, 105.0, 5]
    assert r.loc["Enhetschef", "hours_per_person"] == 5.0
    assert np.isnan(r.loc["Enhetschef", "trainees_per_ambassador"])
    both = training_summary(log, by=("municipality_code", "role"))
    assert len(both) == 4 and both["people_trained"].sum() == 45
    whole = training_summary(log, by=())
    assert len(whole) == 1 and whole.loc[0, "ambassadors"] == 6
    with pytest.raises(ValueError, match="by must be"):
        training_summary(log, by=("unit",))


def test_cumulative_training_fills_empty_months():
    log = small_log()
    log.loc[log["month"] == "2019-11", "month"] = "2020-01"
    c = cumulative_training(log)
    assert c["month"].tolist() == ["2019-10", "2019-11", "2019-12", "2020-01"]
    assert c["people_trained"].tolist() == [32, 0, 0, 13]
    assert c["cumulative_people"].tolist() == [32, 32, 32, 45]
    assert c["cumulative_hours"].tolist() == [86.0, 86.0, 86.0, 131.0]
    by = cumulative_training(log, by=("municipality_code",))
    assert len(by) == 8
    assert by.groupby("municipality_code")["cumulative_people"].last().to_dict() == {
        "1415": 28, "1419": 17}


def test_outcome_shares_intervals_and_suppression():
    """Three municipalities' staff: Mölndal 6 of 8 yes (+1 missing), Partille 3 of 6, Tjörn
    1 of 3. Overall 10 of 17. Tjörn (3 < 5) is suppressed; as it is the only small one, the
    next smallest (Partille, 6) is suppressed too, else 10 − 6 − Partille's 3 would give
    Tjörn's 1 away."""
    rows = []
    for code, yes, no, missing in (("1481", 6, 2, 1), ("1402", 3, 3, 0), ("1419", 1, 2, 0)):
        answers = ["ja"] * yes + ["nej"] * no + ["vet ej"] * missing
        rows += [(code, f"{code}-{k}", "staff", "better_digital_skills", a)
                 for k, a in enumerate(answers)]
    data = validate_outcomes(pd.DataFrame(rows, columns=["municipality_code", "respondent_id",
                                                         "group", "question", "answer"]))
    s = outcome_shares(data).set_index("municipality_code")
    assert list(outcome_shares(data).columns) == list(SHARE_COLUMNS)
    assert s.loc["all", ["n_respondents", "n_answered", "n_missing", "n_yes"]].tolist() == \
        [18, 17, 1, 10]
    lo, hi = proportion_confint(10, 17, alpha=0.05, method="wilson")
    assert s.loc["all", "share"] == pytest.approx(10 / 17)
    assert (s.loc["all", "ci_low"], s.loc["all", "ci_high"]) == pytest.approx((lo, hi))
    assert s.loc["1481", "share"] == 0.75 and not s.loc["1481", "suppressed"]
    assert s.loc["1419", "small_group"] and s.loc["1419", "suppressed"]
    assert not s.loc["1402", "small_group"] and s.loc["1402", "suppressed"]
    assert s.loc[["1419", "1402"], ["n_yes", "share", "ci_low", "ci_high"]].isna().all().all()
    assert s.loc["1419", "n_answered"] == 3
    raw = outcome_shares(data, suppress_small=False).set_index("municipality_code")
    assert raw.loc["1419", "share"] == pytest.approx(1 / 3) and not raw["suppressed"].any()
    cp = outcome_shares(data, method="clopper-pearson").set_index("municipality_code")
    assert (cp.loc["all", "ci_low"], cp.loc["all", "ci_high"]) == pytest.approx(
        proportion_confint(10, 17, alpha=0.05, method="beta"))
    assert outcome_shares(data, min_group_size=3)["suppressed"].sum() == 0
