"""The plain path: one report through papermill (its own kernel) and our page template
(``dimios render``, ``dimios render-batch``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import DimiosError
from ..io.files import write_atomic
from ..render.page import check_html, to_html
from .notebooks import notebook_path


def execute(notebook: str | os.PathLike, output: str | os.PathLike, parameters: dict | None = None,
            *, cwd: str | os.PathLike | None = None, timeout: int = 600):
    """Execute a notebook with papermill (its own kernel); returns the executed notebook node."""
    import papermill as pm

    return pm.execute_notebook(str(notebook), str(output), parameters=parameters or {},
                               cwd=str(cwd) if cwd else None, progress_bar=False,
                               log_output=False, execution_timeout=timeout)


def render(notebook: str | os.PathLike, html_out: str | os.PathLike,
           parameters: dict | None = None, *, keep_notebook: str | os.PathLike | None = None,
           timeout: int = 600) -> Path:
    """Execute ``notebook`` with ``parameters`` and write the checked HTML page atomically.

    The notebook runs in the working folder, so relative input paths are found from there (and
    its parents), as in ``dimios run``. The executed notebook is kept at ``keep_notebook`` if
    given. Raises :class:`DimiosError` (and writes nothing) when the page would break
    :func:`check_html`.
    """
    parameters = dict(parameters or {})
    lang = parameters.get("lang", "sv")
    nb_path = notebook_path(str(notebook))
    with tempfile.TemporaryDirectory() as tmp:
        executed = execute(nb_path, Path(tmp) / nb_path.name, parameters,
                           cwd=Path.cwd(), timeout=timeout)
        html = to_html(executed, lang)
        problems = check_html(html, lang)
        if problems:
            raise DimiosError(f"{nb_path.name} with {parameters}: the page breaks the report "
                              "rules:\n  " + "\n  ".join(problems))
        if keep_notebook:
            import nbformat

            write_atomic(keep_notebook, nbformat.writes(executed))
    return write_atomic(html_out, html)
