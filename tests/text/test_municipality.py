"""Report computations, texts and formats, pinned to the hand-computed small dataset
(tests/conftest.py) and to the locale conventions of CLDR (via babel)."""


import pandas as pd

from dimios_lib.text import municipality as text_municipality


def test_level_with_the_national_average_unless_the_interval_excludes_it():
    row = pd.DataFrame([{"measure": "maturity", "national": 54.6, "ci_low": 40.1,
                         "ci_high": 53.8}]).iloc[0]
    assert "under riksgenomsnittet" in text_municipality.vs_national(row, "sv")
    row["ci_high"] = 55.0
    assert "inte att skilja" in text_municipality.vs_national(row, "sv")


def test_hidden_groups_are_counted_in_the_singular_and_the_plural():
    frame = pd.DataFrame([{"group": "Socialtjänst", "maturity_pct": 61.0}])
    said = {(lang, k): text_municipality.units_text(frame, k, "unit", 5, lang)[-1]
            for lang in ("sv", "en") for k in (1, 2)}
    assert said[("sv", 1)] == ("1 grupp visas inte: den har färre än 5 svarande eller skulle "
                               "avslöja en sådan grupp.")
    assert said[("sv", 2)] == ("2 grupper visas inte: de har färre än 5 svarande eller skulle "
                               "avslöja en sådan grupp.")
    assert said[("en", 1)] == ("1 group is not shown: it has fewer than 5 respondents or would "
                               "give such a group away.")
    assert said[("en", 2)] == ("2 groups are not shown: they have fewer than 5 respondents or "
                               "would give such a group away.")
    none = text_municipality.units_text(frame.iloc[:0], 2, "unit", 5, "en")
    assert none == ["No results are shown by unit in this round: every group has fewer than 5 "
                    "respondents or would give such a group away."]


def test_counts_and_their_nouns():
    from dimios_lib.text.catalog import tn

    assert [tn("count.municipalities", n, "sv") for n in (1, 2)] == ["1 kommun", "2 kommuner"]
    assert [tn("count.respondents", n, "en") for n in (1, 1234)] == [
        "1 respondent", "1,234 respondents"]
    assert tn("count.people", 3513, "sv") == "3\xa0513 personer"


def test_small_area_sentence():
    from types import SimpleNamespace

    from dimios_lib.config import ModelConfig

    head = pd.DataFrame([{"measure": m, "eb": v, "eb_ci_low": v - 6.2, "eb_ci_high": v + 5.9,
                          "eb_shrinkage": 0.262} for m, v in
                         (("maturity", 51.4), ("capability", 47.6), ("legacy", 55.2))])
    rep = SimpleNamespace(small_area=True, headline=head, config=ModelConfig(),
                          n_respondents=6, municipality_name="Karlskoga")
    assert text_municipality.mun_small_area(rep, "sv") == [
        "Med 6 svarande är Karlskogas eget resultat osäkert. En skattning som också väger in "
        "genomsnittet för alla kommuner i omgången (en småområdesskattning) ger digital mognad "
        "51\xa0% (95\xa0% KI 45–57\xa0%), digital förmåga 48\xa0% och digitalt arv 55\xa0%. "
        "Den är dragen 26\xa0% av vägen mot genomsnittet och ligger för en liten kommun oftast "
        "närmare det sanna värdet."]
    rep.n_respondents = 1
    assert text_municipality.mun_small_area(rep, "en")[0].startswith(
        "With 1 respondent, Karlskoga's own result is uncertain. An estimate that also draws "
        "on the average of all municipalities in the round (a small-area estimate) puts "
        "digital maturity at 51% (95% CI 45–57%), digital capability at 48%")
    rep.small_area = False
    assert text_municipality.mun_small_area(rep, "sv") == []
