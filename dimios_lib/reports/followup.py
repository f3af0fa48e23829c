"""The programme follow-up, computed: the initiatives committed in a period by a group's
municipalities, where they stand, their KPIs and targeted capabilities, and what the training
programme reached.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..config import ModelConfig
from ..errors import DimiosError
from ..reference.municipalities import Group, resolve_group
from .data import ReportData


def _date_param(value, default, *, end_of_month: bool = False):
    """A date parameter: ``YYYY-MM-DD``, or ``YYYY-MM`` (the month's first day, or its last
    with ``end_of_month``)."""
    import calendar
    import datetime as dt

    if value in (None, ""):
        return default
    text = str(value)
    try:
        if len(text) == 7:
            y, m = int(text[:4]), int(text[5:7])
            return dt.date(y, m, calendar.monthrange(y, m)[1] if end_of_month else 1)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise DimiosError(f"date {value!r}: expected YYYY-MM-DD or YYYY-MM") from None


@dataclass
class FollowupReport:
    """What the programme follow-up says (see :func:`followup_report`)."""

    group: Group
    start: object
    end: object
    synthetic: bool
    initiatives: pd.DataFrame
    status: pd.DataFrame
    funnel: pd.DataFrame
    time_in_stage: pd.DataFrame
    stuck: pd.DataFrame
    kpis: pd.DataFrame
    capabilities: pd.DataFrame
    stuck_days: int
    ci_level: float                   # of the capabilities' change intervals (the model's)

    def record(self) -> dict:
        f = self.funnel.set_index("stage")["reached"].to_dict()
        c = self.capabilities.dropna(subset=["change"])
        return {"group": self.group.id, "start": str(self.start), "end": str(self.end),
                "n_initiatives": int(len(self.initiatives)), "funnel": f,
                "n_stuck": int(len(self.stuck)), "n_capability_changes": int(len(c)),
                "n_clear": int(c["clear"].sum()), "n_beyond_others": int(c["beyond_others"].sum()),
                "synthetic": self.synthetic}


def followup_report(data: ReportData, register, group, start=None, end=None, *,
                    stuck_days: int = 120) -> FollowupReport:
    """The initiatives committed in ``[start, end]`` by the municipalities of ``group``, where
    they stand at ``end``, their KPIs, and how their targeted capabilities moved between the
    DiMiOS rounds around them (``data``: the DiMiOS answers, scored)."""
    import datetime as dt

    from ..contracts.register import Register
    from ..programmes.initiatives import (
        current_stages,
        funnel,
        kpi_progress,
        stuck,
        targeted_capability_change,
        time_in_stage,
    )

    g = resolve_group(group)
    start = _date_param(start, dt.date(1900, 1, 1))
    end = _date_param(end, dt.date.today(), end_of_month=True)
    if end < start:
        raise DimiosError(f"period: end {end} is before start {start}")
    ini = register.initiatives
    ini = ini[ini["municipality_code"].isin(g.members)
              & (ini["committed"] >= start) & (ini["committed"] <= end)]
    ids = set(ini["initiative_id"])
    st = register.stages[register.stages["initiative_id"].isin(ids)
                         & (register.stages["date"] <= end)]
    kp = register.kpis[register.kpis["initiative_id"].isin(ids)]
    kp = kp[kp["date"].isna() | (kp["date"] <= end)] if len(kp) else kp
    sub = Register(ini.reset_index(drop=True), st.reset_index(drop=True),
                   kp.reset_index(drop=True), register.source, register.synthetic)
    caps = data.scores.capabilities
    caps = caps[caps["round"] <= f"{end.year:04d}-{end.month:02d}"]
    return FollowupReport(
        group=g, start=start, end=end, synthetic=register.synthetic or data.synthetic,
        initiatives=sub.initiatives, status=current_stages(sub, end), funnel=funnel(sub),
        time_in_stage=time_in_stage(sub, end), stuck=stuck(sub, end, stuck_days),
        kpis=kpi_progress(sub), capabilities=targeted_capability_change(
            sub, caps, data.config.min_group_size), stuck_days=stuck_days,
        ci_level=data.config.ci_level)


@dataclass
class TrainingFollowup:
    """What the training programme reached in a group (see :func:`training_followup`)."""

    summary: pd.DataFrame | None      # training_summary(total=True); None: no log rows
    shares: pd.DataFrame | None       # outcome_shares; None: no survey answers
    competence: object | None         # StudyResults of the competence before/after
    published: dict | None            # Modig's published figures, when the group is Modig's
    synthetic: bool
    ci_level: float                   # of the outcome shares' intervals


def training_followup(training: dict, group: Group, *,
                      config: ModelConfig | None = None) -> TrainingFollowup:
    """The training log, outcome survey and competence answers (:func:`load_training`) of the
    group's municipalities, summarised. ``published`` is set when the log covers exactly the
    Modig municipalities, so the report can set its totals against the published ones. The
    outcome shares' intervals are at ``config.ci_level`` (default: the model's)."""
    from ..programmes import training as T
    from ..reference.published import published_modig

    ci_level = (config or ModelConfig()).ci_level

    def of_group(frame):
        sub = frame[frame["municipality_code"].isin(group.members)].copy()
        sub.attrs = dict(frame.attrs)
        return sub

    log, out, comp = (of_group(training[k]) for k in ("log", "outcomes", "competence"))
    pub = published_modig()
    return TrainingFollowup(
        summary=T.training_summary(log, total=True) if len(log) else None,
        shares=T.outcome_shares(out, ci_level=ci_level) if len(out) else None,
        competence=T.analyse_competence(comp) if len(comp) else None,
        published=pub if set(log["municipality_code"]) == set(pub["municipalities"]) else None,
        synthetic=bool(training["log"].attrs.get("synthetic")), ci_level=ci_level)
