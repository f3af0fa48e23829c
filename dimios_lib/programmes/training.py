"""Training programmes (Modig): what the training reached and what the trained say.

:func:`training_summary` and :func:`cumulative_training` (people trained, hours, ambassadors, by
municipality, role and month), :func:`outcome_shares` (yes-shares of the outcome survey with
intervals, small groups suppressed) and :func:`analyse_competence` (self-rated competence
before/after, through the study pipeline). The data contracts are
:mod:`dimios_lib.contracts.training`; see ``docs/training.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..config import ModelConfig
from ..contracts.training import GROUPS, LOG_COLUMNS, OUTCOME_COLUMNS, QUESTIONS
from ..reference.instrument import load_competence_instrument
from ..reference.municipalities import municipalities
from ..stats.proportions import proportion_interval

SUMMARY_BY = ("municipality_code", "role", "month")
TOTAL = "total"
ALL = "all"
SUMMARY_COLUMNS = ("people_trained", "hours", "hours_per_person", "ambassadors",
                   "trainees_per_ambassador", "active_months", "first_month", "last_month")


def training_summary(log: pd.DataFrame, by: Sequence[str] = ("municipality_code",), *,
                     total: bool = False) -> pd.DataFrame:
    """People trained, hours and ambassadors, by any of municipality, role and month.

    Parameters
    ----------
    log : DataFrame
        A canonical training log (:func:`read_training_log` / :func:`validate_training_log`).
    by : sequence of str
        Any of ``municipality_code``, ``role``, ``month`` (in the order wanted); ``()`` gives
        one row for the whole log.
    total : bool
        Append a row for the whole log, its ``by`` columns set to ``"total"``.

    Returns
    -------
    DataFrame
        One row per group, sorted by ``by``: the ``by`` columns (with ``municipality_name``
        after ``municipality_code``), then :data:`SUMMARY_COLUMNS`:

        * ``people_trained`` — sum of ``trainees`` (people trained for the first time, so each
          person once);
        * ``hours`` — sum of ``hours``; ``hours_per_person`` = hours / people_trained (NaN
          without people);
        * ``ambassadors`` — for each municipality × role in the group, the *largest* number of
          ambassadors in any month of the group, summed: ambassadors are a stock, not a flow, so
          one ambassador active for twenty months counts once (by month, the number active that
          month);
        * ``trainees_per_ambassador`` = people_trained / ambassadors (NaN without ambassadors);
        * ``active_months`` — months with trainees or hours, ``first_month``/``last_month`` the
          first and last of them (None if none).

    Notes
    -----
    By month, ``hours`` includes follow-up sessions of people first trained in earlier months,
    so that month's hours per person is per *newly* trained person. By role, ambassadors are
    those *whose own role* it is; they may well train colleagues of other roles, so trainees per
    ambassador is best read per municipality or for the whole programme. Without person
    identifiers the log cannot tell whether an ambassador who left was replaced by someone else
    in the same role: the peak is then a lower bound of the people who served.

    Examples
    --------
    Two months of one municipality: 10 + 5 people, 40 + 30 hours, 2 ambassadors both months:

    >>> log = pd.DataFrame({"municipality_code": "1419", "month": ["2019-10", "2019-11"],
    ...                     "role": "Undersköterska", "ambassadors": [2, 2], "trainees": [10, 5],
    ...                     "hours": [40.0, 30.0]})
    >>> s = training_summary(log)
    >>> s[["people_trained", "hours", "ambassadors", "trainees_per_ambassador"]].to_dict("records")
    [{'people_trained': 15, 'hours': 70.0, 'ambassadors': 2, 'trainees_per_ambassador': 7.5}]
    """
    by = list(by)
    unknown = [b for b in by if b not in SUMMARY_BY]
    if unknown or len(set(by)) != len(by):
        raise ValueError(f"by must be distinct columns of {SUMMARY_BY}; got {by}")
    work = log[list(LOG_COLUMNS)]
    out = _summarise(work, by)
    if total and by:
        whole = _summarise(work, [])
        for b in by:
            whole.insert(by.index(b), b, TOTAL)
        out = pd.concat([out, whole], ignore_index=True)
    if "municipality_code" in by:
        names = dict(zip(municipalities()["municipality_code"],
                         municipalities()["municipality_name"]))
        at = out.columns.get_loc("municipality_code") + 1
        out.insert(at, "municipality_name", out["municipality_code"].map(names))
    return out


def _summarise(log: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    key = by if by else (lambda _: 0)
    groups = log.groupby(key, sort=True)
    out = groups.agg(people_trained=("trainees", "sum"), hours=("hours", "sum"))
    cells = list(dict.fromkeys(by + ["municipality_code", "role"]))
    peak = log.groupby(cells, sort=True)["ambassadors"].max()
    out["ambassadors"] = (peak.groupby(level=by, sort=True).sum() if by
                          else pd.Series([peak.sum()], index=out.index))
    active = log.loc[(log["trainees"] > 0) | (log["hours"] > 0)]
    months = active.groupby(key, sort=True)["month"]
    out["active_months"] = months.nunique().reindex(out.index).fillna(0).astype(np.int64)
    out["first_month"] = months.min().reindex(out.index).astype(object)
    out["last_month"] = months.max().reindex(out.index).astype(object)
    out = out.reset_index(drop=not by)
    people = out["people_trained"].to_numpy(dtype=float)
    amb = out["ambassadors"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["hours_per_person"] = np.where(people > 0, out["hours"] / np.where(people > 0,
                                                                               people, 1), np.nan)
        out["trainees_per_ambassador"] = np.where(amb > 0, people / np.where(amb > 0, amb, 1),
                                                  np.nan)
    out["people_trained"] = out["people_trained"].astype(np.int64)
    out["ambassadors"] = out["ambassadors"].astype(np.int64)
    out["hours"] = out["hours"].astype(float)
    out["first_month"] = out["first_month"].where(out["first_month"].notna(), None)
    out["last_month"] = out["last_month"].where(out["last_month"].notna(), None)
    return out[by + list(SUMMARY_COLUMNS)]


def cumulative_training(log: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Month by month: people trained and hours, and their running totals.

    Every calendar month from the log's first to its last month appears (a month missing from
    the log counts zero), for every group of ``by`` (any of ``municipality_code``, ``role``).

    Returns
    -------
    DataFrame
        ``*by, month, people_trained, hours, cumulative_people, cumulative_hours``, sorted by
        ``by`` and month.

    Examples
    --------
    >>> log = pd.DataFrame({"municipality_code": "1419", "month": ["2019-10", "2019-12"],
    ...                     "role": "Undersköterska", "ambassadors": 2, "trainees": [10, 5],
    ...                     "hours": [40.0, 30.0]})
    >>> cumulative_training(log)[["month", "cumulative_people"]].to_numpy().tolist()
    [['2019-10', 10], ['2019-11', 10], ['2019-12', 15]]
    """
    by = list(by)
    if [b for b in by if b not in ("municipality_code", "role")] or len(set(by)) != len(by):
        raise ValueError(f"by must be distinct columns of ('municipality_code', 'role'); got {by}")
    columns = by + ["month", "people_trained", "hours", "cumulative_people", "cumulative_hours"]
    if log.empty:
        return pd.DataFrame(columns=columns)
    span = pd.period_range(log["month"].min(), log["month"].max(), freq="M").strftime("%Y-%m")
    monthly = (log.groupby(by + ["month"], sort=True)
               .agg(people_trained=("trainees", "sum"), hours=("hours", "sum")))
    groups = (log[by].drop_duplicates().sort_values(by).itertuples(index=False, name=None)
              if by else [()])
    index = (pd.MultiIndex.from_tuples([(*g, m) for g in groups for m in span],
                                       names=by + ["month"]) if by
             else pd.Index(span, name="month"))
    out = monthly.reindex(index, fill_value=0).reset_index()
    out["people_trained"] = out["people_trained"].astype(np.int64)
    out["hours"] = out["hours"].astype(float)
    grouped = out.groupby(by, sort=False) if by else out
    out["cumulative_people"] = grouped["people_trained"].cumsum().astype(np.int64)
    out["cumulative_hours"] = grouped["hours"].cumsum()
    return out[columns]


SHARE_COLUMNS = ("level", "municipality_code", "municipality_name", "question", "group",
                 "n_respondents", "n_answered", "n_missing", "n_yes", "share", "ci_low",
                 "ci_high", "small_group", "suppressed")


def outcome_shares(outcomes: pd.DataFrame, *, ci_level: float = 0.95, method: str = "wilson",
                   min_group_size: int | None = None,
                   suppress_small: bool = True) -> pd.DataFrame:
    """Share answering yes per question and group, overall and per municipality, with intervals.

    Parameters
    ----------
    outcomes : DataFrame
        A canonical outcome survey (:func:`read_outcomes` / :func:`validate_outcomes`).
    ci_level : float
        Confidence level of the intervals (0.95).
    method : {"wilson", "clopper-pearson"}
        Interval method (:func:`proportion_interval`; Wilson by default).
    min_group_size : int, optional
        Rows with fewer answers are suppressed (default: ``ModelConfig().min_group_size``, 5).
    suppress_small : bool
        Blank the values of small groups (default). Off for internal use only.

    Returns
    -------
    DataFrame
        Columns :data:`SHARE_COLUMNS`; one row per (overall, then each municipality) × question
        × group with answers. ``level`` is ``overall`` (``municipality_code`` ``"all"``) or
        ``municipality``; ``n_answered`` counts yes and no, ``n_missing`` the missing answers,
        which are left out of the share: ``share = n_yes / n_answered``. The overall share pools
        every respondent (so larger municipalities weigh more).

        ``small_group`` is True where ``n_answered < min_group_size``. With ``suppress_small``
        such a row's ``n_yes, share, ci_low, ci_high`` are blanked and ``suppressed`` is True;
        and when exactly one municipality of a question and group is small, the next smallest
        is suppressed too (``suppressed`` True, ``small_group`` False), since otherwise the
        overall row minus the shown ones would give the small one away.

    Examples
    --------
    >>> o = pd.DataFrame({"municipality_code": "1419", "respondent_id": [f"r{i}" for i in
    ...                   range(10)], "group": "staff", "question": "better_digital_skills",
    ...                   "answer": [True] * 6 + [False] * 3 + [pd.NA]})
    >>> from dimios_lib.contracts.training import validate_outcomes
    >>> s = outcome_shares(validate_outcomes(o))
    >>> s[["level", "n_answered", "n_yes", "share"]].to_numpy().tolist()
    [['overall', 9, 6, 0.6666666666666666], ['municipality', 9, 6, 0.6666666666666666]]
    """
    min_group_size = ModelConfig().min_group_size if min_group_size is None else min_group_size
    order_q = {q: i for i, q in enumerate(QUESTIONS)}
    order_g = {g: i for i, g in enumerate(GROUPS)}
    work = outcomes[list(OUTCOME_COLUMNS)].copy()
    work["yes"] = work["answer"].eq(True).fillna(False).astype(int)
    work["answered"] = work["answer"].notna().astype(int)
    frames = []
    for level, keys in (("overall", ["question", "group"]),
                        ("municipality", ["municipality_code", "question", "group"])):
        g = (work.groupby(keys, sort=False)
             .agg(n_respondents=("respondent_id", "size"), n_answered=("answered", "sum"),
                  n_yes=("yes", "sum")).reset_index())
        if level == "overall":
            g.insert(0, "municipality_code", ALL)
        g.insert(0, "level", level)
        frames.append(g)
    out = pd.concat(frames, ignore_index=True)
    out["_l"] = (out["level"] == "municipality").astype(int)
    out["_q"] = out["question"].map(order_q)
    out["_g"] = out["group"].map(order_g)
    out = out.sort_values(["_l", "municipality_code", "_q", "_g"], kind="stable")
    out = out.drop(columns=["_l", "_q", "_g"]).reset_index(drop=True)
    names = dict(zip(municipalities()["municipality_code"],
                     municipalities()["municipality_name"]))
    out.insert(2, "municipality_name", out["municipality_code"].map(names))
    out["n_missing"] = out["n_respondents"] - out["n_answered"]
    for col in ("n_respondents", "n_answered", "n_missing", "n_yes"):
        out[col] = out[col].astype(np.int64)
    n = out["n_answered"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(n > 0, out["n_yes"] / np.where(n > 0, n, 1), np.nan)
    out["ci_low"], out["ci_high"] = proportion_interval(out["n_yes"], n, ci_level=ci_level,
                                                        method=method)
    out["small_group"] = out["n_answered"] < min_group_size
    suppressed = out["small_group"].to_numpy().copy()
    muni = out["level"] == "municipality"
    for _, block in out.loc[muni].groupby(["question", "group"], sort=False):
        small = block["small_group"]
        if int(small.sum()) == 1 and len(block) > 1:
            suppressed[block.loc[~small, "n_answered"].idxmin()] = True
    out["suppressed"] = suppressed & suppress_small
    if suppress_small:
        out["n_yes"] = out["n_yes"].astype("Int64")
        out.loc[out["suppressed"], "n_yes"] = pd.NA
        out.loc[out["suppressed"], ["share", "ci_low", "ci_high"]] = np.nan
    return out[list(SHARE_COLUMNS)]


def analyse_competence(data: pd.DataFrame, *, config=None):
    """Analyse self-rated competence before/after: :func:`dimios_lib.study.analysis.analyse_study` on the
    competence instrument. Returns a :class:`~dimios_lib.study.analysis.StudyResults`."""
    from ..study.analysis import analyse_study

    return analyse_study(data, load_competence_instrument(), config=config)
