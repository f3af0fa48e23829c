"""The words of the reports: sentences, formatted tables and alt texts, in Swedish or English.

Texts live in ``data/report_texts.yaml`` (one key, both languages, the same placeholders); this
module fills them with values formatted by :mod:`dimios_lib.fmt`. The rules that keep a report
honest are here, where they are tested, not in the notebooks:

* a change is called an increase or a decrease only when its interval excludes zero
  (:func:`change_sentence`);
* a municipality is said to be above or below the national average only when its interval
  excludes the national mean (:func:`vs_national`);
* a type placement is flagged uncertain when an interval crosses a type cut-off;
* a ranking is given as the range of ranks consistent with the intervals.
"""

from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from . import fmt
from .classification import type_descriptions
from .config import ModelConfig
from .items import ItemBank

LANGS = ("sv", "en")


@lru_cache(maxsize=1)
def texts() -> dict[str, dict[str, str]]:
    """The text catalogue ``{key: {"sv": ..., "en": ...}}``."""
    path = Path(str(resources.files("dimios_lib") / "data" / "report_texts.yaml"))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def t(key: str, lang: str = "sv", **values) -> str:
    """The text ``key`` in ``lang`` with its placeholders filled."""
    fmt.locale(lang)  # validates the language
    try:
        template = texts()[key][lang]
    except KeyError:
        raise KeyError(f"no report text {key!r} in {lang!r}") from None
    return template.format(**values)


def owner(name: str, lang: str = "sv") -> str:
    """Genitive of a municipality name: ``Karlskogas``, ``Borås``; ``Karlskoga's``."""
    if lang == "en":
        return f"{name}'s"
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def measure(m: str, lang: str) -> str:
    return t(f"measure.{m}", lang)


def type_label(type_: str | None, lang: str) -> str:
    if type_ is None or pd.isna(type_):
        return fmt.MISSING
    return type_descriptions().loc[type_, f"label_{lang}"]


def type_description(type_: str, lang: str) -> str:
    return type_descriptions().loc[type_, f"description_{lang}"]


def ci_text(lo, hi, lang: str, decimals: int = 0) -> str:
    return fmt.interval(lo, hi, lang, decimals)


def value_ci(x, lo, hi, lang: str, decimals: int = 0) -> str:
    return fmt.with_interval(x, lo, hi, lang, decimals)


# --------------------------------------------------------------------------------------------
# Shared sections


def method_table(config: ModelConfig, lang: str) -> pd.DataFrame:
    """Every assumption in force (from the configuration) as a formatted table."""
    rows = config.assumptions(lang)
    return pd.DataFrame({t("col.parameter", lang): [r["parameter"] for r in rows],
                         t("col.setting", lang): [r["value"] for r in rows],
                         t("col.meaning", lang): [r["text"] for r in rows]})


def method_paragraphs(config: ModelConfig, source: str, bank_version: str, version: str,
                      lang: str) -> list[str]:
    min_n = fmt.integer(config.min_group_size, lang)
    return [t("method.intro", lang), t("method.benchmark", lang, min_n=min_n),
            t("method.change", lang), t("method.privacy", lang, min_n=min_n),
            t("method.source", lang, source=Path(source).name, bank=bank_version,
              version=version)]


def reliability_table(rel: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("col.scale", lang): [measure(s, lang) for s in rel["scale"]],
        t("col.items", lang): [fmt.integer(k, lang) for k in rel["k_items"]],
        t("col.complete", lang): [fmt.integer(k, lang) for k in rel["n_complete"]],
        t("col.alpha", lang): [fmt.number(a, lang, 2) for a in rel["alpha"]],
        t("col.omega", lang): [fmt.number(w, lang, 2) for w in rel["omega"]],
    })


def reliability_warnings(rel: pd.DataFrame, lang: str, threshold: float = 0.7) -> list[str]:
    return [t("reliability.low", lang, scale=measure(r.scale, lang),
              alpha=fmt.number(r.alpha, lang, 2))
            for r in rel.itertuples() if pd.notna(r.alpha) and r.alpha < threshold]


# --------------------------------------------------------------------------------------------
# Municipality report


def vs_national(row, lang: str) -> str:
    """Above, below or level with the national mean — level unless the interval excludes it."""
    nat = fmt.pct(row.national, lang)
    m = measure(row.measure, lang)
    if pd.notna(row.ci_low) and row.ci_low > row.national:
        return t("mun.vs_national.above", lang, measure=m, national=nat)
    if pd.notna(row.ci_high) and row.ci_high < row.national:
        return t("mun.vs_national.below", lang, measure=m, national=nat)
    return t("mun.vs_national.level", lang, measure=m, national=nat)


def mun_title(rep, lang: str) -> str:
    return t("mun.title", lang, name=rep.municipality_name, round=fmt.round_label(rep.round, lang))


def mun_subtitle(rep, lang: str) -> str:
    return t("mun.subtitle", lang, peer=rep.peer.name(lang))


def mun_unavailable(rep, lang: str) -> list[str]:
    """The short report of a municipality without (enough) data in the round."""
    rnd = fmt.round_label(rep.round, lang)
    key = "mun.no_data" if rep.status == "no_data" else "mun.too_few"
    out = [t(key, lang, name=rep.municipality_name, round=rnd,
             min_n=fmt.integer(rep.config.min_group_size, lang))]
    if rep.rounds_with_data:
        out.append(t("mun.other_rounds", lang, rounds=fmt.join(
            [fmt.round_label(r, lang) for r in rep.rounds_with_data], lang)))
    else:
        out.append(t("mun.no_rounds", lang))
    return out


def mun_keyfigures(rep, lang: str) -> list[tuple[str, str, str]]:
    h = rep.headline.set_index("measure")
    ci = t("col.ci", lang)
    out = [(measure(m, lang), fmt.pct(h.at[m, "pct"], lang),
            f"{ci} {ci_text(h.at[m, 'ci_low'], h.at[m, 'ci_high'], lang)}") for m in
           ("maturity", "capability", "legacy")]
    out.append((t("mun.kf.type", lang), type_label(rep.type, lang), ""))
    out.append((t("mun.kf.respondents", lang), fmt.integer(rep.n_respondents, lang), ""))
    return out


def mun_headline(rep, lang: str) -> list[str]:
    h = rep.headline.set_index("measure")
    out = [t("mun.headline", lang, owner=owner(rep.municipality_name, lang),
             maturity=value_ci(h.at["maturity", "pct"], h.at["maturity", "ci_low"],
                               h.at["maturity", "ci_high"], lang),
             capability=fmt.pct(h.at["capability", "pct"], lang),
             legacy=fmt.pct(h.at["legacy", "pct"], lang),
             round=fmt.round_label(rep.round, lang), n=fmt.integer(rep.n_respondents, lang))]
    out += [vs_national(r, lang) for r in rep.headline.itertuples()]
    return out


def mun_type(rep, lang: str) -> list[str]:
    out = [t("mun.type", lang, type_label=type_label(rep.type, lang),
             description=type_description(rep.type, lang))]
    h = rep.headline.set_index("measure")
    cfg = rep.config
    crosses = ((h.at["capability", "ci_low"] < cfg.capability_cutoff <= h.at["capability",
                                                                              "ci_high"])
               or (h.at["legacy", "ci_low"] < cfg.legacy_cutoff <= h.at["legacy", "ci_high"]))
    if crosses:
        out.append(t("mun.type_uncertain", lang, cutoff=fmt.pct(cfg.capability_cutoff, lang)))
    return out


def mun_position(rep, lang: str) -> tuple[list[str], str]:
    """Text and alt text of the quadrant figure."""
    cfg = rep.config
    h = rep.headline.set_index("measure")
    n = fmt.integer(len(rep.position), lang)
    text = [t("mun.position.text", lang, min_n=fmt.integer(cfg.min_group_size, lang), n=n,
              cap_cut=fmt.pct(cfg.capability_cutoff, lang),
              leg_cut=fmt.pct(cfg.legacy_cutoff, lang)),
            t("mun.position.rank", lang, name=rep.municipality_name,
              rank=fmt.integer(h.at["maturity", "rank"], lang),
              n=fmt.integer(h.at["maturity", "n_ranked"], lang))]
    alt = t("mun.position.alt", lang, n=n, name=rep.municipality_name,
            capability=fmt.pct(h.at["capability", "pct"], lang),
            legacy=fmt.pct(h.at["legacy", "pct"], lang), type=rep.type)
    return text, alt


def mun_profile_table(rep, bank: ItemBank, lang: str) -> pd.DataFrame:
    c = rep.categories
    return pd.DataFrame({
        t("col.category", lang): [bank.category_label(x, lang) for x in c["category"]],
        t("col.dimension", lang): [measure(d, lang) for d in c["dimension"]],
        t("col.value", lang): [fmt.pct(x, lang) for x in c["pct"]],
        t("col.ci", lang): [ci_text(lo, hi, lang) for lo, hi in zip(c["ci_low"], c["ci_high"])],
        t("col.national", lang): [fmt.pct(x, lang) for x in c["national"]],
        t("col.peer", lang): [fmt.pct(x, lang) for x in c["peer"]],
        t("col.gap_national", lang): [fmt.points(x, lang) for x in c["gap"]],
    })


def mun_profile_alt(rep, bank: ItemBank, lang: str) -> str:
    c = rep.categories.dropna(subset=["gap"])
    far = c.loc[c["gap"].abs().idxmax()] if len(c) else None
    return t("mun.profile.alt", lang, owner=owner(rep.municipality_name, lang),
             category=bank.category_label(far["category"], lang) if far is not None else "–",
             gap=fmt.points(far["gap"], lang) if far is not None else "–")


def mun_capabilities_table(rep, bank: ItemBank, lang: str) -> pd.DataFrame:
    c = rep.capabilities
    return pd.DataFrame({
        t("col.capability_item", lang): [bank.label(i, lang) for i in c["item_id"]],
        t("col.category", lang): [bank.category_label(x, lang) for x in c["category"]],
        t("col.value", lang): [fmt.pct(x, lang) for x in c["pct"]],
        t("col.ci", lang): [ci_text(lo, hi, lang) for lo, hi in zip(c["ci_low"], c["ci_high"])],
        t("col.national", lang): [fmt.pct(x, lang) for x in c["national"]],
        t("col.gap_national", lang): [fmt.points(x, lang) for x in c["gap"]],
    })


def change_sentence(row, lang: str) -> str:
    """One measure's change, called a change only when its interval excludes zero."""
    m = measure(row.measure, lang)
    frm = fmt.round_label(row.round_from, lang)
    ci = fmt.interval(row.ci_low, row.ci_high, lang, 1, percent=False, signed=True)
    if row.significant:
        direction = t("verdict.up" if row.change > 0 else "verdict.down", lang)
        return t("mun.change.sig", lang, measure=m, direction=direction,
                 change=fmt.points(abs(row.change), lang).lstrip("+"), round_from=frm, ci=ci)
    return t("mun.change.nonsig", lang, measure=m, change=fmt.points(row.change, lang),
             round_from=frm, ci=ci)


def verdict(row, lang: str) -> str:
    if not row.significant:
        return t("verdict.none", lang)
    return t("verdict.up" if row.change > 0 else "verdict.down", lang)


def change_table(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("col.dimension", lang): [measure(m, lang) for m in changes["measure"]],
        t("col.round", lang): [f"{fmt.round_label(a, lang)} → {fmt.round_label(b, lang)}"
                               for a, b in zip(changes["round_from"], changes["round_to"])],
        t("col.change", lang): [fmt.points(x, lang) for x in changes["change"]],
        t("col.ci", lang): [fmt.interval(lo, hi, lang, 1, percent=False, signed=True)
                            for lo, hi in zip(changes["ci_low"], changes["ci_high"])],
        t("col.verdict", lang): [verdict(r, lang) for r in changes.itertuples()],
    })


def trend_alt(rep, lang: str) -> str:
    tr = rep.trend
    return t("mun.trend.alt", lang, owner=owner(rep.municipality_name, lang),
             first=fmt.round_label(tr["round"].iloc[0], lang),
             last=fmt.round_label(tr["round"].iloc[-1], lang),
             value=fmt.pct(tr["maturity_pct"].iloc[-1], lang))


def _item(row, bank: ItemBank, lang: str, gap: bool = False) -> str:
    label = bank.label(row.item_id, lang)
    cat = bank.category_label(row.category, lang)
    if not gap:
        return t("mun.item", lang, label=label, category=cat, value=fmt.pct(row.pct, lang))
    clear = t("mun.clear" if row.clear else "mun.unclear", lang)
    return t("mun.item_gap", lang, label=label, category=cat, value=fmt.pct(row.pct, lang),
             gap=fmt.points(row.gap, lang), clear=clear)


def mun_dialog(rep, bank: ItemBank, lang: str) -> list[tuple[str, list[str]]]:
    """(heading sentence, bullet points) for strengths and both kinds of priorities."""
    gaps = [_item(r, bank, lang, gap=True) for r in rep.priorities_gap.itertuples()]
    return [
        (t("mun.strengths", lang), [_item(r, bank, lang) for r in rep.strengths.itertuples()]),
        (t("mun.priorities_gap", lang), gaps or [t("mun.no_gap", lang)]),
        (t("mun.priorities_low", lang),
         [_item(r, bank, lang) for r in rep.priorities_low.itertuples()]),
    ]


def units_table(frame: pd.DataFrame, what: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t(f"col.{what}", lang): frame["group"].tolist(),
        t("col.respondents", lang): [fmt.integer(n, lang) for n in frame["n_respondents"]],
        measure("maturity", lang): [value_ci(x, lo, hi, lang) for x, lo, hi in zip(
            frame["maturity_pct"], frame["maturity_ci_low"], frame["maturity_ci_high"])],
        measure("capability", lang): [fmt.pct(x, lang) for x in frame["capability_pct"]],
        measure("legacy", lang): [fmt.pct(x, lang) for x in frame["legacy_pct"]],
        t("col.type", lang): [type_label(x, lang) for x in frame["type"]],
    })


def units_text(frame: pd.DataFrame, hidden: int, what: str, min_n: int, lang: str) -> list[str]:
    w = t(f"what.{what}", lang)
    n = fmt.integer(min_n, lang)
    out = []
    if frame.empty:
        out.append(t("mun.units.none", lang, what=w, min_n=n))
    elif len(frame) >= 2:
        top, bottom = frame.iloc[0], frame.iloc[-1]
        out.append(t("mun.units.spread", lang, top=top["group"],
                     top_value=fmt.pct(top["maturity_pct"], lang), bottom=bottom["group"],
                     bottom_value=fmt.pct(bottom["maturity_pct"], lang)))
    if hidden and not frame.empty:
        out.append(t("mun.units.hidden", lang, k=fmt.integer(hidden, lang), min_n=n))
    return out


# --------------------------------------------------------------------------------------------
# Group comparison


def grp_ranking_table(rep, lang: str) -> pd.DataFrame:
    d = rep.latest
    return pd.DataFrame({
        t("col.municipality", lang): d["municipality_name"].tolist(),
        t("col.respondents", lang): [fmt.integer(n, lang) for n in d["n_respondents"]],
        measure("maturity", lang): [fmt.pct(x, lang) for x in d["maturity_pct"]],
        t("col.ci", lang): [ci_text(lo, hi, lang) for lo, hi in zip(d["maturity_ci_low"],
                                                                   d["maturity_ci_high"])],
        t("col.rank", lang): [fmt.integer(b, lang) if b == w else
                              f"{fmt.integer(b, lang)}–{fmt.integer(w, lang)}"
                              for b, w in zip(d["rank_best"], d["rank_worst"])],
        measure("capability", lang): [fmt.pct(x, lang) for x in d["capability_pct"]],
        measure("legacy", lang): [fmt.pct(x, lang) for x in d["legacy_pct"]],
        t("col.type", lang): [type_label(x, lang) for x in d["type"]],
    })


def grp_ranking_text(rep, lang: str) -> list[str]:
    d = rep.latest
    tied = int((d["rank_best"] != d["rank_worst"]).sum())
    return [t("grp.ranking.text", lang),
            t("grp.ranking.tied", lang, k=fmt.integer(tied, lang), n=fmt.integer(len(d), lang))]


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


def grp_alike(rep, lang: str, alpha: float = 0.05) -> list[str]:
    """Plain verdicts on whether the members are more alike than chance, latest round first."""
    a = rep.alike
    rnd = fmt.round_label(rep.round, lang)
    out = []
    cur = a[a["round"] == rep.round]
    if cur.empty or cur["p_value"].isna().all():
        out.append(t("grp.alike.few", lang, round=rnd))
    else:
        for r in cur.itertuples():
            key = "grp.alike.yes" if r.p_value < alpha else "grp.alike.no"
            out.append(t(key, lang, measure=measure(r.measure, lang), round=rnd,
                         sd=fmt.number(r.sd, lang, 1), random=fmt.number(r.random_median_sd,
                                                                          lang, 1),
                         p=fmt.number(r.p_value, lang, 3)))
    for r in rep.alike_pooled.itertuples():
        if r.rounds >= 2:
            key = "grp.alike.pooled_yes" if r.p_value < alpha else "grp.alike.pooled_no"
            out.append(t(key, lang, measure=measure(r.measure, lang),
                         n=fmt.integer(r.rounds, lang), sd=fmt.number(r.mean_sd, lang, 1),
                         random=fmt.number(r.random_median_sd, lang, 1),
                         p=fmt.number(r.p_value, lang, 3)))
    return out


def grp_alike_table(rep, lang: str) -> pd.DataFrame:
    a = rep.alike.dropna(subset=["p_value"])
    return pd.DataFrame({
        t("col.round", lang): [fmt.round_label(r, lang) for r in a["round"]],
        t("col.dimension", lang): [measure(m, lang) for m in a["measure"]],
        t("col.municipalities", lang): [fmt.integer(n, lang) for n in a["n"]],
        t("col.sd", lang): [fmt.number(x, lang, 1) for x in a["sd"]],
        t("col.random_sd", lang): [fmt.number(x, lang, 1) for x in a["random_median_sd"]],
        t("col.p", lang): [fmt.number(x, lang, 3) for x in a["p_value"]],
    })


# --------------------------------------------------------------------------------------------
# National overview


def nat_types_table(rep, lang: str) -> pd.DataFrame:
    d = rep.types_by_county
    out = pd.DataFrame({t("col.county", lang): d["county_name"].tolist()})
    for ty in type_descriptions().index:
        out[type_label(ty, lang)] = [fmt.integer(x, lang) for x in d[ty]]
    out[t("col.municipalities", lang)] = [fmt.integer(x, lang) for x in d["n"]]
    return out


def nat_types_summary(rep, lang: str) -> str:
    return fmt.join([f"{type_label(r.type, lang)} {fmt.integer(r.n, lang)}"
                     for r in rep.types.itertuples()], lang)


def nat_goal(rep, lang: str) -> str:
    last = rep.trend.iloc[-1]
    if last["ci_low"] >= rep.goal:
        return t("nat.trend.goal_met", lang)
    if last["ci_high"] < rep.goal:
        return t("nat.trend.goal_not", lang)
    return t("nat.trend.goal_unclear", lang, ci=ci_text(last["ci_low"], last["ci_high"], lang, 1))


def nat_counties_table(rep, lang: str) -> pd.DataFrame:
    c = rep.counties
    return pd.DataFrame({
        t("col.county", lang): c["county_name"].tolist(),
        t("col.municipalities", lang): [fmt.integer(x, lang) for x in c["n_municipalities"]],
        measure("maturity", lang): [fmt.pct(x, lang) for x in c["mean"]],
        t("col.ci", lang): [ci_text(lo, hi, lang) for lo, hi in zip(c["ci_low"], c["ci_high"])],
    })


# --------------------------------------------------------------------------------------------
# Before/after study


def _dim(results, d: str, lang: str) -> str:
    return results.instrument.dimension_label(d, lang)


def std_names(results, lang: str) -> str:
    d = results.design
    return fmt.join(d.loc[d["arm"] == "treated", "municipality_name"].tolist(), lang)


def std_design_table(results, lang: str) -> pd.DataFrame:
    d = results.design
    return pd.DataFrame({
        t("col.municipality", lang): d["municipality_name"].tolist(),
        t("col.arm", lang): [t(f"arm.{a}", lang) for a in d["arm"]],
        t("col.n_before", lang): [fmt.integer(x, lang) for x in d["n_before"]],
        t("col.n_after", lang): [fmt.integer(x, lang) for x in d["n_after"]],
        t("col.matched", lang): [fmt.integer(x, lang) for x in d["n_matched"]],
        t("col.design", lang): [t(f"design.{x}", lang) for x in d["design"]],
        t("col.reason", lang): d[f"reason_{lang}"].tolist(),
    })


def _p(x, lang: str) -> str:
    if pd.isna(x):
        return fmt.MISSING
    return "< 0,001" if x < 0.001 and lang == "sv" else "< 0.001" if x < 0.001 else \
        fmt.number(x, lang, 3)


def std_effects_table(results, lang: str, *, pooled: bool = False) -> pd.DataFrame:
    """Per municipality (or pooled) x dimension, from the privacy-safe ``table()``."""
    tab = results.table()
    if pooled:
        tab = tab[tab["municipality_code"].isin(["pooled", "pooled_comparison"])]
        first = [t(f"arm.{a}", lang) for a in tab["arm"]]
        head = t("col.arm", lang)
    else:
        tab = tab[~tab["municipality_code"].isin(["pooled", "pooled_comparison"])]
        first = tab["municipality_name"].tolist()
        head = t("col.municipality", lang)
    return pd.DataFrame({
        head: first,
        t("col.dimension", lang): [_dim(results, d, lang) for d in tab["dimension"]],
        t("col.before", lang): [fmt.number(x, lang, 2) for x in tab["mean_before"]],
        t("col.after", lang): [fmt.number(x, lang, 2) for x in tab["mean_after"]],
        t("col.difference", lang): [
            f"{fmt.number(x, lang, 2, signed=True)} "
            f"({fmt.interval(lo, hi, lang, 2, percent=False, signed=True)})"
            for x, lo, hi in zip(tab["mean_diff"], tab["mean_diff_ci_low"],
                                 tab["mean_diff_ci_high"])],
        t("col.g", lang): [f"{fmt.number(g, lang, 2, signed=True)} "
                           f"({fmt.interval(lo, hi, lang, 2, percent=False, signed=True)})"
                           for g, lo, hi in zip(tab["effect_size"], tab["ci_low"],
                                                tab["ci_high"])],
        t("col.p_adj", lang): [_p(x, lang) for x in tab["p_adjusted"]],
        t("col.test", lang): [x if isinstance(x, str) else fmt.MISSING for x in tab["test"]],
    })


def std_did_table(results, lang: str) -> pd.DataFrame:
    d = results.did
    return pd.DataFrame({
        t("col.dimension", lang): [_dim(results, x, lang) for x in d["dimension"]],
        t("col.change_treated", lang): [fmt.number(x, lang, 2, signed=True)
                                        for x in d["treated_change"]],
        t("col.change_comparison", lang): [fmt.number(x, lang, 2, signed=True)
                                           for x in d["comparison_change"]],
        t("col.did", lang): [f"{fmt.number(e, lang, 2, signed=True)} "
                             f"({fmt.interval(lo, hi, lang, 2, percent=False, signed=True)})"
                             for e, lo, hi in zip(d["estimate"], d["ci_low"], d["ci_high"])],
        t("col.p_adj", lang): [_p(x, lang) for x in d["p_adjusted"]],
        t("col.perm_p", lang): [_p(x, lang) for x in d["permutation_p"]],
    })


def std_items_table(results, lang: str) -> pd.DataFrame:
    it = results.items
    return pd.DataFrame({
        t("col.item", lang): it[f"label_{lang}"].tolist(),
        t("col.dimension", lang): [_dim(results, x, lang) for x in it["dimension"]],
        t("col.or", lang): [
            f"{fmt.number(o, lang, 2)} "
            f"({fmt.interval(np.exp(lo), np.exp(hi), lang, 2, percent=False)})"
            for o, lo, hi in zip(it["odds_ratio"], it["ci_low"], it["ci_high"])],
        t("col.p_adj", lang): [_p(x, lang) for x in it["p_adjusted"]],
    })


def std_reliability_table(results, lang: str) -> pd.DataFrame:
    r = results.reliability
    return pd.DataFrame({
        t("col.dimension", lang): [_dim(results, x, lang) for x in r["dimension"]],
        t("col.wave", lang): [fmt.round_label(x, lang) for x in r["wave_label"]],
        t("col.items", lang): [fmt.integer(x, lang) for x in r["k_items"]],
        t("col.complete", lang): [fmt.integer(x, lang) for x in r["n_complete"]],
        t("col.alpha", lang): [fmt.number(x, lang, 2) for x in r["alpha"]],
        t("col.omega", lang): [fmt.number(x, lang, 2) for x in r["omega"]],
    })


def std_method_table(results, lang: str) -> pd.DataFrame:
    from dataclasses import fields

    cfg = results.config
    rows = [(f.name, getattr(cfg, f.name)) for f in fields(cfg)]
    return pd.DataFrame({t("col.parameter", lang): [r[0] for r in rows],
                         t("col.setting", lang): [", ".join(map(repr, v)) if isinstance(v, tuple)
                                                  else str(v) for _, v in rows]})


# --------------------------------------------------------------------------------------------
# Programme follow-up


def stage_label(stage: str, lang: str) -> str:
    from .initiatives import STAGES

    return STAGES[stage][0 if lang == "sv" else 1]


def fu_committed(rep, bank: ItemBank, lang: str) -> tuple[str, pd.DataFrame]:
    from .municipalities import municipality_names

    ini = rep.initiatives
    caps = {c for targets in ini["targets"] for c in targets}
    text = t("fu.committed.text", lang, n=fmt.integer(len(ini), lang),
             k=fmt.integer(ini["municipality_code"].nunique(), lang),
             portfolio=fmt.integer(int(ini["portfolio"].sum()), lang),
             caps=fmt.integer(len(caps), lang))
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
    text = t("fu.funnel.text", lang, n=fmt.integer(len(rep.initiatives), lang),
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
    from .municipalities import municipality_names

    s = rep.stuck
    names = dict(zip(s["municipality_code"], municipality_names(s["municipality_code"])))
    return [t("fu.stuck.item", lang, title=r.title or r.initiative_id,
              municipality=names[r.municipality_code], stage=stage_label(r.stage, lang),
              since=fmt.date(r.entered, lang), days=fmt.integer(r.days_in_stage, lang),
              waiting=t("fu.stuck.waiting", lang) if r.status == "waiting" else "")
            for r in s.itertuples()]


def fu_kpis(rep, lang: str) -> tuple[str, pd.DataFrame]:
    k = rep.kpis.merge(rep.initiatives[["initiative_id", "title"]], on="initiative_id")
    measured = k["value"].notna()
    text = t("fu.kpis.text", lang, measured=fmt.integer(int(measured.sum()), lang),
             n=fmt.integer(len(k), lang),
             reached=fmt.integer(int((k["reached"] == True).sum()), lang))  # noqa: E712
    table_ = pd.DataFrame({
        t("col.initiative", lang): k["title"].tolist(),
        t("col.kpi", lang): k["kpi"].tolist(),
        t("col.baseline", lang): [fmt.number(x, lang, 1) for x in k["baseline"]],
        t("col.target", lang): [fmt.number(x, lang, 1) for x in k["target"]],
        t("col.measured", lang): [fmt.number(x, lang, 1) for x in k["value"]],
        t("col.progress", lang): [fmt.pct(x * 100, lang) if pd.notna(x) else fmt.MISSING
                                  for x in k["progress"]],
    })
    return text, table_


def fu_capabilities(rep, bank: ItemBank, lang: str) -> tuple[str, pd.DataFrame]:
    from .municipalities import municipality_names

    c = rep.capabilities.dropna(subset=["change"])
    text = t("fu.caps.text", lang, n=fmt.integer(len(c), lang),
             clear=fmt.integer(int(c["clear"].sum()), lang),
             beyond=fmt.integer(int(c["beyond_others"].sum()), lang))
    table_ = pd.DataFrame({
        t("col.municipality", lang): municipality_names(c["municipality_code"]),
        t("col.capability_item", lang): [bank.label(i, lang) for i in c["item_id"]],
        t("col.round", lang): [f"{fmt.round_label(a, lang)} → {fmt.round_label(b, lang)}"
                               for a, b in zip(c["round_before"], c["round_after"])],
        t("col.change", lang): [fmt.points(x, lang) for x in c["change"]],
        t("col.ci", lang): [fmt.interval(lo, hi, lang, 1, percent=False, signed=True)
                            for lo, hi in zip(c["ci_low"], c["ci_high"])],
        t("col.others", lang): [fmt.points(x, lang) for x in c["others_change"]],
    })
    return text, table_


def fu_training(summary: pd.DataFrame, lang: str, published: dict | None = None
                ) -> tuple[list[str], pd.DataFrame]:
    """Sentences and table from :func:`dimios_lib.training.training_summary` (``total=True``)."""
    rows = summary[summary["municipality_code"] != "total"]
    tot = summary[summary["municipality_code"] == "total"].iloc[0]
    months = (f"{fmt.round_label(tot['first_month'], lang)} – "
              f"{fmt.round_label(tot['last_month'], lang)}")
    text = [t("fu.training.text", lang, people=fmt.integer(tot["people_trained"], lang),
              hours=fmt.integer(tot["hours"], lang),
              per_person=fmt.number(tot["hours_per_person"], lang, 1),
              ambassadors=fmt.integer(tot["ambassadors"], lang), months=months)]
    if published and int(tot["people_trained"]) == published["people_trained"] and \
            round(float(tot["hours"])) == published["training_hours"]:
        text.append(t("fu.training.published", lang,
                      people=fmt.integer(published["people_trained"], lang),
                      hours=fmt.integer(published["training_hours"], lang)))
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


def fu_outcomes(shares: pd.DataFrame, lang: str, published: dict | None = None) -> pd.DataFrame:
    s = shares[(shares["level"] == "overall") & ~shares["suppressed"]]
    pub = (published or {}).get("shares", {})
    return pd.DataFrame({
        t("col.question", lang): [t(f"q.{q}", lang) for q in s["question"]],
        t("col.respondents", lang): [fmt.integer(x, lang) for x in s["n_answered"]],
        t("col.share", lang): [fmt.pct(x * 100, lang) for x in s["share"]],
        t("col.ci", lang): [fmt.interval(lo * 100, hi * 100, lang) for lo, hi in
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
                     ci=fmt.interval(r.mean_diff_ci_low, r.mean_diff_ci_high, lang, 2,
                                     percent=False, signed=True),
                     g=fmt.number(r.effect_size, lang, 2)))
    out += [getattr(r, lang) for r in results.conclusions.itertuples()]
    return out
