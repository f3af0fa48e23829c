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
    v = _claims().vs_reference(row, "national")
    return t("mun.vs_national.above" if v == "above" else "mun.vs_national.below" if v == "below"
             else "mun.vs_national.level", lang, measure=m, national=nat)


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


def mun_national_notes(rep, lang: str) -> list[str]:
    """The sentences under the key figures: what the national average is (when it comes from
    the data), where national figures come from otherwise, and the small-area estimates of a
    municipality with few respondents."""
    out = []
    if rep.national_source == "data":
        n = rep.headline.set_index("measure").at["maturity", "n_national"]
        out.append(benchmark_basis(rep.config, int(n), lang))
    national = mun_national(rep, lang)
    if national:
        out.append(national)
    return out + mun_small_area(rep, lang)


def mun_type(rep, lang: str) -> list[str]:
    out = [t("mun.type", lang, type_label=type_label(rep.type, lang),
             description=type_description(rep.type, lang))]
    h = rep.headline.set_index("measure")
    cfg = rep.config
    if _claims().type_uncertain(h, cfg.capability_cutoff, cfg.legacy_cutoff):
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
            mun_rank(rep, lang)]
    alt = tn("mun.position.alt", n, lang, name=rep.municipality_name,
            capability=fmt.pct(h.at["capability", "pct"], lang),
            legacy=fmt.pct(h.at["legacy", "pct"], lang), type=rep.type)
    return text, alt


def mun_rank(rep, lang: str) -> str:
    """The municipality's place in maturity as an interval of ranks (never a point rank): the
    ranks it may hold at the configured level, allowing for the comparisons with every other
    municipality (``ModelConfig.rank_method``)."""
    h = rep.headline.set_index("measure").loc["maturity"]
    n = int(h["n_ranked"])
    low, high = int(h["rank_low"]), int(h["rank_high"])
    level = fmt.level(rep.config.ci_level, lang)
    if not _claims().rank_claimed(h.to_dict()):
        return tn("mun.position.rank_open", n, lang, owner=owner(rep.municipality_name, lang),
                  level=level)
    return tn("mun.position.rank_interval", n, lang, owner=owner(rep.municipality_name, lang),
              low=fmt.integer(low, lang), high=fmt.integer(high, lang), level=level)


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






def _unit(what: str) -> bool:
    """Whether a grouping inside a municipality is by ``unit`` (else by ``role``)."""
    if what not in ("unit", "role"):
        raise ValueError(f"expected 'unit' or 'role', not {what!r}")
    return what == "unit"






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


# --- the dialog-meeting page: verdict, key figures with references, lists, questions ----------

def _claims():
    from ..reports import claims

    return claims


def peer_label(rep, lang: str) -> str:
    """The peer group's short name for a key figure ("Örebro län", "Egen grupp")."""
    return group_name(rep.peer, lang)


def mun_verdict(rep, bank: ItemBank, lang: str) -> str:
    """The first sentence of the page: maturity against the nation and the peers, the change
    since the previous round, and the first priority. Every comparison is a claim only where
    the statistics flag it (:mod:`dimios_lib.reports.claims`)."""
    c = _claims()
    h = rep.headline.set_index("measure")
    row = h.loc["maturity"]
    r = row.to_dict()
    vn, vp = c.vs_reference(r, "national"), c.vs_reference(r, "peer")
    if pd.isna(row["national"]) and pd.isna(row["peer"]):  # an own export: nothing to compare
        return _verdict_tail(rep, bank, lang, [t("mun.verdict.alone", lang,
                                                  name=rep.municipality_name,
                                                  value=fmt.pct(row["pct"], lang))])
    nat = t("mun.verdict.national.above" if vn == "above" else "mun.verdict.national.below"
            if vn == "below" else "mun.verdict.national.level", lang,
            national=fmt.pct(row["national"], lang))
    peer = t("mun.verdict.peer.above" if vp == "above" else "mun.verdict.peer.below"
             if vp == "below" else "mun.verdict.peer.level", lang, peer=peer_label(rep, lang),
             value=fmt.pct(row["peer"], lang))
    if pd.isna(row["peer"]):
        out = [t("mun.verdict.national_only", lang, name=rep.municipality_name,
                 value=fmt.pct(row["pct"], lang), national=nat)]
    else:
        out = [t("mun.verdict", lang, name=rep.municipality_name,
                 value=fmt.pct(row["pct"], lang), national=nat, peer=peer)]
    return _verdict_tail(rep, bank, lang, out)


def _verdict_tail(rep, bank: ItemBank, lang: str, out: list[str]) -> str:
    """The verdict's change since the previous round and first priority, after its start."""
    c = _claims()
    ch = rep.change_previous
    if ch is not None and len(ch):
        m = ch.set_index("measure").loc["maturity"]
        d = c.change_direction(m)
        out.append(t("mun.verdict.change.up" if d == "up" else "mun.verdict.change.down"
                     if d == "down" else "mun.verdict.change.none", lang,
                     round=fmt.round_label(m["round_from"], lang),
                     change=fmt.points(abs(m["change"]), lang).lstrip("+")))
    if len(rep.priorities_gap):
        first = rep.priorities_gap.iloc[0]
        out.append(t("mun.verdict.priority_clear" if c.clear_gap(first)
                     else "mun.verdict.priority", lang,
                     label=bank.label(first["item_id"], lang)))
    elif len(rep.priorities_low):
        out.append(t("mun.verdict.priority_low", lang,
                     label=bank.label(rep.priorities_low.iloc[0]["item_id"], lang)))
    return " ".join(out)


def _change_line(rep, m: str, lang: str) -> str:
    c = _claims()
    ch = rep.change_previous
    if ch is None or not len(ch):
        return t("mun.kf.no_change_data", lang)
    row = ch.set_index("measure").loc[m]
    d = c.change_direction(row)
    arrow = {"up": "▲ ", "down": "▼ ", "none": ""}[d]
    return arrow + t("mun.kf.change.up" if d == "up" else "mun.kf.change.down" if d == "down"
                     else "mun.kf.change.none", lang, change=fmt.points(row["change"], lang),
                     round=fmt.round_label(row["round_from"], lang))


def _refs(rep, row, lang: str) -> list[str]:
    """A key figure's national and peer values, those that exist (none for an own export)."""
    nat, peer = pd.notna(row["national"]), pd.notna(row["peer"])
    if nat and peer:
        return [t("mun.kf.refs", lang, national=fmt.pct(row["national"], lang),
                  peer_name=peer_label(rep, lang), peer=fmt.pct(row["peer"], lang))]
    if nat:
        return [t("mun.kf.refs.national", lang, national=fmt.pct(row["national"], lang))]
    return []


def mun_keyfigures_full(rep, lang: str) -> list[tuple[str, str, list[str]]]:
    """Key figures with their interval, the national and peer values and the change (an arrow
    only where the change is called a change); then the type (and whether it is uncertain) and
    the number of respondents."""
    c = _claims()
    h = rep.headline.set_index("measure")
    cfg = rep.config
    out = []
    for m in ("maturity", "capability", "legacy"):
        out.append((measure(m, lang), fmt.pct(h.at[m, "pct"], lang), [
            fmt.ci(h.at[m, "ci_low"], h.at[m, "ci_high"], lang, ci_level=cfg.ci_level),
            *_refs(rep, h.loc[m], lang), _change_line(rep, m, lang)]))
    uncertain = c.type_uncertain(h, cfg.capability_cutoff, cfg.legacy_cutoff)
    out.append((t("mun.kf.type", lang), type_label(rep.type, lang),
                [t("mun.kf.type_uncertain" if uncertain else "mun.kf.type_certain", lang)]))
    out.append((t("mun.kf.respondents", lang), fmt.integer(rep.n_respondents, lang), []))
    return out


def reverse_note(item_ids, bank: ItemBank, lang: str) -> str:
    """A note on the reverse-scored items among ``item_ids`` (empty when there are none)."""
    rev = bank.items.set_index("item_id")["reverse"]
    names = [bank.label(i, lang) for i in item_ids if bool(rev.get(i, False))]
    if not names:
        return ""
    return tn("mun.reverse_note", len(names), lang, labels=fmt.join(names, lang))


def item_label(item_id: str, bank: ItemBank, lang: str) -> str:
    """An item's label, marked when it is reverse-scored (a high value means little of it)."""
    label = bank.label(item_id, lang)
    rev = bank.items.set_index("item_id")["reverse"]
    return t("mun.reversed_label", lang, label=label) if bool(rev.get(item_id, False)) else label


def mun_lists(rep, bank: ItemBank, lang: str) -> tuple[list[str], list[str], str]:
    """The top priorities (furthest below the national mean, else the lowest) and strengths, as
    sentences, and a note on reverse-scored items among them."""
    c = _claims()
    pri = rep.priorities_gap if len(rep.priorities_gap) else rep.priorities_low
    pri_items = []
    for r in pri.itertuples():
        if pd.isna(r.national):  # no national figure to compare with (an own export)
            pri_items.append(t("mun.list.alone", lang, label=item_label(r.item_id, bank, lang),
                               value=fmt.pct(r.pct, lang)))
            continue
        pri_items.append(t("mun.list.priority_clear" if c.clear_gap(r) else "mun.list.priority",
                           lang, label=item_label(r.item_id, bank, lang),
                           value=fmt.pct(r.pct, lang), national=fmt.pct(r.national, lang),
                           gap=fmt.points(r.gap, lang)))
    strengths = [t("mun.list.strength", lang, label=item_label(r.item_id, bank, lang),
                   value=fmt.pct(r.pct, lang), national=fmt.pct(r.national, lang))
                 if pd.notna(r.national) else
                 t("mun.list.alone", lang, label=item_label(r.item_id, bank, lang),
                   value=fmt.pct(r.pct, lang))
                 for r in rep.strengths.itertuples()]
    note_ = reverse_note(list(pri["item_id"]) + list(rep.strengths["item_id"]), bank, lang)
    return pri_items, strengths, note_


def mun_questions(rep, bank: ItemBank, lang: str) -> list[str]:
    """The questions for the dialog meeting, naming the report's own priorities and strengths."""
    pri = rep.priorities_gap if len(rep.priorities_gap) else rep.priorities_low
    names = fmt.join([bank.label(i, lang) for i in pri["item_id"]], lang)
    top = bank.label(rep.strengths.iloc[0]["item_id"], lang) if len(rep.strengths) else "–"
    return [t("mun.question.priorities", lang, labels=names),
            t("mun.question.strength", lang, label=top),
            t("mun.question.units", lang),
            t("mun.question.commitment", lang)]


def gap_rows(rep, bank: ItemBank, lang: str):
    """The capabilities sorted by their gap to the national mean (largest shortfall first), as
    rows for the gap chart and as a table (formatted and raw)."""
    c = rep.capabilities.sort_values(["gap", "item_id"]).reset_index(drop=True)
    labels = [item_label(i, bank, lang) for i in c["item_id"]]
    table = pd.DataFrame({
        t("col.capability_item", lang): labels,
        t("col.value", lang): [fmt.pct(x, lang) for x in c["pct"]],
        fmt.ci_label(rep.config.ci_level, lang): [ci_text(lo, hi, lang) for lo, hi in
                                                  zip(c["ci_low"], c["ci_high"])],
        t("col.national", lang): [fmt.pct(x, lang) for x in c["national"]],
        peer_label(rep, lang): [fmt.pct(x, lang) for x in c["peer"]],
        t("col.gap_national", lang): [fmt.points(x, lang) for x in c["gap"]],
    })
    raw = pd.DataFrame({
        t("col.capability_item", lang): labels,
        t("col.value", lang): c["pct"].round(1), t("col.ci_low", lang): c["ci_low"].round(1),
        t("col.ci_high", lang): c["ci_high"].round(1),
        t("col.national", lang): c["national"].round(1),
        peer_label(rep, lang): c["peer"].round(1), t("col.gap_national", lang): c["gap"].round(1)})
    return c, labels, table, raw


def gap_alt(rep, bank: ItemBank, lang: str) -> str:
    c = rep.capabilities.dropna(subset=["gap"]).sort_values("gap")
    n_below = int((c["gap"] < 0).sum())
    return tn("mun.gap.alt", len(c), lang, owner=owner(rep.municipality_name, lang),
              below=fmt.integer(n_below, lang),
              lowest=bank.label(c.iloc[0]["item_id"], lang) if len(c) else "–",
              gap=fmt.points(c.iloc[0]["gap"], lang) if len(c) else "–")


def heat(frame: pd.DataFrame, what: str, bank: ItemBank, lang: str):
    """Categories by unit (or role) against the national value of the same unit: the table
    (value and difference in each cell), the differences (numbers, for the cells' tints) and
    the raw values. A value the disclosure control hides is a blank cell (no value, no
    difference, no tint); a unit without a national value shows its value alone."""
    if frame is None or frame.empty:
        return None
    cats = [c for c in bank.categories["category"] if c in set(frame["category"])]
    groups = list(dict.fromkeys(frame["group"]))
    f = frame.set_index(["group", "category"])
    head = t("col.unit" if _unit(what) else "col.role", lang)
    cells, tints, raw = {head: groups}, {}, []
    for cat in cats:
        label = bank.category_label(cat, lang)
        col, tint = [], []
        for g in groups:
            v, gap = f.at[(g, cat), "pct"], f.at[(g, cat), "gap"]
            if pd.isna(v):
                col.append("")
            elif pd.isna(gap):
                col.append(fmt.pct(v, lang))
            else:
                col.append(t("mun.heat.cell", lang, value=fmt.pct(v, lang),
                             gap=fmt.number(gap, lang, 0, signed=True)))
            tint.append(gap)
            national = f.at[(g, cat), "national"]
            raw.append({head: g, t("col.category", lang): label,
                        t("col.value", lang): None if pd.isna(v) else round(float(v), 1),
                        t("col.national_unit", lang): (
                            None if pd.isna(v) or pd.isna(national)
                            else round(float(national), 1))})
        cells[label] = col
        tints[label] = tint
    return pd.DataFrame(cells), pd.DataFrame(tints), pd.DataFrame(raw)


def heat_caption(what: str, min_n: int, lang: str, hidden: int = 0) -> str:
    """The heat map's caption; with ``hidden`` cells, how many are blank and why (never
    which group's size made them so)."""
    caption = tn("mun.heat.caption", min_n, lang,
                 what=t("what.unit" if _unit(what) else "what.role", lang))
    if hidden:
        caption += " " + tn("mun.heat.hidden", hidden, lang,
                            respondents=tn("count.respondents", min_n, lang))
    return caption


def trend_table(rep, rounds: list[str], lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The trend chart's data, every round (an empty cell where the municipality has too few
    answers): formatted and raw."""
    tr = rep.trend.set_index("round").reindex(rounds)
    lvl = rep.config.ci_level
    rl = [fmt.round_label(r, lang) for r in rounds]
    table = pd.DataFrame({
        t("col.round", lang): rl,
        rep.municipality_name: [fmt.pct(x, lang) for x in tr["maturity_pct"]],
        fmt.ci_label(lvl, lang): [ci_text(lo, hi, lang) for lo, hi in
                                  zip(tr["maturity_ci_low"], tr["maturity_ci_high"])],
        t("col.respondents", lang): [fmt.integer(x, lang) if pd.notna(x) else fmt.MISSING
                                     for x in tr["n_respondents"]],
        t("col.national", lang): [fmt.pct(x, lang) for x in tr["national_maturity"]]})
    raw = pd.DataFrame({
        t("col.round", lang): rounds, rep.municipality_name: tr["maturity_pct"].round(1).tolist(),
        t("col.ci_low", lang): tr["maturity_ci_low"].round(1).tolist(),
        t("col.ci_high", lang): tr["maturity_ci_high"].round(1).tolist(),
        t("col.respondents", lang): tr["n_respondents"].tolist(),
        t("col.national", lang): tr["national_maturity"].round(1).tolist()})
    return table, raw


def map_legend(rep, lang: str) -> list[str]:
    return [rep.municipality_name, t("mun.map.peers", lang, peer=group_name(rep.peer, lang)),
            t("mun.map.others", lang)]


def map_alt(rep, lang: str) -> str:
    others = [c for c in rep.peer.members if c != rep.municipality_code]
    return tn("mun.map.alt", len(others), lang, name=rep.municipality_name,
              county=rep.county_name, peer=group_name(rep.peer, lang))


def capabilities_summary(rep, bank: ItemBank, lang: str) -> str:
    """One sentence over the capability table: how many are below and above the national mean,
    and how many of those clearly (the interval excludes the national mean)."""
    c = _claims()
    caps = rep.capabilities.dropna(subset=["gap"])
    below = caps[caps["gap"] < 0]
    above = caps[caps["gap"] > 0]
    n_clear_below = sum(c.clear_gap(r) for r in below.itertuples())
    n_clear_above = sum(c.clear_gap(r) for r in above.itertuples())
    return tn("mun.capabilities.summary", len(caps), lang,
              below=fmt.integer(len(below), lang), clear_below=fmt.integer(n_clear_below, lang),
              above=fmt.integer(len(above), lang), clear_above=fmt.integer(n_clear_above, lang))


def mun_contents(lang: str) -> list[str]:
    """The headings of the page's parts, in order (the table of contents)."""
    return [t("mun.section.headline", lang), t("mun.section.gap", lang),
            t("mun.section.units", lang), t("mun.section.change", lang),
            t("mun.section.dialog", lang), t("mun.section.position", lang),
            t("section.appendix", lang)]
