"""Where the report notebooks are.

The notebooks are written and reviewed in the repository's ``notebooks/`` folder (where
JupyterLab users open them) and shipped inside the package as ``dimios_lib.notebooks``, so an
installed package renders reports from any folder. :data:`NOTEBOOK_DIR` is that folder: the
installed copy, or the source tree's ``notebooks/`` when the package runs from a checkout that
was not installed.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from ..errors import DimiosError


def _notebook_dir() -> Path:
    spec = find_spec("dimios_lib.notebooks")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            if any(Path(folder).glob("*.ipynb")):
                return Path(folder)
    return Path(__file__).resolve().parents[2] / "notebooks"


NOTEBOOK_DIR = _notebook_dir()


def notebook_names(notebooks: Path = NOTEBOOK_DIR) -> list[str]:
    """The report notebooks there are (file stems), sorted."""
    return sorted(q.stem for q in Path(notebooks).glob("*.ipynb"))


def notebook_file(name: str, notebooks: Path = NOTEBOOK_DIR) -> Path:
    """The file of notebook ``name`` in ``notebooks`` (it need not exist)."""
    return Path(notebooks) / f"{name}.ipynb"


def notebook_path(name: str) -> Path:
    """``municipality_report`` or a path to an ``.ipynb`` file → the notebook file.

    Raises
    ------
    DimiosError
        Naming the notebooks there are, when ``name`` is neither.
    """
    p = Path(name)
    if p.suffix == ".ipynb" and p.exists():
        return p
    candidate = notebook_file(p.stem)
    if candidate.exists():
        return candidate
    raise DimiosError(f"unknown notebook {name!r}; expected one of "
                      f"{', '.join(notebook_names())}")
