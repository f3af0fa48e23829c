"""The model configuration: every assumption of the scoring model as a named, documented parameter.

Defaults follow the project's domain brief (section 1). Where nothing public settles a choice it
is marked *assumption*; a researcher can change any value in Python or with a YAML file::

    scale_min: 1
    scale_max: 6
    min_group_size: 5
    capability_cutoff: 50

and ``dimios score --config model.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .errors import ConfigError

DIMENSIONS = ("capability", "legacy")
BENCHMARK_WEIGHTS = ("municipalities", "respondents")
RELIABILITY_MISSING = ("pairwise", "listwise")
#: The rules that decide a report's claims across its comparisons (docs/inference.md).
CLAIMS_ADJUSTMENTS = ("fdr_bh", "fdr_by", "holm", "none")
RANK_METHODS = ("bonferroni", "overlap")

#: The choices of :class:`StudyConfig`'s difference-in-differences inference.
DID_INFERENCE = ("wild_cluster", "randomisation")
DID_WEIGHTS = ("rademacher", "webb")
DID_ADJUSTMENTS = ("holm", "fdr_bh")


def _frozen(mapping: Mapping[str, float] | None) -> Mapping[str, float] | None:
    return None if mapping is None else MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class ModelConfig:
    """Parameters of the DiMiOS scoring model.

    Parameters
    ----------
    scale_min, scale_max : int
        Answer scale. Published: a six-point scale (1-6).
    missing_tokens : tuple of str
        Answer texts read as missing (compared case-insensitively, surrounding blanks removed).
        Assumption: "vet ej" (don't know) is missing, not a low answer.
    reverse_scoring : bool
        Flip reverse-scored items (``x -> scale_min + scale_max - x``) before scoring.
    item_weights, category_weights : mapping or None
        Weights of items within their category and of categories within their dimension.
        ``None`` (default, assumption) means unweighted means.
    dimension_weights : mapping
        Weights of the two dimensions in overall maturity. Default 0.5 each: maturity is the mean
        of capability and legacy (consistent with Karlskoga's published figures).
    capability_cutoff, legacy_cutoff : float
        Cut-offs (in %) of the A-D type grid; a value at or above the cut-off counts as high
        capability / enabling legacy. Assumption: 50 % on both axes.
    min_group_size : int
        Groups of fewer respondents are suppressed in anything meant to be shared.
        Assumption: 5, a standard survey-privacy rule.
    interval_method : {"jackknife_t", "bootstrap"}
        How a score's interval is computed. ``"jackknife_t"`` (default): the estimate ± t with
        *k* - 1 degrees of freedom × its delete-one jackknife standard error, *k* the
        respondents who answered the statistic's items (Tukey 1958); its 95 % interval covers
        at least 0.94 from 5 respondents up in the benchmark, where the percentile bootstrap
        covers 0.83 at 5 and 0.89 at 8 (docs/inference.md). ``"bootstrap"``: the percentile
        bootstrap of respondents (``bootstrap_resamples``, ``seed``).
    item_variance_prior_df : float
        A single item's answer variance is moderated towards the mean of the group's item
        variances with this many prior degrees of freedom (Smyth 2004), which are added to the
        item's own; 0 turns it off. Default 4: with 5 answers on a six-point scale all may be
        equal, and a zero variance would give a zero-width interval (docs/inference.md).
    benchmark_weights : {"municipalities", "respondents"}
        What a national, county or group benchmark is: the mean of municipality scores with
        each municipality counted once (``"municipalities"``, default, assumption: the
        municipality is the unit compared), or weighted by each municipality's respondents
        (``"respondents"``, closer to "the average respondent"). Either way only
        municipalities with at least ``min_group_size`` respondents count
        (:mod:`dimios_lib.maturity.benchmarks`).
    reliability_missing : {"pairwise", "listwise"}
        How alpha and omega treat missing answers ("vet ej"): covariances over the respondents
        who answered each pair of items (``"pairwise"``, default; R psych's default), or only
        the respondents who answered every item of the scale (``"listwise"``), who are few when
        a scale has many items (:mod:`dimios_lib.stats.reliability`).
    bootstrap_resamples : int
        Number of bootstrap resamples of respondents (``interval_method="bootstrap"``).
    ci_level : float
        Confidence level of every interval.
    seed : int
        Seed of the bootstrap; each group's resamples are seeded from this seed and the group's
        key, so a group's interval does not depend on which other groups are scored with it.
    small_area_variance : {"pooled", "direct"}
        Sampling variance of a municipality's direct estimate in the small-area (Fay–Herriot)
        model: ``"pooled"`` (default) the round's pooled within-municipality variance of the
        respondents' jackknife pseudo-values divided by the municipality's respondents (a
        smoothed variance; with 5 respondents a municipality's own variance has 4 degrees of
        freedom), ``"direct"`` its own jackknife variance.
    small_area_min_areas : int
        The small-area model is fitted per round only with at least this many municipalities
        shown (10; assumption: fewer cannot estimate the variance between municipalities).
    small_area_below : int
        The municipality report shows the small-area estimate beside the direct one when the
        municipality has fewer respondents than this (15; below it the shrinkage weight is
        about 0.1 or more on the demo data; assumption).
    change_test : {"decomposed", "derrick"}
        The test of a change between rounds whose respondents may partly be the same people
        (the same respondent id in the municipality): ``"decomposed"`` (default) the
        difference's variance in independent parts (the respondents only in one round, and the
        pairs) with Satterthwaite's degrees of freedom; ``"derrick"`` the partially overlapping
        samples t-test of Derrick et al. (2017). Both are the paired t-test for a panel and
        Welch's test for fresh samples; with a partial overlap at 5-8 respondents Derrick's is
        conservative (docs/inference.md).
    change_min_linked : int
        A change between rounds pairs the respondents who answered both rounds when there are
        at least this many of them (3; assumption: a correlation of two pairs is ±1);
        otherwise they are treated as independent.
    claims_adjustment : {"fdr_bh", "fdr_by", "holm", "none"}
        The rule that decides which differences a report claims across all the comparisons it
        makes (its *family*: the overall measures against the national and peer averages, the
        categories' and capabilities' gaps to the national average, the changes since the
        previous and the first round). ``"fdr_bh"`` (default): Benjamini–Hochberg's false
        discovery rate at ``claims_alpha``; when nothing differs it bounds the chance that a
        report claims anything at all by ``claims_alpha`` (measured: bench/README.md).
        ``"fdr_by"``: Benjamini–Yekutieli, valid under any dependence, more cautious;
        ``"holm"``: the family-wise error; ``"none"``: each comparison alone (the old rule).
    claims_alpha : float
        The false discovery rate (or family-wise error) of a report's claims: 0.05.
    benchmark_error : bool
        Whether a comparison with a national or peer average counts the average's own sampling
        error (the other municipalities' standard errors, and the municipality's own share of
        the average): ``True`` (default); ``False`` treats the average as a fixed number.
    rank_method : {"bonferroni", "overlap"}
        How the interval of a municipality's rank is found: ``"bonferroni"`` (default) from the
        differences with every other municipality, at the level ``ci_level`` for the rank
        (Bonferroni over the comparisons; Klein, Wright & Wieczorek 2020), or ``"overlap"``:
        the ranks consistent with overlapping intervals (not a confidence statement).
    """

    scale_min: int = 1
    scale_max: int = 6
    missing_tokens: tuple[str, ...] = ("vet ej", "")
    reverse_scoring: bool = True
    item_weights: Mapping[str, float] | None = None
    category_weights: Mapping[str, float] | None = None
    dimension_weights: Mapping[str, float] = field(
        default_factory=lambda: {"capability": 0.5, "legacy": 0.5}
    )
    capability_cutoff: float = 50.0
    legacy_cutoff: float = 50.0
    min_group_size: int = 5
    interval_method: str = "jackknife_t"
    item_variance_prior_df: float = 4.0
    benchmark_weights: str = "municipalities"
    reliability_missing: str = "pairwise"
    bootstrap_resamples: int = 1000
    ci_level: float = 0.95
    seed: int = 20211101
    small_area_variance: str = "pooled"
    small_area_min_areas: int = 10
    small_area_below: int = 15
    change_test: str = "decomposed"
    change_min_linked: int = 3
    claims_adjustment: str = "fdr_bh"
    claims_alpha: float = 0.05
    benchmark_error: bool = True
    rank_method: str = "bonferroni"

    def __post_init__(self) -> None:
        object.__setattr__(self, "item_weights", _frozen(self.item_weights))
        object.__setattr__(self, "category_weights", _frozen(self.category_weights))
        object.__setattr__(self, "dimension_weights", _frozen(self.dimension_weights))
        object.__setattr__(
            self, "missing_tokens", tuple(t.strip().casefold() for t in self.missing_tokens)
        )
        problems = []
        if not (isinstance(self.scale_min, int) and isinstance(self.scale_max, int)):
            problems.append("scale_min and scale_max must be whole numbers")
        elif self.scale_max <= self.scale_min:
            problems.append(f"scale_max ({self.scale_max}) must exceed scale_min ({self.scale_min})")
        if set(self.dimension_weights) != set(DIMENSIONS):
            problems.append(f"dimension_weights must name exactly {DIMENSIONS}")
        for name in ("item_weights", "category_weights", "dimension_weights"):
            weights = getattr(self, name) or {}
            bad = {k: v for k, v in weights.items() if not (float(v) > 0)}
            if bad:
                problems.append(f"{name} must be positive; got {bad}")
        for name in ("capability_cutoff", "legacy_cutoff"):
            if not 0 <= getattr(self, name) <= 100:
                problems.append(f"{name} must lie between 0 and 100")
        if not (isinstance(self.min_group_size, int) and self.min_group_size >= 1):
            problems.append("min_group_size must be a whole number of at least 1")
        if self.benchmark_weights not in BENCHMARK_WEIGHTS:
            problems.append(f"benchmark_weights must be one of {BENCHMARK_WEIGHTS}")
        if self.reliability_missing not in RELIABILITY_MISSING:
            problems.append(f"reliability_missing must be one of {RELIABILITY_MISSING}")
        if not (isinstance(self.bootstrap_resamples, int) and self.bootstrap_resamples >= 100):
            problems.append("bootstrap_resamples must be a whole number of at least 100")
        if not 0.5 <= self.ci_level < 1:
            problems.append("ci_level must lie in [0.5, 1)")
        if self.interval_method not in ("jackknife_t", "bootstrap"):
            problems.append("interval_method must be 'jackknife_t' or 'bootstrap'")
        if not (isinstance(self.item_variance_prior_df, (int, float))
                and not isinstance(self.item_variance_prior_df, bool)
                and self.item_variance_prior_df >= 0):
            problems.append("item_variance_prior_df must be a number of at least 0")
        if self.change_test not in ("decomposed", "derrick"):
            problems.append("change_test must be 'decomposed' or 'derrick'")
        if self.claims_adjustment not in CLAIMS_ADJUSTMENTS:
            problems.append(f"claims_adjustment must be one of {', '.join(CLAIMS_ADJUSTMENTS)}")
        if not (isinstance(self.claims_alpha, (int, float)) and 0 < self.claims_alpha < 0.5):
            problems.append("claims_alpha must lie in (0, 0.5)")
        if not isinstance(self.benchmark_error, bool):
            problems.append("benchmark_error must be true or false")
        if self.rank_method not in RANK_METHODS:
            problems.append(f"rank_method must be one of {', '.join(RANK_METHODS)}")
        if self.small_area_variance not in ("pooled", "direct"):
            problems.append("small_area_variance must be 'pooled' or 'direct'")
        for name, low in (("small_area_min_areas", 3), ("small_area_below", 0),
                          ("change_min_linked", 2)):
            value = getattr(self, name)
            if not (isinstance(value, int) and not isinstance(value, bool) and value >= low):
                problems.append(f"{name} must be a whole number of at least {low}")
        if problems:
            raise ConfigError("invalid model configuration: " + "; ".join(problems))

    def with_(self, **changes: Any) -> ModelConfig:
        """A copy with some parameters changed (validated again)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}  # asdict cannot copy mappingproxy
        for key in ("item_weights", "category_weights", "dimension_weights"):
            out[key] = None if out[key] is None else dict(out[key])
        out["missing_tokens"] = list(self.missing_tokens)
        return out

    @classmethod
    def from_yaml(cls, path: str | Path) -> ModelConfig:
        """Read a configuration file; unknown keys are an error, missing keys keep their default."""
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected a mapping of parameter names to values")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"{path}: unknown parameters {unknown}; known: {sorted(known)}")
        if "missing_tokens" in data:
            data["missing_tokens"] = tuple(data["missing_tokens"])
        return cls(**data)

    def assumptions(self) -> list[dict[str, Any]]:
        """Every assumption in force, for a report's method section, as codes and values.

        Returns a list of ``{"parameter": code, "value": value}``: the values are numbers,
        flags, tuples, mappings or codes, never words. What each means, and its value in words,
        is the text layer's (:func:`dimios_lib.text.common.method_table`).

        Examples
        --------
        >>> [a["parameter"] for a in ModelConfig().assumptions()][:5]
        ['scale', 'missing_tokens', 'normalisation', 'reverse_scoring', 'aggregation']
        >>> ModelConfig().assumptions()[3]
        {'parameter': 'reverse_scoring', 'value': True}
        """
        weighted = self.item_weights is not None or self.category_weights is not None
        rows = [
            ("scale", (self.scale_min, self.scale_max)),
            ("missing_tokens", self.missing_tokens),
            ("normalisation", (self.scale_min, self.scale_max)),
            ("reverse_scoring", self.reverse_scoring),
            ("aggregation", "weighted" if weighted else "unweighted"),
            ("dimension_weights", dict(self.dimension_weights)),
            ("type_cutoffs", (self.capability_cutoff, self.legacy_cutoff)),
            ("min_group_size", self.min_group_size),
            ("intervals", (self.interval_method, self.ci_level, self.bootstrap_resamples)),
            ("item_variance_prior_df", self.item_variance_prior_df),
            ("change", (self.change_test, self.change_min_linked)),
            ("claims", (self.claims_adjustment, self.claims_alpha, self.benchmark_error)),
            ("ranks", (self.rank_method, self.ci_level)),
            ("small_area", (self.small_area_below, self.small_area_min_areas,
                            self.small_area_variance)),
            ("benchmark_weights", self.benchmark_weights),
            ("reliability_missing", self.reliability_missing),
        ]
        return [{"parameter": p, "value": v} for p, v in rows]


@dataclass(frozen=True)
class StudyConfig:
    """Parameters of a before/after study analysis; every one a documented default.

    Parameters
    ----------
    ci_level : float
        Confidence level of every interval (0.95).
    alpha : float
        Significance level used for the conclusions and the sensitivity comparison (0.05).
    bootstrap_resamples : int
        Resamples of each BCa bootstrap (2000; Efron & Tibshirani 1993 recommend 1000-2000 for
        BCa end points).
    seed : int
        Seed of the bootstraps and of a sampled permutation test. Each interval's generator is
        seeded from this seed and the group's key, so an interval does not depend on which other
        groups are analysed with it.
    min_item_share : float
        A respondent's dimension score needs at least this share of the dimension's items
        answered (0.5, the common "half rule"; assumption). Otherwise the score is missing.
    min_group_size : int
        Groups (municipality x wave) below this many respondents are flagged and their values
        suppressed in shared tables (default: :class:`~dimios_lib.config.ModelConfig`'s, 5).
    small_sample : int
        Below this many respondents in a wave (or pairs), tests have little power and bootstrap
        intervals are unstable: a warning says so (10; assumption).
    min_reliability : float
        Alpha below this marks a scale as unreliable in a warning (0.7; the conventional
        threshold, Nunnally 1978).
    min_clusters : int
        Fewer clusters than this make cluster-robust standard errors unreliable (30; Cameron &
        Miller 2015 discuss 20-50).
    min_random_effects_groups : int
        Fewer municipalities than this cannot support a random-effects (multilevel) model: the
        between-municipality variance cannot be estimated (10; assumption after Maas & Hox 2005,
        who find 30-50 groups needed for accurate variance components).
    max_permutations : int
        The permutation test of the difference-in-differences enumerates every assignment of
        treatment to municipalities when there are at most this many, else draws this many.
    did_inference : {"wild_cluster", "randomisation"}
        The test across municipalities that a conclusion about the intervention rests on
        ("indication"); "supported" needs the other one to agree as well (docs/study.md,
        section 6). ``wild_cluster``: the wild cluster restricted bootstrap (Cameron, Gelbach &
        Miller 2008); ``randomisation``: the permutation test over assignments of treatment.
    did_weights : {"rademacher", "webb"}
        Weights of the wild cluster bootstrap: Rademacher (default; a sign-change test, valid
        with few clusters under the conditions of Canay, Santos & Shaikh 2021) or Webb's six
        points (Webb 2023; finer p-values, but about 9 % false claims with 3 + 3 municipalities
        in ``bench/bench_study_inference.py``).
    did_resamples : int
        The wild cluster bootstrap uses every weight vector when there are at most this many
        (2^G or 6^G), else draws this many (99999, so that (B + 1) x alpha is whole).
    did_adjustment : {"holm", "fdr_bh"}
        Multiplicity rule across the dimensions for the tests across municipalities. Holm
        (default) bounds the chance of *any* false claim in a study's conclusions (family-wise
        error); Benjamini–Hochberg bounds only the expected share of false claims among the
        claims made.
    missing_tokens : tuple of str
        Answers read as missing (compared ignoring case and surrounding blanks).
    ordinal : bool
        Fit the item-level proportional-odds models (the slowest step; off for quick runs).
    """

    ci_level: float = 0.95
    alpha: float = 0.05
    bootstrap_resamples: int = 2000
    seed: int = 20191001
    min_item_share: float = 0.5
    min_group_size: int = field(default_factory=lambda: ModelConfig().min_group_size)
    small_sample: int = 10
    min_reliability: float = 0.7
    min_clusters: int = 30
    min_random_effects_groups: int = 10
    max_permutations: int = 10000
    did_inference: str = "wild_cluster"
    did_weights: str = "rademacher"
    did_resamples: int = 99999
    did_adjustment: str = "holm"
    missing_tokens: tuple[str, ...] = ("vet ej", "vet inte", "ej svar", "")
    ordinal: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "missing_tokens",
                           tuple(str(t).strip().casefold() for t in self.missing_tokens))
        problems = []
        if not 0.5 <= self.ci_level < 1:
            problems.append("ci_level must lie in [0.5, 1)")
        if not 0 < self.alpha < 1:
            problems.append("alpha must lie in (0, 1)")
        for name, low in (("bootstrap_resamples", 100), ("min_group_size", 1),
                          ("small_sample", 1), ("min_clusters", 1),
                          ("min_random_effects_groups", 1), ("max_permutations", 10),
                          ("did_resamples", 99), ("seed", 0)):
            value = getattr(self, name)
            if not (isinstance(value, int) and not isinstance(value, bool) and value >= low):
                problems.append(f"{name} must be a whole number of at least {low}")
        if not 0 < self.min_item_share <= 1:
            problems.append("min_item_share must lie in (0, 1]")
        if not 0 < self.min_reliability < 1:
            problems.append("min_reliability must lie in (0, 1)")
        for name, allowed in (("did_inference", DID_INFERENCE), ("did_weights", DID_WEIGHTS),
                              ("did_adjustment", DID_ADJUSTMENTS)):
            if getattr(self, name) not in allowed:
                problems.append(f"{name} must be one of {', '.join(allowed)}")
        if problems:
            raise ConfigError("invalid study configuration: " + "; ".join(problems))

    def with_(self, **changes: Any) -> StudyConfig:
        """A copy with some parameters changed (validated again)."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ConfigError(f"unknown study parameters {unknown}; known: {sorted(known)}")
        return replace(self, **changes)
