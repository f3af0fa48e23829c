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

:func:`read_responses` imports one export or several (a list of files, or a folder: one export
per round is the normal case), long or wide, CSV or Excel, with Swedish conventions and as survey
tools and Excel write them (see :mod:`dimios_lib.io.tables`): question texts as column names
(:mod:`~dimios_lib.contracts.headers`), answers as labels (:mod:`~dimios_lib.contracts.answers`),
a municipality name beside the code (checked against it). The files are checked together:
duplicates across files and one round of a municipality in two files are problems
(:mod:`~dimios_lib.contracts.checks`). :func:`validate_responses` checks a frame built in Python
against the same contract. Both report *every* problem at once and raise
:class:`DataValidationError`; nothing is dropped, averaged or coerced silently. Two answers by
one respondent to one item in one round are an error, never averaged; an input without answers
is an error too.

Choices where the brief is silent (documented in ``docs/data-contract.md``):

* a three-digit municipality code (a leading zero lost in Excel) is an error, unless the caller
  passes ``pad_codes=True``, in which case it is padded and a note says how many were;
* in Excel, a round cell that Excel turned into a date on the first of a month at midnight is read
  as that month (Excel does this to a typed ``2023-11``); any other date is an error;
* an answer written with a decimal comma or point is accepted when it is a whole number
  (``4,0``); ``4,5`` is an error;
* a wide file without a respondent id column gets ids ``row-N`` from its row numbers, with a note;
* a column that is neither canonical, an alias, a known extra column (``Kommunnamn``) nor an item
  is an error, unless listed in ``ignore_columns``;
* demo data marked SYNTHETIC is never read together with other data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..config import ModelConfig
from ..errors import DataValidationError, Problem
from ..io.files import is_synthetic
from ..io.tables import Table, data_files, read_table
from ..reference.items import ItemBank, load_item_bank
from ..reference.municipalities import municipalities
from .answers import AnswerScale, label_note, load_answer_scale, parse_answers
from .checks import (
    Origins,
    empty_problems,
    name_problems,
    relational_problems,
    same_round_problems,
)
from .headers import HOW, ItemHeaders, item_headers
from .parsing import EXCEL_MONTH, MONTH, column_aliases, column_name, show, to_long

CANONICAL_COLUMNS = ("municipality_code", "round", "respondent_id", "unit", "role", "item_id",
                     "answer")
REQUIRED_LONG = ("municipality_code", "round", "respondent_id", "item_id", "answer")
ROUND_PATTERN = MONTH.pattern
EXTRA_ALIASES = {"kommunnamn": "municipality_name", "kommun namn": "municipality_name",
                 "kommun_namn": "municipality_name", "municipality_name": "municipality_name",
                 "municipality name": "municipality_name"}
"""Known extra columns: read and checked, never part of the canonical frame."""
UNKNOWN = ("unknown column: expected a canonical column, a Swedish alias (see "
           "docs/data-contract.md), an item id or a question text of the item bank; map your "
           "own wording to item ids with --item-map, or leave the column out on purpose with "
           "--ignore-column")
NO_ID_NOTE = "no respondent id column: each row's respondent id is 'row-N' from its row number"
Paths = str | Path | Sequence[str | Path]


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
    """Run the schema lazily on each column's *distinct* values and turn its failure cases into
    problems naming every file row that holds a failing value.

    Every check of the schema looks at one value at a time, so checking the distinct values is
    checking every cell: a 200 MB export has a few hundred distinct codes, rounds, items and
    answers. ``raw`` maps a column to the text as it stood in the file, shown instead of the
    parsed value.
    """
    raw = raw or {}
    codes: dict[str, np.ndarray] = {}
    distinct: dict[str, pd.Series] = {}
    for name in schema.columns:
        if name not in frame:
            continue
        c, u = pd.factorize(frame[name], use_na_sentinel=True)
        codes[name] = c
        distinct[name] = pd.Series(u, dtype=frame[name].dtype)
    reduced = pd.DataFrame(distinct)  # shorter columns padded with missing values, which pass
    try:
        schema.validate(reduced, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        out = []
        for column, check, value, index in zip(cases["column"], cases["check"],
                                               cases["failure_case"], cases["index"]):
            for pos in np.flatnonzero(codes[column] == int(index)):
                col = columns[column]
                col_name = col if isinstance(col, str) else str(col[pos])
                shown = str(raw[column][pos]).strip() if column in raw else show(value)
                out.append(Problem(file, int(rows[pos]), col_name, shown, str(check),
                                   kind=f"{column}: {check}"))
        out.sort(key=lambda p: p.row or 0)
        return out
    return []


def response_files(path: Paths) -> tuple[list[Path], list[Problem]]:
    """The files an input names: a file, a folder's table files, or each of a list (a file
    named twice counts once); problems for names that do not exist and folders without table
    files.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("2024-05.csv", "2023-11.xlsx"):
    ...     _ = (folder / name).write_text("x")
    >>> files, problems = response_files([folder, folder / "2024-05.csv", folder / "x.csv"])
    >>> [f.name for f in files], [p.expected for p in problems]
    (['2023-11.xlsx', '2024-05.csv'], ['file or folder not found'])
    """
    items = [path] if isinstance(path, (str, Path)) else list(path)
    files: list[Path] = []
    problems: list[Problem] = []
    for item in items:
        p = Path(item)
        if not p.exists():
            problems.append(Problem(str(p), None, None, None, "file or folder not found",
                                    kind="not found"))
        elif p.is_dir():
            found = data_files(p)
            if not found:
                problems.append(Problem(str(p), None, None, None, "the folder holds no CSV or "
                                        "Excel file", kind="empty"))
            files += found
        else:
            files.append(p)
    seen: set[Path] = set()
    unique = []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    if not unique and not problems:
        problems.append(Problem("<input>", None, None, None, "no file given", kind="empty"))
    return unique, problems


@dataclass
class _Part:
    """One file through the contract, before the files are checked together."""

    name: str
    frame: pd.DataFrame | None = None
    rows: np.ndarray | None = None
    columns: Mapping[str, Any] = field(default_factory=dict)
    raw_answers: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    generated: bool = False
    synthetic: bool = False


def read_responses(
    path: Paths,
    *,
    bank: ItemBank | None = None,
    config: ModelConfig | None = None,
    pad_codes: bool = False,
    ignore_columns: Iterable[str] = (),
    sheet: str | None = None,
    item_map: Mapping[str, str] | None = None,
    answer_scale: AnswerScale | None = None,
) -> pd.DataFrame:
    """Import DiMiOS exports (CSV or Excel, long or wide; one file, several, or a folder) into
    the canonical long format.

    Parameters
    ----------
    path : path or sequence of paths
        A file, a folder (its CSV and Excel files, sorted by name) or a list of either. See the
        module docstring for what is accepted.
    bank : ItemBank, optional
        The item bank that item ids and question texts are checked against (default: the
        packaged bank).
    config : ModelConfig, optional
        Scale and missing-answer tokens (default: the model defaults).
    pad_codes : bool
        Pad three-digit municipality codes with the lost leading zero (noted, not silent).
    ignore_columns : iterable of str
        Columns to leave out on purpose (an export's time stamp, say).
    sheet : str, optional
        The Excel sheet (default: the first visible sheet with known column names).
    item_map : mapping, optional
        The export's column names (a user's own question wording) -> item ids
        (:func:`~dimios_lib.contracts.headers.read_item_map`).
    answer_scale : AnswerScale, optional
        Answer labels and their values (default: the packaged scale,
        :func:`~dimios_lib.contracts.answers.load_answer_scale`).

    Returns
    -------
    DataFrame
        Columns :data:`CANONICAL_COLUMNS`; ``answer`` is float with NaN for missing; ``attrs``
        holds ``source`` (the file names, comma-separated), ``sources`` (the list of them),
        ``notes`` (what was recognised or done that the user should know) and ``synthetic``
        (True for the demo data, read from its ``.meta.json`` sidecar).

    Raises
    ------
    DataValidationError
        Listing every problem of every file (file, row, column, value, expected). Nothing is
        returned then.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "2023-11.csv").write_text(
    ...     "Kommunkod;Omgång;Respondent;Fråga;Svar\\n1883;2023-11;r1;EFF1;Instämmer helt\\n",
    ...     encoding="utf-8")
    >>> _ = (folder / "2024-05.csv").write_text(
    ...     "Kommunkod;Omgång;Respondent;Öppna data\\n1883;2024-05;r1;4\\n", encoding="utf-8")
    >>> data = read_responses(folder)
    >>> data[["round", "item_id", "answer"]].to_numpy().tolist()
    [['2023-11', 'EFF1', 6.0], ['2024-05', 'INN2', 4.0]]
    >>> data.attrs["sources"]
    ['2023-11.csv', '2024-05.csv']
    """
    bank = load_item_bank() if bank is None else bank
    config = ModelConfig() if config is None else config
    scale = load_answer_scale() if answer_scale is None else answer_scale
    files, problems = response_files(path)
    headers = item_headers(bank, dict(item_map or {}))
    several = len(files) > 1
    parts = [_read_one(f, bank=bank, config=config, headers=headers, scale=scale,
                       pad_codes=pad_codes, ignore=set(ignore_columns), sheet=sheet,
                       id_prefix=f"{f.name}:" if several else "") for f in files]
    for part in parts:
        problems += part.problems
    good = [p for p in parts if p.frame is not None]
    notes = [(f"{p.name}: {n}" if several else n) for p in parts for n in p.notes]
    kinds = {p.synthetic for p in parts}
    if len(kinds) > 1:
        synthetic = [p.name for p in parts if p.synthetic]
        problems.append(Problem(synthetic[0], None, None, None, "SYNTHETIC demo data cannot be "
                                "read together with real data: leave it out", kind="synthetic"))
    frame, origins = _combine(good)
    if frame is not None and origins is not None:
        raw = (np.concatenate([p.raw_answers for p in good]) if good else None)
        problems += relational_problems(frame, origins, raw)
        more, more_notes = same_round_problems(frame, origins)
        problems += more
        notes += more_notes
    if problems or frame is None:
        order = {p.name: k for k, p in enumerate(parts)}
        problems.sort(key=lambda p: (order.get(p.file, -1), p.row is not None, p.row or 0,
                                     str(p.column)))
        raise DataValidationError(problems, notes=notes)
    frame = frame[list(CANONICAL_COLUMNS)]
    names = [Path(p.name).name for p in parts]
    frame.attrs.update(source=", ".join(names), sources=names, notes=notes,
                       synthetic=bool(parts) and all(p.synthetic for p in parts))
    return frame


def _combine(parts: list[_Part]) -> tuple[pd.DataFrame | None, Origins | None]:
    if not parts:
        return None, None
    frames = [p.frame for p in parts if p.frame is not None]
    sizes = [len(f) for f in frames]
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else \
        frames[0].reset_index(drop=True)
    origins = Origins(files=[p.name for p in parts],
                      file=np.repeat(np.arange(len(parts)), sizes),
                      rows=np.concatenate([p.rows for p in parts if p.rows is not None]),
                      offsets=np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.intp),
                      columns=[p.columns for p in parts], generated=[p.generated for p in parts])
    return frame, origins


def _header_names(aliases: Mapping[str, str], headers: ItemHeaders) -> set[str]:
    return set(aliases) | headers.keys()


def _unknown(headers: ItemHeaders):
    def message(header: str) -> str:
        close = headers.suggestion(header)
        return UNKNOWN if close is None else f"{UNKNOWN}; did you mean the question {close}?"
    return message


def _read_one(path: Path, *, bank: ItemBank, config: ModelConfig, headers: ItemHeaders,
              scale: AnswerScale, pad_codes: bool, ignore: set[str], sheet: str | None,
              id_prefix: str) -> _Part:
    """One file through the contract: read, map columns, melt, parse and check every cell."""
    part = _Part(str(path), synthetic=is_synthetic(path))
    aliases = {**column_aliases(), **EXTRA_ALIASES}
    try:
        table = read_table(path, sheet=sheet, header_names=_header_names(aliases, headers))
    except DataValidationError as exc:
        part.problems = exc.problems
        return part
    part.notes += list(table.notes)
    frame, rows, columns, notes, problems = to_long(
        table, aliases, bank.item_ids, ignore=ignore, required_long=REQUIRED_LONG,
        required_wide=("municipality_code", "round"), unknown=_unknown(headers),
        wide_items="item id or question text", match=headers.match, how=HOW,
        id_prefix=id_prefix, no_id_note=NO_ID_NOTE)
    part.notes += notes
    part.problems += problems
    if frame is None:
        return part
    part.generated = NO_ID_NOTE in notes
    if frame.empty:
        part.problems += empty_problems(frame, [part.name], np.zeros(0, dtype=np.intp),
                                        ["answer"])
        return part
    raw_answers = frame["answer"].to_numpy()
    out, more, more_notes, unreadable = _parse(frame, rows, columns, table, config, scale,
                                               pad_codes)
    part.problems += more
    part.notes += more_notes
    if "municipality_name" in frame:
        out["municipality_name"] = frame["municipality_name"].to_numpy()
    origins = Origins.single(part.name, rows, columns)
    names = dict(zip(municipalities()["municipality_code"],
                     municipalities()["municipality_name"]))
    more, more_notes = name_problems(out, origins, names)
    part.problems += more
    part.notes += more_notes
    part.problems += _schema_problems(out, responses_schema(bank, config), part.name, rows,
                                      columns, {"answer": raw_answers})
    if not unreadable:
        part.problems += empty_problems(out, [part.name], np.zeros(len(out), dtype=np.intp),
                                        [column_name(columns, "answer", 0)])
    part.frame = out[list(CANONICAL_COLUMNS)]
    part.rows = np.asarray(rows)
    part.columns = columns
    part.raw_answers = raw_answers
    return part


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
        problems += [Problem(name, int(rows[i]), col, "", "expected a value", kind="empty cell")
                     for i in np.flatnonzero(bad.to_numpy())]
    answers = pd.to_numeric(work["answer"], errors="coerce")
    unreadable = answers.isna() & work["answer"].notna()
    problems += [Problem(name, int(rows[i]), "answer", str(work["answer"].iloc[i]),
                         "expected a number or missing") for i in np.flatnonzero(unreadable)]
    work["answer"] = answers.astype(float)
    work = work[list(CANONICAL_COLUMNS)]
    problems += _schema_problems(work, responses_schema(bank, config), name, rows, columns)
    problems += relational_problems(work, Origins.single(name, rows, columns))
    if not unreadable.any():
        problems += empty_problems(work, [name], np.zeros(len(work), dtype=np.intp), ["answer"])
    if problems:
        raise DataValidationError(problems)
    return work


def _distinct(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A text column as codes into its distinct values, trimmed (``None`` and blank cells:
    ``""``, the last distinct value, code -1)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    trimmed = np.array([("" if u is None else str(u)).strip() for u in uniques] + [""],
                       dtype=object)
    return codes, trimmed


def _parse(frame: pd.DataFrame, rows: np.ndarray, columns: dict, table: Table,
           config: ModelConfig, scale: AnswerScale, pad_codes: bool):
    """Every cell of one file parsed: text trimmed, codes padded on request, Excel's dates of
    rounds read as months, answers as numbers. Returns the canonical frame, problems, notes and
    whether any answer was unreadable. Each column is parsed through its distinct values."""
    file = table.file
    problems: list[Problem] = []
    notes: list[str] = []
    out = pd.DataFrame(index=frame.index)
    for name in ("municipality_code", "round", "respondent_id", "item_id", "unit", "role"):
        if name not in frame:
            out[name] = pd.Series(np.nan, index=frame.index, dtype=object)
            continue
        codes, values = _distinct(frame[name])
        empty = values == ""
        if name == "municipality_code":
            short = np.array([bool(re.fullmatch(r"\d{3}", v)) for v in values], dtype=bool)
            if short.any() and pad_codes:
                values = np.array([v.zfill(4) if s else v for v, s in zip(values, short)],
                                  dtype=object)
                notes.append(f"{int(short[codes].sum())} three-digit municipality codes padded "
                             "with a leading zero (--pad-codes)")
            elif short.any():
                for pos in np.flatnonzero(short[codes]):
                    code = values[codes[pos]]
                    problems.append(Problem(
                        file, int(rows[pos]), column_name(columns, name, pos), code,
                        "expected a four-digit municipality code: the leading zero was probably "
                        f"lost in Excel ('0{code}'?); format the column as text, or pass "
                        "--pad-codes", kind="three-digit code"))
                empty = empty | short
        if name == "round" and table.encoding is None:  # rounds that Excel turned into dates
            months = [EXCEL_MONTH.fullmatch(v) for v in values]
            fixed = np.array([m is not None for m in months], dtype=bool)
            if fixed.any():
                values = np.array([m.group(1) if m else v for v, m in zip(values, months)],
                                  dtype=object)
                notes.append(f"{int(fixed[codes].sum())} round cells that Excel stored as dates "
                             "read as their month (YYYY-MM)")
        if name not in ("unit", "role") and (values == "").any():
            for pos in np.flatnonzero((values == "")[codes]):
                problems.append(Problem(file, int(rows[pos]), column_name(columns, name, pos),
                                        "", "expected a value", kind="empty cell"))
        shown = values.copy()
        shown[empty] = np.nan
        out[name] = shown[codes]
    codes, uniques = pd.factorize(frame["answer"].fillna(""), use_na_sentinel=False)
    answers, unreadable, ways, why = parse_answers(pd.Series(uniques, dtype=object),
                                                   config.missing_tokens, scale)
    expected = (f"expected a whole number from {config.scale_min} to {config.scale_max}, "
                "a label of the answer scale, or 'vet ej'/empty for missing")
    bad = unreadable.to_numpy()[codes]
    for pos in np.flatnonzero(bad):
        text = str(frame["answer"].iloc[pos])
        problems.append(Problem(file, int(rows[pos]), column_name(columns, "answer", pos), text,
                                why.get(text.strip(), expected), kind="answer text"))
    counts = np.bincount(codes, minlength=len(uniques))
    how = {str(w): int(counts[(ways == w).to_numpy()].sum()) for w in set(ways) if w}
    note = label_note(how, scale)
    if note:
        notes.append(note)
    out["answer"] = answers.to_numpy()[codes]
    problems.sort(key=lambda p: p.row or 0)
    return out[list(CANONICAL_COLUMNS)], problems, notes, bool(bad.any())
