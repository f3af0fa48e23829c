"""The reader's index and the run log, drawn from an index's entries."""

import re

from dimios_lib.render.index_page import reader_index, run_log
from dimios_lib.render.page import check_html

PROV = {"commit": "abc", "library_version": "0.1.0", "time": "2026-11-24T02:00:00",
        "inputs": [{"name": "export.csv", "sha256": "ab" * 32}]}


def _entry(notebook, output, params, status="ok", record=None, error=None):
    return {"notebook": notebook, "output": output, "parameters": params, "status": status,
            "duration": 1.25, "record": record or {}, "error": error, "provenance": PROV}


ENTRIES = {
    "municipality_report/1883_2024-05_sv": _entry(
        "municipality_report", "municipality_report/1883_2024-05_sv.html",
        {"municipality_code": "1883", "round": "2024-05", "lang": "sv"},
        record={"status": "ok", "maturity_pct": 46.54, "type": "C", "synthetic": True}),
    "municipality_report/1880_2024-05_sv": _entry(
        "municipality_report", "municipality_report/1880_2024-05_sv.html",
        {"municipality_code": "1880", "round": "2024-05", "lang": "sv"},
        record={"status": "too_few", "synthetic": True}),
    "municipality_report/0114_2024-05_sv": _entry(
        "municipality_report", "municipality_report/0114_2024-05_sv.html",
        {"municipality_code": "0114", "round": "2024-05", "lang": "sv"}, status="failed",
        error="ValueError: boom"),
    "national_overview/2024-05_sv": _entry("national_overview", "national_overview/2024-05_sv.html",
                                           {"round": "2024-05", "lang": "sv"}),
    "national_overview/2024-05_en": _entry("national_overview", "national_overview/2024-05_en.html",
                                           {"round": "2024-05", "lang": "en"}),
    "group_comparison/mora-orsa-alvdalen_sv": _entry(
        "group_comparison", "group_comparison/mora-orsa-alvdalen_sv.html",
        {"group": "mora-orsa-alvdalen", "lang": "sv"}),
}


def test_the_readers_index_names_municipalities_by_county_with_their_headline_figure():
    page = reader_index(ENTRIES, "sv", generated="2026-11-24T02:10:00")
    assert check_html(page, "sv") == []
    assert '<html lang="sv">' in page and "SYNTETISKA DATA" in page
    assert 'href="index_en.html"' in page and 'href="runlog.html"' in page
    # by county, with names (not report codes) and the recorded headline figure
    orebro = page[page.index('id="lan-18"'):]
    assert "Karlskoga, maj 2024" in orebro and "47\xa0% digital mognad, Typ C" in orebro
    assert "Örebro, maj 2024" in orebro and "för få svarande för resultat" in orebro
    stockholm = page[page.index('id="lan-01"'):page.index('id="lan-18"')]
    assert "Upplands Väsby" in stockholm and "kunde inte skapas" in stockholm
    assert 'href="municipality_report/0114' not in page  # a failed report is not a link
    assert "Hela landet, maj 2024" in page and "Mora, Orsa och Älvdalen" in page
    assert "national_overview/2024-05_en.html" not in page  # the other language's pages
    # the search box: hidden without script, so the whole list stays visible
    assert re.search(r'<div class="search" id="search" role="search" hidden>', page)
    assert page.count("data-search=") == 5 and "<script>" in page
    assert "1883_2024-05_sv" not in re.sub(r'href="[^"]*"', "", page)  # no report codes shown


def test_the_english_index_and_the_run_log():
    en = reader_index(ENTRIES, "en", other_lang_href="index.html")
    assert '<html lang="en">' in en and "The whole country, May 2024" in en
    assert 'hreflang="sv"' in en  # the municipality reports are in Swedish
    log = run_log(ENTRIES, "en", generated="2026-11-24T02:10:00")
    assert check_html(log, "en") == []
    assert "ValueError: boom" in log and "failed" in log and "1.2" in log
    assert 'class="table-scroll"' in log
