"""Scoring: item, category, dimension and maturity percentages, with bootstrap intervals.

The model (defaults from the domain brief; each a :class:`~dimios_lib.config.ModelConfig`
parameter):

1. reverse-scored items are flipped: ``x -> scale_min + scale_max - x``;
2. item % = (mean answer - scale_min) / (scale_max - scale_min) x 100, over the non-missing
   answers of the group (``(mean - 1) / 5 x 100`` on the 1-6 scale);
3. category % = (weighted) mean of its items' %; dimension % = (weighted) mean of its
   *categories'* % (not of its items); at both steps children without data are left out and the
   weights of the others renormalised (assumption);
4. maturity % = weighted mean of the two dimensions (0.5 each), missing unless both are present;
5. type A-D from capability and legacy (:mod:`dimios_lib.maturity.types`).

Intervals: percentile bootstrap, respondents resampled with replacement within each group,
``bootstrap_resamples`` times (default 1000). Each group's generator is seeded from the
configured seed and the group's key, so a group's interval is the same whichever other groups
are scored with it. Respondents who answered no item ("vet ej" throughout) carry no information
and are not counted in ``n_respondents``.

Everything is vectorised: the answers become one respondents x items matrix; point estimates
are segment sums over it, and a group's bootstrap is two matrix products of resample counts with
its block of the matrix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import DIMENSIONS, ModelConfig
from ..errors import DimiosError
from ..reference.items import ItemBank, load_item_bank
from ..reference.municipalities import municipalities
from ..stats.bootstrap import _resample_counts, group_seed
from ..stats.intervals import column_quantiles
from .types import classify

RESPONDENT_KEY = ("municipality_code", "round", "respondent_id")
MEASURES = ("capability", "legacy", "maturity")


@dataclass(frozen=True)
class Model:
    """The item bank and configuration turned into the matrices scoring needs.

    ``item_to_category`` (items x categories) and ``category_to_dimension`` (categories x 2) hold
    the weights; ``dimension_weights`` the two dimension weights (summing to 1).
    """

    bank: ItemBank
    config: ModelConfig
    item_to_category: np.ndarray
    category_to_dimension: np.ndarray
    dimension_weights: np.ndarray
    reverse: np.ndarray

    @classmethod
    def build(cls, bank: ItemBank | None = None, config: ModelConfig | None = None) -> Model:
        bank = load_item_bank() if bank is None else bank
        config = ModelConfig() if config is None else config
        n_items, n_cats = len(bank.items), len(bank.categories)
        iw = config.item_weights or {}
        cw = config.category_weights or {}
        unknown = (set(iw) - set(bank.item_ids)) | (set(cw) - set(bank.categories["category"]))
        if unknown:
            raise DimiosError(f"weights name unknown items or categories: {sorted(unknown)}")
        a = np.zeros((n_items, n_cats))
        a[np.arange(n_items), bank.item_category_index] = [
            float(iw.get(i, 1.0)) for i in bank.item_ids]
        d = np.zeros((n_cats, len(DIMENSIONS)))
        d[np.arange(n_cats), bank.category_dimension_index] = [
            float(cw.get(c, 1.0)) for c in bank.categories["category"]]
        w = np.array([config.dimension_weights[k] for k in DIMENSIONS], dtype=float)
        reverse = bank.items["reverse"].to_numpy(bool) & config.reverse_scoring
        return cls(bank, config, a, d, w / w.sum(), reverse)

    def to_pct(self, mean_answer: np.ndarray) -> np.ndarray:
        """Item % from mean (already flipped) answers."""
        lo, hi = self.config.scale_min, self.config.scale_max
        return (mean_answer - lo) / (hi - lo) * 100.0

    def aggregate(self, item_pct: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Category, dimension and maturity % from item % (last axis = items; NaN = no data)."""
        cat = _available_mean(item_pct, self.item_to_category)
        dim = _available_mean(cat, self.category_to_dimension)
        mat = dim @ self.dimension_weights  # NaN unless both dimensions are present
        return cat, dim, mat


def _available_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted means over the children that have data (weights renormalised)."""
    valid = ~np.isnan(values)
    num = np.where(valid, values, 0.0) @ weights
    den = valid.astype(float) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def item_pct(answers, *, config: ModelConfig | None = None, reverse: bool = False) -> float:
    """The % of one item from its answers (missing answers left out).

    Examples
    --------
    Answers 4, 5 and 6 on the 1-6 scale: mean 5, (5 - 1) / 5 x 100 = 80 %. Reverse-scored, they
    become 3, 2, 1: mean 2, (2 - 1) / 5 x 100 = 20 %.

    >>> item_pct([4, 5, 6, None])
    80.0
    >>> item_pct([4, 5, 6], reverse=True)
    20.0
    """
    config = ModelConfig() if config is None else config
    x = np.asarray([np.nan if a is None else a for a in answers], dtype=float)
    if reverse:
        x = config.scale_min + config.scale_max - x
    x = x[~np.isnan(x)]
    if x.size == 0:
        return float("nan")
    return float((x.mean() - config.scale_min) / (config.scale_max - config.scale_min) * 100)


def maturity_pct(capability_pct, legacy_pct, *, config: ModelConfig | None = None):
    """Overall maturity from the two dimension percentages (weighted mean, default 0.5/0.5).

    Examples
    --------
    Karlskoga's published figures: capability 47 and legacy 59 give 53 (2022); 56 and 71 give
    63.5, published rounded as 63 (2023); 57 and 72 give 64.5, published as 64 (2024).

    >>> float(maturity_pct(47, 59))
    53.0
    """
    config = ModelConfig() if config is None else config
    w = config.dimension_weights
    total = w["capability"] + w["legacy"]
    return (np.asarray(capability_pct, float) * w["capability"]
            + np.asarray(legacy_pct, float) * w["legacy"]) / total


@dataclass
class Scores:
    """The result of :func:`score`.

    Attributes
    ----------
    overall : DataFrame
        One row per group: the ``by`` columns, ``n_respondents``, ``capability_pct``,
        ``legacy_pct``, ``maturity_pct`` (each with ``_ci_low``/``_ci_high`` when intervals were
        computed) and ``type``.
    categories : DataFrame
        One row per group x category: ``dimension, category, n_respondents, pct, ci_low,
        ci_high``.
    capabilities : DataFrame
        One row per group x item: ``dimension, category, item_id, n_respondents, n_answers,
        mean_answer, pct, ci_low, ci_high`` (``mean_answer`` after reverse scoring).
    replicates : ndarray or None
        Bootstrap replicates of capability, legacy and maturity, shape (groups, resamples, 3),
        aligned with ``overall``; used for intervals of changes.
    by : tuple of str
    config : ModelConfig
    """

    overall: pd.DataFrame
    categories: pd.DataFrame
    capabilities: pd.DataFrame
    replicates: np.ndarray | None
    by: tuple[str, ...]
    config: ModelConfig

    def table(self, level: str = "overall") -> pd.DataFrame:
        """``overall`` (alias ``municipality``), ``category`` or ``capability``."""
        tables = {"overall": self.overall, "municipality": self.overall,
                  "category": self.categories, "capability": self.capabilities}
        if level not in tables:
            raise DimiosError(f"unknown level {level!r}; expected one of {sorted(tables)}")
        return tables[level]


def score(
    responses: pd.DataFrame,
    *,
    by: Sequence[str] = ("municipality_code", "round"),
    bank: ItemBank | None = None,
    config: ModelConfig | None = None,
    ci: bool = True,
) -> Scores:
    """Score validated responses for any grouping.

    Parameters
    ----------
    responses : DataFrame
        Canonical long format (:func:`dimios_lib.contracts.responses.read_responses` or
        :func:`~dimios_lib.contracts.responses.validate_responses`).
    by : sequence of str
        Grouping columns, each constant within a respondent: ``municipality_code``, ``round``,
        ``unit``, ``role``. ``("municipality_code", "round")`` by default; add ``"unit"`` or
        ``"role"`` for finer tables. Respondents with a missing unit/role form their own group
        (shown with a missing key), never dropped.
    bank, config
        Item bank and model configuration (defaults: packaged bank, model defaults).
    ci : bool
        Compute bootstrap intervals (the slow part).

    Returns
    -------
    Scores

    Notes
    -----
    Hand-computed cases (a two-respondent example, Karlskoga's published figures, mean of
    categories versus mean of items) are in ``tests/test_scoring.py``.
    """
    model = Model.build(bank, config)
    by = tuple(by)
    x, group_keys, starts, n_group = respondent_matrix(responses, by=by, model=model)
    # Point estimates: segment sums.
    mask = (~np.isnan(x)).astype(np.float64)
    x0 = np.where(mask > 0, x, 0.0)
    sums = np.add.reduceat(x0, starts, axis=0)
    counts = np.add.reduceat(mask, starts, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_answer = sums / counts
    ipct = model.to_pct(mean_answer)
    cat, dim, mat = model.aggregate(ipct)
    point = np.column_stack([ipct, cat, dim, mat])
    lo = hi = reps = None
    if ci:
        lo, hi, reps = _bootstrap(model, x0, mask, starts, n_group,
                                  group_keys, point)
    return _tables(model, by, group_keys, n_group, counts, mean_answer, point, lo, hi, reps)


@dataclass(frozen=True)
class RespondentMatrix:
    """Answers as a respondents x items matrix (reverse items flipped, NaN = missing).

    Rows are sorted by group; group ``g`` holds rows ``starts[g] : starts[g] + n_group[g]``.
    Respondents with no answer at all are not in it.
    """

    x: np.ndarray
    group_keys: pd.DataFrame
    starts: np.ndarray
    n_group: np.ndarray

    def __iter__(self):
        return iter((self.x, self.group_keys, self.starts, self.n_group))


def respondent_matrix(responses: pd.DataFrame, *, by: Sequence[str], model: Model
                      ) -> RespondentMatrix:
    """Build the :class:`RespondentMatrix` of validated responses for a grouping."""
    config = model.config
    by = tuple(by)
    missing = [c for c in by + RESPONDENT_KEY + ("item_id", "answer") if c not in responses]
    if missing:
        raise DimiosError(f"responses lack the columns {missing}")
    item_pos = {i: k for k, i in enumerate(model.bank.item_ids)}
    item_idx = responses["item_id"].map(item_pos)
    if item_idx.isna().any():
        unknown = sorted(responses.loc[item_idx.isna(), "item_id"].unique())[:5]
        raise DimiosError(f"item ids not in the item bank: {unknown}; validate the data first")
    answers = responses["answer"].to_numpy(dtype=float)
    keep = ~np.isnan(answers)
    # Group and respondent codes, sorted so that a group's respondents are contiguous.
    key_cols = list(dict.fromkeys(by + RESPONDENT_KEY))
    codes = []
    uniques = {}
    for c in key_cols:
        code, uniq = pd.factorize(responses[c], sort=True, use_na_sentinel=False)
        codes.append(code[keep])
        uniques[c] = uniq
    item_idx = item_idx.to_numpy()[keep].astype(np.intp)
    values = answers[keep]
    flip = model.reverse[item_idx]
    values = np.where(flip, config.scale_min + config.scale_max - values, values)
    # Respondent id: lexicographic over (by..., rest of respondent key).
    resp_code, resp_first = _combine(codes)
    n_resp = len(resp_first)
    n_items = len(item_pos)
    x = np.full((n_resp, n_items), np.nan)
    dup = pd.Series(resp_code * n_items + item_idx).duplicated()
    if dup.any():
        raise DimiosError("two answers by one respondent to one item; validate the data first")
    x[resp_code, item_idx] = values
    group_codes = [c[resp_first] for c in codes[: len(by)]]
    starts = _segments(group_codes)
    group_keys = pd.DataFrame({c: uniques[c][gc[starts]] for c, gc in zip(by, group_codes)})
    _check_constant(codes, by, key_cols)
    n_group = np.diff(np.append(starts, n_resp))
    return RespondentMatrix(x, group_keys, starts, n_group)


def _combine(codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Dense codes of the combined key, in lexicographic order, and each code's first row."""
    order = np.lexsort(codes[::-1])
    sorted_codes = [c[order] for c in codes]
    change = np.zeros(len(order), dtype=bool)
    if len(order):
        change[0] = True
    for c in sorted_codes:
        change[1:] |= c[1:] != c[:-1]
    dense_sorted = np.cumsum(change) - 1
    dense = np.empty_like(dense_sorted)
    dense[order] = dense_sorted
    first = order[change]
    return dense, first


def _segments(group_codes: list[np.ndarray]) -> np.ndarray:
    """For rows already sorted by group: the first row of each group."""
    n = len(group_codes[0]) if group_codes else 0
    change = np.zeros(n, dtype=bool)
    if n:
        change[0] = True
    for c in group_codes:
        change[1:] |= c[1:] != c[:-1]
    return np.flatnonzero(change)


def _check_constant(codes, by, key_cols):
    """A grouping column must not vary within a respondent (else the groups are ill-defined).

    The respondent is (municipality_code, round, respondent_id) alone: the combined key used
    for the matrix also holds the grouping columns, so it cannot see such a variation.
    """
    extra = [j for j, c in enumerate(key_cols[: len(by)]) if c not in RESPONDENT_KEY]
    if not extra:
        return
    respondent, _ = _combine([codes[key_cols.index(c)] for c in RESPONDENT_KEY])
    for j in extra:
        per = pd.Series(codes[j]).groupby(respondent).nunique()
        if (per > 1).any():
            raise DimiosError(f"column {key_cols[j]!r} varies within a respondent; it cannot "
                              "group respondents")


def _bootstrap(model: Model, x0: np.ndarray, m: np.ndarray, starts: np.ndarray,
               n_group: np.ndarray, group_keys: pd.DataFrame, point: np.ndarray):
    config = model.config
    b = config.bootstrap_resamples
    alpha = (1 - config.ci_level) / 2
    n_groups, width = point.shape
    lo = np.empty((n_groups, width))
    hi = np.empty((n_groups, width))
    reps = np.empty((n_groups, b, 3), dtype=np.float32)
    keys = list(group_keys.itertuples(index=False, name=None))
    for g in range(n_groups):
        s, n = starts[g], n_group[g]
        rng = group_seed(config.seed, *keys[g])
        w = _resample_counts(rng, n, b)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = (w @ x0[s:s + n]) / (w @ m[s:s + n])
        ipct = model.to_pct(means)
        cat, dim, mat = model.aggregate(ipct)
        stacked = np.column_stack([ipct, cat, dim, mat])
        q = column_quantiles(stacked, (alpha, 1 - alpha))
        # A statistic with no data in the group has no interval.
        q[:, np.isnan(point[g])] = np.nan
        lo[g], hi[g] = q
        reps[g, :, :2] = dim
        reps[g, :, 2] = mat
    return lo, hi, reps


def _tables(model, by, group_keys, n_group, counts, mean_answer, point, lo, hi, reps) -> Scores:
    bank = model.bank
    n_items, n_cats = len(bank.items), len(bank.categories)
    overall = group_keys.copy()
    if "municipality_code" in by:
        names = municipalities().set_index("municipality_code")["municipality_name"]
        overall.insert(by.index("municipality_code") + 1, "municipality_name",
                       overall["municipality_code"].map(names))
    overall["n_respondents"] = n_group
    for k, name in enumerate(MEASURES):
        col = n_items + n_cats + k
        overall[f"{name}_pct"] = point[:, col]
        if lo is not None:
            overall[f"{name}_ci_low"] = lo[:, col]
            overall[f"{name}_ci_high"] = hi[:, col]
    overall["type"] = classify(overall["capability_pct"], overall["legacy_pct"],
                               config=model.config)

    def long(first: int, labels: pd.DataFrame, extra: dict) -> pd.DataFrame:
        width = len(labels)
        g = np.repeat(np.arange(len(group_keys)), width)
        t = group_keys.iloc[g].reset_index(drop=True)
        lab = labels.iloc[np.tile(np.arange(width), len(group_keys))].reset_index(drop=True)
        t = pd.concat([t, lab], axis=1)
        t["n_respondents"] = np.repeat(n_group, width)
        for name, arr in extra.items():
            t[name] = arr.ravel()
        t["pct"] = point[:, first:first + width].ravel()
        if lo is not None:
            t["ci_low"] = lo[:, first:first + width].ravel()
            t["ci_high"] = hi[:, first:first + width].ravel()
        return t

    categories = long(n_items, bank.categories[["dimension", "category"]], {})
    capabilities = long(0, bank.items[["dimension", "category", "item_id"]],
                        {"n_answers": counts.astype(np.int64), "mean_answer": mean_answer})
    return Scores(overall, categories, capabilities, reps, by, model.config)
