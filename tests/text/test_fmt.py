"""Report computations, texts and formats, pinned to the hand-computed small dataset
(tests/conftest.py) and to the locale conventions of CLDR (via babel)."""


import pytest

from dimios_lib.text import fmt


def test_swedish_and_english_number_formats():
    assert fmt.number(12345.6, "sv") == "12\xa0345,6"
    assert fmt.number(12345.6, "en") == "12,345.6"
    assert fmt.pct(42.34, "sv", 1) == "42,3\xa0%"
    assert fmt.pct(42.34, "en", 1) == "42.3%"
    assert fmt.number(-3.24, "sv") == "\u22123,2"  # Swedish minus sign
    assert fmt.points(3.25, "sv") == "+3,2 procentenheter"  # half to even, rounded once
    assert fmt.integer(3513, "sv") == "3\xa0513" and fmt.integer(3513, "en") == "3,513"
    assert fmt.pct(float("nan"), "sv") == fmt.MISSING


def test_swedish_dates_and_rounds():
    assert fmt.round_label("2024-05", "sv") == "maj 2024"
    assert fmt.round_label("2023-11", "en") == "November 2023"
    assert fmt.date("2026-11-23", "sv") == "23 november 2026"
    assert fmt.round_label("våren 2021", "sv") == "våren 2021"
    with pytest.raises(ValueError, match="'de'"):
        fmt.pct(1, "de")


def test_the_interval_label_takes_the_configured_level():
    assert fmt.ci_label(0.9, "sv") == "90\xa0% KI"
    assert fmt.ci_label(0.9, "en") == "90% CI"
    assert fmt.with_interval(70, 63.2, 77.1, "sv", ci_level=0.9) == "70\xa0% (90\xa0% KI 63–77\xa0%)"
    assert fmt.with_interval(70, 63.2, 77.1, "en", ci_level=0.99) == "70% (99% CI 63–77%)"
    assert fmt.level(0.975, "sv") == "97,5\xa0%"


def test_the_words_among_the_numbers():
    assert fmt.points(-1, "en") == "-1.0 percentage points"
    assert fmt.interval(-1.5, 2.5, "sv", 1, percent=False, signed=True) == "−1,5 till +2,5"
    assert fmt.join(["Mora", "Orsa", "Älvdalen"], "sv") == "Mora, Orsa och Älvdalen"
    assert fmt.join(["Mora", "Orsa"], "en") == "Mora and Orsa"
