"""Training programmes (Modig): the log and outcome contracts, the summaries, the Wilson
intervals, the competence study on the packaged instrument, the calibrated demo and the CLI."""

import json
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint
from typer.testing import CliRunner

from dimios_lib.cli import app
from dimios_lib.config import StudyConfig
from dimios_lib.contracts.training import (
    LOG_COLUMNS,
    QUESTIONS,
    read_competence,
    read_outcomes,
    read_training_log,
    validate_outcomes,
    validate_training_log,
)
from dimios_lib.demo.modig import (
    AMBASSADORS,
    COMPETENCE_FILE,
    COMPETENCE_RESPONDENTS,
    MONTHS,
    OUTCOMES_FILE,
    ROLES,
    TRAINING_FILE,
    generate_modig_demo,
    largest_remainder,
    write_modig_demo,
)
from dimios_lib.errors import DataValidationError
from dimios_lib.programmes.training import (
    SHARE_COLUMNS,
    SUMMARY_COLUMNS,
    analyse_competence,
    cumulative_training,
    outcome_shares,
    training_summary,
)
from dimios_lib.reference.instrument import load_competence_instrument
from dimios_lib.reference.municipalities import load_groups, municipality_names
from dimios_lib.reference.published import published_modig
from dimios_lib.stats.proportions import proportion_interval

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    return write_modig_demo(tmp_path_factory.mktemp("modig"))


@pytest.fixture(scope="module")
def demo():
    return generate_modig_demo()


def problems_of(info) -> set[tuple]:
    return {(p.row, p.column, p.value) for p in info.value.problems}


# ---- published figures ------------------------------------------------------------------------

def test_published_figures_and_sources():
    pub = published_modig()
    assert pub["people_trained"] == 3513 and pub["training_hours"] == 30605
    assert {q: s["share"] for q, s in pub["shares"].items()} == {
        "changed_routine": 0.70, "lead_digital_workplace": 0.75, "better_digital_skills": 0.60}
    assert set(pub["shares"]) == set(QUESTIONS)
    assert pub["ambassadors_per_municipality"] == (2, 10)
    assert pub["ambassadors_total_at_least"] == 30
    assert pub["municipalities"] == load_groups()["modig"].members
    assert municipality_names(pub["municipalities"]) == [
        "Ale", "Härryda", "Kungälv", "Mölndal", "Partille", "Stenungsund", "Tjörn"]
    assert all(s["title"] for s in pub["sources"])
    pub["people_trained"] = 0   # a copy: the constant cannot be changed by a caller
    assert published_modig()["people_trained"] == 3513


# ---- the demo: calibrated exactly -----------------------------------------------------------

def test_demo_log_totals_equal_the_published_ones(demo, demo_files):
    log = read_training_log(demo_files["training_log"])
    assert log.attrs["synthetic"] is True
    assert int(log["trainees"].sum()) == 3513
    assert float(log["hours"].sum()) == 30605.0
    total = training_summary(log, by=()).iloc[0]
    assert total["people_trained"] == 3513 and total["hours"] == 30605.0
    # Read back from the file it is the generated log, value for value.
    generated = validate_training_log(demo.training_log)
    pd.testing.assert_frame_equal(log, generated, check_like=False)


def test_demo_log_shape_and_ambassadors(demo):
    log = validate_training_log(demo.training_log)
    codes = published_modig()["municipalities"]
    assert len(log) == len(codes) * len(MONTHS) * len(ROLES) == 7 * 22 * 6
    assert set(log["municipality_code"]) == set(codes)
    assert (MONTHS[0], MONTHS[-1]) == ("2019-09", "2021-06")
    assert {"Undersköterska", "Vårdbiträde", "Stödassistent", "Sjuksköterska",
            "Enhetschef"} <= set(log["role"])
    per_muni = training_summary(log).set_index("municipality_code")
    assert per_muni["ambassadors"].between(2, 10).all()
    assert per_muni["ambassadors"].to_dict() == AMBASSADORS
    assert per_muni["ambassadors"].sum() >= 30
    assert (per_muni["people_trained"] > 0).all()
    # Larger municipalities train more people: Mölndal most, Tjörn least.
    assert per_muni["people_trained"].idxmax() == "1481"
    assert per_muni["people_trained"].idxmin() == "1419"
    # Hours without new trainees occur (follow-up sessions); trainees without hours never.
    assert ((log["trainees"] == 0) & (log["hours"] > 0)).any()
    assert not ((log["trainees"] > 0) & (log["hours"] == 0)).any()
    assert (log["hours"] == np.round(log["hours"])).all()


def test_demo_outcome_shares_are_exactly_the_published_ones(demo_files):
    outcomes = read_outcomes(demo_files["outcomes"])
    assert outcomes.attrs["synthetic"] is True and outcomes["answer"].isna().any()
    shares = outcome_shares(outcomes)
    overall = shares.loc[shares["level"] == "overall"].set_index("question")
    for question, spec in published_modig()["shares"].items():
        row = overall.loc[question]
        assert row["group"] == spec["group"]
        assert Fraction(int(row["n_yes"]), int(row["n_answered"])) == \
            Fraction(spec["share"]).limit_denominator(100)
        assert row["share"] == spec["share"]
        assert row["ci_low"] < spec["share"] < row["ci_high"]
    assert overall.loc["changed_routine", "n_yes"] == 84
    assert overall.loc["lead_digital_workplace", "n_yes"] == 90
    assert overall.loc["better_digital_skills", "n_yes"] == 468
    municipal = shares.loc[shares["level"] == "municipality"]
    assert municipal["municipality_code"].nunique() == 7 and not municipal["suppressed"].any()
    assert municipal["share"].nunique() > 3   # municipalities differ


def test_demo_files_are_labelled_and_deterministic(demo_files, tmp_path):
    assert {p.name for p in demo_files.values()} == {TRAINING_FILE, OUTCOMES_FILE,
                                                     COMPETENCE_FILE}
    for path in demo_files.values():
        assert "SYNTHETIC" in path.name
        meta = json.loads(path.with_name(path.name + ".meta.json").read_text("utf-8"))
        assert meta["synthetic"] is True and "SYNTHETIC" in meta["label"]
        assert meta["rows"] == len(pd.read_csv(path))
    meta = json.loads((demo_files["training_log"].parent / (TRAINING_FILE + ".meta.json"))
                      .read_text("utf-8"))
    assert meta["published"] == {"people_trained": 3513, "training_hours": 30605}
    again = write_modig_demo(tmp_path)
    for key, path in again.items():
        assert path.read_bytes() == demo_files[key].read_bytes()
    other = generate_modig_demo(seed=1)
    assert int(other.training_log["trainees"].sum()) == 3513
    assert not other.training_log.equals(generate_modig_demo().training_log)


def test_competence_demo_runs_through_the_study_pipeline(demo_files):
    data = read_competence(demo_files["competence"])
    assert data.attrs["synthetic"] is True
    assert data.attrs["waves"] == {"before": "2019-09", "after": "2021-03"}
    res = analyse_competence(data, config=StudyConfig(ordinal=False, bootstrap_resamples=200))
    design = res.design.set_index("municipality_code")
    for code, (n_before, n_after, n_both) in COMPETENCE_RESPONDENTS.items():
        rec = design.loc[code]
        assert (rec["n_before"], rec["n_after"], rec["n_matched"]) == (n_before, n_after, n_both)
    assert design.loc["1401", "design"] == "paired" and design.loc["1401", "overlap"] == "full"
    assert design.loc["1415", "overlap"] == "none"
    assert set(design.drop(index=["1401", "1415"])["overlap"]) == {"partial"}
    assert res.did is None and res.synthetic
    pooled = res.pooled.iloc[0]
    assert pooled["dimension"] == "digital_competence" and pooled["ci_low"] > 0
    assert abs(pooled["mean_diff"] - 0.6) < 0.25   # common trend 0.2 + true effect 0.4
    assert res.conclusions.iloc[0]["level"] == "change_without_comparison"
    assert "no_comparison" in {w.code for w in res.warnings}


def test_competence_instrument():
    ins = load_competence_instrument()
    assert ins.item_ids == ["DC1", "DC2", "DC3", "DC4", "DC5"]
    assert ins.dimension_ids == ["digital_competence"]
    assert (ins.items["scale_min"] == 1).all() and (ins.items["scale_max"] == 5).all()
    assert ins.items["reverse"].tolist() == [False, False, False, True, False]
    assert ins.items["provenance"].str.startswith("assumption").all()
    assert ins.label("DC5", "en") and ins.label("DC5", "sv") != ins.label("DC5", "en")


# ---- summaries on a small hand-checked log ------------------------------------------------------

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


# ---- the training log contract: bad input -------------------------------------------------------

def test_log_bad_input_every_problem_at_once(tmp_path):
    path = tmp_path / "logg.csv"
    path.write_text(
        "Kommunkod;Månad;Roll;Ombud;Utbildade;Timmar\n"
        "1440;2019-10;Undersköterska;2;12;30,5\n"       # 2 fine
        "1440;2019-10;Vårdbiträde;0;3;-5\n"             # 3 negative hours
        "1440;2019-13;Vårdbiträde;0;3;6\n"              # 4 bad month
        "9999;2019-10;Vårdbiträde;0;3;6\n"              # 5 unknown municipality
        "1440;2019-10;undersköterska;0;1;2\n"           # 6 duplicate of row 2 (case ignored)
        "1440;2019-11;Vårdbiträde;0;2,5;6\n"            # 7 non-integer trainees
        "1440;2019-11;Sjuksköterska;-1;2;6\n"           # 8 negative ambassadors
        "1440;2019-11;Enhetschef;0;4;0\n"               # 9 trainees without hours
        "440;2019-11;Stödassistent;0;4;8\n"             # 10 leading zero lost (0440?)
        "1440;2019-12;;0;4;8\n"                         # 11 empty role
        "1440;2019-12;Vårdbiträde;1;tre;8\n",           # 12 unreadable trainees
        encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        read_training_log(path)
    assert all(p.file == str(path) for p in info.value.problems)
    assert problems_of(info) == {
        (3, "Timmar", "-5"), (4, "Månad", "2019-13"), (5, "Kommunkod", "9999"),
        (6, "Roll", "undersköterska"), (7, "Utbildade", "2,5"), (8, "Ombud", "-1"),
        (9, "Timmar", "0"), (10, "Kommunkod", "440"), (11, "Roll", ""),
        (12, "Utbildade", "tre")}
    text = {p.row: p.expected for p in info.value.problems}
    assert "cannot be negative" in text[3] and "YYYY-MM" in text[4]
    assert "SCB's list" in text[5] and "first on row 2" in text[6]
    assert "counted whole" in text[7] and "cannot be negative" in text[8]
    assert "hours above 0" in text[9] and "leading zero" in text[10]
    rows = [p.row for p in info.value.problems]
    assert rows == sorted(rows)


def test_log_columns_missing_or_unknown(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("kommunkod,månad,roll,deltagare,timmar,kommentar\n1440,2019-10,USK,2,4,x\n",
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        read_training_log(path)
    assert problems_of(info) == {(1, "kommentar", "kommentar"), (1, "ambassadors", None)}
    path.write_text("kommunkod,månad,roll,ombud,deltagare,timmar,kommentar\n"
                    "1440,2019-10,USK,1,\"1 200\",4,x\n", encoding="utf-8")
    log = read_training_log(path, ignore_columns=["kommentar"])
    assert log["trainees"].tolist() == [1200]
    assert "left out on request" in log.attrs["notes"][0]


def test_log_from_a_frame_and_from_excel(tmp_path):
    frame = pd.DataFrame({"municipality_code": ["1440", "1440"],
                          "month": ["2019-10", "2019-11"], "role": ["USK", "usk"],
                          "ambassadors": [1, 1], "trainees": [3, 2.0], "hours": [6.0, -1.5]})
    with pytest.raises(DataValidationError) as info:
        validate_training_log(frame, name="frame")
    assert problems_of(info) == {(2, "hours", "-1.5")}
    frame.loc[1, "hours"] = 4.5
    log = validate_training_log(frame)
    assert log["role"].tolist() == ["USK", "USK"] and "first spelling" in log.attrs["notes"][0]
    assert log["trainees"].dtype == np.int64 and log["hours"].tolist() == [6.0, 4.5]
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(LOG_COLUMNS))
    sheet.append(["1440", dt.datetime(2019, 10, 1), "USK", 1, 3, 6.5])
    sheet.append(["1440", "2019-11", "USK", 1, 2, 4])
    book.save(tmp_path / "log.xlsx")
    log = read_training_log(tmp_path / "log.xlsx")
    assert log["month"].tolist() == ["2019-10", "2019-11"]
    assert "Excel stored as dates" in log.attrs["notes"][0]
    assert log["hours"].tolist() == [6.5, 4.0] and log.attrs["synthetic"] is False


# ---- the outcome survey -------------------------------------------------------------------------

def test_outcomes_bad_input_every_problem_at_once(tmp_path):
    path = tmp_path / "enkat.csv"
    path.write_text(
        "Kommunkod;Respondent;Grupp;Fråga;Svar\n"
        "1481;a;chef;changed_routine;ja\n"                  # 2 fine
        "1481;a;chef;lead_digital_workplace;kanske\n"       # 3 unknown answer
        "1481;b;medarbetare;better_skills;ja\n"             # 4 unknown question
        "1481;c;politiker;better_digital_skills;nej\n"      # 5 unknown group
        "1481;d;medarbetare;changed_routine;ja\n"           # 6 a manager question for staff
        "1481;a;chef;changed_routine;nej\n"                 # 7 duplicate answer
        "1481;a;medarbetare;better_digital_skills;ja\n"     # 8 respondent in two groups
        "1481;;chef;changed_routine;ja\n"                   # 9 no respondent id
        "0000;e;chef;changed_routine;ja\n",                 # 10 unknown municipality
        encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        read_outcomes(path)
    assert problems_of(info) == {
        (3, "Svar", "kanske"), (4, "Fråga", "better_skills"), (5, "Grupp", "politiker"),
        (6, "Fråga", "changed_routine"), (7, "Svar", "nej"), (8, "Grupp", "medarbetare"),
        (9, "Respondent", ""), (10, "Kommunkod", "0000")}
    text = {p.row: p.expected for p in info.value.problems}
    assert "asked of managers only" in text[6] and "first on row 2" in text[7]
    assert "as on row 2" in text[8]


def test_outcomes_tokens_and_missing():
    frame = pd.DataFrame({"municipality_code": "1419", "respondent_id": ["a", "b", "c", "d"],
                          "group": ["Chef", "enhetschef", "Baspersonal", "staff"],
                          "question": ["ändrat_rutin", "changed_routine",
                                       "better_digital_skills", "bättre_digital_kompetens"],
                          "answer": ["Ja", "vet ej", True, 0]})
    out = validate_outcomes(frame)
    assert out["group"].tolist() == ["manager", "manager", "staff", "staff"]
    assert out["question"].tolist() == ["changed_routine", "changed_routine",
                                        "better_digital_skills", "better_digital_skills"]
    assert out["answer"].tolist() == [True, pd.NA, True, False]


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


@pytest.mark.parametrize("x,n", [(0, 5), (5, 5), (84, 120), (1, 3), (468, 780)])
def test_proportion_interval_matches_statsmodels(x, n):
    for method, sm in (("wilson", "wilson"), ("clopper-pearson", "beta")):
        for level in (0.9, 0.95):
            got = proportion_interval(x, n, ci_level=level, method=method)
            want = proportion_confint(x, n, alpha=1 - level, method=sm)
            assert (float(got[0]), float(got[1])) == pytest.approx(want, abs=1e-10)
    lo, hi = proportion_interval([0, 2], [0, 4])
    assert np.isnan(lo[0]) and np.isnan(hi[0]) and lo[1] < 0.5 < hi[1]
    with pytest.raises(ValueError):
        proportion_interval(1, 2, method="wald")


def test_largest_remainder():
    assert largest_remainder(3513, [32, 38, 46, 69, 39, 27, 16]).sum() == 3513
    assert largest_remainder(5, [0, 1, 0]).tolist() == [0, 5, 0]
    assert largest_remainder(0, [0, 0]).tolist() == [0, 0]
    parts = largest_remainder(100, [1 / 3, 1 / 3, 1 / 3])
    assert parts.tolist() == [34, 33, 33]
    with pytest.raises(ValueError):
        largest_remainder(3, [-1, 2])
    with pytest.raises(ValueError):
        largest_remainder(3, [0, 0])




# ---- the CLI ------------------------------------------------------------------------------------

def test_cli_validate_training_outcomes_competence(demo_files):
    ok = runner.invoke(app, ["validate", "--training", str(demo_files["training_log"])])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("OK [SYNTHETIC demo data]: 924 rows, 7 municipalities")
    assert "3513 people trained, 30605 hours, 33 ambassadors" in ok.output
    ok = runner.invoke(app, ["validate", "--outcomes", str(demo_files["outcomes"])])
    assert ok.exit_code == 0 and "124 managers, 792 staff" in ok.output
    ok = runner.invoke(app, ["validate", "--competence", str(demo_files["competence"])])
    assert ok.exit_code == 0 and "7 treated and 0 comparison" in ok.output
    wrong = runner.invoke(app, ["validate", "--study", str(demo_files["competence"])])
    assert wrong.exit_code == 1 and "expected an item of the instrument" in wrong.output
    both = runner.invoke(app, ["validate", "--training", "--outcomes",
                               str(demo_files["outcomes"])])
    assert both.exit_code == 2


def test_cli_validate_bad_training_files(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Kommunkod;Månad;Roll;Ombud;Deltagare;Timmar\n"
                   "1440;2019-10;USK;1;4;-2\n1440;2019-1;USK;1;4;2\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--training", str(bad)])
    assert result.exit_code == 1 and "nothing written" in result.output
    assert "row 2, column 'Timmar': value '-2'" in result.output
    assert "row 3, column 'Månad': value '2019-1'" in result.output
    bad.write_text("Kommunkod;Respondent;Grupp;Fråga;Svar\n1440;a;chef;rutin;kanske\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["validate", "--outcomes", str(bad)])
    assert result.exit_code == 1 and "row 2, column 'Svar': value 'kanske'" in result.output
    assert list(tmp_path.iterdir()) == [bad]


def test_cli_demo_writes_the_modig_files(tmp_path, monkeypatch):
    import dimios_lib.demo.responses

    def fake_write_demo(folder, *, seed, scale):  # the DiMiOS demo is tested elsewhere
        path = folder / dimios_lib.demo.responses.FILE_NAME
        path.write_text("stand-in\n", encoding="utf-8")
        return path

    monkeypatch.setattr(dimios_lib.demo.responses, "write_demo", fake_write_demo)
    result = runner.invoke(app, ["demo", "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in (TRAINING_FILE, OUTCOMES_FILE, COMPETENCE_FILE):
        assert (tmp_path / name).exists() and (tmp_path / (name + ".meta.json")).exists()
    again = runner.invoke(app, ["demo", "--output-dir", str(tmp_path)])
    assert f"{tmp_path / TRAINING_FILE} exists" in again.output


def test_empty_files_are_errors(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text(",".join(LOG_COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="at least one row"):
        read_training_log(path)
    path.write_text("municipality_code,respondent_id,group,question,answer\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="at least one row"):
        read_outcomes(path)
