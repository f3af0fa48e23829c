"""A table of text cells as read from a file, and its header row: what the CSV and the Excel
readers (:mod:`dimios_lib.io.tables`, :mod:`dimios_lib.io.excel`) share."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

import pandas as pd

from ..errors import Problem
from .sniff import nfc

HEADER_SEARCH = 30
"""Rows looked at for the header."""


@dataclass(frozen=True)
class Table:
    """A file's cells as text, with the information needed to name rows in messages.

    ``frame``'s columns are the header names (dtype object: str or None) and its index the row
    numbers a user sees. ``encoding`` is ``None`` for a workbook. ``notes`` say what was
    recognised on the way (an encoding, a title row, the sheet read, ...).
    """

    frame: pd.DataFrame
    file: str
    encoding: str | None
    separator: str | None
    notes: tuple[str, ...] = ()
    sheet: str | None = None
    header_row: int = 1


def header_key(text: object) -> str:
    """A header as it is compared: composed Unicode, blanks collapsed, case ignored.

    Examples
    --------
    >>> header_key("  Omga\\u030ang ") == header_key("omgång")
    True
    >>> header_key("Kultur  och\\nfritid")
    'kultur och fritid'
    """
    return " ".join(nfc(str(text)).split()).casefold()


def find_header(records: Sequence[Sequence[object]], names: Set[str] | None) -> tuple[int, int]:
    """The position of the header among a file's first rows, and how many known names it has.

    Without ``names`` the header is the first row. With them it is the row (of the first 30)
    with the most known names, the first such row on a tie; when no row has one, the first row
    with at least two cells (a one-cell title row is no header).

    Examples
    --------
    >>> rows = [["DiMiOS-export maj 2024"], [], ["Kommunkod", "Omgång", "EFF1"], ["0114", "x", "4"]]
    >>> find_header(rows, {"kommunkod", "omgång"}), find_header(rows, None)
    ((2, 2), (0, 0))
    """
    if names is None:
        return 0, 0
    best, best_known = None, 0
    for i, rec in enumerate(records[:HEADER_SEARCH]):
        cells = [c for c in rec if c is not None and str(c).strip()]
        if len(cells) < 2:
            continue
        known = sum(header_key(c) in names for c in cells)
        if known > best_known:
            best, best_known = i, known
    if best is not None:
        return best, best_known
    for i, rec in enumerate(records[:HEADER_SEARCH]):
        if sum(c is not None and bool(str(c).strip()) for c in rec) >= 2:
            return i, 0
    return 0, 0


def drop_empty_unnamed(frame: pd.DataFrame, sep: str | None) -> tuple[pd.DataFrame, list[str]]:
    """Leave out columns without a name that hold nothing (a separator at the end of every
    line, an empty column beside the table). One without a name that holds values stays, for
    the header check to report."""
    notes: list[str] = []
    unnamed = [k for k, c in enumerate(frame.columns) if not c]
    if not unnamed:
        return frame, notes
    empty = [k for k in unnamed
             if not frame.iloc[:, k].fillna("").astype(str).str.strip().astype(bool).any()]
    if not empty:
        return frame, notes
    keep = [k for k in range(frame.shape[1]) if k not in set(empty)]
    last = frame.shape[1] - 1
    if sep is not None and empty == [last]:
        notes.append("the separator at the end of every line left out")
    elif sep is not None:
        notes.append(f"{len(empty)} empty column{'s' if len(empty) > 1 else ''} without a "
                     "name left out")
    return frame.iloc[:, keep], notes


def header_problems(header: list[str], name: str, row: int = 1, *, excel: bool = False
                    ) -> list[Problem]:
    """Empty and duplicate column names: an unnamed column (that holds values: empty ones are
    left out before, :func:`drop_empty_unnamed`), a name used twice."""
    problems = []
    seen: dict[str, int] = {}
    for position, column in enumerate(header, start=1):
        if not column:
            hint = (" (merged header cells leave all but the first empty: unmerge them and "
                    "name each column)" if excel else "")
            problems.append(Problem(name, row, f"#{position}", "",
                                    "expected a column name (the column holds values)" + hint,
                                    kind="header"))
            continue
        key = header_key(column)
        if key in seen:
            problems.append(Problem(name, row, column, column,
                                    f"duplicate column name (also column #{seen[key]})",
                                    kind="header"))
        seen.setdefault(key, position)
    return problems
