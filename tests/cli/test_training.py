"""`dimios validate --training/--outcomes/--competence` and `dimios demo` for the Modig files."""


import pytest
from typer.testing import CliRunner

from dimios_lib.cli import app
from dimios_lib.demo.modig import (
    COMPETENCE_FILE,
    OUTCOMES_FILE,
    TRAINING_FILE,
    generate_modig_demo,
    write_modig_demo,
)

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    return write_modig_demo(tmp_path_factory.mktemp("modig"))


@pytest.fixture(scope="module")
def demo():
    return generate_modig_demo()


def test_cli_validate_training_outcomes_competence(demo_files):
    ok = runner.invoke(app, ["validate", "--training", str(demo_files["training_log"])])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("OK [SYNTHETIC demo data]: 924 rows, 7 municipalities")
    assert "3513 people trained, 30605 hours, 33 ambassadors" in ok.output
    ok = runner.invoke(app, ["validate", "--outcomes", str(demo_files["outcomes"])])
    assert ok.exit_code == 0 and "124 managers, 792 staff" in ok.output
    ok = runner.invoke(app, ["validate", "--competence", str(demo_files["competence"])])
    assert ok.exit_code == 0 and "7 treated and 0 comparison" in ok.output
    wrong = runner.invoke(app, ["validate", "--study", str(demo_files["competence"])])
    assert wrong.exit_code == 1 and "expected an item of the instrument" in wrong.output
    both = runner.invoke(app, ["validate", "--training", "--outcomes",
                               str(demo_files["outcomes"])])
    assert both.exit_code == 2


def test_cli_validate_bad_training_files(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Kommunkod;Månad;Roll;Ombud;Deltagare;Timmar\n"
                   "1440;2019-10;USK;1;4;-2\n1440;2019-1;USK;1;4;2\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--training", str(bad)])
    assert result.exit_code == 1 and "nothing written" in result.output
    assert "row 2, column 'Timmar': value '-2'" in result.output
    assert "row 3, column 'Månad': value '2019-1'" in result.output
    bad.write_text("Kommunkod;Respondent;Grupp;Fråga;Svar\n1440;a;chef;rutin;kanske\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["validate", "--outcomes", str(bad)])
    assert result.exit_code == 1 and "row 2, column 'Svar': value 'kanske'" in result.output
    assert list(tmp_path.iterdir()) == [bad]


def test_cli_demo_writes_the_modig_files(tmp_path, monkeypatch):
    import dimios_lib.demo.responses

    def fake_write_demo(folder, *, seed, scale):  # the DiMiOS demo is tested elsewhere
        path = folder / dimios_lib.demo.responses.FILE_NAME
        path.write_text("stand-in\n", encoding="utf-8")
        return path

    monkeypatch.setattr(dimios_lib.demo.responses, "write_demo", fake_write_demo)
    result = runner.invoke(app, ["demo", "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in (TRAINING_FILE, OUTCOMES_FILE, COMPETENCE_FILE):
        assert (tmp_path / name).exists() and (tmp_path / (name + ".meta.json")).exists()
    again = runner.invoke(app, ["demo", "--output-dir", str(tmp_path)])
    assert f"{tmp_path / TRAINING_FILE} exists" in again.output
