"""The item bank: which statements (items) exist, and where each belongs in the model.

The bank is data, not code. The packaged default is the provisional 26-item DiMiOS bank of the
domain brief (``data/items_dimios_v0.1.csv``; structure reconstructed from public descriptions,
wording ours: an *assumption*). A user's own bank (the official item list, a 30-item bank) is a
CSV or Excel file with the columns

``item_id, dimension, category, reverse`` (required) and
``capability_sv, capability_en, provenance`` (optional)

and loads with :func:`load_item_bank` without code changes. ``dimension`` is ``capability`` or
``legacy`` (Swedish ``förmåga`` and ``arv`` are accepted); ``reverse`` is true/false (also
ja/nej, yes/no, 1/0).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import DIMENSIONS
from ..errors import DataValidationError, ItemBankError, Problem
from ..io.files import packaged_file
from ..io.tables import read_table

DEFAULT_BANK = "items_dimios_v0.1.csv"
DEFAULT_BANK_VERSION = "dimios-provisional-0.1"
REQUIRED_COLUMNS = ("item_id", "dimension", "category", "reverse")
OPTIONAL_COLUMNS = ("capability_sv", "capability_en", "provenance")
DIMENSION_ALIASES = {"capability": "capability", "förmåga": "capability", "forma": "capability",
                     "legacy": "legacy", "arv": "legacy"}


TRUE_TOKENS = {"true", "1", "ja", "yes", "sant", "x"}
FALSE_TOKENS = {"false", "0", "nej", "no", "falskt", ""}


@dataclass(frozen=True)
class ItemBank:
    """A validated item bank.

    Attributes
    ----------
    items : DataFrame
        One row per item, in file order: ``item_id, dimension, category, capability_sv,
        capability_en, reverse, provenance``.
    categories : DataFrame
        One row per category in order of first appearance: ``dimension, category, label_sv,
        label_en``.
    version : str
        ``dimios-provisional-0.1`` for the packaged bank, else the file name.
    """

    items: pd.DataFrame
    categories: pd.DataFrame
    version: str

    @property
    def item_ids(self) -> list[str]:
        return self.items["item_id"].tolist()

    @cached_property
    def item_category_index(self) -> np.ndarray:
        """For each item (bank order), the position of its category in ``categories``."""
        pos = {c: i for i, c in enumerate(self.categories["category"])}
        return self.items["category"].map(pos).to_numpy()

    @cached_property
    def category_dimension_index(self) -> np.ndarray:
        """For each category, the position of its dimension in :data:`DIMENSIONS`."""
        return self.categories["dimension"].map({d: i for i, d in enumerate(DIMENSIONS)}).to_numpy()

    def label(self, item_id: str, lang: str = "sv") -> str:
        row = self.items.loc[self.items["item_id"] == item_id].iloc[0]
        return row[f"capability_{lang}"]

    def category_label(self, category: str, lang: str = "sv") -> str:
        row = self.categories.loc[self.categories["category"] == category].iloc[0]
        return row[f"label_{lang}"]



def _category_labels() -> pd.DataFrame:
    return pd.read_csv(packaged_file("categories.csv"), dtype=str, encoding="utf-8")


def load_item_bank(path: str | os.PathLike | None = None) -> ItemBank:
    """Load and validate an item bank; the packaged provisional DiMiOS bank when ``path`` is None.

    Every problem is reported at once: missing columns, an empty or duplicate item id, an unknown
    dimension, a category placed in two dimensions, an unreadable reverse flag, and a dimension
    without items.

    Raises
    ------
    ItemBankError
        With one :class:`~dimios_lib.errors.Problem` per defect.

    Examples
    --------
    >>> bank = load_item_bank()
    >>> len(bank.items), int(bank.items["reverse"].sum())
    (26, 2)
    """
    source = packaged_file(DEFAULT_BANK) if path is None else Path(path)
    try:
        table = read_table(source)
    except DataValidationError as exc:  # the reader's problems, as an item-bank error
        raise ItemBankError(exc.problems) from None
    frame = table.frame
    frame.columns = [c.strip().casefold() for c in frame.columns]
    name = table.file
    problems: list[Problem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ItemBankError([Problem(name, 1, c, None, "expected this column in an item bank")
                             for c in missing])
    unknown = [c for c in frame.columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    problems += [Problem(name, 1, c, c, "unknown column; expected one of "
                         + ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)) for c in unknown]
    frame = frame.apply(lambda s: s.fillna("").astype(str).str.strip())
    first_seen: dict[str, int] = {}
    category_dimension: dict[str, tuple[str, int]] = {}
    reverse = []
    dimensions = []
    for row, rec in frame.iterrows():
        item_id = rec["item_id"]
        if not item_id:
            problems.append(Problem(name, row, "item_id", "", "expected a non-empty item id"))
        elif item_id in first_seen:
            problems.append(Problem(name, row, "item_id", item_id,
                                    f"duplicate item id (first on row {first_seen[item_id]})"))
        else:
            first_seen[item_id] = row
        dim = DIMENSION_ALIASES.get(rec["dimension"].casefold())
        dimensions.append(dim)
        if dim is None:
            problems.append(Problem(name, row, "dimension", rec["dimension"],
                                    "expected 'capability' or 'legacy' (or förmåga/arv)"))
        category = rec["category"]
        if not category:
            problems.append(Problem(name, row, "category", "", "expected a category name"))
        elif dim is not None:
            previous = category_dimension.setdefault(category, (dim, row))
            if previous[0] != dim:
                problems.append(Problem(name, row, "category", category,
                                        f"category is in dimension {previous[0]!r} on row "
                                        f"{previous[1]}; a category belongs to one dimension"))
        flag = rec["reverse"].casefold()
        if flag in TRUE_TOKENS:
            reverse.append(True)
        elif flag in FALSE_TOKENS:
            reverse.append(False)
        else:
            reverse.append(False)
            problems.append(Problem(name, row, "reverse", rec["reverse"],
                                    "expected true or false (ja/nej, yes/no, 1/0)"))
    for dim in DIMENSIONS:
        if dim not in dimensions:
            problems.append(Problem(name, None, "dimension", None,
                                    f"expected at least one item in dimension {dim!r}"))
    if problems:
        raise ItemBankError(problems)
    items = pd.DataFrame({
        "item_id": frame["item_id"],
        "dimension": dimensions,
        "category": frame["category"],
        "capability_sv": frame.get("capability_sv", frame["item_id"]).replace("", np.nan)
        .fillna(frame["item_id"]),
        "capability_en": frame.get("capability_en", frame["item_id"]).replace("", np.nan)
        .fillna(frame["item_id"]),
        "reverse": reverse,
        "provenance": frame.get("provenance", pd.Series("", index=frame.index)),
    }).reset_index(drop=True)
    # Categories ordered by dimension, then by first appearance.
    cats = items[["dimension", "category"]].drop_duplicates()
    cats["_d"] = cats["dimension"].map({d: i for i, d in enumerate(DIMENSIONS)})
    cats = cats.sort_values("_d", kind="stable").drop(columns="_d").reset_index(drop=True)
    labels = _category_labels()[["category", "label_sv", "label_en"]]
    cats = cats.merge(labels, on="category", how="left")
    cats["label_sv"] = cats["label_sv"].fillna(cats["category"])
    cats["label_en"] = cats["label_en"].fillna(cats["category"])
    version = DEFAULT_BANK_VERSION if path is None else Path(path).name
    return ItemBank(items, cats, version)
