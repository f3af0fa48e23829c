"""The data contract of a before/after study (DigiGrow: Alingsås, Linköping, Umeå, autumn 2019
and spring 2021), with or without comparison municipalities.

Long format, one row per answer; or wide, one row per respondent:

================== ===============================================================================
column             contract
================== ===============================================================================
municipality_code  four-digit SCB code as text, leading zero kept, in the list of 290
wave               two waves per file: ``YYYY-MM`` labels (the earlier is *before*) or
                   före/efter, before/after, pre/post
respondent_id      required in a long file; unique within municipality and wave; the same id in
                   both waves of a municipality is the same person. Optional in a wide file
                   (without it nobody is matched across waves).
item_id            an item of the instrument (:mod:`dimios_lib.reference.instrument`), ignoring case
answer             whole number on the item's scale, or missing ("vet ej", "vet inte", empty)
arm                optional: ``treated`` or ``comparison`` (behandlad/insats, jämförelse/kontroll),
                   one value per municipality; without the column every municipality is treated
================== ===============================================================================

Every municipality must have answers in both waves, and at least one non-missing answer in each.
Every problem is reported at once (file, row as the user sees it, column, value, expected) and
nothing is returned then. See ``docs/study.md`` for every choice made here; the analysis is
:mod:`dimios_lib.study`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import StudyConfig
from ..errors import DataValidationError, Problem
from ..io.files import is_synthetic
from ..io.tables import Table, read_table
from ..reference.instrument import Instrument, load_instrument
from ..reference.municipalities import municipalities
from .parsing import EXCEL_MONTH, MONTH, NUMBER, cell_text, column_aliases, column_name, to_long

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
        The file; Swedish conventions as in :func:`dimios_lib.io.tables.read_table`.
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
    frame.attrs.update(source=path.name, synthetic=is_synthetic(path))
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
        text[col] = [cell_text(v) for v in text[col]]
    text.index = pd.RangeIndex(1, len(text) + 1, name="row")
    out = _check(Table(text, name, "utf-8", ","), instrument, config, set())
    out.attrs.update(source=frame.attrs.get("source", name),
                     synthetic=bool(frame.attrs.get("synthetic", False)))
    return out


def _check(table: Table, instrument: Instrument, config: StudyConfig,
           ignore: set[str]) -> pd.DataFrame:
    """The whole contract: map columns, melt wide files, parse, check relations."""
    frame, rows, columns, notes, problems = to_long(
        table, study_aliases(), instrument.item_ids, ignore=ignore,
        required_long=("municipality_code", "wave", "item_id", "answer", "respondent_id"),
        required_wide=("municipality_code", "wave"),
        unknown="unknown column: expected municipality_code, wave, respondent_id, item_id, "
                "answer, arm (or a Swedish alias), or an item id of the instrument; leave it out "
                "on purpose with --ignore-column",
        wide_items="item id of the instrument",
        no_id_note="no respondent id column: each row is its own respondent ('row-N'), so "
                   "nobody is matched across waves (independent design)",
        messages={"respondent_id": "expected a respondent_id column in a long file: answers are "
                                   "grouped into respondents by it (a wide file, one row per "
                                   "respondent, needs none)"})
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
            problems.append(Problem(file, int(rows[pos]), column_name(columns, name, pos), "",
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
        problems.append(Problem(file, int(rows[pos]), column_name(columns, "municipality_code", pos),
                                code, expected))
        out.iloc[pos, out.columns.get_loc("municipality_code")] = np.nan
    # Waves: Excel turns a typed 2019-10 into a date on the first of the month.
    if table.encoding is None:
        extracted = out["wave"].str.extract(EXCEL_MONTH, expand=True)[0]
        out.loc[extracted.notna(), "wave"] = extracted[extracted.notna()]
    wave = out["wave"]
    folded = wave.str.casefold()
    month = wave.str.fullmatch(MONTH.pattern).fillna(False).astype(bool)
    side = np.where(folded.isin(BEFORE_TOKENS), "before",
                    np.where(folded.isin(AFTER_TOKENS), "after", ""))
    for pos in np.flatnonzero((wave.notna() & ~month & (side == "")).to_numpy()):
        problems.append(Problem(file, int(rows[pos]), column_name(columns, "wave", pos), wave.iloc[pos],
                                "expected a wave as YYYY-MM (e.g. '2019-10') or före/efter "
                                "(before/after)"))
    out["_kind"] = np.where(month, "month", np.where(side != "", "token", ""))
    out["_side"] = pd.Series(side, index=out.index).replace("", np.nan).astype(object)
    out.loc[out["_kind"] == "", "wave"] = np.nan
    # Arms.
    if "arm" in frame:
        arm = out["arm"].str.casefold().map(ARM_TOKENS)
        for pos in np.flatnonzero((out["arm"].notna() & arm.isna()).to_numpy()):
            problems.append(Problem(file, int(rows[pos]), column_name(columns, "arm", pos),
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
        problems.append(Problem(file, int(rows[pos]), column_name(columns, "item_id", pos),
                                out["item_id"].iloc[pos],
                                f"expected an item of the instrument {instrument.version} "
                                f"({shown_ids})"))
    out["item_id"] = item.astype(object)
    scale = instrument.items.set_index("item_id")[["scale_min", "scale_max"]]
    lo = item.map(scale["scale_min"]).to_numpy(dtype=float)
    hi = item.map(scale["scale_max"]).to_numpy(dtype=float)
    text = frame["answer"].fillna("").astype(str).str.strip()
    missing = text.str.casefold().isin(config.missing_tokens)
    numeric = text.str.fullmatch(NUMBER.pattern)
    values = pd.to_numeric(text.where(numeric & ~missing).str.replace(",", ".", regex=False),
                           errors="coerce").to_numpy(dtype=float, copy=True)
    whole = np.isnan(values) | (values == np.round(values))
    on_scale = np.isnan(lo) | np.isnan(values) | ((values >= lo) & (values <= hi))
    bad = (~missing & ~numeric).to_numpy() | ~whole | ~on_scale
    for pos in np.flatnonzero(bad):
        span = ("on the item's scale" if np.isnan(lo[pos]) else
                f"from {int(lo[pos])} to {int(hi[pos])} (the scale of item {item.iloc[pos]})")
        problems.append(Problem(file, int(rows[pos]), column_name(columns, "answer", pos), text.iloc[pos],
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
        problems.append(Problem(file, int(rows[pos]), column_name(columns, "wave", pos),
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
                file, int(rows[pos]), column_name(columns, "answer", pos),
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
            problems.append(Problem(file, int(rows[rec.pos]), column_name(columns, "arm", rec.pos),
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
                        file, int(rows[first_pos]), column_name(columns, "wave", first_pos),
                        out["wave"].iloc[first_pos],
                        f"expected answers from municipality {label} in both waves: it has none "
                        f"in the {side} wave ({waves[side]!r})"))
                elif (block.loc[in_wave, "answer"].isna().all()
                      and not block.loc[in_wave, "_bad"].any()):
                    pos = int(np.flatnonzero(((out["municipality_code"] == code)
                                              & (out["_side"] == side)).to_numpy())[0])
                    problems.append(Problem(
                        file, int(rows[pos]), column_name(columns, "answer", pos),
                        str(raw_answer.iloc[pos]).strip(),
                        f"expected at least one answer on the scale from municipality {label} "
                        f"in the {side} wave ({waves[side]!r}): every answer there is missing"))
    return problems
