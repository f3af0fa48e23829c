"""Suppression of small groups in anything meant to be shared.

Scores are computed from every answer; suppression only hides results. A row whose group has
fewer respondents than ``ModelConfig.min_group_size`` (default 5, assumption) keeps its keys and
its count flag but loses every value, and gets ``suppressed = True``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..config import ModelConfig

VALUE_SUFFIXES = ("_pct", "_ci_low", "_ci_high", "_change", "_se", "_df", "_p_value",
                  "_shrinkage")


def value_columns(table: pd.DataFrame) -> list[str]:
    """Columns that carry results (percentages, intervals, standard errors and degrees of
    freedom, p-values, changes, means, types)."""
    return [c for c in table.columns
            if c.endswith(VALUE_SUFFIXES) or c in ("pct", "ci_low", "ci_high", "se", "df",
                                                    "mean_answer", "type", "change",
                                                    "significant")
            or c.endswith("_significant")]


def suppress(table: pd.DataFrame, *, config: ModelConfig | None = None,
             count: str | Iterable[str] = "n_respondents",
             columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Hide the values of rows whose group is below the minimum size.

    Parameters
    ----------
    table : DataFrame
        A result table with one or more count columns.
    count : str or iterable of str
        Count column(s); a row is suppressed if *any* of them is below the minimum (for a change
        between two rounds, both rounds' groups must be large enough).
    columns : iterable of str, optional
        The value columns to blank (default: :func:`value_columns`).

    Returns
    -------
    DataFrame
        A copy with values set missing and a boolean ``suppressed`` column.

    Examples
    --------
    >>> t = pd.DataFrame({"n_respondents": [4, 5], "maturity_pct": [40.0, 50.0]})
    >>> suppress(t)["maturity_pct"].tolist()
    [nan, 50.0]
    """
    config = ModelConfig() if config is None else config
    counts = [count] if isinstance(count, str) else list(count)
    small = np.zeros(len(table), dtype=bool)
    for c in counts:
        small |= (table[c].fillna(0).to_numpy() < config.min_group_size)
    out = table.copy()
    cols = value_columns(table) if columns is None else list(columns)
    for c in cols:
        if out[c].dtype.kind in "fc":
            out.loc[small, c] = np.nan
        else:
            out[c] = out[c].astype(object)
            out.loc[small, c] = None
    out["suppressed"] = small
    return out
