"""Reading tables as office programs and survey tools write them: encodings, line ends,
separators, title rows, shifted columns, file kinds, and what a note says was recognised."""

import openpyxl
import pytest

from dimios_lib.errors import DataValidationError
from dimios_lib.io.tables import data_files, header_key, read_table

NAMES = {header_key(n) for n in ("Kommunkod", "Omgång", "Respondent", "Fråga", "Svar")}
HEADER = ["Kommunkod", "Omgång", "Respondent", "Fråga", "Svar"]
ROWS = [["0114", "2023-11", "r1", "EFF1", "4"], ["0114", "2023-11", "r2", "EFF1", "Vet ej"]]


def text(rows, sep=";", newline="\n"):
    return newline.join(sep.join(r) for r in rows) + newline


def cells(table):
    return [table.frame.columns.tolist()] + table.frame.to_numpy().tolist()


def problems(path, **kw):
    with pytest.raises(DataValidationError) as exc:
        read_table(path, **kw)
    return exc.value.problems


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(text([HEADER] + ROWS, sep="\t", newline="\r\n").encode("utf-16"))
    table = read_table(path)
    assert cells(table) == [HEADER] + ROWS and table.separator == "\t"
    assert table.encoding == "utf-16" and any("UTF-16" in n for n in table.notes)
    no_bom = tmp_path / "le.csv"
    no_bom.write_bytes(text([HEADER] + ROWS).encode("utf-16-le"))
    assert cells(read_table(no_bom)) == [HEADER] + ROWS


def test_cr_only_line_ends(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(text([HEADER] + ROWS, newline="\r").encode("cp1252"))
    table = read_table(path)
    assert cells(table) == [HEADER] + ROWS and table.frame.index.tolist() == [2, 3]
    assert any("CR alone" in n for n in table.notes)


def test_sep_line_and_trailing_separators(tmp_path):
    path = tmp_path / "excel.csv"
    body = "sep=,\r\n" + text([HEADER] + ROWS, sep=",", newline=",\r\n")
    path.write_text(body, encoding="utf-8-sig")
    table = read_table(path)
    assert cells(table) == [HEADER] + ROWS and table.separator == ","
    assert table.frame.index.tolist() == [2, 3]  # as Excel shows it: the sep line is no row
    assert any("sep=," in n for n in table.notes)
    assert any("end of every line" in n for n in table.notes)
    rows_only = tmp_path / "rows.csv"  # a separator at the end of the rows, not of the header
    rows_only.write_text(text([HEADER]) + text(ROWS, newline=";\n"), encoding="utf-8")
    table = read_table(rows_only)
    assert cells(table) == [HEADER] + ROWS and any("end of every row" in n for n in table.notes)


def test_decomposed_unicode_from_macos_is_composed(tmp_path):
    import unicodedata

    path = tmp_path / "mac.csv"
    rows = [HEADER, ["0114", "2023-11", "r1", "EFF1", "4"]]
    rows[1][2] = "Socialtjänst"
    path.write_text(unicodedata.normalize("NFD", text(rows)), encoding="utf-8")
    assert "Omga\u030ang" in path.read_text(encoding="utf-8")
    table = read_table(path)
    assert "Omgång" in table.frame.columns and table.frame.iloc[0, 2] == "Socialtjänst"
    assert sum("decomposed" in n for n in table.notes) == 2


def test_title_rows_above_the_header(tmp_path):
    path = tmp_path / "title.csv"
    path.write_text("DiMiOS-enkät Karlskoga;;;;\nExporterad 2024-05-30;;;;\n;;;;\n"
                    + text([HEADER] + ROWS), encoding="utf-8")
    table = read_table(path, header_names=NAMES)
    assert cells(table) == [HEADER] + ROWS and table.header_row == 4
    assert table.frame.index.tolist() == [5, 6]
    assert any("2 rows above the header" in n and "DiMiOS-enkät" in n for n in table.notes)
    with pytest.raises(DataValidationError):  # without known names the first row is the header
        read_table(path)


def test_one_extra_cell_on_every_row_is_one_problem(tmp_path):
    path = tmp_path / "shifted.csv"
    rows = [[str(k)] + r for k, r in enumerate(ROWS * 600, start=1)]  # an unnamed row number
    path.write_text(text([HEADER] + rows), encoding="utf-8")
    (p,) = problems(path)
    assert p.kind == "shifted" and "1,200 of 1,200 rows have 6 cells" in p.expected
    assert "shifted" in p.expected and "without a name" in p.expected


def test_ragged_rows_are_named_with_their_cell_count(tmp_path):
    path = tmp_path / "ragged.csv"
    rows = ROWS * 5 + [["0114", "2023-11", "r9", "EFF1", "Kultur", "fritid", "4"], ["0114"]]
    path.write_text(text([HEADER] + rows), encoding="utf-8")
    found = problems(path)
    assert [(p.row, p.value) for p in found] == [(12, "7 cells"), (13, "1 cells")]
    assert all(p.kind == "ragged" for p in found)


def test_quoted_separators_are_no_cell_boundary(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text(text([HEADER]) + '0114;2023-11;"r;1";"EFF1";4\n\n0114;2023-11;r2;EFF1;4\n',
                    encoding="utf-8")
    table = read_table(path)
    assert table.frame["Respondent"].tolist() == ["r;1", "r2"]
    assert table.frame.index.tolist() == [2, 4]  # the blank row 3 is skipped, numbers kept


def test_empty_and_header_only_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert problems(empty)[0].kind == "empty"
    blank = tmp_path / "blank.csv"
    blank.write_bytes("\ufeff\r\n\r\n".encode("utf-8"))
    assert problems(blank)[0].kind == "empty"
    header = tmp_path / "header.csv"
    header.write_text(text([HEADER]), encoding="utf-8")
    assert read_table(header).frame.empty


def test_file_kinds_by_content(tmp_path):
    ole = tmp_path / "old.xls"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    (p,) = problems(ole)
    assert "97-2003" in p.expected and ".xlsx" in p.expected and "CSV UTF-8" in p.expected
    html = tmp_path / "survey.xls"
    html.write_text("<html><body><table><tr><td>Kommunkod</td></tr></table></body></html>")
    assert "HTML" in problems(html)[0].expected
    tsv = tmp_path / "tool.xls"  # tab-separated text with an .xls name, as survey tools save
    tsv.write_text(text([HEADER] + ROWS, sep="\t"), encoding="utf-8")
    table = read_table(tsv)
    assert cells(table) == [HEADER] + ROWS and any("named .xls" in n for n in table.notes)
    book = openpyxl.Workbook()
    for r in [HEADER] + ROWS:
        book.active.append(r)
    disguised = tmp_path / "export.csv"
    book.save(disguised)
    table = read_table(disguised)
    assert cells(table) == [HEADER] + ROWS and table.encoding is None
    assert "expected a .csv" in problems(tmp_path / "x.ods" if (tmp_path / "x.ods").write_text(
        "a;b\n") else None)[0].expected


def test_cp1252_and_undecodable_bytes(tmp_path):
    path = tmp_path / "ansi.csv"
    path.write_bytes(text([HEADER, ["0114", "2023-11", "Förvaltning", "EFF1", "4"]]).encode(
        "cp1252"))
    assert read_table(path).frame.iloc[0, 2] == "Förvaltning"
    path.write_bytes(text([HEADER]).encode() + b"0114;\x81;r;EFF1;4\n")
    assert "Windows-1252" in problems(path)[0].expected


def _book(path, sheets, hidden=(), formulas=False):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for r in rows:
            ws.append(r)
        if title in hidden:
            ws.sheet_state = "hidden"
    book.save(path)
    return path


def test_excel_reads_the_first_visible_sheet_and_says_which(tmp_path):
    path = _book(tmp_path / "book.xlsx", {"Gammal": [HEADER, ["0114", "2019-11", "x", "EFF1",
                                                              "1"]],
                                          "Svar": [HEADER] + ROWS}, hidden={"Gammal"})
    table = read_table(path)
    assert cells(table) == [HEADER] + ROWS and table.sheet == "Svar"
    assert any("'Svar' read" in n and "hidden sheet 'Gammal'" in n for n in table.notes)
    asked = read_table(path, sheet="Gammal")
    assert asked.frame.iloc[0, 1] == "2019-11" and "hidden" in asked.notes[0]


def test_excel_passes_over_an_info_sheet_and_title_rows(tmp_path):
    path = _book(tmp_path / "book.xlsx", {
        "Information": [["Den här filen är en export från enkätverktyget."], ["Skapad maj 2024"]],
        "Data": [["DiMiOS 2024"], [None, None, "Frågor"], HEADER] + ROWS})
    table = read_table(path, header_names=NAMES)
    assert cells(table) == [HEADER] + ROWS and table.frame.index.tolist() == [4, 5]
    assert any("'Data' read" in n and "'Information'" in n for n in table.notes)
    assert any("2 rows above the header" in n for n in table.notes)


def test_excel_formulas_without_saved_values_are_refused(tmp_path):
    path = _book(tmp_path / "f.xlsx", {"Svar": [HEADER, ["0114", "2023-11", "r1", "EFF1",
                                                         "=2+2"]]})
    (p,) = problems(path)
    assert p.kind == "formula" and p.row == 2 and p.column == "Svar" and "E2: =2+2" in p.value


def test_excel_empty_column_name_hints_at_merged_cells(tmp_path):
    path = _book(tmp_path / "m.xlsx", {"Svar": [["Kommunkod", None, "Fråga", "Svar"],
                                                ["0114", "2023-11", "EFF1", "4"]]})
    (p,) = problems(path)
    assert p.column == "#2" and "merged" in p.expected


def test_data_files_of_a_folder(tmp_path):
    for name in ("2024-05.csv", "2023-11.xlsx", "readme.md", "~$2023-11.xlsx"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in data_files(tmp_path)] == ["2023-11.xlsx", "2024-05.csv"]
