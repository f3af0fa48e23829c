"""Checks of DiMiOS answers that look across rows and files: duplicate answers, a respondent's
unit or role changing, one round of a municipality in two files, a municipality name that does
not match its code, and data with no answers at all.

The answers of several files are checked together; :class:`Origins` knows which file and row
(and which of the file's columns) every answer came from, so each problem names them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem
from ..io.tables import header_key
from .parsing import show

KEY = ["municipality_code", "round", "respondent_id", "item_id"]
RESPONDENT = ["municipality_code", "round", "respondent_id"]


@dataclass
class Origins:
    """Where each answer of a combined frame came from.

    ``files`` are the file names as given, ``file`` each answer's position in ``files``,
    ``rows`` its row in that file, ``offsets`` the first answer of each file, ``columns`` each
    file's canonical column -> header (an array per answer for a melted wide file) and
    ``generated`` whether each file's respondent ids were made from row numbers.
    """

    files: list[str]
    file: np.ndarray
    rows: np.ndarray
    offsets: np.ndarray
    columns: list[Mapping[str, Any]]
    generated: list[bool]

    @classmethod
    def single(cls, name: str, rows: np.ndarray, columns: Mapping[str, Any],
               generated: bool = False) -> Origins:
        return cls([name], np.zeros(len(rows), dtype=np.intp), np.asarray(rows),
                   np.array([0]), [columns], [generated])

    def column(self, pos: int, name: str) -> str:
        """The header, in the answer's own file, of canonical column ``name``."""
        f = int(self.file[pos])
        c = self.columns[f].get(name, name)
        return c if isinstance(c, str) else str(c[pos - self.offsets[f]])

    def problem(self, pos: int, name: str, value: str | None, expected: str, kind: str
                ) -> Problem:
        return Problem(self.files[int(self.file[pos])], int(self.rows[pos]),
                       self.column(pos, name), value, expected, kind=kind)

    def place(self, pos: int, other: int) -> str:
        """Where answer ``pos`` stands, said from answer ``other``'s file."""
        if self.file[pos] == self.file[other]:
            return f"row {int(self.rows[pos])}"
        return f"{Path(self.files[int(self.file[pos])]).name} row {int(self.rows[pos])}"


def _codes(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The columns as integer codes (missing: -1): keys compared fast."""
    return pd.DataFrame({c: pd.factorize(frame[c], use_na_sentinel=True)[0] for c in columns})


def relational_problems(frame: pd.DataFrame, origins: Origins,
                        raw_answers: np.ndarray | None = None) -> list[Problem]:
    """Duplicate answers (never averaged), and respondents whose unit or role changes between
    answers."""
    problems: list[Problem] = []
    codes = _codes(frame, KEY)
    complete = (codes.to_numpy() >= 0).all(axis=1)
    dup = codes.duplicated(keep=False).to_numpy() & complete
    if dup.any():
        pos = np.flatnonzero(dup)
        group = codes.iloc[pos].groupby(KEY, sort=False).ngroup().to_numpy()
        order = np.argsort(group, kind="stable")
        group, pos = group[order], pos[order]
        first = np.ones(len(group), dtype=bool)
        first[1:] = group[1:] != group[:-1]
        first_pos = pos[np.maximum.accumulate(np.where(first, np.arange(len(pos)), 0))]
        rid, item, rnd = (frame[c].to_numpy() for c in ("respondent_id", "item_id", "round"))
        answers = frame["answer"].to_numpy()
        for p, f in zip(pos[~first], first_pos[~first]):
            value = (str(raw_answers[p]).strip() if raw_answers is not None else show(answers[p]))
            problems.append(origins.problem(
                int(p), "answer", value,
                f"duplicate answer by respondent {rid[p]!r} to item {item[p]!r} in {rnd[p]} "
                f"(first on {origins.place(int(f), int(p))}); duplicates are never averaged: "
                "remove one", kind="duplicate answer"))
        problems.sort(key=lambda q: (q.file, q.row or 0))
    for attr in ("unit", "role"):
        if attr not in frame or frame[attr].isna().all():
            continue
        sub = codes[RESPONDENT].assign(**{attr: pd.factorize(frame[attr].fillna(""))[0]})
        sub = sub[complete]
        counts = sub.groupby(RESPONDENT, sort=False)[attr].nunique()
        bad = counts[counts > 1]
        if bad.empty:
            continue
        mask = sub.set_index(RESPONDENT).index.isin(bad.index)
        positions = np.flatnonzero(complete)[mask]
        firsts: dict[tuple, object] = {}
        for p in positions:
            k = tuple(frame.iloc[p][RESPONDENT])
            value = frame[attr].iloc[p]
            value = "" if pd.isna(value) else value
            if k not in firsts:
                firsts[k] = value
            elif value != firsts[k]:
                problems.append(origins.problem(
                    int(p), attr, value,
                    f"expected the same {attr} for all answers of respondent {k[2]!r} in "
                    f"{k[1]} (first: {firsts[k]!r})", kind=f"{attr} changes"))
    return problems


def same_round_problems(frame: pd.DataFrame, origins: Origins) -> tuple[list[Problem], list[str]]:
    """One round of a municipality in several files: a problem when the files share
    respondents or a file has no respondent ids (the same export given twice, most likely);
    a note when their respondents differ (one file per unit, say)."""
    problems: list[Problem] = []
    notes: list[str] = []
    if len(origins.files) < 2:
        return problems, notes
    keys = pd.DataFrame({"municipality_code": frame["municipality_code"],
                         "round": frame["round"], "file": origins.file})
    spread = keys.drop_duplicates().groupby(["municipality_code", "round"], sort=True)["file"]
    for (code, rnd), files in spread:
        files = sorted(set(files))
        if len(files) < 2:
            continue
        names = [Path(origins.files[f]).name for f in files]
        shown = ", ".join(names)
        sel = ((frame["municipality_code"] == code) & (frame["round"] == rnd)).to_numpy()
        ids = pd.DataFrame({"id": frame["respondent_id"].to_numpy()[sel],
                            "file": origins.file[sel]}).drop_duplicates()
        shared = int(ids["id"].duplicated().sum())
        generated = [Path(origins.files[f]).name for f in files if origins.generated[f]]
        if shared or generated:
            why = (f"{shared:,} respondent id{'s' if shared != 1 else ''} in more than one of "
                   "them" if shared else f"{', '.join(generated)} has no respondent ids to tell "
                   "its respondents apart")
            problems.append(Problem(origins.files[files[1]], None, None, f"{code} {rnd}",
                                    f"round {rnd} of municipality {code} is also in "
                                    f"{names[0]} ({why}): give each round once, or leave one "
                                    "of the files out", kind="same round"))
        else:
            notes.append(f"round {rnd} of municipality {code} comes from {len(files)} files "
                         f"({shown}) with different respondents")
    return problems, notes


def name_problems(frame: pd.DataFrame, origins: Origins, names: Mapping[str, str]
                  ) -> tuple[list[Problem], list[str]]:
    """A municipality name column checked against the codes (SCB's names; case, blanks, a
    hyphen and a trailing "kommun" or "stad" aside): one problem per name that does not match
    its code, on its first row."""
    if "municipality_name" not in frame:
        return [], []
    given = frame["municipality_name"].fillna("").astype(str).str.strip()
    pairs = pd.DataFrame({"code": frame["municipality_code"], "name": given})
    problems = []
    first = pairs.drop_duplicates()
    counts = pairs.value_counts(dropna=False)
    for pos, code, name in zip(first.index, first["code"], first["name"]):
        if not name or pd.isna(code) or code not in names:
            continue
        if _name_key(name) != _name_key(names[code]):
            n = int(counts.get((code, name), 1))
            problems.append(origins.problem(
                int(pos), "municipality_name", name,
                f"expected {names[code]!r}, the name of municipality {code} in SCB's list "
                f"({n:,} row{'s' if n != 1 else ''}): is the code or the name wrong?",
                kind="municipality name"))
    note = [] if problems else [f"the municipality names ({frame['municipality_name'].nunique()}) "
                                "checked against the codes: all match"]
    return problems, note


def _name_key(name: str) -> str:
    key = header_key(name).replace("-", " ")
    for tail in (" kommun", " stad", " municipality"):
        key = key.removesuffix(tail)
    return " ".join(key.split())


def empty_problems(frame: pd.DataFrame, files: Sequence[str], file_of: np.ndarray,
                   answer_column: Sequence[str]) -> list[Problem]:
    """A file with no rows, or whose every answer is missing: nothing to score."""
    problems = []
    for f, name in enumerate(files):
        mine = file_of == f
        if not mine.any():
            problems.append(Problem(name, None, None, None, "no answers: the file has a header "
                                    "but no rows of answers", kind="empty"))
        elif frame["answer"].to_numpy()[mine].size and np.isnan(
                frame["answer"].to_numpy(dtype=float)[mine]).all():
            problems.append(Problem(name, None, answer_column[f], None,
                                    "no answer on the scale: every answer is missing ('vet ej' "
                                    "or empty)", kind="empty"))
    return problems
