"""The study's warnings, conclusions and design reasons in words, pinned to hand-written Swedish
and English sentences; the tables ``dimios study --details-dir`` writes keep their columns."""


from types import SimpleNamespace

import pandas as pd

from dimios_lib.config import StudyConfig
from dimios_lib.reference.instrument import load_instrument
from dimios_lib.study.analysis import analyse_study
from dimios_lib.study.verdicts import StudyWarning
from dimios_lib.text import study as words
from tests.study.conftest import small_study

RESULTS = SimpleNamespace(
    design=pd.DataFrame({"municipality_code": ["2480"], "municipality_name": ["Umeå"]}),
    instrument=load_instrument(), config=StudyConfig())


def _conclusion(**values):
    row = {"dimension": "purpose", "level": "did_suggestive", "estimate": 0.8,
           "p_adjusted": 0.0123, "permutation_p": 0.1, "min_permutation_p": 0.1,
           "n_municipalities": 6, "inference": "wild_cluster", "wild_p_adjusted": 0.0123,
           "permutation_p_adjusted": 0.4, "min_p_adjusted": 0.125,
           "confirm_min_p_adjusted": 0.4, **values}
    return pd.DataFrame([row]).iloc[0]


def test_a_small_group_warning():
    w = StudyWarning("small_group", "2480", wave="after", values={"n": 4, "min_group_size": 5})
    assert words.warning_text(w, RESULTS, "sv") == (
        "Umeå har bara 4 svarande i mätningen efter: under 5 visas inga resultat i delade "
        "tabeller, och testerna säger nästan ingenting.")
    assert words.warning_text(w, RESULTS, "en") == (
        "Umeå has only 4 respondents in the after wave: below 5, results are withheld from "
        "shared tables, and the tests say next to nothing.")
    one = StudyWarning("small_group", "2480", wave="before", values={"n": 1, "min_group_size": 5})
    assert words.warning_text(one, RESULTS, "en").startswith(
        "Umeå has only 1 respondent in the before wave: below 5,")


def test_an_ordinal_warning_names_its_items_in_the_singular_or_plural():
    one = StudyWarning("ordinal_failed", values={"items": ("PUR1",)})
    two = StudyWarning("ordinal_failed", values={"items": ("PUR1", "POT4")})
    assert words.warning_text(one, RESULTS, "sv") == (
        "Den ordinala modellen kunde inte skattas för påståendet PUR1.")
    assert words.warning_text(two, RESULTS, "sv") == (
        "Den ordinala modellen kunde inte skattas för påståendena PUR1 och POT4.")
    assert words.warning_text(two, RESULTS, "en") == (
        "The ordinal model could not be fitted for the items PUR1 and POT4.")


def test_a_conclusion_limited_by_the_design():
    row = _conclusion()
    assert words.conclusion_text(row, RESULTS, "sv") == (
        "Syfte utvecklades mer positivt i de behandlade kommunerna än i jämförelsekommunerna "
        "enligt den vilda klusterbootstrappen över kommuner (justerat p = 0,012), men med bara "
        "6 kommuner kan permutationstestet inte bekräfta det på 5\xa0%-nivån (minsta möjliga "
        "justerade p är 0,40). Resultatet är en indikation, inte en påvisad effekt av insatsen.")
    assert words.conclusion_text(row, RESULTS, "en") == (
        "Purpose developed more favourably in the treated than in the comparison "
        "municipalities according to the wild cluster bootstrap across municipalities "
        "(adjusted p = 0.012), but with only 6 municipalities the permutation test cannot "
        "confirm it at the 5% level (the smallest possible adjusted p is 0.40). The result is "
        "an indication, not a demonstrated effect of the intervention.")
    unattributed = _conclusion(level="change_not_attributable", inference="respondents")
    assert words.conclusion_text(unattributed, RESULTS, "en") == (
        "Purpose rose in the treated municipalities. With only 6 municipalities the wild "
        "cluster bootstrap cannot tell at the 5% level whether this was more than in the "
        "comparison municipalities (the smallest possible adjusted p is 0.125), so the change "
        "cannot be attributed to the intervention.")
    assert words.conclusion_text(unattributed, RESULTS, "sv") == (
        "Syfte ökade i de behandlade kommunerna. Med bara 6 kommuner kan den vilda "
        "klusterbootstrappen inte avgöra på 5\xa0%-nivån om det var mer än i "
        "jämförelsekommunerna (minsta möjliga justerade p är 0,125), så förändringen kan inte "
        "tillskrivas insatsen.")


def test_a_supported_effect_names_both_tests():
    row = _conclusion(level="did_supported", permutation_p_adjusted=0.0317,
                      confirm_min_p_adjusted=0.0317)
    assert words.conclusion_text(row, RESULTS, "en") == (
        "Purpose developed more favourably in the treated municipalities than in the "
        "comparison municipalities, tested across municipalities: the wild cluster bootstrap "
        "(adjusted p = 0.012) and the permutation test (adjusted p = 0.032) agree. This "
        "supports an effect of the intervention, assuming the groups would otherwise have "
        "changed alike.")


def test_the_warnings_say_what_the_inference_rests_on_and_its_floor():
    values = {"n_municipalities": 6, "n_treated": 3, "n_comparison": 3, "min_clusters": 30,
              "inference": "wild_cluster", "confirm": "randomisation", "weights": "rademacher",
              "adjustment": "holm", "n_dimensions": 4, "wild_draws": 64, "min_wild_p": 1 / 32,
              "n_assignments": 20, "min_permutation_p": 0.1}
    assert words.warning_text(StudyWarning("few_clusters", values=values), RESULTS, "en") == (
        "The intervention was given to municipalities as a whole, so whether it made a "
        "difference is tested across the 6 municipalities (3 treated, 3 comparison), not across "
        "respondents. The conclusions rest on the wild cluster bootstrap, with p-values "
        "adjusted for the 4 dimensions (Holm); an effect counts as supported only if the "
        "permutation test agrees as well. With fewer than 30 municipalities both tests are "
        "coarse: the wild cluster bootstrap (Rademacher weights, 64 resamples) cannot give p "
        "below 0.031, and the permutation test over the 20 possible assignments of the "
        "intervention not below 0.10. The interval and p clustered by respondent ignore events "
        "that hit a whole municipality and are too narrow; they are shown for transparency "
        "only.")
    bound = StudyWarning("did_bound", values={
        "n_municipalities": 6, "inference": "wild_cluster", "n_dimensions": 4,
        "adjustment": "holm", "min_p_adjusted": 0.125, "alpha": 0.05})
    assert words.warning_text(bound, RESULTS, "sv") == (
        "Med bara 6 kommuner kan den vilda klusterbootstrappen inte nå 5\xa0%-nivån efter "
        "justering för de 4 dimensionerna (Holm; minsta möjliga justerade p är 0,125). Den här "
        "designen kan alltså inte påvisa en effekt av insatsen, hur data än ser ut: en skillnad "
        "mellan behandlade kommuner och jämförelsekommuner kan bara beskrivas.")


def test_a_change_without_comparison_and_no_clear_change():
    fell = _conclusion(level="change_without_comparison", estimate=-0.4)
    assert words.conclusion_text(fell, RESULTS, "sv") == (
        "Syfte minskade i de studerade kommunerna (signifikant efter Holm-korrektion). Utan "
        "jämförelsekommuner kan förändringen inte tillskrivas insatsen.")
    none = _conclusion(level="no_clear_change")
    assert words.conclusion_text(none, RESULTS, "en") == (
        "No clear change in purpose (not significant after Holm correction); with these "
        "samples a modest change cannot be ruled out.")


def test_design_reasons_and_test_names():
    assert words.reason_text("partial", 1, "en") == (
        "1 respondent answered both waves: the main analysis treats the waves as independent "
        "groups (everyone); the matched respondent is analysed paired as a sensitivity check.")
    assert words.reason_text("partial", 5, "sv").startswith(
        "5 av de svarande besvarade båda mätningarna:")
    assert words.method_label("paired t", "sv") == "parat t-test"
    assert words.method_label("Welch t", "en") == "Welch's t-test"


def test_the_details_tables_keep_their_columns_with_both_languages():
    res = analyse_study(small_study(n_after_small=4),
                        config=StudyConfig(ordinal=False, bootstrap_resamples=200))
    warnings = words.warnings_frame(res)
    assert list(warnings.columns) == ["code", "municipality_code", "dimension", "sv", "en"]
    small = warnings[warnings["code"] == "small_group"].iloc[0]
    assert small["sv"].startswith("Umeå har bara 4 svarande i mätningen efter")
    conclusions = words.conclusions_frame(res)
    assert list(conclusions.columns) == ["dimension", "level", "estimate", "ci_low", "ci_high",
                                         "p_adjusted", "permutation_p", "inference",
                                         "wild_p_adjusted", "permutation_p_adjusted", "sv",
                                         "en"]
    assert (conclusions["sv"] != conclusions["en"]).all()
    design = words.design_frame(res)
    assert {"overlap", "reason_sv", "reason_en"} <= set(design.columns)
    assert design["reason_en"].str.startswith("No respondent answered both waves").all()
