"""Before/after studies of innovation capability (DigiGrow), with or without comparison municipalities.

A researcher measured innovation capability in some municipalities before and after an
intervention (DigiGrow: Alingsås, Linköping, Umeå, autumn 2019 and spring 2021), perhaps also in
comparison municipalities. This module is the data contract of such a study (:func:`read_study`,
:func:`validate_study`), its statistics as pure functions, and one entry point,
:func:`analyse_study`, that returns every result as a :class:`StudyResults`.

The data contract (long format, one row per answer; or wide, one row per respondent)
-------------------------------------------------------------------------------------

================== ===============================================================================
column             contract
================== ===============================================================================
municipality_code  four-digit SCB code as text, leading zero kept, in the list of 290
wave               two waves per file: ``YYYY-MM`` labels (the earlier is *before*) or
                   före/efter, before/after, pre/post
respondent_id      required in a long file; unique within municipality and wave; the same id in
                   both waves of a municipality is the same person. Optional in a wide file
                   (without it nobody is matched across waves).
item_id            an item of the instrument (:mod:`dimios_lib.instrument`), ignoring case
answer             whole number on the item's scale, or missing ("vet ej", "vet inte", empty)
arm                optional: ``treated`` or ``comparison`` (behandlad/insats, jämförelse/kontroll),
                   one value per municipality; without the column every municipality is treated
================== ===============================================================================

Every municipality must have answers in both waves, and at least one non-missing answer in each.
Every problem is reported at once (file, row as the user sees it, column, value, expected) and
nothing is returned then. See ``docs/study.md`` for every choice made here.

The analysis
------------

* Unit of analysis: a respondent's **dimension score**, the mean of the answers to the dimension's
  items (reverse-worded items flipped, ``x -> min + max - x``), kept only if at least half of the
  items (``min_item_share``) were answered. Differences are *after − before*.
* **Design** per municipality, from the respondent ids: everyone in both waves → *paired*; nobody
  → *independent*; partial overlap → *independent* on everyone, with the matched subset analysed
  paired as a sensitivity check.
* **Tests**: paired t and Wilcoxon signed-rank; or Welch t, Mann–Whitney U and Brunner–Munzel.
  **Effect sizes**: Hedges' g (paired: g_av, standardised by the root mean square of the before
  and after SDs) and rank-biserial correlation, with seeded BCa bootstrap intervals.
* **Pooled**: OLS of the score on *post* with municipality fixed effects, standard errors
  clustered by respondent. With comparison municipalities, **difference-in-differences**
  ``score ~ post + treated:post + municipality fixed effects``, with a permutation test over the
  possible assignments of treatment to municipalities.
* Item-level check: a proportional-odds model per item. Holm across dimensions,
  Benjamini–Hochberg across items. Reliability (alpha, omega) per dimension and wave.
* Plain-language **warnings** (Swedish and English) wherever the design cannot carry a claim, and
  **conclusions** per dimension that are exactly as strong as the evidence.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .config import ModelConfig
from .errors import ConfigError, DataValidationError, DimiosError, Problem
from .instrument import Instrument, load_instrument
from .municipalities import municipalities
from .readers import Table, map_headers, read_table
from .reliability import cronbach_alpha, mcdonald_omega
from .schemas import column_aliases, meta_path
from .study_stats import (
    adjust_pvalues,
    compare_waves,
    difference_in_differences,
    fixed_effects_change,
    proportional_odds,
)

WAVES = ("before", "after")
STUDY_COLUMNS = ("municipality_code", "arm", "wave", "wave_label", "respondent_id", "item_id",
                 "answer")
ARMS = ("treated", "comparison")
BEFORE_TOKENS = ("före", "fore", "innan", "förmätning", "before", "pre", "baseline")
AFTER_TOKENS = ("efter", "eftermätning", "uppföljning", "after", "post", "follow-up")
ARM_TOKENS = {
    "treated": "treated", "behandlad": "treated", "insats": "treated", "intervention": "treated",
    "comparison": "comparison", "jämförelse": "comparison", "jamforelse": "comparison",
    "kontroll": "comparison", "control": "comparison",
}
_EXTRA_ALIASES = {
    "wave": ("wave", "våg", "vag", "mätning", "matning", "tidpunkt", "mättillfälle"),
    "arm": ("arm", "grupp", "group", "studiearm", "studiegrupp"),
}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_EXCEL_MONTH = re.compile(r"^(\d{4}-(0[1-9]|1[0-2]))-01 00:00:00$")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------

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
                          ("seed", 0)):
            value = getattr(self, name)
            if not (isinstance(value, int) and not isinstance(value, bool) and value >= low):
                problems.append(f"{name} must be a whole number of at least {low}")
        if not 0 < self.min_item_share <= 1:
            problems.append("min_item_share must lie in (0, 1]")
        if not 0 < self.min_reliability < 1:
            problems.append("min_reliability must lie in (0, 1)")
        if problems:
            raise ConfigError("invalid study configuration: " + "; ".join(problems))

    def with_(self, **changes: Any) -> StudyConfig:
        """A copy with some parameters changed (validated again)."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ConfigError(f"unknown study parameters {unknown}; known: {sorted(known)}")
        return replace(self, **changes)


# --------------------------------------------------------------------------------------------
# The data contract
# --------------------------------------------------------------------------------------------

def study_aliases() -> dict[str, str]:
    """Accepted column names of a study file (case-insensitive) → canonical name.

    The DiMiOS aliases (``data/column_aliases.csv``) for municipality, respondent, item and
    answer; the round aliases (omgång, period, ...) and ``wave``, ``våg``, ``mätning``,
    ``tidpunkt`` for *wave*; ``arm``, ``grupp``, ``group`` for *arm*.
    """
    out = {}
    for alias, canonical in column_aliases().items():
        if canonical in ("municipality_code", "respondent_id", "item_id", "answer"):
            out[alias] = canonical
        elif canonical == "round":
            out[alias] = "wave"
    for canonical, aliases in _EXTRA_ALIASES.items():
        out.update({a: canonical for a in aliases})
    return out


def read_study(
    path: str | Path,
    instrument: Instrument | None = None,
    *,
    config: StudyConfig | None = None,
    sheet: str | None = None,
    ignore_columns: Iterable[str] = (),
) -> pd.DataFrame:
    """Import a before/after study file (CSV or Excel, long or wide) into the canonical format.

    Parameters
    ----------
    path : path
        The file; Swedish conventions as in :func:`dimios_lib.readers.read_table`.
    instrument : Instrument, optional
        Items, dimensions and scales (default: the packaged OECD-lens instrument).
    config : StudyConfig, optional
        Missing-answer tokens.
    sheet : str, optional
        Excel sheet (default: the first).
    ignore_columns : iterable of str
        Columns to leave out on purpose.

    Returns
    -------
    DataFrame
        Columns :data:`STUDY_COLUMNS`: ``wave`` is ``before``/``after``, ``wave_label`` the
        file's label, ``answer`` float with NaN for missing, ``respondent_id`` text (``row-N``
        in a wide file without ids). ``attrs``: ``source``, ``synthetic`` (from a
        ``.meta.json`` sidecar), ``notes`` and ``waves`` (``{"before": label, "after": label}``).

    Raises
    ------
    DataValidationError
        Listing every problem; nothing is returned then.
    """
    instrument = load_instrument() if instrument is None else instrument
    config = StudyConfig() if config is None else config
    table = read_table(path, sheet=sheet)
    frame = _check(table, instrument, config, set(ignore_columns))
    path = Path(path)
    frame.attrs.update(source=path.name, synthetic=_is_synthetic(path))
    return frame


def validate_study(frame: pd.DataFrame, instrument: Instrument | None = None, *,
                   config: StudyConfig | None = None, name: str = "<data frame>") -> pd.DataFrame:
    """Check a study frame built in Python against the contract (rows named by position + 1).

    The frame needs the canonical column names (``wave`` may hold ``YYYY-MM`` labels or
    före/efter); answers may be numbers or text. Returns the canonical frame as
    :func:`read_study` does, or raises :class:`DataValidationError` listing every problem.
    """
    instrument = load_instrument() if instrument is None else instrument
    config = StudyConfig() if config is None else config
    text = frame.reset_index(drop=True).copy()
    if "wave" in text and "wave_label" in text:  # a canonical frame: check its labels again
        text["wave"] = text["wave_label"]
        text = text.drop(columns="wave_label")
    for col in text.columns:
        text[col] = [_cell_text(v) for v in text[col]]
    text.index = pd.RangeIndex(1, len(text) + 1, name="row")
    out = _check(Table(text, name, "utf-8", ","), instrument, config, set())
    out.attrs.update(source=frame.attrs.get("source", name),
                     synthetic=bool(frame.attrs.get("synthetic", False)))
    return out


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _is_synthetic(path: Path) -> bool:
    meta = meta_path(path)
    if not meta.exists():
        return False
    try:
        return bool(json.loads(meta.read_text(encoding="utf-8")).get("synthetic", False))
    except (OSError, ValueError):
        return False


def _check(table: Table, instrument: Instrument, config: StudyConfig,
           ignore: set[str]) -> pd.DataFrame:
    """The whole contract: map columns, melt wide files, parse, check relations."""
    frame, rows, columns, notes, problems = _to_long(table, instrument, ignore)
    if frame is None:
        raise DataValidationError(problems)
    out, more = _parse_cells(frame, rows, columns, table, instrument, config)
    problems += more
    waves, more = _wave_problems(out, rows, columns, table.file)
    problems += more
    problems += _relational_problems(out, rows, columns, table.file, waves, frame["answer"])
    if problems:
        problems.sort(key=lambda p: (p.row is not None, p.row or 0, str(p.column)))
        raise DataValidationError(problems)
    out["wave"] = out["_side"]
    out["wave_label"] = out["wave"].map(waves)
    out = out[list(STUDY_COLUMNS)].reset_index(drop=True)
    out.attrs.update(notes=notes, waves=dict(waves))
    return out


def _col(columns: dict, name: str, pos: int) -> str:
    c = columns[name]
    return c if isinstance(c, str) else str(c[pos])


def _to_long(table: Table, instrument: Instrument, ignore: set[str]):
    file = table.file
    heads = map_headers(table, study_aliases(), ignore=ignore,
                        items={i.casefold(): i for i in instrument.item_ids},
                        unknown="unknown column: expected municipality_code, wave, "
                                "respondent_id, item_id, answer, arm (or a Swedish alias), "
                                "or an item id of the instrument; leave it out on purpose "
                                "with --ignore-column")
    canonical, items = heads.canonical, heads.items
    problems, notes = heads.problems, heads.notes
    long = "item_id" in canonical or "answer" in canonical
    if long and items:
        problems.append(Problem(file, 1, next(iter(items.values())), None,
                                "a long file (item_id/answer columns) cannot also have item "
                                "columns"))
    required = ("municipality_code", "wave", "item_id", "answer") if long else \
        ("municipality_code", "wave")
    for name in required:
        if name not in canonical:
            problems.append(Problem(file, 1, name, None,
                                    "expected this column (or a Swedish alias of it)"))
    if long and "respondent_id" not in canonical:
        problems.append(Problem(file, 1, "respondent_id", None,
                                "expected a respondent_id column in a long file: answers are "
                                "grouped into respondents by it (a wide file, one row per "
                                "respondent, needs none)"))
    if not long and not items:
        problems.append(Problem(file, 1, None, None,
                                "expected either item_id and answer columns (long format) or one "
                                "column per item id of the instrument (wide format)"))
    if problems:
        return None, None, None, notes, problems
    frame = table.frame
    if long:
        out = pd.DataFrame({n: frame[h].to_numpy() for n, h in canonical.items()})
        return out, frame.index.to_numpy(), dict(canonical), notes, problems
    if "respondent_id" not in canonical:
        notes.append("no respondent id column: each row is its own respondent ('row-N'), so "
                     "nobody is matched across waves (independent design)")
    ids = (frame[canonical["respondent_id"]].to_numpy() if "respondent_id" in canonical
           else np.array([f"row-{r}" for r in frame.index], dtype=object))
    n, k = len(frame), len(items)
    item_ids = list(items)
    out = pd.DataFrame({n_: np.repeat(frame[h].to_numpy(), k)
                        for n_, h in canonical.items() if n_ != "respondent_id"})
    out["respondent_id"] = np.repeat(ids, k)
    out["item_id"] = np.tile(np.array(item_ids, dtype=object), n)
    out["answer"] = frame[[items[i] for i in item_ids]].to_numpy().reshape(-1)
    columns: dict = dict(canonical)
    columns.setdefault("respondent_id", "respondent_id")
    columns["item_id"] = np.tile(np.array([items[i] for i in item_ids], dtype=object), n)
    columns["answer"] = columns["item_id"]
    return out, np.repeat(frame.index.to_numpy(), k), columns, notes, problems


def _parse_cells(frame, rows, columns, table, instrument, config):
    file = table.file
    problems: list[Problem] = []
    out = pd.DataFrame(index=frame.index)
    for name in ("municipality_code", "wave", "respondent_id", "item_id", "arm"):
        if name not in frame:
            out[name] = "treated" if name == "arm" else np.nan
            continue
        values = frame[name].fillna("").astype(str).str.strip()
        for pos in np.flatnonzero((values == "").to_numpy()):
            problems.append(Problem(file, int(rows[pos]), _col(columns, name, pos), "",
                                    "expected treated or comparison" if name == "arm"
                                    else "expected a value"))
        out[name] = values.where(values != "", np.nan).astype(object)
    # Municipality codes.
    codes = out["municipality_code"]
    known = set(municipalities()["municipality_code"])
    for pos in np.flatnonzero((codes.notna() & ~codes.isin(known)).to_numpy()):
        code = codes.iloc[pos]
        if re.fullmatch(r"\d{3}", code):
            expected = ("expected a four-digit municipality code: the leading zero was probably "
                        f"lost in Excel ('0{code}'?); format the column as text")
        elif re.fullmatch(r"\d{4}", code):
            expected = "expected a municipality code in SCB's list of the 290 municipalities"
        else:
            expected = "expected a four-digit municipality code with its leading zero, e.g. '0580'"
        problems.append(Problem(file, int(rows[pos]), _col(columns, "municipality_code", pos),
                                code, expected))
        out.iloc[pos, out.columns.get_loc("municipality_code")] = np.nan
    # Waves: Excel turns a typed 2019-10 into a date on the first of the month.
    if table.encoding is None:
        extracted = out["wave"].str.extract(_EXCEL_MONTH, expand=True)[0]
        out.loc[extracted.notna(), "wave"] = extracted[extracted.notna()]
    wave = out["wave"]
    folded = wave.str.casefold()
    month = wave.str.fullmatch(_MONTH.pattern).fillna(False).astype(bool)
    side = np.where(folded.isin(BEFORE_TOKENS), "before",
                    np.where(folded.isin(AFTER_TOKENS), "after", ""))
    for pos in np.flatnonzero((wave.notna() & ~month & (side == "")).to_numpy()):
        problems.append(Problem(file, int(rows[pos]), _col(columns, "wave", pos), wave.iloc[pos],
                                "expected a wave as YYYY-MM (e.g. '2019-10') or före/efter "
                                "(before/after)"))
    out["_kind"] = np.where(month, "month", np.where(side != "", "token", ""))
    out["_side"] = pd.Series(side, index=out.index).replace("", np.nan).astype(object)
    out.loc[out["_kind"] == "", "wave"] = np.nan
    # Arms.
    if "arm" in frame:
        arm = out["arm"].str.casefold().map(ARM_TOKENS)
        for pos in np.flatnonzero((out["arm"].notna() & arm.isna()).to_numpy()):
            problems.append(Problem(file, int(rows[pos]), _col(columns, "arm", pos),
                                    out["arm"].iloc[pos],
                                    "expected treated or comparison (behandlad/insats, "
                                    "jämförelse/kontroll)"))
        out["arm"] = arm.astype(object)
    # Items (ignoring case) and answers on the item's scale.
    lookup = {i.casefold(): i for i in instrument.item_ids}
    item = out["item_id"].str.casefold().map(lookup)
    shown_ids = ", ".join(instrument.item_ids[:6]) + (", ..." if len(instrument.item_ids) > 6
                                                      else "")
    for pos in np.flatnonzero((out["item_id"].notna() & item.isna()).to_numpy()):
        problems.append(Problem(file, int(rows[pos]), _col(columns, "item_id", pos),
                                out["item_id"].iloc[pos],
                                f"expected an item of the instrument {instrument.version} "
                                f"({shown_ids})"))
    out["item_id"] = item.astype(object)
    scale = instrument.items.set_index("item_id")[["scale_min", "scale_max"]]
    lo = item.map(scale["scale_min"]).to_numpy(dtype=float)
    hi = item.map(scale["scale_max"]).to_numpy(dtype=float)
    text = frame["answer"].fillna("").astype(str).str.strip()
    missing = text.str.casefold().isin(config.missing_tokens)
    numeric = text.str.fullmatch(_NUMBER.pattern)
    values = pd.to_numeric(text.where(numeric & ~missing).str.replace(",", ".", regex=False),
                           errors="coerce").to_numpy(dtype=float, copy=True)
    whole = np.isnan(values) | (values == np.round(values))
    on_scale = np.isnan(lo) | np.isnan(values) | ((values >= lo) & (values <= hi))
    bad = (~missing & ~numeric).to_numpy() | ~whole | ~on_scale
    for pos in np.flatnonzero(bad):
        span = ("on the item's scale" if np.isnan(lo[pos]) else
                f"from {int(lo[pos])} to {int(hi[pos])} (the scale of item {item.iloc[pos]})")
        problems.append(Problem(file, int(rows[pos]), _col(columns, "answer", pos), text.iloc[pos],
                                f"expected a whole number {span}, or 'vet ej'/empty for "
                                "missing"))
    values[bad] = np.nan
    out["answer"] = values
    out["_bad"] = bad
    return out, problems


def _wave_problems(out, rows, columns, file):
    """Exactly two waves of one kind. Sets ``out["_side"]``; returns ``{"before": label, ...}``."""
    problems: list[Problem] = []
    valid = out["wave"].notna()
    kinds = out.loc[valid, "_kind"]
    waves: dict[str, str] = {}
    if kinds.empty:
        return waves, problems
    if kinds.nunique() > 1:
        minority = kinds.value_counts().index[-1]
        pos = int(np.flatnonzero((valid & (out["_kind"] == minority)).to_numpy())[0])
        problems.append(Problem(file, int(rows[pos]), _col(columns, "wave", pos),
                                out["wave"].iloc[pos],
                                "expected every wave label of one kind: all YYYY-MM, or all "
                                "före/efter (before/after)"))
        return waves, problems
    if kinds.iloc[0] == "month":
        labels = sorted(out.loc[valid, "wave"].unique())
        if len(labels) > 2:
            found = ", ".join(
                f"{label} from row {int(rows[np.flatnonzero((out['wave'] == label).to_numpy())[0]])}"
                for label in labels)
            problems.append(Problem(file, None, columns.get("wave", "wave"), ", ".join(labels),
                                    f"expected two waves, found {len(labels)} ({found}): recode "
                                    "the waves to one before and one after label"))
            return waves, problems
        out["_side"] = out["wave"].map(dict(zip(labels, WAVES))).astype(object)
    firsts = out.loc[valid].drop_duplicates("_side").set_index("_side")["wave"]
    if len(firsts) == 1:
        problems.append(Problem(file, None, columns.get("wave", "wave"), firsts.iloc[0],
                                "expected two waves (before and after); the file has only one"))
        return waves, problems
    return {side: str(firsts[side]) for side in WAVES}, problems


def _relational_problems(out, rows, columns, file, waves, raw_answer):
    problems: list[Problem] = []
    names = dict(zip(municipalities()["municipality_code"],
                     municipalities()["municipality_name"]))
    key = ["municipality_code", "_side", "respondent_id", "item_id"]
    complete = out[key].notna().all(axis=1).to_numpy()
    sub = out.loc[complete, key]
    dup = sub.duplicated(keep=False).to_numpy()
    if dup.any():
        first: dict[tuple, int] = {}
        for pos in np.flatnonzero(complete)[dup]:
            k = tuple(out.iloc[pos][key])
            if k not in first:
                first[k] = int(rows[pos])
                continue
            problems.append(Problem(
                file, int(rows[pos]), _col(columns, "answer", pos),
                str(raw_answer.iloc[pos]).strip(),
                f"duplicate answer by respondent {k[2]!r} to item {k[3]!r} in the {k[1]} wave (first "
                f"on row {first[k]}); duplicates are never averaged: remove one"))
    # One arm per municipality.
    has_code = out["municipality_code"].notna()
    if "arm" in columns:
        pos = np.flatnonzero((has_code & out["arm"].notna()).to_numpy())
        arms = pd.DataFrame({"code": out["municipality_code"].to_numpy()[pos],
                             "arm": out["arm"].to_numpy()[pos], "pos": pos})
        firsts = arms.groupby("code", sort=False).first()
        arms["first_arm"] = arms["code"].map(firsts["arm"])
        arms["first_pos"] = arms["code"].map(firsts["pos"])
        for rec in arms.loc[arms["arm"] != arms["first_arm"]].itertuples(index=False):
            problems.append(Problem(file, int(rows[rec.pos]), _col(columns, "arm", rec.pos),
                                    rec.arm, f"expected {rec.first_arm!r} as on row "
                                    f"{int(rows[rec.first_pos])}: a municipality is in one arm "
                                    "of the study"))
        if len(firsts) and "treated" not in set(firsts["arm"]):
            problems.append(Problem(file, None, columns["arm"], None,
                                    "expected at least one treated municipality"))
    # Both waves, with at least one answer, in every municipality.
    if len(waves) == 2:
        ok = has_code & out["_side"].notna()
        for code, block in out.loc[ok].groupby("municipality_code", sort=True):
            label = f"{code} {names.get(code, '')}".strip()
            first_pos = int(np.flatnonzero((out["municipality_code"] == code).to_numpy())[0])
            for side in WAVES:
                in_wave = block["_side"] == side
                if not in_wave.any():
                    problems.append(Problem(
                        file, int(rows[first_pos]), _col(columns, "wave", first_pos),
                        out["wave"].iloc[first_pos],
                        f"expected answers from municipality {label} in both waves: it has none "
                        f"in the {side} wave ({waves[side]!r})"))
                elif (block.loc[in_wave, "answer"].isna().all()
                      and not block.loc[in_wave, "_bad"].any()):
                    pos = int(np.flatnonzero(((out["municipality_code"] == code)
                                              & (out["_side"] == side)).to_numpy())[0])
                    problems.append(Problem(
                        file, int(rows[pos]), _col(columns, "answer", pos),
                        str(raw_answer.iloc[pos]).strip(),
                        f"expected at least one answer on the scale from municipality {label} "
                        f"in the {side} wave ({waves[side]!r}): every answer there is missing"))
    return problems


# --------------------------------------------------------------------------------------------
# Respondent scores and the design
# --------------------------------------------------------------------------------------------

def dimension_scores(data: pd.DataFrame, instrument: Instrument | None = None, *,
                     config: StudyConfig | None = None) -> pd.DataFrame:
    """Each respondent's score on each dimension: the mean of the dimension's answered items.

    Parameters
    ----------
    data : DataFrame
        A canonical study frame (:func:`read_study`).
    instrument : Instrument, optional
        Default: the packaged instrument.
    config : StudyConfig, optional
        ``min_item_share``.

    Returns
    -------
    DataFrame
        One row per municipality x wave x respondent x dimension: ``municipality_code, arm,
        wave, respondent_id, person, dimension, score, n_items, k_items``. ``person`` is an
        integer that is the same for one respondent id in both waves of a municipality;
        ``score`` is missing when fewer than ``ceil(min_item_share x k_items)`` items were
        answered.

    Notes
    -----
    Reverse-worded items are flipped first: :math:`x \\mapsto \\min + \\max - x`.

    Examples
    --------
    Four items, one reverse-worded, on 1-7: answers 5, 6, (2 → 6), missing give (5 + 6 + 6) / 3:

    >>> from dimios_lib.instrument import load_instrument
    >>> d = pd.DataFrame({"municipality_code": "1489", "arm": "treated", "wave": "before",
    ...                   "wave_label": "2019-10", "respondent_id": "r1",
    ...                   "item_id": ["PUR1", "PUR2", "PUR4", "PUR3"],
    ...                   "answer": [5, 6, 2, np.nan]})
    >>> dimension_scores(d)[["dimension", "score", "n_items"]].to_numpy().tolist()
    [['purpose', 5.666666666666667, 3]]
    """
    instrument = load_instrument() if instrument is None else instrument
    config = StudyConfig() if config is None else config
    items = instrument.items.set_index("item_id")
    work = data[["municipality_code", "arm", "wave", "respondent_id", "item_id", "answer"]].copy()
    rev = work["item_id"].map(items["reverse"]).fillna(False).astype(bool).to_numpy()
    lo = work["item_id"].map(items["scale_min"]).to_numpy(dtype=float)
    hi = work["item_id"].map(items["scale_max"]).to_numpy(dtype=float)
    answer = work["answer"].to_numpy(dtype=float)
    work["value"] = np.where(rev, lo + hi - answer, answer)
    work["dimension"] = work["item_id"].map(items["dimension"])
    keys = ["municipality_code", "arm", "wave", "respondent_id", "dimension"]
    out = (work.groupby(keys, sort=False, observed=True)["value"]
           .agg(score="mean", n_items="count").reset_index())
    k = instrument.dimensions.set_index("dimension")["n_items"]
    out["k_items"] = out["dimension"].map(k).astype(int)
    need = np.ceil(config.min_item_share * out["k_items"].to_numpy() - 1e-9)
    out.loc[out["n_items"].to_numpy() < need, "score"] = np.nan
    out["person"] = pd.factorize(out["municipality_code"] + "\x1f"
                                 + out["respondent_id"].astype(str))[0]
    order = {d: i for i, d in enumerate(instrument.dimension_ids)}
    out["_w"] = out["wave"].map({"before": 0, "after": 1})
    out["_d"] = out["dimension"].map(order)
    out = out.sort_values(["municipality_code", "_d", "_w", "person"], kind="stable")
    cols = ["municipality_code", "arm", "wave", "respondent_id", "person", "dimension", "score",
            "n_items", "k_items"]
    return out[cols].reset_index(drop=True)


def choose_design(scores: pd.DataFrame) -> pd.DataFrame:
    """The design of each municipality's comparison, from who answered in which wave.

    A respondent *took part* in a wave if they have at least one dimension score there.

    Rules
    -----
    * everyone who took part did so in both waves → ``design = "paired"``, ``overlap = "full"``;
    * nobody took part in both → ``"independent"``, ``overlap = "none"``;
    * some did → ``"independent"`` on everyone, ``overlap = "partial"``; the ``n_matched``
      respondents in both waves are analysed paired as a sensitivity check.

    Returns
    -------
    DataFrame
        One row per municipality: ``municipality_code, arm, n_before, n_after, n_matched,
        overlap, design``.

    Examples
    --------
    >>> s = pd.DataFrame({"municipality_code": "0580", "arm": "treated",
    ...                   "wave": ["before", "before", "after", "after"],
    ...                   "person": [1, 2, 1, 3], "score": 4.0})
    >>> choose_design(s)[["n_matched", "overlap", "design"]].to_numpy().tolist()
    [[1, 'partial', 'independent']]
    """
    took_part = scores.loc[scores["score"].notna()]
    rows = []
    for code, block in took_part.groupby("municipality_code", sort=True):
        before = set(block.loc[block["wave"] == "before", "person"])
        after = set(block.loc[block["wave"] == "after", "person"])
        matched = before & after
        if before and before == after:
            overlap, design = "full", "paired"
        elif not matched:
            overlap, design = "none", "independent"
        else:
            overlap, design = "partial", "independent"
        rows.append({"municipality_code": code, "arm": block["arm"].iloc[0],
                     "n_before": len(before), "n_after": len(after), "n_matched": len(matched),
                     "overlap": overlap, "design": design})
    return pd.DataFrame(rows, columns=["municipality_code", "arm", "n_before", "n_after",
                                       "n_matched", "overlap", "design"])


# --------------------------------------------------------------------------------------------
# Items (proportional odds) and reliability
# --------------------------------------------------------------------------------------------

def _flipped(data: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    items = instrument.items.set_index("item_id")
    work = data.loc[data["answer"].notna()].copy()
    rev = work["item_id"].map(items["reverse"]).astype(bool).to_numpy()
    lo = work["item_id"].map(items["scale_min"]).to_numpy(dtype=float)
    hi = work["item_id"].map(items["scale_max"]).to_numpy(dtype=float)
    work["answer"] = np.where(rev, lo + hi - work["answer"].to_numpy(), work["answer"].to_numpy())
    work["dimension"] = work["item_id"].map(items["dimension"])
    return work


def ordinal_item_check(data: pd.DataFrame, instrument: Instrument | None = None, *,
                       config: StudyConfig | None = None) -> pd.DataFrame:
    """Item-level check: a proportional-odds model per item, Benjamini–Hochberg across items.

    For each item, on the treated municipalities' answers (reverse-worded items flipped):
    ``answer ~ post + municipality`` (ordered logit); with comparison municipalities also
    ``answer ~ post + treated:post + municipality`` on all answers. Answers of one respondent in
    both waves are treated as independent here (a check, not the main inference).

    Returns
    -------
    DataFrame
        One row per item: ``item_id, dimension, label_sv, label_en, n_before, n_after,
        log_odds, odds_ratio, ci_low, ci_high, p_value, p_adjusted, converged`` and, with
        comparison municipalities, ``did_log_odds, did_ci_low, did_ci_high, did_p_value,
        did_p_adjusted``.
    """
    instrument = load_instrument() if instrument is None else instrument
    config = StudyConfig() if config is None else config
    work = _flipped(data, instrument)
    work["post"] = (work["wave"] == "after").astype(float)
    work["treated"] = (work["arm"] == "treated").astype(float)
    has_comparison = (work["arm"] == "comparison").any()
    rows = []
    for rec in instrument.items.itertuples(index=False):
        block = work.loc[work["item_id"] == rec.item_id]
        treated = block.loc[block["treated"] == 1]
        row = {"item_id": rec.item_id, "dimension": rec.dimension, "label_sv": rec.label_sv,
               "label_en": rec.label_en, "n_before": int((treated["post"] == 0).sum()),
               "n_after": int((treated["post"] == 1).sum())}
        exog = _dummies(treated)
        res = proportional_odds(treated["answer"], exog, "post", ci_level=config.ci_level)
        row.update({k: res[k] for k in ("log_odds", "odds_ratio", "ci_low", "ci_high",
                                        "p_value", "converged")})
        if has_comparison:
            exog = _dummies(block)
            exog["treated_post"] = (block["treated"] * block["post"]).to_numpy()
            did = proportional_odds(block["answer"], exog, "treated_post",
                                    ci_level=config.ci_level)
            row.update(did_log_odds=did["log_odds"], did_ci_low=did["ci_low"],
                       did_ci_high=did["ci_high"], did_p_value=did["p_value"],
                       did_converged=did["converged"])
        rows.append(row)
    out = pd.DataFrame(rows)
    out["p_adjusted"] = adjust_pvalues(out["p_value"], method="fdr_bh")
    if has_comparison:
        out["did_p_adjusted"] = adjust_pvalues(out["did_p_value"], method="fdr_bh")
    return out


def _dummies(block: pd.DataFrame) -> pd.DataFrame:
    exog = pd.DataFrame({"post": block["post"].to_numpy()})
    codes = sorted(block["municipality_code"].unique())
    for code in codes[1:]:
        exog[f"m_{code}"] = (block["municipality_code"] == code).to_numpy(dtype=float)
    return exog


def study_reliability(data: pd.DataFrame, instrument: Instrument | None = None, *,
                      by: Sequence[str] = ("wave",)) -> pd.DataFrame:
    """Cronbach's alpha and McDonald's omega per dimension and wave (reverse items flipped).

    Uses :func:`dimios_lib.reliability.cronbach_alpha` and
    :func:`~dimios_lib.reliability.mcdonald_omega` on the respondents who answered every item of
    the dimension. Returns ``<by...>, dimension, k_items, n_complete, alpha, omega``.
    """
    instrument = load_instrument() if instrument is None else instrument
    work = _flipped(data, instrument)
    rows = []
    for key, block in work.groupby(list(by), sort=False):
        key = key if isinstance(key, tuple) else (key,)
        wide = block.pivot_table(index=["municipality_code", "respondent_id"],
                                 columns="item_id", values="answer", aggfunc="first")
        for dim in instrument.dimension_ids:
            cols = [i for i in instrument.items_of(dim)]
            x = wide.reindex(columns=cols).to_numpy(dtype=float)
            rows.append({**dict(zip(by, key)), "dimension": dim, "k_items": len(cols),
                         "n_complete": int((~np.isnan(x).any(axis=1)).sum()),
                         "alpha": cronbach_alpha(x), "omega": mcdonald_omega(x)})
    out = pd.DataFrame(rows)
    if "wave" in by:
        out["_w"] = out["wave"].map({"before": 0, "after": 1})
        out = out.sort_values(["_w"], kind="stable").drop(columns="_w").reset_index(drop=True)
    return out


# --------------------------------------------------------------------------------------------
# Warnings and conclusions
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StudyWarning:
    """A plain-language warning where the design cannot carry a claim, in Swedish and English."""

    code: str
    sv: str
    en: str
    municipality_code: str | None = None
    dimension: str | None = None

    def text(self, lang: str = "sv") -> str:
        return self.sv if lang == "sv" else self.en


def _num(x: float, lang: str, decimals: int = 2) -> str:
    from babel.numbers import format_decimal

    pattern = "0." + "0" * decimals if decimals else "0"
    return format_decimal(x, format=pattern, locale="sv_SE" if lang == "sv" else "en_GB")


# --------------------------------------------------------------------------------------------
# The analysis
# --------------------------------------------------------------------------------------------

TABLE_COLUMNS = (
    "municipality_code", "municipality_name", "arm", "dimension", "wave_before", "wave_after",
    "n_before", "n_after", "n_matched", "mean_before", "mean_after", "sd_before", "sd_after",
    "mean_diff", "mean_diff_ci_low", "mean_diff_ci_high", "design", "overlap", "test",
    "statistic", "df", "p_value", "p_adjusted", "effect_size", "effect_size_kind", "ci_low",
    "ci_high", "rank_test", "rank_statistic", "rank_p_value", "rank_p_adjusted", "rank_biserial",
    "rank_biserial_ci_low", "rank_biserial_ci_high", "bm_statistic", "bm_df", "bm_p_value",
    "bm_p_adjusted", "matched_mean_diff", "matched_p_value", "did_estimate", "did_ci_low",
    "did_ci_high", "did_p_value", "did_p_adjusted", "did_permutation_p", "small_group",
    "suppressed",
)
_KEEP_WHEN_SUPPRESSED = {"municipality_code", "municipality_name", "arm", "dimension",
                         "wave_before", "wave_after", "n_before", "n_after", "n_matched",
                         "design", "overlap", "test", "effect_size_kind", "rank_test",
                         "small_group", "suppressed"}
POOLED = "pooled"
POOLED_COMPARISON = "pooled_comparison"


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
        ``design``), ``municipality_name``, ``sensitivity_agrees`` (partial overlap: do the main
        and the matched-subset analyses agree on significance in every dimension; else None)
        and the reason in ``reason_sv`` / ``reason_en``.
    sensitivity : DataFrame
        Partial-overlap municipalities x dimensions: the matched subset analysed paired.
    did : DataFrame or None
        One row per dimension (:func:`difference_in_differences`, ``p_adjusted`` Holm across
        dimensions); None without comparison municipalities.
    items : DataFrame or None
        :func:`ordinal_item_check`; None if switched off.
    reliability : DataFrame
        :func:`study_reliability` per wave and dimension.
    scores : DataFrame
        Respondent-level dimension scores for plots: ``municipality_code, arm, wave, person,
        matched, dimension, score`` — an opaque ``person`` number, no respondent ids.
    warnings : tuple of StudyWarning
    conclusions : DataFrame
        One row per dimension: ``level`` and a sentence in ``sv`` and ``en`` as strong as the
        evidence, with the figures it rests on.
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

    def warnings_frame(self) -> pd.DataFrame:
        """The warnings as a table: ``code, municipality_code, dimension, sv, en``."""
        return pd.DataFrame([{"code": w.code, "municipality_code": w.municipality_code,
                              "dimension": w.dimension, "sv": w.sv, "en": w.en}
                             for w in self.warnings],
                            columns=["code", "municipality_code", "dimension", "sv", "en"])

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
                             ("permutation_p", "did_permutation_p")):
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
    >>> from dimios_lib.study_demo import generate_study_demo
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
    did = _did(valid, dims, config) if arms == {"treated", "comparison"} else None
    items = ordinal_item_check(data, instrument, config=config) if config.ordinal else None
    reliability = study_reliability(data, instrument)
    reliability.insert(1, "wave_label", reliability["wave"].map(waves))
    # Matched: a score (any dimension) in both waves, as in choose_design.
    matched = valid.groupby("person")["wave"].transform("nunique") == 2
    public = valid.assign(matched=matched)[["municipality_code", "arm", "wave", "person",
                                            "matched", "dimension", "score"]]
    public = public.reset_index(drop=True)
    design["sensitivity_agrees"] = _sensitivity_agrees(design, muni, sensitivity, config)
    design = _with_reasons(design)
    warns = _warnings_for(data, scores, design, muni, sensitivity, pooled, did, items,
                          reliability, instrument, config)
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
    out = []
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
                "test": "OLS, municipality fixed effects, SE clustered by respondent",
                "statistic": res["statistic"], "df": res["df"], "p_value": res["p_value"],
                "n_clusters": res["n_clusters"], "effect_size": res["effect_size"],
                "effect_size_kind": "g_within", "ci_low": res["g_ci_low"],
                "ci_high": res["g_ci_high"]})
    out = pd.DataFrame(rows)
    out["p_adjusted"] = out.groupby("arm", sort=False)["p_value"].transform(
        lambda s: pd.Series(adjust_pvalues(s), index=s.index))
    return out


def _did(valid, dims, config) -> pd.DataFrame:
    rows = []
    for dim in dims:
        res = difference_in_differences(valid.loc[valid["dimension"] == dim],
                                        ci_level=config.ci_level,
                                        max_permutations=config.max_permutations,
                                        seed=config.seed)
        rows.append({"dimension": dim, **res})
    out = pd.DataFrame(rows)
    out["p_adjusted"] = adjust_pvalues(out["p_value"])
    return out


_REASONS = {
    "full": ("Alla svarande besvarade båda mätningarna: parat t-test och Wilcoxons "
             "teckenrangtest.",
             "Every respondent answered both waves: paired t-test and Wilcoxon signed-rank test."),
    "none": ("Ingen svarande besvarade båda mätningarna: Welchs t-test, Mann–Whitney och "
             "Brunner–Munzel på oberoende grupper.",
             "No respondent answered both waves: Welch t-test, Mann–Whitney and Brunner–Munzel "
             "on independent groups."),
    "partial": ("{n} av de svarande besvarade båda mätningarna: huvudanalysen behandlar "
                "mätningarna som oberoende grupper (alla svarande); de {n} matchade analyseras "
                "parat som känslighetsanalys.",
                "{n} respondents answered both waves: the main analysis treats the waves as "
                "independent groups (everyone); the {n} matched respondents are analysed paired "
                "as a sensitivity check."),
}


def _with_reasons(design: pd.DataFrame) -> pd.DataFrame:
    design = design.copy()
    design["reason_sv"] = [_REASONS[o][0].format(n=n)
                           for o, n in zip(design["overlap"], design["n_matched"])]
    design["reason_en"] = [_REASONS[o][1].format(n=n)
                           for o, n in zip(design["overlap"], design["n_matched"])]
    return design


def _warnings_for(data, scores, design, muni, sensitivity, pooled, did, items, reliability,
                  instrument, config) -> list[StudyWarning]:
    out: list[StudyWarning] = []
    names = dict(zip(design["municipality_code"], design["municipality_name"]))
    wave_sv = {"before": "före", "after": "efter"}
    if data.attrs.get("synthetic"):
        out.append(StudyWarning(
            "synthetic",
            "SYNTETISKA data: simulerade svar för demonstration, inte verkliga mätningar.",
            "SYNTHETIC data: simulated answers for demonstration, not real measurements."))
    for rec in design.itertuples(index=False):
        name = names[rec.municipality_code]
        for side, n in (("before", rec.n_before), ("after", rec.n_after)):
            if n < config.min_group_size:
                out.append(StudyWarning(
                    "small_group",
                    f"{name} har bara {n} svarande i mätningen {wave_sv[side]}: under "
                    f"{config.min_group_size} visas inga resultat i delade tabeller, och "
                    "testerna säger nästan ingenting.",
                    f"{name} has only {n} respondents in the {side} wave: below "
                    f"{config.min_group_size}, results are withheld from shared tables, and the "
                    "tests say next to nothing.", rec.municipality_code))
            elif n < config.small_sample:
                out.append(StudyWarning(
                    "few_respondents",
                    f"{name} har {n} svarande i mätningen {wave_sv[side]}: testerna har låg "
                    "styrka och bootstrapintervallen är osäkra; ett icke-signifikant resultat "
                    "visar inte att inget förändrats.",
                    f"{name} has {n} respondents in the {side} wave: the tests have little "
                    "power and the bootstrap intervals are unstable; a non-significant result "
                    "does not show that nothing changed.", rec.municipality_code))
        if rec.overlap == "partial":
            out.append(StudyWarning(
                "partial_overlap",
                f"{name}: {rec.n_matched} av {rec.n_before} (före) och {rec.n_after} (efter) "
                "svarande besvarade båda mätningarna. Huvudanalysen behandlar grupperna som "
                "oberoende (försiktigt om svaren samvarierar); de matchade analyseras parat som "
                "känslighetsanalys.",
                f"{name}: {rec.n_matched} of {rec.n_before} (before) and {rec.n_after} (after) "
                "respondents answered both waves. The main analysis treats the groups as "
                "independent (conservative when answers correlate within persons); the matched "
                "respondents are analysed paired as a sensitivity check.",
                rec.municipality_code))
    if not sensitivity.empty:
        main = muni.set_index(["municipality_code", "dimension"])
        for rec in sensitivity.itertuples(index=False):
            p_main = main.at[(rec.municipality_code, rec.dimension), "p_adjusted"]
            if not (np.isfinite(p_main) and np.isfinite(rec.p_adjusted)):
                continue
            if (p_main < config.alpha) != (rec.p_adjusted < config.alpha):
                dim_sv = instrument.dimension_label(rec.dimension, "sv")
                dim_en = instrument.dimension_label(rec.dimension, "en")
                name = names[rec.municipality_code]
                out.append(StudyWarning(
                    "sensitivity_disagrees",
                    f"{name}, {dim_sv}: huvudanalysen och den parade analysen av de matchade "
                    "svarande kommer till olika slutsatser om signifikans; resultatet är inte "
                    "robust.",
                    f"{name}, {dim_en}: the main analysis and the paired analysis of the matched "
                    "respondents disagree on significance; the result is not robust.",
                    rec.municipality_code, rec.dimension))
    dropped = scores["score"].isna().sum()
    if dropped:
        share = _num(100 * config.min_item_share, "sv", 0)
        share_en = _num(100 * config.min_item_share, "en", 0)
        out.append(StudyWarning(
            "scores_missing",
            f"{dropped} dimensionspoäng saknas eftersom den svarande besvarat färre än "
            f"{share} % av dimensionens påståenden.",
            f"{dropped} dimension scores are missing because the respondent answered fewer than "
            f"{share_en}% of the dimension's items."))
    treated = design.loc[design["arm"] == "treated"]
    k = len(treated)
    if k < config.min_random_effects_groups:
        out.append(StudyWarning(
            "random_effects",
            f"Med {k} kommuner går det inte att skatta variationen mellan kommuner (en "
            "slumpeffekts- eller flernivåmodell kräver betydligt fler). Den sammanvägda "
            "analysen använder fasta kommuneffekter: den beskriver just dessa kommuner och kan "
            "inte generaliseras till kommuner i allmänhet.",
            f"With {k} municipalities the variation between municipalities cannot be estimated "
            "(a random-effects or multilevel model needs many more). The pooled analysis uses "
            "municipality fixed effects: it describes these municipalities and cannot be "
            "generalised to municipalities at large."))
    for rec in pooled.itertuples(index=False):
        if rec.n_clusters < config.min_clusters:
            out.append(StudyWarning(
                "few_clusters",
                f"Den sammanvägda analysen ({'behandlade' if rec.arm == 'treated' else 'jämförelse'}"
                f"kommuner) har bara {rec.n_clusters} svarande som kluster: klusterrobusta "
                "standardfel är opålitliga med så få kluster.",
                f"The pooled analysis ({rec.arm} municipalities) has only {rec.n_clusters} "
                "respondents as clusters: cluster-robust standard errors are unreliable with so "
                "few clusters.", None, rec.dimension))
    if did is None:
        out.append(StudyWarning(
            "no_comparison",
            "Studien saknar jämförelsekommuner. En förändring mellan mätningarna kan därför "
            "inte tillskrivas insatsen: annat som hände under samma period (omorganisationer, "
            "personalomsättning, nationella satsningar, en pandemi) kan förklara den.",
            "The study has no comparison municipalities. A change between the waves therefore "
            "cannot be attributed to the intervention: anything else that happened in the same "
            "period (reorganisations, staff turnover, national programmes, a pandemic) could "
            "explain it."))
    else:
        rec = did.iloc[0]
        g = int(rec["n_municipalities"])
        out.append(StudyWarning(
            "few_clusters",
            f"Insatsen gavs till kommuner, men studien har bara {g} kommuner "
            f"({int(rec['n_treated'])} behandlade, {int(rec['n_comparison'])} jämförelse) — "
            f"för få för kommunklustrade standardfel (minst {config.min_clusters} behövs). "
            "Konfidensintervallet för skillnad-i-skillnader bygger på svarande och bortser från "
            "händelser som drabbar en hel kommun; det är troligen för smalt. Permutationstestet "
            f"över de {int(rec['n_assignments'])} möjliga tilldelningarna av insatsen är exakt "
            f"men kan inte ge p under {_num(rec['min_permutation_p'], 'sv', 3)}.",
            f"The intervention was given to municipalities, but the study has only {g} "
            f"municipalities ({int(rec['n_treated'])} treated, {int(rec['n_comparison'])} "
            f"comparison) — too few for municipality-clustered standard errors (at least "
            f"{config.min_clusters} are needed). The difference-in-differences interval rests "
            "on respondents and ignores events that hit a whole municipality; it is probably too "
            f"narrow. The permutation test over the {int(rec['n_assignments'])} possible "
            f"assignments of the intervention is exact but cannot give p below "
            f"{_num(rec['min_permutation_p'], 'en', 3)}."))
        out.append(StudyWarning(
            "parallel_trends",
            "Skillnad-i-skillnader förutsätter att de behandlade kommunerna utan insatsen hade "
            "förändrats som jämförelsekommunerna (parallella trender). Med två mätningar går "
            "det inte att pröva.",
            "Difference-in-differences assumes that the treated municipalities would have "
            "changed like the comparison municipalities without the intervention (parallel "
            "trends). Two waves cannot test this."))
    for rec in reliability.itertuples(index=False):
        if np.isfinite(rec.alpha) and rec.alpha < config.min_reliability:
            dim_sv = instrument.dimension_label(rec.dimension, "sv")
            dim_en = instrument.dimension_label(rec.dimension, "en")
            out.append(StudyWarning(
                "unreliable_scale",
                f"{dim_sv} ({wave_sv[rec.wave]}): Cronbachs alfa {_num(rec.alpha, 'sv')} är "
                f"under {_num(config.min_reliability, 'sv')}; påståendena mäter inte tydligt "
                "samma sak, och skalans förändring är svår att tolka.",
                f"{dim_en} ({rec.wave}): Cronbach's alpha {_num(rec.alpha, 'en')} is below "
                f"{_num(config.min_reliability, 'en')}; the items do not clearly measure one "
                "thing, and a change of the scale is hard to interpret.", None, rec.dimension))
    if items is not None:
        failed = items.loc[~items["converged"].astype(bool), "item_id"].tolist()
        if failed:
            out.append(StudyWarning(
                "ordinal_failed",
                f"Den ordinala modellen kunde inte skattas för {', '.join(failed)}.",
                f"The ordinal model could not be fitted for {', '.join(failed)}."))
    return out


_CONCLUSIONS = {
    "did_supported": (
        "{dim_sv} utvecklades {did_sv} i de behandlade kommunerna än i jämförelsekommunerna "
        "(skillnad-i-skillnader, signifikant efter Holm-korrektion, och permutationstestet över "
        "kommuner bekräftar). Det talar för en effekt av insatsen, under antagandet att "
        "grupperna annars hade förändrats lika.",
        "{dim_en} developed {did_en} in the treated municipalities than in the comparison "
        "municipalities (difference-in-differences, significant after Holm correction, and the "
        "permutation test over municipalities agrees). This supports an effect of the "
        "intervention, assuming the groups would otherwise have changed alike."),
    "did_suggestive": (
        "{dim_sv} utvecklades {did_sv} i de behandlade kommunerna än i jämförelsekommunerna "
        "räknat på svarande, men permutationstestet över kommuner bekräftar det inte (p = {perm_sv}). "
        "Resultatet är en indikation, inte en påvisad effekt av insatsen.",
        "{dim_en} developed {did_en} in the treated than in the comparison municipalities "
        "counted over respondents, but the permutation test over municipalities does not confirm it "
        "(p = {perm_en}). The result is an indication, not a demonstrated effect of the "
        "intervention."),
    "did_suggestive_design": (
        "{dim_sv} utvecklades {did_sv} i de behandlade kommunerna än i jämförelsekommunerna "
        "räknat på svarande. Med bara {g} kommuner kan inget test över kommuner bekräfta det på "
        "{alpha_sv} %-nivån (minsta möjliga p är {min_p_sv}). Resultatet är en indikation, "
        "inte en påvisad effekt av insatsen.",
        "{dim_en} developed {did_en} in the treated than in the comparison municipalities "
        "counted over respondents. With only {g} municipalities no test over municipalities can confirm "
        "it at the {alpha_en}% level (the smallest possible p is {min_p_en}). The result is an "
        "indication, not a demonstrated effect of the intervention."),
    "change_not_attributable": (
        "{dim_sv} {verb_sv} i de behandlade kommunerna, men inte tydligt mer än i "
        "jämförelsekommunerna; förändringen kan inte tillskrivas insatsen.",
        "{dim_en} {verb_en} in the treated municipalities, but not clearly more than in the "
        "comparison municipalities; the change cannot be attributed to the intervention."),
    "change_without_comparison": (
        "{dim_sv} {verb_sv} i de studerade kommunerna (signifikant efter Holm-korrektion). Utan "
        "jämförelsekommuner kan förändringen inte tillskrivas insatsen.",
        "{dim_en} {verb_en} in the studied municipalities (significant after Holm correction). "
        "Without comparison municipalities the change cannot be attributed to the "
        "intervention."),
    "no_clear_change": (
        "Ingen tydlig förändring av {dim_sv_lower} (inte signifikant efter Holm-korrektion); "
        "med dessa urval kan en måttlig förändring inte uteslutas.",
        "No clear change in {dim_en_lower} (not significant after Holm correction); with these "
        "samples a modest change cannot be ruled out."),
    "insufficient_data": (
        "För lite data för att uttala sig om {dim_sv_lower}.",
        "Too little data to say anything about {dim_en_lower}."),
}


def _conclusions(pooled, did, instrument, config) -> pd.DataFrame:
    rows = []
    treated = pooled.loc[pooled["arm"] == "treated"].set_index("dimension")
    d = did.set_index("dimension") if did is not None else None
    for dim in instrument.dimension_ids:
        p = treated.loc[dim]
        estimate, low, high = p["mean_diff"], p["mean_diff_ci_low"], p["mean_diff_ci_high"]
        p_adj, perm, template = p["p_adjusted"], np.nan, None
        extra = {"g": "", "perm_sv": "", "perm_en": "", "min_p_sv": "", "min_p_en": "",
                 "alpha_sv": _num(100 * config.alpha, "sv", 0),
                 "alpha_en": _num(100 * config.alpha, "en", 0)}
        changed = np.isfinite(p_adj) and p_adj < config.alpha
        if not np.isfinite(p_adj):
            level = "insufficient_data"
        elif d is not None:
            r = d.loc[dim]
            estimate, low, high, perm = r["estimate"], r["ci_low"], r["ci_high"], \
                r["permutation_p"]
            did_adj = r["p_adjusted"]
            extra.update(g=str(int(r["n_municipalities"])), perm_sv=_num(perm, "sv", 2),
                         perm_en=_num(perm, "en", 2),
                         min_p_sv=_num(r["min_permutation_p"], "sv", 2),
                         min_p_en=_num(r["min_permutation_p"], "en", 2))
            if np.isfinite(did_adj) and did_adj < config.alpha:
                level = "did_supported" if perm <= config.alpha else "did_suggestive"
                if level == "did_suggestive" and r["min_permutation_p"] > config.alpha:
                    template = "did_suggestive_design"
                p_adj = did_adj
            else:
                level = "change_not_attributable" if changed else "no_clear_change"
                if not changed:
                    p_adj = did_adj
                else:
                    estimate, low, high = p["mean_diff"], p["mean_diff_ci_low"], \
                        p["mean_diff_ci_high"]
        else:
            level = "change_without_comparison" if changed else "no_clear_change"
        up = estimate >= 0
        labels = {"dim_sv": instrument.dimension_label(dim, "sv"),
                  "dim_en": instrument.dimension_label(dim, "en"),
                  "verb_sv": "ökade" if up else "minskade", "verb_en": "rose" if up else "fell"}
        labels["did_sv"] = "mer positivt" if up else "mindre positivt"
        labels["did_en"] = "more favourably" if up else "less favourably"
        labels["dim_sv_lower"] = labels["dim_sv"].lower()
        labels["dim_en_lower"] = labels["dim_en"].lower()
        labels.update(extra)
        sv, en = _CONCLUSIONS[template or level]
        rows.append({"dimension": dim, "level": level, "estimate": estimate, "ci_low": low,
                     "ci_high": high, "p_adjusted": p_adj, "permutation_p": perm,
                     "sv": sv.format(**labels), "en": en.format(**labels)})
    return pd.DataFrame(rows)
