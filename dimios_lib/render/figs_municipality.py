"""The municipality report's charts (inline SVG): the gap chart of capabilities against the
national and peer means, the trend with gaps for missing rounds, and the position among all
municipalities. Words arrive from :mod:`dimios_lib.text`; this module only draws.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..text import fmt
from ..text.catalog import t
from ..text.common import type_label
from .charts import Ref, Row, Series, dot_rows, line_chart, scatter
from .svg import COLOURS, nice_range


def gap_chart(caps: pd.DataFrame, labels: Sequence[str], *, lang: str, name: str,
              peer_name: str, alt: str) -> str:
    """Capabilities in the given order (the report sorts them by gap): the municipality with its
    interval, the national mean (diamond) and the peer mean (triangle)."""
    refs = [Ref(t("legend.national", lang), "diamond", COLOURS["national"]),
            Ref(peer_name, "triangle", COLOURS["peer"])]
    rows = [Row(lab, r.pct, r.ci_low, r.ci_high, [r.national, r.peer])
            for lab, r in zip(labels, caps.itertuples())]
    lo, hi = nice_range(list(caps["ci_low"]) + list(caps["ci_high"]) + list(caps["national"]),
                        pad=2)
    wide, narrow = dot_rows(rows, refs, lang=lang, self_label=name, scale=(lo, hi))
    return wide.html(alt) + narrow.html(alt)


def trend_chart(trend: pd.DataFrame, rounds: Sequence[str], *, lang: str, name: str,
                alt: str) -> str:
    """Maturity per round with intervals and the national mean; rounds without (enough) answers
    leave a gap."""
    tr = trend.set_index("round").reindex(list(rounds))
    values = list(tr["maturity_ci_low"]) + list(tr["maturity_ci_high"]) + list(
        tr["national_maturity"])
    scale = nice_range(values, pad=3)
    series = [
        Series(t("legend.national", lang), list(tr["national_maturity"]), COLOURS["national"],
               "diamond", dash="6 3", width=1.8),
        Series(name, list(tr["maturity_pct"]), COLOURS["self"], "circle",
               low=list(tr["maturity_ci_low"]), high=list(tr["maturity_ci_high"]))]
    return line_chart(list(rounds), series, lang=lang, scale=scale).html(alt)


def position_chart(position: pd.DataFrame, *, lang: str, name: str, peer_name: str,
                   cap_cut: float, leg_cut: float, peer_is_county: bool, alt: str) -> str:
    """Capability (x) against legacy (y) for every shown municipality of the round."""
    roles = []
    for r in position.itertuples():
        role = ("self" if r.is_self else "peer" if r.in_peer else
                "county" if r.in_county and not peer_is_county else "other")
        roles.append((r.capability_pct, r.legacy_pct, role))
    styles = {"other": ("circle", COLOURS["other"], 2.6),
              "county": ("square", COLOURS["county"], 3.6),
              "peer": ("triangle", COLOURS["peer"], 4.0),
              "self": ("diamond", COLOURS["self"], 6.0)}
    labels = {"other": t("legend.all", lang), "peer": peer_name, "self": name}
    if not peer_is_county:
        labels["county"] = t("legend.county", lang)
    vals = list(position["capability_pct"]) + list(position["legacy_pct"])
    lo, hi = nice_range(vals + [cap_cut, leg_cut], pad=2)
    svg = scatter(roles, lang=lang, cuts=(cap_cut, leg_cut), scale=(lo, hi),
                  xlabel=t("axis.capability", lang), ylabel=t("axis.legacy", lang),
                  styles=styles, order=["other", "county", "peer", "self"],
                  legend_labels=labels,
                  corners={k: type_label(k, lang) for k in "ABCD"})
    return svg.html(alt)


def position_table(position: pd.DataFrame, *, lang: str):
    """The peers' (and the municipality's) positions as a table: formatted and raw."""
    p = position[position["is_self"] | position["in_peer"]].sort_values(
        "maturity_pct", ascending=False)
    cols = {t("col.municipality", lang): p["municipality_name"].tolist()}
    table = pd.DataFrame({**cols,
                          t("measure.capability", lang): [fmt.pct(x, lang) for x in
                                                          p["capability_pct"]],
                          t("measure.legacy", lang): [fmt.pct(x, lang) for x in p["legacy_pct"]],
                          t("measure.maturity", lang): [fmt.pct(x, lang) for x in
                                                        p["maturity_pct"]],
                          t("col.type", lang): [type_label(x, lang) for x in p["type"]]})
    raw = pd.DataFrame({**cols, t("measure.capability", lang): p["capability_pct"].round(1),
                        t("measure.legacy", lang): p["legacy_pct"].round(1),
                        t("measure.maturity", lang): p["maturity_pct"].round(1),
                        t("col.type", lang): p["type"].tolist()})
    return table, raw
