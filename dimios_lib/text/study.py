"""The words of the before/after study report: design, effects, difference-in-differences, items
and reliability tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import fmt
from .catalog import t


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
