"""Report figures: colour-blind-safe, with redundant encodings, labelled in the report language.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies); every series
also differs in marker shape or hatch pattern and is labelled directly or in a legend, so no
figure depends on colour alone. Each function returns a matplotlib ``Figure``; its alt text is
written by :mod:`dimios_lib.text.common` from the same numbers, and :func:`dimios_lib.render.blocks.figure`
embeds both.

Figures are drawn with the non-interactive Agg backend and an explicit style, so a report looks
the same in any kernel and one report's figure settings never leak into the next.
"""

from __future__ import annotations

from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..text import fmt
from ..text.catalog import t
from ..text.common import type_label

matplotlib.use("Agg")


OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
             "purple": "#CC79A7", "grey": "#999999"}


TYPE_STYLE = {"A": (OKABE_ITO["vermillion"], "///"), "B": (OKABE_ITO["orange"], "\\\\\\"),
              "C": (OKABE_ITO["sky"], "..."), "D": (OKABE_ITO["green"], "")}


MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "p", "h", "*", "d"]


CYCLE = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky",
                                "black", "yellow")]


STYLE: dict[str, Any] = {
    "figure.dpi": 100, "font.size": 9.5, "axes.titlesize": 10.5, "axes.labelsize": 9.5,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
    "grid.color": "#dddddd", "grid.linewidth": 0.6, "legend.frameon": False,
    "font.family": "DejaVu Sans", "svg.fonttype": "none"}


def _fig(width: float = 7.0, height: float = 4.2):
    plt.rcdefaults()
    plt.style.use(STYLE)
    return plt.subplots(figsize=(width, height), layout="constrained")


def quadrant(position: pd.DataFrame, *, name: str, peer_name: str, cap_cut: float,
             leg_cut: float, lang: str, peer_is_county: bool = False):
    """Capability (x) against legacy (y) for every municipality of a round, one highlighted."""
    fig, ax = _fig(6.6, 5.2)
    others = position[~position["is_self"]]
    ax.scatter(others["capability_pct"], others["legacy_pct"], s=14, c=OKABE_ITO["grey"],
               marker="o", alpha=0.55, linewidths=0, label=t("legend.all", lang))
    county = others[others["in_county"] & ~others["in_peer"]]
    if len(county) and not peer_is_county:
        ax.scatter(county["capability_pct"], county["legacy_pct"], s=34, c=OKABE_ITO["sky"],
                   marker="s", edgecolors="black", linewidths=0.4, label=t("legend.county", lang))
    peers = others[others["in_peer"]]
    if len(peers):
        label = (t("legend.county", lang) if peer_is_county
                 else t("legend.peer_named", lang, name=peer_name))
        ax.scatter(peers["capability_pct"], peers["legacy_pct"], s=42, c=OKABE_ITO["orange"],
                   marker="^", edgecolors="black", linewidths=0.4, label=label)
    me = position[position["is_self"]]
    ax.scatter(me["capability_pct"], me["legacy_pct"], s=120, c=OKABE_ITO["vermillion"],
               marker="D", edgecolors="black", linewidths=0.9, label=name, zorder=5)
    for r in me.itertuples():
        ax.annotate(name, (r.capability_pct, r.legacy_pct), xytext=(8, 6),
                    textcoords="offset points", fontweight="bold", zorder=6)
    ax.axvline(cap_cut, color="black", lw=0.8)
    ax.axhline(leg_cut, color="black", lw=0.8)
    lo = min(20.0, np.nanmin(position[["capability_pct", "legacy_pct"]].to_numpy()) - 3)
    hi = max(80.0, np.nanmax(position[["capability_pct", "legacy_pct"]].to_numpy()) + 3)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    for ty, (x, y, ha, va) in {"A": (lo + 1, lo + 1, "left", "bottom"),
                               "B": (hi - 1, lo + 1, "right", "bottom"),
                               "C": (lo + 1, hi - 1, "left", "top"),
                               "D": (hi - 1, hi - 1, "right", "top")}.items():
        ax.text(x, y, type_label(ty, lang), ha=ha, va=va, fontsize=10, color="#444444",
                fontweight="bold")
    ax.set_xlabel(t("axis.capability", lang))
    ax.set_ylabel(t("axis.legacy", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    return fig


def profile(categories: pd.DataFrame, labels: list[str], *, lang: str, peer_name: str,
            name: str):
    """Category results with intervals against national and peer means (one row per category)."""
    n = len(categories)
    fig, ax = _fig(7.0, 0.55 * n + 1.6)
    y = np.arange(n)[::-1]
    c = categories
    ax.errorbar(c["pct"], y, xerr=[c["pct"] - c["ci_low"], c["ci_high"] - c["pct"]], fmt="o",
                color=OKABE_ITO["black"], ms=7, capsize=3, label=name, zorder=4)
    ax.scatter(c["national"], y + 0.18, marker="D", s=36, color=OKABE_ITO["blue"],
               label=t("legend.national", lang), zorder=3)
    ax.scatter(c["peer"], y - 0.18, marker="^", s=40, color=OKABE_ITO["orange"],
               edgecolors="black", linewidths=0.4, label=t("legend.peer_named", lang, name=peer_name),
               zorder=3)
    for yi, v, lo in zip(y, c["pct"], c["ci_low"]):
        ax.annotate(fmt.pct(v, lang), (lo, yi), xytext=(-6, 0), textcoords="offset points",
                    ha="right", va="center", fontsize=8.5)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("axis.percent", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3)
    return fig


def trend(rounds: list[str], value, low, high, national, *, lang: str, name: str):
    """A municipality's maturity per round (with intervals) and the national mean."""
    fig, ax = _fig(7.0, 3.6)
    x = np.arange(len(rounds))
    value, low, high = (np.asarray(v, float) for v in (value, low, high))
    ax.errorbar(x, value, yerr=[value - low, high - value], fmt="-o", color=OKABE_ITO["vermillion"],
                ms=7, capsize=3, label=name)
    ax.plot(x, np.asarray(national, float), "--D", color=OKABE_ITO["blue"], ms=5,
            label=t("legend.national", lang))
    if len(x):
        ax.annotate(name, (x[-1], value[-1]), xytext=(8, 0), textcoords="offset points",
                    va="center", color=OKABE_ITO["vermillion"], fontweight="bold")
    ax.set_xticks(x, [fmt.round_label(r, lang) for r in rounds])
    ax.set_xlim(-0.5, len(x) - 0.2)
    ax.set_ylim(0, 100)
    ax.set_ylabel(t("axis.maturity", lang))
    ax.legend(loc="lower left", ncol=2)
    return fig


def intervals(labels: list[str], value, low, high, *, lang: str, reference: float | None = None,
              reference_label: str = "", xlabel: str | None = None):
    """An interval (forest) plot, first row at the top, with an optional dashed reference line."""
    n = len(labels)
    fig, ax = _fig(7.0, 0.42 * n + 1.4)
    y = np.arange(n)[::-1]
    value, low, high = (np.asarray(v, float) for v in (value, low, high))
    ax.errorbar(value, y, xerr=[value - low, high - value], fmt="o", color=OKABE_ITO["blue"],
                ms=6, capsize=3)
    for yi, v, h in zip(y, value, high):
        ax.annotate(fmt.pct(v, lang), (h, yi), xytext=(5, 0), textcoords="offset points",
                    va="center", fontsize=8.5)
    if reference is not None and not np.isnan(reference):
        ax.axvline(reference, ls="--", color=OKABE_ITO["black"], lw=1)
        ax.annotate(reference_label, (reference, n - 0.4), xytext=(3, 0),
                    textcoords="offset points", fontsize=8.5)
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.7, n - 0.1)
    ax.set_xlabel(xlabel or t("axis.maturity", lang))
    return fig


def lines(series: dict[str, pd.Series], rounds: list[str], *, lang: str,
          emphasis: dict[str, str] | None = None):
    """Several series over rounds with distinct markers and direct labels at their last point.

    ``emphasis`` maps series names to a colour and draws them thicker (group and national
    means); the others cycle through the palette.
    """
    fig, ax = _fig(7.2, 4.4)
    x = np.arange(len(rounds))
    emphasis = emphasis or {}
    for k, (label, s) in enumerate(series.items()):
        s = s.reindex(rounds)
        ys = s.to_numpy(float)
        ok = ~np.isnan(ys)
        if not ok.any():
            continue
        strong = label in emphasis
        ax.plot(x[ok], ys[ok], ls="--" if strong else "-", marker=MARKERS[k % len(MARKERS)],
                color=emphasis.get(label, CYCLE[k % len(CYCLE)]), lw=2.4 if strong else 1.2,
                ms=6 if strong else 4.5, label=label)
        last = np.flatnonzero(ok)[-1]
        ax.annotate(label, (x[last], ys[last]), xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize=8, fontweight="bold" if strong else "normal")
    ax.set_xticks(x, [fmt.round_label(r, lang) for r in rounds])
    ax.set_xlim(-0.3, len(x) + 0.6)
    ax.set_ylabel(t("axis.maturity", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=4, fontsize=8)
    return fig


def histogram(values, *, lang: str, mean: float, baseline: float, goal: float):
    """Distribution of municipality maturity with the mean and the published reference lines."""
    fig, ax = _fig(7.0, 3.8)
    v = np.asarray(values, float)
    ax.hist(v[~np.isnan(v)], bins=np.arange(0, 101, 2.5), color=OKABE_ITO["sky"],
            edgecolor="black", linewidth=0.5)
    for x, style, label in ((mean, "-", t("legend.national_value", lang,
                                          value=fmt.pct(mean, lang, 1))),
                            (baseline, ":", t("legend.baseline", lang, value=fmt.pct(baseline, lang))),
                            (goal, "--", t("legend.goal", lang, value=fmt.pct(goal, lang)))):
        ax.axvline(x, ls=style, color=OKABE_ITO["black"], lw=1.4, label=label)
    finite = v[~np.isnan(v)]
    if finite.size:
        ax.set_xlim(max(0, finite.min() - 10), min(100, finite.max() + 10))
    ax.set_xlabel(t("axis.maturity", lang))
    ax.set_ylabel(t("axis.municipalities", lang))
    ax.legend(loc="upper left", fontsize=8)
    return fig


def types_by_county(table: pd.DataFrame, *, lang: str):
    """Stacked horizontal bars of type counts per county, colour plus hatch per type."""
    n = len(table)
    fig, ax = _fig(7.2, 0.3 * n + 1.6)
    y = np.arange(n)[::-1]
    left = np.zeros(n)
    for ty, (colour, hatch) in TYPE_STYLE.items():
        vals = table[ty].to_numpy(float)
        ax.barh(y, vals, left=left, color=colour, hatch=hatch, edgecolor="black", linewidth=0.4,
                label=type_label(ty, lang))
        left += vals
    ax.set_yticks(y, table["county_name"].tolist())
    ax.set_xlabel(t("axis.municipalities", lang))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", ncol=4, bbox_to_anchor=(1, 1.0))
    return fig


def national_trend(trend: pd.DataFrame, *, lang: str, baseline: float, goal: float):
    """National mean maturity per round with intervals and the baseline and goal lines."""
    fig, ax = _fig(7.0, 3.6)
    x = np.arange(len(trend))
    m, lo, hi = (trend[c].to_numpy(float) for c in ("mean", "ci_low", "ci_high"))
    ax.errorbar(x, m, yerr=[m - lo, hi - m], fmt="-o", color=OKABE_ITO["blue"], capsize=3, ms=6,
                label=t("legend.national", lang))
    for v, style, label in ((baseline, ":", t("legend.baseline", lang, value=fmt.pct(baseline, lang))),
                            (goal, "--", t("legend.goal", lang, value=fmt.pct(goal, lang)))):
        ax.axhline(v, ls=style, color=OKABE_ITO["black"], lw=1.2)
        ax.annotate(label, (x[-1] if len(x) else 0, v), xytext=(6, 2), textcoords="offset points",
                    fontsize=8.5)
    ax.set_xticks(x, [fmt.round_label(r, lang) for r in trend["round"]])
    ax.set_xlim(-0.4, len(x) + 0.8)
    ax.set_ylim(min(40, np.nanmin(lo) - 3), max(60, np.nanmax(hi) + 3))
    ax.set_ylabel(t("axis.maturity", lang))
    ax.legend(loc="lower left")
    return fig


def before_after(profile: pd.DataFrame, dimension_labels: dict[str, str], *, lang: str,
                 scale: tuple[float, float]):
    """Small multiples, one per municipality: each dimension's mean before (open circle) and
    after (filled diamond), joined by an arrow."""
    names = list(dict.fromkeys(profile["municipality_name"]))
    n = len(names)
    cols = min(3, max(1, n))
    rows = -(-n // cols)
    plt.rcdefaults()
    plt.style.use(STYLE)
    fig, axes = plt.subplots(rows, cols, figsize=(2.6 * cols + 1.2, 0.5 * len(dimension_labels)
                                                  * rows + 1.4 * rows), squeeze=False,
                             sharex=True, sharey=True, layout="constrained")
    dims = list(dimension_labels)
    y = np.arange(len(dims))[::-1]
    for ax, name in zip(axes.ravel(), names):
        block = profile[profile["municipality_name"] == name].set_index("dimension").reindex(dims)
        for yi, (b, a) in zip(y, zip(block["mean_before"], block["mean_after"])):
            if np.isnan(b) or np.isnan(a):
                continue
            ax.annotate("", (a, yi), (b, yi), arrowprops={"arrowstyle": "->", "lw": 1.2,
                                                           "color": OKABE_ITO["grey"]})
        ax.scatter(block["mean_before"], y, marker="o", s=40, facecolors="white",
                   edgecolors=OKABE_ITO["blue"], linewidths=1.5, label=t("col.before", lang),
                   zorder=3)
        ax.scatter(block["mean_after"], y, marker="D", s=40, color=OKABE_ITO["vermillion"],
                   label=t("col.after", lang), zorder=4)
        arm = block["arm"].dropna().iloc[0] if block["arm"].notna().any() else ""
        ax.set_title(t("figure.name_arm", lang, name=name, arm=t(f"arm.{arm}", lang)) if arm
                     else name)
        ax.set_yticks(y, [dimension_labels[d] for d in dims])
        ax.set_xlim(scale)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    axes.ravel()[0].legend(loc="lower left", fontsize=8)
    return fig


def did_panels(did: pd.DataFrame, dimension_labels: dict[str, str], waves: tuple[str, str], *,
               lang: str):
    """One small chart per dimension: treated and comparison means before and after."""
    n = len(did)
    cols = min(4, n)
    plt.rcdefaults()
    plt.style.use(STYLE)
    fig, axes = plt.subplots(1, cols, figsize=(2.0 * cols + 1.0, 3.0), squeeze=False,
                             sharey=True, layout="constrained")
    for ax, r in zip(axes.ravel(), did.itertuples()):
        ax.plot([0, 1], [r.treated_before, r.treated_after], "-D", color=OKABE_ITO["vermillion"],
                label=t("legend.treated", lang))
        ax.plot([0, 1], [r.comparison_before, r.comparison_after], "--o",
                color=OKABE_ITO["blue"], mfc="white", label=t("legend.comparison", lang))
        ax.set_title(dimension_labels[r.dimension])
        ax.set_xticks([0, 1], [fmt.round_label(w, lang) for w in waves], fontsize=8)
        ax.set_xlim(-0.3, 1.3)
    axes.ravel()[0].legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=8)
    return fig


def funnel(table: pd.DataFrame, labels: list[str], *, lang: str):
    """Horizontal bars of initiatives reaching each stage, with count and conversion labels."""
    n = len(table)
    fig, ax = _fig(7.0, 0.42 * n + 1.2)
    y = np.arange(n)[::-1]
    ax.barh(y, table["reached"], color=OKABE_ITO["blue"], edgecolor="black", linewidth=0.5,
            hatch="//")
    for yi, v, c in zip(y, table["reached"], table["conversion"]):
        label = fmt.integer(v, lang) + ("" if np.isnan(c) else f" ({fmt.pct(c, lang)})")
        ax.annotate(label, (v, yi), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize=8.5)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, max(1, table["reached"].max()) * 1.25)
    ax.set_xlabel(t("col.initiatives", lang))
    ax.grid(axis="y", visible=False)
    return fig
