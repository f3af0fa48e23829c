"""Training programmes (Modig): the training log, the follow-up outcome survey, self-rated competence.

Modig (*Mer omsorg med digital teknik*, Göteborgsregionen, 2019–2021) trained staff and managers
in elderly and disability care in seven municipalities through digitalisation ambassadors
(*digitaliseringsombud*) who trained their colleagues. This module holds the three data
contracts; the measures on them are :mod:`dimios_lib.programmes.training`, and
:mod:`dimios_lib.demo.modig` makes SYNTHETIC demo files calibrated to the published totals
(:func:`dimios_lib.reference.published.published_modig`). See ``docs/training.md``.

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
   validated and analysed by :mod:`dimios_lib.study` (:func:`read_competence` and
   :func:`dimios_lib.programmes.training.analyse_competence` are thin wrappers). No statistics
   are reimplemented here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataValidationError, Problem
from ..io.files import is_synthetic
from ..io.tables import Table, map_headers, read_table
from ..reference.instrument import load_competence_instrument
from ..reference.municipalities import municipalities
from .parsing import EXCEL_MONTH, MONTH, NUMBER, column_aliases, text_table

LOG_COLUMNS = ("municipality_code", "month", "role", "ambassadors", "trainees", "hours")
OUTCOME_COLUMNS = ("municipality_code", "respondent_id", "group", "question", "answer")
GROUPS = ("manager", "staff")
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






_SPACED = r"^\d{1,3}(?:[ \u00a0\u202f]\d{3})+([.,]\d+)?$"  # 1 200 or 1 200,5: thousands blanks


def _aliases(extra: Mapping[str, Sequence[str]], dimios: Iterable[str]) -> dict[str, str]:
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
    numeric = cleaned.str.fullmatch(NUMBER.pattern)
    values = pd.to_numeric(cleaned.where(numeric).str.replace(",", ".", regex=False),
                           errors="coerce").to_numpy(dtype=float, copy=True)
    return values, ((text != "") & ~numeric).to_numpy()


def _finish(problems: list[Problem]) -> None:
    if problems:
        problems.sort(key=lambda p: (p.row is not None, p.row or 0, str(p.column)))
        raise DataValidationError(problems)


def read_training_log(path: str | Path, *, sheet: str | None = None,
                      ignore_columns: Iterable[str] = ()) -> pd.DataFrame:
    """Import a training log (CSV or Excel) into the canonical format.

    Parameters
    ----------
    path : path
        The file; Swedish conventions as in :func:`dimios_lib.io.tables.read_table`. Column names
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
    out.attrs.update(source=path.name, synthetic=is_synthetic(path))
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
    out = _check_log(text_table(frame, name), set())
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
        extracted = month.str.extract(EXCEL_MONTH, expand=True)[0]
        if extracted.notna().any():
            notes.append(f"{int(extracted.notna().sum())} month cells that Excel stored as dates "
                         "read as their month (YYYY-MM)")
            month = month.where(extracted.isna(), extracted)
    month_ok = month.str.fullmatch(MONTH.pattern).to_numpy()
    for pos in map(int, np.flatnonzero(~month_ok)):
        problems.append(Problem(file, int(rows[pos]), columns["month"], month.iloc[pos],
                                "expected a month as YYYY-MM, e.g. '2019-10'"))
    role = frame["role"]
    role_ok = (role != "").to_numpy()
    for pos in map(int, np.flatnonzero(~role_ok)):
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
    for pos in map(int, np.flatnonzero(bad)):
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
    out.attrs.update(source=path.name, synthetic=is_synthetic(path))
    return out


def validate_outcomes(frame: pd.DataFrame, *, name: str = "<data frame>") -> pd.DataFrame:
    """Check an outcome-survey frame built in Python (rows named by position + 1).

    Answers may be booleans, 1/0 or text. Returns the canonical frame, or raises
    :class:`DataValidationError` listing every problem.
    """
    out = _check_outcomes(text_table(frame, name), set())
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
        answer_key = (key["c"].iat[pos], key["r"].iat[pos], key["q"].iat[pos])
        if answer_key not in first_answer:
            first_answer[answer_key] = int(rows[pos])
            continue
        problems.append(Problem(file, int(rows[pos]), columns["answer"],
                                frame["answer"].iloc[pos],
                                f"duplicate answer by respondent {answer_key[1]!r} to {answer_key[2]} "
                                f"(first on row {first_answer[answer_key]}); duplicates are never "
                                "counted twice: remove one"))
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


def read_competence(path: str | Path, **kwargs) -> pd.DataFrame:
    """Read a self-rated competence before/after file: :func:`dimios_lib.contracts.study.read_study` on
    the competence instrument (keyword arguments passed on)."""
    from .study import read_study

    return read_study(path, load_competence_instrument(), **kwargs)
