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
                 "did_bound", "no_comparison", "parallel_trends", "unreliable_scale",
                 "ordinal_failed")


#: Every conclusion level, strongest first (docs/study.md, section 9).
LEVELS = ("did_supported", "did_suggestive", "change_not_attributable",
          "change_without_comparison", "no_clear_change", "insufficient_data")


#: The columns of :attr:`StudyResults.conclusions <dimios_lib.study.analysis.StudyResults>`.
CONCLUSION_COLUMNS = ("dimension", "level", "estimate", "ci_low", "ci_high", "p_adjusted",
                      "permutation_p", "min_permutation_p", "n_municipalities", "inference",
                      "wild_p_adjusted", "permutation_p_adjusted", "min_p_adjusted",
                      "confirm_min_p_adjusted")


#: The column of :func:`did_by_dimension <dimios_lib.study.analysis.did_by_dimension>` each
#: test across municipalities is judged on, and the smallest p it can give.
_TESTS = {"wild_cluster": ("wild_p_adjusted", "min_wild_p"),
          "randomisation": ("permutation_p_adjusted", "min_permutation_p")}


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
        g = int(rec["n_municipalities"])
        primary, confirm = _primary(config)
        m = int(did[_TESTS[primary][0]].notna().sum())
        if g < config.min_clusters:
            out.append(StudyWarning("few_clusters", values={
                "n_municipalities": g, "n_treated": int(rec["n_treated"]),
                "n_comparison": int(rec["n_comparison"]), "min_clusters": config.min_clusters,
                "inference": primary, "confirm": confirm, "weights": config.did_weights,
                "adjustment": config.did_adjustment, "n_dimensions": m,
                "wild_draws": int(rec["wild_draws"]), "min_wild_p": float(rec["min_wild_p"]),
                "n_assignments": int(rec["n_assignments"]),
                "min_permutation_p": float(rec["min_permutation_p"])}))
        bound = smallest_adjusted_p(float(rec[_TESTS[primary][1]]), m, config.did_adjustment)
        if bound > config.alpha:
            out.append(StudyWarning("did_bound", values={
                "n_municipalities": g, "inference": primary, "n_dimensions": m,
                "adjustment": config.did_adjustment, "min_p_adjusted": bound,
                "alpha": config.alpha}))
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


def _primary(config) -> tuple[str, str]:
    """The test a DiD conclusion rests on and the one that must agree for "supported"."""
    primary = config.did_inference
    return primary, next(t for t in _TESTS if t != primary)


def smallest_adjusted_p(min_p: float, m: int, method: str = "holm") -> float:
    """The smallest adjusted p a test can give when each of ``m`` p-values is at least ``min_p``.

    Holm multiplies the smallest p by ``m``; Benjamini–Hochberg can leave it as it is (when all
    ``m`` p-values are that small).

    Examples
    --------
    Rademacher wild bootstrap with 6 municipalities (p at least 2/64), four dimensions:

    >>> smallest_adjusted_p(2 / 64, 4), smallest_adjusted_p(2 / 64, 4, "fdr_bh")
    (0.125, 0.03125)
    """
    if not np.isfinite(min_p) or m < 1:
        return float("nan")
    return float(min(1.0, min_p * m)) if method == "holm" else float(min_p)


def did_level(row, config) -> str | None:
    """What one dimension's difference-in-differences supports, judged across municipalities.

    Parameters
    ----------
    row : mapping
        A row of :func:`~dimios_lib.study.analysis.did_by_dimension`: ``wild_p_adjusted`` and
        ``permutation_p_adjusted``.
    config : StudyConfig
        ``did_inference`` (the test it rests on), ``alpha``.

    Returns
    -------
    str or None
        ``"did_supported"`` when the chosen test (adjusted across the dimensions) is at most
        ``alpha`` and the other test across municipalities agrees; ``"did_suggestive"`` (an
        indication) when only the chosen test is; None when the chosen test is not.

    Examples
    --------
    >>> from dimios_lib.config import StudyConfig
    >>> cfg = StudyConfig()
    >>> did_level({"wild_p_adjusted": 0.01, "permutation_p_adjusted": 0.2}, cfg)
    'did_suggestive'
    >>> did_level({"wild_p_adjusted": 0.01, "permutation_p_adjusted": 0.04}, cfg)
    'did_supported'
    >>> did_level({"wild_p_adjusted": 0.06, "permutation_p_adjusted": 0.01}, cfg) is None
    True
    """
    primary, confirm = _primary(config)
    p, p2 = row[_TESTS[primary][0]], row[_TESTS[confirm][0]]
    if not (np.isfinite(p) and p <= config.alpha):
        return None
    return "did_supported" if np.isfinite(p2) and p2 <= config.alpha else "did_suggestive"


def _conclusions(pooled, did, instrument, config) -> pd.DataFrame:
    """One row per dimension: the ``level`` (:data:`LEVELS`) and the figures it rests on.

    With comparison municipalities a level about the intervention rests on the tests across
    municipalities (:func:`did_level`); ``estimate``/``ci_low``/``ci_high`` are then the
    difference-in-differences with the wild cluster bootstrap's interval and ``p_adjusted``
    the chosen test's adjusted p. Otherwise (``change_*``, and every level without comparison
    municipalities) they are the treated municipalities' pooled change, whose p is Holm across
    the dimensions at respondent level: a change *in these municipalities*, never an effect.
    ``inference`` is the test the level rests on, ``min_p_adjusted`` the smallest adjusted p
    it can give (above ``alpha``: the design cannot show an effect) and
    ``confirm_min_p_adjusted`` that of the other test.
    """
    rows = []
    treated = pooled.loc[pooled["arm"] == "treated"].set_index("dimension")
    d = did.set_index("dimension") if did is not None else None
    primary, confirm = _primary(config)
    for dim in instrument.dimension_ids:
        p = treated.loc[dim]
        estimate, low, high = p["mean_diff"], p["mean_diff_ci_low"], p["mean_diff_ci_high"]
        p_adj = p["p_adjusted"]
        extra = dict.fromkeys(("permutation_p", "min_permutation_p", "n_municipalities",
                               "wild_p_adjusted", "permutation_p_adjusted", "min_p_adjusted",
                               "confirm_min_p_adjusted"), np.nan)
        inference = "respondents"
        changed = np.isfinite(p_adj) and p_adj < config.alpha
        if not np.isfinite(p_adj):
            level = "insufficient_data"
        elif d is not None:
            r = d.loc[dim]
            m = int(d[_TESTS[primary][0]].notna().sum())
            extra.update({k: r[k] for k in ("permutation_p", "min_permutation_p",
                                            "n_municipalities", "wild_p_adjusted",
                                            "permutation_p_adjusted")})
            extra["min_p_adjusted"] = smallest_adjusted_p(r[_TESTS[primary][1]], m,
                                                          config.did_adjustment)
            extra["confirm_min_p_adjusted"] = smallest_adjusted_p(r[_TESTS[confirm][1]], m,
                                                                  config.did_adjustment)
            level = did_level(r, config) or ("change_not_attributable" if changed
                                             else "no_clear_change")
            if level != "change_not_attributable":
                inference = primary
                estimate, low, high = r["estimate"], r["wild_ci_low"], r["wild_ci_high"]
                p_adj = r[_TESTS[primary][0]]
        else:
            level = "change_without_comparison" if changed else "no_clear_change"
        rows.append({"dimension": dim, "level": level, "estimate": estimate, "ci_low": low,
                     "ci_high": high, "p_adjusted": p_adj, "inference": inference, **extra})
    return pd.DataFrame(rows, columns=list(CONCLUSION_COLUMNS))
