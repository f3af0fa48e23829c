"""Benchmarks: national, county and custom-group means, and change between rounds.

A benchmark is the **mean of municipality scores** (each municipality counts once, whatever its
number of respondents), not the mean of all respondents; every table says so in its ``basis``
column. Its interval is a t-interval over the municipalities (they are the sampling units of a
benchmark); it is missing for fewer than two municipalities.

Change since the previous round: for each municipality (or unit, role), the difference between a
round and the previous round *in which it has data*, with a percentile interval from the
difference of the two rounds' bootstrap replicates (independent resamples: the two rounds'
respondents are treated as independent samples, an assumption). A change counts as a change only
when its interval excludes zero (``*_significant``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .errors import DimiosError
from .municipalities import Group, municipalities
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


def round_changes(scores: Scores, *, base: str = "previous") -> pd.DataFrame:
    """Change of capability, legacy and maturity between rounds, with bootstrap intervals.

    Parameters
    ----------
    scores : Scores
        Scored by ``round`` and at least one more key (municipality, unit, role), with intervals.
    base : {"previous", "first"}
        Compare each round with the entity's previous round with data, or with its first round
        (change over all rounds).

    Returns
    -------
    DataFrame
        One row per entity x round after its first: the entity keys, ``round_from``,
        ``round_to``, ``n_from``, ``n_to`` and for each measure ``{m}_change``,
        ``{m}_ci_low``, ``{m}_ci_high``, ``{m}_significant`` (interval excludes zero).
    """
    if scores.replicates is None:
        raise DimiosError("round changes need scores computed with intervals (ci=True)")
    if "round" not in scores.by:
        raise DimiosError("round changes need scores by round")
    if base not in ("previous", "first"):
        raise DimiosError("base must be 'previous' or 'first'")
    overall = scores.overall
    entity = [c for c in scores.by if c != "round"]
    alpha = (1 - scores.config.ci_level) / 2
    order = overall.sort_values(entity + ["round"], kind="stable").index.to_numpy()
    rows = []
    for _, block in overall.loc[order].groupby(entity, sort=False, dropna=False):
        idx = block.index.to_numpy()
        for j in range(1, len(idx)):
            a = idx[j - 1] if base == "previous" else idx[0]
            b = idx[j]
            diff = scores.replicates[b].astype(float) - scores.replicates[a].astype(float)
            row = {c: overall.at[b, c] for c in entity}
            if "municipality_name" in overall:
                row["municipality_name"] = overall.at[b, "municipality_name"]
            row.update(round_from=overall.at[a, "round"], round_to=overall.at[b, "round"],
                       n_from=int(overall.at[a, "n_respondents"]),
                       n_to=int(overall.at[b, "n_respondents"]))
            for k, m in enumerate(MEASURES):
                change = overall.at[b, f"{m}_pct"] - overall.at[a, f"{m}_pct"]
                d = diff[:, k]
                d = d[~np.isnan(d)]
                lo, hi = (np.quantile(d, [alpha, 1 - alpha]) if d.size and not np.isnan(change)
                          else (np.nan, np.nan))
                row[f"{m}_change"] = change
                row[f"{m}_ci_low"] = lo
                row[f"{m}_ci_high"] = hi
                row[f"{m}_significant"] = bool(lo > 0 or hi < 0)
            rows.append(row)
    return pd.DataFrame(rows)
