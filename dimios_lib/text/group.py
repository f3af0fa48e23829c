"""The words of the group comparison: rankings as rank ranges, profiles, and "more alike than
chance".
"""

from __future__ import annotations

import pandas as pd

from ..reference.items import ItemBank
from . import fmt
from .catalog import t, tn
from .common import ci_text, measure, type_label


def grp_ranking_table(rep, lang: str) -> pd.DataFrame:
    d = rep.latest
    return pd.DataFrame({
        t("col.municipality", lang): d["municipality_name"].tolist(),
        t("col.respondents", lang): [fmt.integer(n, lang) for n in d["n_respondents"]],
        measure("maturity", lang): [fmt.pct(x, lang) for x in d["maturity_pct"]],
        fmt.ci_label(rep.config.ci_level, lang): [ci_text(lo, hi, lang) for lo, hi in zip(
            d["maturity_ci_low"], d["maturity_ci_high"])],
        t("col.rank", lang): [fmt.integer(b, lang) if b == w else
                              f"{fmt.integer(b, lang)}–{fmt.integer(w, lang)}"
                              for b, w in zip(d["rank_best"], d["rank_worst"])],
        measure("capability", lang): [fmt.pct(x, lang) for x in d["capability_pct"]],
        measure("legacy", lang): [fmt.pct(x, lang) for x in d["legacy_pct"]],
        t("col.type", lang): [type_label(x, lang) for x in d["type"]],
    })


def grp_subtitle(rep, lang: str) -> str:
    """How many municipalities, and which rounds."""
    rounds = tn("grp.rounds", len(rep.rounds), lang,
                rounds=fmt.join([fmt.round_label(r, lang) for r in rep.rounds], lang))
    return tn("grp.subtitle", len(rep.members), lang, rounds=rounds)


def grp_ranking_text(rep, lang: str) -> list[str]:
    d = rep.latest
    tied = int((d["rank_best"] != d["rank_worst"]).sum())
    return [t("grp.ranking.text", lang),
            tn("grp.ranking.tied", len(d), lang, k=fmt.integer(tied, lang))]


def grp_profiles_table(rep, bank: ItemBank, lang: str) -> pd.DataFrame:
    c = rep.categories.merge(rep.latest[["municipality_code", "municipality_name"]],
                             on="municipality_code")
    wide = c.pivot(index="category", columns="municipality_name", values="pct")
    order = [x for x in bank.categories["category"] if x in wide.index]
    names = rep.latest["municipality_name"].tolist()
    wide = wide.reindex(index=order, columns=names)
    out = pd.DataFrame({t("col.category", lang): [bank.category_label(x, lang) for x in order]})
    for n in names:
        out[n] = [fmt.pct(x, lang) for x in wide[n]]
    return out


def grp_alike(rep, lang: str) -> list[str]:
    """Plain verdicts on whether the members are more alike than chance, latest round first.
    "More alike" is said only where the report claims it (:func:`.claims.alike_claimed`: the
    test holds across all the report's likeness tests, by the report's rule), never from a
    p-value alone."""
    a = rep.alike
    rnd = fmt.round_label(rep.round, lang)
    out = []
    cur = a[a["round"] == rep.round]
    if cur.empty or cur["p_value"].isna().all():
        out.append(t("grp.alike.few", lang, round=rnd))
    else:
        for r in cur.itertuples():
            out.append(t("grp.alike.yes" if _claims().alike_claimed(r) else "grp.alike.no", lang,
                         measure=measure(r.measure, lang), round=rnd,
                         sd=fmt.number(r.sd, lang, 1), random=fmt.number(r.random_median_sd,
                                                                          lang, 1),
                         p=fmt.number(r.p_value, lang, 3),
                         p_adjusted=fmt.number(r.p_adjusted, lang, 3)))
    for r in rep.alike_pooled.itertuples():
        if r.rounds >= 2:
            out.append(tn("grp.alike.pooled_yes" if _claims().alike_claimed(r) else "grp.alike.pooled_no",
                          r.rounds, lang, measure=measure(r.measure, lang),
                          sd=fmt.number(r.mean_sd, lang, 1),
                          random=fmt.number(r.random_median_sd, lang, 1),
                          p=fmt.number(r.p_value, lang, 3),
                          p_adjusted=fmt.number(r.p_adjusted, lang, 3)))
    return out


def grp_alike_rule(rep, lang: str) -> str:
    """How the likeness tests are decided: together, by the report's rule (or each alone)."""
    cfg = rep.config
    alpha = fmt.decimal(cfg.claims_alpha, lang)
    k = len(rep.likeness)
    if cfg.claims_adjustment == "none":
        return tn("grp.alike.unadjusted", k, lang, alpha=alpha)
    return tn("grp.alike.adjusted", k, lang, alpha=alpha)


def grp_alike_table(rep, lang: str) -> pd.DataFrame:
    a = rep.alike.dropna(subset=["p_value"])
    return pd.DataFrame({
        t("col.round", lang): [fmt.round_label(r, lang) for r in a["round"]],
        t("col.dimension", lang): [measure(m, lang) for m in a["measure"]],
        t("col.municipalities", lang): [fmt.integer(n, lang) for n in a["n"]],
        t("col.sd", lang): [fmt.number(x, lang, 1) for x in a["sd"]],
        t("col.random_sd", lang): [fmt.number(x, lang, 1) for x in a["random_median_sd"]],
        t("col.p", lang): [fmt.number(x, lang, 3) for x in a["p_value"]],
        t("col.p_adj", lang): [fmt.number(x, lang, 3) for x in a["p_adjusted"]],
    })


def grp_trend_table(rep, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The trend chart's data: each shown member, the group mean (with the number of members
    behind it) and the national mean per round; formatted and raw."""
    names = dict(zip(rep.members["municipality_code"], rep.members["municipality_name"]))
    wide = rep.trend.pivot(index="round", columns="municipality_code", values="maturity_pct")
    wide = wide.reindex(index=rep.rounds)
    gt = rep.group_trend.set_index("round").reindex(rep.rounds)
    line, same = rep.group_line()
    cols = [c for c in rep.members["municipality_code"] if c in wide.columns]
    rl = [fmt.round_label(r, lang) for r in rep.rounds]
    table = {t("col.round", lang): rl}
    raw = {t("col.round", lang): list(rep.rounds)}
    for c in cols:
        table[names[c]] = [fmt.pct(x, lang) for x in wide[c]]
        raw[names[c]] = wide[c].round(1).tolist()
    g = t("legend.group", lang)
    table[g] = [fmt.pct(x, lang) for x in line.reindex(rep.rounds)]
    raw[g] = line.reindex(rep.rounds).round(1).tolist()
    n = gt["n_same"] if same else gt["n_members"]
    table[t("col.members", lang)] = [fmt.integer(x, lang) if pd.notna(x) else fmt.MISSING
                                     for x in n.where(line.reindex(rep.rounds).notna())]
    raw[t("col.members", lang)] = n.where(line.reindex(rep.rounds).notna()).tolist()
    table[t("col.national", lang)] = [fmt.pct(x, lang) for x in gt["national_maturity"]]
    raw[t("col.national", lang)] = gt["national_maturity"].round(1).tolist()
    return pd.DataFrame(table), pd.DataFrame(raw)


def grp_line_text(rep, lang: str) -> str:
    """How the group's mean in the trend is made: over the same members, or with counts."""
    line, same = rep.group_line()
    n = int(rep.group_trend["n_same"].iloc[0]) if len(rep.group_trend) else 0
    if same:
        return tn("grp.trend.same", n, lang)
    return t("grp.trend.counts", lang)


def grp_ranking_raw(rep, lang: str) -> pd.DataFrame:
    """The ranking's values for the CSV download."""
    d = rep.latest
    return pd.DataFrame({
        t("col.municipality", lang): d["municipality_name"].tolist(),
        t("col.respondents", lang): d["n_respondents"].tolist(),
        measure("maturity", lang): d["maturity_pct"].round(1).tolist(),
        t("col.ci_low", lang): d["maturity_ci_low"].round(1).tolist(),
        t("col.ci_high", lang): d["maturity_ci_high"].round(1).tolist(),
        t("col.rank_best", lang): d["rank_best"].tolist(),
        t("col.rank_worst", lang): d["rank_worst"].tolist()})


def _claims():
    from ..reports import claims

    return claims
