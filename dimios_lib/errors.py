"""Exceptions of the library: one root, a few meaningful subclasses.

Validation errors carry *every* problem found, each as a :class:`Problem` that names the file,
row, column, value and what was expected, so that a user can fix a file in one pass.
"""

from __future__ import annotations

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
    and in a spreadsheet), or ``None`` for a problem of the whole file or of a column.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        where = ", ".join(parts)
        value = "" if self.value is None else f" value {self.value!r}:"
        return f"{where}:{value} {self.expected}"


class DataValidationError(DimiosError):
    """An input file broke the data contract. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], *, limit: int = 50):
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:limit])
        more = len(self.problems) - limit
        tail = f"\n  ... and {more} more problems" if more > 0 else ""
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} found:\n{shown}{tail}")


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
