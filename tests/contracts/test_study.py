"""The before/after study data contract: every file shape, and every kind of bad input at once."""


import pandas as pd
import pytest

from dimios_lib.config import StudyConfig
from dimios_lib.contracts.study import read_study, validate_study
from dimios_lib.errors import DataValidationError, DimiosError
from dimios_lib.study.analysis import analyse_study

FAST = StudyConfig(ordinal=False, bootstrap_resamples=200)


def long_frame(rows, columns=("municipality_code", "wave", "respondent_id", "item_id",
                              "answer")):
    return pd.DataFrame(rows, columns=list(columns))


GOOD_HEADER = "municipality_code,wave,respondent_id,item_id,answer,arm\n"


def good_rows():
    rows = []
    for code, arm in (("1489", "treated"), ("1441", "comparison")):
        for wave in ("2019-10", "2021-04"):
            for r in range(2):
                rows += [f"{code},{wave},{code}-{r},{item},{4 + r},{arm}"
                         for item in ("PUR1", "PUR2")]
    return rows


def write(tmp_path, rows, header=GOOD_HEADER, name="study.csv"):
    path = tmp_path / name
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def problems_of(path, **kw):
    with pytest.raises(DataValidationError) as info:
        read_study(path, **kw)
    return info.value.problems


def test_good_file_reads(tmp_path):
    data = read_study(write(tmp_path, good_rows()))
    assert list(data.columns) == ["municipality_code", "arm", "wave", "wave_label",
                                  "respondent_id", "item_id", "answer"]
    assert data.attrs["waves"] == {"before": "2019-10", "after": "2021-04"}
    assert set(data["wave"]) == {"before", "after"} and data.attrs["synthetic"] is False
    assert data["municipality_code"].tolist()[0] == "1489"


def test_unknown_item_and_off_scale_answer_named_exactly(tmp_path):
    rows = good_rows()
    rows[0] = "1489,2019-10,1489-0,XYZ9,4,treated"
    rows[1] = "1489,2019-10,1489-0,PUR2,8,treated"
    rows[2] = "1489,2019-10,1489-1,PUR1,4.5,treated"
    rows[3] = "1489,2019-10,1489-1,pur2,\"4,0\",treated"    # case and a whole decimal comma: fine
    found = problems_of(write(tmp_path, rows))
    assert [(p.file.endswith("study.csv"), p.row, p.column, p.value) for p in found] == [
        (True, 2, "item_id", "XYZ9"), (True, 3, "answer", "8"), (True, 4, "answer", "4.5")]
    assert "expected an item of the instrument innovation-oecd-lenses-0.1" in found[0].expected
    assert found[1].expected.startswith("expected a whole number from 1 to 7 (the scale of "
                                        "item PUR2)")


def test_a_municipality_without_answers_in_a_wave(tmp_path):
    rows = [r for r in good_rows() if not r.startswith("1441,2021-04")]
    [p] = problems_of(write(tmp_path, rows))
    assert (p.row, p.column, p.value) == (10, "wave", "2019-10")
    assert "municipality 1441 Lerum in both waves: it has none in the after wave ('2021-04')" \
        in p.expected


def test_a_wave_whose_answers_are_all_missing(tmp_path):
    rows = [r.rsplit(",", 2)[0] + ",vet ej,treated" if r.startswith("1489,2021-04") else r
            for r in good_rows()]
    [p] = problems_of(write(tmp_path, rows))
    assert (p.row, p.column, p.value) == (6, "answer", "vet ej")
    assert "every answer there is missing" in p.expected and "1489 Alingsås" in p.expected


def test_a_single_wave(tmp_path):
    rows = [r for r in good_rows() if ",2019-10," in r]
    [p] = problems_of(write(tmp_path, rows))
    assert (p.row, p.column, p.value) == (None, "wave", "2019-10")
    assert "expected two waves (before and after); the file has only one" == p.expected


def test_three_waves_mixed_labels_and_bad_labels(tmp_path):
    rows = good_rows() + ["1489,2020-05,1489-9,PUR1,4,treated"]
    [p] = problems_of(write(tmp_path, rows))
    assert (p.row, p.column, p.value) == (None, "wave", "2019-10, 2020-05, 2021-04")
    assert "found 3 (2019-10 from row 2, 2020-05 from row 18, 2021-04 from row 6)" in p.expected
    rows = good_rows()
    rows[0] = rows[0].replace("2019-10", "efter")
    [p] = problems_of(write(tmp_path, rows))
    assert (p.row, p.value) == (2, "efter") and "of one kind" in p.expected
    rows[0] = rows[0].replace("efter", "hösten 2019")
    [p] = problems_of(write(tmp_path, rows))
    assert (p.row, p.column, p.value) == (2, "wave", "hösten 2019")


def test_arms_and_duplicates_and_codes(tmp_path):
    rows = good_rows()
    rows[1] = rows[1].replace("treated", "comparison")          # a second arm for 1489
    rows[2] = rows[2].replace(",treated", ",maybe")             # not an arm
    rows.append(rows[5])                                        # a duplicate answer
    rows[6] = rows[6].replace("1489,", "489,", 1)               # lost leading zero... of 1489?
    found = problems_of(write(tmp_path, rows))
    by_row = {p.row: p for p in found}
    assert by_row[3].column == "arm" and "as on row 2" in by_row[3].expected
    assert by_row[4].value == "maybe"
    assert by_row[8].value == "489" and "leading zero" in by_row[8].expected
    assert by_row[18].column == "answer" and "duplicate answer" in by_row[18].expected
    assert "first on row 7" in by_row[18].expected


def test_long_file_needs_respondent_ids_and_columns_are_checked(tmp_path):
    path = write(tmp_path, ["1489,2019-10,PUR1,4,"], header="kommunkod,omgång,fråga,svar,extra\n")
    found = problems_of(path)
    assert {(p.row, p.column) for p in found} == {(1, "extra"), (1, "respondent_id")}
    ok = read_study(path.parent / write(tmp_path, good_rows()).name, ignore_columns=["x"])
    assert len(ok) == 16


def test_no_treated_municipality(tmp_path):
    rows = [r.replace("treated", "comparison") for r in good_rows()]
    found = problems_of(write(tmp_path, rows))
    assert [p.expected for p in found] == ["expected at least one treated municipality"]


def test_every_problem_at_once_sorted_by_row(tmp_path):
    rows = good_rows()
    rows[0] = "1489,2019-10,1489-0,XYZ9,4,treated"
    rows[3] = "9999,2019-10,1489-1,PUR2,5,treated"
    rows[5] = "1489,2021-04,1489-0,PUR2,0,treated"
    found = problems_of(write(tmp_path, rows))
    assert [p.row for p in found] == [2, 5, 7]
    assert "SCB" in found[1].expected


def test_wide_file_without_ids_is_independent(tmp_path):
    header = "Kommunkod;Mätning;Arm;PUR1;PUR2;PUR3;PUR4\n"
    rows = ["2480;före;behandlad;4;5;4;3", "2480;före;behandlad;3;3;4;5",
            "2480;efter;behandlad;6;6;5;2", "2480;efter;behandlad;5;6;6;2;"[:-1]]
    path = tmp_path / "wide.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    data = read_study(path)
    assert len(data) == 16 and data["respondent_id"].str.startswith("row-").all()
    assert any("independent design" in n for n in data.attrs["notes"])
    res = analyse_study(data, config=FAST)
    assert res.design.iloc[0]["design"] == "independent"
    # A wide file with a bad answer names the item's column.
    path.write_text(header + rows[0].replace(";5;", ";9;") + "\n" + "\n".join(rows[1:]) + "\n",
                    encoding="utf-8")
    [p] = problems_of(path)
    assert (p.row, p.column, p.value) == (2, "PUR2", "9")


def test_excel_study_file(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["kommunkod", "mätning", "respondent", "fråga", "svar"])
    for wave in (dt.datetime(2019, 10, 1), dt.datetime(2021, 4, 1)):  # Excel made them dates
        for r in range(3):
            ws.append(["0580", wave, f"r{r}", "CAP1", 3 + r])
    path = tmp_path / "study.xlsx"
    book.save(path)
    data = read_study(path)
    assert data.attrs["waves"] == {"before": "2019-10", "after": "2021-04"}
    assert (data["arm"] == "treated").all()


def test_validate_study_checks_a_frame_like_a_file():
    frame = long_frame([("1489", "2019-10", "a", "PUR1", 4), ("1489", "2021-04", "a", "PUR1", 9)])
    with pytest.raises(DataValidationError) as info:
        validate_study(frame)
    [p] = info.value.problems
    assert (p.file, p.row, p.column, p.value) == ("<data frame>", 2, "answer", "9")
    with pytest.raises(DimiosError, match="read_study"):
        analyse_study(frame)
