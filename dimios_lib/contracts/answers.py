"""Answers as numbers: digits (a whole number written ``4,0`` is 4), the missing tokens (``vet
ej``, empty), and answers that a survey tool exported as the scale's *labels*.

A label scale maps answer texts to values. The packaged one (``data/answer_labels.csv``) knows
the end labels of the usual Swedish and English six-point scales (``Instämmer inte alls`` = 1,
``Instämmer helt`` = 6; an *assumption*: the survey's own wording may differ); a user's file
(``--answer-labels``), with the columns ``label`` and ``value``, replaces it. Labels are
compared ignoring case and blanks. A number standing with a label (``"4 - Instämmer delvis"``,
``"Instämmer helt (6)"``) is read as the number; when the label is known and says otherwise,
the answer is a problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem
from ..io.files import packaged_file
from ..io.tables import header_key, read_table
from .parsing import NUMBER

DEFAULT_LABELS = "answer_labels.csv"
LABEL_COLUMNS = ("label", "etikett", "svarsalternativ", "text", "svar")
VALUE_COLUMNS = ("value", "värde", "varde", "svarsvärde", "poäng")
_LEADING = re.compile(r"^\(?(\d{1,2})\)?\s*(?:[-–—:.)=]\s*|\s+)(\S.*)$")
_TRAILING = re.compile(r"^(\S.*?)\s*\((\d{1,2})\)$")


@dataclass(frozen=True)
class AnswerScale:
    """Answer labels (compared by :func:`~dimios_lib.io.tables.header_key`) and their values.

    ``source`` names where the labels come from (``packaged`` or a file name).
    """

    labels: Mapping[str, int]
    source: str = "packaged"

    def value(self, text: str) -> tuple[float | None, str]:
        """The value of an answer text and how it was read (``label``, ``number and label``),
        or ``(None, why)`` when it is not an answer.

        Examples
        --------
        >>> s = AnswerScale({"instämmer helt": 6, "instämmer inte alls": 1})
        >>> s.value("Instämmer  HELT"), s.value("4 - Instämmer delvis"), s.value("Bra")
        ((6, 'label'), (4, 'number and label'), (None, 'unknown'))
        >>> s.value("2 - Instämmer helt")
        (None, "the number 2 and the label 'Instämmer helt' (6) disagree")
        """
        key = header_key(text)
        if key in self.labels:
            return self.labels[key], "label"
        m = _LEADING.match(text.strip())
        number, label = (m.group(1), m.group(2)) if m else (None, None)
        if m is None:
            m = _TRAILING.match(text.strip())
            if m:
                label, number = m.group(1), m.group(2)
        if number is None or label is None:
            return None, "unknown"
        known = self.labels.get(header_key(label))
        if known is not None and known != int(number):
            return None, (f"the number {number} and the label {label.strip()!r} ({known}) "
                          "disagree")
        return int(number), "number and label"


def load_answer_scale(path: str | Path | None = None) -> AnswerScale:
    """The label scale of a file with the columns ``label`` and ``value`` (``etikett``,
    ``värde`` in Swedish); the packaged one when ``path`` is None.

    Raises
    ------
    DataValidationError
        Missing columns, a value that is no whole number, a label given two values.

    Examples
    --------
    >>> load_answer_scale().labels["instämmer helt"]
    6
    """
    table = read_table(packaged_file(DEFAULT_LABELS) if path is None else path)
    frame = table.frame
    keys = {header_key(c): c for c in frame.columns}
    label = next((keys[k] for k in LABEL_COLUMNS if k in keys), None)
    value = next((keys[k] for k in VALUE_COLUMNS if k in keys), None)
    if label is None or value is None:
        raise DataValidationError([Problem(table.file, table.header_row, None,
                                           ", ".join(frame.columns),
                                           "expected the columns 'label' and 'value' (the "
                                           "answer as the export writes it, and its number)",
                                           kind="answer labels")])
    labels: dict[str, int] = {}
    problems = []
    for row, text, number in zip(frame.index, frame[label], frame[value]):
        text, number = (text or "").strip(), (number or "").strip()
        if not text:
            continue
        if not re.fullmatch(r"[+-]?\d+", number):
            problems.append(Problem(table.file, int(row), value, number,
                                    "expected a whole number", kind="answer labels"))
            continue
        key = header_key(text)
        if key in labels and labels[key] != int(number):
            problems.append(Problem(table.file, int(row), label, text,
                                    f"this label already has the value {labels[key]}",
                                    kind="answer labels"))
            continue
        labels[key] = int(number)
    if problems:
        raise DataValidationError(problems)
    return AnswerScale(labels, "packaged" if path is None else Path(path).name)


def parse_answers(text: pd.Series, missing_tokens, scale: AnswerScale | None = None
                  ) -> tuple[pd.Series, pd.Series, pd.Series, dict[str, str]]:
    """Answer cells → float (NaN for missing), a mask of cells that are no answer, how each
    cell was read through the label scale (``label``, ``number and label`` or ``""``), and why
    refused labels were refused.

    Examples
    --------
    >>> v, bad, way, why = parse_answers(pd.Series(["4", "4,0", "Vet ej", "Instämmer helt",
    ...                                             "x"]), ("vet ej", ""), load_answer_scale())
    >>> v.tolist(), bad.tolist(), way.tolist()
    ([4.0, 4.0, nan, 6.0, nan], [False, False, False, False, True], ['', '', '', 'label', ''])
    """
    stripped = text.fillna("").astype(str).str.strip()
    missing = stripped.str.casefold().isin(missing_tokens)
    numeric = stripped.str.fullmatch(NUMBER.pattern)
    values = pd.to_numeric(stripped.where(numeric & ~missing).str.replace(",", ".", regex=False),
                           errors="coerce").astype(float)
    unreadable = ~missing & ~numeric
    ways = pd.Series("", index=text.index, dtype=object)
    why: dict[str, str] = {}
    if scale is not None and unreadable.any():
        found = {}
        for u in pd.unique(stripped[unreadable]):
            v, way = scale.value(u)
            if v is None:
                if way != "unknown":
                    why[u] = way
                continue
            found[u] = (float(v), way)
        if found:
            hit = unreadable & stripped.isin(list(found))
            values = values.where(~hit, stripped[hit].map({u: v for u, (v, _) in found.items()}))
            ways = ways.where(~hit, stripped[hit].map({u: w for u, (_, w) in found.items()}))
            unreadable = unreadable & ~hit
    return values.astype(float), unreadable, ways, why


def label_note(how: Mapping[str, int], scale: AnswerScale) -> str | None:
    """The note saying how many answers were read through labels, or None."""
    n = sum(how.values())
    if not n:
        return None
    source = "the packaged label scale" if scale.source == "packaged" else scale.source
    ways = []
    if how.get("label"):
        ways.append(f"{how['label']:,} written as the scale's label ({source})")
    if how.get("number and label"):
        ways.append(f"{how['number and label']:,} as a number with its label")
    return f"{n:,} answer{'s' if n != 1 else ''} read as numbers: " + "; ".join(ways)

