"""The report notebooks executed end to end with papermill, in Swedish and English, on the
hand-computed small dataset (tests/conftest.py), plus the HTML rules of a shared report.

Values are read from what each notebook records (``dimios_lib.html.record``), not from pixels.
The executions run two at a time (one per core) in a module fixture.
"""


import json
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from dimios_lib import reports
from dimios_lib.engine import papermill as render_nb
from dimios_lib.engine.batch import default_batch, read_params
from dimios_lib.render import blocks as H
from dimios_lib.render import page as render

pytestmark = pytest.mark.slow  # runs kernels: make test-fast leaves it out

ROOT = Path(__file__).resolve().parents[2]


NOTEBOOKS = ROOT / "notebooks"


PARAMS = ROOT / "params"


LATEST_DEMO = "2024-05"


def _own_export(small_csv, folder):
    """Karlskoga's own export (1883 only, both rounds), one round of it, and national figures
    from a file."""
    import pandas as pd

    frame = pd.read_csv(small_csv, sep=";", dtype=str)
    own = folder / "karlskoga.csv"
    frame[frame["municipality_code"] == "1883"].to_csv(own, sep=";", index=False)
    one = folder / "karlskoga_2024-05.csv"
    frame[(frame["municipality_code"] == "1883") & (frame["round"] == "2024-05")].to_csv(
        one, sep=";", index=False)
    reference = folder / "riket.csv"
    reference.write_text("Omgång;Mått;Riket;Källa\n2024-05;Mognad;55;DiMiOS 2024\n"
                         "2024-05;Förmåga;50;DiMiOS 2024\n2024-05;Arv;60;DiMiOS 2024\n",
                         encoding="utf-8")
    return own, one, reference


@pytest.fixture(scope="module")
def runs(small_csv, tmp_path_factory):
    out = tmp_path_factory.mktemp("executed")
    data = {"data_path": str(small_csv)}
    own, one, reference = _own_export(small_csv, tmp_path_factory.mktemp("own"))
    plan = {
        ("municipality_own", "sv"): ({"data_path": str(own)}, ROOT),
        ("municipality_reference", "en"): ({"data_path": str(own), "lang": "en",
                                            "reference_path": str(reference)}, ROOT),
        ("municipality_code_number", "sv"): ({**data, "municipality_code": 114}, ROOT),
        ("explore_one_round", "en"): ({"data_path": str(one)}, NOTEBOOKS),
        ("municipality_report", "sv"): ({**data, "lang": "sv"}, ROOT),
        ("municipality_report", "en"): ({**data, "lang": "en"}, NOTEBOOKS),
        ("municipality_too_few", "sv"): ({**data, "municipality_code": "1884"}, ROOT),
        ("group_comparison", "sv"): ({**data, "group": ["1883", "1880", "0114", "1884"]}, ROOT),
        ("group_comparison", "en"): ({**data, "lang": "en", "group": "county:18"}, NOTEBOOKS),
        ("national_overview", "sv"): ({**data}, NOTEBOOKS),
        ("national_overview", "en"): ({**data, "lang": "en"}, ROOT),
        ("explore", "en"): ({**data}, NOTEBOOKS),
        # as-is: default parameters (demo data) from notebooks/, a params file from the root
        ("municipality_default", "sv"): ({}, NOTEBOOKS),
        ("innovation_study", "sv"): ({}, ROOT),
        ("innovation_study", "en"): ({"lang": "en", "municipalities": ["1489", "0580"]},
                                     NOTEBOOKS),
        ("programme_followup", "sv"): ({}, ROOT),
        ("programme_followup", "en"): ({"lang": "en", "group": ["1440"], "start": "2022-01",
                                        "end": "2023-12-31"}, NOTEBOOKS),
        ("national_params_file", "en"): (
            dict(_yaml(PARAMS / "national_overview" / f"{LATEST_DEMO}_en.yaml")), ROOT),
    }

    def run(key):
        name, lang = key
        params, cwd = plan[key]
        notebook = {"municipality_too_few": "municipality_report",
                    "municipality_default": "municipality_report",
                    "municipality_own": "municipality_report",
                    "municipality_reference": "municipality_report",
                    "municipality_code_number": "municipality_report",
                    "explore_one_round": "explore",
                    "national_params_file": "national_overview"}.get(name, name)
        nb = render_nb.execute(NOTEBOOKS / f"{notebook}.ipynb", out / f"{name}_{lang}.ipynb",
                            params, cwd=cwd)
        return key, nb

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, plan))


def _yaml(path):
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _html(runs, key):
    return render.to_html(runs[key], key[1])


def _forbidden(small_csv):
    ids = [f"{c}-{r}-resp{k:02d}" for c in ("1883", "1880", "0114", "1884")
           for r in ("2023-11", "2024-05") for k in range(1, 7)]
    return (*ids, str(small_csv.parent))


@pytest.mark.parametrize("key", [("municipality_report", "sv"), ("municipality_report", "en"),
                                 ("municipality_own", "sv"), ("municipality_reference", "en"),
                                 ("municipality_too_few", "sv"), ("group_comparison", "sv"),
                                 ("group_comparison", "en"), ("national_overview", "sv"),
                                 ("national_overview", "en"), ("municipality_default", "sv"),
                                 ("national_params_file", "en"), ("innovation_study", "sv"),
                                 ("innovation_study", "en"), ("programme_followup", "sv"),
                                 ("programme_followup", "en")])
def test_every_report_page_keeps_the_rules(runs, key, small_csv):
    page = _html(runs, key)
    assert render.check_html(page, key[1], forbidden=_forbidden(small_csv)) == []
    assert "<pre" not in page and "import " not in page  # code hidden
    assert "Traceback" not in page


def test_municipality_report_records_the_hand_computed_values(runs):
    for lang in ("sv", "en"):
        rec = H.records(runs[("municipality_report", lang)])
        assert rec["lang"] == lang and rec["municipality_code"] == "1883"
        assert rec["round"] == "2024-05" and rec["n_respondents"] == 6
        assert rec["maturity_pct"] == pytest.approx(70.0)
        assert rec["maturity_national"] == pytest.approx(190 / 3)
        assert rec["maturity_change"] == pytest.approx(50.0)
        assert rec["maturity_change_significant"] is True
        assert rec["type"] == "D"


def test_municipality_report_reads_in_swedish_and_english(runs):
    sv = _html(runs, ("municipality_report", "sv"))
    assert "Digital mognad i Karlskoga – maj 2024" in sv
    verdict = sv[sv.index('class="verdict"'):][:400]
    assert "Karlskoga har 70\xa0% i digital mognad" in verdict   # the first sentence: the verdict
    assert "Mognaden har ökat med 50,0 procentenheter sedan november 2023." in verdict
    # Karlskoga: 60 x 3 and 80 x 3, s² = 120; 70 ± t(0.975, 5) x sqrt(120 / 6) = 70 ± 11.50
    assert "95\xa0% KI 59–81\xa0%" in sv                      # Swedish percent and interval
    assert "▲ Ökning +50,0 procentenheter sedan november 2023" in sv   # a called change
    assert "ökning med 50,0 procentenheter sedan november 2023" in sv
    assert "Typ D" in sv and "Örebro län" in sv
    # Service (one respondent) is hidden, and Socialtjänst (5) too: 6 - 5 would give it away
    assert "Socialtjänst" not in sv and "Service" not in sv
    assert "Inga resultat visas per förvaltning i omgången" in sv
    en = _html(runs, ("municipality_report", "en"))
    assert "Digital maturity in Karlskoga – May 2024" in en
    assert "95% CI 59–81%" in en and "Karlskoga is at 70% digital maturity" in en
    assert "an increase of 50.0 percentage points since November 2023" in en


def test_a_municipality_with_too_few_respondents_gets_a_short_clear_report(runs):
    rec = H.records(runs[("municipality_too_few", "sv")])
    assert rec["status"] == "too_few" and "maturity_pct" not in rec
    page = _html(runs, ("municipality_too_few", "sv"))
    assert "för få svarande" in page and "100\xa0%" not in page


def test_group_comparison_and_national_overview_record_their_figures(runs):
    grp = H.records(runs[("group_comparison", "sv")])
    assert grp["n_members"] == 4 and grp["n_shown"] == 3
    assert grp["maturity_0114"] == pytest.approx(80) and grp["maturity_1880"] == pytest.approx(40)
    # Karlskoga's interval (58.5-81.5) reaches past Upplands Väsby's 80: they may swap places
    assert grp["rank_0114"] == [1, 2] and grp["rank_1880"] == [3, 3]
    assert "maturity_1884" not in grp  # Nora: 3 respondents, named as not shown, no values
    assert H.records(runs[("group_comparison", "en")])["group"] == "county-18"
    nat = H.records(runs[("national_overview", "en")])
    assert nat["n_municipalities"] == 3 and nat["types"] == {"A": 1, "B": 0, "C": 0, "D": 2}
    assert nat["maturity_national"] == pytest.approx(190 / 3)
    page = _html(runs, ("national_overview", "sv"))
    assert "Digital mognad i Sveriges kommuner – maj 2024" in page
    assert "63,3\xa0%" in page


def test_the_pages_print_the_numbers_of_the_shared_tables(runs, small_csv):
    """The national average and the county means on the pages are those of ``dimios tables``."""
    from dimios_lib.contracts.responses import read_responses
    from dimios_lib.maturity.tables import shareable_tables
    from dimios_lib.text import fmt

    tables = shareable_tables(read_responses(small_csv))
    nat = tables["national_round.csv"].set_index("round").loc["2024-05"]
    county = tables["county_round.csv"].set_index(["county_code", "round"]).loc[("18", "2024-05")]
    for lang in ("sv", "en"):
        page = _html(runs, ("national_overview", lang))
        for m in ("maturity", "capability", "legacy"):
            assert fmt.with_interval(nat[f"{m}_pct"], nat[f"{m}_ci_low"], nat[f"{m}_ci_high"],
                                     lang, ci_level=0.95) in page
        assert fmt.pct(county["maturity_pct"], lang) in page
        mun = _html(runs, ("municipality_report", lang))
        assert fmt.pct(nat["maturity_pct"], lang) in mun
    assert "deltagande kommunernas" in _html(runs, ("national_overview", "sv"))
    assert "choose for themselves" in _html(runs, ("municipality_report", "en"))


def test_as_is_runs_on_the_demo_data(runs):
    rec = H.records(runs[("municipality_default", "sv")])
    assert rec["municipality_code"] == "1883" and rec["synthetic"] is True
    assert rec["round"] == LATEST_DEMO
    assert "SYNTETISKA" in _html(runs, ("municipality_default", "sv"))
    nat = H.records(runs[("national_params_file", "en")])
    assert nat["round"] == LATEST_DEMO and nat["synthetic"] is True
    assert "SYNTHETIC" in _html(runs, ("national_params_file", "en"))


def test_innovation_study_report(runs):
    sv = H.records(runs[("innovation_study", "sv")])
    assert sv["synthetic"] is True and sv["waves"] == {"before": "2019-10", "after": "2021-04"}
    assert set(sv["municipalities"]) == {"1489", "0580", "2480", "1441", "1880", "2580"}
    # three treated against three comparison municipalities: no test across municipalities can
    # reach 5 % after Holm over four dimensions, so nothing is attributed (docs/study.md)
    assert not {"did_supported", "did_suggestive"} & set(sv["conclusions"].values())
    assert "change_not_attributable" in sv["conclusions"].values()
    page = _html(runs, ("innovation_study", "sv"))
    assert "Innovationsförmåga före och efter: Linköping, Alingsås och Umeå" in page
    assert "oktober 2019" in page and "Skillnad-i-skillnader" in page
    en = H.records(runs[("innovation_study", "en")])
    assert set(en["municipalities"]) == {"1489", "0580", "1441", "1880", "2580"}
    assert "Umeå" not in _html(runs, ("innovation_study", "en")).split("<h1")[1].split("</h1>")[0]


def test_programme_followup_report(runs):
    sv = H.records(runs[("programme_followup", "sv")])
    assert sv["group"] == "modig" and sv["synthetic"] is True and sv["n_initiatives"] > 0
    funnel = list(sv["funnel"].values())
    assert funnel[0] == sv["n_initiatives"]  # everyone starts at dialog
    assert all(a >= b for a, b in zip(funnel, funnel[1:]))  # the process allows no skipping
    assert sv["n_beyond_others"] <= sv["n_clear"] <= sv["n_capability_changes"]
    page = _html(runs, ("programme_followup", "sv"))
    assert "Uppföljning av åtaganden och insatser: Modig-kommunerna" in page
    # the training section reproduces Modig's published totals and shares (demo calibration)
    assert "3\xa0513 personer utbildades under 30\xa0605 timmar" in page
    assert "Det stämmer med Modigs publicerade totaler" in page
    assert "Chefer som ändrat minst en rutin" in page
    en = H.records(runs[("programme_followup", "en")])
    assert en["start"] == "2022-01-01" and en["end"] == "2023-12-31"
    assert en["n_initiatives"] < sv["n_initiatives"]  # one municipality, a shorter period


def _outputs(nb):
    return [o["data"]["text/html"] if "text/html" in o.get("data", {}) else o.get("text", "")
            for c in nb.cells for o in c.get("outputs", [])]


def test_explore_shows_its_building_blocks(runs):
    nb = runs[("explore", "en")]
    html = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
            if "text/html" in o.get("data", {})]
    assert any("maturity_pct" in h for h in html)  # tables of scores and benchmarks
    assert "<svg" in html[-1] and "<title>" in html[-1] and 'viewBox="' in html[-1]  # the figure
    # the unit 'Service' has one respondent: never shown, not even with blank values
    assert not any("Service" in h for h in _outputs(nb))


def test_explore_works_on_one_municipality_in_one_round(runs):
    text = "\n".join(_outputs(runs[("explore_one_round", "en")]))
    assert "One round in the data" in text and "maturity_pct" in text
    assert "Service" not in text


def test_a_municipalitys_own_export_is_not_compared_with_itself(runs):
    rec = H.records(runs[("municipality_own", "sv")])
    assert rec["national_source"] == "none" and rec["maturity_pct"] == pytest.approx(70.0)
    assert rec["maturity_national"] is None
    page = _html(runs, ("municipality_own", "sv"))
    assert "Underlaget innehåller bara svar från Karlskoga" in page
    assert "plats" not in page and "över riksgenomsnittet" not in page
    ref = H.records(runs[("municipality_reference", "en")])
    assert ref["national_source"] == "reference" and ref["maturity_national"] == 55
    assert "national figures from DiMiOS 2024 (riket.csv)" in _html(
        runs, ("municipality_reference", "en"))


def test_a_code_that_papermill_made_a_number_is_restored(runs):
    rec = H.records(runs[("municipality_code_number", "sv")])
    assert rec["municipality_code"] == "0114" and rec["maturity_pct"] == pytest.approx(80.0)


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebooks_are_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1


def test_committed_params_are_the_generated_default_batch():
    jobs = default_batch(reports.load_data(None))
    committed = {j.key: j.parameters for j in read_params(PARAMS)}
    assert committed == {j.key: j.parameters for j in jobs}
    json.dumps(committed)  # plain values only


# --- in a real browser: no sideways scroll on a phone, the handout on two A4 pages ------------

CHROMIUM = next((p for p in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(p)), None)
MEASURE = ("<script>addEventListener('load', function () { parent.postMessage("
           "document.documentElement.scrollWidth, '*'); });</script>")
FRAME = ("<!DOCTYPE html><html><body><script>addEventListener('message', function (e) {{ "
         "document.body.setAttribute('data-scroll-width', e.data); }});</script>"
         '<iframe src="page.html" width="{width}" height="800" style="border:0"></iframe>'
         "</body></html>")
"""Headless Chromium's window is at least 500 px wide, so the page is measured in a frame of
the phone's width (the page reports its own scroll width to the frame's parent)."""


def _chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-background-networking", "--disable-component-update",
                           "--no-first-run", f"--user-data-dir={tmp / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120)


def _pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes()))


@pytest.mark.skipif(CHROMIUM is None, reason="needs headless Chromium (apt-get install chromium)")
@pytest.mark.parametrize("key", [("municipality_report", "sv"), ("group_comparison", "sv"),
                                 ("national_overview", "sv"), ("programme_followup", "sv"),
                                 ("innovation_study", "sv")])
def test_pages_fit_a_phone_without_sideways_scroll_and_print_on_a4(runs, key, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(_html(runs, key).replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    for width in (320, 360):
        frame = tmp_path / f"frame{width}.html"
        frame.write_text(FRAME.format(width=width), encoding="utf-8")
        dom = _chromium("--window-size=800,900", "--virtual-time-budget=5000",
                        "--allow-file-access-from-files", "--dump-dom", frame.as_uri(),
                        tmp=tmp_path).stdout
        scroll = int(re.search(r'data-scroll-width="(\d+)"', dom).group(1))
        assert scroll <= width, f"{key} at {width} px is {scroll} px wide"
    pdf = tmp_path / "page.pdf"
    _chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri(), tmp=tmp_path)
    assert b"/MediaBox [0 0 594.95996 841.91998]" in pdf.read_bytes()  # A4, not US Letter
    if key[0] == "municipality_report":
        handout = tmp_path / "handout.pdf"
        _chromium("--no-pdf-header-footer", f"--print-to-pdf={handout}",
                  page.as_uri() + "#handout", tmp=tmp_path)
        assert 1 <= _pdf_pages(handout) <= 2 < _pdf_pages(pdf)
