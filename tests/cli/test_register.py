"""`dimios validate --register`."""

from typer.testing import CliRunner

from dimios_lib.cli import app

from ..conftest import STAGES, write_register


def test_cli_validates_a_register(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["validate", "--register", str(write_register(tmp_path / "ok"))])
    assert ok.exit_code == 0 and "4 initiatives, 15 stage entries, 3 KPIs" in ok.output
    bad = write_register(tmp_path / "bad", stages=STAGES.replace("D;utforska", "D;brainstorm"))
    result = runner.invoke(app, ["validate", "--register", str(bad)])
    assert result.exit_code == 1
    assert "row 16, column 'stage': value 'brainstorm'" in " ".join(result.output.split())
