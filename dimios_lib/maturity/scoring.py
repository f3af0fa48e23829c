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

Intervals (:mod:`dimios_lib.maturity.inference`): by default the jackknife t-interval, the
estimate ± t with k - 1 degrees of freedom × its delete-one jackknife standard error, k the
respondents who answered the statistic's items (a single item's variance moderated towards the
group's item variances); or, as an option, the percentile bootstrap of respondents within each
group (``interval_method``), each group's generator seeded from the configured seed and the
group's key. Either way a group's interval is the same whichever other groups are scored with
it. Respondents who answered no item ("vet ej" throughout) carry no information and are not
counted in ``n_respondents``.

Scored by municipality, the overall measures also get small-area (empirical Bayes) estimates
with intervals (:mod:`dimios_lib.maturity.smallarea`), and each respondent's jackknife
pseudo-values are kept for change between rounds (:mod:`dimios_lib.maturity.change`).

Everything is vectorised: the answers become one respondents x items matrix; point estimates
are segment sums over it, the jackknife's leave-one-out values are those sums minus each
respondent's row, and a group's bootstrap is two matrix products of resample counts with its
block of the matrix.
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
from .inference import score_intervals
from .smallarea import small_area_columns
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
        One row per group: the ``by`` columns, ``n_respondents``, for each of ``capability``,
        ``legacy`` and ``maturity`` the direct estimate ``{m}_pct`` and, when intervals were
        computed, ``{m}_ci_low``, ``{m}_ci_high``, ``{m}_se`` (standard error) and ``{m}_df``
        (degrees of freedom of its t-interval; missing for the bootstrap), then ``type``; scored
        by municipality also the small-area estimates ``{m}_eb_pct``, ``{m}_eb_ci_low``,
        ``{m}_eb_ci_high``, ``{m}_eb_se`` (root mean squared error) and ``{m}_eb_shrinkage``
        (:mod:`dimios_lib.maturity.smallarea`).
    categories : DataFrame
        One row per group x category: ``dimension, category, n_respondents, pct, ci_low,
        ci_high, se, df``.
    capabilities : DataFrame
        One row per group x item: ``dimension, category, item_id, n_respondents, n_answers,
        mean_answer, pct, ci_low, ci_high, se, df`` (``mean_answer`` after reverse scoring).
    replicates : ndarray or None
        Bootstrap replicates of capability, legacy and maturity, shape (groups, resamples, 3),
        aligned with ``overall`` (``interval_method="bootstrap"`` only).
    by : tuple of str
    config : ModelConfig
    pseudo_values : DataFrame or None
        One row per respondent: ``group`` (row of ``overall``), ``respondent_id`` and the
        jackknife pseudo-values of ``capability``, ``legacy`` and ``maturity`` (missing where
        the respondent answered none of the measure's items). Over a group's respondents their
        variance divided by their number is the jackknife variance; with every item answered
        they are the respondents' own scores. Change between rounds pairs them by respondent.
    small_area : DataFrame or None
        The small-area model fitted per round and measure (``n_areas``, ``mean``,
        ``between_sd``, ``within_sd``, ``converged``).
    """

    overall: pd.DataFrame
    categories: pd.DataFrame
    capabilities: pd.DataFrame
    replicates: np.ndarray | None
    by: tuple[str, ...]
    config: ModelConfig
    pseudo_values: pd.DataFrame | None = None
    small_area: pd.DataFrame | None = None

    def table(self, level: str = "overall") -> pd.DataFrame:
        """``overall`` (alias ``municipality``), ``category`` or ``capability``."""
        tables = {"overall": self.overall, "municipality": self.overall,
                  "category": self.categories, "capability": self.capabilities}
        if level not in tables:
            raise DimiosError(f"unknown level {level!r}; expected one of {sorted(tables)}")
        return tables[level]

    def subset(self, rows) -> Scores:
        """The scores of some rows of ``overall`` (positions or a boolean mask), with their
        replicates and pseudo-values; categories and capabilities are kept whole."""
        idx = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        pseudo = None
        if self.pseudo_values is not None:
            new = pd.Series(np.arange(len(idx)), index=idx)
            p = self.pseudo_values[self.pseudo_values["group"].isin(idx)].copy()
            p["group"] = new.loc[p["group"]].to_numpy()
            pseudo = p.sort_values("group", kind="stable").reset_index(drop=True)
        return Scores(self.overall.iloc[idx].reset_index(drop=True), self.categories,
                      self.capabilities,
                      None if self.replicates is None else self.replicates[idx],
                      self.by, self.config, pseudo, self.small_area)


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
        Compute intervals, pseudo-values and small-area estimates.

    Returns
    -------
    Scores

    Notes
    -----
    Hand-computed cases (a two-respondent example, Karlskoga's published figures, mean of
    categories versus mean of items) and the intervals against scipy's t-interval are in
    ``tests/maturity/test_scoring.py``; the methods and their coverage in docs/inference.md.
    """
    model = Model.build(bank, config)
    by = tuple(by)
    rm = respondent_matrix(responses, by=by, model=model)
    x, group_keys, starts, n_group = rm
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
    if not ci:
        return _tables(model, by, group_keys, n_group, counts, mean_answer, point, None)
    inf = score_intervals(model, x0, mask, starts, n_group, group_keys, sums, counts, point)
    scores = _tables(model, by, group_keys, n_group, counts, mean_answer, point, inf)
    scores.pseudo_values = pd.DataFrame({
        "group": np.repeat(np.arange(len(n_group)), n_group),
        "respondent_id": rm.respondent_ids,
        **{m: inf.pseudo[:, k] for k, m in enumerate(MEASURES)}})
    if "municipality_code" in by:
        columns, scores.small_area = small_area_columns(scores.overall, by, inf.jk_var,
                                                        inf.jk_k, MEASURES, model.config)
        scores.overall = pd.concat([scores.overall, pd.DataFrame(columns)], axis=1)
    return scores


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
    respondent_ids: np.ndarray | None = None

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
    rid = key_cols.index("respondent_id")
    ids = np.asarray(uniques["respondent_id"])[codes[rid][resp_first]]
    return RespondentMatrix(x, group_keys, starts, n_group, ids)


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


def _tables(model, by, group_keys, n_group, counts, mean_answer, point, inf) -> Scores:
    bank = model.bank
    n_items, n_cats = len(bank.items), len(bank.categories)
    overall = group_keys.copy()
    if "municipality_code" in by:
        names = municipalities().set_index("municipality_code")["municipality_name"]
        overall.insert(by.index("municipality_code") + 1, "municipality_name",
                       overall["municipality_code"].map(names))
    overall["n_respondents"] = n_group
    stats = {} if inf is None else {"ci_low": inf.lo, "ci_high": inf.hi, "se": inf.se,
                                    "df": inf.df}
    for k, name in enumerate(MEASURES):
        col = n_items + n_cats + k
        overall[f"{name}_pct"] = point[:, col]
        for suffix, values in stats.items():
            overall[f"{name}_{suffix}"] = values[:, col]
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
        for suffix, values in stats.items():
            t[suffix] = values[:, first:first + width].ravel()
        return t

    categories = long(n_items, bank.categories[["dimension", "category"]], {})
    capabilities = long(0, bank.items[["dimension", "category", "item_id"]],
                        {"n_answers": counts.astype(np.int64), "mean_answer": mean_answer})
    return Scores(overall, categories, capabilities,
                  None if inf is None else inf.replicates, by, model.config)
