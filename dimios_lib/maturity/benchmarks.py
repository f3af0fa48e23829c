"""Benchmarks: national, county and custom-group means of municipality scores.

A benchmark is the **mean of municipality scores** (each municipality counts once, whatever its
number of respondents), not the mean of all respondents; every table says so in its ``basis``
column. Its interval is a t-interval over the municipalities (they are the sampling units of a
benchmark); it is missing for fewer than two municipalities.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import DimiosError
from ..reference.municipalities import Group, municipalities
from ..stats.intervals import t_interval
from .scoring import MEASURES, Scores

BASIS = "mean of municipality scores"


def _mean_table(overall: pd.DataFrame, keys: Sequence[str], ci_level: float) -> pd.DataFrame:
    cols = [f"{m}_pct" for m in MEASURES]
    rows = []
    for key, block in overall.groupby(list(keys), sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(keys, key))
        row["n_municipalities"] = int(block["municipality_code"].nunique())
        row["n_respondents"] = int(block["n_respondents"].sum())
        for c in cols:
            v = block[c].dropna().to_numpy()
            row[c] = float(v.mean()) if v.size else np.nan
            if v.size >= 2:
                half = stats.t.ppf(0.5 + ci_level / 2, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size)
                row[c.replace("_pct", "_ci_low")] = row[c] - half
                row[c.replace("_pct", "_ci_high")] = row[c] + half
            else:
                row[c.replace("_pct", "_ci_low")] = row[c.replace("_pct", "_ci_high")] = np.nan
        row["basis"] = BASIS
        rows.append(row)
    return pd.DataFrame(rows)


def _municipal(scores: Scores) -> pd.DataFrame:
    if "municipality_code" not in scores.by or "round" not in scores.by:
        raise DimiosError("benchmarks need scores by municipality_code and round")
    return scores.overall


def national_means(scores: Scores) -> pd.DataFrame:
    """National benchmark per round: the mean of municipality scores, with a t-interval.

    Examples
    --------
    Three municipalities at 40, 50 and 60 % maturity: national mean 50 % (not weighted by their
    numbers of respondents); t-interval 50 ± 4.303 x 10 / sqrt(3) = [25.2, 74.8].
    """
    overall = _municipal(scores)
    extra = [c for c in scores.by if c not in ("municipality_code", "round")]
    return _mean_table(overall, ["round"] + extra, scores.config.ci_level)


def county_means(scores: Scores) -> pd.DataFrame:
    """County benchmarks per round (mean of the county's municipality scores)."""
    overall = _municipal(scores)
    ref = municipalities()[["municipality_code", "county_code", "county_name"]]
    merged = overall.merge(ref, on="municipality_code", how="left")
    return _mean_table(merged, ["county_code", "county_name", "round"], scores.config.ci_level)


def group_means(scores: Scores, group: Group) -> pd.DataFrame:
    """A custom group's benchmark per round, over its members with data in that round."""
    overall = _municipal(scores)
    members = overall[overall["municipality_code"].isin(group.members)].copy()
    members["group_id"] = group.id
    table = _mean_table(members, ["group_id", "round"], scores.config.ci_level)
    table.insert(1, "group_name", group.name_sv)
    return table


def bench_table(table: pd.DataFrame, keys: Sequence[str], value: str,
                level: float = 0.95) -> pd.DataFrame:
    """Mean of municipality values per ``keys``, with t-interval and number of municipalities."""
    rows = []
    for key, block in table.groupby(list(keys), sort=False, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        m, lo, hi, n = t_interval(block[value], level)
        rows.append({**dict(zip(keys, key)), "mean": m, "ci_low": lo, "ci_high": hi,
                     "n_municipalities": n})
    return pd.DataFrame(rows, columns=[*keys, "mean", "ci_low", "ci_high", "n_municipalities"])
