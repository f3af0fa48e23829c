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
