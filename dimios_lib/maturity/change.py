"""Change between rounds: for each municipality (or unit, role), the difference between a round
and an earlier round in which it has data, with a bootstrap interval. A change counts as a change
only when its interval excludes zero (``*_significant``).

Assumption: the two rounds' respondents are independent samples (their bootstrap replicates are
differenced as independent).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DimiosError
from .scoring import MEASURES, Scores


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
