"""The command line: validate and score, exit codes, and nothing written on bad input."""


import pandas as pd
import pytest
from typer.testing import CliRunner

from dimios_lib.cli import app

runner = CliRunner()




def test_validate_ok_and_bad(small_demo, tmp_path):
    ok = runner.invoke(app, ["validate", str(small_demo)])
    assert ok.exit_code == 0 and ok.output.startswith("OK")
    bad = tmp_path / "bad.csv"
    bad.write_text("Kommunkod;Omgång;Respondent;Fråga;Svar\n0114;2023-11;r1;EFF1;9\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "row 2, column 'Svar': value '9'" in result.output


def test_score_writes_required_columns(small_demo, tmp_path):
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["score", str(small_demo), "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype={"municipality_code": str})
    required = {"municipality_code", "municipality_name", "round", "n_respondents",
                "capability_pct", "legacy_pct", "maturity_pct", "type", "maturity_ci_low",
                "maturity_ci_high", "suppressed"}
    assert required <= set(table.columns)
    assert table["municipality_code"].str.fullmatch(r"\d{4}").all()
    small = table[table["suppressed"]]
    assert small["maturity_pct"].isna().all() and small["n_respondents"].isna().all()
    assert (table.loc[~table["suppressed"], "n_respondents"] >= 5).all()
    assert table.loc[~table["suppressed"], "maturity_pct"].notna().all()
    # standard errors, t degrees of freedom and the small-area estimates beside the direct ones
    shown = table[~table["suppressed"]]
    assert (shown["maturity_se"] > 0).all()
    assert (shown["maturity_df"] == shown["n_respondents"] - 1).all()
    assert shown["maturity_eb_pct"].notna().all() and small["maturity_eb_pct"].isna().all()
    assert shown["maturity_eb_shrinkage"].between(0, 1).all()
    spread = shown.groupby("round")[["maturity_pct", "maturity_eb_pct"]].std()
    assert (spread["maturity_eb_pct"] < spread["maturity_pct"]).all()   # pulled together


@pytest.mark.parametrize("level,key", [("category", "category"), ("capability", "item_id")])
def test_score_levels_and_swedish_csv(small_demo, tmp_path, level, key):
    out = tmp_path / f"{level}.csv"
    args = ["score", str(small_demo), "-o", str(out), "--level", level, "--by", "unit",
            "--no-ci", "--swedish"]
    refused = runner.invoke(app, args)  # by unit below the municipality level: not shareable
    assert refused.exit_code == 1 and "cannot be shared" in refused.output
    assert not out.exists()
    result = runner.invoke(app, [*args, "--include-small-groups"])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig",
                        dtype={"municipality_code": str})
    assert {key, "unit", "pct"} <= set(table.columns)
    assert table["pct"].dropna().between(0, 100).all()


def test_invalid_file_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Kommunkod;Omgång;Respondent;Fråga;Svar\n114;2023-11;r1;EFF1;4\n",
                   encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["score", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]
    padded = runner.invoke(app, ["score", str(bad), "-o", str(out), "--pad-codes"])
    assert padded.exit_code == 0 and out.exists()


def test_tables_writes_every_table(small_demo, tmp_path):
    result = runner.invoke(app, ["tables", str(small_demo), "-o", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "t").iterdir()}
    assert {"municipality_round.csv", "national_round.csv", "municipality_changes.csv",
            "reliability_round.csv", "groups_round.csv", "municipality_round_unit.csv"} <= names
    assert not any(n.endswith(".tmp") for n in names)
