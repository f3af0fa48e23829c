"""Training programmes (Modig): the training log, the follow-up outcome survey, self-rated competence.

Modig (*Mer omsorg med digital teknik*, Göteborgsregionen, 2019–2021) trained staff and managers
in elderly and disability care in seven municipalities through digitalisation ambassadors
(*digitaliseringsombud*) who trained their colleagues. This module holds three data contracts and
the measures on them, as pure functions; :mod:`dimios_lib.training_demo` makes SYNTHETIC demo
files calibrated to the published totals (:func:`published_modig`). See ``docs/training.md``.

1. The **training log** (:func:`read_training_log`, :func:`validate_training_log`), long format,
   one row per municipality × month × role:

   ================== =========================================================================
   column             contract
   ================== =========================================================================
   municipality_code  four-digit SCB code as text, leading zero kept, in the list of 290
   month              ``YYYY-MM`` (month 01–12)
   role               the staff role (undersköterska, enhetschef, ...), non-empty; roles are
                      compared ignoring case
   ambassadors        whole number ≥ 0: ambassadors *of this role* active in the month
   trainees           whole number ≥ 0: people of this role trained **for the first time** in
                      the programme this month (so the sum over months is the number of people
                      trained, each counted once)
   hours              number ≥ 0 (decimal comma or point): training hours *received* by people
                      of this role this month, counted per participant (two people in a
                      three-hour session are six hours), including follow-up sessions of
                      people first trained earlier
   ================== =========================================================================

   One row per (municipality, month, role): a second row is an error, never added up. Hours with
   no new trainees are allowed (follow-up sessions of people trained earlier); new trainees with
   zero hours are an error (a person trained for the first time that month had some training).

2. The **outcome survey** (:func:`read_outcomes`, :func:`validate_outcomes`), one row per
   respondent × question, yes/no answers: ``municipality_code, respondent_id, group (manager |
   staff), question, answer``; the questions are :data:`QUESTIONS`. :func:`outcome_shares` gives
   the share answering yes with a Wilson interval, overall and per municipality.

3. **Self-rated competence before/after** is a before/after study on the packaged instrument
   ``data/instrument_digital_competence_v0.1.csv`` (:func:`load_competence_instrument`): read,
   validated and analysed by :mod:`dimios_lib.study` (:func:`read_competence`,
   :func:`analyse_competence` are thin wrappers). No statistics are reimplemented here.

Measures: :func:`training_summary` (people trained, hours, hours per person, ambassadors,
trainees per ambassador, by any of municipality, role and month), :func:`cumulative_training`
(month by month, cumulative), :func:`outcome_shares`, :func:`proportion_interval`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .config import ModelConfig
from .errors import DataValidationError, Problem
from .instrument import Instrument, load_instrument
from .municipalities import municipalities
from .readers import Table, map_headers, read_table
from .schemas import _is_synthetic, column_aliases

LOG_COLUMNS = ("municipality_code", "month", "role", "ambassadors", "trainees", "hours")
OUTCOME_COLUMNS = ("municipality_code", "respondent_id", "group", "question", "answer")
GROUPS = ("manager", "staff")
COMPETENCE_INSTRUMENT = "instrument_digital_competence_v0.1.csv"
SUMMARY_BY = ("municipality_code", "role", "month")
TOTAL = "total"
ALL = "all"

#: The outcome questions: who is asked, Swedish aliases, our wording, and the published finding.
QUESTIONS: dict[str, dict] = {
    "changed_routine": {
        "groups": ("manager",),
        "aliases": ("ändrat_rutin", "andrat_rutin", "ändrad_rutin", "förändrat_rutin", "rutin"),
        "sv": "Har du som chef förändrat minst en rutin till ett digitalt eller mobilt arbetssätt?",
        "en": "Have you as a manager changed at least one routine to a digital or mobile way of "
              "working?",
    },
    "lead_digital_workplace": {
        "groups": ("manager",),
        "aliases": ("leda_digital_arbetsplats", "leder_digital_arbetsplats",
                    "digitalt_ledarskap"),
        "sv": "Har du stärkt din förmåga att leda en digitaliserad arbetsplats?",
        "en": "Have you strengthened your ability to lead a digitalised workplace?",
    },
    "better_digital_skills": {
        "groups": ("staff", "manager"),
        "aliases": ("bättre_digital_kompetens", "battre_digital_kompetens", "digital_kompetens"),
        "sv": "Har du stärkt dina kunskaper om digitala verktyg eller din förmåga att arbeta "
              "digitalt?",
        "en": "Have you strengthened your knowledge of digital tools or your ability to work "
              "digitally?",
    },
}
GROUP_TOKENS = {
    "manager": "manager", "managers": "manager", "chef": "manager", "chefer": "manager",
    "enhetschef": "manager", "arbetsledare": "manager", "ledare": "manager",
    "staff": "staff", "employee": "staff", "medarbetare": "staff", "personal": "staff",
    "baspersonal": "staff",
}
YES_TOKENS = ("ja", "j", "yes", "y", "1", "true", "sant")
NO_TOKENS = ("nej", "n", "no", "0", "false", "falskt")
MISSING_TOKENS = ("", "vet ej", "vet inte", "ej svar", "-")

_LOG_ALIASES = {
    "month": ("month", "månad", "manad", "år-månad", "årmånad", "period", "utbildningsmånad"),
    "role": ("role", "roll", "befattning", "yrkesroll", "yrkesgrupp", "personalgrupp", "yrke"),
    "ambassadors": ("ambassadors", "ombud", "digitaliseringsombud", "antal ombud", "antal_ombud",
                    "ambassadörer", "do"),
    "trainees": ("trainees", "deltagare", "nya deltagare", "utbildade", "antal utbildade",
                 "antal_utbildade", "people_trained"),
    "hours": ("hours", "timmar", "utbildningstimmar", "antal timmar", "antal_timmar",
              "training_hours", "deltagartimmar"),
}
_OUTCOME_ALIASES = {
    "group": ("group", "grupp", "respondentgrupp", "målgrupp", "malgrupp"),
    "question": ("question", "fråga", "fraga", "frågeid", "fråge-id", "item_id", "item"),
    "answer": ("answer", "svar"),
}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_EXCEL_MONTH = re.compile(r"^(\d{4}-(0[1-9]|1[0-2]))-01 00:00:00$")
_NUMBER = r"^[+-]?\d+([.,]\d+)?$"
_SPACED = r"^\d{1,3}(?:[ \u00a0\u202f]\d{3})+([.,]\d+)?$"  # 1 200 or 1 200,5: thousands blanks


# --------------------------------------------------------------------------------------------
# Published figures
# --------------------------------------------------------------------------------------------

_PUBLISHED_MODIG = {
    "programme": "Modig – Mer omsorg med digital teknik",
    "organiser": "Göteborgsregionen (GR)",
    "funder": "Europeiska socialfonden (ESF)",
    "group_id": "modig",
    "municipalities": ("1440", "1401", "1482", "1481", "1402", "1415", "1419"),
    "kick_off": "2019-09",
    "ended": "2021-06",
    "people_trained": 3513,
    "training_hours": 30605,
    "ambassadors_per_municipality": (2, 10),
    "ambassadors_total_at_least": 30,
    "planned_trainees_per_ambassador": 36,
    "shares": {
        "changed_routine": {
            "group": "manager", "share": 0.70,
            "published_sv": "70 procent av cheferna som deltog i projektet har förändrat en eller "
                            "flera rutiner till ett uttalat digitalt eller mobilt arbetssätt"},
        "lead_digital_workplace": {
            "group": "manager", "share": 0.75,
            "published_sv": "75 procent av cheferna eller arbetsledarna uppger att de har stärkt "
                            "sina kunskaper i att leda en digitaliserad arbetsplats"},
        "better_digital_skills": {
            "group": "staff", "share": 0.60,
            "published_sv": "60 procent av baspersonalen har stärkt sina kunskaper om digitala "
                            "verktyg eller sin kompetens i att arbeta digitalt"},
    },
    "not_published": ("the figures per municipality, role or month; the number of respondents "
                      "behind the shares; any before/after competence measurement"),
    "sources": (
        {"what": "people trained, training hours, the 70/75/60 % shares, end in June 2021",
         "title": "Slutrapport från Projekt Modig (Göteborgsregionen)",
         "url": "https://goteborgsregionen.se/kunskapsbank/"
                "slutrapportfranprojektmodig.5.58e4a3c117c119ce85b2df40.html"},
        {"what": "two to ten ambassadors per municipality appointed at the start; ESF funding; "
                 "home care and housing support first",
         "title": "Modig – Mer omsorg med digital teknik (Göteborgsregionen, project page)",
         "url": "https://goteborgsregionen.se/projekt/2019-04-01-modig---mer-omsorg-med-"
                "digital-teknik"},
        {"what": "kick-off on 5 September 2019; just over 30 ambassadors, each to train 36 "
                 "colleagues on average",
         "title": "Digitalisering och förändring i fokus på Modigs uppstartskonferens (GR, "
                  "2019-09-18)",
         "url": "https://goteborgsregionen.se/GR/toppmenyn/om-goteborgsregionen/nyheter--press/"
                "nyheter/2019-09-18-digitalisering-och-forandring-i-fokus-pa-modigs-"
                "uppstartskonferens.html"},
        {"what": "Sweco's evaluation, autumn 2020: the ambassadors and the volume of training "
                 "were decisive",
         "title": "”Modig var på rätt plats vid rätt tidpunkt” (GR, 2021-02-19)",
         "url": None},
    ),
}


def published_modig() -> dict:
    """Modig's published figures and their sources (a fresh copy; nothing else is published).

    Returns
    -------
    dict
        ``people_trained`` (3513), ``training_hours`` (30605), ``ambassadors_per_municipality``
        ((2, 10)), ``ambassadors_total_at_least`` (30: "drygt 30"),
        ``planned_trainees_per_ambassador`` (36, the plan at the kick-off), ``shares``
        (question → ``group``, ``share``, the published Swedish sentence), ``municipalities``
        (SCB codes, as the ``modig`` group), ``kick_off``/``ended`` (months), ``not_published``
        and ``sources`` (title, url, what each source gives). Source: Göteborgsregionen's final
        report of the project and its project page and news items (see ``sources``).

    Examples
    --------
    >>> p = published_modig()
    >>> p["people_trained"], p["training_hours"], p["shares"]["changed_routine"]["share"]
    (3513, 30605, 0.7)
    """
    return copy.deepcopy(_PUBLISHED_MODIG)


# --------------------------------------------------------------------------------------------
# Shared parsing helpers
# --------------------------------------------------------------------------------------------

def _aliases(extra: dict[str, tuple[str, ...]], dimios: Iterable[str]) -> dict[str, str]:
    out = {a: c for a, c in column_aliases().items() if c in set(dimios)}
    for canonical, names in extra.items():
        out.update({a.casefold(): canonical for a in names})
    return out


def _map_columns(table: Table, aliases: dict[str, str], required: Sequence[str],
                 ignore: set[str], known_text: str):
    """Header → canonical column. Returns (text frame, file rows, canonical → header, notes,
    problems); the frame is None when a header problem stops the check."""
    file = table.file
    heads = map_headers(table, aliases, ignore=ignore,
                        unknown=f"unknown column: expected {known_text} (or a Swedish alias, "
                                "see docs/training.md); leave it out on purpose with "
                                "--ignore-column")
    canonical, notes, problems = heads.canonical, heads.notes, heads.problems
    for name in required:
        if name not in canonical:
            problems.append(Problem(file, 1, name, None,
                                    "expected this column (or a Swedish alias of it)"))
    if not problems and table.frame.empty:
        problems.append(Problem(file, None, None, None, "expected at least one row of data"))
    if problems:
        return None, None, None, notes, problems
    frame = pd.DataFrame({n: table.frame[h].fillna("").astype(str).str.strip().to_numpy()
                          for n, h in canonical.items()})
    return frame, table.frame.index.to_numpy(), canonical, notes, problems


def _text_table(frame: pd.DataFrame, name: str) -> Table:
    """A frame built in Python as a table of text cells; rows named by position + 1."""
    text = frame.reset_index(drop=True).copy()
    for col in text.columns:
        text[col] = [_cell_text(v) for v in text[col]]
    text.columns = [str(c) for c in text.columns]
    text.index = pd.RangeIndex(1, len(text) + 1, name="row")
    return Table(text, name, "utf-8", ",")


def _cell_text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value)
                         and pd.isna(value)):
        return ""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _municipality_problems(codes: pd.Series, rows: np.ndarray, header: str,
                           file: str) -> tuple[list[Problem], np.ndarray]:
    """Problems of the municipality codes (empty, three digits, unknown); mask of valid codes."""
    known = set(municipalities()["municipality_code"])
    valid = codes.isin(known).to_numpy()
    problems = []
    for pos in np.flatnonzero(~valid):
        code = codes.iloc[pos]
        if code == "":
            expected = "expected a value"
        elif re.fullmatch(r"\d{3}", code):
            expected = ("expected a four-digit municipality code: the leading zero was probably "
                        f"lost in Excel ('0{code}'?); format the column as text")
        elif re.fullmatch(r"\d{4}", code):
            expected = "expected a municipality code in SCB's list of the 290 municipalities"
        else:
            expected = "expected a four-digit municipality code with its leading zero, e.g. '1481'"
        problems.append(Problem(file, int(rows[pos]), header, code, expected))
    return problems, valid


def _numbers(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Text → float (decimal comma or point; blanks as thousands separators in ``1 200``).

    Returns the values (NaN where empty or unreadable) and a mask of non-empty unreadable cells.
    """
    spaced = text.str.fullmatch(_SPACED)
    cleaned = text.where(~spaced, text.str.replace(r"[ \u00a0\u202f]", "", regex=True))
    numeric = cleaned.str.fullmatch(_NUMBER)
    values = pd.to_numeric(cleaned.where(numeric).str.replace(",", ".", regex=False),
                           errors="coerce").to_numpy(dtype=float, copy=True)
    return values, ((text != "") & ~numeric).to_numpy()


def _finish(problems: list[Problem]) -> None:
    if problems:
        problems.sort(key=lambda p: (p.row is not None, p.row or 0, str(p.column)))
        raise DataValidationError(problems)


# --------------------------------------------------------------------------------------------
# 1. The training log
# --------------------------------------------------------------------------------------------

def read_training_log(path: str | Path, *, sheet: str | None = None,
                      ignore_columns: Iterable[str] = ()) -> pd.DataFrame:
    """Import a training log (CSV or Excel) into the canonical format.

    Parameters
    ----------
    path : path
        The file; Swedish conventions as in :func:`dimios_lib.readers.read_table`. Column names
        canonical or Swedish (``Kommunkod, Månad, Roll, Ombud, Deltagare``/``Utbildade,
        Timmar``; all aliases in ``docs/training.md``), case-insensitive.
    sheet : str, optional
        Excel sheet (default: the first).
    ignore_columns : iterable of str
        Columns to leave out on purpose.

    Returns
    -------
    DataFrame
        Columns :data:`LOG_COLUMNS` in file order: codes, months and roles as text,
        ``ambassadors`` and ``trainees`` int64, ``hours`` float. ``attrs``: ``source``,
        ``synthetic`` (from a ``.meta.json`` sidecar) and ``notes``.

    Raises
    ------
    DataValidationError
        Listing every problem (file, row as the user sees it, column, value, expected): a
        missing or unknown column; an empty, three-digit or unknown municipality code; a month
        that is not ``YYYY-MM``; an empty role; a count that is empty, not a whole number or
        negative; hours empty, unreadable or negative; trainees without hours; a second row for
        one municipality, month and role. Nothing is returned then.
    """
    table = read_table(path, sheet=sheet)
    out = _check_log(table, set(ignore_columns))
    path = Path(path)
    out.attrs.update(source=path.name, synthetic=_is_synthetic(path))
    return out


def validate_training_log(frame: pd.DataFrame, *, name: str = "<data frame>") -> pd.DataFrame:
    """Check a training log built in Python against the contract (rows named by position + 1).

    Takes the canonical column names (or the aliases); cells may be numbers or text. Returns the
    canonical frame as :func:`read_training_log` does (``attrs["synthetic"]`` carried over), or
    raises :class:`DataValidationError` listing every problem.

    Examples
    --------
    >>> log = pd.DataFrame({"municipality_code": ["1481", "1481"], "month": ["2019-10"] * 2,
    ...                     "role": ["Undersköterska", "Enhetschef"], "ambassadors": [2, 0],
    ...                     "trainees": [12, 3], "hours": [30, "4,5"]})
    >>> validate_training_log(log)[["trainees", "hours"]].sum().tolist()
    [15.0, 34.5]
    """
    out = _check_log(_text_table(frame, name), set())
    out.attrs.update(source=frame.attrs.get("source", name),
                     synthetic=bool(frame.attrs.get("synthetic", False)))
    return out


def _check_log(table: Table, ignore: set[str]) -> pd.DataFrame:
    file = table.file
    aliases = _aliases(_LOG_ALIASES, ("municipality_code",))
    frame, rows, columns, notes, problems = _map_columns(
        table, aliases, LOG_COLUMNS, ignore,
        "municipality_code, month, role, ambassadors, trainees, hours")
    if frame is None:
        raise DataValidationError(problems)
    more, code_ok = _municipality_problems(frame["municipality_code"], rows,
                                           columns["municipality_code"], file)
    problems += more
    # Months: Excel turns a typed 2019-10 into a date on the first of the month.
    month = frame["month"]
    if table.encoding is None:
        extracted = month.str.extract(_EXCEL_MONTH, expand=True)[0]
        if extracted.notna().any():
            notes.append(f"{int(extracted.notna().sum())} month cells that Excel stored as dates "
                         "read as their month (YYYY-MM)")
            month = month.where(extracted.isna(), extracted)
    month_ok = month.str.fullmatch(_MONTH.pattern).to_numpy()
    for pos in np.flatnonzero(~month_ok):
        problems.append(Problem(file, int(rows[pos]), columns["month"], month.iloc[pos],
                                "expected a month as YYYY-MM, e.g. '2019-10'"))
    role = frame["role"]
    role_ok = (role != "").to_numpy()
    for pos in np.flatnonzero(~role_ok):
        problems.append(Problem(file, int(rows[pos]), columns["role"], "",
                                "expected the role trained (e.g. 'Undersköterska')"))
    counts = {}
    for col in ("ambassadors", "trainees"):
        text = frame[col]
        values, unreadable = _numbers(text)
        what = "ambassadors" if col == "ambassadors" else "people trained for the first time"
        for pos in range(len(text)):
            v, shown = values[pos], text.iloc[pos]
            if shown == "":
                expected = f"expected the number of {what} (0 if none)"
            elif unreadable[pos]:
                expected = f"expected a whole number of {what}, e.g. 12"
            elif v < 0:
                expected = f"expected a whole number of at least 0: a number of {what} cannot " \
                           "be negative"
            elif v != np.round(v):
                expected = f"expected a whole number of {what}: people are counted whole"
            else:
                continue
            problems.append(Problem(file, int(rows[pos]), columns[col], shown, expected))
            values[pos] = np.nan
        counts[col] = values
    hours_text = frame["hours"]
    hours, unreadable = _numbers(hours_text)
    for pos in range(len(hours_text)):
        shown = hours_text.iloc[pos]
        if shown == "":
            expected = "expected the training hours (0 if none)"
        elif unreadable[pos]:
            expected = "expected a number of hours, e.g. 12 or 2,5"
        elif hours[pos] < 0:
            expected = "expected hours of at least 0: training hours cannot be negative"
        else:
            continue
        problems.append(Problem(file, int(rows[pos]), columns["hours"], shown, expected))
        hours[pos] = np.nan
    # Trainees without hours.
    bad = (counts["trainees"] > 0) & (hours == 0)
    for pos in np.flatnonzero(bad):
        problems.append(Problem(file, int(rows[pos]), columns["hours"], hours_text.iloc[pos],
                                f"expected hours above 0: {int(counts['trainees'][pos])} people "
                                "were trained for the first time this month, so some training "
                                "was given (put the hours in the month they were given)"))
    # One row per municipality, month and role (roles compared ignoring case).
    folded = role.str.casefold()
    keyed = code_ok & month_ok & role_ok
    key = pd.DataFrame({"c": frame["municipality_code"], "m": month, "r": folded})
    positions = np.flatnonzero(keyed)
    sub = key.iloc[positions]
    dup = sub.duplicated(keep="first").to_numpy()
    if dup.any():
        first = sub.reset_index(drop=True).assign(pos=positions).drop_duplicates(["c", "m", "r"])
        first_row = {(r.c, r.m, r.r): int(rows[r.pos]) for r in first.itertuples(index=False)}
        for pos in positions[dup]:
            k = tuple(key.iloc[pos])
            problems.append(Problem(
                file, int(rows[pos]), columns["role"], role.iloc[pos],
                f"duplicate row for municipality {k[0]}, month {k[1]} and role "
                f"{role.iloc[pos]!r} (first on row {first_row[k]}); one row per municipality, "
                "month and role: add the numbers up into one row"))
    _finish(problems)
    # One spelling per role: the first one seen.
    spelling = dict(zip(folded[::-1], role[::-1]))
    unified = folded.map(spelling)
    changed = int((unified != role).sum())
    if changed:
        notes.append(f"{changed} role cells written with other capitals read as the role's "
                     "first spelling")
    out = pd.DataFrame({
        "municipality_code": frame["municipality_code"].astype(object),
        "month": month.astype(object),
        "role": unified.astype(object),
        "ambassadors": counts["ambassadors"].astype(np.int64),
        "trainees": counts["trainees"].astype(np.int64),
        "hours": hours.astype(float),
    })
    out.attrs.update(notes=notes)
    return out


# --------------------------------------------------------------------------------------------
# Training summaries
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# 2. The outcome survey
# --------------------------------------------------------------------------------------------

def read_outcomes(path: str | Path, *, sheet: str | None = None,
                  ignore_columns: Iterable[str] = ()) -> pd.DataFrame:
    """Import a follow-up outcome survey (CSV or Excel) into the canonical format.

    One row per respondent × question: ``municipality_code, respondent_id, group, question,
    answer`` (Swedish names: ``Kommunkod, Respondent, Grupp, Fråga, Svar``). ``group`` is
    ``manager`` (chef, enhetschef, arbetsledare) or ``staff`` (medarbetare, baspersonal,
    personal); ``question`` one of :data:`QUESTIONS` (or its Swedish alias); ``answer`` ja/nej
    (yes/no, 1/0, true/false) or missing (empty, ``vet ej``, ``vet inte``, ``ej svar``, ``-``).

    Returns
    -------
    DataFrame
        Columns :data:`OUTCOME_COLUMNS`, ``answer`` of pandas' nullable ``boolean`` dtype
        (``<NA>`` for missing). ``attrs``: ``source``, ``synthetic``, ``notes``.

    Raises
    ------
    DataValidationError
        Listing every problem: an unknown municipality, an empty respondent id, an unknown
        group, question or answer, a question not asked of the respondent's group (the two
        manager questions of staff), a respondent in two groups, a second answer by one
        respondent to one question.
    """
    table = read_table(path, sheet=sheet)
    out = _check_outcomes(table, set(ignore_columns))
    path = Path(path)
    out.attrs.update(source=path.name, synthetic=_is_synthetic(path))
    return out


def validate_outcomes(frame: pd.DataFrame, *, name: str = "<data frame>") -> pd.DataFrame:
    """Check an outcome-survey frame built in Python (rows named by position + 1).

    Answers may be booleans, 1/0 or text. Returns the canonical frame, or raises
    :class:`DataValidationError` listing every problem.
    """
    out = _check_outcomes(_text_table(frame, name), set())
    out.attrs.update(source=frame.attrs.get("source", name),
                     synthetic=bool(frame.attrs.get("synthetic", False)))
    return out


def _check_outcomes(table: Table, ignore: set[str]) -> pd.DataFrame:
    file = table.file
    aliases = _aliases(_OUTCOME_ALIASES, ("municipality_code", "respondent_id"))
    frame, rows, columns, notes, problems = _map_columns(
        table, aliases, OUTCOME_COLUMNS, ignore,
        "municipality_code, respondent_id, group, question, answer")
    if frame is None:
        raise DataValidationError(problems)
    more, code_ok = _municipality_problems(frame["municipality_code"], rows,
                                           columns["municipality_code"], file)
    problems += more
    rid = frame["respondent_id"]
    rid_ok = (rid != "").to_numpy()
    for pos in np.flatnonzero(~rid_ok):
        problems.append(Problem(file, int(rows[pos]), columns["respondent_id"], "",
                                "expected a respondent id"))
    group = frame["group"].str.casefold().map(GROUP_TOKENS)
    for pos in np.flatnonzero(group.isna().to_numpy()):
        problems.append(Problem(file, int(rows[pos]), columns["group"], frame["group"].iloc[pos],
                                "expected manager or staff (chef/enhetschef/arbetsledare, "
                                "medarbetare/baspersonal)"))
    lookup = {q: q for q in QUESTIONS}
    for q, spec in QUESTIONS.items():
        lookup.update({a.casefold(): q for a in spec["aliases"]})
    question = frame["question"].str.casefold().map(lookup)
    for pos in np.flatnonzero(question.isna().to_numpy()):
        problems.append(Problem(file, int(rows[pos]), columns["question"],
                                frame["question"].iloc[pos],
                                "expected one of the questions " + ", ".join(QUESTIONS)))
    asked = [bool(pd.isna(q) or pd.isna(g) or g in QUESTIONS[q]["groups"])
             for q, g in zip(question, group)]
    for pos in np.flatnonzero(~np.array(asked, dtype=bool)):
        q = question.iloc[pos]
        problems.append(Problem(file, int(rows[pos]), columns["question"],
                                frame["question"].iloc[pos],
                                f"expected a question asked of {group.iloc[pos]}s: {q} is asked "
                                f"of {' and '.join(g + 's' for g in QUESTIONS[q]['groups'])} only"))
    folded = frame["answer"].str.casefold()
    yes, no = folded.isin(YES_TOKENS), folded.isin(NO_TOKENS)
    missing = folded.isin(MISSING_TOKENS)
    for pos in np.flatnonzero((~yes & ~no & ~missing).to_numpy()):
        problems.append(Problem(file, int(rows[pos]), columns["answer"], frame["answer"].iloc[pos],
                                "expected ja or nej (yes/no, 1/0), or 'vet ej'/empty for "
                                "missing"))
    # Relations: one group per respondent; one answer per respondent and question.
    keyed = code_ok & rid_ok
    key = pd.DataFrame({"c": frame["municipality_code"], "r": rid, "g": group, "q": question})
    positions = np.flatnonzero(keyed & group.notna().to_numpy())
    first_group: dict[tuple, tuple[str, int]] = {}
    for pos in positions:
        k = (key["c"].iat[pos], key["r"].iat[pos])
        g = key["g"].iat[pos]
        if k not in first_group:
            first_group[k] = (g, int(rows[pos]))
        elif first_group[k][0] != g:
            problems.append(Problem(file, int(rows[pos]), columns["group"],
                                    frame["group"].iloc[pos],
                                    f"expected {first_group[k][0]!r} as on row "
                                    f"{first_group[k][1]}: respondent {k[1]!r} is in one group"))
    positions = np.flatnonzero(keyed & question.notna().to_numpy())
    first_answer: dict[tuple, int] = {}
    for pos in positions:
        k = (key["c"].iat[pos], key["r"].iat[pos], key["q"].iat[pos])
        if k not in first_answer:
            first_answer[k] = int(rows[pos])
            continue
        problems.append(Problem(file, int(rows[pos]), columns["answer"],
                                frame["answer"].iloc[pos],
                                f"duplicate answer by respondent {k[1]!r} to {k[2]} (first on "
                                f"row {first_answer[k]}); duplicates are never counted twice: "
                                "remove one"))
    _finish(problems)
    answer = pd.array(np.where(yes, True, np.where(no, False, pd.NA)), dtype="boolean")
    out = pd.DataFrame({
        "municipality_code": frame["municipality_code"].astype(object),
        "respondent_id": rid.astype(object),
        "group": group.astype(object),
        "question": question.astype(object),
        "answer": answer,
    })
    out.attrs.update(notes=notes)
    return out


def proportion_interval(successes, n, *, ci_level: float = 0.95,
                        method: str = "wilson") -> tuple[np.ndarray, np.ndarray]:
    """Confidence interval of a binomial proportion: Wilson score (default) or Clopper–Pearson.

    Parameters
    ----------
    successes, n : array-like of int
        Yes answers and answers; where ``n`` is 0 the interval is NaN.
    ci_level : float
        Confidence level (0.95).
    method : {"wilson", "clopper-pearson"}
        Wilson's score interval, or the exact Clopper–Pearson interval.

    Returns
    -------
    (ndarray, ndarray)
        Lower and upper limits.

    Notes
    -----
    With :math:`\\hat p = x/n` and :math:`z = \\Phi^{-1}(1 - \\alpha/2)`, Wilson's interval is

    .. math:: \\frac{\\hat p + z^2/2n}{1 + z^2/n} \\pm \\frac{z}{1 + z^2/n}
              \\sqrt{\\frac{\\hat p(1-\\hat p)}{n} + \\frac{z^2}{4n^2}}.

    Clopper–Pearson: :math:`B(\\alpha/2;\\,x,\\,n-x+1)` and :math:`B(1-\\alpha/2;\\,x+1,\\,n-x)`
    (Beta quantiles; 0 at :math:`x = 0`, 1 at :math:`x = n`).

    Wilson is the default: its coverage is close to the nominal level for small and large
    :math:`n`, it stays inside [0, 1] and is not degenerate at 0 or 100 %, where the Wald
    interval fails; Clopper–Pearson guarantees *at least* the nominal coverage and is therefore
    wider than needed (Brown, Cai & DasGupta 2001, *Statistical Science* 16:101–133; Newcombe
    1998, *Statistics in Medicine* 17:857–872). Both agree with statsmodels'
    ``proportion_confint`` (``method="wilson"`` / ``"beta"``).

    Examples
    --------
    84 of 120 managers (70 %):

    >>> lo, hi = proportion_interval(84, 120)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.6128, 0.7747)
    """
    if not 0.5 <= ci_level < 1:
        raise ValueError("ci_level must lie in [0.5, 1)")
    x = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    alpha = 1 - ci_level
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "wilson":
            z = stats.norm.ppf(1 - alpha / 2)
            p = x / n
            denom = 1 + z ** 2 / n
            centre = (p + z ** 2 / (2 * n)) / denom
            half = z / denom * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2))
            lo, hi = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
        elif method == "clopper-pearson":
            lo = np.where(x > 0, stats.beta.ppf(alpha / 2, x, n - x + 1), 0.0)
            hi = np.where(x < n, stats.beta.ppf(1 - alpha / 2, x + 1, n - x), 1.0)
        else:
            raise ValueError(f"unknown method {method!r}; expected 'wilson' or 'clopper-pearson'")
    empty = n <= 0
    lo, hi = np.where(empty, np.nan, lo), np.where(empty, np.nan, hi)
    return lo, hi


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


# --------------------------------------------------------------------------------------------
# 3. Self-rated competence before/after: the study pipeline on our instrument
# --------------------------------------------------------------------------------------------

def competence_instrument_path() -> Path:
    """The packaged self-rated digital-competence instrument (an assumption, see its rows)."""
    return Path(str(resources.files("dimios_lib") / "data" / COMPETENCE_INSTRUMENT))


def load_competence_instrument() -> Instrument:
    """The self-rated digital-competence instrument: five items, one dimension, scale 1–5.

    The items and their wording are **ours** (assumption, not validated; Modig published no
    instrument). One item (``DC4``) is reverse-worded.

    Examples
    --------
    >>> ins = load_competence_instrument()
    >>> ins.dimension_ids, len(ins.items), ins.dimension_label("digital_competence", "sv")
    (['digital_competence'], 5, 'Digital kompetens')
    """
    return load_instrument(competence_instrument_path())


def read_competence(path: str | Path, **kwargs) -> pd.DataFrame:
    """Read a self-rated competence before/after file: :func:`dimios_lib.study.read_study` on
    the competence instrument (keyword arguments passed on)."""
    from .study import read_study

    return read_study(path, load_competence_instrument(), **kwargs)


def analyse_competence(data: pd.DataFrame, *, config=None):
    """Analyse self-rated competence before/after: :func:`dimios_lib.study.analyse_study` on the
    competence instrument. Returns a :class:`~dimios_lib.study.StudyResults`."""
    from .study import analyse_study

    return analyse_study(data, load_competence_instrument(), config=config)
