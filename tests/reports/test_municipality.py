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
    assert list(rep.by_unit["group"]) == ["Socialtjänst"] and rep.hidden_units == 1
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


def test_the_dialog_page_leads_with_a_verdict_that_claims_only_what_the_flags_say(data):
    rep = reports.municipality_report(data, "1883")
    sv = text_municipality.mun_verdict(rep, data.bank, "sv")
    # 70 % against a national mean of 63.3 % whose difference the interval does not settle,
    # and a change of +50 points flagged significant
    assert sv.startswith("Karlskoga har 70\xa0% i digital mognad och ")
    assert "Mognaden har ökat med 50,0 procentenheter sedan november 2023." in sv
    en = text_municipality.mun_verdict(rep, data.bank, "en")
    assert en.startswith("Karlskoga is at 70% digital maturity and ")
    figures = text_municipality.mun_keyfigures_full(rep, "sv")
    maturity = dict((label, lines) for label, _, lines in figures)["Digital mognad"]
    assert maturity[0] == "95\xa0% KI 63–77\xa0%"
    assert maturity[1] == "Riket 63\xa0% · Örebro län 55\xa0%"
    assert maturity[2].startswith("▲ Ökning +50,0 procentenheter sedan november 2023")
    # without the flag, no arrow and no claim
    rep.change_previous["significant"] = False
    assert text_municipality.mun_keyfigures_full(rep, "sv")[0][2][2].startswith(
        "Ingen tydlig förändring sedan november 2023")


def test_priorities_strengths_and_reverse_scored_items(data):
    rep = reports.municipality_report(data, "1883")
    pri, strong, note = text_municipality.mun_lists(rep, data.bank, "sv")
    assert len(pri) <= 3 and len(strong) <= 3
    listed = set(rep.priorities_gap["item_id"] if len(rep.priorities_gap)
                 else rep.priorities_low["item_id"])
    assert not listed & set(rep.strengths["item_id"])  # never both a priority and a strength
    rev = data.bank.items.set_index("item_id")["reverse"]
    shown = list(listed) + list(rep.strengths["item_id"])
    if any(rev[i] for i in shown):
        assert "omvänt ställd" in note and "(omvänd: högt = lite)" in " ".join(pri + strong)
    assert text_municipality.reverse_note(["TEK2", "TEK3"], data.bank, "en").endswith(
        "are reverse-scored: a high value means little of it (for example little technical "
        "debt), which is good.")


def test_units_and_roles_are_set_against_the_same_unit_nationally(data):
    rep = reports.municipality_report(data, "1883")
    uc = rep.unit_categories
    assert set(uc["group"]) == set(rep.by_unit["group"]) == {"Socialtjänst"}
    assert (uc["gap"] == uc["pct"] - uc["national"]).all()
    table, gaps, raw = text_municipality.heat(uc, "unit", data.bank, "sv")
    assert table.columns[0] == "Förvaltning" and len(table) == 1
    assert gaps.shape == (1, len(table.columns) - 1) and len(raw) == len(uc)
