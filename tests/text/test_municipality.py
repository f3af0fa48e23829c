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
    assert said[("sv", 1)] == "1 grupp med färre än 5 svarande visas inte."
    assert said[("sv", 2)] == "2 grupper med färre än 5 svarande visas inte."
    assert said[("en", 1)] == "1 group with fewer than 5 respondents is not shown."
    assert said[("en", 2)] == "2 groups with fewer than 5 respondents are not shown."


def test_counts_and_their_nouns():
    from dimios_lib.text.catalog import tn

    assert [tn("count.municipalities", n, "sv") for n in (1, 2)] == ["1 kommun", "2 kommuner"]
    assert [tn("count.respondents", n, "en") for n in (1, 1234)] == [
        "1 respondent", "1,234 respondents"]
    assert tn("count.people", 3513, "sv") == "3\xa0513 personer"
