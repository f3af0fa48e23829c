"""What a study's results allow one to say, as codes and numbers: warnings where the design
cannot carry a claim, and one conclusion per dimension as strong as the evidence. (The reason
for each municipality's design is its ``overlap`` code and ``n_matched``.)

Nothing here is prose: the sentences are in the message catalogs and
:mod:`dimios_lib.text.study` renders them in Swedish or English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

#: Every warning code, in the order the warnings are given (docs/study.md, section 8).
WARNING_CODES = ("synthetic", "small_group", "few_respondents", "partial_overlap",
                 "sensitivity_disagrees", "scores_missing", "random_effects", "few_clusters",
                 "no_comparison", "parallel_trends", "unreliable_scale", "ordinal_failed")


#: Every conclusion level, strongest first (docs/study.md, section 9).
LEVELS = ("did_supported", "did_suggestive", "change_not_attributable",
          "change_without_comparison", "no_clear_change", "insufficient_data")


#: The columns of :attr:`StudyResults.conclusions <dimios_lib.study.analysis.StudyResults>`.
CONCLUSION_COLUMNS = ("dimension", "level", "estimate", "ci_low", "ci_high", "p_adjusted",
                      "permutation_p", "min_permutation_p", "n_municipalities")


@dataclass(frozen=True)
class StudyWarning:
    """A warning where the design cannot carry a claim: a code and the figures its sentence
    states (rendered by :func:`dimios_lib.text.study.warning_text`).

    Attributes
    ----------
    code : str
        One of :data:`WARNING_CODES`.
    municipality_code, dimension : str or None
        What the warning is about, where it is about one municipality or dimension.
    wave : str or None
        ``before`` or ``after``, where it is about one wave.
    arm : str or None
        ``treated`` or ``comparison``, where it is about one pooled analysis.
    values : mapping
        The numbers the warning states (counts, thresholds, statistics), by name; for
        ``ordinal_failed`` the ids of the ``items``.
    """

    code: str
    municipality_code: str | None = None
    dimension: str | None = None
    wave: str | None = None
    arm: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in WARNING_CODES:
            raise ValueError(f"unknown study warning {self.code!r}")
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))


def _warnings_for(data, scores, design, muni, sensitivity, pooled, did, items, reliability,
                  config) -> list[StudyWarning]:
    out: list[StudyWarning] = []
    if data.attrs.get("synthetic"):
        out.append(StudyWarning("synthetic"))
    for rec in design.itertuples(index=False):
        for side, n in (("before", rec.n_before), ("after", rec.n_after)):
            if n < config.min_group_size:
                out.append(StudyWarning("small_group", rec.municipality_code, wave=side, values={
                    "n": int(n), "min_group_size": config.min_group_size}))
            elif n < config.small_sample:
                out.append(StudyWarning("few_respondents", rec.municipality_code, wave=side,
                                        values={"n": int(n), "small_sample": config.small_sample}))
        if rec.overlap == "partial":
            out.append(StudyWarning("partial_overlap", rec.municipality_code, values={
                "n_matched": int(rec.n_matched), "n_before": int(rec.n_before),
                "n_after": int(rec.n_after)}))
    if not sensitivity.empty:
        main = muni.set_index(["municipality_code", "dimension"])
        for rec in sensitivity.itertuples(index=False):
            p_main = main.at[(rec.municipality_code, rec.dimension), "p_adjusted"]
            if not (np.isfinite(p_main) and np.isfinite(rec.p_adjusted)):
                continue
            if (p_main < config.alpha) != (rec.p_adjusted < config.alpha):
                out.append(StudyWarning("sensitivity_disagrees", rec.municipality_code,
                                        rec.dimension))
    dropped = int(scores["score"].isna().sum())
    if dropped:
        out.append(StudyWarning("scores_missing", values={
            "n": dropped, "min_item_share": config.min_item_share}))
    k = int((design["arm"] == "treated").sum())
    if k < config.min_random_effects_groups:
        out.append(StudyWarning("random_effects", values={
            "n_municipalities": k, "min_random_effects_groups": config.min_random_effects_groups}))
    for rec in pooled.itertuples(index=False):
        if rec.n_clusters < config.min_clusters:
            out.append(StudyWarning("few_clusters", dimension=rec.dimension, arm=rec.arm, values={
                "n_clusters": int(rec.n_clusters), "min_clusters": config.min_clusters}))
    if did is None:
        out.append(StudyWarning("no_comparison"))
    else:
        rec = did.iloc[0]
        out.append(StudyWarning("few_clusters", values={
            "n_municipalities": int(rec["n_municipalities"]), "n_treated": int(rec["n_treated"]),
            "n_comparison": int(rec["n_comparison"]), "min_clusters": config.min_clusters,
            "n_assignments": int(rec["n_assignments"]),
            "min_permutation_p": float(rec["min_permutation_p"])}))
        out.append(StudyWarning("parallel_trends"))
    for rec in reliability.itertuples(index=False):
        if np.isfinite(rec.alpha) and rec.alpha < config.min_reliability:
            out.append(StudyWarning("unreliable_scale", dimension=rec.dimension, wave=rec.wave,
                                    values={"alpha": float(rec.alpha),
                                            "min_reliability": config.min_reliability}))
    if items is not None:
        failed = items.loc[~items["converged"].astype(bool), "item_id"].tolist()
        if failed:
            out.append(StudyWarning("ordinal_failed", values={"items": tuple(failed)}))
    return out


def _conclusions(pooled, did, instrument, config) -> pd.DataFrame:
    """One row per dimension: the ``level`` (:data:`LEVELS`) and the figures it rests on.

    ``estimate``/``ci_low``/``ci_high``/``p_adjusted`` are the difference-in-differences where
    the level rests on it, else the treated municipalities' pooled change; ``permutation_p``,
    ``min_permutation_p`` (the smallest p the permutation test can give) and
    ``n_municipalities`` come from the difference-in-differences (missing without one).
    """
    rows = []
    treated = pooled.loc[pooled["arm"] == "treated"].set_index("dimension")
    d = did.set_index("dimension") if did is not None else None
    for dim in instrument.dimension_ids:
        p = treated.loc[dim]
        estimate, low, high = p["mean_diff"], p["mean_diff_ci_low"], p["mean_diff_ci_high"]
        p_adj, perm, min_p, g = p["p_adjusted"], np.nan, np.nan, np.nan
        changed = np.isfinite(p_adj) and p_adj < config.alpha
        if not np.isfinite(p_adj):
            level = "insufficient_data"
        elif d is not None:
            r = d.loc[dim]
            perm, min_p, g = r["permutation_p"], r["min_permutation_p"], r["n_municipalities"]
            did_adj = r["p_adjusted"]
            if np.isfinite(did_adj) and did_adj < config.alpha:
                level = "did_supported" if perm <= config.alpha else "did_suggestive"
                estimate, low, high, p_adj = r["estimate"], r["ci_low"], r["ci_high"], did_adj
            elif changed:
                level = "change_not_attributable"
            else:
                level = "no_clear_change"
                estimate, low, high, p_adj = r["estimate"], r["ci_low"], r["ci_high"], did_adj
        else:
            level = "change_without_comparison" if changed else "no_clear_change"
        rows.append({"dimension": dim, "level": level, "estimate": estimate, "ci_low": low,
                     "ci_high": high, "p_adjusted": p_adj, "permutation_p": perm,
                     "min_permutation_p": min_p, "n_municipalities": g})
    return pd.DataFrame(rows, columns=list(CONCLUSION_COLUMNS))
