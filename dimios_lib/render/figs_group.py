"""The group comparison's charts (inline SVG): the ranking with intervals and the trend, as one
chart for a few members or as small multiples (one panel per member, the group and national
means in each) for more."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..text.catalog import t
from ..text.common import owner
from .charts import Ref, Row, Series, dot_rows, line_chart, panels, style
from .svg import COLOURS, nice_range

MAX_LINES = 4
"""More members than this are drawn as small multiples."""


def ranking_chart(latest: pd.DataFrame, national: float, *, lang: str, alt: str,
                  self_label: str) -> str:
    refs = [Ref(t("legend.national", lang), "diamond", COLOURS["national"])]
    rows = [Row(r.municipality_name, r.maturity_pct, r.maturity_ci_low, r.maturity_ci_high,
                [national]) for r in latest.itertuples()]
    lo, hi = nice_range(list(latest["maturity_ci_low"]) + list(latest["maturity_ci_high"])
                        + [national], pad=2)
    wide, narrow = dot_rows(rows, refs, lang=lang, self_label=self_label, scale=(lo, hi))
    return wide.html(alt) + narrow.html(alt)


def trend_chart(members: dict[str, pd.Series], group: pd.Series, national: pd.Series,
                rounds: Sequence[str], *, lang: str, alt: str, group_label: str,
                counts: Sequence[int] | None = None) -> str:
    """Each member's maturity over the rounds with the group and national means; rounds without
    a result leave a gap; ``counts`` (members behind each group mean) are shown when given."""
    values = [v for s in members.values() for v in s] + list(group) + list(national)
    scale = nice_range(values, pad=3)
    gs = Series(group_label, list(group.reindex(rounds)), COLOURS["group"], "square", dash="6 3",
                counts=counts, width=2.4)
    ns = Series(t("legend.national", lang), list(national.reindex(rounds)), COLOURS["national"],
                "diamond", dash="2 3", width=1.8)
    if len(members) <= MAX_LINES:
        series = []
        for i, (name, s) in enumerate(members.items()):
            colour, shape, dash = style(i + 2)
            series.append(Series(name, list(s.reindex(rounds)), colour, shape, dash=dash))
        return line_chart(rounds, [*series, gs, ns], lang=lang, scale=scale).html(alt)
    charts = []
    for k, (name, s) in enumerate(members.items()):
        me = Series(name, list(s.reindex(rounds)), COLOURS["self"], "circle", width=2.4)
        svg = line_chart(rounds, [me, gs, ns], lang=lang, scale=scale, width=280, height=170)
        charts.append(svg.html(t("grp.trend.panel_alt", lang, owner=owner(name, lang)) if k
                               else alt))
    return panels(charts)
