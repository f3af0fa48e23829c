"""The words of the before/after study report: the warnings, conclusions and design reasons of
:mod:`dimios_lib.study.verdicts` (codes and numbers) as sentences, and the design, effects,
difference-in-differences, items, reliability and method tables.

The ``*_frame`` functions give the tables ``dimios study --details-dir`` writes, with the
sentences in both languages (columns ``sv`` and ``en``, ``reason_sv`` and ``reason_en``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import fmt
from .catalog import LANGS, t, tn
from .common import setting


def _dim(results, d: str, lang: str) -> str:
    return results.instrument.dimension_label(d, lang)


def _ci(results, lang: str) -> str:
    return fmt.ci_label(results.config.ci_level, lang)


def _names(results) -> dict[str, str]:
    d = results.design
    return dict(zip(d["municipality_code"], d["municipality_name"]))


def _wave(side: str, lang: str) -> str:
    return t("wave.before" if side == "before" else "wave.after", lang)


def _test(code: str, lang: str) -> str:
    """A test across municipalities as a noun phrase: ``the wild cluster bootstrap``."""
    if code == "wild_cluster":
        return t("study.inference.wild_cluster", lang)
    if code == "randomisation":
        return t("study.inference.randomisation", lang)
    raise KeyError(f"no text for the test {code!r}")


def _setting_code(code: str, lang: str) -> str:
    """A coded setting of the study's inference by its name (the method table, the warnings)."""
    if code == "wild_cluster":
        return t("setting.wild_cluster", lang)
    if code == "randomisation":
        return t("setting.randomisation", lang)
    if code == "rademacher":
        return t("setting.rademacher", lang)
    if code == "webb":
        return t("setting.webb", lang)
    if code == "holm":
        return t("setting.holm", lang)
    if code == "fdr_bh":
        return t("setting.fdr_bh", lang)
    raise KeyError(f"no text for the setting {code!r}")


def _prob(x, lang: str) -> str:
    """A smallest possible p: two significant digits and at least two decimals (0.10, 0.031,
    0.00013), three where they are exact (0.125)."""
    if pd.isna(x) or x <= 0:
        return fmt.MISSING
    digits = 1 - int(np.floor(np.log10(x)))
    if abs(round(x, digits) - x) > 1e-12 and abs(round(x, digits + 1) - x) < 1e-12:
        digits += 1
    return fmt.number(x, lang, max(2, digits))


def warning_text(w, results, lang: str) -> str:
    """One :class:`~dimios_lib.study.verdicts.StudyWarning` as a sentence.

    ``results`` (the :class:`~dimios_lib.study.analysis.StudyResults` the warning belongs to)
    gives the municipality names and the instrument's dimension labels.
    """
    v, code = w.values, w.code
    name = _names(results).get(w.municipality_code, w.municipality_code)
    if code == "synthetic":
        return t("study.warning.synthetic", lang)
    if code == "small_group":
        return tn("study.warning.small_group", v["n"], lang, name=name, wave=_wave(w.wave, lang),
                  min_n=fmt.integer(v["min_group_size"], lang))
    if code == "few_respondents":
        return tn("study.warning.few_respondents", v["n"], lang, name=name,
                  wave=_wave(w.wave, lang))
    if code == "partial_overlap":
        return t("study.warning.partial_overlap", lang, name=name,
                 matched=fmt.integer(v["n_matched"], lang),
                 before=fmt.integer(v["n_before"], lang), after=fmt.integer(v["n_after"], lang))
    if code == "sensitivity_disagrees":
        return t("study.warning.sensitivity_disagrees", lang, name=name,
                 dimension=_dim(results, w.dimension, lang))
    if code == "scores_missing":
        return tn("study.warning.scores_missing", v["n"], lang,
                  share=fmt.pct(100 * v["min_item_share"], lang))
    if code == "random_effects":
        return tn("study.warning.random_effects", v["n_municipalities"], lang)
    if code == "few_clusters" and w.arm is not None:
        return tn("study.warning.few_clusters_pooled", v["n_clusters"], lang,
                  group=t("group.treated" if w.arm == "treated" else "group.comparison", lang))
    if code == "few_clusters":
        return tn("study.warning.few_clusters_municipalities", v["n_municipalities"], lang,
                  treated=fmt.integer(v["n_treated"], lang),
                  comparison=fmt.integer(v["n_comparison"], lang),
                  min_clusters=fmt.integer(v["min_clusters"], lang),
                  primary=_test(v["inference"], lang), confirm=_test(v["confirm"], lang),
                  dimensions=fmt.integer(v["n_dimensions"], lang),
                  adjustment=_setting_code(v["adjustment"], lang),
                  weights=_setting_code(v["weights"], lang),
                  draws=fmt.integer(v["wild_draws"], lang), min_wild_p=_prob(v["min_wild_p"], lang),
                  assignments=fmt.integer(v["n_assignments"], lang),
                  min_p=_prob(v["min_permutation_p"], lang))
    if code == "did_bound":
        return tn("study.warning.did_bound", v["n_municipalities"], lang,
                  primary=_test(v["inference"], lang),
                  dimensions=fmt.integer(v["n_dimensions"], lang),
                  adjustment=_setting_code(v["adjustment"], lang),
                  alpha=fmt.pct(100 * v["alpha"], lang), min_p=_prob(v["min_p_adjusted"], lang))
    if code == "no_comparison":
        return t("study.warning.no_comparison", lang)
    if code == "parallel_trends":
        return t("study.warning.parallel_trends", lang)
    if code == "unreliable_scale":
        return t("study.warning.unreliable_scale", lang, dimension=_dim(results, w.dimension, lang),
                 wave=_wave(w.wave, lang), alpha=fmt.number(v["alpha"], lang, 2),
                 threshold=fmt.number(v["min_reliability"], lang, 2))
    if code == "ordinal_failed":
        return tn("study.warning.ordinal_failed", len(v["items"]), lang,
                  items=fmt.join(list(v["items"]), lang))
    raise KeyError(f"no text for the study warning {code!r}")


def std_warnings(results, lang: str) -> list[str]:
    """Every warning as a sentence, except ``synthetic`` (the report says that in a note)."""
    return [warning_text(w, results, lang) for w in results.warnings if w.code != "synthetic"]


def warnings_frame(results) -> pd.DataFrame:
    """The warnings as a table: ``code, municipality_code, dimension, sv, en``."""
    return pd.DataFrame([{"code": w.code, "municipality_code": w.municipality_code,
                          "dimension": w.dimension,
                          **{lang: warning_text(w, results, lang) for lang in LANGS}}
                         for w in results.warnings],
                        columns=["code", "municipality_code", "dimension", *LANGS])


def conclusion_text(row, results, lang: str) -> str:
    """One row of ``results.conclusions`` as a sentence, as strong as its ``level``."""
    label = _dim(results, row.dimension, lang)
    up = row.estimate >= 0
    words = {"dim": label, "dim_lower": label.lower(),
             "verb": t("study.verb.up" if up else "study.verb.down", lang),
             "did": t("study.did.up" if up else "study.did.down", lang)}
    level, alpha = row.level, results.config.alpha
    primary = results.config.did_inference
    confirm = "randomisation" if primary == "wild_cluster" else "wild_cluster"
    tests = {"primary": _test(primary, lang), "confirm": _test(confirm, lang),
             "p": _p(row.p_adjusted, lang),
             "p2": _p(row.permutation_p_adjusted if confirm == "randomisation"
                      else row.wild_p_adjusted, lang)}
    n = int(row.n_municipalities) if pd.notna(row.n_municipalities) else 0
    if level == "did_supported":
        return t("study.conclusion.did_supported", lang, **words, **tests)
    if level == "did_suggestive" and row.confirm_min_p_adjusted > alpha:
        return tn("study.conclusion.did_suggestive_design", n, lang, **words, **tests,
                  alpha=fmt.pct(100 * alpha, lang), min_p=_prob(row.confirm_min_p_adjusted, lang))
    if level == "did_suggestive":
        return t("study.conclusion.did_suggestive", lang, **words, **tests)
    if level == "change_not_attributable" and row.min_p_adjusted > alpha:
        return tn("study.conclusion.change_not_attributable_design", n, lang, **words,
                  primary=tests["primary"], alpha=fmt.pct(100 * alpha, lang),
                  min_p=_prob(row.min_p_adjusted, lang))
    if level == "change_not_attributable":
        return t("study.conclusion.change_not_attributable", lang, **words)
    if level == "change_without_comparison":
        return t("study.conclusion.change_without_comparison", lang, **words)
    if level == "no_clear_change":
        return t("study.conclusion.no_clear_change", lang, **words)
    if level == "insufficient_data":
        return t("study.conclusion.insufficient_data", lang, **words)
    raise KeyError(f"no text for the conclusion level {level!r}")


def std_conclusions(results, lang: str) -> list[str]:
    """One sentence per dimension (each conclusion names its dimension, so no label is put in
    front of it: not "Syfte: Syfte utvecklades …")."""
    return [conclusion_text(r, results, lang) for r in results.conclusions.itertuples()]


def conclusions_frame(results) -> pd.DataFrame:
    """The conclusions as a table: ``dimension, level, estimate, ci_low, ci_high, p_adjusted,
    permutation_p, inference, wild_p_adjusted, permutation_p_adjusted, sv, en``
    (``inference``: what the level rests on, ``wild_cluster``, ``randomisation`` or
    ``respondents``; ``p_adjusted`` is that test's)."""
    c = results.conclusions
    out = c[["dimension", "level", "estimate", "ci_low", "ci_high", "p_adjusted",
             "permutation_p", "inference", "wild_p_adjusted", "permutation_p_adjusted"]].copy()
    for lang in LANGS:
        out[lang] = [conclusion_text(r, results, lang) for r in c.itertuples()]
    return out


def reason_text(overlap: str, n_matched: int, lang: str) -> str:
    """Why a municipality's design was chosen: its ``overlap`` code and ``n_matched``."""
    if overlap == "full":
        return t("study.reason.full", lang)
    if overlap == "none":
        return t("study.reason.none", lang)
    if overlap == "partial":
        return tn("study.reason.partial", int(n_matched), lang)
    raise KeyError(f"no text for the overlap {overlap!r}")


def design_frame(results) -> pd.DataFrame:
    """``results.design`` with the reason for each design in ``reason_sv`` and ``reason_en``."""
    d = results.design.copy()
    for lang in LANGS:
        d[f"reason_{lang}"] = [reason_text(o, n, lang)
                               for o, n in zip(d["overlap"], d["n_matched"])]
    return d


def method_label(code, lang: str) -> str:
    """The test behind a row of the study table (its method code) in words."""
    from ..study.analysis import POOLED_TEST
    from ..study.compare import INDEPENDENT_TEST, PAIRED_TEST

    if not isinstance(code, str):
        return fmt.MISSING
    if code == PAIRED_TEST:
        return t("study.test.paired", lang)
    if code == INDEPENDENT_TEST:
        return t("study.test.independent", lang)
    if code == POOLED_TEST:
        return t("study.test.pooled", lang)
    raise KeyError(f"no text for the test {code!r}")


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
        t("col.reason", lang): [reason_text(o, n, lang) for o, n in zip(d["overlap"],
                                                                         d["n_matched"])],
    })


def _p(x, lang: str) -> str:
    if pd.isna(x):
        return fmt.MISSING
    return f"< {fmt.number(0.001, lang, 3)}" if x < 0.001 else fmt.number(x, lang, 3)


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
        t("col.difference", lang, ci=_ci(results, lang)): [
            f"{fmt.number(x, lang, 2, signed=True)} "
            f"({fmt.interval(lo, hi, lang, 2, percent=False, signed=True)})"
            for x, lo, hi in zip(tab["mean_diff"], tab["mean_diff_ci_low"],
                                 tab["mean_diff_ci_high"])],
        t("col.g", lang, ci=_ci(results, lang)): [f"{fmt.number(g, lang, 2, signed=True)} "
                           f"({fmt.interval(lo, hi, lang, 2, percent=False, signed=True)})"
                           for g, lo, hi in zip(tab["effect_size"], tab["ci_low"],
                                                tab["ci_high"])],
        t("col.p_adj", lang): [_p(x, lang) for x in tab["p_adjusted"]],
        t("col.test", lang): [method_label(x, lang) for x in tab["test"]],
    })


def std_did_table(results, lang: str) -> pd.DataFrame:
    """Per dimension: the changes of both arms, the difference-in-differences with the wild
    cluster bootstrap's interval, the adjusted p of both tests across municipalities and, for
    transparency, the respondent-level one."""
    d = results.did
    return pd.DataFrame({
        t("col.dimension", lang): [_dim(results, x, lang) for x in d["dimension"]],
        t("col.change_treated", lang): [fmt.number(x, lang, 2, signed=True)
                                        for x in d["treated_change"]],
        t("col.change_comparison", lang): [fmt.number(x, lang, 2, signed=True)
                                           for x in d["comparison_change"]],
        t("col.did", lang, ci=_ci(results, lang)): [f"{fmt.number(e, lang, 2, signed=True)} "
                             f"({fmt.interval(lo, hi, lang, 2, percent=False, signed=True)})"
                             for e, lo, hi in zip(d["estimate"], d["wild_ci_low"],
                                                  d["wild_ci_high"])],
        t("col.wild_p", lang): [_p(x, lang) for x in d["wild_p_adjusted"]],
        t("col.perm_p", lang): [_p(x, lang) for x in d["permutation_p_adjusted"]],
        t("col.resp_p", lang): [_p(x, lang) for x in d["p_adjusted"]],
    })


def std_items_text(results, lang: str) -> str:
    """How many items changed clearly (adjusted p below the study's ``alpha``)."""
    it = results.items
    alpha = results.config.alpha
    return tn("std.items.text", len(it), lang, alpha=fmt.decimal(alpha, lang),
              k=fmt.integer(int((it["p_adjusted"] < alpha).sum()), lang))


def std_items_table(results, lang: str) -> pd.DataFrame:
    it = results.items
    return pd.DataFrame({
        t("col.item", lang): it[f"label_{lang}"].tolist(),
        t("col.dimension", lang): [_dim(results, x, lang) for x in it["dimension"]],
        t("col.or", lang, ci=_ci(results, lang)): [
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


#: StudyConfig settings that are shares (printed as percentages), numbers printed as given, and
#: codes printed by their names.
_SHARES, _CODES = ("ci_level", "min_item_share"), ("seed",)
_NAMED = ("did_inference", "did_weights", "did_adjustment")


def std_method_table(results, lang: str) -> pd.DataFrame:
    """Every setting of the study's configuration: its name in words
    (``method.study_name.<parameter>``), its value in words and what it means
    (``method.study.<parameter>``)."""
    from dataclasses import fields

    cfg = results.config
    names = [f.name for f in fields(cfg)]
    values = [str(getattr(cfg, n)) if n in _CODES else
              _setting_code(getattr(cfg, n), lang) if n in _NAMED else
              setting(getattr(cfg, n), lang, share=n in _SHARES) for n in names]
    return pd.DataFrame({t("col.parameter", lang): [t(f"method.study_name.{n}", lang)
                                                    for n in names],
                         t("col.setting", lang): values,
                         t("col.meaning", lang): [t(f"method.study.{n}", lang) for n in names]})


def std_profile_table(profile: pd.DataFrame, dimension_labels: dict[str, str],
                      lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The before/after chart's data: each municipality's dimension means before and after."""
    p = profile
    table_ = pd.DataFrame({
        t("col.municipality", lang): p["municipality_name"].tolist(),
        t("col.dimension", lang): [dimension_labels[d] for d in p["dimension"]],
        t("col.before", lang): [fmt.number(x, lang, 2) for x in p["mean_before"]],
        t("col.after", lang): [fmt.number(x, lang, 2) for x in p["mean_after"]],
        t("col.change", lang): [fmt.number(x, lang, 2, signed=True) for x in p["mean_diff"]]})
    raw = pd.DataFrame({
        t("col.municipality", lang): p["municipality_name"].tolist(),
        t("col.dimension", lang): [dimension_labels[d] for d in p["dimension"]],
        t("col.before", lang): p["mean_before"].round(3).tolist(),
        t("col.after", lang): p["mean_after"].round(3).tolist(),
        t("col.change", lang): p["mean_diff"].round(3).tolist()})
    return table_, raw
