"""The words of the programme follow-up: commitments, the funnel, time in stage, stalled
initiatives, KPIs, capabilities and training.
"""

from __future__ import annotations

import pandas as pd

from ..reference.items import ItemBank
from . import fmt
from .catalog import t, tn
from .study import conclusion_text


def stage_label(stage: str, lang: str) -> str:
    """A stage of the development process (its id) as the report names it."""
    return t(f"stage.{stage}", lang)


def fu_committed(rep, bank: ItemBank, lang: str) -> tuple[str, pd.DataFrame]:
    from ..reference.municipalities import municipality_names

    ini = rep.initiatives
    caps = {c for targets in ini["targets"] for c in targets}
    text = tn("fu.committed.text", len(ini), lang,
              municipalities=tn("count.municipalities", ini["municipality_code"].nunique(), lang),
              portfolio=fmt.integer(int(ini["portfolio"].sum()), lang),
              capabilities=tn("count.capabilities", len(caps), lang))
    st = rep.status
    table_ = (st.groupby(["municipality_code", "status"]).size().unstack("status")
              .reindex(columns=["active", "waiting", "done", "stopped"]).fillna(0).astype(int))
    out = pd.DataFrame({t("col.municipality", lang): municipality_names(table_.index)})
    out[t("col.initiatives", lang)] = [fmt.integer(x, lang) for x in table_.sum(axis=1)]
    for s in table_.columns:
        out[t(f"col.status_{s}", lang)] = [fmt.integer(x, lang) for x in table_[s]]
    return text, out


def fu_funnel(rep, lang: str) -> tuple[str, pd.DataFrame]:
    f = rep.funnel.set_index("stage")
    st = rep.status
    text = tn("fu.funnel.text", len(rep.initiatives), lang,
              implement=stage_label("infora", lang), follow_up=stage_label("folja_upp", lang),
              implemented=fmt.integer(f.at["infora", "reached"], lang),
              followed=fmt.integer(f.at["folja_upp", "reached"], lang),
              system=fmt.integer(int((st["stage"] == "systemforvaltning").sum()), lang),
              stopped=fmt.integer(int((st["status"] == "stopped").sum()), lang))
    table_ = pd.DataFrame({
        t("col.stage", lang): [stage_label(s, lang) for s in f.index],
        t("col.reached", lang): [fmt.integer(x, lang) for x in f["reached"]],
        t("col.conversion", lang): [fmt.pct(x, lang) for x in f["conversion"]],
    })
    return text, table_


def fu_time_table(rep, lang: str) -> pd.DataFrame:
    tt = rep.time_in_stage
    tt = tt[(tt["n"] > 0) | (tt["n_open"] > 0)]
    return pd.DataFrame({
        t("col.stage", lang): [stage_label(s, lang) for s in tt["stage"]],
        t("col.initiatives", lang): [fmt.integer(x, lang) for x in tt["n"]],
        t("col.median_days", lang): [fmt.number(x, lang, 0) for x in tt["median_days"]],
        t("col.mean_days", lang): [fmt.number(x, lang, 0) for x in tt["mean_days"]],
        t("col.open", lang): [fmt.integer(x, lang) for x in tt["n_open"]],
        t("col.open_days", lang): [fmt.number(x, lang, 0) for x in tt["median_open_days"]],
    })


def fu_stuck(rep, lang: str) -> list[str]:
    from ..reference.municipalities import municipality_names

    s = rep.stuck
    names = dict(zip(s["municipality_code"], municipality_names(s["municipality_code"])))
    return [tn("fu.stuck.item", int(r.days_in_stage), lang, title=r.title or r.initiative_id,
               municipality=names[r.municipality_code], stage=stage_label(r.stage, lang),
               since=fmt.date(r.entered, lang),
               waiting=t("fu.stuck.waiting", lang) if r.status == "waiting" else "")
            for r in s.itertuples()]


def fu_kpis(rep, lang: str) -> tuple[str, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The KPIs by municipality: a sentence, a summary per municipality (KPIs, measured,
    reached), the measured KPIs with their municipality (no empty rows) and their raw values."""
    from ..reference.municipalities import municipality_names

    k = rep.kpis.merge(rep.initiatives[["initiative_id", "title", "municipality_code"]],
                       on="initiative_id")
    measured = k["value"].notna()
    text = tn("fu.kpis.text", len(k), lang, measured=fmt.integer(int(measured.sum()), lang),
              reached=fmt.integer(int((k["reached"] == True).sum()), lang))  # noqa: E712
    by = (k.assign(measured=measured, reached_=k["reached"] == True)  # noqa: E712
          .groupby("municipality_code").agg(n=("kpi", "size"), measured=("measured", "sum"),
                                             reached=("reached_", "sum")).reset_index())
    summary = pd.DataFrame({
        t("col.municipality", lang): municipality_names(by["municipality_code"]),
        t("col.kpis", lang): [fmt.integer(x, lang) for x in by["n"]],
        t("col.kpis_measured", lang): [fmt.integer(x, lang) for x in by["measured"]],
        t("col.kpis_reached", lang): [fmt.integer(x, lang) for x in by["reached"]]})
    m = k[measured].sort_values(["municipality_code", "initiative_id"])
    names = municipality_names(m["municipality_code"])
    table_ = pd.DataFrame({
        t("col.municipality", lang): names,
        t("col.initiative", lang): m["title"].tolist(),
        t("col.kpi", lang): m["kpi"].tolist(),
        t("col.baseline", lang): [fmt.number(x, lang, 1) for x in m["baseline"]],
        t("col.target", lang): [fmt.number(x, lang, 1) for x in m["target"]],
        t("col.measured", lang): [fmt.number(x, lang, 1) for x in m["value"]],
        t("col.progress", lang): [fmt.pct(x * 100, lang) for x in m["progress"]],
    })
    raw = pd.DataFrame({
        t("col.municipality", lang): names, t("col.initiative", lang): m["title"].tolist(),
        t("col.kpi", lang): m["kpi"].tolist(), t("col.baseline", lang): m["baseline"].tolist(),
        t("col.target", lang): m["target"].tolist(), t("col.measured", lang): m["value"].tolist(),
        t("col.progress", lang): (m["progress"] * 100).round(1).tolist()})
    return text, summary, table_, raw


def fu_scorecards(rep, lang: str) -> list[tuple[str, str, list[tuple[str, float]]]]:
    """Per municipality with KPIs: its name, a line on how many are measured, and the measured
    KPIs' progress towards their targets in percent (0 = baseline, 100 = target)."""
    from ..reference.municipalities import municipality_names

    k = rep.kpis.merge(rep.initiatives[["initiative_id", "title", "municipality_code"]],
                       on="initiative_id")
    out = []
    for code, g in k.groupby("municipality_code", sort=True):
        m = g[g["value"].notna()]
        line = tn("fu.scorecard.measured", len(g), lang,
                  measured=fmt.integer(len(m), lang))
        out.append((municipality_names([code])[0], line,
                    [(r.title, float(r.progress) * 100) for r in m.itertuples()]))
    return out


def fu_capabilities_summary(rep, lang: str) -> tuple[str, pd.DataFrame]:
    """The targeted capabilities' changes summed up per municipality: how many were measured
    before and after, how many clearly rose or fell (the interval excludes zero) and how many
    moved more than the municipality's other capabilities."""
    from ..reference.municipalities import municipality_names
    from ..reports.claims import change_direction

    c = rep.capabilities.dropna(subset=["change"]).copy()
    c["direction"] = [change_direction({"change": r.change, "significant": r.clear})
                      for r in c.itertuples()]
    by = (c.assign(up=c["direction"] == "up", down=c["direction"] == "down")
          .groupby("municipality_code").agg(n=("item_id", "size"), up=("up", "sum"),
                                             down=("down", "sum"),
                                             beyond=("beyond_others", "sum")).reset_index())
    table_ = pd.DataFrame({
        t("col.municipality", lang): municipality_names(by["municipality_code"]),
        t("col.caps_measured", lang): [fmt.integer(x, lang) for x in by["n"]],
        t("col.caps_up", lang): [fmt.integer(x, lang) for x in by["up"]],
        t("col.caps_down", lang): [fmt.integer(x, lang) for x in by["down"]],
        t("col.caps_beyond", lang): [fmt.integer(x, lang) for x in by["beyond"]]})
    text = tn("fu.caps.summary", len(c), lang, up=fmt.integer(int(by["up"].sum()), lang),
              down=fmt.integer(int(by["down"].sum()), lang),
              beyond=fmt.integer(int(by["beyond"].sum()), lang))
    return text, table_


def fu_capabilities(rep, bank: ItemBank, lang: str) -> tuple[str, pd.DataFrame]:
    from ..reference.municipalities import municipality_names

    c = rep.capabilities.dropna(subset=["change"])
    text = tn("fu.caps.text", len(c), lang, clear=fmt.integer(int(c["clear"].sum()), lang),
              beyond=fmt.integer(int(c["beyond_others"].sum()), lang))
    table_ = pd.DataFrame({
        t("col.municipality", lang): municipality_names(c["municipality_code"]),
        t("col.capability_item", lang): [bank.label(i, lang) for i in c["item_id"]],
        t("col.round", lang): [f"{fmt.round_label(a, lang)} → {fmt.round_label(b, lang)}"
                               for a, b in zip(c["round_before"], c["round_after"])],
        t("col.change", lang): [fmt.points(x, lang) for x in c["change"]],
        fmt.ci_label(rep.ci_level, lang): [fmt.interval(lo, hi, lang, 1, percent=False,
                                                        signed=True)
                                           for lo, hi in zip(c["ci_low"], c["ci_high"])],
        t("col.others", lang): [fmt.points(x, lang) for x in c["others_change"]],
    })
    return text, table_


def fu_training(summary: pd.DataFrame, lang: str, published: dict | None = None
                ) -> tuple[list[str], pd.DataFrame]:
    """Sentences and table from :func:`dimios_lib.programmes.training.training_summary` (``total=True``)."""
    rows = summary[summary["municipality_code"] != "total"]
    tot = summary[summary["municipality_code"] == "total"].iloc[0]
    months = (f"{fmt.round_label(tot['first_month'], lang)} – "
              f"{fmt.round_label(tot['last_month'], lang)}")
    text = [t("fu.training.text", lang, people=tn("count.people", tot["people_trained"], lang),
              hours=tn("count.hours", round(float(tot["hours"])), lang),
              per_person=fmt.number(tot["hours_per_person"], lang, 1),
              ambassadors=tn("count.ambassadors", tot["ambassadors"], lang), months=months)]
    if published and int(tot["people_trained"]) == published["people_trained"] and \
            round(float(tot["hours"])) == published["training_hours"]:
        text.append(t("fu.training.published", lang,
                      people=tn("count.people", published["people_trained"], lang),
                      hours=tn("count.hours", published["training_hours"], lang)))
    table_ = pd.DataFrame({
        t("col.municipality", lang): rows["municipality_name"].tolist(),
        t("col.people", lang): [fmt.integer(x, lang) for x in rows["people_trained"]],
        t("col.hours", lang): [fmt.integer(x, lang) for x in rows["hours"]],
        t("col.hours_per_person", lang): [fmt.number(x, lang, 1) for x in rows["hours_per_person"]],
        t("col.ambassadors", lang): [fmt.integer(x, lang) for x in rows["ambassadors"]],
        t("col.per_ambassador", lang): [fmt.number(x, lang, 0)
                                        for x in rows["trainees_per_ambassador"]],
    })
    return text, table_


def fu_outcomes(shares: pd.DataFrame, lang: str, published: dict | None = None, *,
                ci_level: float) -> pd.DataFrame:
    """The outcome survey's shares (intervals at ``ci_level``) against the published ones."""
    s = shares[(shares["level"] == "overall") & ~shares["suppressed"]]
    pub = (published or {}).get("shares", {})
    return pd.DataFrame({
        t("col.question", lang): [t(f"q.{q}", lang) for q in s["question"]],
        t("col.respondents", lang): [fmt.integer(x, lang) for x in s["n_answered"]],
        t("col.share", lang): [fmt.pct(x * 100, lang) for x in s["share"]],
        fmt.ci_label(ci_level, lang): [fmt.interval(lo * 100, hi * 100, lang) for lo, hi in
                                       zip(s["ci_low"], s["ci_high"])],
        t("col.published", lang): [fmt.pct(pub[q]["share"] * 100, lang) if q in pub
                                   else fmt.MISSING for q in s["question"]],
    })


def fu_competence(results, lang: str) -> list[str]:
    p = results.pooled[results.pooled["arm"] == "treated"]
    out = []
    for r in p.itertuples():
        out.append(t("fu.competence.result", lang, before=fmt.number(r.mean_before, lang, 2),
                     after=fmt.number(r.mean_after, lang, 2),
                     diff=fmt.number(r.mean_diff, lang, 2, signed=True),
                     ci=fmt.ci(r.mean_diff_ci_low, r.mean_diff_ci_high, lang, 2,
                               ci_level=results.config.ci_level, percent=False, signed=True),
                     g=fmt.number(r.effect_size, lang, 2)))
    out += [conclusion_text(r, results, lang) for r in results.conclusions.itertuples()]
    return out
