"""Benchmarks: national, county and custom-group means of municipality scores.

A benchmark is the **mean of municipality scores** over the municipalities *shown*: those with
at least ``ModelConfig.min_group_size`` respondents in the round (a municipality too small to be
shown does not shape a benchmark either, and cannot be recovered from it by subtraction). By
default each municipality counts once, whatever its number of respondents
(``ModelConfig.benchmark_weights = "municipalities"``); the respondent-weighted variant
(``"respondents"``) weights each municipality's score by its respondents. Every table names its
estimand in its ``basis`` column and its weighting in ``weights``.

The municipalities that take part in DiMiOS choose to; a benchmark describes the participating
municipalities, not all of Sweden's 290.

Intervals are over the municipalities (the sampling units of a benchmark): a t-interval of the
mean, or for the weighted mean the t-interval of the ratio estimator
(:func:`dimios_lib.stats.clusters.ratio_interval`); missing for fewer than two municipalities.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..config import BENCHMARK_WEIGHTS
from ..errors import DimiosError
from ..reference.municipalities import Group, municipalities
from ..stats.clusters import ratio_interval
from ..stats.intervals import t_interval
from ..stats.jackknife import t_p_value
from .scoring import MEASURES, Scores

BASIS = "mean of municipality scores"


def basis(weights: str = "municipalities", min_respondents: int | None = None) -> str:
    """The estimand of a benchmark as the ``basis`` column states it.

    Examples
    --------
    >>> basis("municipalities", 5)
    'mean of municipality scores, each once; municipalities with at least 5 respondents'
    >>> basis("respondents", 5)
    'mean of municipality scores, weighted by respondents; municipalities with at least 5 respondents'
    """
    if weights not in BENCHMARK_WEIGHTS:
        raise DimiosError(f"weights must be one of {BENCHMARK_WEIGHTS}, not {weights!r}")
    how = "each once" if weights == "municipalities" else "weighted by respondents"
    which = ("every municipality in the table" if min_respondents is None
             else f"municipalities with at least {min_respondents} respondents")
    return f"{BASIS}, {how}; {which}"


def benchmark(table: pd.DataFrame, keys: Sequence[str], values: Sequence[str], *,
              level: float = 0.95, min_respondents: int | None = None,
              weights: str = "municipalities") -> pd.DataFrame:
    """The one benchmark: the mean of municipality values per ``keys``, with its interval.

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
    weights : {"municipalities", "respondents"}
        Each municipality once (default), or weighted by its ``n_respondents``.

    Returns
    -------
    DataFrame
        Per key: ``n_municipalities``, ``n_respondents`` (when the table has it) and for each
        value its mean with ``_ci_low``/``_ci_high`` (``pct`` → ``ci_low``/``ci_high``): a
        t-interval over the municipalities (:func:`dimios_lib.stats.intervals.t_interval`; for
        respondent weights :func:`dimios_lib.stats.clusters.ratio_interval`), clipped to
        0–100 and missing for fewer than two; ``weights`` and ``basis`` (:func:`basis`).

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

    Weighted by respondents: (5 x 40 + 9 x 50 + 40 x 60) / 54 = 56.48.

    >>> w = benchmark(t, ["round"], ["maturity_pct"], min_respondents=5, weights="respondents")
    >>> round(float(w.maturity_pct.iloc[0]), 2), w.weights.iloc[0]
    (56.48, 'respondents')
    """
    basis_text = basis(weights, min_respondents)
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
            row[value], row[f"{stem}ci_low"], row[f"{stem}ci_high"], _ = benchmark_of(
                block, value, level=level, weights=weights)
        row["weights"] = weights
        row["basis"] = basis_text
        rows.append(row)
    columns = [*keys, "n_municipalities"] + (["n_respondents"] if "n_respondents" in table else [])
    columns += [c for v in values for c in (v, f"{v[:-3]}ci_low", f"{v[:-3]}ci_high")]
    return pd.DataFrame(rows, columns=columns + ["weights", "basis"])


def benchmark_of(table: pd.DataFrame, value: str, *, level: float = 0.95,
                 weights: str = "municipalities") -> tuple[float, float, float, int]:
    """The benchmark of one value over every row of ``table`` (municipalities already chosen):
    ``(mean, low, high, n_municipalities)``, the numbers :func:`benchmark` puts in each row.

    Examples
    --------
    >>> t = pd.DataFrame({"n_respondents": [5, 10, 100], "pct": [40.0, 50, 60]})
    >>> [round(v, 2) for v in benchmark_of(t, "pct")]
    [50.0, 25.16, 74.84, 3]
    >>> round(benchmark_of(t, "pct", weights="respondents")[0], 2)
    58.26
    """
    if weights == "municipalities":
        return t_interval(table[value], level)
    if weights == "respondents":
        return ratio_interval(table[value], table["n_respondents"], level)
    raise DimiosError(f"weights must be one of {BENCHMARK_WEIGHTS}, not {weights!r}")


def _municipal(scores: Scores) -> pd.DataFrame:
    if "municipality_code" not in scores.by or "round" not in scores.by:
        raise DimiosError("benchmarks need scores by municipality_code and round")
    return scores.overall


_VALUES = [f"{m}_pct" for m in MEASURES]


def _weights(scores: Scores, weights: str | None) -> str:
    return scores.config.benchmark_weights if weights is None else weights


def national_means(scores: Scores, *, weights: str | None = None) -> pd.DataFrame:
    """National benchmark per round (:func:`benchmark` of every municipality shown).

    ``weights`` defaults to ``ModelConfig.benchmark_weights``.
    """
    overall = _municipal(scores)
    extra = [c for c in scores.by if c not in ("municipality_code", "round")]
    return benchmark(overall, ["round", *extra], _VALUES, level=scores.config.ci_level,
                     min_respondents=scores.config.min_group_size,
                     weights=_weights(scores, weights))


def national_weightings(scores: Scores) -> pd.DataFrame:
    """Both national estimands side by side: per round one row weighted by municipalities
    (each once) and one weighted by respondents (column ``weights``), over the same
    municipalities. How far apart they are shows how much the choice matters.

    Examples
    --------
    40 % with 5 respondents and 60 % with 15: 50 % each once, (200 + 900) / 20 = 55 % by
    respondents.

    >>> from dimios_lib.config import ModelConfig
    >>> o = pd.DataFrame({"municipality_code": ["a", "b"], "round": "2024-05",
    ...                   "n_respondents": [5, 15], "capability_pct": [40.0, 60.0],
    ...                   "legacy_pct": [40.0, 60.0], "maturity_pct": [40.0, 60.0]})
    >>> s = Scores(o, None, None, None, ("municipality_code", "round"), ModelConfig())
    >>> national_weightings(s)[["weights", "maturity_pct"]].values.tolist()
    [['municipalities', 50.0], ['respondents', 55.0]]
    """
    return (pd.concat([national_means(scores, weights=w) for w in BENCHMARK_WEIGHTS],
                      ignore_index=True)
            .sort_values(["round", "weights"], kind="stable").reset_index(drop=True))


def county_means(scores: Scores, *, weights: str | None = None) -> pd.DataFrame:
    """County benchmarks per round (:func:`benchmark` of the county's municipalities shown)."""
    overall = _municipal(scores)
    ref = municipalities()[["municipality_code", "county_code", "county_name"]]
    merged = overall.merge(ref, on="municipality_code", how="left")
    return benchmark(merged, ["county_code", "county_name", "round"], _VALUES,
                     level=scores.config.ci_level, min_respondents=scores.config.min_group_size,
                     weights=_weights(scores, weights))


def group_means(scores: Scores, group: Group, *, weights: str | None = None) -> pd.DataFrame:
    """A custom group's benchmark per round, over its members shown in that round (no row
    for a round in which no member is shown, nor for a group without data)."""
    overall = _municipal(scores)
    members = overall[overall["municipality_code"].isin(group.members)].copy()
    members["group_id"] = group.id
    table = benchmark(members, ["group_id", "round"], _VALUES, level=scores.config.ci_level,
                      min_respondents=scores.config.min_group_size,
                      weights=_weights(scores, weights))
    table.insert(1, "group_name", group.name_sv)
    return table


def bench_table(table: pd.DataFrame, keys: Sequence[str], value: str,
                level: float = 0.95, *, weights: str = "municipalities") -> pd.DataFrame:
    """:func:`benchmark` of one value, as ``keys, mean, ci_low, ci_high, n_municipalities``
    (the shape the reports use; ``table`` holds only municipalities that may be shown)."""
    out = benchmark(table, keys, [value], level=level, weights=weights)
    stem = value[: -len("pct")]
    out = out.rename(columns={value: "mean", f"{stem}ci_low": "ci_low",
                              f"{stem}ci_high": "ci_high"})
    return out[[*keys, "mean", "ci_low", "ci_high", "n_municipalities"]]


def difference_error(table: pd.DataFrame, self_code: str, keys: Sequence[str] = (), *,
                     value: str = "pct", se: str = "se", df: str = "df",
                     weights: str = "municipalities", include_error: bool = True
                     ) -> pd.DataFrame:
    """The standard error and degrees of freedom of one municipality's difference from a
    benchmark of the municipalities in ``table`` (itself among them), per ``keys``.

    The benchmark is :math:`B = \\sum_j w_j y_j` over the members (:math:`w_j = 1/k`, or
    :math:`n_j / \\sum n` for ``weights="respondents"``), so the difference of member *i* is
    :math:`(1 - w_i) y_i - \\sum_{j \\ne i} w_j y_j` and, the municipalities' samples being
    independent,

    .. math:: V = (1 - w_i)^2 se_i^2 + \\sum_{j \\ne i} w_j^2 se_j^2

    with Welch–Satterthwaite degrees of freedom. The target is the benchmark of the
    participating municipalities' true scores; the spread *between* municipalities is not an
    error of it. ``include_error=False`` treats the benchmark as a fixed number: :math:`V =
    se_i^2` on the municipality's own degrees of freedom (as its interval does). A member
    without a standard error adds none.

    Returns ``keys, diff_se, diff_df`` (one row per key where the municipality has a value).

    Examples
    --------
    Four municipalities with standard errors 4, 2, 2, 2 on 9 df each, the first the one
    compared: V = (3/4)² 16 + 3 (1/4)² 4 = 9 + 0.75 = 9.75, se 3.1225; df = 9.75² / ((9² + 3 x
    0.25²) / 9) = 95.0625 / 9.0208 = 10.54.

    >>> t = pd.DataFrame({"municipality_code": list("abcd"), "n_respondents": 10,
    ...                   "pct": [50.0, 40, 45, 55], "se": [4.0, 2, 2, 2], "df": 9})
    >>> r = difference_error(t, "a").iloc[0]
    >>> round(float(r.diff_se), 4), round(float(r.diff_df), 2)
    (3.1225, 10.54)
    >>> r = difference_error(t, "a", include_error=False).iloc[0]
    >>> float(r.diff_se), float(r.diff_df)
    (4.0, 9.0)
    """
    keys = list(keys)
    d = member_differences(table, keys, value=value, se=se, df=df, weights=weights,
                           include_error=include_error)
    mine = ((table["municipality_code"] == self_code) & table[value].notna()).to_numpy()
    out = pd.concat([table.loc[mine, keys], d.loc[mine, ["diff_se", "diff_df"]]], axis=1)
    return out.drop_duplicates(subset=keys or None).reset_index(drop=True)


def member_differences(table: pd.DataFrame, keys: Sequence[str] = (), *, value: str = "pct",
                       se: str = "se", df: str = "df", weights: str = "municipalities",
                       include_error: bool = True) -> pd.DataFrame:
    """Every member's difference from the benchmark of its group (``keys``; no keys: one
    group), with the standard error and degrees of freedom of
    :func:`difference_error` (the formula is there) and the two-sided p-value.

    Returns a frame aligned with ``table``: ``benchmark`` (the group's mean of the members
    with a value, each once or weighted by ``n_respondents``), ``difference``, ``diff_se``,
    ``diff_df`` and ``p_value`` (missing where the member has no value).

    Examples
    --------
    The example of :func:`difference_error`: se 3.1225 on 10.54 df for the first of four.

    >>> t = pd.DataFrame({"municipality_code": list("abcd"), "n_respondents": 10,
    ...                   "pct": [50.0, 40, 45, 55], "se": [4.0, 2, 2, 2], "df": 9})
    >>> r = member_differences(t).iloc[0]
    >>> float(r.benchmark), float(r.difference), round(float(r.diff_se), 4), round(float(r.diff_df), 2)
    (47.5, 2.5, 3.1225, 10.54)
    """
    keys = list(keys)
    if weights not in BENCHMARK_WEIGHTS:
        raise DimiosError(f"weights must be one of {BENCHMARK_WEIGHTS}, not {weights!r}")
    y = table[value].astype(float)
    ok = y.notna()
    if weights == "respondents":
        n = table["n_respondents"].astype(float).where(ok, 0.0)
    else:
        n = ok.astype(float)
    grouper = [table[k] for k in keys] if keys else np.zeros(len(table), dtype=int)

    def total(x: pd.Series) -> pd.Series:
        return x.groupby(grouper, sort=False, dropna=False).transform("sum")

    with np.errstate(invalid="ignore", divide="ignore"):
        w = (n / total(n)).where(ok, 0.0)
        bench = total((w * y).where(ok, 0.0)).where(total(n) > 0)
        var = (table[se].astype(float) ** 2).where(ok)
        dof = table[df].astype(float)
        own = ((1 - w) ** 2 * var).fillna(0.0) if include_error else var.fillna(0.0)
        other = (w ** 2 * var).fillna(0.0)
        q_own = (own ** 2 / dof).where(own > 0, 0.0).fillna(0.0)
        q_other = (other ** 2 / dof).where(other > 0, 0.0).fillna(0.0)
        if include_error:
            v = total(other) - other + own
            q = total(q_other) - q_other + q_own
        else:
            v, q = own, q_own
        v = v.clip(lower=0.0)
        diff_se = np.sqrt(v).where(ok)
        diff_df = pd.Series(np.where(q > 0, v ** 2 / q, np.inf), index=table.index).where(ok)
    difference = (y - bench).where(ok)
    return pd.DataFrame({"benchmark": bench, "difference": difference, "diff_se": diff_se,
                         "diff_df": diff_df,
                         "p_value": t_p_value(difference, diff_se, diff_df)},
                        index=table.index)
