"""What several reports say: owner forms of names, measure and type labels, intervals, the method
section, reliability, and change between rounds. The honesty rules live here and in the report
modules, where they are tested: a change is called a change only when its interval excludes zero.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..config import ModelConfig
from . import fmt
from .catalog import t, tn


def owner(name: str, lang: str = "sv") -> str:
    """Genitive of a municipality name: ``Karlskogas``, ``Borås``; ``Karlskoga's``."""
    if lang == "en":
        return f"{name}'s"
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def measure(m: str, lang: str) -> str:
    return t(f"measure.{m}", lang)


def type_label(type_: str | None, lang: str) -> str:
    if type_ is None or pd.isna(type_):
        return fmt.MISSING
    return t(f"type.{type_}.label", lang)


def type_description(type_: str, lang: str) -> str:
    return t(f"type.{type_}.description", lang)


def ci_text(lo, hi, lang: str, decimals: int = 0) -> str:
    return fmt.interval(lo, hi, lang, decimals)


def value_ci(x, lo, hi, lang: str, decimals: int = 0, *, ci_level: float) -> str:
    return fmt.with_interval(x, lo, hi, lang, decimals, ci_level=ci_level)


def setting(value, lang: str, *, share: bool = False) -> str:
    """A configuration value in words a reader understands: ``ja``/``yes`` for a flag, numbers
    in the language's format (a ``share`` as a percentage), answer tokens in quotes.

    >>> setting(True, "sv"), setting(2000, "en"), setting(0.05, "sv"), setting(0.5, "sv", share=True)
    ('ja', '2,000', '0,05', '50\xa0%')
    >>> setting(("vet ej", ""), "en")
    '“vet ej”, (empty answer)'
    """
    if isinstance(value, bool):
        return t("setting.yes" if value else "setting.no", lang)
    if isinstance(value, (tuple, list)):
        return ", ".join(t("setting.quoted", lang, text=v) if v else t("setting.empty", lang)
                         for v in value)
    if share:
        return fmt.level(value, lang)
    return fmt.decimal(value, lang)


def _assumption_value(parameter: str, value, lang: str) -> str:
    if parameter == "scale":
        return f"{fmt.integer(value[0], lang)}–{fmt.integer(value[1], lang)}"
    if parameter == "normalisation":
        return t("setting.normalisation", lang, min=fmt.integer(value[0], lang),
                 range=fmt.integer(value[1] - value[0], lang))
    if parameter == "aggregation":
        return t("setting.weighted" if value == "weighted" else "setting.unweighted", lang)
    if parameter == "dimension_weights":
        return ", ".join(f"{measure(k, lang)} {fmt.decimal(v, lang)}" for k, v in value.items())
    if parameter == "type_cutoffs":
        return " / ".join(fmt.pct_exact(v, lang) for v in value)
    if parameter == "intervals":
        method, level, resamples = value
        if method == "bootstrap":
            return tn("setting.intervals.bootstrap", resamples, lang,
                      level=fmt.level(level, lang))
        return t("setting.intervals.jackknife_t", lang, level=fmt.level(level, lang))
    if parameter == "change":
        test, min_linked = value
        return t("setting.change", lang, linked=tn("count.respondents", min_linked, lang),
                 test=t("setting.change.derrick" if test == "derrick"
                        else "setting.change.decomposed", lang))
    if parameter == "claims":
        adjustment, alpha, error = value
        return t(f"setting.claims.{adjustment}", lang, alpha=fmt.decimal(alpha, lang),
                 benchmark=t("setting.claims.benchmark_error" if error
                             else "setting.claims.benchmark_fixed", lang))
    if parameter == "ranks":
        method, level = value
        return t(f"setting.ranks.{method}", lang, level=fmt.level(level, lang))
    if parameter == "small_area":
        below, areas, variance = value
        return t("setting.small_area", lang, respondents=tn("count.respondents", below, lang),
                 areas=tn("count.municipalities", areas, lang),
                 variance=t("setting.small_area.pooled" if variance == "pooled"
                            else "setting.small_area.direct", lang))
    if parameter == "reliability_missing":
        return t("setting.missing.listwise" if value == "listwise" else "setting.missing.pairwise",
                 lang)
    if parameter == "benchmark_weights":
        return t("setting.weights.respondents" if value == "respondents"
                 else "setting.weights.municipalities", lang)
    return setting(value, lang)


def method_table(config: ModelConfig, lang: str) -> pd.DataFrame:
    """Every assumption in force (:meth:`ModelConfig.assumptions`) as a table: the setting's
    name in words (``method.name.<parameter>``), its value in words and what it means
    (``method.assumption.<parameter>``)."""
    rows = config.assumptions()
    return pd.DataFrame({
        t("col.parameter", lang): [t(f"method.name.{r['parameter']}", lang) for r in rows],
        t("col.setting", lang): [_assumption_value(r["parameter"], r["value"], lang)
                                 for r in rows],
        t("col.meaning", lang): [t(f"method.assumption.{r['parameter']}", lang) for r in rows]})


def benchmark_basis(config: ModelConfig, n_municipalities: int, lang: str) -> str:
    """What "the national average" is, in one sentence: the mean of the participating
    municipalities' scores, each once or weighted by respondents (``benchmark_weights``), over
    the municipalities with at least ``min_group_size`` respondents.

    >>> from dimios_lib.config import ModelConfig
    >>> benchmark_basis(ModelConfig(), 203, "en")  # doctest: +NORMALIZE_WHITESPACE
    "The national average is the mean of the 203 participating municipalities' scores, each
    counted once whatever its number of respondents (municipalities with at least 5
    respondents)."
    """
    weighted = config.benchmark_weights == "respondents"
    return tn("method.basis.respondents" if weighted else "method.basis.municipalities",
              n_municipalities, lang,
              minimum=tn("count.respondents", config.min_group_size, lang))


def method_paragraphs(config: ModelConfig, source: str, bank_version: str, version: str,
                      lang: str) -> list[str]:
    """The method section's paragraphs: the model, the benchmark's estimand and who takes part,
    change, privacy, the data and software."""
    min_n = config.min_group_size
    level = fmt.level(config.ci_level, lang)
    intervals = (t("method.intervals.bootstrap", lang, level=level)
                 if config.interval_method == "bootstrap"
                 else t("method.intervals.jackknife_t", lang, level=level))
    weighted = config.benchmark_weights == "respondents"
    return [t("method.plain", lang, low=fmt.integer(config.scale_min, lang),
              high=fmt.integer(config.scale_max, lang)),
            t("method.intro", lang),
            tn("method.benchmark.respondents" if weighted else "method.benchmark.municipalities",
               min_n, lang),
            t("method.participants", lang),
            t("method.change", lang, level=level), intervals,
            t("method.small_area", lang,
              respondents=tn("count.respondents", config.small_area_below, lang)),
            t(f"method.claims.{config.claims_adjustment}", lang,
              alpha=fmt.decimal(config.claims_alpha, lang)),
            t(f"method.ranks.{config.rank_method}", lang, level=level),
            t("method.reliability.listwise" if config.reliability_missing == "listwise"
              else "method.reliability.pairwise", lang),
            tn("method.privacy", min_n, lang),
            t("method.source", lang, source=Path(source).name, bank=bank_version,
              version=version)]


def reliability_table(rel: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The scales' reliability for a reader: alpha and omega of the answers (individual level)
    beside ICC(1) and ICC(2), the reliability of municipality means."""
    return pd.DataFrame({
        t("col.scale", lang): [measure(s, lang) for s in rel["scale"]],
        t("col.items", lang): [fmt.integer(k, lang) for k in rel["k_items"]],
        t("col.respondents", lang): [fmt.integer(k, lang) for k in rel["n_respondents"]],
        t("col.alpha", lang): [fmt.number(a, lang, 2) for a in rel["alpha"]],
        t("col.omega", lang): [fmt.number(w, lang, 2) for w in rel["omega"]],
        t("col.icc1", lang): [fmt.number(x, lang, 2) for x in rel["icc1"]],
        t("col.icc2", lang): [fmt.number(x, lang, 2) for x in rel["icc2"]],
    })


def reliability_warnings(rel: pd.DataFrame, lang: str, threshold: float = 0.7) -> list[str]:
    """Warnings: a scale with alpha below ``threshold``, an omega that rests on a boundary
    solution (Heywood case), municipality means of low reliability (ICC(2) below
    ``threshold``)."""
    out = [t("reliability.low", lang, scale=measure(r.scale, lang),
             alpha=fmt.number(r.alpha, lang, 2))
           for r in rel.itertuples() if pd.notna(r.alpha) and r.alpha < threshold]
    if "heywood" in rel:
        flagged = rel["heywood"].astype("boolean").fillna(False).to_numpy(bool)
        out += [t("reliability.heywood", lang, scale=measure(s, lang))
                for s in rel.loc[flagged, "scale"]]
    if "icc2" in rel:
        out += [t("reliability.icc_low", lang, scale=measure(r.scale, lang),
                  icc2=fmt.number(r.icc2, lang, 2),
                  respondents=fmt.number(r.respondents_per_municipality, lang, 0))
                for r in rel.itertuples() if pd.notna(r.icc2) and r.icc2 < threshold]
    return out


def change_sentence(row, lang: str, *, ci_level: float) -> str:
    """One measure's change, called a change only when the report claims it
    (:func:`dimios_lib.reports.claims.change_direction`: across the report's comparisons, or,
    in a table no family decided, when its interval at ``ci_level`` excludes zero)."""
    m = measure(row.measure, lang)
    frm = fmt.round_label(row.round_from, lang)
    ci = fmt.ci(row.ci_low, row.ci_high, lang, 1, ci_level=ci_level, percent=False, signed=True)
    d = _claims().change_direction(row)
    if d != "none":
        direction = t("verdict.up" if d == "up" else "verdict.down", lang)
        return t("mun.change.sig", lang, measure=m, direction=direction,
                 change=fmt.points(abs(row.change), lang).lstrip("+"), round_from=frm, ci=ci)
    return t("mun.change.nonsig", lang, measure=m, change=fmt.points(row.change, lang),
             round_from=frm, ci=ci)


def verdict(row, lang: str) -> str:
    d = _claims().change_direction(row)
    if d == "none":
        return t("verdict.none", lang)
    return t("verdict.up" if d == "up" else "verdict.down", lang)


def _claims():
    from ..reports import claims

    return claims


def change_table(changes: pd.DataFrame, lang: str, *, ci_level: float) -> pd.DataFrame:
    return pd.DataFrame({
        t("col.dimension", lang): [measure(m, lang) for m in changes["measure"]],
        t("col.round", lang): [f"{fmt.round_label(a, lang)} → {fmt.round_label(b, lang)}"
                               for a, b in zip(changes["round_from"], changes["round_to"])],
        t("col.change", lang): [fmt.points(x, lang) for x in changes["change"]],
        fmt.ci_label(ci_level, lang): [fmt.interval(lo, hi, lang, 1, percent=False, signed=True)
                                       for lo, hi in zip(changes["ci_low"], changes["ci_high"])],
        t("col.verdict", lang): [verdict(r, lang) for r in changes.itertuples()],
    })


def group_name(group, lang: str) -> str:
    """A group's name for a reader: its own name, or for a list of codes given in a report's
    parameters the catalog's word for such a group.

    >>> from dimios_lib.reference.municipalities import resolve_group
    >>> group_name(resolve_group(["1883", "1880"]), "sv"), group_name(resolve_group("county:18"), "en")
    ('Egen grupp', 'Örebro län')
    """
    return t("group.custom", lang) if group.kind == "list" else group.name(lang)


def running_header(name: str, round_label: str, synthetic: bool, lang: str) -> str:
    """The header of every printed page: the report's subject, its round and, for demo data,
    the words SYNTHETIC DATA."""
    return t("print.header.synthetic" if synthetic else "print.header", lang, name=name,
             round=round_label)


GLOSSARY = ("ci", "points", "type", "effect_size", "national", "peer", "rank", "p_value",
            "holm", "ols", "g_av")
"""The glossary's terms (``glossary.<term>.term`` and ``glossary.<term>.text``)."""

GLOSSARY_MUNICIPALITY = ("ci", "points", "type", "national", "peer")
GLOSSARY_GROUP = ("ci", "points", "type", "national", "rank", "p_value")
GLOSSARY_NATIONAL = ("ci", "points", "type", "national")
GLOSSARY_STUDY = ("ci", "effect_size", "g_av", "p_value", "holm", "ols")
GLOSSARY_FOLLOWUP = ("ci", "points", "national")


def glossary(lang: str, terms: tuple[str, ...] = GLOSSARY_MUNICIPALITY) -> list[tuple[str, str]]:
    """Short explanations of the words the reports use: ``(term, explanation)``."""
    return [(t(f"glossary.{k}.term", lang), t(f"glossary.{k}.text", lang)) for k in terms]
