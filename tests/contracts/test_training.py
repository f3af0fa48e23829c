"""The training log and outcome survey contracts: every kind of bad input, named exactly."""


import numpy as np
import pandas as pd
import pytest

from dimios_lib.contracts.training import (
    LOG_COLUMNS,
    read_outcomes,
    read_training_log,
    validate_outcomes,
    validate_training_log,
)
from dimios_lib.errors import DataValidationError


def problems_of(info) -> set[tuple]:
    return {(p.row, p.column, p.value) for p in info.value.problems}


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


def test_empty_files_are_errors(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text(",".join(LOG_COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="at least one row"):
        read_training_log(path)
    path.write_text("municipality_code,respondent_id,group,question,answer\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="at least one row"):
        read_outcomes(path)
