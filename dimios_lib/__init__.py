"""dimios_lib: scoring model, statistics, data contract and report engine for DiMiOS digital
maturity and innovation capability in Swedish municipalities.

The modules, one per concept: ``items`` (item bank), ``config`` (model parameters),
``municipalities`` (reference data and groups), ``readers`` and ``schemas`` (data contract and
import), ``scoring``, ``classification`` (types A-D), ``privacy`` (suppression), ``benchmarks``,
``reliability``, ``demo`` (synthetic data), ``output``, ``cli``; for before/after studies
``instrument`` (the study instrument), ``study`` (data contract and analysis), ``study_stats``
(tests, effect sizes, pooled models) and ``study_demo`` (synthetic study); for the reports ``reports``
(what each report says, computed), ``narrative`` (sv/en texts), ``fmt`` (Swedish and English
formats), ``plots``, ``html`` (display blocks), ``render`` (papermill and HTML export) and
``batch`` (the default batch's parameter files).
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("dimios-lib")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

from .config import ModelConfig  # noqa: E402
from .errors import DataValidationError, DimiosError, InstrumentError, ItemBankError  # noqa: E402
from .instrument import Instrument, load_instrument  # noqa: E402
from .items import ItemBank, load_item_bank  # noqa: E402
from .municipalities import counties, load_groups, municipalities, resolve_group  # noqa: E402
from .schemas import read_responses, validate_responses  # noqa: E402
from .scoring import Scores, score  # noqa: E402
from .study import (  # noqa: E402
    StudyConfig,
    StudyResults,
    analyse_study,
    read_study,
    validate_study,
)

__all__ = [
    "DataValidationError", "DimiosError", "Instrument", "InstrumentError", "ItemBank",
    "ItemBankError", "ModelConfig", "Scores", "StudyConfig", "StudyResults", "analyse_study",
    "counties", "load_groups", "load_instrument", "load_item_bank", "municipalities",
    "read_responses", "read_study", "resolve_group", "score", "validate_responses",
    "validate_study",
]
