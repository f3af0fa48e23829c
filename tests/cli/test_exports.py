"""The command line on real-world input: several files and folders, messages that stay a
screenful, empty input refused by every command alike, output paths that cannot be written,
shared CSV files safe to open, and tables made again only when their inputs changed."""

import os
import stat

import pytest
from typer.testing import CliRunner

from dimios_lib.cli import app

runner = CliRunner()
HEAD = "Kommunkod;Omgång;Respondent;Förvaltning;Roll;Fråga;Svar\n"


def export(path, rnd="2024-05", n=6, unit="Socialtjänst", role="Chef", code="1883"):
    lines = [f"{code};{rnd};r{k};{unit};{role};{item};4\n" for k in range(n)
             for item in ("EFF1", "INN1", "ORG1", "TEK1")]
    path.write_text(HEAD + "".join(lines), encoding="utf-8")
    return path


def test_validate_and_score_take_several_files_or_a_folder(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    export(folder / "2023-11.csv", "2023-11")
    export(folder / "2024-05.csv", "2024-05")
    ok = runner.invoke(app, ["validate", str(folder)])
    assert ok.exit_code == 0 and "rounds 2023-11, 2024-05 in 2 files" in ok.output
    listed = runner.invoke(app, ["validate", str(folder / "2023-11.csv"),
                                 str(folder / "2024-05.csv")])
    assert listed.exit_code == 0 and "in 2 files" in listed.output
    out = tmp_path / "scores.csv"
    scored = runner.invoke(app, ["score", str(folder), "-o", str(out), "--no-ci"])
    assert scored.exit_code == 0, scored.output
    assert out.read_text().count("1883") == 2  # one row per round


def test_a_fault_on_every_row_prints_a_screenful(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEAD + "".join(f"1883;2024-5;r{k};S;C;EFF1;4\n" for k in range(5000)),
                    encoding="utf-8")
    short = runner.invoke(app, ["validate", str(path)])
    assert short.exit_code == 1 and len(short.output.splitlines()) <= 25
    assert "5,000 problems" in short.output and "(5,000 rows: 2\u20135001)" in short.output
    every = runner.invoke(app, ["validate", str(path), "--all"])
    assert len(every.output.splitlines()) > 5000
    listing = tmp_path / "problems.csv"
    written = runner.invoke(app, ["validate", str(path), "--problems", str(listing)])
    assert written.exit_code == 1 and len(listing.read_text().splitlines()) == 5001


def test_a_shifted_file_is_one_problem(tmp_path):
    path = tmp_path / "shifted.csv"
    path.write_text(HEAD + "".join(f"{k};1883;2024-05;r{k};S;C;EFF1;4\n" for k in range(1248)),
                    encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1 and "1 problem;" in result.output
    assert "every column would be shifted" in " ".join(result.output.split())


@pytest.mark.parametrize("command", [["validate"], ["score", "-o", "{out}/s.csv"],
                                     ["tables", "-o", "{out}/tables"],
                                     ["reliability", "-o", "{out}/r.csv"]])
def test_empty_input_is_refused_alike_by_every_command(tmp_path, command):
    header_only = tmp_path / "header.csv"
    header_only.write_text(HEAD, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(out=out) for a in command]
    result = runner.invoke(app, [args[0], str(header_only), *args[1:]])
    assert result.exit_code == 1
    assert "no answers: the file has a header but no rows" in result.output
    assert "Traceback" not in result.output and list(out.iterdir()) == []


def test_empty_input_is_refused_by_params_too(tmp_path):
    header_only = tmp_path / "header.csv"
    header_only.write_text(HEAD, encoding="utf-8")
    result = runner.invoke(app, ["params", "--data", str(header_only), "-o",
                                 str(tmp_path / "params")])
    assert result.exit_code == 1 and "no answers" in result.output
    assert not (tmp_path / "params").exists()


def test_output_paths_that_cannot_be_written_give_one_line(tmp_path):
    data = export(tmp_path / "x.csv")
    cases = [["score", str(data), "-o", str(tmp_path)],                       # a folder
             ["score", str(data), "-o", str(tmp_path / "missing" / "s.csv")],  # no folder
             ["tables", str(data), "-o", str(data)],                           # a file
             ["tables", str(data), "-o", str(data / "tables")]]                # below a file
    for args in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert result.output.startswith("Error: cannot write") and result.output.count("\n") == 1
    assert not (tmp_path / "missing").exists()


def test_shared_csv_cells_cannot_start_a_formula(tmp_path):
    data = export(tmp_path / "x.csv", unit="=HYPERLINK(A1)", role="@SUM(A1)")
    result = runner.invoke(app, ["tables", str(data), "-o", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    unit = (tmp_path / "t" / "municipality_round_unit.csv").read_text(encoding="utf-8")
    role = (tmp_path / "t" / "municipality_round_role.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(A1)" in unit and "\n=HYPERLINK" not in unit and ",=HYP" not in unit
    assert "'@SUM(A1)" in role


def test_written_files_have_ordinary_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        data = export(tmp_path / "x.csv")
        assert runner.invoke(app, ["tables", str(data), "-o", str(tmp_path / "t")]).exit_code == 0
        assert runner.invoke(app, ["score", str(data), "-o", str(tmp_path / "s.csv"),
                                   "--no-ci"]).exit_code == 0
    finally:
        os.umask(old)
    for path in [tmp_path / "s.csv", *(tmp_path / "t").glob("*.csv")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_tables_are_made_again_only_when_their_inputs_change(tmp_path):
    data = export(tmp_path / "x.csv")
    out = tmp_path / "t"
    first = runner.invoke(app, ["tables", str(data), "-o", str(out)])
    assert first.exit_code == 0 and "wrote" in first.output
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.csv")}
    again = runner.invoke(app, ["tables", str(data), "-o", str(out)])
    assert again.exit_code == 0 and "up to date" in again.output
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.csv")} == before
    export(data, n=7)  # the input changed
    assert "wrote" in runner.invoke(app, ["tables", str(data), "-o", str(out)]).output
    (out / "national_round.csv").write_text("edited\n")  # an output changed
    assert "wrote" in runner.invoke(app, ["tables", str(data), "-o", str(out)]).output
    assert "wrote" in runner.invoke(app, ["tables", str(data), "-o", str(out),
                                          "--force"]).output


def test_question_texts_and_labels_through_the_command_line(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("Kommunkod;Omgång;Respondent;Hur väl kopplas det till planeringen?;"
                    "Öppna data\n1883;2024-05;r1;Helt enig;Instämmer helt\n", encoding="utf-8")
    (tmp_path / "map.csv").write_text("rubrik;item_id\nHur väl kopplas det till planeringen?;"
                                      "EFF1\n", encoding="utf-8")
    (tmp_path / "labels.csv").write_text("label;value\nHelt enig;6\nInstämmer helt;6\n",
                                         encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--item-map", str(tmp_path / "map.csv"),
                                 "--answer-labels", str(tmp_path / "labels.csv")])
    assert result.exit_code == 0, result.output
    assert "matched to items by the item map" in result.output
