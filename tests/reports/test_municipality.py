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
    # an interval of ranks, never a point rank: 1st or 2nd of 3 (2nd by its point estimate)
    assert "rank" not in h.columns and h.loc["maturity", "n_ranked"] == 3
    assert (h.loc["maturity", "rank_low"], h.loc["maturity", "rank_high"]) == (1, 2)
    assert rep.type == "D" and rep.peer_is_county
    assert h.loc["maturity", "national_ci_high"] <= 100  # t-interval clipped to 0-100
    # Nora (3 respondents, all 100 %) shapes nothing and is not shown
    assert "1884" not in set(rep.position["municipality_code"])
    ch = rep.change_previous.set_index("measure")
    assert ch.loc["maturity", "change"] == pytest.approx(50.0)
    assert ch.loc["maturity", "significant"] and ch.loc["maturity", "claimed"]
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
    assert maturity[0] == "95\xa0% KI 59–81\xa0%"
    assert maturity[1] == "Riket 63\xa0% · Örebro län 55\xa0%"
    assert maturity[2].startswith("▲ Ökning +50,0 procentenheter sedan november 2023")
    # without the claim, no arrow and no claim, whatever the per-comparison flag says
    rep.change_previous["claimed"] = False
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
    # Karlskoga's units are hidden (Service has 1 respondent; Socialtjänst's 5 would give it
    # away), so none is set against the nation; Örebro's one unit is
    hidden = reports.municipality_report(data, "1883")
    assert hidden.by_unit.empty and hidden.unit_categories.empty
    rep = reports.municipality_report(data, "1880")
    uc = rep.unit_categories
    assert set(uc["group"]) == set(rep.by_unit["group"]) == {"Kommunledning"}
    assert (uc["gap"] == uc["pct"] - uc["national"]).all()
    table, gaps, raw = text_municipality.heat(uc, "unit", data.bank, "sv")
    assert table.columns[0] == "Förvaltning" and len(table) == 1
    assert gaps.shape == (1, len(table.columns) - 1) and len(raw) == len(uc)


@pytest.fixture(scope="module")
def own_export(small_csv, tmp_path_factory):
    """Karlskoga's own export: the small dataset's 1883 answers only."""
    import pandas as pd

    frame = pd.read_csv(small_csv, sep=";", dtype=str)
    path = tmp_path_factory.mktemp("own") / "karlskoga.csv"
    frame[frame["municipality_code"] == "1883"].to_csv(path, sep=";", index=False)
    return reports.load_data(path)


def test_an_own_export_is_never_compared_with_itself(own_export):
    rep = reports.municipality_report(own_export, "1883")
    h = rep.headline.set_index("measure")
    assert rep.national_source == "none" and rep.position is None
    assert h["national"].isna().all() and h["peer"].isna().all() and h["rank_low"].isna().all()
    assert rep.categories["national"].isna().all() and rep.capabilities["gap"].isna().all()
    assert rep.priorities_gap.empty and rep.trend["national_maturity"].isna().all()
    assert h.loc["maturity", "pct"] == pytest.approx(70.0)  # its own figures as before
    sv = text_municipality.mun_verdict(rep, own_export.bank, "sv")
    assert "riket" not in sv and "genomsnitt" not in sv
    note = text_municipality.mun_national(rep, "sv")
    assert note.startswith("Underlaget innehåller bara svar från Karlskoga")
    assert "with itself" in text_municipality.mun_national(rep, "en")
    assert text_municipality.mun_verdict(rep, own_export.bank, "sv").startswith(
        "Karlskoga har 70\xa0% i digital mognad.")
    pri, strong, _ = text_municipality.mun_lists(rep, own_export.bank, "sv")
    assert pri and strong and "riket" not in " ".join(pri + strong)
    figures = text_municipality.mun_keyfigures_full(rep, "sv")
    assert all("Riket" not in line for _, _, lines in figures for line in lines)


def test_an_own_export_with_national_figures_from_a_file(own_export, tmp_path):
    from dimios_lib.contracts.national import read_national

    path = tmp_path / "riket_2024.csv"
    path.write_text("Omgång;Mått;Riket;Antal kommuner;Källa\n"
                    "2024-05;Mognad;55,0;250;DiMiOS nationell rapport 2024\n"
                    "2024-05;Förmåga;50;250;DiMiOS nationell rapport 2024\n"
                    "2024-05;Arv;60;250;DiMiOS nationell rapport 2024\n"
                    "2023-11;Mognad;52;240;DiMiOS nationell rapport 2024\n"
                    "2024-05;Effektivitet;45;250;DiMiOS nationell rapport 2024\n"
                    "2024-05;EFF1;80;250;DiMiOS nationell rapport 2024\n", encoding="utf-8")
    rep = reports.municipality_report(own_export, "1883", reference=read_national(path))
    h = rep.headline.set_index("measure")
    assert rep.national_source == "reference" and rep.position is None
    assert h.loc["maturity", "national"] == 55 and h.loc["maturity", "n_national"] == 250
    cats = rep.categories.set_index("category")
    assert cats.loc["Effektivitet", "national"] == 45
    assert cats.loc["Effektivitet", "gap"] == pytest.approx(70 - 45)
    assert rep.capabilities.set_index("item_id").loc["EFF1", "gap"] == pytest.approx(-10)
    assert rep.trend.set_index("round")["national_maturity"].to_dict() == {"2023-11": 52,
                                                                           "2024-05": 55}
    note = text_municipality.mun_national(rep, "sv")
    assert "DiMiOS nationell rapport 2024 (riket_2024.csv)" in note
    missing = reports.municipality_report(own_export, "1883", round="2023-11",
                                          reference=read_national(path))
    assert missing.national_source == "reference"  # maturity for 2023-11 is there
    path.write_text("Omgång;Mått;Riket\n2022-05;Mognad;50\n", encoding="utf-8")
    none = reports.municipality_report(own_export, "1883", reference=read_national(path))
    assert none.national_source == "reference_missing"
    assert "inga värden för maj 2024" in text_municipality.mun_national(none, "sv")


def test_national_figures_file_problems_are_all_listed(tmp_path):
    from dimios_lib.contracts.national import read_national
    from dimios_lib.errors import DataValidationError

    path = tmp_path / "riket.csv"
    path.write_text("Omgång;Mått;Riket\n2024-5;Mognad;55\n2024-05;Kultur;50\n2024-05;Arv;150\n"
                    "2024-05;Mognad;55\n2024-05;Mognad;56\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_national(path)
    assert [p.kind for p in exc.value.problems] == ["national round", "national measure",
                                                    "national value", "national duplicate"]


def test_a_code_that_lost_its_leading_zero_is_restored_with_a_note(data):
    with pytest.warns(UserWarning, match="read as the code '0114'"):
        rep = reports.municipality_report(data, 114)
    assert rep.municipality_code == "0114" and rep.notes


def test_small_area_estimate_of_a_small_municipality_by_hand(small_csv):
    # 2024-05, the three municipalities shown (Nora's 3 respondents are not): Karlskoga 70
    # (respondents 60 x 3 and 80 x 3: s² = 120), Örebro 40 and Upplands Väsby 80 (no spread).
    # Pooled within-municipality variance (5 x 120 + 0 + 0) / 15 = 40, so D = 40 / 6 for all.
    # With equal D the REML between-municipality variance is the direct estimates' variance
    # minus D: 433.33 - 6.67 = 426.67 (Rao & Molina 2015, 6.1.2); shrinkage D / (A + D) =
    # 6.67 / 433.33 = 0.01538 towards the mean 63.33: 63.33 + 0.98462 x 6.67 = 69.897.
    from dimios_lib.config import ModelConfig

    data = reports.load_data(small_csv, config=ModelConfig(small_area_min_areas=3),
                             disk_cache=False)
    rep = reports.municipality_report(data, "1883")
    h = rep.headline.set_index("measure")
    assert h.loc["maturity", "eb_shrinkage"] == pytest.approx((40 / 6) / (1300 / 3))
    assert h.loc["maturity", "eb"] == pytest.approx(190 / 3 + (1 - 0.0153846) * (70 - 190 / 3),
                                                    abs=1e-4)
    assert rep.small_area    # 6 respondents, fewer than small_area_below (15)
    assert rep.record()["maturity_eb"] == pytest.approx(69.897, abs=1e-3)
    big = reports.municipality_report(reports.load_data(
        small_csv, config=ModelConfig(small_area_min_areas=3, small_area_below=6),
        disk_cache=False), "1883")
    assert not big.small_area
    # the default needs 10 municipalities in the round: none here, so nothing is shown
    assert not reports.municipality_report(reports.load_data(small_csv), "1883").small_area


def test_change_knows_the_design(data):
    # the small dataset's respondent ids carry the round: two fresh samples
    ch = reports.municipality_report(data, "1883").change_previous
    assert set(ch["design"]) == {"independent"} and set(ch["n_linked"]) == {0}
    assert (ch["p_value"] < 0.05).all() and ch["df"].notna().all()
