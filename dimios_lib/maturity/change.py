"""Change between rounds: for each municipality (or unit, role), the difference between a round
and an earlier round in which it has data, with an interval and a test of "no change" that know
which respondents answered both rounds.

**Linking.** A respondent id that occurs in both rounds of the same municipality (or unit, role:
the entity) is the same person. Their answers in the two rounds are correlated (the same view of
the same organisation), so a panel measures change far more precisely than two fresh samples;
treating a panel as two independent samples makes the interval too wide, and treating fresh
samples as paired is impossible.

**Method** (``change_test``). A t-test of the respondents' jackknife pseudo-values
(:attr:`Scores.pseudo_values`) for two partially overlapping samples: the estimate is the
difference of the two direct estimates; its variance has a part for the respondents only in one
round and a part for the linked respondents, which carries their covariance. By default
(``"decomposed"``, :func:`dimios_lib.stats.overlap.overlap_decomposed`) the three parts are
estimated separately, :math:`n_a s_1^2/n_1^2 + n_b s_2^2/n_2^2 + n_{12} s_z^2`, with
Satterthwaite's degrees of freedom; ``"derrick"`` is the partially overlapping samples t-test
(Derrick, Russ, Toher & White 2017, :func:`~dimios_lib.stats.overlap.overlap_t`). Either way a
panel gets the paired t-test and fresh samples Welch's test: with every item answered the
pseudo-values are the respondents' own scores, so these are the textbook tests of respondent
scores; with missing answers the pseudo-values are the respondents' linearised contributions.
One estimator covers panels, fresh samples and everything in between, and needs no choice of
design. With fewer than ``change_min_linked`` linked respondents they are treated as
independent.

A change is called a change (``*_significant``) only when its interval at ``ci_level``
excludes zero, which is the same as ``*_p_value < 1 - ci_level``: the change alone. The shared
change table (``dimios tables``) replaces this flag by the municipality report's call, decided
across the report's comparisons (:mod:`dimios_lib.maturity.claims`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DimiosError
from ..stats.overlap import overlap_decomposed, overlap_t
from .scoring import MEASURES, Scores

DESIGNS = ("panel", "partial", "independent")


def round_changes(scores: Scores, *, base: str = "previous") -> pd.DataFrame:
    """Change of capability, legacy and maturity between rounds, with intervals and p-values.

    Parameters
    ----------
    scores : Scores
        Scored by ``round`` and at least one more key (municipality, unit, role), with intervals
        (``ci=True``: the respondents' pseudo-values).
    base : {"previous", "first"}
        Compare each round with the entity's previous round with data, or with its first round
        (change over all rounds).

    Returns
    -------
    DataFrame
        One row per entity x round after its first: the entity keys, ``round_from``,
        ``round_to``, ``n_from``, ``n_to``, ``n_linked`` (respondents in both rounds),
        ``design`` (``panel``: every respondent in both; ``independent``: none; ``partial``),
        and for each measure ``{m}_change`` (``round_to`` − ``round_from``), ``{m}_ci_low``,
        ``{m}_ci_high``, ``{m}_se``, ``{m}_df``, ``{m}_p_value`` (two-sided, of no change) and
        ``{m}_significant`` (the interval excludes zero).

    Examples
    --------
    Six respondents answer twice, every item 3, 4, 4, 5, 5, 5 in the first round and 3, 5, 5,
    6, 6, 6 in the second: every respondent's score rises 20 points but the first one's. Change
    16.67; the panel's paired t-test of the respondents' scores (scipy's ``ttest_rel``) has se
    √(66.67 / 6) = 3.33 on 5 df.

    >>> from dimios_lib.maturity.scoring import score
    >>> from dimios_lib.reference.items import load_item_bank
    >>> items = load_item_bank().items
    >>> first, second = [3, 4, 4, 5, 5, 5], [3, 5, 5, 6, 6, 6]
    >>> rows = [("0114", rnd, f"r{r}", None, None, i, 7 - v if rev else v)
    ...         for rnd, values in (("2023-11", first), ("2024-05", second))
    ...         for r, v in enumerate(values) for i, rev in zip(items.item_id, items.reverse)]
    >>> data = pd.DataFrame(rows, columns=["municipality_code", "round", "respondent_id", "unit",
    ...                                    "role", "item_id", "answer"])
    >>> c = round_changes(score(data)).iloc[0]
    >>> c.design, int(c.n_linked), round(float(c.maturity_change), 2), round(float(c.maturity_se), 2)
    ('panel', 6, 16.67, 3.33)
    """
    pseudo = scores.pseudo_values
    if pseudo is None:
        raise DimiosError("round changes need scores computed with intervals (ci=True)")
    if "round" not in scores.by:
        raise DimiosError("round changes need scores by round")
    if base not in ("previous", "first"):
        raise DimiosError("base must be 'previous' or 'first'")
    overall = scores.overall
    config = scores.config
    entity = [c for c in scores.by if c != "round"]
    groups = _respondents(pseudo)
    order = overall.sort_values(entity + ["round"], kind="stable").index.to_numpy()
    pairs = []
    for _, block in overall.loc[order].groupby(entity, sort=False, dropna=False):
        idx = block.index.to_numpy()
        pairs += [(idx[j - 1] if base == "previous" else idx[0], idx[j])
                  for j in range(1, len(idx))]
    rows = []
    for a, b in pairs:
        row = {c: overall.at[b, c] for c in entity}
        if "municipality_name" in overall:
            row["municipality_name"] = overall.at[b, "municipality_name"]
        ids_a, vals_a = groups[a]
        ids_b, vals_b = groups[b]
        _, ia, ib = np.intersect1d(ids_a, ids_b, assume_unique=True, return_indices=True)
        n_linked = len(ia)
        design = ("independent" if n_linked == 0 else
                  "panel" if n_linked == len(ids_a) == len(ids_b) else "partial")
        row.update(round_from=overall.at[a, "round"], round_to=overall.at[b, "round"],
                   n_from=int(overall.at[a, "n_respondents"]),
                   n_to=int(overall.at[b, "n_respondents"]), n_linked=n_linked, design=design)
        for k, m in enumerate(MEASURES):
            change = overall.at[b, f"{m}_pct"] - overall.at[a, f"{m}_pct"]
            res = _test(change, vals_b[:, k], vals_a[:, k], ib, ia, config.change_min_linked,
                        config.ci_level, config.change_test)
            row.update({f"{m}_change": change, f"{m}_ci_low": res[0], f"{m}_ci_high": res[1],
                        f"{m}_se": res[2], f"{m}_df": res[3], f"{m}_p_value": res[4],
                        f"{m}_significant": bool(res[0] > 0 or res[1] < 0)})
        rows.append(row)
    columns = [*entity] + (["municipality_name"] if "municipality_name" in overall else []) + [
        "round_from", "round_to", "n_from", "n_to", "n_linked", "design"] + [
        f"{m}_{s}" for m in MEASURES
        for s in ("change", "ci_low", "ci_high", "se", "df", "p_value", "significant")]
    return pd.DataFrame(rows, columns=columns)


def _respondents(p: pd.DataFrame) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Each group's respondent ids (as text) and pseudo-values (respondents x 3)."""
    ids = p["respondent_id"].astype(str).to_numpy()
    values = p[list(MEASURES)].to_numpy(dtype=float)
    group = p["group"].to_numpy()
    bounds = np.flatnonzero(np.diff(group)) + 1
    starts = np.concatenate([[0], bounds]) if len(group) else np.zeros(0, dtype=int)
    ends = np.concatenate([bounds, [len(group)]]) if len(group) else np.zeros(0, dtype=int)
    return {int(group[s]): (ids[s:e], values[s:e]) for s, e in zip(starts, ends)}


def _test(change: float, to_values: np.ndarray, from_values: np.ndarray, i_to: np.ndarray,
          i_from: np.ndarray, min_linked: int, level: float, method: str
          ) -> tuple[float, float, float, float, float]:
    """(ci_low, ci_high, se, df, p) of one measure's change from the respondents' pseudo-values
    (NaN where a respondent does not contribute to the measure)."""
    nan = (np.nan,) * 5
    ok_to, ok_from = ~np.isnan(to_values), ~np.isnan(from_values)
    n1, n2 = int(ok_to.sum()), int(ok_from.sum())
    if np.isnan(change) or n1 < 2 or n2 < 2:
        return nan
    both = ok_to[i_to] & ok_from[i_from]
    x3, x4 = to_values[i_to[both]], from_values[i_from[both]]
    n12 = len(x3)
    v1, v2 = to_values[ok_to].var(ddof=1), from_values[ok_from].var(ddof=1)
    if method == "decomposed":
        linked = n12 >= min_linked
        var_z = float((x3 / n1 - x4 / n2).var(ddof=1)) if linked else 0.0
        res = overlap_decomposed(change, v1, v2, n1, n2, n12 if linked else 0, var_z,
                                 level=level)
    else:
        r = 0.0
        if n12 >= min_linked and x3.std() > 0 and x4.std() > 0:
            r = float(np.corrcoef(x3, x4)[0, 1])
        res = overlap_t(change, v1, v2, n1, n2, n12, r, level=level)
    return (float(res.ci_low), float(res.ci_high), float(res.se), float(res.df),
            float(res.p_value))
