"""The SYNTHETIC Modig files: calibrated exactly to the published totals, labelled, deterministic."""


import json
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from dimios_lib.config import StudyConfig
from dimios_lib.contracts.training import (
    read_competence,
    read_outcomes,
    read_training_log,
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
from dimios_lib.programmes.training import (
    analyse_competence,
    outcome_shares,
    training_summary,
)
from dimios_lib.reference.published import published_modig


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    return write_modig_demo(tmp_path_factory.mktemp("modig"))


@pytest.fixture(scope="module")
def demo():
    return generate_modig_demo()


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
