"""The data contract: import of every supported file shape, and every kind of bad input."""


import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dimios_lib.contracts.responses import read_responses, validate_responses
from dimios_lib.errors import DataValidationError

from ..conftest import frame

KEY = ["municipality_code", "round", "respondent_id", "item_id"]


@pytest.fixture
def canonical(all_items):
    """Three respondents in two municipalities (one with a leading zero), å/ä/ö in units,
    missing answers."""
    rows = []
    plan = [("0114", "2023-11", "r1", "Socialtjänst", "Ledning"),
            ("0114", "2023-11", "r2", "Utbildning", "Strateg"),
            ("2039", "2024-05", "r1", "Kultur och fritid", "IT-samordnare")]
    for k, (code, rnd, rid, unit, role) in enumerate(plan):
        for j, item in enumerate(all_items):
            answer = np.nan if (j + k) % 7 == 0 else float(1 + (j * 3 + k) % 6)
            rows.append((code, rnd, rid, unit, role, item, answer))
    return frame(rows)


def same(a, b):
    a = a.sort_values(KEY).reset_index(drop=True)
    b = b.sort_values(KEY).reset_index(drop=True)
    pd.testing.assert_frame_equal(a.astype(str), b.astype(str))


def answer_text(a, missing="Vet ej", decimal=False):
    if np.isnan(a):
        return missing
    return f"{int(a)},0" if decimal else str(int(a))


SV_LONG = ["Kommunkod", "Omgång", "Respondent", "Förvaltning", "Roll", "Fråga", "Svar"]


def write_long_csv(df, path, *, sep, encoding, newline, names, missing="", decimal=False):
    lines = [sep.join(names)]
    for rec in df.itertuples(index=False):
        lines.append(sep.join([rec.municipality_code, rec.round, rec.respondent_id, rec.unit,
                               rec.role, rec.item_id,
                               answer_text(rec.answer, missing, decimal)]))
    path.write_bytes((newline.join(lines) + newline).encode(encoding))


def wide(df):
    ids = ["municipality_code", "round", "respondent_id", "unit", "role"]
    items = list(dict.fromkeys(df["item_id"]))
    w = df.pivot(index=ids, columns="item_id", values="answer").reset_index()
    return w[ids + items]  # pivot sorts the item columns; keep the bank's order


HEADER = "Kommunkod;Omgång;Respondent;Förvaltning;Roll;Fråga;Svar"


GOOD = "0114;2023-11;r1;Socialtjänst;Ledning;EFF1;4"


BAD_CASES = {
    "three-digit code (Excel lost the zero)": ("114;2023-11;r2;Socialtjänst;Ledning;EFF1;4",
                                                "Kommunkod", "leading zero"),
    "code not in SCB's list": ("9999;2023-11;r2;Socialtjänst;Ledning;EFF1;4", "Kommunkod",
                               "SCB"),
    "empty code": (";2023-11;r2;Socialtjänst;Ledning;EFF1;4", "Kommunkod", "expected a value"),
    "month 13": ("0114;2023-13;r2;Socialtjänst;Ledning;EFF1;4", "Omgång", "YYYY-MM"),
    "round as words": ("0114;nov 2023;r2;Socialtjänst;Ledning;EFF1;4", "Omgång", "YYYY-MM"),
    "empty respondent": ("0114;2023-11;;Socialtjänst;Ledning;EFF1;4", "Respondent",
                         "expected a value"),
    "unknown item": ("0114;2023-11;r2;Socialtjänst;Ledning;EFF99;4", "Fråga", "item bank"),
    "answer above scale": ("0114;2023-11;r2;Socialtjänst;Ledning;EFF1;7", "Svar", "1 to 6"),
    "answer zero": ("0114;2023-11;r2;Socialtjänst;Ledning;EFF1;0", "Svar", "1 to 6"),
    "half answer": ("0114;2023-11;r2;Socialtjänst;Ledning;EFF1;4,5", "Svar", "whole number"),
    "text answer": ("0114;2023-11;r2;Socialtjänst;Ledning;EFF1;ganska bra", "Svar",
                    "whole number"),
    "duplicate answer": ("0114;2023-11;r1;Socialtjänst;Ledning;EFF1;5", "Svar", "duplicate"),
    "unit changes": ("0114;2023-11;r1;Utbildning;Ledning;EFF2;4", "Förvaltning", "same unit"),
    "role changes": ("0114;2023-11;r1;Socialtjänst;Strateg;EFF2;4", "Roll", "same role"),
}


def test_long_csv_utf8_comma(tmp_path, canonical):
    path = tmp_path / "long.csv"
    write_long_csv(canonical, path, sep=",", encoding="utf-8", newline="\n",
                   names=list(canonical.columns))
    same(read_responses(path), canonical)


def test_long_csv_swedish_bom_crlf_semicolon_vet_ej_decimal_comma(tmp_path, canonical):
    path = tmp_path / "export.csv"
    write_long_csv(canonical, path, sep=";", encoding="utf-8-sig", newline="\r\n",
                   names=SV_LONG, missing="Vet ej", decimal=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    same(read_responses(path), canonical)


def test_long_csv_windows_1252(tmp_path, canonical):
    path = tmp_path / "ansi.csv"
    write_long_csv(canonical, path, sep=";", encoding="cp1252", newline="\r\n",
                   names=SV_LONG, missing="vet ej")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    data = read_responses(path)
    assert "Socialtjänst" in set(data["unit"])
    same(data, canonical)


def test_long_tab_separated(tmp_path, canonical):
    path = tmp_path / "long.tsv"
    write_long_csv(canonical, path, sep="\t", encoding="utf-8", newline="\n",
                   names=list(canonical.columns), missing="VET EJ")
    same(read_responses(path), canonical)


def test_wide_csv_swedish(tmp_path, canonical, all_items):
    w = wide(canonical)
    lines = [";".join(["Kommunkod", "Omgång", "Respondent", "Förvaltning", "Roll"] + all_items)]
    for rec in w.itertuples(index=False):
        cells = list(rec[:5]) + [answer_text(a) for a in rec[5:]]
        lines.append(";".join(cells))
    path = tmp_path / "wide.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    same(read_responses(path), canonical)


def test_long_excel(tmp_path, canonical):
    path = tmp_path / "long.xlsx"
    out = canonical.copy()
    out["answer"] = [None if np.isnan(a) else int(a) for a in out["answer"]]
    out.to_excel(path, index=False)
    same(read_responses(path), canonical)


def test_wide_excel_with_numeric_codes_and_date_rounds(tmp_path, canonical, all_items):
    """Excel turned codes into numbers and '2023-11' into dates: rounds are read back as months,
    codes need --pad-codes (and are reported without it)."""
    w = wide(canonical)
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["kommunkod", "mätomgång", "respondent_id", "förvaltning", "roll"] + all_items)
    for rec in w.itertuples(index=False):
        year, month = map(int, rec.round.split("-"))
        ws.append([int(rec.municipality_code), dt.datetime(year, month, 1), rec.respondent_id,
                   rec.unit, rec.role] + [None if np.isnan(a) else int(a) for a in rec[5:]])
    path = tmp_path / "wide.xlsx"
    book.save(path)
    with pytest.raises(DataValidationError) as exc:
        read_responses(path)
    rows = {(p.row, p.column) for p in exc.value.problems}
    assert rows == {(2, "kommunkod"), (3, "kommunkod")}  # 114 on rows 2-3; 2039 is fine
    data = read_responses(path, pad_codes=True)
    same(data, canonical)
    assert any("padded" in n for n in data.attrs["notes"])
    assert any("dates" in n for n in data.attrs["notes"])


def test_wide_without_respondent_ids_gets_row_ids(tmp_path, all_items):
    path = tmp_path / "wide.csv"
    path.write_text("kommunkod;omgång;" + ";".join(all_items) + "\n"
                    + "0114;2023-11;" + ";".join(["4"] * 26) + "\n"
                    + "0114;2023-11;" + ";".join(["5"] * 26) + "\n", encoding="utf-8")
    data = read_responses(path)
    assert sorted(data["respondent_id"].unique()) == ["row-2", "row-3"]
    assert data.attrs["notes"]


def test_ignore_column(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Tidsstämpel;Kommunkod;Omgång;Respondent;Fråga;Svar\n"
                    "2023-11-02 10:00;0114;2023-11;r1;EFF1;4\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_responses(path)
    assert exc.value.problems[0].column == "Tidsstämpel"
    assert len(read_responses(path, ignore_columns=["Tidsstämpel"])) == 1


def test_synthetic_flag_from_sidecar(tmp_path, canonical):
    path = tmp_path / "d.csv"
    canonical.to_csv(path, index=False)
    assert read_responses(path).attrs["synthetic"] is False
    (tmp_path / "d.csv.meta.json").write_text('{"synthetic": true}', encoding="utf-8")
    assert read_responses(path).attrs["synthetic"] is True


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_names_row_column_and_value(tmp_path, case):
    line, column, expected = BAD_CASES[case]
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\n{GOOD}\n{line}\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_responses(path)
    problems = exc.value.problems
    assert len(problems) == 1, problems
    p = problems[0]
    assert (p.file, p.row, p.column) == (str(path), 3, column)
    assert expected in p.expected
    assert f"row 3, column {column!r}" in str(exc.value)


def test_every_problem_is_reported_at_once(tmp_path):
    body = [line for line, _, _ in BAD_CASES.values()
            if not line.endswith(("EFF1;5", "EFF2;4"))]  # relational cases need context
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([HEADER, GOOD] + body) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_responses(path)
    assert sorted({p.row for p in exc.value.problems}) == list(range(3, 3 + len(body)))


def test_bad_cell_in_wide_file_names_the_item_column(tmp_path, all_items):
    cells = ["4"] * 26
    cells[3] = "9"
    path = tmp_path / "wide.csv"
    path.write_text("kommunkod;omgång;respondent;" + ";".join(all_items) + "\n"
                    + "0114;2023-11;r1;" + ";".join(cells) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_responses(path)
    (p,) = exc.value.problems
    assert (p.row, p.column, p.value) == (2, all_items[3], "9")


def test_ragged_rows_and_unknown_columns(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text(f"{HEADER}\n{GOOD}\n0114;2023-11;r2;Service\n{GOOD};extra\n",
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_responses(path)
    assert [p.row for p in exc.value.problems] == [3, 4]
    path.write_text("Kommunkod;Omgång;Respondent;Fråga;Svar;Kommentar\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_responses(path)
    assert exc.value.problems[0].column == "Kommentar"


def test_missing_columns_and_wrong_file_kind(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Kommunkod;Svar\n0114;4\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_responses(path)
    assert {p.column for p in exc.value.problems} >= {"round", "respondent_id", "item_id"}
    old_excel = tmp_path / "x.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))  # Excel 97-2003
    with pytest.raises(DataValidationError, match="xlsx"):
        read_responses(old_excel)


def test_excel_bad_cells_name_sheet_rows(tmp_path):
    path = tmp_path / "bad.xlsx"
    pd.DataFrame({"Kommunkod": ["0114", "0114"], "Omgång": ["2023-11", "2023-11"],
                  "Respondent": ["r1", "r1"], "Fråga": ["EFF1", "EFF2"],
                  "Svar": [4, 8]}).to_excel(path, index=False)
    with pytest.raises(DataValidationError) as exc:
        read_responses(path)
    (p,) = exc.value.problems
    assert (p.row, p.column, p.value) == (3, "Svar", "8")


def test_validate_frame_built_in_python(canonical):
    assert len(validate_responses(canonical)) == len(canonical)
    broken = canonical.copy()
    broken.loc[5, "answer"] = 9
    broken.loc[7, "municipality_code"] = "114"
    with pytest.raises(DataValidationError) as exc:
        validate_responses(broken)
    assert {(p.row, p.column) for p in exc.value.problems} == {(6, "answer"),
                                                               (8, "municipality_code")}
