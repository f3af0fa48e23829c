"""`dimios study`, `dimios validate --study` and `dimios demo`: outputs, exit codes, and nothing
written on bad input."""


import pandas as pd
import pytest
from typer.testing import CliRunner

from dimios_lib.cli import app
from dimios_lib.demo.study import FILE_NAME, write_study_demo

runner = CliRunner()


@pytest.fixture(scope="module")
def study_file(tmp_path_factory):
    return write_study_demo(tmp_path_factory.mktemp("cli-study"))


def test_study_writes_the_table(study_file, tmp_path):
    out = tmp_path / "results" / "study.csv"
    result = runner.invoke(app, ["study", str(study_file), "-o", str(out), "--no-ordinal",
                                 "--resamples", "200", "--details-dir", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype={"municipality_code": str})
    required = {"municipality_code", "dimension", "n_before", "n_after", "mean_before",
                "mean_after", "design", "test", "statistic", "df", "p_value", "p_adjusted",
                "effect_size", "ci_low", "ci_high", "did_estimate", "synthetic"}
    assert required <= set(table.columns)
    assert len(table) == 8 * 4 and table["synthetic"].all()
    assert set(table["municipality_code"]) == {"1489", "0580", "2480", "1441", "1880", "2580",
                                               "pooled", "pooled_comparison"}
    assert table.loc[table["municipality_code"] == "pooled", "did_estimate"].notna().all()
    assert table.loc[table["municipality_code"] != "pooled", "did_estimate"].isna().all()
    assert table["p_value"].min() > 0   # written with enough decimals not to round to 0
    assert {p.name for p in (tmp_path / "d").iterdir()} == {
        "design.csv", "did.csv", "reliability.csv", "sensitivity.csv", "warnings.csv",
        "conclusions.csv"}
    assert "0580 Linköping (treated): paired" in result.output
    assert "warning (few_clusters)" in result.output


def test_study_swedish_and_seed(study_file, tmp_path):
    out = tmp_path / "sv.csv"
    args = ["study", str(study_file), "-o", str(out), "--no-ordinal", "--resamples", "200",
            "--swedish", "--lang", "sv", "--seed", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig",
                        dtype={"municipality_code": str})
    assert table["effect_size"].notna().all()
    assert "Insatsen gavs till kommuner" in result.output
    again = tmp_path / "again.csv"
    runner.invoke(app, args[:3] + [str(again)] + args[4:])
    assert again.read_bytes() == out.read_bytes()


def test_study_bad_input_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Kommunkod;Mätning;Respondent;Fråga;Svar\n"
                   "1489;2019-10;a;PUR1;8\n1489;2019-10;a;XYZ;4\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["study", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == [bad]
    assert "row 2, column 'Svar': value '8'" in result.output
    assert "row 3, column 'Fråga': value 'XYZ'" in result.output
    assert "expected two waves" in result.output
    usage = runner.invoke(app, ["study", str(bad), "-o", str(out), "--lang", "de"])
    assert usage.exit_code == 2
    config = runner.invoke(app, ["study", str(bad), "-o", str(out), "--resamples", "5"])
    assert config.exit_code == 1 and "bootstrap_resamples" in config.output
    assert list(tmp_path.iterdir()) == [bad]


def test_validate_study(study_file, tmp_path):
    ok = runner.invoke(app, ["validate", "--study", str(study_file)])
    assert ok.exit_code == 0 and ok.output.startswith("OK [SYNTHETIC demo data]")
    assert "3 treated and 3 comparison municipalities" in ok.output
    bad = tmp_path / "bad.csv"
    bad.write_text("municipality_code,wave,respondent_id,item_id,answer\n"
                   "1489,före,a,PUR1,4\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--study", str(bad)])
    assert result.exit_code == 1 and "the file has only one" in result.output
    own = tmp_path / "own.csv"
    own.write_text("item_id,dimension,reverse,scale_min,scale_max\nQ1,x,false,1,5\n",
                   encoding="utf-8")
    bad.write_text("municipality_code,wave,respondent_id,item_id,answer\n"
                   "1489,före,a,Q1,5\n1489,efter,a,Q1,6\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--study", str(bad), "--instrument", str(own)])
    assert result.exit_code == 1 and "from 1 to 5 (the scale of item Q1)" in result.output


def test_demo_writes_the_study_next_to_the_dimios_demo(tmp_path, monkeypatch):
    import dimios_lib.demo.responses

    # The DiMiOS demo is tested elsewhere; here a stand-in keeps the test fast.
    def fake_write_demo(folder, *, seed, scale):
        path = folder / dimios_lib.demo.responses.FILE_NAME
        path.write_text("stand-in\n", encoding="utf-8")
        return path

    monkeypatch.setattr(dimios_lib.demo.responses, "write_demo", fake_write_demo)
    result = runner.invoke(app, ["demo", "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / FILE_NAME).exists() and (tmp_path / (FILE_NAME + ".meta.json")).exists()
    assert (tmp_path / dimios_lib.demo.responses.FILE_NAME).exists()
    again = runner.invoke(app, ["demo", "--output-dir", str(tmp_path)])
    assert again.output.count("exists (use --force to regenerate)") == 4  # + register, Modig
