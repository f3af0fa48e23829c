"""What a study's results allow one to say: warnings where the design cannot carry a claim, the
reason for each municipality's design, and one conclusion per dimension as strong as the
evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class StudyWarning:
    """A plain-language warning where the design cannot carry a claim, in Swedish and English."""

    code: str
    sv: str
    en: str
    municipality_code: str | None = None
    dimension: str | None = None

    def text(self, lang: str = "sv") -> str:
        return self.sv if lang == "sv" else self.en


def _num(x: float, lang: str, decimals: int = 2) -> str:
    from babel.numbers import format_decimal

    pattern = "0." + "0" * decimals if decimals else "0"
    return format_decimal(x, format=pattern, locale="sv_SE" if lang == "sv" else "en_GB")


_REASONS = {
    "full": ("Alla svarande besvarade båda mätningarna: parat t-test och Wilcoxons "
             "teckenrangtest.",
             "Every respondent answered both waves: paired t-test and Wilcoxon signed-rank test."),
    "none": ("Ingen svarande besvarade båda mätningarna: Welchs t-test, Mann–Whitney och "
             "Brunner–Munzel på oberoende grupper.",
             "No respondent answered both waves: Welch t-test, Mann–Whitney and Brunner–Munzel "
             "on independent groups."),
    "partial": ("{n} av de svarande besvarade båda mätningarna: huvudanalysen behandlar "
                "mätningarna som oberoende grupper (alla svarande); de {n} matchade analyseras "
                "parat som känslighetsanalys.",
                "{n} respondents answered both waves: the main analysis treats the waves as "
                "independent groups (everyone); the {n} matched respondents are analysed paired "
                "as a sensitivity check."),
}


def _with_reasons(design: pd.DataFrame) -> pd.DataFrame:
    design = design.copy()
    design["reason_sv"] = [_REASONS[o][0].format(n=n)
                           for o, n in zip(design["overlap"], design["n_matched"])]
    design["reason_en"] = [_REASONS[o][1].format(n=n)
                           for o, n in zip(design["overlap"], design["n_matched"])]
    return design


def _warnings_for(data, scores, design, muni, sensitivity, pooled, did, items, reliability,
                  instrument, config) -> list[StudyWarning]:
    out: list[StudyWarning] = []
    names = dict(zip(design["municipality_code"], design["municipality_name"]))
    wave_sv = {"before": "före", "after": "efter"}
    if data.attrs.get("synthetic"):
        out.append(StudyWarning(
            "synthetic",
            "SYNTETISKA data: simulerade svar för demonstration, inte verkliga mätningar.",
            "SYNTHETIC data: simulated answers for demonstration, not real measurements."))
    for rec in design.itertuples(index=False):
        name = names[rec.municipality_code]
        for side, n in (("before", rec.n_before), ("after", rec.n_after)):
            if n < config.min_group_size:
                out.append(StudyWarning(
                    "small_group",
                    f"{name} har bara {n} svarande i mätningen {wave_sv[side]}: under "
                    f"{config.min_group_size} visas inga resultat i delade tabeller, och "
                    "testerna säger nästan ingenting.",
                    f"{name} has only {n} respondents in the {side} wave: below "
                    f"{config.min_group_size}, results are withheld from shared tables, and the "
                    "tests say next to nothing.", rec.municipality_code))
            elif n < config.small_sample:
                out.append(StudyWarning(
                    "few_respondents",
                    f"{name} har {n} svarande i mätningen {wave_sv[side]}: testerna har låg "
                    "styrka och bootstrapintervallen är osäkra; ett icke-signifikant resultat "
                    "visar inte att inget förändrats.",
                    f"{name} has {n} respondents in the {side} wave: the tests have little "
                    "power and the bootstrap intervals are unstable; a non-significant result "
                    "does not show that nothing changed.", rec.municipality_code))
        if rec.overlap == "partial":
            out.append(StudyWarning(
                "partial_overlap",
                f"{name}: {rec.n_matched} av {rec.n_before} (före) och {rec.n_after} (efter) "
                "svarande besvarade båda mätningarna. Huvudanalysen behandlar grupperna som "
                "oberoende (försiktigt om svaren samvarierar); de matchade analyseras parat som "
                "känslighetsanalys.",
                f"{name}: {rec.n_matched} of {rec.n_before} (before) and {rec.n_after} (after) "
                "respondents answered both waves. The main analysis treats the groups as "
                "independent (conservative when answers correlate within persons); the matched "
                "respondents are analysed paired as a sensitivity check.",
                rec.municipality_code))
    if not sensitivity.empty:
        main = muni.set_index(["municipality_code", "dimension"])
        for rec in sensitivity.itertuples(index=False):
            p_main = main.at[(rec.municipality_code, rec.dimension), "p_adjusted"]
            if not (np.isfinite(p_main) and np.isfinite(rec.p_adjusted)):
                continue
            if (p_main < config.alpha) != (rec.p_adjusted < config.alpha):
                dim_sv = instrument.dimension_label(rec.dimension, "sv")
                dim_en = instrument.dimension_label(rec.dimension, "en")
                name = names[rec.municipality_code]
                out.append(StudyWarning(
                    "sensitivity_disagrees",
                    f"{name}, {dim_sv}: huvudanalysen och den parade analysen av de matchade "
                    "svarande kommer till olika slutsatser om signifikans; resultatet är inte "
                    "robust.",
                    f"{name}, {dim_en}: the main analysis and the paired analysis of the matched "
                    "respondents disagree on significance; the result is not robust.",
                    rec.municipality_code, rec.dimension))
    dropped = scores["score"].isna().sum()
    if dropped:
        share = _num(100 * config.min_item_share, "sv", 0)
        share_en = _num(100 * config.min_item_share, "en", 0)
        out.append(StudyWarning(
            "scores_missing",
            f"{dropped} dimensionspoäng saknas eftersom den svarande besvarat färre än "
            f"{share} % av dimensionens påståenden.",
            f"{dropped} dimension scores are missing because the respondent answered fewer than "
            f"{share_en}% of the dimension's items."))
    treated = design.loc[design["arm"] == "treated"]
    k = len(treated)
    if k < config.min_random_effects_groups:
        out.append(StudyWarning(
            "random_effects",
            f"Med {k} kommuner går det inte att skatta variationen mellan kommuner (en "
            "slumpeffekts- eller flernivåmodell kräver betydligt fler). Den sammanvägda "
            "analysen använder fasta kommuneffekter: den beskriver just dessa kommuner och kan "
            "inte generaliseras till kommuner i allmänhet.",
            f"With {k} municipalities the variation between municipalities cannot be estimated "
            "(a random-effects or multilevel model needs many more). The pooled analysis uses "
            "municipality fixed effects: it describes these municipalities and cannot be "
            "generalised to municipalities at large."))
    for rec in pooled.itertuples(index=False):
        if rec.n_clusters < config.min_clusters:
            out.append(StudyWarning(
                "few_clusters",
                f"Den sammanvägda analysen ({'behandlade' if rec.arm == 'treated' else 'jämförelse'}"
                f"kommuner) har bara {rec.n_clusters} svarande som kluster: klusterrobusta "
                "standardfel är opålitliga med så få kluster.",
                f"The pooled analysis ({rec.arm} municipalities) has only {rec.n_clusters} "
                "respondents as clusters: cluster-robust standard errors are unreliable with so "
                "few clusters.", None, rec.dimension))
    if did is None:
        out.append(StudyWarning(
            "no_comparison",
            "Studien saknar jämförelsekommuner. En förändring mellan mätningarna kan därför "
            "inte tillskrivas insatsen: annat som hände under samma period (omorganisationer, "
            "personalomsättning, nationella satsningar, en pandemi) kan förklara den.",
            "The study has no comparison municipalities. A change between the waves therefore "
            "cannot be attributed to the intervention: anything else that happened in the same "
            "period (reorganisations, staff turnover, national programmes, a pandemic) could "
            "explain it."))
    else:
        rec = did.iloc[0]
        g = int(rec["n_municipalities"])
        out.append(StudyWarning(
            "few_clusters",
            f"Insatsen gavs till kommuner, men studien har bara {g} kommuner "
            f"({int(rec['n_treated'])} behandlade, {int(rec['n_comparison'])} jämförelse) — "
            f"för få för kommunklustrade standardfel (minst {config.min_clusters} behövs). "
            "Konfidensintervallet för skillnad-i-skillnader bygger på svarande och bortser från "
            "händelser som drabbar en hel kommun; det är troligen för smalt. Permutationstestet "
            f"över de {int(rec['n_assignments'])} möjliga tilldelningarna av insatsen är exakt "
            f"men kan inte ge p under {_num(rec['min_permutation_p'], 'sv', 3)}.",
            f"The intervention was given to municipalities, but the study has only {g} "
            f"municipalities ({int(rec['n_treated'])} treated, {int(rec['n_comparison'])} "
            f"comparison) — too few for municipality-clustered standard errors (at least "
            f"{config.min_clusters} are needed). The difference-in-differences interval rests "
            "on respondents and ignores events that hit a whole municipality; it is probably too "
            f"narrow. The permutation test over the {int(rec['n_assignments'])} possible "
            f"assignments of the intervention is exact but cannot give p below "
            f"{_num(rec['min_permutation_p'], 'en', 3)}."))
        out.append(StudyWarning(
            "parallel_trends",
            "Skillnad-i-skillnader förutsätter att de behandlade kommunerna utan insatsen hade "
            "förändrats som jämförelsekommunerna (parallella trender). Med två mätningar går "
            "det inte att pröva.",
            "Difference-in-differences assumes that the treated municipalities would have "
            "changed like the comparison municipalities without the intervention (parallel "
            "trends). Two waves cannot test this."))
    for rec in reliability.itertuples(index=False):
        if np.isfinite(rec.alpha) and rec.alpha < config.min_reliability:
            dim_sv = instrument.dimension_label(rec.dimension, "sv")
            dim_en = instrument.dimension_label(rec.dimension, "en")
            out.append(StudyWarning(
                "unreliable_scale",
                f"{dim_sv} ({wave_sv[rec.wave]}): Cronbachs alfa {_num(rec.alpha, 'sv')} är "
                f"under {_num(config.min_reliability, 'sv')}; påståendena mäter inte tydligt "
                "samma sak, och skalans förändring är svår att tolka.",
                f"{dim_en} ({rec.wave}): Cronbach's alpha {_num(rec.alpha, 'en')} is below "
                f"{_num(config.min_reliability, 'en')}; the items do not clearly measure one "
                "thing, and a change of the scale is hard to interpret.", None, rec.dimension))
    if items is not None:
        failed = items.loc[~items["converged"].astype(bool), "item_id"].tolist()
        if failed:
            out.append(StudyWarning(
                "ordinal_failed",
                f"Den ordinala modellen kunde inte skattas för {', '.join(failed)}.",
                f"The ordinal model could not be fitted for {', '.join(failed)}."))
    return out


_CONCLUSIONS = {
    "did_supported": (
        "{dim_sv} utvecklades {did_sv} i de behandlade kommunerna än i jämförelsekommunerna "
        "(skillnad-i-skillnader, signifikant efter Holm-korrektion, och permutationstestet över "
        "kommuner bekräftar). Det talar för en effekt av insatsen, under antagandet att "
        "grupperna annars hade förändrats lika.",
        "{dim_en} developed {did_en} in the treated municipalities than in the comparison "
        "municipalities (difference-in-differences, significant after Holm correction, and the "
        "permutation test over municipalities agrees). This supports an effect of the "
        "intervention, assuming the groups would otherwise have changed alike."),
    "did_suggestive": (
        "{dim_sv} utvecklades {did_sv} i de behandlade kommunerna än i jämförelsekommunerna "
        "räknat på svarande, men permutationstestet över kommuner bekräftar det inte (p = {perm_sv}). "
        "Resultatet är en indikation, inte en påvisad effekt av insatsen.",
        "{dim_en} developed {did_en} in the treated than in the comparison municipalities "
        "counted over respondents, but the permutation test over municipalities does not confirm it "
        "(p = {perm_en}). The result is an indication, not a demonstrated effect of the "
        "intervention."),
    "did_suggestive_design": (
        "{dim_sv} utvecklades {did_sv} i de behandlade kommunerna än i jämförelsekommunerna "
        "räknat på svarande. Med bara {g} kommuner kan inget test över kommuner bekräfta det på "
        "{alpha_sv} %-nivån (minsta möjliga p är {min_p_sv}). Resultatet är en indikation, "
        "inte en påvisad effekt av insatsen.",
        "{dim_en} developed {did_en} in the treated than in the comparison municipalities "
        "counted over respondents. With only {g} municipalities no test over municipalities can confirm "
        "it at the {alpha_en}% level (the smallest possible p is {min_p_en}). The result is an "
        "indication, not a demonstrated effect of the intervention."),
    "change_not_attributable": (
        "{dim_sv} {verb_sv} i de behandlade kommunerna, men inte tydligt mer än i "
        "jämförelsekommunerna; förändringen kan inte tillskrivas insatsen.",
        "{dim_en} {verb_en} in the treated municipalities, but not clearly more than in the "
        "comparison municipalities; the change cannot be attributed to the intervention."),
    "change_without_comparison": (
        "{dim_sv} {verb_sv} i de studerade kommunerna (signifikant efter Holm-korrektion). Utan "
        "jämförelsekommuner kan förändringen inte tillskrivas insatsen.",
        "{dim_en} {verb_en} in the studied municipalities (significant after Holm correction). "
        "Without comparison municipalities the change cannot be attributed to the "
        "intervention."),
    "no_clear_change": (
        "Ingen tydlig förändring av {dim_sv_lower} (inte signifikant efter Holm-korrektion); "
        "med dessa urval kan en måttlig förändring inte uteslutas.",
        "No clear change in {dim_en_lower} (not significant after Holm correction); with these "
        "samples a modest change cannot be ruled out."),
    "insufficient_data": (
        "För lite data för att uttala sig om {dim_sv_lower}.",
        "Too little data to say anything about {dim_en_lower}."),
}


def _conclusions(pooled, did, instrument, config) -> pd.DataFrame:
    rows = []
    treated = pooled.loc[pooled["arm"] == "treated"].set_index("dimension")
    d = did.set_index("dimension") if did is not None else None
    for dim in instrument.dimension_ids:
        p = treated.loc[dim]
        estimate, low, high = p["mean_diff"], p["mean_diff_ci_low"], p["mean_diff_ci_high"]
        p_adj, perm, template = p["p_adjusted"], np.nan, None
        extra = {"g": "", "perm_sv": "", "perm_en": "", "min_p_sv": "", "min_p_en": "",
                 "alpha_sv": _num(100 * config.alpha, "sv", 0),
                 "alpha_en": _num(100 * config.alpha, "en", 0)}
        changed = np.isfinite(p_adj) and p_adj < config.alpha
        if not np.isfinite(p_adj):
            level = "insufficient_data"
        elif d is not None:
            r = d.loc[dim]
            estimate, low, high, perm = r["estimate"], r["ci_low"], r["ci_high"], \
                r["permutation_p"]
            did_adj = r["p_adjusted"]
            extra.update(g=str(int(r["n_municipalities"])), perm_sv=_num(perm, "sv", 2),
                         perm_en=_num(perm, "en", 2),
                         min_p_sv=_num(r["min_permutation_p"], "sv", 2),
                         min_p_en=_num(r["min_permutation_p"], "en", 2))
            if np.isfinite(did_adj) and did_adj < config.alpha:
                level = "did_supported" if perm <= config.alpha else "did_suggestive"
                if level == "did_suggestive" and r["min_permutation_p"] > config.alpha:
                    template = "did_suggestive_design"
                p_adj = did_adj
            else:
                level = "change_not_attributable" if changed else "no_clear_change"
                if not changed:
                    p_adj = did_adj
                else:
                    estimate, low, high = p["mean_diff"], p["mean_diff_ci_low"], \
                        p["mean_diff_ci_high"]
        else:
            level = "change_without_comparison" if changed else "no_clear_change"
        up = estimate >= 0
        labels = {"dim_sv": instrument.dimension_label(dim, "sv"),
                  "dim_en": instrument.dimension_label(dim, "en"),
                  "verb_sv": "ökade" if up else "minskade", "verb_en": "rose" if up else "fell"}
        labels["did_sv"] = "mer positivt" if up else "mindre positivt"
        labels["did_en"] = "more favourably" if up else "less favourably"
        labels["dim_sv_lower"] = labels["dim_sv"].lower()
        labels["dim_en_lower"] = labels["dim_en"].lower()
        labels.update(extra)
        sv, en = _CONCLUSIONS[template or level]
        rows.append({"dimension": dim, "level": level, "estimate": estimate, "ci_low": low,
                     "ci_high": high, "p_adjusted": p_adj, "permutation_p": perm,
                     "sv": sv.format(**labels), "en": en.format(**labels)})
    return pd.DataFrame(rows)
