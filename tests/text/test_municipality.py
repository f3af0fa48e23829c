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
