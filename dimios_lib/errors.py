"""Exceptions of the library: one root, a few meaningful subclasses.

Validation errors carry *every* problem found, each as a :class:`Problem` that names the file,
row, column, value and what was expected, so that a user can fix a file in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class DimiosError(Exception):
    """Root of every error this library raises on purpose."""


class ConfigError(DimiosError):
    """A model configuration value is out of range or inconsistent."""


class UnknownReferenceError(DimiosError):
    """An unknown municipality, county or group was asked for."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    ``row`` is the row number as the user sees it in the file (the header is row 1 in a CSV file
    and in a spreadsheet), or ``None`` for a problem of the whole file or of a column. ``kind``
    names problems that belong together although their wording differs (every duplicate answer,
    say); problems of one file, column and kind (or, without a kind, the same ``expected``) are
    shown as one group (:func:`summarise`).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    kind: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        where = ", ".join(parts)
        value = "" if self.value is None else f" value {self.value!r}:"
        return f"{where}:{value} {self.expected}"


@dataclass
class ProblemGroup:
    """Problems of one file that have one cause (see :func:`group_problems`)."""

    file: str
    column: str | None
    expected: str
    problems: list[Problem]

    def __len__(self) -> int:
        return len(self.problems)

    @property
    def columns(self) -> list[str]:
        """The distinct columns of the group's problems, in order."""
        return [c for c in dict.fromkeys(p.column for p in self.problems) if c is not None]


def group_problems(problems: Sequence[Problem]) -> list[ProblemGroup]:
    """Problems grouped by file and kind (without a kind: by column and wording), in order of
    first appearance. One kind of problem in many columns (a wide file's item columns, say) is
    one group.

    Examples
    --------
    >>> ps = [Problem("a.csv", r, "Svar", "9", "expected 1-6") for r in (2, 3)]
    >>> [(g.column, len(g)) for g in group_problems(ps + [Problem("a.csv", 4, "Fråga", "X", "?")])]
    [('Svar', 2), ('Fråga', 1)]
    """
    groups: dict[tuple, ProblemGroup] = {}
    for p in problems:
        key = (p.file, p.kind) if p.kind else (p.file, p.column, p.expected)
        if key not in groups:
            groups[key] = ProblemGroup(p.file, p.column, p.expected, [])
        groups[key].problems.append(p)
    return list(groups.values())


def _rows(numbers: Sequence[int | None]) -> str:
    """``rows 2–5, 9`` for sorted row numbers (runs of three or more joined)."""
    rows = sorted({n for n in numbers if n is not None})
    parts: list[str] = []
    k = 0
    while k < len(rows):
        j = k
        while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
            j += 1
        parts.append(f"{rows[k]}\u2013{rows[j]}" if j - k >= 2 else
                     ", ".join(str(r) for r in rows[k:j + 1]))
        k = j + 1
    return ", ".join(parts)


def summarise(problems: Sequence[Problem], *, max_lines: int | None = 20,
              examples: int = 3) -> list[str]:
    """The problems as lines a person can read: one group per cause, with its count, the rows
    it is on and its first few values; at most ``max_lines`` lines (``None``: every problem on
    its own line, for ``--all``).

    A group of one problem is that problem's own line. A larger group is a line saying where,
    what was expected and on how many rows, then one line with the first ``examples`` rows and
    their values. Groups that do not fit are counted in a last line.

    Examples
    --------
    >>> ps = [Problem("a.csv", r, "Omgång", "2024-5", "expected YYYY-MM") for r in range(2, 9)]
    >>> for line in summarise(ps + [Problem("a.csv", 9, "Svar", "9", "expected 1 to 6")]):
    ...     print(line)
    a.csv, column 'Omgång': expected YYYY-MM (7 rows: 2–8)
        row 2: '2024-5'; row 3: '2024-5'; row 4: '2024-5'; ... (all the same value)
    a.csv, row 9, column 'Svar': value '9': expected 1 to 6
    """
    if max_lines is None:
        return [str(p) for p in problems]
    lines: list[str] = []
    groups = group_problems(problems)
    for k, g in enumerate(groups):
        block = _group_lines(g, examples)
        left = groups[k:]
        if len(lines) + len(block) > max_lines - (1 if len(left) > 1 else 0):
            n = sum(len(x) for x in left)
            lines.append(f"... and {len(left)} more kind{'s' if len(left) != 1 else ''} of "
                         f"problem ({n:,} problem{'s' if n != 1 else ''})")
            break
        lines += block
    return lines


def _group_lines(g: ProblemGroup, examples: int) -> list[str]:
    if len(g) == 1:
        return [str(g.problems[0])]
    columns = g.columns
    if len(columns) == 1:
        where = f"{g.file}, column {columns[0]!r}"
    elif columns:
        shown = ", ".join(repr(c) for c in columns[:3]) + (", ..." if len(columns) > 3 else "")
        where = f"{g.file}, {len(columns)} columns ({shown})"
    else:
        where = g.file
    rows = [p.row for p in g.problems if p.row is not None]
    shown = _rows(rows)
    if len(shown) > 60:
        shown = shown[:60].rsplit(",", 1)[0] + ", ..."
    distinct = len(set(rows))
    if rows and distinct == len(g):
        count = f"{len(g):,} rows: {shown}"
    elif rows:
        count = f"{len(g):,} times, row{'s' if distinct > 1 else ''} {shown}"
    else:
        count = f"{len(g):,} times"
    same = all(p.expected == g.expected for p in g.problems)
    head = f"{where}: {g.expected} ({count})" if same else \
        f"{where}: {len(g):,} problems like this: {g.expected}"
    firsts = g.problems[:examples]
    named = len(columns) > 1
    detail = "; ".join(
        (f"row {p.row}" if p.row is not None else "") +
        (f" column {p.column!r}" if named and p.column is not None else "") +
        (": " if p.row is not None or named else "") +
        (repr(p.value) if p.value is not None else "") +
        ("" if same or p is g.problems[0] else f" ({p.expected})") for p in firsts)
    values = {p.value for p in g.problems}
    tail = " ..." if len(g) > examples else ""
    if len(values) == 1 and len(g) > examples and None not in values:
        tail += " (all the same value)"
    elif len(values) > 1 and len(g) > examples:
        tail += f" ({len(values):,} different values)"
    return [head, f"    {detail};{tail}" if tail else f"    {detail}"]


class DataValidationError(DimiosError):
    """An input file broke the data contract. ``problems`` lists every problem found; the
    message is their summary (:func:`summarise`), at most ``limit`` lines."""

    def __init__(self, problems: list[Problem], *, limit: int = 20,
                 notes: Sequence[str] = ()):
        self.problems = list(problems)
        self.notes = list(notes)  # what was recognised on the way, shown with the problems
        n = len(self.problems)
        files = len({p.file for p in self.problems})
        shown = "\n".join(f"  {line}" for line in summarise(self.problems, max_lines=limit))
        where = f" in {files} files" if files > 1 else ""
        super().__init__(f"{n:,} problem{'s' if n != 1 else ''} found{where}:\n{shown}")


class ItemBankError(DataValidationError):
    """An item bank file is malformed (duplicate item id, unknown dimension, ...)."""


class GroupsError(DataValidationError):
    """A custom-groups file is malformed or names unknown municipalities."""


class InstrumentError(DataValidationError):
    """A study instrument file is malformed (duplicate item id, bad scale, ...)."""


class RunValidationError(DimiosError):
    """The run matrix has problems; nothing was run."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the run matrix; nothing was run:\n  "
                         + "\n  ".join(problems))
