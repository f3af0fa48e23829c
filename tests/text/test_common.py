"""Report computations, texts and formats, pinned to the hand-computed small dataset
(tests/conftest.py) and to the locale conventions of CLDR (via babel)."""


import pandas as pd

from dimios_lib.text import common


def _change(change, lo, hi):
    sig = bool(lo > 0 or hi < 0)
    return pd.DataFrame([{"measure": "maturity", "round_from": "2023-11", "round_to": "2024-05",
                          "change": change, "ci_low": lo, "ci_high": hi,
                          "significant": sig}]).iloc[0]


def test_swedish_genitive():
    assert common.owner("Karlskoga", "sv") == "Karlskogas"
    assert common.owner("Borås", "sv") == "Borås"
    assert common.owner("Karlskoga", "en") == "Karlskoga's"


def test_a_change_whose_interval_holds_zero_is_never_called_a_change():
    noise = common.change_sentence(_change(-1.7, -10.4, 7.7), "sv", ci_level=0.95)
    assert "ingen säkerställd förändring" in noise and "minskning" not in noise
    assert "−1,7 procentenheter" in noise and "−10,4 till +7,7" in noise
    en = common.change_sentence(_change(4.0, -0.5, 8.5), "en", ci_level=0.95)
    assert "no clear change" in en and "increase" not in en
    up = common.change_sentence(_change(3.4, 1.0, 5.8), "sv", ci_level=0.95)
    assert "ökning med 3,4 procentenheter" in up
    down = common.change_sentence(_change(-3.4, -5.8, -1.0), "en", ci_level=0.95)
    assert "decrease of 3.4 percentage points" in down


def test_the_confidence_level_is_the_configured_one():
    assert common.change_sentence(_change(3.4, 1.0, 5.8), "sv", ci_level=0.9) == (
        "Digital mognad: ökning med 3,4 procentenheter sedan november 2023 "
        "(90\xa0% KI +1,0 till +5,8).")
    assert common.change_sentence(_change(3.4, 1.0, 5.8), "en", ci_level=0.9) == (
        "Digital maturity: an increase of 3.4 percentage points since November 2023 "
        "(90% CI +1.0 to +5.8).")
    table = common.change_table(pd.DataFrame([_change(3.4, 1.0, 5.8)]), "en", ci_level=0.9)
    assert "90% CI" in table.columns
    from dimios_lib.config import ModelConfig

    sv = common.method_paragraphs(ModelConfig(ci_level=0.9), "x.csv", "bank", "1.0", "sv")
    assert any("konfidensintervall (90\xa0%) inte omfattar noll" in p for p in sv)


def test_the_method_row_of_reverse_scoring():
    from dimios_lib.config import ModelConfig

    for lang, expected in (
            ("sv", ["Omvänd poängsättning", "ja",
                    "Omvänt formulerade påståenden vänds före poängsättning."]),
            ("en", ["Reverse scoring", "yes", "Reverse-worded items are flipped before scoring."])):
        table = common.method_table(ModelConfig(), lang)
        row = table[table.iloc[:, 0] == expected[0]].iloc[0].tolist()
        assert row == expected
    off = common.method_table(ModelConfig(reverse_scoring=False), "sv")
    assert off.iloc[3, 1] == "nej"
    assert list(common.method_table(ModelConfig(), "en").columns) == [
        "Setting", "Value", "Meaning"]


def test_the_method_says_how_intervals_and_small_area_estimates_are_made():
    from dimios_lib.config import ModelConfig

    sv = common.method_paragraphs(ModelConfig(), "x.csv", "bank", "1.0", "sv")
    assert "jackknife" in sv[5] and "(95\xa0%)" in sv[5]
    assert "färre än 15 svarande" in sv[6] and "Fay–Herriot" in sv[6]
    en = common.method_paragraphs(ModelConfig(interval_method="bootstrap", ci_level=0.9),
                                  "x.csv", "bank", "1.0", "en")
    assert "percentile bootstrap" in en[5] and "90%" in en[5]
    assert "compared with themselves" in en[4]
    assert "Benjamini–Hochberg" in sv[7] and "0,05" in sv[7]
    assert en[8].startswith("A place among all municipalities is given as an interval of ranks")
    table = common.method_table(ModelConfig(), "en").set_index("Setting")["Value"]
    assert table["Claims across the report's comparisons"] == (
        "Benjamini–Hochberg, false discovery rate 0.05; the average's own uncertainty counts")
    assert table["Interval of ranks"] == (
        "compared with every other municipality, Bonferroni, 95%")
    table = common.method_table(ModelConfig(), "en").set_index("Setting")["Value"]
    assert table["Confidence intervals"] == "jackknife t-interval, 95%"
    assert table["Small-area estimates"] == ("below 15 respondents; at least 10 municipalities; "
                                   "variance pooled over the round's municipalities")
    assert table["Test of change"] == ("variance in independent parts, Satterthwaite's degrees of "
                               "freedom; paired from 3 respondents")
    boot = common.method_table(ModelConfig(interval_method="bootstrap"), "sv")
    assert boot.set_index("Inställning").loc["Konfidensintervall", "Värde"] == (
        "percentil-bootstrap, 1\xa0000 omdragningar, 95\xa0%")
def test_the_reliability_section_says_icc_heywood_and_the_missing_rule():
    from dimios_lib.config import ModelConfig

    rel = pd.DataFrame({"scale": ["capability", "maturity"], "k_items": [18, 26],
                        "n_respondents": [2611, 2611], "alpha": [0.91, float("nan")],
                        "omega": [0.88, float("nan")], "heywood": [True, False],
                        "icc1": [0.44, 0.12], "icc2": [0.92, 0.55],
                        "respondents_per_municipality": [14.2, 14.2]})
    table = common.reliability_table(rel, "en")
    assert list(table.columns) == ["Scale", "Items", "Respondents", "Cronbach's α",
                                   "McDonald's ω", "ICC(1)", "ICC(2)"]
    assert table.iloc[1].tolist()[3:] == ["–", "–", "0.12", "0.55"]
    assert common.reliability_warnings(rel, "en") == [
        "Note: for Digital capability a loading of the one-factor model reached 1 (a Heywood "
        "case); ω comes from a refit with the loadings bounded at 1 and should be read with "
        "care.",
        "Note: a municipality's mean of Digital maturity with 14 respondents has low reliability "
        "(ICC(2) = 0.55); differences between single municipalities should be read with care."]
    sv = common.reliability_warnings(rel, "sv")
    assert sv[1].startswith("Obs: ett kommunmedelvärde för Digital mognad med 14 svarande")
    pairwise = common.method_paragraphs(ModelConfig(), "x.csv", "bank", "1.0", "en")
    assert any("from pairwise covariances" in p for p in pairwise)
    listwise = common.method_paragraphs(ModelConfig(reliability_missing="listwise"), "x.csv",
                                        "bank", "1.0", "sv")
    assert any("bara på de svarande som besvarat alla påståenden" in p for p in listwise)
    assert any("väljer själva att delta" in p for p in listwise)
