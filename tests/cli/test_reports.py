"""The command line's report commands: `dimios params` and `dimios run` refusing an invalid matrix."""


import pytest
from typer.testing import CliRunner

from dimios_lib.cli import app

runner = CliRunner()




@pytest.mark.slow
def test_run_refuses_an_invalid_matrix_and_runs_nothing(tmp_path):
    params = tmp_path / "params" / "municipality_report"
    params.mkdir(parents=True)
    (params / "bad.yaml").write_text('municipality_code: "9999"\nround: "2031-05"\n'
                                     'lang: "fi"\ncolour: "red"\n', encoding="utf-8")
    (params / "typed.yaml").write_text("municipality_code: 1883\nround: 2024-05-01\n",
                                       encoding="utf-8")  # YAML: an int and a date
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "--params-dir", str(tmp_path / "params"), "-o", str(out)])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    for expected in ("problem(s); nothing ran",
                     "'9999' is not a municipality", "unknown parameter 'colour'",
                     "lang 'fi'", "round '2031-05' is not in the data",
                     "parameter 'round' = 2024-05-01 is a date"):
        assert expected in text
    assert not list(out.rglob("*.html")) and not (out / "index.json").exists()


def test_params_writes_the_default_batch(small_demo, tmp_path):
    result = runner.invoke(app, ["params", "--data", str(small_demo), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.yaml"))
    assert "national_overview/2022-05_sv.yaml" in files
    assert "innovation_study/digigrow_en.yaml" in files
    text = (tmp_path / "national_overview" / "2022-05_en.yaml").read_text(encoding="utf-8")
    assert 'round: "2022-05"' in text and f'data_path: "{small_demo}"' in text


def test_render_reads_codes_and_rounds_as_text_and_says_what_is_wrong(small_csv, tmp_path):
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["render", "municipality_report", "-o", str(out),
                                 "-p", "municipality_code=0114", "-p", "round=2024-05-01",
                                 "-p", f"data_path={small_csv}"])
    assert result.exit_code == 1 and "nothing ran" in result.output
    text = " ".join(result.output.split())
    assert "round '2024-05-01' is not a round; expected YYYY-MM, e.g. '2024-05'" in text
    assert "unknown municipality" not in text and "'76'" not in text  # 0114 stayed text
    assert not out.exists()
    missing = runner.invoke(app, ["render", "municipality_report", "-o",
                                  str(tmp_path / "no" / "r.html")])
    assert missing.exit_code == 1 and "does not exist" in missing.output
