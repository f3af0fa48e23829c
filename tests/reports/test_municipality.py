"""The municipality report, pinned to the hand-computed small dataset (tests/conftest.py)."""


import pytest

from dimios_lib import reports
from dimios_lib.errors import DimiosError
from dimios_lib.text import municipality as text_municipality


@pytest.fixture(scope="module")
def data(small_csv):
    return reports.load_data(small_csv)


def test_municipality_report_matches_the_hand_calculation(data):
    rep = reports.municipality_report(data, "1883")
    assert rep.round == "2024-05" and rep.status == "ok" and rep.n_respondents == 6
    h = rep.headline.set_index("measure")
    assert h.loc["maturity", "pct"] == pytest.approx(70.0)
    assert h.loc["maturity", "national"] == pytest.approx((70 + 40 + 80) / 3)
    assert h.loc["maturity", "peer"] == pytest.approx(55.0)  # Örebro county: 70 and 40
    assert h.loc["maturity", "rank"] == 2 and h.loc["maturity", "n_ranked"] == 3
    assert rep.type == "D" and rep.peer_is_county
    assert h.loc["maturity", "national_ci_high"] <= 100  # t-interval clipped to 0-100
    # Nora (3 respondents, all 100 %) shapes nothing and is not shown
    assert "1884" not in set(rep.position["municipality_code"])
    ch = rep.change_previous.set_index("measure")
    assert ch.loc["maturity", "change"] == pytest.approx(50.0)
    assert ch.loc["maturity", "significant"]
    # Service (1 respondent) is hidden, and so is Socialtjänst (5): shown beside Karlskoga's
    # total of 6 it would give away the one Service respondent by subtraction
    assert rep.by_unit.empty and rep.hidden_units == 2
    assert rep.by_role.empty or rep.by_role["n_respondents"].min() >= 5


def test_municipality_without_data_or_with_too_few(data):
    assert reports.municipality_report(data, "0180").status == "no_data"
    few = reports.municipality_report(data, "1884")
    assert few.status == "too_few" and few.headline is None
    assert "färre än 5" in " ".join(text_municipality.mun_unavailable(few, "sv"))


def test_bad_report_parameters_are_clear_errors(data):
    with pytest.raises(DimiosError, match="round '2030-05'.*2023-11, 2024-05"):
        reports.municipality_report(data, "1883", "2030-05")
    with pytest.raises(DimiosError, match="unknown municipality code '9999'"):
        reports.municipality_report(data, "9999")
    with pytest.raises(DimiosError, match="not found"):
        reports.load_data("no/such/file.csv")
