"""Which inputs a report reads: the one thing the engine asks the reports layer.

Each report notebook reads some files through :mod:`dimios_lib.reports.data`: the DiMiOS
answers, a study, an instrument, the initiative register, training files. Some are named by a
parameter (``data_path``, ``register_path``, ...; ``None`` means the SYNTHETIC demo, see
:func:`dimios_lib.demo.resolve`); some are implicit (the item bank and the model configuration
every scored report uses, the packaged instrument a study uses by default).
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
from ..reference.instrument import COMPETENCE_INSTRUMENT, DEFAULT_INSTRUMENT
from ..reference.items import DEFAULT_BANK

# notebook -> {parameter: kind of input}; a kind is one of demo.FILES or "instrument"
PARAMETER_INPUTS: dict[str, dict[str, str]] = {
    "municipality_report": {"data_path": "responses"},
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
        ``outcomes``, ``competence``, ``item_bank`` or ``config``.
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


def declared_inputs(notebook: str, parameters: dict, *,
                    start: str | os.PathLike | None = None) -> list[Input]:
    """Every input the report ``notebook`` reads with ``parameters``, in a stable order.

    Relative paths are resolved from ``start`` (default: the working folder) and its parents,
    as the report itself resolves them. A notebook this module does not know declares nothing.

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
        path = demo.resolve(kind, value, start=start)
        out.append(Input(kind, path))
        if kind == "competence":
            out.append(Input("instrument", packaged_file(COMPETENCE_INSTRUMENT)))
    if notebook in SCORED:
        out.append(Input("item_bank", packaged_file(DEFAULT_BANK)))
        out.append(Input("config", None, content=json.dumps(ModelConfig().to_dict(),
                                                            sort_keys=True, default=str)))
    return out
