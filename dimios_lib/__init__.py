"""dimios_lib: scoring model, statistics, data contracts, reports and the batch engine for
DiMiOS digital maturity and innovation capability in Swedish municipalities.

One subpackage per concept, layered so that imports only go down:

==============  ================================================================================
``io``          reading tables (CSV/Excel, Swedish conventions), atomic writes, packaged files
``reference``   municipalities, counties and groups; the item bank; instruments; the development
                process; published figures
``contracts``   one module per input file (responses, study, register, training): validated once,
                every problem reported at once
``maturity``    the DiMiOS model: scoring, types A–D, benchmarks, change, suppression, tables
``stats``       one statistical family per module: intervals, bootstrap, tests, effect sizes,
                models, multiplicity, reliability, proportions, ranking
``study``       before/after studies; verdicts as codes and numbers
``programmes``  the initiative register and training follow-up
``demo``        every SYNTHETIC generator, and the "no path means demo" rule
``reports``     what each report says, computed (no words, no HTML)
``text``        message catalogs (sv, en), number and date formats, one narrative module per report
``render``      HTML blocks, figures, page export and page checks
``engine``      jobs, parameter checks, the cache, warm kernels, the index, local and Dask runners
``cli``         the ``dimios`` command line: parse, call, print
==============  ================================================================================

The names below are the public API; they are imported on first use, so ``import dimios_lib``
(and ``dimios --help``) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "ModelConfig": "config", "StudyConfig": "config",
    "DataValidationError": "errors", "DimiosError": "errors", "InstrumentError": "errors",
    "ItemBankError": "errors",
    "Instrument": "reference.instrument", "load_instrument": "reference.instrument",
    "ItemBank": "reference.items", "load_item_bank": "reference.items",
    "counties": "reference.municipalities", "load_groups": "reference.municipalities",
    "municipalities": "reference.municipalities", "resolve_group": "reference.municipalities",
    "read_responses": "contracts.responses", "validate_responses": "contracts.responses",
    "read_study": "contracts.study", "validate_study": "contracts.study",
    "Scores": "maturity.scoring", "score": "maturity.scoring",
    "StudyResults": "study.analysis", "analyse_study": "study.analysis",
}
__all__ = [
    "DataValidationError", "DimiosError", "Instrument", "InstrumentError", "ItemBank",
    "ItemBankError", "ModelConfig", "Scores", "StudyConfig", "StudyResults", "analyse_study",
    "counties", "load_groups", "load_instrument", "load_item_bank", "municipalities",
    "read_responses", "read_study", "resolve_group", "score", "validate_responses",
    "validate_study",
]

if TYPE_CHECKING:  # pragma: no cover
    from .config import ModelConfig, StudyConfig
    from .contracts.responses import read_responses, validate_responses
    from .contracts.study import read_study, validate_study
    from .errors import DataValidationError, DimiosError, InstrumentError, ItemBankError
    from .maturity.scoring import Scores, score
    from .reference.instrument import Instrument, load_instrument
    from .reference.items import ItemBank, load_item_bank
    from .reference.municipalities import counties, load_groups, municipalities, resolve_group
    from .study.analysis import StudyResults, analyse_study


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dimios-lib")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":  # read from the installed metadata on first use (slow to import)
        globals()["__version__"] = value = _package_version()
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dimios_lib' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
