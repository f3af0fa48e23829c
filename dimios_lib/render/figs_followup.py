"""The programme follow-up's charts (inline SVG): the funnel of the development process and a
scorecard per municipality (each measured KPI's progress from its baseline to its target)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..text import fmt
from ..text.catalog import t
from .charts import Ref, Row, bars, dot_rows, panels
from .svg import COLOURS


def funnel_chart(table: pd.DataFrame, labels: Sequence[str], *, lang: str, alt: str) -> str:
    values = [float(v) for v in table["reached"]]
    texts = [fmt.integer(v, lang) + ("" if np.isnan(c) else f" ({fmt.pct(c, lang)})")
             for v, c in zip(table["reached"], table["conversion"])]
    return bars(list(labels), values, texts, colour=COLOURS["national"],
                axis_label=t("col.initiatives", lang)).html(alt)


def scorecards(cards: Sequence[tuple[str, str, list[tuple[str, float]]]], *, lang: str,
               alt: str) -> str:
    """One panel per municipality: its measured KPIs' progress (0 % = baseline, 100 % = target,
    marked by a diamond); a municipality without measured KPIs gets a panel saying so."""
    target = [Ref(t("legend.target", lang), "diamond", COLOURS["target"])]
    values = [p for _, _, rows in cards for _, p in rows]
    scale = (float(min([0.0] + [np.floor(v / 25) * 25 for v in values])),
             float(np.ceil(max([100.0] + values) / 25) * 25))
    out = []
    for k, (name, line, rows) in enumerate(cards):
        body = [Row(title, p, refs=[100.0]) for title, p in rows]
        _, narrow = dot_rows(body, target, lang=lang, self_label=t("legend.measured", lang),
                             scale=scale, title=f"{name}: {line}")
        narrow.cls = ""
        out.append(narrow.html(alt if k == 0 else f"{name}: {line}"))
    return panels(out, wide=True)
