"""Reading tabular files as Swedish offices produce them, every cell as text.

CSV: UTF-8 with or without BOM, else Windows-1252; separator ``;``, ``,`` or tab, sniffed from
the header line; CRLF or LF. Excel (``.xlsx``/``.xlsm``): the first sheet unless one is named.
Every cell is kept as text so that nothing is coerced on the way in (a municipality code keeps
its leading zero); the caller parses and validates. Row numbers are the ones a user sees: the
header is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


@dataclass(frozen=True)
class Table:
    """A file's cells as text, with the information needed to name rows in messages."""

    frame: pd.DataFrame  # all columns dtype object (str or None); index = file row numbers
    file: str
    encoding: str | None  # None for Excel
    separator: str | None


def decode(raw: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM stripped) or, failing that, Windows-1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict"), "cp1252"


def sniff_separator(header: str) -> str:
    """The separator of a CSV file from its header line: the most frequent of ``;``, tab, ``,``."""
    counts = {sep: header.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda s: (counts[s], s == ";"))
    return best if counts[best] > 0 else ","


def read_table(path: str | Path, *, sheet: str | None = None) -> Table:
    """Read a CSV or Excel file into a :class:`Table` of text cells.

    Raises
    ------
    DataValidationError
        If the file is missing, empty, of an unknown kind, cannot be decoded, or has a ragged row
        or duplicate header (every such problem listed).
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise DataValidationError([Problem(name, None, None, None, "file not found")])
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet)
    if suffix not in CSV_SUFFIXES:
        raise DataValidationError([Problem(
            name, None, None, suffix,
            "expected a .csv, .txt, .tsv, .xlsx or .xlsm file (save .xls files as .xlsx)")])
    raw = path.read_bytes()
    try:
        text, encoding = decode(raw)
    except UnicodeDecodeError as exc:  # only cp1252's five undefined bytes get here
        raise DataValidationError([Problem(
            name, None, None, repr(raw[exc.start:exc.end]),
            "expected UTF-8 or Windows-1252 text")]) from None
    return _parse_csv_text(text, name, encoding)


def _parse_csv_text(text: str, name: str, encoding: str) -> Table:
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.strip():
        raise DataValidationError([Problem(name, 1, None, None, "expected a header row")])
    sep = sniff_separator(first)
    header = [h.strip() for h in next(csv.reader([first], delimiter=sep))]
    problems = _header_problems(header, name)
    if problems:
        raise DataValidationError(problems)
    # Fast path: pandas' C parser, every cell as text, blank lines kept so that the index maps to
    # the file's row numbers. A short row comes back padded with NaN and a long one raises: both
    # send us to the exact (slower) path, which names every ragged row.
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=object, keep_default_na=False,
                            na_filter=False, skip_blank_lines=False, header=0, names=header,
                            quotechar='"', engine="c")
    except (pd.errors.ParserError, ValueError):
        frame = None
    if frame is not None and not frame.isna().to_numpy().any():
        frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
        blank = (frame == "").all(axis=1)
        frame = frame.loc[~blank]
        return Table(frame, name, encoding, sep)
    return _parse_csv_exact(text, name, encoding, sep, header)


def _parse_csv_exact(text: str, name: str, encoding: str, sep: str, header: list[str]) -> Table:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    width = len(header)
    body, index, problems = [], [], []
    for number, row in enumerate(rows[1:], start=2):
        if not row or all(not c.strip() for c in row):
            continue  # blank line: nothing to lose
        if len(row) != width:
            problems.append(Problem(name, number, None, sep.join(row)[:60],
                                    f"expected {width} cells separated by {sep!r}, "
                                    f"found {len(row)}"))
            continue
        body.append(row)
        index.append(number)
    if problems:
        raise DataValidationError(problems)
    frame = pd.DataFrame(body, columns=header, index=pd.Index(index, name="row"), dtype=object)
    return Table(frame, name, encoding, sep)


def _header_problems(header: list[str], name: str) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for position, column in enumerate(header, start=1):
        if not column:
            problems.append(Problem(name, 1, f"#{position}", "", "expected a column name"))
        key = column.casefold()
        if key in seen:
            problems.append(Problem(name, 1, column, column,
                                    f"duplicate column name (also column #{seen[key]})"))
        seen.setdefault(key, position)
    return problems


def _excel_cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def _read_excel(path: Path, sheet: str | None) -> Table:
    import openpyxl

    name = str(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise DataValidationError([Problem(name, None, None, None,
                                           f"expected a readable Excel workbook ({exc})")]) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DataValidationError([Problem(name, None, None, sheet,
                                               f"expected one of the sheets {book.sheetnames}")])
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
    finally:
        book.close()
    if not rows or all(v is None for v in rows[0]):
        raise DataValidationError([Problem(name, 1, None, None, "expected a header row")])
    header_cells = list(rows[0])
    while header_cells and header_cells[-1] is None:
        header_cells.pop()
    header = [("" if h is None else str(h)).strip() for h in header_cells]
    problems = _header_problems(header, name)
    width = len(header)
    body, index = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row[:width]) + [None] * max(0, width - len(row))
        extra = [v for v in row[width:] if v is not None]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells) and not extra:
            continue
        if extra:
            problems.append(Problem(name, number, None, str(extra[0]),
                                    f"expected at most {width} cells (a value stands right of "
                                    "the last named column)"))
        body.append([_excel_cell_text(v) for v in cells])
        index.append(number)
    if problems:
        raise DataValidationError(problems)
    frame = pd.DataFrame(body, columns=header, index=pd.Index(index, name="row"), dtype=object)
    return Table(frame, name, None, None)


@dataclass
class Headers:
    """A file's headers mapped to canonical names (see :func:`map_headers`)."""

    canonical: dict[str, str]  # canonical name -> header as in the file
    items: dict[str, str]      # item id -> header as in the file (wide files)
    notes: list[str]
    problems: list[Problem]


def map_headers(table: Table, aliases: dict[str, str], *, ignore: Set[str] = frozenset(),
                items: dict[str, str] | None = None, unknown: str) -> Headers:
    """Map each header (trimmed, case-folded) to a canonical column through ``aliases`` or to an
    item id through ``items`` (case-folded id -> id); a header in ``ignore`` is left out with a
    note. A second header for the same canonical column and an unknown header are problems
    (row 1, the header row); ``unknown`` is what the message says was expected instead."""
    items = items or {}
    out = Headers({}, {}, [], [])
    for header in table.frame.columns:
        key = header.strip().casefold()
        if header in ignore:
            out.notes.append(f"column {header!r} left out on request")
        elif key in aliases:
            name = aliases[key]
            if name in out.canonical:
                out.problems.append(Problem(table.file, 1, header, header,
                                            f"a second column for {name!r} (first: "
                                            f"{out.canonical[name]!r})"))
            out.canonical.setdefault(name, header)
        elif key in items:
            out.items[items[key]] = header
        else:
            out.problems.append(Problem(table.file, 1, header, header, unknown))
    return out
