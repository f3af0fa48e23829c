"""Reliability of the DiMiOS scales and of municipality means.

Per group (default: per round) and scale (every category, both dimensions, and maturity):

* **individual level**: Cronbach's alpha and McDonald's omega of the scale's items, from
  pairwise covariances by default (``ModelConfig.reliability_missing``), with a flag for a
  Heywood case (:mod:`dimios_lib.stats.reliability`). Maturity is a composite of the two
  dimensions, not one scale, so it has no alpha or omega of its own;
* **municipality means**: ICC(1) and ICC(2) of the respondents' scale scores over the
  municipalities shown (at least ``min_group_size`` respondents, the municipalities a benchmark
  counts). ICC(1) is the share of the variation that lies between municipalities; ICC(2) is the
  reliability of a municipality's mean of ``respondents_per_municipality`` respondents
  (:func:`dimios_lib.stats.reliability.icc_oneway`).

A respondent's scale score is the model applied to that respondent alone: each answered item's
%, the mean of the answered items of each category, the mean of the categories of each
dimension, the mean of the dimensions (:meth:`dimios_lib.maturity.scoring.Model.aggregate`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..config import ModelConfig
from ..reference.items import ItemBank
from ..stats.reliability import cronbach_alpha, icc_oneway, mcdonald_fit, pairwise_moments

COLUMNS = ["level", "scale", "k_items", "n_respondents", "n_complete", "n_pairs_min", "alpha",
           "omega", "heywood", "icc1", "icc2", "n_municipalities",
           "respondents_per_municipality"]


def reliability(
    responses: pd.DataFrame,
    *,
    by: Sequence[str] = ("round",),
    bank: ItemBank | None = None,
    config: ModelConfig | None = None,
) -> pd.DataFrame:
    """Alpha, omega, ICC(1) and ICC(2) for every category, each dimension and maturity, per group
    (default: per round).

    Reverse-scored items are flipped first. Returns one row per group x scale: the ``by``
    columns, ``level`` (``category``, ``dimension`` or ``overall``), ``scale`` (category or
    dimension name, or ``maturity``), ``k_items``, ``n_respondents`` (who answered at least one
    item of the scale), ``n_complete`` (who answered every item), ``n_pairs_min`` (the fewest
    respondents behind one item pair's covariance), ``alpha``, ``omega``, ``heywood`` (the
    one-factor fit reached a loading of 1 and was refitted within the bounds), ``icc1``,
    ``icc2``, ``n_municipalities`` and ``respondents_per_municipality`` (the average
    municipality size n0 that ICC(2) refers to). ICCs are missing when ``municipality_code`` is
    one of ``by``.

    Examples
    --------
    Four respondents in each of two municipalities; every one answers 4 on every item of the
    Innovation category, except that one answers 5 and one 6 on INN1, and one answers
    "vet ej" on INN2:

    >>> from dimios_lib.reference.items import load_item_bank
    >>> bank = load_item_bank()
    >>> inn = [i for i in bank.item_ids if i.startswith("INN")]
    >>> rows = [(m, "2024-05", f"{m}-r{r}", i, 4.0) for m in ("0114", "0180")
    ...         for r in range(4) for i in inn]
    >>> t = pd.DataFrame(rows, columns=["municipality_code", "round", "respondent_id", "item_id",
    ...                                 "answer"])
    >>> t.loc[0, "answer"], t.loc[6, "answer"], t.loc[13, "answer"] = 5.0, 6.0, None
    >>> r = reliability(t, bank=bank, config=ModelConfig(min_group_size=4))
    >>> row = r[r["scale"] == "Innovation"].iloc[0]
    >>> int(row.k_items), int(row.n_respondents), int(row.n_complete), int(row.n_municipalities)
    (6, 8, 7, 2)
    """
    from .scoring import Model, respondent_matrix

    model = Model.build(bank, config)
    bank, config = model.bank, model.config
    missing = config.reliability_missing
    by = tuple(by)
    per_municipality = "municipality_code" not in by
    grouping = by + (("municipality_code",) if per_municipality else ())
    x, keys, starts, n_group = respondent_matrix(responses, by=grouping, model=model)
    if not len(keys):
        return pd.DataFrame(columns=[*by, *COLUMNS])
    items = bank.items
    scales = [("category", c, np.flatnonzero((items["category"] == c).to_numpy()))
              for c in bank.categories["category"]]
    scales += [("dimension", d, np.flatnonzero((items["dimension"] == d).to_numpy()))
               for d in ("capability", "legacy")]
    scales.append(("overall", "maturity", np.arange(len(items))))
    person = _respondent_scores(model, x)
    cat_names = list(bank.categories["category"])
    # the respondent matrix is sorted by ``by`` and then municipality: each ``by`` group is a run
    codes = np.column_stack([pd.factorize(keys[c], use_na_sentinel=False)[0] for c in by]
                            ) if by else np.zeros((len(keys), 1), dtype=np.intp)
    first = np.flatnonzero(np.r_[True, (codes[1:] != codes[:-1]).any(axis=1)])
    rows = []
    for a, b in zip(first, np.r_[first[1:], len(keys)]):
        g_idx = np.arange(a, b)
        lo, hi = starts[a], starts[b - 1] + n_group[b - 1]
        block = x[lo:hi]
        key = dict(zip(by, keys.iloc[g_idx[0]][list(by)])) if by else {}
        muni = np.repeat(np.arange(len(g_idx)), n_group[g_idx])
        shown = n_group[g_idx] >= config.min_group_size
        for level, name, cols in scales:
            sub = block[:, cols]
            answered = ~np.isnan(sub)
            row = {**key, "level": level, "scale": name, "k_items": len(cols),
                   "n_respondents": int(answered.any(axis=1).sum()),
                   "n_complete": int(answered.all(axis=1).sum())}
            if level == "overall":
                row.update(n_pairs_min=np.nan, alpha=np.nan, omega=np.nan, heywood=False)
            else:
                n_pairs = pairwise_moments(sub)[2] if len(cols) > 1 else np.array([[0]])
                fit = mcdonald_fit(sub, missing=missing)
                row.update(n_pairs_min=int(n_pairs.min()) if len(cols) > 1 else np.nan,
                           alpha=cronbach_alpha(sub, missing=missing), omega=fit.omega,
                           heywood=fit.heywood)
            scores = person[level][lo:hi] if level == "overall" else (
                person[level][lo:hi, cat_names.index(name) if level == "category"
                              else ("capability", "legacy").index(name)])
            if per_municipality:
                keep = shown[muni]
                icc = icc_oneway(scores[keep], muni[keep])
                row.update(icc1=icc["icc1"], icc2=icc["icc2"],
                           n_municipalities=int(len(np.unique(muni[keep & ~np.isnan(scores)]))),
                           respondents_per_municipality=icc["n0"])
            else:
                row.update(icc1=np.nan, icc2=np.nan, n_municipalities=np.nan,
                           respondents_per_municipality=np.nan)
            rows.append(row)
    return pd.DataFrame(rows, columns=[*by, *COLUMNS])


def _respondent_scores(model, x: np.ndarray) -> dict[str, np.ndarray]:
    """Each respondent's category, dimension and maturity % (rows of ``x``)."""
    pct = model.to_pct(x)
    cat, dim, mat = model.aggregate(pct)
    return {"category": cat, "dimension": dim, "overall": mat}
