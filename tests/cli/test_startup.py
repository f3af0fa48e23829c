"""``dimios --help`` starts fast: the command line imports no heavy library until a command
runs (the time itself is measured in bench/bench_startup.py)."""

import subprocess
import sys

from typer.testing import CliRunner

from dimios_lib.cli import app

HEAVY = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "pandera", "nbformat",
         "papermill", "nbclient", "jupyter_client", "babel", "dask")


def test_the_command_line_imports_nothing_heavy():
    code = ("import sys, dimios_lib.cli; "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_lists_every_command():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "score", "tables", "reliability", "items", "study", "demo",
                    "municipalities", "groups", "params", "render", "render-batch", "run",
                    "version"):
        assert command in result.output
