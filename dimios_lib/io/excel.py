"""Reading an Excel workbook (``.xlsx``/``.xlsm``) into a :class:`~dimios_lib.io.tables.Table`.

Which sheet: the one named, else the first *visible* sheet (a hidden sheet is never read
unasked); when the caller knows its header names, the first visible sheet that has them, so a
leading sheet of information is passed over. A note always says which sheet was read.

What a workbook holds: a formula's saved value is read; a formula that has none (the file was
written by a program that does not calculate) is refused, since reading it as empty would turn
answers into missing ones. Cells are text as the user sees them (``4.0`` as ``4``, a date as
ISO text).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Set
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataValidationError, Problem
from .grid import HEADER_SEARCH, Table, drop_empty_unnamed, find_header, header_problems
from .sniff import is_nfc, nfc


def cell_text(value: object) -> str | None:
    """An Excel cell as text: ``None`` for empty, whole floats without ``.0``, dates as ISO.

    Examples
    --------
    >>> cell_text(4.0), cell_text(None), cell_text(dt.datetime(2023, 11, 1))
    ('4', None, '2023-11-01 00:00:00')
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return nfc(str(value)) if isinstance(value, str) else str(value)


def _head(ws) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(max_row=HEADER_SEARCH, values_only=True)]


def _has_formulas(path: Path, ws) -> bool:
    """Whether the sheet's XML holds a formula (``<f>``), read as a stream."""
    member = getattr(ws, "_worksheet_path", None)
    if not member:
        return True  # cannot tell: look cell by cell
    with zipfile.ZipFile(path) as z, z.open(member.lstrip("/")) as fh:
        carry = b""
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            block = carry + chunk
            if b"<f>" in block or b"<f " in block or b"<f/>" in block:
                return True
            carry = block[-4:]
    return False


def read_workbook(path: Path, *, sheet: str | None = None, header_names: Set[str] | None = None,
                  notes: list[str] | None = None) -> Table:
    """Read one sheet of a workbook (see the module docstring); problems as in
    :func:`~dimios_lib.io.tables.read_table`."""
    import openpyxl

    name = str(path)
    notes = list(notes or [])
    handle = open(path, "rb")  # a handle: openpyxl refuses a workbook named .csv
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        handle.close()
        raise DataValidationError([Problem(name, None, None, None,
                                           f"expected a readable Excel workbook ({exc})",
                                           kind="file kind")]) from None
    try:
        ws, more = _choose_sheet(book, name, sheet, header_names)
        notes += more
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        formulas = _has_formulas(path, ws)
        title = ws.title
    finally:
        book.close()
        handle.close()
    while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()
    if not rows:
        raise DataValidationError([Problem(name, None, None, None, f"sheet {title!r} is empty: "
                                           "expected a header row and rows of answers",
                                           kind="empty")])
    at, _ = find_header(rows, header_names)
    above = [(k, r) for k, r in enumerate(rows[:at]) if any(v is not None and str(v).strip()
                                                             for v in r)]
    if above:
        k, r = above[0]
        first = next(str(v).strip() for v in r if v is not None and str(v).strip())
        notes.append(f"{len(above)} row{'s' if len(above) > 1 else ''} above the header left out "
                     f"(a title or merged group headings; row {k + 1}: {first[:50]!r})")
    header_cells = list(rows[at])
    while header_cells and header_cells[-1] is None:
        header_cells.pop()
    raw = ["" if h is None else str(h) for h in header_cells]
    header = [nfc(h).strip() for h in raw]
    if any(not h.isascii() and not is_nfc(h) for h in raw):
        notes.append("column names in decomposed Unicode (as macOS writes them) read as composed")
    header_row = at + 1
    width = len(header)
    problems: list[Problem] = []
    body, index = [], []
    for number, row in enumerate(rows[at + 1:], start=header_row + 1):
        cells = list(row[:width]) + [None] * max(0, width - len(row))
        extra = [v for v in row[width:] if v is not None and str(v).strip()]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells) and not extra:
            continue
        if extra:
            problems.append(Problem(name, number, None, str(extra[0]),
                                    f"expected at most {width} cells: a value stands right of "
                                    "the last named column (a column without a name?)",
                                    kind="ragged"))
        body.append([cell_text(v) for v in cells])
        index.append(number)
    if problems:
        raise DataValidationError(problems)
    frame = pd.DataFrame(body, columns=header, index=pd.Index(index, name="row"), dtype=object)
    if formulas:
        problems += _formula_problems(path, title, frame, header_row, notes)
    frame, _ = drop_empty_unnamed(frame, None)
    problems = header_problems(list(frame.columns), name, header_row, excel=True) + problems
    if problems:
        raise DataValidationError(problems)
    return Table(frame, name, None, None, tuple(notes), sheet=title, header_row=header_row)


def _choose_sheet(book, name: str, sheet: str | None, header_names: Set[str] | None):
    notes: list[str] = []
    if sheet is not None:
        if sheet not in book.sheetnames:
            raise DataValidationError([Problem(name, None, None, sheet,
                                               f"expected one of the sheets {book.sheetnames}",
                                               kind="sheet")])
        ws = book[sheet]
        state = "" if ws.sheet_state == "visible" else f" ({ws.sheet_state}, read as asked)"
        notes.append(f"sheet {sheet!r} read{state}")
        return ws, notes
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    hidden = [ws.title for ws in book.worksheets if ws.sheet_state != "visible"]
    if not visible:
        raise DataValidationError([Problem(name, None, None, None, "every sheet is hidden: "
                                           "name one with --sheet", kind="sheet")])
    chosen = visible[0]
    passed: list[str] = []
    if header_names is not None and len(visible) > 1:
        for ws in visible:
            at, known = find_header(_head(ws), header_names)
            if known:
                chosen = ws
                break
            passed.append(ws.title)
        else:
            passed = []
    why = ("the first visible sheet" if not passed else
           f"the first visible sheet with known column names; {_names(passed)} before it "
           f"{'has' if len(passed) == 1 else 'have'} none")
    if hidden:
        why += f"; hidden {_names(hidden)} not read"
    if len(book.worksheets) > 1 or passed or hidden:
        why += " (another sheet: --sheet NAME)"
    notes.append(f"sheet {chosen.title!r} read ({why})")
    return chosen, notes


def _names(titles: list[str]) -> str:
    return ("sheet " if len(titles) == 1 else "sheets ") + ", ".join(repr(t) for t in titles)


def _formula_problems(path: Path, title: str, frame: pd.DataFrame, header_row: int,
                      notes: list[str]) -> list[Problem]:
    """Formulas without a saved value, as problems; formulas with one, counted in a note."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    handle = open(path, "rb")
    book = openpyxl.load_workbook(handle, read_only=True, data_only=False)
    try:
        ws = book[title]
        problems: list[Problem] = []
        with_value = 0
        columns = list(frame.columns)
        wanted = set(frame.index)
        for number, row in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True),
                                     start=header_row + 1):
            if number not in wanted:
                continue
            values = frame.loc[number]
            for k, v in enumerate(row[:len(columns)]):
                if isinstance(v, str) and v.startswith("="):
                    if values.iloc[k] is None:
                        problems.append(Problem(
                            str(path), number, columns[k] or f"#{k + 1}",
                            f"{get_column_letter(k + 1)}{number}: {v}",
                            "a formula without a saved value (the file was written by a "
                            "program that does not calculate): open it in Excel and save it, "
                            "or replace the formulas by their values", kind="formula"))
                    else:
                        with_value += 1
    finally:
        book.close()
        handle.close()
    if with_value:
        notes.append(f"{with_value} cell{'s' if with_value > 1 else ''} with a formula read as "
                     "the value Excel saved")
    return problems
