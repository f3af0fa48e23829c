"""The data contract of the initiative register (DiMiOS cycle steps 4–5): a folder with three
tables (CSV or Excel, Swedish or English column names):

``initiatives`` — ``initiative_id, municipality_code, title, committed (YYYY-MM-DD, the date of
the commitment in the action plan), portfolio (ja/nej), targets`` (item ids of the DiMiOS item
bank, separated by ``;``).

``stages`` — one row per stage an initiative entered: ``initiative_id, stage, date (entered),
decision (gates only: fortsätt/stoppa/omarbeta or continue/stop/rework), decided_by``.

``kpis`` (optional) — ``initiative_id, kpi, baseline, target, value, date``.

The contract checks every row and reports every problem at once (file, row, column, value,
expected): an unknown stage, a stage not allowed after the previous one
(:mod:`dimios_lib.reference.process`), a stage date going backwards, a decision on a stage that
is not a gate, ``bereda`` for a non-portfolio initiative, anything after a *stop*, unknown
initiatives, municipalities or capabilities, bad dates and numbers, duplicates.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataValidationError, Problem
from ..io.tables import read_table
from ..reference.items import ItemBank, load_item_bank
from ..reference.municipalities import municipalities
from ..reference.process import DECISIONS, GATE_NEXT, GATES, NEXT, STAGE_ALIASES, STAGE_NAMES
from .parsing import text_table

COLUMNS = {
    "initiatives": {"initiative_id": ("initiativ", "id", "initiativ_id"),
                    "municipality_code": ("kommunkod", "kommun"),
                    "title": ("titel", "namn", "name"),
                    "committed": ("åtagande", "atagande", "beslutat", "commitment"),
                    "portfolio": ("projektportfölj", "portfölj", "portfolj"),
                    "targets": ("förmågor", "formagor", "mål_förmågor", "capabilities")},
    "stages": {"initiative_id": ("initiativ", "id", "initiativ_id"),
               "stage": ("steg", "fas", "phase"),
               "date": ("datum", "startdatum", "entered"),
               "decision": ("beslut",),
               "decided_by": ("beslutsfattare", "beslutat_av", "decided by")},
    "kpis": {"initiative_id": ("initiativ", "id", "initiativ_id"),
             "kpi": ("nyckeltal", "mått", "matt", "indicator"),
             "baseline": ("utgångsvärde", "utgangsvarde", "startvärde"),
             "target": ("målvärde", "malvarde", "mål"),
             "value": ("utfall", "värde", "varde", "measured"),
             "date": ("datum", "mätdatum", "matdatum")},
}
REQUIRED = {"initiatives": ("initiative_id", "municipality_code", "committed"),
            "stages": ("initiative_id", "stage", "date"),
            "kpis": ("initiative_id", "kpi", "baseline", "target")}


FILE_STEMS = {"initiatives": ("initiatives", "initiativ"), "stages": ("stages", "steg"),
              "kpis": ("kpis", "kpi", "nyckeltal")}


TRUE = {"ja", "yes", "true", "1", "x", "sant"}
FALSE = {"nej", "no", "false", "0", "", "falskt"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Register:
    """A validated register: ``initiatives``, ``stages`` (sorted per initiative) and ``kpis``."""

    initiatives: pd.DataFrame
    stages: pd.DataFrame
    kpis: pd.DataFrame
    source: str
    synthetic: bool = False


def _find(folder: Path, kind: str) -> Path | None:
    for stem in FILE_STEMS[kind]:
        for suffix in (".csv", ".xlsx", ".txt"):
            p = folder / f"{stem}{suffix}"
            if p.exists():
                return p
    return None


def _columns(table, kind: str, problems: list[Problem]) -> dict[str, str]:
    """Map canonical column names to the file's columns (Swedish or English)."""
    wanted = COLUMNS[kind]
    found: dict[str, str] = {}
    for col in table.frame.columns:
        key = str(col).strip().lower()
        for canon, aliases in wanted.items():
            if key == canon or key in aliases:
                found[canon] = col
    for canon in REQUIRED[kind]:
        if canon not in found:
            problems.append(Problem(table.file, None, canon, None,
                                    f"a column {canon!r} (or {', '.join(wanted[canon])})"))
    for col in table.frame.columns:
        if col not in found.values():
            problems.append(Problem(table.file, None, str(col), None,
                                    f"a known column; expected {', '.join(wanted)}"))
    return found


def _text(v) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()


def _date(v: str) -> _dt.date | None:
    v = v[:10]
    if not _DATE.match(v):
        return None
    try:
        return _dt.date.fromisoformat(v)
    except ValueError:
        return None


def _number(v: str) -> float | None:
    try:
        return float(v.replace("\xa0", "").replace(" ", "").replace(",", "."))
    except ValueError:
        return None


def read_register(folder: str | os.PathLike, *, bank: ItemBank | None = None) -> Register:
    """Read and validate a register folder (see the module docstring); every problem at once."""
    folder = Path(folder)
    problems: list[Problem] = []
    paths = {k: _find(folder, k) for k in FILE_STEMS}
    for k in ("initiatives", "stages"):
        if paths[k] is None:
            problems.append(Problem(str(folder), None, None, None,
                                    f"a file {FILE_STEMS[k][0]}.csv (or .xlsx) in the folder"))
    if problems:
        raise DataValidationError(problems)
    tables = {k: read_table(p) for k, p in paths.items() if p is not None}
    meta = folder / "register.meta.json"
    synthetic = meta.exists() and '"synthetic": true' in meta.read_text(encoding="utf-8")
    return _check_register(tables, bank, source=folder.name, synthetic=synthetic)


def validate_register(initiatives: pd.DataFrame, stages: pd.DataFrame,
                      kpis: pd.DataFrame | None = None, *, bank: ItemBank | None = None,
                      name: str = "<register>", synthetic: bool = False) -> Register:
    """Check a register built in Python (three frames, canonical or Swedish column names)
    against the same contract as a folder; rows are named by position + 1."""
    frames = {"initiatives": initiatives, "stages": stages, "kpis": kpis}
    tables = {k: text_table(f, f"{name}/{k}") for k, f in frames.items() if f is not None}
    return _check_register(tables, bank, source=name, synthetic=synthetic)


def _check_register(tables: dict, bank: ItemBank | None, *, source: str,
                    synthetic: bool) -> Register:
    bank = load_item_bank() if bank is None else bank
    problems: list[Problem] = []
    cols = {k: _columns(t, k, problems) for k, t in tables.items()}
    if problems:
        raise DataValidationError(problems)
    known_codes = set(municipalities()["municipality_code"])
    items = set(bank.item_ids)

    # initiatives
    ini_t, ini_c = tables["initiatives"], cols["initiatives"]
    ini_rows = []
    seen: dict[str, int] = {}
    for row, r in ini_t.frame.iterrows():
        def cell(c, r=r, cols=ini_c):
            return _text(r[cols[c]]) if c in cols else ""
        f = ini_t.file
        iid = cell("initiative_id")
        if not iid:
            problems.append(Problem(f, row, ini_c["initiative_id"], None, "an initiative id"))
        elif iid in seen:
            problems.append(Problem(f, row, ini_c["initiative_id"], iid,
                                    f"a unique id (also on row {seen[iid]})"))
        seen.setdefault(iid, row)
        code = cell("municipality_code")
        if code not in known_codes:
            problems.append(Problem(f, row, ini_c["municipality_code"], code,
                                    "a four-digit SCB municipality code, e.g. 0114"))
        committed = _date(cell("committed"))
        if committed is None:
            problems.append(Problem(f, row, ini_c["committed"], cell("committed"),
                                    "a date YYYY-MM-DD"))
        port = cell("portfolio").lower()
        if port not in TRUE | FALSE:
            problems.append(Problem(f, row, ini_c.get("portfolio", "portfolio"), port,
                                    "ja/nej (yes/no)"))
        targets = [x.strip() for x in re.split(r"[;,]", cell("targets")) if x.strip()]
        for x in targets:
            if x not in items:
                problems.append(Problem(f, row, ini_c.get("targets", "targets"), x,
                                        f"an item id of the item bank ({bank.version})"))
        ini_rows.append({"initiative_id": iid, "municipality_code": code,
                         "title": cell("title"), "committed": committed,
                         "portfolio": port in TRUE, "targets": tuple(targets), "row_no": row})
    initiatives = pd.DataFrame(ini_rows)
    portfolio = dict(zip(initiatives["initiative_id"], initiatives["portfolio"]))

    # stages
    st_t, st_c = tables["stages"], cols["stages"]
    st_rows = []
    for row, r in st_t.frame.iterrows():
        def cell(c, r=r, cols=st_c):
            return _text(r[cols[c]]) if c in cols else ""
        f = st_t.file
        iid = cell("initiative_id")
        if iid not in portfolio:
            problems.append(Problem(f, row, st_c["initiative_id"], iid,
                                    "an initiative id listed in the initiatives file"))
        raw_stage = cell("stage")
        stage = STAGE_ALIASES.get(raw_stage.lower())
        if stage is None:
            problems.append(Problem(f, row, st_c["stage"], raw_stage,
                                    "a stage: " + ", ".join(STAGE_NAMES.values())))
        date = _date(cell("date"))
        if date is None:
            problems.append(Problem(f, row, st_c["date"], cell("date"), "a date YYYY-MM-DD"))
        raw_dec = cell("decision")
        decision = DECISIONS.get(raw_dec.lower()) if raw_dec else None
        if raw_dec and decision is None:
            problems.append(Problem(f, row, st_c.get("decision", "decision"), raw_dec,
                                    "fortsätt, stoppa or omarbeta (continue, stop, rework)"))
        if raw_dec and stage is not None and stage not in GATES:
            problems.append(Problem(f, row, st_c.get("decision", "decision"), raw_dec,
                                    f"no decision: {STAGE_NAMES[stage]} is not a gate (only the "
                                    "two 'beslut' stages take decisions)"))
        if stage in ("bereda", "beslut_2") and iid in portfolio and not portfolio[iid]:
            problems.append(Problem(f, row, st_c["stage"], raw_stage,
                                    "bereda and the second decision only for portfolio "
                                    "initiatives (portfolio = ja)"))
        st_rows.append({"initiative_id": iid, "stage": stage, "date": date,
                        "decision": decision, "decided_by": cell("decided_by"), "row_no": row})
    stages = pd.DataFrame(st_rows, columns=["initiative_id", "stage", "date", "decision",
                                            "decided_by", "row_no"])
    # order and transitions, per initiative, in file order
    for iid, block in stages.groupby("initiative_id", sort=False):
        in_portfolio = portfolio.get(iid, False)
        prev_stage: str | None = None
        prev_date = None
        prev_dec: str | None = None
        for r in block.itertuples():
            if pd.isna(r.stage) or pd.isna(r.date):
                break  # already reported; the order after it cannot be judged
            after = "the start" if prev_stage is None else STAGE_NAMES[prev_stage]
            if prev_dec == "stop":
                problems.append(Problem(st_t.file, r.row_no, st_c["stage"], STAGE_NAMES[r.stage],
                                        "nothing after a 'stop' decision"))
            elif prev_stage in GATES and prev_dec is None:
                problems.append(Problem(st_t.file, r.row_no, st_c["stage"], STAGE_NAMES[r.stage],
                                        f"a decision at {after} before the next stage"))
            elif prev_stage in GATES:
                allowed = set(GATE_NEXT[str(prev_stage)][str(prev_dec)])
                if prev_stage == "beslut_1" and prev_dec == "continue" and in_portfolio:
                    allowed = {"bereda"}  # portfolio initiatives are prepared before införa
                if r.stage not in allowed:
                    problems.append(Problem(
                        st_t.file, r.row_no, st_c["stage"], STAGE_NAMES[r.stage],
                        f"after '{prev_dec}' at {after}: "
                        + ", ".join(STAGE_NAMES[x] for x in sorted(allowed))))
            elif r.stage not in NEXT.get(prev_stage, set()):
                names = ", ".join(STAGE_NAMES[x] for x in sorted(NEXT.get(prev_stage, set())))
                problems.append(Problem(st_t.file, r.row_no, st_c["stage"], STAGE_NAMES[r.stage],
                                        f"a stage allowed after {after}: {names or 'none'}"))
            if prev_date is not None and r.date < prev_date:
                problems.append(Problem(st_t.file, r.row_no, st_c["date"], r.date.isoformat(),
                                        f"a date on or after the previous stage's "
                                        f"({prev_date.isoformat()})"))
            prev_stage, prev_date, prev_dec = r.stage, r.date, r.decision

    # kpis
    kpis = pd.DataFrame(columns=["initiative_id", "kpi", "baseline", "target", "value", "date"])
    if "kpis" in tables:
        k_t, k_c = tables["kpis"], cols["kpis"]
        k_rows = []
        for row, r in k_t.frame.iterrows():
            def cell(c, r=r, cols=k_c):
                return _text(r[cols[c]]) if c in cols else ""
            iid = cell("initiative_id")
            if iid not in portfolio:
                problems.append(Problem(k_t.file, row, k_c["initiative_id"], iid,
                                        "an initiative id listed in the initiatives file"))
            vals = {}
            for c in ("baseline", "target", "value"):
                text = cell(c)
                vals[c] = _number(text) if text else None
                if text and vals[c] is None:
                    problems.append(Problem(k_t.file, row, k_c.get(c, c), text, "a number"))
                if c != "value" and not text:
                    problems.append(Problem(k_t.file, row, k_c.get(c, c), None, "a number"))
            if vals["baseline"] is not None and vals["target"] is not None and \
                    vals["baseline"] == vals["target"]:
                problems.append(Problem(k_t.file, row, k_c["target"], cell("target"),
                                        "a target different from the baseline"))
            date = _date(cell("date")) if cell("date") else None
            if cell("date") and date is None:
                problems.append(Problem(k_t.file, row, k_c.get("date", "date"), cell("date"),
                                        "a date YYYY-MM-DD"))
            k_rows.append({"initiative_id": iid, "kpi": cell("kpi"), **vals, "date": date})
        kpis = pd.DataFrame(k_rows, columns=kpis.columns)
    if problems:
        raise DataValidationError(problems)
    return Register(initiatives.drop(columns="row_no"), stages.drop(columns="row_no"), kpis,
                    source=source, synthetic=synthetic)
