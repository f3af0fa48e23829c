"""The data contract for DiMiOS responses, and import of CSV/Excel exports into it.

Canonical long format, one row per answer:

================== =========================================================================
column             contract
================== =========================================================================
municipality_code  four-digit SCB code as text, leading zero kept, in the reference list
round              ``YYYY-MM`` (month 01-12)
respondent_id      non-empty text, unique within municipality and round
item_id            an item of the item bank
answer             whole number on the scale (default 1-6), or missing ("vet ej", empty)
unit               optional: förvaltning/unit, the same for all of a respondent's answers
role               optional: role, the same for all of a respondent's answers
================== =========================================================================

:func:`read_responses` imports long or wide files (wide: one column per item id), CSV or Excel,
with Swedish conventions (see :mod:`dimios_lib.io.tables` and ``data/column_aliases.csv`` for the
Swedish column names). :func:`validate_responses` checks a frame built in Python against the same
contract. Both report *every* problem at once and raise :class:`DataValidationError`; nothing is
dropped, averaged or coerced silently. Two answers by one respondent to one item in one round are
an error, never averaged.

Choices where the brief is silent (documented in ``docs/data-contract.md``):

* a three-digit municipality code (a leading zero lost in Excel) is an error, unless the caller
  passes ``pad_codes=True``, in which case it is padded and a note says how many were;
* in Excel, a round cell that Excel turned into a date on the first of a month at midnight is read
  as that month (Excel does this to a typed ``2023-11``); any other date is an error;
* an answer written with a decimal comma or point is accepted when it is a whole number
  (``4,0``); ``4,5`` is an error;
* a wide file without a respondent id column gets ids ``row-N`` from its row numbers, with a note;
* a column that is neither canonical, an alias nor an item is an error, unless listed in
  ``ignore_columns``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..config import ModelConfig
from ..errors import DataValidationError, Problem
from ..io.files import is_synthetic
from ..io.tables import Table, read_table
from ..reference.items import ItemBank, load_item_bank
from ..reference.municipalities import municipalities
from .parsing import EXCEL_MONTH, MONTH, NUMBER, column_aliases, column_name, show, to_long

CANONICAL_COLUMNS = ("municipality_code", "round", "respondent_id", "unit", "role", "item_id",
                     "answer")


REQUIRED_LONG = ("municipality_code", "round", "respondent_id", "item_id", "answer")
ROUND_PATTERN = MONTH.pattern




def responses_schema(bank: ItemBank, config: ModelConfig) -> pa.DataFrameSchema:
    """The pandera schema of the canonical format (after parsing; empty cells are checked apart)."""
    codes = set(municipalities()["municipality_code"])
    lo, hi = config.scale_min, config.scale_max
    text: dict[str, Any] = {"nullable": True, "coerce": False}
    return pa.DataFrameSchema(
        {
            "municipality_code": pa.Column(None, [
                pa.Check.str_matches(r"^\d{4}$", error="expected a four-digit municipality code "
                                     "with its leading zero, e.g. '0114'"),
                pa.Check(lambda s: s.isin(codes) | ~s.str.fullmatch(r"\d{4}"),
                         element_wise=False,
                         error="expected a municipality code in SCB's list of the 290 "
                         "municipalities"),
            ], **text),
            "round": pa.Column(None, pa.Check.str_matches(
                ROUND_PATTERN, error="expected a round as YYYY-MM, e.g. '2023-11'"), **text),
            "respondent_id": pa.Column(None, **text),
            "item_id": pa.Column(None, pa.Check.isin(
                bank.item_ids, error=f"expected an item id of the item bank ({bank.version}), "
                f"e.g. {bank.item_ids[0]!r}"), **text),
            "answer": pa.Column(None, [
                pa.Check.in_range(lo, hi, error=f"expected a whole number from {lo} to {hi}, "
                                  "or 'vet ej'/empty for missing"),
                pa.Check(lambda s: s == np.round(s), error=f"expected a whole number from {lo} "
                         f"to {hi}, or 'vet ej'/empty for missing"),
            ], **text),
            "unit": pa.Column(None, required=False, **text),
            "role": pa.Column(None, required=False, **text),
        },
        strict=False,
    )


def _schema_problems(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str,
                     rows: np.ndarray, columns: Mapping[str, Any],
                     raw: dict[str, np.ndarray] | None = None) -> list[Problem]:
    """Run the schema lazily and turn its failure cases into problems naming file rows.

    ``raw`` maps a column to the text as it stood in the file, shown instead of the parsed value.
    """
    raw = raw or {}
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        out = []
        for column, check, value, index in zip(cases["column"], cases["check"],
                                               cases["failure_case"], cases["index"]):
            pos = int(index)
            col = columns[column]
            col_name = col if isinstance(col, str) else str(col[pos])
            shown = str(raw[column][pos]).strip() if column in raw else show(value)
            out.append(Problem(file, int(rows[pos]), col_name, shown, str(check)))
        return out
    return []


def _parse_answers(text: pd.Series, config: ModelConfig) -> tuple[pd.Series, pd.Series]:
    """Answer text → float (NaN for missing) and a mask of cells that are not numbers at all."""
    stripped = text.fillna("").astype(str).str.strip()
    missing = stripped.str.casefold().isin(config.missing_tokens)
    numeric = stripped.str.fullmatch(NUMBER.pattern)
    values = pd.to_numeric(stripped.where(numeric & ~missing).str.replace(",", ".", regex=False),
                           errors="coerce")
    unreadable = ~missing & ~numeric
    return values.astype(float), unreadable


def read_responses(
    path: str | Path,
    *,
    bank: ItemBank | None = None,
    config: ModelConfig | None = None,
    pad_codes: bool = False,
    ignore_columns: Iterable[str] = (),
    sheet: str | None = None,
) -> pd.DataFrame:
    """Import a DiMiOS export (CSV or Excel, long or wide) into the canonical long format.

    Parameters
    ----------
    path : path
        The file. See the module docstring for what is accepted.
    bank : ItemBank, optional
        The item bank that item ids are checked against (default: the packaged bank).
    config : ModelConfig, optional
        Scale and missing-answer tokens (default: the model defaults).
    pad_codes : bool
        Pad three-digit municipality codes with the lost leading zero (noted, not silent).
    ignore_columns : iterable of str
        Columns to leave out on purpose (an export's time stamp, say).
    sheet : str, optional
        The Excel sheet (default: the first).

    Returns
    -------
    DataFrame
        Columns :data:`CANONICAL_COLUMNS`; ``answer`` is float with NaN for missing; ``attrs``
        holds ``source`` (file name), ``notes`` (what was done that the user should know) and
        ``synthetic`` (True for the demo data, read from its ``.meta.json`` sidecar).

    Raises
    ------
    DataValidationError
        Listing every problem (file, row, column, value, expected). Nothing is returned then.
    """
    bank = load_item_bank() if bank is None else bank
    config = ModelConfig() if config is None else config
    table = read_table(path, sheet=sheet)
    frame, rows, columns, notes, problems = to_long(
        table, column_aliases(), bank.item_ids, ignore=set(ignore_columns),
        required_long=REQUIRED_LONG, required_wide=("municipality_code", "round"),
        unknown="unknown column: expected a canonical column, a Swedish alias (see "
                "docs/data-contract.md) or an item id of the item bank; leave it out on purpose "
                "with --ignore-column",
        wide_items="item id", no_id_note="no respondent id column: each row's respondent id is "
        "'row-N' from its row number")
    if frame is None:
        raise DataValidationError(problems)
    raw_answers = frame["answer"].to_numpy()
    frame, more, more_notes = _parse(frame, rows, columns, table, config, pad_codes)
    problems += more
    notes += more_notes
    raw = {"answer": raw_answers}
    problems += _schema_problems(frame, responses_schema(bank, config), table.file, rows, columns,
                                 raw)
    problems += _relational_problems(frame, rows, columns, table.file, raw)
    if problems:
        problems.sort(key=lambda p: (p.row is not None, p.row or 0, str(p.column)))
        raise DataValidationError(problems)
    frame = frame.reset_index(drop=True)
    frame.attrs.update(source=Path(path).name, notes=notes, synthetic=is_synthetic(Path(path)))
    return frame


def validate_responses(frame: pd.DataFrame, *, bank: ItemBank | None = None,
                       config: ModelConfig | None = None, name: str = "<data frame>"
                       ) -> pd.DataFrame:
    """Check a canonical frame built in Python against the contract.

    Rows are named by their position + 1. Returns the frame (columns in canonical order, missing
    optional columns added empty) or raises :class:`DataValidationError` listing every problem.
    """
    bank = load_item_bank() if bank is None else bank
    config = ModelConfig() if config is None else config
    missing = [c for c in REQUIRED_LONG if c not in frame.columns]
    if missing:
        raise DataValidationError([Problem(name, None, c, None, "expected this column")
                                   for c in missing])
    work = frame.reset_index(drop=True).copy()
    for col in ("unit", "role"):
        if col not in work:
            work[col] = pd.Series(np.nan, index=work.index, dtype=object)
    rows = np.arange(1, len(work) + 1)
    columns = {c: c for c in CANONICAL_COLUMNS}
    problems = []
    for col in ("municipality_code", "round", "respondent_id", "item_id"):
        bad = work[col].isna() | (work[col].astype(str).str.strip() == "")
        problems += [Problem(name, int(rows[i]), col, "", "expected a value")
                     for i in np.flatnonzero(bad.to_numpy())]
    answers = pd.to_numeric(work["answer"], errors="coerce")
    unreadable = answers.isna() & work["answer"].notna()
    problems += [Problem(name, int(rows[i]), "answer", str(work["answer"].iloc[i]),
                         "expected a number or missing") for i in np.flatnonzero(unreadable)]
    work["answer"] = answers.astype(float)
    work = work[list(CANONICAL_COLUMNS)]
    problems += _schema_problems(work, responses_schema(bank, config), name, rows, columns)
    problems += _relational_problems(work, rows, columns, name)
    if problems:
        raise DataValidationError(problems)
    return work


def _parse(frame: pd.DataFrame, rows: np.ndarray, columns: dict, table: Table,
           config: ModelConfig, pad_codes: bool):
    file = table.file
    problems: list[Problem] = []
    notes: list[str] = []

    out = pd.DataFrame(index=frame.index)
    for name in ("municipality_code", "round", "respondent_id", "item_id", "unit", "role"):
        if name not in frame:
            out[name] = pd.Series(np.nan, index=frame.index, dtype=object)
            continue
        values = frame[name].fillna("").astype(str).str.strip()
        empty = values == ""
        if name in ("unit", "role"):
            out[name] = values.where(~empty, np.nan).astype(object)
            continue
        for pos in np.flatnonzero(empty.to_numpy()):
            problems.append(Problem(file, int(rows[pos]), column_name(columns, name, pos), "",
                                    "expected a value"))
        out[name] = values.where(~empty, np.nan).astype(object)
    # Municipality codes: a lost leading zero gets a clear hint (or padding on request).
    codes = out["municipality_code"]
    short = codes.str.fullmatch(r"\d{3}").fillna(False).astype(bool)
    if short.any():
        if pad_codes:
            out.loc[short, "municipality_code"] = codes[short].str.zfill(4)
            notes.append(f"{int(short.sum())} three-digit municipality codes padded with a "
                         "leading zero (--pad-codes)")
        else:
            for pos in np.flatnonzero(short.to_numpy()):
                problems.append(Problem(
                    file, int(rows[pos]), column_name(columns, "municipality_code", pos), codes.iloc[pos],
                    "expected a four-digit municipality code: the leading zero was probably lost "
                    f"in Excel ('0{codes.iloc[pos]}'?); format the column as text, or pass "
                    "--pad-codes"))
                out.iloc[pos, out.columns.get_loc("municipality_code")] = np.nan
    # Rounds that Excel turned into dates.
    if table.encoding is None:
        extracted = out["round"].str.extract(EXCEL_MONTH, expand=True)[0]
        fixed = extracted.notna()
        if fixed.any():
            out.loc[fixed, "round"] = extracted[fixed]
            notes.append(f"{int(fixed.sum())} round cells that Excel stored as dates read as "
                         "their month (YYYY-MM)")
    answers, unreadable = _parse_answers(frame["answer"], config)
    for pos in np.flatnonzero(unreadable.to_numpy()):
        problems.append(Problem(file, int(rows[pos]), column_name(columns, "answer", pos),
                                str(frame["answer"].iloc[pos]),
                                f"expected a whole number from {config.scale_min} to "
                                f"{config.scale_max}, or 'vet ej'/empty for missing"))
    out["answer"] = answers
    return out[list(CANONICAL_COLUMNS)], problems, notes


def _relational_problems(frame: pd.DataFrame, rows: np.ndarray, columns: dict,
                         file: str, raw: dict[str, np.ndarray] | None = None) -> list[Problem]:
    """Duplicate answers, and respondents whose unit or role changes between answers."""
    problems: list[Problem] = []
    key = ["municipality_code", "round", "respondent_id", "item_id"]
    complete = frame[key].notna().all(axis=1)
    sub = frame.loc[complete, key]
    dup = sub.duplicated(keep=False)
    if dup.any():
        positions = np.flatnonzero(complete.to_numpy())[dup.to_numpy()]
        first_row: dict[tuple, int] = {}
        for pos in positions:
            k = tuple(frame.iloc[pos][key])
            if k not in first_row:
                first_row[k] = int(rows[pos])
                continue
            c = columns["answer"]
            problems.append(Problem(
                file, int(rows[pos]), c if isinstance(c, str) else str(c[pos]),
                str(raw["answer"][pos]).strip() if raw else show(frame["answer"].iloc[pos]),
                f"duplicate answer by respondent {k[2]!r} to item {k[3]!r} in {k[1]} (first on "
                f"row {first_row[k]}); duplicates are never averaged: remove one"))
    rkey = ["municipality_code", "round", "respondent_id"]
    for attr in ("unit", "role"):
        if frame[attr].isna().all():
            continue
        sub = frame.loc[complete, rkey + [attr]].fillna({attr: ""})
        counts = sub.groupby(rkey, sort=False)[attr].nunique()
        bad = counts[counts > 1]
        if bad.empty:
            continue
        firsts = sub.drop_duplicates(rkey)[rkey + [attr]].set_index(rkey)[attr]
        mask = sub.set_index(rkey).index.isin(bad.index)
        for pos in np.flatnonzero(complete.to_numpy())[mask]:
            k = tuple(frame.iloc[pos][rkey])
            value = frame[attr].iloc[pos]
            value = "" if pd.isna(value) else value
            if value != firsts.loc[k]:
                c = columns.get(attr, attr)
                problems.append(Problem(
                    file, int(rows[pos]), c if isinstance(c, str) else attr, value,
                    f"expected the same {attr} for all answers of respondent {k[2]!r} in {k[1]} "
                    f"(first: {firsts.loc[k]!r})"))
    return problems
