"""The national overview's charts (inline SVG): the map of municipalities, the distribution,
types by county, the national trend and the sectors."""

from __future__ import annotations

import pandas as pd

from ..text import fmt
from ..text.catalog import t
from ..text.common import type_label
from .charts import Ref, Row, Series, dot_rows, histogram, line_chart, stacked
from .svg import COLOURS, TYPE_COLOURS, nice_range


def distribution_chart(values, *, lang: str, mean: float, baseline: float, goal: float,
                       alt: str) -> str:
    lines = [(mean, t("legend.national_value", lang, value=fmt.pct(mean, lang, 1)),
              COLOURS["national"], ""),
             (baseline, t("legend.baseline", lang, value=fmt.pct(baseline, lang)),
              COLOURS["group"], "2 3"),
             (goal, t("legend.goal", lang, value=fmt.pct(goal, lang)), COLOURS["target"], "6 3")]
    return histogram(values, lang=lang, lines=lines, axis_label=t("axis.maturity", lang),
                     count_label=t("axis.municipalities", lang)).html(alt)


def types_chart(table: pd.DataFrame, *, lang: str, alt: str) -> str:
    keys = ["A", "B", "C", "D"]
    parts = [[float(r[k]) for k in keys] for _, r in table.iterrows()]
    return stacked(table["county_name"].tolist(), parts, [type_label(k, lang) for k in keys],
                   [TYPE_COLOURS[k] for k in keys], lang=lang).html(alt)


def national_trend_chart(trend: pd.DataFrame, *, lang: str, baseline: float, goal: float,
                         alt: str) -> str:
    rounds = trend["round"].tolist()
    n = len(rounds)
    series = [Series(t("legend.national", lang), trend["mean"].tolist(), COLOURS["national"],
                     "circle", low=trend["ci_low"].tolist(), high=trend["ci_high"].tolist()),
              Series(t("legend.baseline", lang, value=fmt.pct(baseline, lang)), [baseline] * n,
                     COLOURS["group"], "", dash="2 3", width=1.4),
              Series(t("legend.goal", lang, value=fmt.pct(goal, lang)), [goal] * n,
                     COLOURS["target"], "", dash="6 3", width=1.4)]
    scale = nice_range(list(trend["ci_low"]) + list(trend["ci_high"]) + [baseline, goal], pad=2)
    return line_chart(rounds, series, lang=lang, scale=scale).html(alt)


def units_chart(units: pd.DataFrame, national: float, *, lang: str, alt: str) -> str:
    refs = [Ref(t("legend.national", lang), "diamond", COLOURS["national"])]
    rows = [Row(r.unit, r.maturity_pct, r.maturity_ci_low, r.maturity_ci_high, [national])
            for r in units.itertuples()]
    lo, hi = nice_range(list(units["maturity_ci_low"]) + list(units["maturity_ci_high"])
                        + [national], pad=2)
    wide, narrow = dot_rows(rows, refs, lang=lang, self_label=t("legend.unit", lang),
                            scale=(lo, hi), self_colour=COLOURS["county"])
    return wide.html(alt) + narrow.html(alt)
