"""The plain path: one report through papermill (its own kernel) and our page template
(``dimios render``, ``dimios render-batch``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import DimiosError, RunValidationError
from ..io.files import cache_dir, write_atomic
from ..render.page import check_html, to_html
from .notebooks import notebook_path


def execute(notebook: str | os.PathLike, output: str | os.PathLike, parameters: dict | None = None,
            *, cwd: str | os.PathLike | None = None, timeout: int = 600):
    """Execute a notebook with papermill (its own kernel, over IPC:
    :func:`~dimios_lib.engine.kernel.ipc_kernel_manager`); returns the executed notebook node."""
    import papermill as pm

    from .kernel import ipc_kernel_manager

    return pm.execute_notebook(str(notebook), str(output), parameters=parameters or {},
                               cwd=str(cwd) if cwd else None, progress_bar=False,
                               log_output=False, execution_timeout=timeout,
                               kernel_manager_class=ipc_kernel_manager())


def check_parameters(notebook: str | os.PathLike, values: dict,
                     text: dict[str, str] | None = None) -> tuple[dict, list[str]]:
    """The parameters of one report, checked before any kernel starts: ``values`` (typed, from
    a YAML file) and ``text`` (``NAME=VALUE`` as typed, read by the notebook's annotations,
    :func:`~dimios_lib.engine.params.parameters_from_text`). Returns them with codes that lost
    their leading zero restored, and the notes saying so.

    Raises
    ------
    RunValidationError
        Every problem at once (unknown names, wrong types, dates, unknown codes and rounds).
    """
    from .batch import Job
    from .cache import rounds_lookup
    from .params import normalise_jobs, notebook_parameters, parameters_from_text, validate_jobs

    nb_path = notebook_path(str(notebook))
    spec = notebook_parameters(nb_path)
    merged = {**values, **parameters_from_text(text or {}, spec)}
    jobs, notes = normalise_jobs([Job(nb_path.stem, "render", merged)])
    problems = validate_jobs(jobs, notebooks=nb_path.parent,
                             rounds_of=rounds_lookup(cache_dir() / "render"))
    if problems:
        raise RunValidationError(problems)
    return jobs[0].parameters, notes


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
