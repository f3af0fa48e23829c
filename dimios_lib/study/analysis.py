"""The analysis of a before/after study: :func:`analyse_study`, the one entry point, and
:class:`StudyResults`, every result as privacy-safe tables.

* Unit of analysis: a respondent's **dimension score** (:mod:`dimios_lib.study.scores`);
  differences are *after − before*.
* **Per municipality**: the design's tests and effect sizes (:mod:`dimios_lib.study.compare`),
  Holm across the municipality's dimensions; partial overlap also analyses the matched subset
  paired, as a sensitivity check.
* **Pooled**: OLS with municipality fixed effects; with comparison municipalities
  **difference-in-differences**, tested across municipalities with a wild cluster bootstrap
  and a permutation test over assignments of treatment, adjusted across the dimensions
  (:func:`did_by_dimension`, :mod:`dimios_lib.stats.models`).
* The item-level ordinal check and reliability (:mod:`dimios_lib.study.items`), warnings and
  conclusions (:mod:`dimios_lib.study.verdicts`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import StudyConfig
from ..contracts.study import ARMS, STUDY_COLUMNS, WAVES
from ..errors import DimiosError
from ..reference.instrument import Instrument, load_instrument
from ..reference.municipalities import municipalities
from ..stats.models import difference_in_differences, fixed_effects_change
from ..stats.multiplicity import adjust_pvalues
from .compare import compare_waves
from .items import ordinal_item_check, study_reliability
from .scores import choose_design, dimension_scores
from .verdicts import StudyWarning, _conclusions, _warnings_for

TABLE_COLUMNS = (
    "municipality_code", "municipality_name", "arm", "dimension", "wave_before", "wave_after",
    "n_before", "n_after", "n_matched", "mean_before", "mean_after", "sd_before", "sd_after",
    "mean_diff", "mean_diff_ci_low", "mean_diff_ci_high", "design", "overlap", "test",
    "statistic", "df", "p_value", "p_adjusted", "effect_size", "effect_size_kind", "ci_low",
    "ci_high", "rank_test", "rank_statistic", "rank_p_value", "rank_p_adjusted", "rank_biserial",
    "rank_biserial_ci_low", "rank_biserial_ci_high", "bm_statistic", "bm_df", "bm_p_value",
    "bm_p_adjusted", "matched_mean_diff", "matched_p_value", "did_estimate", "did_ci_low",
    "did_ci_high", "did_p_value", "did_p_adjusted", "did_permutation_p",
    "did_permutation_p_adjusted", "did_wild_p", "did_wild_p_adjusted", "did_wild_ci_low",
    "did_wild_ci_high", "small_group", "suppressed",
)


_KEEP_WHEN_SUPPRESSED = {"municipality_code", "municipality_name", "arm", "dimension",
                         "wave_before", "wave_after", "n_before", "n_after", "n_matched",
                         "design", "overlap", "test", "effect_size_kind", "rank_test",
                         "small_group", "suppressed"}


POOLED = "pooled"


POOLED_COMPARISON = "pooled_comparison"


#: The ``test`` of the pooled rows (per municipality: :data:`~dimios_lib.study.compare.TESTS`).
POOLED_TEST = "OLS, municipality fixed effects, SE clustered by respondent"


@dataclass(frozen=True)
class StudyResults:
    """Every result of a before/after study (:func:`analyse_study`). Aggregates only.

    Attributes
    ----------
    municipalities : DataFrame
        One row per municipality x dimension: the main analysis (:func:`compare_waves`
        columns, ``p_adjusted`` etc. Holm across the municipality's dimensions).
    pooled : DataFrame
        One row per arm x dimension: fixed-effects OLS (:func:`fixed_effects_change`), Holm
        across dimensions within the arm.
    design : DataFrame
        One row per municipality (:func:`choose_design`: counts, ``n_matched``, ``overlap``,
        ``design``), ``municipality_name`` and ``sensitivity_agrees`` (partial overlap: do the
        main and the matched-subset analyses agree on significance in every dimension; else
        None). The reason for the design is the ``overlap`` code (``full``, ``none``,
        ``partial``) with ``n_matched``; :func:`dimios_lib.text.study.design_frame` adds it in
        words.
    sensitivity : DataFrame
        Partial-overlap municipalities x dimensions: the matched subset analysed paired.
    did : DataFrame or None
        One row per dimension (:func:`did_by_dimension`): the tests across municipalities the
        verdict rests on (``wild_*``, ``permutation_*``, adjusted across the dimensions) and,
        for transparency, the respondent-clustered ones; None without comparison
        municipalities.
    items : DataFrame or None
        :func:`ordinal_item_check`; None if switched off.
    reliability : DataFrame
        :func:`study_reliability` per wave and dimension.
    scores : DataFrame
        Respondent-level dimension scores for plots: ``municipality_code, arm, wave, person,
        matched, dimension, score`` — an opaque ``person`` number, no respondent ids.
    warnings : tuple of StudyWarning
        Codes and the figures they state (:mod:`dimios_lib.study.verdicts`); in words:
        :func:`dimios_lib.text.study.warnings_frame`.
    conclusions : DataFrame
        One row per dimension: the ``level`` of what the evidence supports
        (:data:`~dimios_lib.study.verdicts.LEVELS`) and the figures it rests on
        (:data:`~dimios_lib.study.verdicts.CONCLUSION_COLUMNS`); in words:
        :func:`dimios_lib.text.study.conclusions_frame`.
    waves : dict
        ``{"before": label, "after": label}``.
    """

    municipalities: pd.DataFrame
    pooled: pd.DataFrame
    design: pd.DataFrame
    sensitivity: pd.DataFrame
    did: pd.DataFrame | None
    items: pd.DataFrame | None
    reliability: pd.DataFrame
    scores: pd.DataFrame
    warnings: tuple[StudyWarning, ...]
    conclusions: pd.DataFrame
    waves: dict[str, str]
    instrument: Instrument
    config: StudyConfig
    source: str | None = None
    synthetic: bool = False

    @property
    def has_comparison(self) -> bool:
        return self.did is not None

    def table(self, *, suppress_small: bool = True) -> pd.DataFrame:
        """One row per (municipality or pooled) x dimension: the ``dimios study`` output.

        Columns :data:`TABLE_COLUMNS`. Municipality rows first (treated, then comparison),
        then ``pooled`` (treated municipalities) and, with comparison municipalities,
        ``pooled_comparison``; the ``did_*`` columns are filled on the ``pooled`` rows only.
        A row whose smaller wave has fewer than ``min_group_size`` respondents has
        ``small_group = True``; with ``suppress_small`` (default) its values are blanked and
        ``suppressed = True``.
        """
        muni = self.municipalities.copy()
        sens = self.sensitivity
        if not sens.empty:
            m = sens.set_index(["municipality_code", "dimension"])
            key = pd.MultiIndex.from_frame(muni[["municipality_code", "dimension"]])
            muni["matched_mean_diff"] = m["mean_diff"].reindex(key).to_numpy()
            muni["matched_p_value"] = m["p_value"].reindex(key).to_numpy()
        pooled = self.pooled.copy()
        pooled["municipality_code"] = np.where(pooled["arm"] == "treated", POOLED,
                                               POOLED_COMPARISON)
        if self.did is not None:
            d = self.did.set_index("dimension")
            on = pooled["arm"] == "treated"
            for src, dst in (("estimate", "did_estimate"), ("ci_low", "did_ci_low"),
                             ("ci_high", "did_ci_high"), ("p_value", "did_p_value"),
                             ("p_adjusted", "did_p_adjusted"),
                             ("permutation_p", "did_permutation_p"),
                             ("permutation_p_adjusted", "did_permutation_p_adjusted"),
                             ("wild_p", "did_wild_p"), ("wild_p_adjusted", "did_wild_p_adjusted"),
                             ("wild_ci_low", "did_wild_ci_low"),
                             ("wild_ci_high", "did_wild_ci_high")):
                pooled.loc[on, dst] = pooled.loc[on, "dimension"].map(d[src])
        out = pd.concat([muni, pooled], ignore_index=True)
        out["wave_before"] = self.waves.get("before")
        out["wave_after"] = self.waves.get("after")
        for col in TABLE_COLUMNS:
            if col not in out:
                out[col] = np.nan
        out["small_group"] = (out[["n_before", "n_after"]].min(axis=1)
                              < self.config.min_group_size)
        out["suppressed"] = out["small_group"] & suppress_small
        if suppress_small:
            blank = [c for c in TABLE_COLUMNS if c not in _KEEP_WHEN_SUPPRESSED]
            out[blank] = out[blank].astype(object)
            out.loc[out["suppressed"], blank] = np.nan
            out[blank] = out[blank].infer_objects()
        return out[list(TABLE_COLUMNS)].reset_index(drop=True)


def analyse_study(data: pd.DataFrame, instrument: Instrument | None = None, *,
                  config: StudyConfig | None = None) -> StudyResults:
    """Analyse a before/after study: per municipality, pooled, difference-in-differences, items.

    Parameters
    ----------
    data : DataFrame
        A canonical study frame from :func:`read_study` or :func:`validate_study`.
    instrument : Instrument, optional
        The instrument the data were validated against (default: the packaged one).
    config : StudyConfig, optional
        Every parameter of the analysis (seed, resamples, thresholds of the warnings).

    Returns
    -------
    StudyResults

    Examples
    --------
    >>> from dimios_lib.contracts.study import validate_study
    >>> from dimios_lib.demo.study import generate_study_demo
    >>> data = validate_study(generate_study_demo())
    >>> res = analyse_study(data, config=StudyConfig(ordinal=False, bootstrap_resamples=200))
    >>> res.design.set_index("municipality_code").loc["0580", "design"]
    'paired'
    """
    instrument = load_instrument() if instrument is None else instrument
    config = StudyConfig() if config is None else config
    missing = [c for c in STUDY_COLUMNS if c not in data.columns]
    if missing or not data["wave"].isin(WAVES).all():
        raise DimiosError("analyse_study needs a canonical study frame: load the file with "
                          "read_study() or check a frame with validate_study() first")
    waves = dict(data.attrs.get("waves") or {
        w: str(data.loc[data["wave"] == w, "wave_label"].iloc[0]) for w in WAVES})
    names = dict(zip(municipalities()["municipality_code"],
                     municipalities()["municipality_name"]))
    scores = dimension_scores(data, instrument, config=config)
    design = choose_design(scores)
    design["municipality_name"] = design["municipality_code"].map(names)
    design["_arm"] = design["arm"].map({"treated": 0, "comparison": 1})
    design = design.sort_values(["_arm", "municipality_code"]).drop(columns="_arm")
    design = design.reset_index(drop=True)
    dims = instrument.dimension_ids
    valid = scores.loc[scores["score"].notna()]
    per_muni, sens_rows = [], []
    for rec in design.itertuples(index=False):
        block = valid.loc[valid["municipality_code"] == rec.municipality_code]
        for dim in dims:
            d = block.loc[block["dimension"] == dim]
            b = d.loc[d["wave"] == "before"].set_index("person")["score"]
            a = d.loc[d["wave"] == "after"].set_index("person")["score"]
            key = (rec.municipality_code, dim)
            if rec.design == "paired":
                both = b.index.intersection(a.index)
                res = compare_waves(b.loc[both], a.loc[both], paired=True, **_boot(config, key))
            else:
                res = compare_waves(b, a, paired=False, **_boot(config, key))
                res["n_matched"] = int(len(b.index.intersection(a.index)))
            res.update(municipality_code=rec.municipality_code,
                       municipality_name=rec.municipality_name, arm=rec.arm, dimension=dim,
                       overlap=rec.overlap)
            per_muni.append(res)
            if rec.overlap == "partial":
                both = b.index.intersection(a.index)
                s = compare_waves(b.loc[both], a.loc[both], paired=True,
                                  **_boot(config, (*key, "matched")))
                s.update(municipality_code=rec.municipality_code,
                         municipality_name=rec.municipality_name, arm=rec.arm, dimension=dim)
                sens_rows.append(s)
    muni = pd.DataFrame(per_muni)
    for p, adj in (("p_value", "p_adjusted"), ("rank_p_value", "rank_p_adjusted"),
                   ("bm_p_value", "bm_p_adjusted")):
        muni[adj] = muni.groupby("municipality_code", sort=False)[p].transform(
            lambda s: pd.Series(adjust_pvalues(s), index=s.index))
    sensitivity = pd.DataFrame(sens_rows)
    if not sensitivity.empty:
        sensitivity["p_adjusted"] = sensitivity.groupby("municipality_code", sort=False)[
            "p_value"].transform(lambda s: pd.Series(adjust_pvalues(s), index=s.index))
    pooled = _pooled(valid, design, dims, names, config)
    arms = set(design["arm"])
    did = (did_by_dimension(valid, dims, config=config) if arms == {"treated", "comparison"}
           else None)
    items = ordinal_item_check(data, instrument, config=config) if config.ordinal else None
    reliability = study_reliability(data, instrument)
    reliability.insert(1, "wave_label", reliability["wave"].map(waves))
    # Matched: a score (any dimension) in both waves, as in choose_design.
    matched = valid.groupby("person")["wave"].transform("nunique") == 2
    public = valid.assign(matched=matched)[["municipality_code", "arm", "wave", "person",
                                            "matched", "dimension", "score"]]
    public = public.reset_index(drop=True)
    design["sensitivity_agrees"] = _sensitivity_agrees(design, muni, sensitivity, config)
    warns = _warnings_for(data, scores, design, muni, sensitivity, pooled, did, items,
                          reliability, config)
    conclusions = _conclusions(pooled, did, instrument, config)
    return StudyResults(
        municipalities=muni, pooled=pooled, design=design, sensitivity=sensitivity, did=did,
        items=items, reliability=reliability, scores=public, warnings=tuple(warns),
        conclusions=conclusions, waves=waves, instrument=instrument, config=config,
        source=data.attrs.get("source"), synthetic=bool(data.attrs.get("synthetic", False)))


def _sensitivity_agrees(design, muni, sensitivity, config) -> list:
    """Per municipality: do the main and the matched-subset analyses agree on significance in
    every dimension (Holm, ``alpha``)? None where there is no sensitivity check."""
    if sensitivity.empty:
        return [None] * len(design)
    main = muni.set_index(["municipality_code", "dimension"])["p_adjusted"]
    out: list[bool | None] = []
    for code in design["municipality_code"]:
        sens = sensitivity.loc[sensitivity["municipality_code"] == code]
        if sens.empty:
            out.append(None)
            continue
        agree = [(main[(code, d)] < config.alpha) == (p < config.alpha)
                 for d, p in zip(sens["dimension"], sens["p_adjusted"])
                 if np.isfinite(p) and np.isfinite(main[(code, d)])]
        out.append(bool(all(agree)))
    return out


def _boot(config: StudyConfig, key: tuple) -> dict:
    return {"ci_level": config.ci_level, "n_resamples": config.bootstrap_resamples,
            "seed": config.seed, "rng_key": key}


def _pooled(valid, design, dims, names, config) -> pd.DataFrame:
    rows = []
    for arm in ARMS:
        codes = design.loc[design["arm"] == arm, "municipality_code"].tolist()
        if not codes:
            continue
        for dim in dims:
            sub = valid.loc[valid["municipality_code"].isin(codes) & (valid["dimension"] == dim)]
            res = fixed_effects_change(sub, ci_level=config.ci_level,
                                       n_resamples=config.bootstrap_resamples,
                                       seed=config.seed, rng_key=(arm, dim))
            rows.append({
                "arm": arm, "dimension": dim,
                "municipality_name": ", ".join(names.get(c, c) for c in codes),
                "n_municipalities": res["n_municipalities"], "n_before": res["n_before"],
                "n_after": res["n_after"], "n_matched": res["n_matched"],
                "mean_before": res["mean_before"], "mean_after": res["mean_after"],
                "mean_diff": res["estimate"], "se": res["se"],
                "mean_diff_ci_low": res["ci_low"], "mean_diff_ci_high": res["ci_high"],
                "design": "pooled", "overlap": "",
                "test": POOLED_TEST,
                "statistic": res["statistic"], "df": res["df"], "p_value": res["p_value"],
                "n_clusters": res["n_clusters"], "effect_size": res["effect_size"],
                "effect_size_kind": "g_within", "ci_low": res["g_ci_low"],
                "ci_high": res["g_ci_high"]})
    out = pd.DataFrame(rows)
    out["p_adjusted"] = out.groupby("arm", sort=False)["p_value"].transform(
        lambda s: pd.Series(adjust_pvalues(s), index=s.index))
    return out


def did_by_dimension(scores: pd.DataFrame, dimensions, *, config: StudyConfig | None = None
                     ) -> pd.DataFrame:
    """The difference-in-differences of each dimension, adjusted across the dimensions.

    Parameters
    ----------
    scores : DataFrame
        Respondent dimension scores (:func:`~dimios_lib.study.scores.dimension_scores`, or any
        frame with ``municipality_code, arm, wave, person, dimension, score``), treated and
        comparison municipalities.
    dimensions : sequence of str
        The family of dimensions the p-values are adjusted across.
    config : StudyConfig, optional
        ``ci_level``, ``seed``, ``max_permutations`` and the ``did_*`` parameters.

    Returns
    -------
    DataFrame
        One row per dimension: :func:`~dimios_lib.stats.models.difference_in_differences`'s
        columns and ``p_adjusted`` (respondent level, Holm: for transparency),
        ``wild_p_adjusted`` and ``permutation_p_adjusted`` (across municipalities, by
        ``config.did_adjustment``), on which :func:`~dimios_lib.study.verdicts.did_level`
        decides.

    Examples
    --------
    >>> from dimios_lib.demo.study import generate_study_demo
    >>> from dimios_lib.contracts.study import validate_study
    >>> from dimios_lib.study.scores import dimension_scores
    >>> scores = dimension_scores(validate_study(generate_study_demo()))
    >>> did = did_by_dimension(scores, ["purpose", "impact"])
    >>> did[["dimension", "n_municipalities", "wild_draws", "min_wild_p", "n_assignments"]
    ...     ].to_numpy().tolist()
    [['purpose', 6, 64, 0.03125, 20], ['impact', 6, 64, 0.03125, 20]]
    """
    config = StudyConfig() if config is None else config
    valid = scores.loc[scores["score"].notna()]
    rows = []
    for dim in dimensions:
        res = difference_in_differences(valid.loc[valid["dimension"] == dim],
                                        ci_level=config.ci_level,
                                        max_permutations=config.max_permutations,
                                        seed=config.seed, weights=config.did_weights,
                                        n_resamples=config.did_resamples, rng_key=(dim,))
        rows.append({"dimension": dim, **res})
    out = pd.DataFrame(rows)
    out["p_adjusted"] = adjust_pvalues(out["p_value"])
    for p in ("wild_p", "permutation_p"):
        out[f"{p}_adjusted"] = adjust_pvalues(out[p], method=config.did_adjustment)
    return out


def csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """A study table as ``dimios study`` writes it: p-values to 4 significant digits (a p of
    3e-9 must not print as 0), other numbers to 6 decimals.

    Examples
    --------
    >>> csv_ready(pd.DataFrame({"p_value": [3.14159e-9, 0.0123456], "mean_diff": [0.1234567, 1.0]}
    ...                        )).to_numpy().tolist()
    [[3.142e-09, 0.123457], [0.01235, 1.0]]
    """
    frame = frame.copy()
    for col in frame.select_dtypes("float").columns:
        x = frame[col].to_numpy()
        if col.startswith("p_") or col.endswith(("p_value", "p_adjusted", "permutation_p")):
            with np.errstate(divide="ignore", invalid="ignore"):
                mag = np.where(np.isfinite(x) & (x != 0),
                               np.floor(np.log10(np.abs(np.where(x == 0, 1, x)))), 0)
            frame[col] = [v if not np.isfinite(v) else round(v, int(3 - m))
                          for v, m in zip(x, mag)]
        else:
            frame[col] = frame[col].round(6)
    return frame
