"""The package as users install it: a wheel carries the notebooks and the data, and renders a
report from any folder without the source tree."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # builds a wheel: make test-fast leaves it out


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    return next(out.glob("dimios_lib-*.whl"))


def test_the_wheel_carries_notebooks_and_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    notebooks = {Path(n).stem for n in names if n.startswith("dimios_lib/notebooks/")
                 and n.endswith(".ipynb")}
    assert notebooks == {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert {"dimios_lib/data/kommuner.csv", "dimios_lib/data/items_dimios_v0.1.csv",
            "dimios_lib/data/groups.yaml"} <= names
    assert not any(n.startswith(("tests/", "bench/", "notebooks/")) for n in names)
    for lang in ("sv", "en"):  # the message catalogs, compiled when the wheel is built
        assert {f"dimios_lib/text/locale/{lang}/LC_MESSAGES/dimios.{ext}"
                for ext in ("po", "mo")} <= names


def test_an_installed_package_renders_from_any_folder(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {"PYTHONPATH": str(site), "PATH": str(Path(sys.executable).parent),
           "HOME": str(tmp_path), "DIMIOS_CACHE_DIR": str(tmp_path / "cache")}
    where = subprocess.run(
        [sys.executable, "-c", "from dimios_lib.engine.notebooks import NOTEBOOK_DIR; "
         "print(NOTEBOOK_DIR)"], cwd=work, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(site)
    done = subprocess.run(
        [sys.executable, "-c", "from dimios_lib.cli import app; app()", "render",
         "municipality_report", "-p", "municipality_code=1883", "-o", "report.html"],
        cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    page = (work / "report.html").read_text(encoding="utf-8")
    assert "Karlskoga" in page and "SYNTETISKA" in page  # the demo, simulated in memory
