"""The organisation types A–D: labels and descriptions (``data/types.csv``) with their provenance.
The classification itself is :func:`dimios_lib.maturity.types.classify`.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..io.files import packaged_file


@lru_cache(maxsize=1)
def type_descriptions() -> pd.DataFrame:
    """The four types with ``label_sv, label_en, description_sv, description_en, provenance``."""
    path = packaged_file("types.csv")
    return pd.read_csv(path, dtype=str, encoding="utf-8").set_index("type")


def describe_type(type_: str, lang: str = "sv") -> str:
    """The short description of a type in ``sv`` or ``en``."""
    return type_descriptions().loc[type_, f"description_{lang}"]
