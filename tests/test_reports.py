"""Report computations, texts and formats, pinned to the hand-computed small dataset
(tests/conftest.py) and to the locale conventions of CLDR (via babel)."""

import numpy as np
import pandas as pd
import pytest

from dimios_lib import reports
from dimios_lib.engine.batch import default_batch, read_params, write_params
from dimios_lib.errors import DimiosError
from dimios_lib.render.page import check_html
from dimios_lib.stats.ranking import rank_range, similarity
from dimios_lib.text import catalog, common, fmt
from dimios_lib.text import municipality as text_municipality

from .conftest import small_dataset


@pytest.fixture(scope="module")
def data(small_csv):
    return reports.load_data(small_csv)


# ---- formats -----------------------------------------------------------------------------

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


def test_every_text_has_both_languages_with_the_same_placeholders():
    for key, entry in catalog.texts().items():
        assert set(entry) == {"sv", "en"}, key
        assert catalog.placeholders(entry["sv"]) == catalog.placeholders(entry["en"]), key


def test_swedish_genitive():
    assert common.owner("Karlskoga", "sv") == "Karlskogas"
    assert common.owner("Borås", "sv") == "Borås"
    assert common.owner("Karlskoga", "en") == "Karlskoga's"


# ---- the honesty rules ------------------------------------------------------------------------

def _change(change, lo, hi):
    sig = bool(lo > 0 or hi < 0)
    return pd.DataFrame([{"measure": "maturity", "round_from": "2023-11", "round_to": "2024-05",
                          "change": change, "ci_low": lo, "ci_high": hi,
                          "significant": sig}]).iloc[0]


def test_a_change_whose_interval_holds_zero_is_never_called_a_change():
    noise = common.change_sentence(_change(-1.7, -10.4, 7.7), "sv")
    assert "ingen säkerställd förändring" in noise and "minskning" not in noise
    assert "−1,7 procentenheter" in noise and "−10,4 till +7,7" in noise
    en = common.change_sentence(_change(4.0, -0.5, 8.5), "en")
    assert "no clear change" in en and "increase" not in en
    up = common.change_sentence(_change(3.4, 1.0, 5.8), "sv")
    assert "ökning med 3,4 procentenheter" in up
    down = common.change_sentence(_change(-3.4, -5.8, -1.0), "en")
    assert "decrease of 3.4 percentage points" in down


def test_level_with_the_national_average_unless_the_interval_excludes_it():
    row = pd.DataFrame([{"measure": "maturity", "national": 54.6, "ci_low": 40.1,
                         "ci_high": 53.8}]).iloc[0]
    assert "under riksgenomsnittet" in text_municipality.vs_national(row, "sv")
    row["ci_high"] = 55.0
    assert "inte att skilja" in text_municipality.vs_national(row, "sv")


def test_rank_range_from_intervals():
    best, worst = rank_range(np.array([60, 55, 40]), np.array([70, 65, 50]))
    assert best.tolist() == [1, 1, 3] and worst.tolist() == [2, 2, 3]


def test_similarity_detects_a_group_more_alike_than_chance():
    """30 municipalities at 0..29; members {10, 10.1, 10.2} (sd 0.1) are far more alike than
    random threes (median sd about 8), so p is the smallest possible, 1 / (n_draws + 1)."""
    codes = [f"{k:04d}" for k in range(30)]
    values = np.arange(30.0)
    values[[1, 2]] = [10.1, 10.2]
    table = pd.DataFrame({"municipality_code": codes, "legacy_pct": values})
    out = similarity(table, ["0010", "0001", "0002"], "legacy_pct", n_draws=999)
    assert out["sd"] == pytest.approx(0.1)
    assert out["p_value"] == pytest.approx(1 / 1000)
    spread = similarity(table, ["0000", "0015", "0029"], "legacy_pct", n_draws=999)
    assert spread["p_value"] > 0.5


# ---- the municipality report on the hand-computed data ----------------------------------------

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


def test_group_comparison_and_national_overview(data):
    grp = reports.group_comparison(data, ["1883", "1880", "0114", "1884"])
    assert grp.latest["municipality_code"].tolist() == ["0114", "1883", "1880"]
    assert grp.hidden == ["1884"]
    nat = reports.national_overview(data)
    assert nat.n_municipalities == 3 and nat.n_hidden == 1 and nat.n_respondents == 18
    assert nat.national["maturity"][0] == pytest.approx(190 / 3)
    assert nat.types.set_index("type")["n"].to_dict() == {"A": 1, "B": 0, "C": 0, "D": 2}


def test_find_data_from_the_notebooks_folder(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_text("a")
    (tmp_path / "notebooks").mkdir()
    assert reports.find_data("data/x.csv", start=tmp_path / "notebooks") == \
        tmp_path / "data" / "x.csv"


# ---- the default batch --------------------------------------------------------------------

def test_default_batch_and_its_parameter_files(data, tmp_path):
    jobs = default_batch(data)
    mun = [j for j in jobs if j.notebook == "municipality_report"]
    assert sorted(j.parameters["municipality_code"] for j in mun) == ["0114", "1880", "1883",
                                                                      "1884"]
    assert {j.notebook for j in jobs} == {"municipality_report", "group_comparison",
                                          "national_overview", "innovation_study",
                                          "programme_followup"}
    first = write_params(jobs, tmp_path, source=str(data.source))
    assert first["written"] == len(jobs)
    again = write_params(jobs[1:], tmp_path, source=str(data.source))
    assert again == {"written": 0, "unchanged": len(jobs) - 1, "removed": 1}
    back = {j.key: j.parameters for j in read_params(tmp_path)}
    assert "municipality_report/0114_2024-05_sv" not in back  # no longer in the batch
    assert back["municipality_report/1883_2024-05_sv"] == {
        "municipality_code": "1883", "round": "2024-05", "lang": "sv"}


# ---- the HTML rules checker (itself tested, since the notebook tests rely on it) ----------

GOOD = ('<!DOCTYPE html><html lang="sv"><head><title>T</title></head><body><h1>T</h1>'
        '<h2>A</h2><h3>B</h3><img src="data:image/png;base64,AA" alt="x"><table><tr><th>h</th>'
        "</tr></table></body></html>")


def test_html_checker_accepts_a_good_page_and_names_each_broken_rule():
    assert check_html(GOOD, "sv") == []
    bad = (GOOD.replace('lang="sv"', 'lang="en"').replace("<h3>B</h3>", "<h4>B</h4><h1>X</h1>")
           .replace('alt="x"', "")
           + '<script src="https://cdn.example.org/x.js"></script><p>/home/anna/data.csv</p>')
    problems = "\n".join(check_html(bad, "sv", forbidden=("resp01",)))
    for expected in ("<html lang>", "2 <h1>", "jumps from h2 to h4", "alt text",
                     "network reference", "local file path"):
        assert expected in problems
    assert check_html(GOOD + "resp01", "sv", forbidden=("resp01",))


def test_small_dataset_is_what_the_docstring_says(bank):
    d = small_dataset(bank)
    assert d.groupby(["municipality_code", "round"])["respondent_id"].nunique().to_dict() == {
        ("0114", "2023-11"): 6, ("0114", "2024-05"): 6, ("1880", "2023-11"): 6,
        ("1880", "2024-05"): 6, ("1883", "2023-11"): 6, ("1883", "2024-05"): 6,
        ("1884", "2024-05"): 3}
