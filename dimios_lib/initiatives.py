"""The initiative register: initiatives through the development process, their gate decisions,
the DiMiOS capabilities they target and their effect KPIs (DiMiOS cycle steps 4-5).

The process is Region Västernorrland's (seed 004): dialog → utforska → idéskissa → prova →
beslut (gate 1) → [bereda → beslut (gate 2), portfolio initiatives only] → införa → följa upp;
after dialog or prova an initiative may leave for system management (``systemförvaltning``).
A register is a folder with three tables (CSV or Excel, Swedish or English column names):

``initiatives`` — ``initiative_id, municipality_code, title, committed (YYYY-MM-DD, the date of
the commitment in the action plan), portfolio (ja/nej), targets`` (item ids of the DiMiOS item
bank, separated by ``;``).

``stages`` — one row per stage an initiative entered: ``initiative_id, stage, date (entered),
decision (gates only: fortsätt/stoppa/omarbeta or continue/stop/rework), decided_by``.

``kpis`` (optional) — ``initiative_id, kpi, baseline, target, value, date``.

The contract checks every row and reports every problem at once (file, row, column, value,
expected): an unknown stage, a stage not allowed after the previous one, a stage date going
backwards, a decision on a stage that is not a gate, ``bereda`` for a non-portfolio initiative,
anything after a *stop*, unknown initiatives, municipalities or capabilities, bad dates and
numbers, duplicates.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataValidationError, Problem
from .items import ItemBank, load_item_bank
from .municipalities import municipalities
from .readers import read_table

# stage id -> (Swedish label, English label)
STAGES = {
    "dialog": ("Dialog", "Dialogue"),
    "utforska": ("Utforska", "Explore"),
    "ideskissa": ("Idéskissa", "Sketch ideas"),
    "prova": ("Prova", "Try out"),
    "beslut_1": ("Beslut om fortsättning", "Decision to continue"),
    "bereda": ("Bereda", "Prepare"),
    "beslut_2": ("Beslut om införande", "Decision to implement"),
    "infora": ("Införa", "Implement"),
    "folja_upp": ("Följa upp", "Follow up"),
    "systemforvaltning": ("Till systemförvaltning", "To system management"),
}
FUNNEL = ("dialog", "utforska", "ideskissa", "prova", "beslut_1", "infora", "folja_upp")
GATES = ("beslut_1", "beslut_2")
FINAL = ("folja_upp", "systemforvaltning")
# which stages may follow each stage (rework: back to an earlier creative stage)
NEXT = {
    None: {"dialog"},
    "dialog": {"utforska", "systemforvaltning"},
    "utforska": {"ideskissa"},
    "ideskissa": {"prova"},
    "prova": {"beslut_1", "systemforvaltning"},
    "beslut_1": {"bereda", "infora", "utforska", "ideskissa", "prova"},
    "bereda": {"beslut_2"},
    "beslut_2": {"infora", "bereda", "prova"},
    "infora": {"folja_upp"},
    "folja_upp": set(),
    "systemforvaltning": set(),
}
# after a gate decision: continue forward, rework back to an earlier stage
GATE_NEXT = {
    "beslut_1": {"continue": {"bereda", "infora"}, "rework": {"utforska", "ideskissa", "prova"}},
    "beslut_2": {"continue": {"infora"}, "rework": {"bereda", "prova"}},
}
DECISIONS = {"fortsätt": "continue", "fortsatt": "continue", "continue": "continue",
             "stoppa": "stop", "stopp": "stop", "stop": "stop",
             "omarbeta": "rework", "rework": "rework"}
STAGE_ALIASES = {
    "dialog": "dialog", "dialogue": "dialog", "utforska": "utforska", "explore": "utforska",
    "idéskissa": "ideskissa", "ideskissa": "ideskissa", "sketch": "ideskissa",
    "sketch ideas": "ideskissa", "prova": "prova", "try": "prova", "try out": "prova",
    "pilot": "prova", "beslut 1": "beslut_1", "beslut_1": "beslut_1",
    "beslut om fortsättning": "beslut_1", "decision 1": "beslut_1", "gate 1": "beslut_1",
    "bereda": "bereda", "prepare": "bereda", "beslut 2": "beslut_2", "beslut_2": "beslut_2",
    "beslut om införande": "beslut_2", "decision 2": "beslut_2", "gate 2": "beslut_2",
    "införa": "infora", "infora": "infora", "implement": "infora",
    "följa upp": "folja_upp", "följ upp": "folja_upp", "folja upp": "folja_upp",
    "folja_upp": "folja_upp", "follow up": "folja_upp", "follow-up": "folja_upp",
    "systemförvaltning": "systemforvaltning", "systemforvaltning": "systemforvaltning",
    "system management": "systemforvaltning",
}
STAGE_ALIASES.update({label.lower(): sid for sid, labels in STAGES.items() for label in labels})
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
    bank = load_item_bank() if bank is None else bank
    problems: list[Problem] = []
    paths = {k: _find(folder, k) for k in FILE_STEMS}
    for k in ("initiatives", "stages"):
        if paths[k] is None:
            problems.append(Problem(str(folder), None, None, None,
                                    f"a file {FILE_STEMS[k][0]}.csv (or .xlsx) in the folder"))
    if problems:
        raise DataValidationError(problems)
    tables = {k: read_table(p) for k, p in paths.items() if p is not None}
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
                                    "a stage: " + ", ".join(s[0] for s in STAGES.values())))
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
                                    f"no decision: {STAGES[stage][0]} is not a gate (only the "
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
        prev_stage, prev_date, prev_dec = None, None, None
        for r in block.itertuples():
            if pd.isna(r.stage) or pd.isna(r.date):
                break  # already reported; the order after it cannot be judged
            after = "the start" if prev_stage is None else STAGES[prev_stage][0]
            if prev_dec == "stop":
                problems.append(Problem(st_t.file, r.row_no, st_c["stage"], STAGES[r.stage][0],
                                        "nothing after a 'stop' decision"))
            elif prev_stage in GATES and prev_dec is None:
                problems.append(Problem(st_t.file, r.row_no, st_c["stage"], STAGES[r.stage][0],
                                        f"a decision at {after} before the next stage"))
            elif prev_stage in GATES:
                allowed = GATE_NEXT[prev_stage][prev_dec]
                if prev_stage == "beslut_1" and prev_dec == "continue" and in_portfolio:
                    allowed = {"bereda"}  # portfolio initiatives are prepared before införa
                if r.stage not in allowed:
                    problems.append(Problem(
                        st_t.file, r.row_no, st_c["stage"], STAGES[r.stage][0],
                        f"after '{prev_dec}' at {after}: "
                        + ", ".join(STAGES[x][0] for x in sorted(allowed))))
            elif r.stage not in NEXT.get(prev_stage, set()):
                allowed = ", ".join(STAGES[x][0] for x in sorted(NEXT.get(prev_stage, set())))
                problems.append(Problem(st_t.file, r.row_no, st_c["stage"], STAGES[r.stage][0],
                                        f"a stage allowed after {after}: {allowed or 'none'}"))
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
    meta = folder / "register.meta.json"
    synthetic = meta.exists() and '"synthetic": true' in meta.read_text(encoding="utf-8")
    return Register(initiatives.drop(columns="row_no"), stages.drop(columns="row_no"), kpis,
                    source=folder.name, synthetic=synthetic)


# --------------------------------------------------------------------------------------------
# Analyses


def current_stages(reg: Register, as_of: _dt.date) -> pd.DataFrame:
    """Each initiative's latest stage, its status and days in it as of ``as_of``.

    ``status``: ``stopped`` (a stop decision), ``done`` (följa upp or system management),
    ``waiting`` (at a gate without a decision yet) or ``active``.
    """
    last = reg.stages.sort_values(["initiative_id", "date"], kind="stable").groupby(
        "initiative_id").tail(1)
    out = reg.initiatives[["initiative_id", "municipality_code", "title", "committed",
                           "portfolio"]].merge(last, on="initiative_id", how="left")
    out["days_in_stage"] = [(as_of - d).days if isinstance(d, _dt.date) else np.nan
                            for d in out["date"]]
    out["status"] = np.select(
        [out["decision"] == "stop", out["stage"].isin(FINAL),
         out["stage"].isin(GATES) & out["decision"].isna()],
        ["stopped", "done", "waiting"], "active")
    return out.rename(columns={"date": "entered"})


def funnel(reg: Register) -> pd.DataFrame:
    """How many initiatives reached each stage of the main path, and the conversion.

    ``reached``: initiatives with at least one row of the stage (a reworked initiative counts
    once); ``conversion``: reached / reached at the previous stage (%); ``moved_to_system``:
    initiatives that left for system management right after the stage; ``stopped``:
    stop decisions at the stage (gates only).

    Examples
    --------
    Four initiatives: A dialog→utforska→idéskissa→prova→beslut(continue)→införa; B dialog→
    system management; C dialog→utforska→idéskissa→prova→beslut(stop); D dialog→utforska.
    Reached: dialog 4, utforska 3, idéskissa 2, prova 2, beslut 2, införa 1, följa upp 0;
    conversion utforska 3/4 = 75 %, idéskissa 2/3 = 66.7 %, beslut 100 %, införa 50 %.
    """
    s = reg.stages
    reached = s.drop_duplicates(["initiative_id", "stage"]).groupby("stage").size()
    rows = []
    prev = None
    order = s.sort_values(["initiative_id", "date"], kind="stable")
    nxt = order.groupby("initiative_id")["stage"].shift(-1)
    to_system = order[nxt == "systemforvaltning"].groupby("stage").size()
    stops = s[s["decision"] == "stop"].groupby("stage").size()
    for stage in FUNNEL:
        n = int(reached.get(stage, 0))
        rows.append({"stage": stage, "reached": n,
                     "conversion": (n / prev * 100) if prev else np.nan,
                     "moved_to_system": int(to_system.get(stage, 0)),
                     "stopped": int(stops.get(stage, 0))})
        prev = n
    return pd.DataFrame(rows)


def time_in_stage(reg: Register, as_of: _dt.date) -> pd.DataFrame:
    """Days from entering a stage to entering the next, per stage: completed spells only
    (``n``, ``median_days``, ``mean_days``, ``max_days``), and the open spells as of ``as_of``
    (``n_open``, ``median_open_days``)."""
    order = reg.stages.sort_values(["initiative_id", "date"], kind="stable").copy()
    order["next_date"] = order.groupby("initiative_id")["date"].shift(-1)
    order["days"] = [(b - a).days if isinstance(b, _dt.date) else np.nan
                     for a, b in zip(order["date"], order["next_date"])]
    cur = current_stages(reg, as_of)
    open_ = cur[cur["status"].isin(["active", "waiting"])]
    rows = []
    for stage in STAGES:
        closed = order.loc[(order["stage"] == stage) & order["days"].notna(), "days"]
        op = open_.loc[open_["stage"] == stage, "days_in_stage"]
        rows.append({"stage": stage, "n": int(closed.size),
                     "median_days": float(closed.median()) if closed.size else np.nan,
                     "mean_days": float(closed.mean()) if closed.size else np.nan,
                     "max_days": float(closed.max()) if closed.size else np.nan,
                     "n_open": int(op.size),
                     "median_open_days": float(op.median()) if op.size else np.nan})
    return pd.DataFrame(rows)


def stuck(reg: Register, as_of: _dt.date, threshold_days: int = 120) -> pd.DataFrame:
    """Active or waiting initiatives that have been in their stage longer than the threshold
    (default 120 days: about one DiMiOS round, assumption)."""
    cur = current_stages(reg, as_of)
    out = cur[cur["status"].isin(["active", "waiting"]) & (cur["days_in_stage"] > threshold_days)]
    return out.sort_values("days_in_stage", ascending=False).reset_index(drop=True)


def kpi_progress(reg: Register) -> pd.DataFrame:
    """Each KPI's progress towards its target: ``(value - baseline) / (target - baseline)``
    (1 = target reached, 0 = no change, negative = moved away); ``reached`` when progress >= 1.
    KPIs without a measured value have missing progress (not zero)."""
    k = reg.kpis.copy()
    k["progress"] = (k["value"] - k["baseline"]) / (k["target"] - k["baseline"])
    k["reached"] = [None if pd.isna(p) else bool(p >= 1) for p in k["progress"]]
    return k


def targeted_capability_change(reg: Register, capabilities: pd.DataFrame,
                               min_answers: int = 5) -> pd.DataFrame:
    """The change of each targeted capability between the last DiMiOS round before the
    initiative's commitment and the latest round after it, in its municipality.

    ``capabilities`` is :attr:`dimios_lib.scoring.Scores.capabilities` by municipality and round.
    The change's interval combines the two rounds' bootstrap intervals as independent normal
    errors (half-widths / 1.96 as standard errors; an approximation, documented); the change is
    ``clear`` only when that interval excludes zero. A round with fewer than ``min_answers``
    answers to the item gives no change.

    Capabilities drift with everything else going on, so each row also gives ``others_change``:
    the mean change of the municipality's *non-targeted* capabilities between the same two
    rounds, and ``beyond_others`` = the targeted capability moved more than that mean by more
    than its own interval's half-width (the others' mean is over many items; its own error is
    neglected, an approximation).
    """
    caps = capabilities[capabilities["n_answers"] >= min_answers]
    rows = []
    for r in reg.initiatives.itertuples():
        mine = caps[caps["municipality_code"] == r.municipality_code]
        committed = f"{r.committed.year:04d}-{r.committed.month:02d}"
        for item in r.targets:
            it = mine[mine["item_id"] == item].sort_values("round")
            before = it[it["round"] <= committed].tail(1)
            after = it[it["round"] > committed].tail(1)
            row = {"initiative_id": r.initiative_id, "municipality_code": r.municipality_code,
                   "item_id": item, "round_before": None, "round_after": None,
                   "pct_before": np.nan, "pct_after": np.nan, "change": np.nan,
                   "ci_low": np.nan, "ci_high": np.nan, "clear": False}
            row.update(others_change=np.nan, beyond_others=False)
            if len(before) and len(after):
                b, a = before.iloc[0], after.iloc[0]
                others = mine[~mine["item_id"].isin(r.targets)]
                ob = others[others["round"] == b["round"]].set_index("item_id")["pct"]
                oa = others[others["round"] == a["round"]].set_index("item_id")["pct"]
                both = ob.index.intersection(oa.index)
                others_change = float((oa[both] - ob[both]).mean()) if len(both) else np.nan
                se = np.hypot((b["ci_high"] - b["ci_low"]) / (2 * 1.96),
                              (a["ci_high"] - a["ci_low"]) / (2 * 1.96))
                change = a["pct"] - b["pct"]
                row.update(round_before=b["round"], round_after=a["round"],
                           pct_before=b["pct"], pct_after=a["pct"], change=change,
                           ci_low=change - 1.96 * se, ci_high=change + 1.96 * se,
                           clear=bool(abs(change) > 1.96 * se), others_change=others_change,
                           beyond_others=bool(change - others_change > 1.96 * se))
            rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# SYNTHETIC demo register


DEMO_FOLDER = "register_SYNTHETIC"
DEMO_TITLES = (
    "Digitala signeringslistor", "Nattillsyn med kamera", "E-tjänst för bygglov",
    "Chattbot för kontaktcenter", "Digitala möten i hemtjänsten", "Robotiserad ekonomiadministration",
    "Öppna data om lediga lokaler", "Gemensam IT-plattform", "Schemaläggning med AI-stöd",
    "Digital fallprevention", "Självincheckning på biblioteket", "Sensorer för inomhusklimat",
    "E-arkiv", "Digital vårdplanering", "Läsplattor för boende", "Automatiserat försörjningsstöd",
)


def generate_register_demo(*, seed: int = 20211101, codes=None, bank: ItemBank | None = None,
                           start: str = "2021-09-01") -> tuple[pd.DataFrame, pd.DataFrame,
                                                                pd.DataFrame]:
    """Simulate a register (initiatives, stages, kpis tables as written to CSV). SYNTHETIC.

    Each municipality commits 4-7 initiatives after a DiMiOS round (commitment dates spread over
    2021-12 ... 2023-12); each walks the process with seeded stage durations of 20-150 days
    (12 % of spells stall for 200-420 days),
    gate decisions (continue 75 %, rework 10 %, stop 15 %), system management exits after dialog
    or prova (10 %), a portfolio share of 30 %, two or three targeted capabilities and one KPI
    each. Everything is invented; only the process follows seed 004.
    """
    from .municipalities import load_groups

    bank = load_item_bank() if bank is None else bank
    rng = np.random.default_rng(seed)
    codes = list(load_groups()["modig"].members) if codes is None else list(codes)
    ids = bank.item_ids
    t0 = _dt.date.fromisoformat(start)
    ini, st, kp = [], [], []
    k = 0
    for code in codes:
        for _ in range(int(rng.integers(4, 8))):
            k += 1
            iid = f"{code}-{k:03d}"
            committed = t0 + _dt.timedelta(days=int(rng.integers(90, 820)))
            port = bool(rng.random() < 0.3)
            targets = rng.choice(ids, size=int(rng.integers(2, 4)), replace=False)
            ini.append({"initiative_id": iid, "municipality_code": code,
                        "title": DEMO_TITLES[int(rng.integers(len(DEMO_TITLES)))],
                        "committed": committed.isoformat(), "portfolio": "ja" if port else "nej",
                        "targets": ";".join(targets)})
            day = committed + _dt.timedelta(days=int(rng.integers(0, 30)))
            path = ["dialog"]
            stage = "dialog"
            while True:
                st.append({"initiative_id": iid, "stage": STAGES[stage][0],
                           "date": day.isoformat(), "decision": "", "decided_by": ""})
                slow = rng.random() < 0.12  # some initiatives stall
                day = day + _dt.timedelta(days=int(rng.integers(200, 420) if slow
                                                   else rng.integers(20, 150)))
                if day > _dt.date(2024, 6, 1):
                    if stage in GATES:
                        st[-1]["decision"] = ""  # still waiting for the decision
                    break
                if stage in ("dialog", "prova") and rng.random() < 0.1:
                    stage = "systemforvaltning"
                elif stage in GATES:
                    u = rng.random()
                    dec = "continue" if u < 0.75 else "rework" if u < 0.85 else "stop"
                    if path.count(stage) > 1 and dec == "rework":
                        dec = "continue"
                    st[-1]["decision"] = {"continue": "fortsätt", "rework": "omarbeta",
                                          "stop": "stoppa"}[dec]
                    st[-1]["decided_by"] = "Kommunledningsgruppen"
                    if dec == "stop":
                        break
                    if dec == "rework":
                        stage = "prova" if stage == "beslut_1" else "bereda"
                    elif stage == "beslut_1":
                        stage = "bereda" if port else "infora"
                    else:
                        stage = "infora"
                elif stage in FINAL:
                    break
                else:
                    stage = {"dialog": "utforska", "utforska": "ideskissa",
                             "ideskissa": "prova", "prova": "beslut_1", "bereda": "beslut_2",
                             "infora": "folja_upp"}[stage]
                path.append(stage)
                if stage in FINAL:
                    st.append({"initiative_id": iid, "stage": STAGES[stage][0],
                               "date": day.isoformat(), "decision": "", "decided_by": ""})
                    break
            base = float(rng.integers(20, 80))
            target = base + float(rng.integers(5, 25))
            measured = "infora" in path or "folja_upp" in path
            value = base + (target - base) * rng.uniform(-0.2, 1.4) if measured else None
            kp.append({"initiative_id": iid, "kpi": "Andel ärenden digitalt (%)",
                       "baseline": base, "target": target,
                       "value": None if value is None else round(value, 1),
                       "date": day.isoformat() if measured else ""})
    return pd.DataFrame(ini), pd.DataFrame(st), pd.DataFrame(kp)


def write_register_demo(folder: str | os.PathLike, *, seed: int = 20211101) -> Path:
    """Write the SYNTHETIC demo register as ``folder/register_SYNTHETIC/`` with a meta file."""
    import json

    out = Path(folder) / DEMO_FOLDER
    out.mkdir(parents=True, exist_ok=True)
    ini, st, kp = generate_register_demo(seed=seed)
    for name, frame in (("initiatives", ini), ("stages", st), ("kpis", kp)):
        frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8")
    (out / "register.meta.json").write_text(json.dumps({
        "synthetic": True, "seed": seed,
        "description": "SYNTHETIC initiative register for the Modig municipalities; invented "
                       "initiatives following Region Västernorrland's development process."},
        indent=1) + "\n", encoding="utf-8")
    return out
