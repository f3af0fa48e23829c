"""Which inputs a report reads: the one thing the engine asks the reports layer.

Each report notebook reads some files through :mod:`dimios_lib.reports.data`: the DiMiOS
answers, a study, an instrument, the initiative register, training files, national reference
figures. Some are named by a parameter (``data_path``, ``register_path``, ...; ``None`` means
the SYNTHETIC demo, see :func:`dimios_lib.demo.resolve`); the DiMiOS answers may be several
files or a folder of them (one export per round), and each of those files is an input of its
own. Some inputs are implicit (the item bank and the model configuration every scored report
uses, the packaged instrument a study uses by default).
:func:`declared_inputs` lists them all for one job, so that the engine's cache key and each
page's provenance footer cover every file the report reads, and only those.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .. import demo
from ..config import ModelConfig
from ..io.files import locate, packaged_file
from ..io.tables import data_files
from ..reference.instrument import COMPETENCE_INSTRUMENT, DEFAULT_INSTRUMENT
from ..reference.items import DEFAULT_BANK

# notebook -> {parameter: kind of input}; a kind is one of demo.FILES or "instrument"
PARAMETER_INPUTS: dict[str, dict[str, str]] = {
    "municipality_report": {"data_path": "responses", "reference_path": "reference"},
    "group_comparison": {"data_path": "responses"},
    "national_overview": {"data_path": "responses"},
    "explore": {"data_path": "responses"},
    "innovation_study": {"data_path": "study", "instrument_path": "instrument"},
    "programme_followup": {"data_path": "responses", "register_path": "register",
                           "training_path": "training_log", "outcomes_path": "outcomes",
                           "competence_path": "competence"},
}
SCORED = ("municipality_report", "group_comparison", "national_overview", "explore",
          "programme_followup")
"""Reports that score DiMiOS answers, so read the item bank and the model configuration."""


@dataclass(frozen=True)
class Input:
    """One input of a report.

    Attributes
    ----------
    kind : str
        ``responses``, ``study``, ``instrument``, ``register``, ``training_log``,
        ``outcomes``, ``competence``, ``reference``, ``item_bank`` or ``config``.
    path : Path or None
        The file (a folder for the register); ``None`` when the input is not a file: the demo
        simulated in memory, or the configuration (see ``content``).
    content : str or None
        The input itself when it is no file (the model configuration as JSON).
    """

    kind: str
    path: Path | None
    content: str | None = None

    @property
    def name(self) -> str:
        """What a shared page may say about the input: a file name, never its folder."""
        if self.path is not None:
            return self.path.name
        if self.kind == "config":
            return "ModelConfig"
        return demo.FILES.get(self.kind, self.kind) + " (simulated)"


def response_paths(value, *, start: str | os.PathLike | None = None) -> list[Path] | None:
    """The files (or folders) a ``data_path`` value names: ``None`` (or empty) means the demo
    (its file if on disk, else ``None``: simulated); a path or a list of paths is each found
    like :func:`dimios_lib.io.files.locate` (relative to ``start`` and its parents).

    Raises
    ------
    DimiosError
        A path that does not exist, named with where it was looked for.
    """
    if value is None or value == "" or (isinstance(value, (list, tuple)) and not value):
        found = demo.resolve("responses", None, start=start)
        return None if found is None else [found]
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    return [locate(str(v), start) for v in items]


def response_files(paths: list[Path] | None) -> list[Path]:
    """Every file of :func:`response_paths`, a folder's table files one by one."""
    return [f for p in (paths or []) for f in data_files(p)]


def declared_inputs(notebook: str, parameters: dict, *,
                    start: str | os.PathLike | None = None) -> list[Input]:
    """Every input the report ``notebook`` reads with ``parameters``, in a stable order.

    Relative paths are resolved from ``start`` (default: the working folder) and its parents,
    as the report itself resolves them. DiMiOS answers given as several files or a folder are
    one input per file. A notebook this module does not know declares nothing.

    Raises
    ------
    DimiosError
        A file named by a parameter that does not exist.

    Examples
    --------
    >>> [i.kind for i in declared_inputs("innovation_study", {})]
    ['study', 'instrument']
    >>> [i.kind for i in declared_inputs("national_overview", {})]
    ['responses', 'item_bank', 'config']
    """
    out: list[Input] = []
    for parameter, kind in PARAMETER_INPUTS.get(notebook, {}).items():
        value = parameters.get(parameter)
        path: Path | None
        if kind == "instrument":
            path = packaged_file(DEFAULT_INSTRUMENT) if value in (None, "") else locate(value,
                                                                                       start)
            out.append(Input(kind, path))
            continue
        if kind == "reference":
            if value not in (None, ""):
                out.append(Input(kind, locate(value, start)))
            continue
        if kind == "responses":
            paths = response_paths(value, start=start)
            out += ([Input(kind, None)] if paths is None else
                    [Input(kind, f) for f in response_files(paths)])
            continue
        path = demo.resolve(kind, value, start=start)
        out.append(Input(kind, path))
        if kind == "competence":
            out.append(Input("instrument", packaged_file(COMPETENCE_INSTRUMENT)))
    if notebook in SCORED:
        out.append(Input("item_bank", packaged_file(DEFAULT_BANK)))
        out.append(Input("config", None, content=json.dumps(ModelConfig().to_dict(),
                                                            sort_keys=True, default=str)))
    return out
