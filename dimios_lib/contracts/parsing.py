"""What the data contracts share: column aliases, cell text, Swedish number and month tokens,
and turning a wide file (one column per item) into the long format.

Every reader in this package maps headers through :func:`column_aliases` (plus its own), parses
answers with :func:`parse_numbers`, and keeps each cell's file row so that a problem names the
row the user sees.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd


@lru_cache(maxsize=1)
def column_aliases() -> dict[str, str]:
    """Accepted column names (case-insensitive) → canonical name. See ``column_aliases.csv``."""
    path = Path(str(resources.files("dimios_lib") / "data" / "column_aliases.csv"))
    table = pd.read_csv(path, dtype=str, encoding="utf-8")
    return {a.strip().casefold(): c for c, a in zip(table["canonical"], table["alias"])}


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
