"""What the data contracts share: column aliases, cell text, Swedish number and month tokens,
and turning a long or wide file into the long format with its file rows.

Every reader in this package maps headers through :func:`column_aliases` (plus its own), keeps
each cell's file row so that a problem names the row the user sees, and melts a wide file (one
column per item) with :func:`to_long`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem
from ..io.files import packaged_file
from ..io.tables import Table, header_key, map_headers

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
"""A month or round label ``YYYY-MM``."""
EXCEL_MONTH = re.compile(r"^(\d{4}-(0[1-9]|1[0-2]))-01 00:00:00$")
"""What Excel makes of a typed ``2023-11``: a date on the first of the month, at midnight."""
NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
"""A number with a decimal comma or point."""


@lru_cache(maxsize=1)
def column_aliases() -> dict[str, str]:
    """Accepted column names (case-insensitive) → canonical name. See ``column_aliases.csv``.

    Examples
    --------
    >>> column_aliases()["omgång"], column_aliases()["kommunkod"]
    ('round', 'municipality_code')
    """
    table = pd.read_csv(packaged_file("column_aliases.csv"), dtype=str, encoding="utf-8")
    return {header_key(a): c for c, a in zip(table["canonical"], table["alias"])}


def show(value: object) -> str:
    """A parsed value as it would have stood in the file (``4.0`` → ``"4"``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def cell_text(value: object) -> str:
    """A cell of a frame built in Python as the text a file would hold (missing → ``""``,
    ``4.0`` → ``"4"``)."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value)
                         and pd.isna(value)):
        return ""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def text_table(frame: pd.DataFrame, name: str) -> Table:
    """A frame built in Python as a :class:`~dimios_lib.io.tables.Table` of text cells, rows
    named by position + 1, so that it goes through the same contract as a file."""
    text = frame.reset_index(drop=True).copy()
    for col in text.columns:
        text[col] = [cell_text(v) for v in text[col]]
    text.columns = [str(c) for c in text.columns]
    text.index = pd.RangeIndex(1, len(text) + 1, name="row")
    return Table(text, name, "utf-8", ",")


def column_name(columns: Mapping[str, Any], name: str, pos: int | np.integer) -> str:
    """The file's header of canonical column ``name`` at long-format position ``pos`` (in a
    melted wide file, an item's answers come from that item's column)."""
    c = columns[name]
    return c if isinstance(c, str) else str(c[pos])


def to_long(table: Table, aliases: dict[str, str], items: Sequence[str], *, ignore: set[str],
            required_long: Sequence[str], required_wide: Sequence[str],
            unknown: str | Callable[[str], str], wide_items: str, no_id_note: str,
            messages: Mapping[str, str] | None = None,
            match: Callable[[str], tuple[str | None, str]] | None = None,
            how: Mapping[str, str] | None = None, id_prefix: str = ""):
    """Map a file's headers and bring it to the long format, one row per answer.

    A file is *long* when it has an ``item_id`` or ``answer`` column, else *wide*: one row per
    respondent and one column per item (``items``, matched ignoring case). A wide file without a
    respondent id column gets ids ``row-N`` from its row numbers, with ``no_id_note``.

    Parameters
    ----------
    table : Table
        The file's text cells.
    aliases : dict
        Header (case-folded) → canonical column name.
    items : sequence of str
        The item ids a wide file may have as columns.
    ignore : set of str
        Headers to leave out on purpose.
    required_long, required_wide : sequence of str
        Canonical columns a long or a wide file must have.
    unknown : str or callable
        What an unknown header's problem says was expected (or a function of the header that
        says it).
    wide_items : str
        How the message names the item columns of a wide file ("item id of the item bank").
    no_id_note : str
        The note given when a wide file has no respondent id column.
    messages : mapping, optional
        A required column's own message when it is missing (default: "expected this column
        (or a Swedish alias of it)").
    match : callable, optional
        Header -> (item id, how it was recognised) for headers that are not item ids (question
        texts); ``(None, "")`` for none. Columns matched so are noted, ``how`` naming each way.
    id_prefix : str
        Put before the ``row-N`` ids of a wide file without respondent ids (several files
        read together keep their generated ids apart).

    Returns
    -------
    tuple
        ``(frame, rows, columns, notes, problems)``: the long frame of text cells (canonical
        columns plus ``item_id`` and ``answer``), each row's file row, canonical column → the
        file's header (for a melted file, ``item_id`` and ``answer`` map to an array of the
        item's header per row), notes, and problems. ``frame`` is None when a header problem
        stops the check.

    Examples
    --------
    >>> t = Table(pd.DataFrame({"Kommunkod": ["0114"], "Omgång": ["2023-11"], "Q1": ["4"],
    ...                         "Q2": ["vet ej"]}, index=pd.Index([2], name="row")),
    ...           "f.csv", "utf-8", ";")
    >>> frame, rows, cols, notes, problems = to_long(
    ...     t, column_aliases(), ["Q1", "Q2"], ignore=set(), required_long=(),
    ...     required_wide=("municipality_code",), unknown="?", wide_items="item",
    ...     no_id_note="ids from rows")
    >>> frame[["respondent_id", "item_id", "answer"]].to_numpy().tolist(), rows.tolist(), notes
    ([['row-2', 'Q1', '4'], ['row-2', 'Q2', 'vet ej']], [2, 2], ['ids from rows'])
    """
    file = table.file
    messages = messages or {}
    heads = map_headers(table, aliases, ignore=ignore, items={header_key(i): i for i in items},
                        unknown=unknown, match=match)
    canonical, found = heads.canonical, heads.items  # canonical/item id -> the file's header
    problems, notes = heads.problems, heads.notes
    for way, headers in heads.matched.items():
        if way != "id":
            n = len(headers)
            notes.append(f"{n} column{'s' if n != 1 else ''} matched to items by "
                         f"{(how or {}).get(way, way)} (e.g. {headers[0][:60]!r})")
    long = "item_id" in canonical or "answer" in canonical
    if long and found:
        problems.append(Problem(file, table.header_row, next(iter(found.values())), None,
                                "a long file (item_id/answer columns) cannot also have item "
                                "columns"))
    for name in (required_long if long else required_wide):
        if name not in canonical:
            problems.append(Problem(file, table.header_row, name, None, messages.get(
                name, "expected this column (or a Swedish alias of it)")))
    if not long and not found and not any(p.kind == "unknown column" for p in problems):
        problems.append(Problem(file, table.header_row, None, None,
                                "expected either item_id and answer columns (long format) or one "
                                f"column per {wide_items} (wide format)"))
    if problems:
        return None, None, None, notes, problems
    frame = table.frame
    columns: dict[str, object] = dict(canonical)
    if long:
        out = pd.DataFrame({name: frame[header].to_numpy() for name, header in canonical.items()})
        return out, frame.index.to_numpy(), columns, notes, problems
    if "respondent_id" not in canonical:
        notes.append(no_id_note)
    ids = (frame[canonical["respondent_id"]].to_numpy() if "respondent_id" in canonical
           else np.array([f"{id_prefix}row-{r}" for r in frame.index], dtype=object))
    n, k = len(frame), len(found)
    item_ids = list(found)
    out = pd.DataFrame({name: np.repeat(frame[header].to_numpy(), k)
                        for name, header in canonical.items() if name != "respondent_id"})
    out["respondent_id"] = np.repeat(ids, k)
    out["item_id"] = np.tile(np.array(item_ids, dtype=object), n)
    out["answer"] = frame[[found[i] for i in item_ids]].to_numpy().reshape(-1)
    columns.setdefault("respondent_id", "respondent_id")
    columns["item_id"] = np.tile(np.array([found[i] for i in item_ids], dtype=object), n)
    columns["answer"] = columns["item_id"]
    return out, np.repeat(frame.index.to_numpy(), k), columns, notes, problems
