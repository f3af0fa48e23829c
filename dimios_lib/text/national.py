"""The words of the national overview: types by county, the goal (met only when the whole
interval is above it), county means.
"""

from __future__ import annotations

import pandas as pd

from ..reference.types import TYPES
from . import fmt
from .catalog import t, tn
from .common import benchmark_basis, ci_text, measure, type_label


def nat_subtitle(rep, lang: str) -> str:
    """How many municipalities and respondents the overview rests on."""
    return tn("nat.subtitle", rep.n_municipalities, lang,
              minimum=tn("count.respondents", rep.config.min_group_size, lang),
              respondents=tn("count.respondents", rep.n_respondents, lang))


def nat_basis(rep, lang: str) -> str:
    """What the national average is, and that the municipalities choose to take part."""
    return " ".join([benchmark_basis(rep.config, rep.n_municipalities, lang),
                     t("method.participants", lang)])


def nat_hidden(rep, lang: str) -> str:
    """How many municipalities are left out for too few respondents ("" when none)."""
    if not rep.n_hidden:
        return ""
    return tn("nat.hidden", rep.n_hidden, lang,
              minimum=tn("count.respondents", rep.config.min_group_size, lang))


def nat_types_table(rep, lang: str) -> pd.DataFrame:
    d = rep.types_by_county
    out = pd.DataFrame({t("col.county", lang): d["county_name"].tolist()})
    for ty in TYPES:
        out[type_label(ty, lang)] = [fmt.integer(x, lang) for x in d[ty]]
    out[t("col.municipalities", lang)] = [fmt.integer(x, lang) for x in d["n"]]
    return out


def nat_types_summary(rep, lang: str) -> str:
    return fmt.join([f"{type_label(r.type, lang)} {fmt.integer(r.n, lang)}"
                     for r in rep.types.itertuples()], lang)


def nat_goal(rep, lang: str) -> str:
    """Whether the latest national mean reaches the goal: only when its whole interval does."""
    last = rep.trend.iloc[-1]
    goal = fmt.pct(rep.goal, lang)
    if last["ci_low"] >= rep.goal:
        return t("nat.trend.goal_met", lang, goal=goal)
    if last["ci_high"] < rep.goal:
        return t("nat.trend.goal_not", lang, goal=goal)
    return t("nat.trend.goal_unclear", lang, goal=goal,
             ci=ci_text(last["ci_low"], last["ci_high"], lang, 1))


def nat_counties_table(rep, lang: str) -> pd.DataFrame:
    c = rep.counties
    return pd.DataFrame({
        t("col.county", lang): c["county_name"].tolist(),
        t("col.municipalities", lang): [fmt.integer(x, lang) for x in c["n_municipalities"]],
        measure("maturity", lang): [fmt.pct(x, lang) for x in c["mean"]],
        fmt.ci_label(rep.config.ci_level, lang): [ci_text(lo, hi, lang) for lo, hi in
                                                  zip(c["ci_low"], c["ci_high"])],
    })


def nat_map_table(rep, lang: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Every municipality of the reference list by county: its maturity and type in the round,
    or "inga data" (no answers, or too few to be shown); formatted, raw and each row's code."""
    from ..reference.municipalities import municipalities

    ref = municipalities().sort_values(["county_code", "municipality_name"])
    d = rep.distribution.set_index("municipality_code")
    none = t("nat.map.no_data", lang)
    has = ref["municipality_code"].isin(d.index)
    val = ref["municipality_code"].map(d["maturity_pct"])
    typ = ref["municipality_code"].map(d["type"])
    table = pd.DataFrame({
        t("col.municipality", lang): ref["municipality_name"].tolist(),
        t("col.county", lang): ref["county_name"].tolist(),
        measure("maturity", lang): [fmt.pct(v, lang) if h else none for v, h in zip(val, has)],
        t("col.type", lang): [type_label(x, lang) if h else none for x, h in zip(typ, has)]})
    raw = pd.DataFrame({
        t("col.code", lang): ref["municipality_code"].tolist(),
        t("col.municipality", lang): ref["municipality_name"].tolist(),
        t("col.county", lang): ref["county_name"].tolist(),
        measure("maturity", lang): val.round(1).tolist(), t("col.type", lang): typ.tolist()})
    return table, raw, ref["municipality_code"].tolist()


def nat_map_alt(rep, lang: str) -> str:
    q = rep.quartiles
    return tn("nat.map.alt", rep.n_municipalities, lang, round=fmt.round_label(rep.round, lang),
              low=fmt.pct(q["min"], lang), high=fmt.pct(q["max"], lang))


def nat_distribution_table(rep, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The histogram's data: municipalities per 2.5-point band of maturity."""
    import numpy as np

    v = rep.distribution["maturity_pct"].dropna().to_numpy(float)
    edges = np.arange(np.floor(v.min() / 10) * 10, np.ceil(v.max() / 10) * 10 + 2.5, 2.5) \
        if v.size else np.array([0.0, 100.0])
    counts, _ = np.histogram(v, bins=edges)
    band = [f"{fmt.number(a, lang, 1)}–{fmt.pct(b, lang, 1)}" for a, b in zip(edges, edges[1:])]
    table = pd.DataFrame({t("col.band", lang): band,
                          t("col.municipalities", lang): [fmt.integer(c, lang) for c in counts]})
    raw = pd.DataFrame({t("col.band_from", lang): edges[:-1], t("col.band_to", lang): edges[1:],
                        t("col.municipalities", lang): counts})
    return table, raw


def nat_types_raw(rep, lang: str) -> pd.DataFrame:
    d = rep.types_by_county
    out = pd.DataFrame({t("col.county", lang): d["county_name"].tolist()})
    for ty in TYPES:
        out[type_label(ty, lang)] = d[ty].tolist()
    return out


def nat_trend_table(rep, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    tr = rep.trend
    table = pd.DataFrame({
        t("col.round", lang): [fmt.round_label(r, lang) for r in tr["round"]],
        t("col.municipalities", lang): [fmt.integer(x, lang) for x in tr["n_municipalities"]],
        measure("maturity", lang): [fmt.pct(x, lang, 1) for x in tr["mean"]],
        fmt.ci_label(rep.config.ci_level, lang): [ci_text(lo, hi, lang, 1) for lo, hi in
                                                  zip(tr["ci_low"], tr["ci_high"])]})
    raw = pd.DataFrame({t("col.round", lang): tr["round"].tolist(),
                        t("col.municipalities", lang): tr["n_municipalities"].tolist(),
                        measure("maturity", lang): tr["mean"].round(2).tolist(),
                        t("col.ci_low", lang): tr["ci_low"].round(2).tolist(),
                        t("col.ci_high", lang): tr["ci_high"].round(2).tolist()})
    return table, raw


def nat_units_table(rep, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    u = rep.by_unit
    table = pd.DataFrame({
        t("col.unit", lang): u["unit"].tolist(),
        t("col.respondents", lang): [fmt.integer(x, lang) for x in u["n_respondents"]],
        measure("maturity", lang): [fmt.pct(x, lang) for x in u["maturity_pct"]],
        fmt.ci_label(rep.config.ci_level, lang): [ci_text(lo, hi, lang) for lo, hi in
                                                  zip(u["maturity_ci_low"],
                                                      u["maturity_ci_high"])]})
    raw = pd.DataFrame({t("col.unit", lang): u["unit"].tolist(),
                        t("col.respondents", lang): u["n_respondents"].tolist(),
                        measure("maturity", lang): u["maturity_pct"].round(1).tolist(),
                        t("col.ci_low", lang): u["maturity_ci_low"].round(1).tolist(),
                        t("col.ci_high", lang): u["maturity_ci_high"].round(1).tolist()})
    return table, raw
