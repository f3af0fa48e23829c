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
