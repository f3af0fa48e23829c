"""The before/after study's charts (inline SVG): each municipality's dimensions before and
after (small multiples) and the difference-in-differences panels."""

from __future__ import annotations

import pandas as pd

from ..text import fmt
from ..text.catalog import t
from .charts import Series, before_after, line_chart, panels
from .svg import COLOURS, nice_range


def profiles_chart(profile: pd.DataFrame, dimension_labels: dict[str, str], *, lang: str,
                   scale: tuple[float, float], alt: str) -> str:
    out = []
    dims = list(dimension_labels)
    for k, name in enumerate(dict.fromkeys(profile["municipality_name"])):
        block = profile[profile["municipality_name"] == name].set_index("dimension").reindex(dims)
        arm = block["arm"].dropna().iloc[0] if block["arm"].notna().any() else ""
        title = t("figure.name_arm", lang, name=name, arm=t(f"arm.{arm}", lang)) if arm else name
        rows = [(dimension_labels[d], block.at[d, "mean_before"], block.at[d, "mean_after"])
                for d in dims]
        svg = before_after(rows, lang=lang, scale=scale, title=title,
                           labels=(t("col.before", lang), t("col.after", lang)))
        out.append(svg.html(alt if k == 0 else title))
    return panels(out, wide=True)


def did_chart(did: pd.DataFrame, dimension_labels: dict[str, str], waves: tuple[str, str], *,
              lang: str, alt: str) -> str:
    values = list(did["treated_before"]) + list(did["treated_after"]) + list(
        did["comparison_before"]) + list(did["comparison_after"])
    scale = nice_range(values, pad=0.2, floor=0, ceil=10)
    scale = (max(0.0, min(values) - 0.3), max(values) + 0.3) if scale[1] - scale[0] > 3 \
        else scale
    out = []
    for k, r in enumerate(did.itertuples()):
        series = [Series(t("legend.treated", lang), [r.treated_before, r.treated_after],
                         COLOURS["self"], "diamond"),
                  Series(t("legend.comparison", lang), [r.comparison_before, r.comparison_after],
                         COLOURS["national"], "circle", dash="6 3")]
        svg = line_chart(list(waves), series, lang=lang, scale=scale, percent=False,
                         title=dimension_labels[r.dimension], width=260, height=170)
        out.append(svg.html(alt if k == 0 else t("std.did.panel_alt", lang,
                                                 dimension=dimension_labels[r.dimension],
                                                 estimate=fmt.number(r.estimate, lang, 2,
                                                                     signed=True))))
    return panels(out)
