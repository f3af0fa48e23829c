"""The words of the municipality report. A municipality is said to be above or below the national
average only when its interval excludes the national mean; a type placement is flagged uncertain
when an interval crosses a type cut-off.
"""

from __future__ import annotations

import pandas as pd

from ..reference.items import ItemBank
from . import fmt
from .catalog import t, tn
from .common import (
    benchmark_basis,
    ci_text,
    group_name,
    measure,
    owner,
    type_description,
    type_label,
    value_ci,
)


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
    return t("mun.subtitle", lang, peer=group_name(rep.peer, lang))


def mun_unavailable(rep, lang: str) -> list[str]:
    """The short report of a municipality without (enough) data in the round."""
    rnd = fmt.round_label(rep.round, lang)
    out = [t("mun.no_data" if rep.status == "no_data" else "mun.too_few", lang,
             name=rep.municipality_name, round=rnd,
             min_n=fmt.integer(rep.config.min_group_size, lang))]
    if rep.rounds_with_data:
        out.append(tn("mun.other_rounds", len(rep.rounds_with_data), lang, rounds=fmt.join(
            [fmt.round_label(r, lang) for r in rep.rounds_with_data], lang)))
    else:
        out.append(t("mun.no_rounds", lang))
    return out


def mun_keyfigures(rep, lang: str) -> list[tuple[str, str, str]]:
    h = rep.headline.set_index("measure")
    out = [(measure(m, lang), fmt.pct(h.at[m, "pct"], lang),
            fmt.ci(h.at[m, "ci_low"], h.at[m, "ci_high"], lang, ci_level=rep.config.ci_level))
           for m in ("maturity", "capability", "legacy")]
    out.append((t("mun.kf.type", lang), type_label(rep.type, lang), ""))
    out.append((t("mun.kf.respondents", lang), fmt.integer(rep.n_respondents, lang), ""))
    return out


def mun_national(rep, lang: str) -> str | None:
    """Where the national comparison comes from, when it is not the data's other
    municipalities: a file of national figures (named with its source), or nowhere because the
    data hold this municipality's answers only."""
    if rep.national_source == "data":
        return None
    if rep.national_source == "reference":
        cited = fmt.join(rep.reference_cited, lang) if rep.reference_cited else ""
        source = f"{cited} ({rep.reference_name})" if cited else str(rep.reference_name)
        return t("mun.national.reference", lang, source=source)
    if rep.national_source == "reference_missing":
        return t("mun.national.reference_missing", lang, file=str(rep.reference_name),
                 round=fmt.round_label(rep.round, lang))
    return t("mun.national.none", lang, name=rep.municipality_name)


def mun_headline(rep, lang: str) -> list[str]:
    h = rep.headline.set_index("measure")
    out = [tn("mun.headline", rep.n_respondents, lang, owner=owner(rep.municipality_name, lang),
             maturity=value_ci(h.at["maturity", "pct"], h.at["maturity", "ci_low"],
                               h.at["maturity", "ci_high"], lang, ci_level=rep.config.ci_level),
             capability=fmt.pct(h.at["capability", "pct"], lang),
             legacy=fmt.pct(h.at["legacy", "pct"], lang),
             round=fmt.round_label(rep.round, lang))]
    out += [vs_national(r, lang) for r in rep.headline.itertuples() if pd.notna(r.national)]
    if rep.national_source == "data":
        out.append(benchmark_basis(rep.config, int(h.at["maturity", "n_national"]), lang))
    return out


def mun_small_area(rep, lang: str) -> list[str]:
    """The small-area estimates beside the direct ones, for a municipality with few respondents
    (``rep.small_area``); otherwise nothing."""
    if not rep.small_area:
        return []
    h = rep.headline.set_index("measure")
    ci_level = rep.config.ci_level
    return [tn("mun.small_area", rep.n_respondents, lang,
               owner=owner(rep.municipality_name, lang),
               maturity=value_ci(h.at["maturity", "eb"], h.at["maturity", "eb_ci_low"],
                                 h.at["maturity", "eb_ci_high"], lang, ci_level=ci_level),
               capability=fmt.pct(h.at["capability", "eb"], lang),
               legacy=fmt.pct(h.at["legacy", "eb"], lang),
               weight=fmt.pct(100 * h.at["maturity", "eb_shrinkage"], lang))]


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
    n = len(rep.position)
    text = [tn("mun.position.text", n, lang,
               respondents=tn("count.respondents", cfg.min_group_size, lang),
               cap_cut=fmt.pct(cfg.capability_cutoff, lang),
               leg_cut=fmt.pct(cfg.legacy_cutoff, lang)),
            tn("mun.position.rank", h.at["maturity", "n_ranked"], lang,
               name=rep.municipality_name, rank=fmt.integer(h.at["maturity", "rank"], lang))]
    alt = tn("mun.position.alt", n, lang, name=rep.municipality_name,
            capability=fmt.pct(h.at["capability", "pct"], lang),
            legacy=fmt.pct(h.at["legacy", "pct"], lang), type=rep.type)
    return text, alt


def mun_profile_table(rep, bank: ItemBank, lang: str) -> pd.DataFrame:
    c = rep.categories
    return pd.DataFrame({
        t("col.category", lang): [bank.category_label(x, lang) for x in c["category"]],
        t("col.dimension", lang): [measure(d, lang) for d in c["dimension"]],
        t("col.value", lang): [fmt.pct(x, lang) for x in c["pct"]],
        fmt.ci_label(rep.config.ci_level, lang): [ci_text(lo, hi, lang) for lo, hi in
                                                  zip(c["ci_low"], c["ci_high"])],
        t("col.national", lang): [fmt.pct(x, lang) for x in c["national"]],
        t("col.peer", lang): [fmt.pct(x, lang) for x in c["peer"]],
        t("col.gap_national", lang): [fmt.points(x, lang) for x in c["gap"]],
    })


def mun_profile_alt(rep, bank: ItemBank, lang: str) -> str:
    c = rep.categories.dropna(subset=["gap"])
    far = c.loc[c["gap"].abs().idxmax()] if len(c) else None
    return t("mun.profile.alt", lang, owner=owner(rep.municipality_name, lang),
             level=fmt.level(rep.config.ci_level, lang),
             category=bank.category_label(far["category"], lang) if far is not None else "–",
             gap=fmt.points(far["gap"], lang) if far is not None else "–")


def mun_capabilities_table(rep, bank: ItemBank, lang: str) -> pd.DataFrame:
    c = rep.capabilities
    return pd.DataFrame({
        t("col.capability_item", lang): [bank.label(i, lang) for i in c["item_id"]],
        t("col.category", lang): [bank.category_label(x, lang) for x in c["category"]],
        t("col.value", lang): [fmt.pct(x, lang) for x in c["pct"]],
        fmt.ci_label(rep.config.ci_level, lang): [ci_text(lo, hi, lang) for lo, hi in
                                                  zip(c["ci_low"], c["ci_high"])],
        t("col.national", lang): [fmt.pct(x, lang) for x in c["national"]],
        t("col.gap_national", lang): [fmt.points(x, lang) for x in c["gap"]],
    })


def trend_alt(rep, lang: str) -> str:
    tr = rep.trend
    return t("mun.trend.alt", lang, owner=owner(rep.municipality_name, lang),
             level=fmt.level(rep.config.ci_level, lang),
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
    out = [(t("mun.strengths", lang), [_item(r, bank, lang) for r in rep.strengths.itertuples()])]
    if rep.capabilities["national"].notna().any():  # no gaps to a national mean there is not
        out.append((t("mun.priorities_gap", lang), gaps or [t("mun.no_gap", lang)]))
    out.append((t("mun.priorities_low", lang),
                [_item(r, bank, lang) for r in rep.priorities_low.itertuples()]))
    return out


def _unit(what: str) -> bool:
    """Whether a grouping inside a municipality is by ``unit`` (else by ``role``)."""
    if what not in ("unit", "role"):
        raise ValueError(f"expected 'unit' or 'role', not {what!r}")
    return what == "unit"


def units_table(frame: pd.DataFrame, what: str, lang: str, *, ci_level: float) -> pd.DataFrame:
    return pd.DataFrame({
        t("col.unit" if _unit(what) else "col.role", lang): frame["group"].tolist(),
        t("col.respondents", lang): [fmt.integer(n, lang) for n in frame["n_respondents"]],
        measure("maturity", lang): [value_ci(x, lo, hi, lang, ci_level=ci_level) for x, lo, hi in zip(
            frame["maturity_pct"], frame["maturity_ci_low"], frame["maturity_ci_high"])],
        measure("capability", lang): [fmt.pct(x, lang) for x in frame["capability_pct"]],
        measure("legacy", lang): [fmt.pct(x, lang) for x in frame["legacy_pct"]],
        t("col.type", lang): [type_label(x, lang) for x in frame["type"]],
    })


def units_caption(what: str, min_n: int, lang: str) -> str:
    """The caption of the table by unit or role."""
    return tn("mun.units.caption", min_n, lang,
              what=t("what.unit" if _unit(what) else "what.role", lang))


def units_text(frame: pd.DataFrame, hidden: int, what: str, min_n: int, lang: str) -> list[str]:
    w = t("what.unit" if _unit(what) else "what.role", lang)
    out = []
    if frame.empty:
        out.append(tn("mun.units.none", min_n, lang, what=w))
    elif len(frame) >= 2:
        top, bottom = frame.iloc[0], frame.iloc[-1]
        out.append(t("mun.units.spread", lang, top=top["group"],
                     top_value=fmt.pct(top["maturity_pct"], lang), bottom=bottom["group"],
                     bottom_value=fmt.pct(bottom["maturity_pct"], lang)))
    if hidden and not frame.empty:
        out.append(tn("mun.units.hidden", hidden, lang,
                      respondents=tn("count.respondents", min_n, lang)))
    return out
