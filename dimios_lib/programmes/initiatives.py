"""Following up the cycle's commitments: where the register's initiatives stand, the funnel
through the development process, time in stage, stalled initiatives, KPIs against targets, and
whether the targeted DiMiOS capabilities moved more than the municipality's others.

The register's contract is :mod:`dimios_lib.contracts.register`; the process is
:mod:`dimios_lib.reference.process`.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from ..contracts.register import Register
from ..reference.process import FINAL, FUNNEL, GATES, STAGES

#: An initiative's status (:func:`current_stages`), in the order reports list them.
STATUSES = ("active", "waiting", "done", "stopped")


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

    ``capabilities`` is :attr:`dimios_lib.maturity.scoring.Scores.capabilities` by municipality and round.
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
