"""Benchmarks: national, county and custom-group means of municipality scores.

A benchmark is the **mean of municipality scores** (each municipality counts once, whatever its
number of respondents), not the mean of all respondents; every table says so in its ``basis``
column. Its interval is a t-interval over the municipalities (they are the sampling units of a
benchmark); it is missing for fewer than two municipalities.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import DimiosError
from ..reference.municipalities import Group, municipalities
from ..stats.intervals import t_interval
from .scoring import MEASURES, Scores

BASIS = "mean of municipality scores"


def benchmark(table: pd.DataFrame, keys: Sequence[str], values: Sequence[str], *,
              level: float = 0.95, min_respondents: int | None = None) -> pd.DataFrame:
    """The one benchmark: the mean of municipality values per ``keys``, with a t-interval.

    Parameters
    ----------
    table : DataFrame
        One row per municipality (and round, or category, ...): ``municipality_code``, the
        ``keys``, the ``values`` and, when ``min_respondents`` is given, ``n_respondents``.
    keys : sequence of str
        What the benchmark is per (``round``; ``county_code, round``; ``category``).
    values : sequence of str
        Columns to average, each ``<name>_pct`` or ``pct``.
    level : float
        Confidence level of the t-intervals.
    min_respondents : int, optional
        Leave out municipalities with fewer respondents (a municipality too small to be shown
        does not shape a benchmark either, and cannot be recovered from it by subtraction).

    Returns
    -------
    DataFrame
        Per key: ``n_municipalities``, ``n_respondents`` (when the table has it) and for each
        value its mean with ``_ci_low``/``_ci_high`` (``pct`` → ``ci_low``/``ci_high``): a
        t-interval over the municipalities (:func:`dimios_lib.stats.intervals.t_interval`,
        clipped to 0–100, missing for fewer than two), and ``basis``.

    Examples
    --------
    Three municipalities at 40, 50 and 60 % maturity and one of 3 respondents at 90 %: national
    mean 50 % (the small one left out; none weighted by their respondents); t-interval
    50 ± 4.303 × 10 / √3 = [25.2, 74.8].

    >>> t = pd.DataFrame({"municipality_code": ["a", "b", "c", "d"], "round": "2024-05",
    ...                   "n_respondents": [5, 9, 40, 3], "maturity_pct": [40, 50, 60, 90.0]})
    >>> b = benchmark(t, ["round"], ["maturity_pct"], min_respondents=5).iloc[0]
    >>> int(b.n_municipalities), float(b.maturity_pct), round(float(b.maturity_ci_low), 1)
    (3, 50.0, 25.2)
    """
    if min_respondents is not None:
        table = table[table["n_respondents"] >= min_respondents]
    rows = []
    for key, block in table.groupby(list(keys), sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(keys, key))
        row["n_municipalities"] = int(block["municipality_code"].nunique())
        if "n_respondents" in block:
            row["n_respondents"] = int(block["n_respondents"].sum())
        for value in values:
            stem = value[: -len("pct")]
            row[value], row[f"{stem}ci_low"], row[f"{stem}ci_high"], _ = t_interval(
                block[value], level)
        row["basis"] = BASIS
        rows.append(row)
    columns = [*keys, "n_municipalities"] + (["n_respondents"] if "n_respondents" in table else [])
    columns += [c for v in values for c in (v, f"{v[:-3]}ci_low", f"{v[:-3]}ci_high")] + ["basis"]
    return pd.DataFrame(rows, columns=columns)


def _municipal(scores: Scores) -> pd.DataFrame:
    if "municipality_code" not in scores.by or "round" not in scores.by:
        raise DimiosError("benchmarks need scores by municipality_code and round")
    return scores.overall


_VALUES = [f"{m}_pct" for m in MEASURES]


def national_means(scores: Scores) -> pd.DataFrame:
    """National benchmark per round (:func:`benchmark` of every municipality shown)."""
    overall = _municipal(scores)
    extra = [c for c in scores.by if c not in ("municipality_code", "round")]
    return benchmark(overall, ["round", *extra], _VALUES, level=scores.config.ci_level,
                     min_respondents=scores.config.min_group_size)


def county_means(scores: Scores) -> pd.DataFrame:
    """County benchmarks per round (:func:`benchmark` of the county's municipalities shown)."""
    overall = _municipal(scores)
    ref = municipalities()[["municipality_code", "county_code", "county_name"]]
    merged = overall.merge(ref, on="municipality_code", how="left")
    return benchmark(merged, ["county_code", "county_name", "round"], _VALUES,
                     level=scores.config.ci_level, min_respondents=scores.config.min_group_size)


def group_means(scores: Scores, group: Group) -> pd.DataFrame:
    """A custom group's benchmark per round, over its members shown in that round."""
    overall = _municipal(scores)
    members = overall[overall["municipality_code"].isin(group.members)].copy()
    members["group_id"] = group.id
    table = benchmark(members, ["group_id", "round"], _VALUES, level=scores.config.ci_level,
                      min_respondents=scores.config.min_group_size)
    table.insert(1, "group_name", group.name_sv)
    return table


def bench_table(table: pd.DataFrame, keys: Sequence[str], value: str,
                level: float = 0.95) -> pd.DataFrame:
    """:func:`benchmark` of one value, as ``keys, mean, ci_low, ci_high, n_municipalities``
    (the shape the reports use; ``table`` holds only municipalities that may be shown)."""
    out = benchmark(table, keys, [value], level=level)
    stem = value[: -len("pct")]
    out = out.rename(columns={value: "mean", f"{stem}ci_low": "ci_low",
                              f"{stem}ci_high": "ci_high"})
    return out[[*keys, "mean", "ci_low", "ci_high", "n_municipalities"]]
