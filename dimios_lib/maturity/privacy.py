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


def _in_span(rows: np.ndarray, target: np.ndarray) -> tuple[bool, np.ndarray]:
    """Whether ``target`` is a linear combination of ``rows``, and the coefficients."""
    if rows.shape[0] == 0:
        return False, np.zeros(0)
    coef, *_ = np.linalg.lstsq(rows.T, target, rcond=None)
    return bool(np.abs(rows.T @ coef - target).max() < 1e-8), coef


def hierarchy_suppression(item_counts: np.ndarray, category_counts: np.ndarray,
                          dimension_counts: np.ndarray, *, model, min_size: int
                          ) -> dict[str, np.ndarray]:
    """Which values of a score table to hide so that no value resting on fewer than
    ``min_size`` respondents can be worked back from the others.

    A group's category % is the mean of its items' %, a dimension the mean of its categories,
    maturity the weighted mean of the dimensions (:mod:`dimios_lib.maturity.scoring`): exact
    linear relations. So hiding an item answered by 3 respondents is not enough when its
    category and the category's other items are shown: ``k x category - others`` gives it back.
    Each value answered by fewer than ``min_size`` respondents (an item, a category, a
    dimension) is hidden (*primary*), and then, while the shown values of the group still
    determine a hidden one (its weight vector over the items lies in the span of the shown
    values' weight vectors), one more value is hidden (*complementary*): the first, in the
    order items of the same category, items of the same dimension, categories of the same
    dimension, maturity, the dimensions (each by increasing count), whose hiding alone breaks
    the determination, else the first that the determination uses.

    Parameters
    ----------
    item_counts, category_counts, dimension_counts : ndarray
        Per group (rows) the respondents who answered each item, at least one item of each
        category, at least one item of each dimension (bank order; dimensions capability,
        legacy).
    model : Model
        The scoring model (its item, category and dimension weights).
    min_size : int

    Returns
    -------
    dict
        Boolean arrays ``item`` (groups x items), ``category``, ``dimension`` and ``maturity``
        (groups): the values to hide. Values without any answer are not marked (they are
        missing anyway).

    Examples
    --------
    One group; the Organisation category (items ORG1, ORG2) with ORG2 answered by 3: hiding
    ORG2 alone leaves it as 2 x Organisation - ORG1, so ORG1 is hidden as well.

    >>> from dimios_lib.maturity.scoring import Model
    >>> model = Model.build()
    >>> items = np.full((1, 26), 9); items[0, 19] = 3          # ORG2 is the 20th item
    >>> cats, dims = np.full((1, 6), 9), np.full((1, 2), 9)
    >>> hide = hierarchy_suppression(items, cats, dims, model=model, min_size=5)
    >>> [model.bank.item_ids[i] for i in np.flatnonzero(hide["item"][0])]
    ['ORG1', 'ORG2']
    >>> bool(hide["category"].any() or hide["dimension"].any() or hide["maturity"].any())
    False
    """
    items, cats, dims = (np.asarray(a) for a in (item_counts, category_counts, dimension_counts))
    n_groups, n_items = items.shape
    n_cats = cats.shape[1]
    out = {"item": (items > 0) & (items < min_size), "category": (cats > 0) & (cats < min_size),
           "dimension": (dims > 0) & (dims < min_size), "maturity": np.zeros(n_groups, bool)}
    todo = np.flatnonzero(out["item"].any(axis=1) | out["category"].any(axis=1)
                          | out["dimension"].any(axis=1))
    item_cat = model.bank.item_category_index
    cat_dim = model.bank.category_dimension_index
    for g in todo:
        hidden = np.concatenate([out["item"][g], out["category"][g], out["dimension"][g], [False]])
        vectors, has = _node_vectors(model, items[g] > 0)
        counts = np.concatenate([items[g], cats[g], dims[g], [dims[g].min()]]).astype(float)
        family = np.concatenate([item_cat, np.arange(n_cats), [-1, -2], [-3]])
        dim_of = np.concatenate([cat_dim[item_cat], cat_dim, [0, 1], [-1]])
        level = np.concatenate([np.zeros(n_items), np.ones(n_cats), [3, 3], [2]])
        while True:
            shown = np.flatnonzero(has & ~hidden)
            target = next((t for t in np.flatnonzero(has & hidden)
                           if _in_span(vectors[shown], vectors[t])[0]), None)
            if target is None:
                break
            order = sorted(shown, key=lambda j: (level[j] > 0 or family[j] != family[target],
                                                 level[j], dim_of[j] != dim_of[target],
                                                 counts[j], j))
            pick = next((j for j in order
                         if not _in_span(vectors[shown[shown != j]], vectors[target])[0]), None)
            if pick is None:
                coef = _in_span(vectors[shown], vectors[target])[1]
                used = {int(j) for j, c in zip(shown, coef) if abs(c) > 1e-8}
                pick = next(j for j in order if j in used)
            hidden[pick] = True
        out["item"][g] = hidden[:n_items] & has[:n_items]
        out["category"][g] = hidden[n_items:n_items + n_cats] & has[n_items:n_items + n_cats]
        out["dimension"][g] = hidden[n_items + n_cats:-1] & has[n_items + n_cats:-1]
        out["maturity"][g] = hidden[-1] & has[-1]
    return out


def _node_vectors(model, answered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value's weights over the items (items, categories, dimensions, maturity; rows) for a
    group whose answered items are ``answered``, and which values exist."""
    items = np.diag(answered.astype(float))
    cat = model.item_to_category * answered[:, None]          # items x categories
    has_cat = cat.sum(axis=0) > 0
    cat = np.where(has_cat, cat / np.where(has_cat, cat.sum(axis=0), 1), 0).T
    dim_w = model.category_to_dimension * has_cat[:, None]    # categories x dimensions
    has_dim = dim_w.sum(axis=0) > 0
    dim = (np.where(has_dim, dim_w / np.where(has_dim, dim_w.sum(axis=0), 1), 0).T @ cat)
    mat = (model.dimension_weights @ dim)[None, :]
    has = np.concatenate([answered, has_cat, has_dim, [has_dim.all()]])
    return np.vstack([items, cat, dim, mat]), has


def answer_counts(responses: pd.DataFrame, *, by, model) -> dict[str, np.ndarray]:
    """Per group of :func:`dimios_lib.maturity.scoring.score` (same order): the respondents who
    answered each item, at least one item of each category, of each dimension."""
    from .scoring import respondent_matrix

    x, _, starts, _ = respondent_matrix(responses, by=by, model=model)
    answered = ~np.isnan(x)
    bank = model.bank
    cat = np.zeros((len(bank.item_ids), len(bank.categories)), dtype=np.int64)
    cat[np.arange(len(bank.item_ids)), bank.item_category_index] = 1
    dims = (bank.items["dimension"].to_numpy()[:, None] == np.array(["capability", "legacy"]))

    def per_group(flags: np.ndarray) -> np.ndarray:
        if not len(flags):
            return np.zeros((0, flags.shape[1]), dtype=np.int64)
        return np.add.reduceat(flags.astype(np.int64), starts, axis=0)

    return {"item": per_group(answered), "category": per_group(answered.astype(int) @ cat > 0),
            "dimension": per_group(answered.astype(int) @ dims.astype(int) > 0)}


def protect_values(scores, responses: pd.DataFrame, *, model):
    """The scores with every value that may not be shared set missing: the groups below
    ``min_group_size`` (whole rows) and the values :func:`hierarchy_suppression` hides
    (with their intervals; a type when either dimension is hidden). Counts stay: they are
    needed to tell which rows are shown. Returns a new :class:`~dimios_lib.maturity.scoring.Scores`.
    """
    from dataclasses import replace

    from .scoring import MEASURES

    min_n = model.config.min_group_size
    counts = answer_counts(responses, by=scores.by, model=model)
    hide = hierarchy_suppression(counts["item"], counts["category"], counts["dimension"],
                                 model=model, min_size=min_n)
    small = scores.overall["n_respondents"].to_numpy() < min_n
    overall = scores.overall.copy()
    hidden = {"capability": hide["dimension"][:, 0] | small,
              "legacy": hide["dimension"][:, 1] | small}
    hidden["maturity"] = hide["maturity"] | hidden["capability"] | hidden["legacy"]
    values = value_columns(overall)
    for m in MEASURES:  # the estimate, its interval, se and df, and its small-area estimate
        for c in (c for c in values if c.startswith(f"{m}_")):
            overall.loc[hidden[m], c] = np.nan
    overall["type"] = overall["type"].astype(object)
    overall.loc[hidden["capability"] | hidden["legacy"], "type"] = None

    def blank(table: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
        out = table.copy()
        for c in value_columns(out):  # an item's df would tell its hidden number of answers
            out.loc[mask, c] = np.nan
        return out

    categories = blank(scores.categories, (hide["category"] | small[:, None]).ravel())
    caps_small = small[:, None] | (counts["item"] < min_n)
    capabilities = blank(scores.capabilities, (hide["item"] | caps_small).ravel())
    return replace(scores, overall=overall, categories=categories, capabilities=capabilities)
