"""The organisation types A–D: where each sits in the capability × legacy grid and the provenance
of its description (``data/types.csv``). The classification itself is
:func:`dimios_lib.maturity.types.classify`; the labels and descriptions a reader sees are in the
message catalogs (``type.<X>.label``, ``type.<X>.description``).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..io.files import packaged_file

#: The four types, in the order reports list them.
TYPES = ("A", "B", "C", "D")


@lru_cache(maxsize=1)
def type_table() -> pd.DataFrame:
    """The four types with ``capability`` (low/high), ``legacy`` (limiting/enabling) and the
    ``provenance`` of the description (published, inferred or assumption), indexed by type.

    >>> type_table().loc["A", "provenance"]
    'published'
    """
    path = packaged_file("types.csv")
    return pd.read_csv(path, dtype=str, encoding="utf-8").set_index("type")
