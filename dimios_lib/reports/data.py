"""Loading a report's inputs once per process: responses with their scores, a study, the
initiative register, the training files. A path of ``None`` means the SYNTHETIC demo.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..config import ModelConfig
from ..contracts.responses import read_responses
from ..demo.responses import FILE_NAME as DEMO_FILE_NAME
from ..demo.responses import generate_demo
from ..errors import DimiosError
from ..maturity.reliability import reliability
from ..maturity.scoring import Scores, score
from ..reference.items import ItemBank, load_item_bank
from ..reference.municipalities import municipalities

DEMO_RELATIVE = Path("data") / "demo" / DEMO_FILE_NAME


@dataclass
class ReportData:
    """Validated responses with their scores by municipality and round, shared by all reports.

    Attributes
    ----------
    responses : DataFrame
        Canonical long format (never shown in a report).
    scores : Scores
        By ``municipality_code, round`` with bootstrap intervals.
    source : str
        The data file's *name* (never its folder: reports are shared).
    synthetic : bool
    rounds : list of str
        Rounds in time order.
    bank, config
    """

    responses: pd.DataFrame
    scores: Scores
    source: str
    synthetic: bool
    rounds: list[str]
    bank: ItemBank
    config: ModelConfig
    notes: list[str] = field(default_factory=list)
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def latest_round(self) -> str:
        return self.rounds[-1]

    def check_round(self, round_: str | None) -> str:
        """The round asked for (``None`` = the latest), or an error naming the rounds there are."""
        if round_ is None or round_ == "":
            return self.latest_round
        round_ = str(round_)
        if round_ not in self.rounds:
            raise DimiosError(f"round {round_!r} is not in {self.source}; "
                              f"expected one of {', '.join(self.rounds)}")
        return round_

    def shown(self) -> pd.DataFrame:
        """Municipality x round scores large enough to be shown, with county columns."""
        if "shown" not in self._cache:
            ref = municipalities()[["municipality_code", "county_code", "county_name"]]
            o = self.scores.overall.merge(ref, on="municipality_code", how="left")
            self._cache["shown"] = o[o["n_respondents"] >= self.config.min_group_size].reset_index(
                drop=True)
        return self._cache["shown"]

    def shown_categories(self) -> pd.DataFrame:
        """Category scores of the municipality x rounds that may be shown."""
        if "shown_categories" not in self._cache:
            c = self.scores.categories
            self._cache["shown_categories"] = c[c["n_respondents"] >= self.config.min_group_size]
        return self._cache["shown_categories"]

    def shown_capabilities(self) -> pd.DataFrame:
        """Capability (item) scores answered by at least ``min_group_size`` respondents."""
        if "shown_capabilities" not in self._cache:
            c = self.scores.capabilities
            self._cache["shown_capabilities"] = c[c["n_answers"] >= self.config.min_group_size]
        return self._cache["shown_capabilities"]

    def reliability(self) -> pd.DataFrame:
        """Alpha and omega per category and dimension and round, over all respondents."""
        if "reliability" not in self._cache:
            self._cache["reliability"] = reliability(self.responses, by=("round",),
                                                     bank=self.bank, config=self.config)
        return self._cache["reliability"]


_LOADED: dict[tuple, ReportData] = {}


def find_data(path: str | os.PathLike | None = None, *, start: str | os.PathLike | None = None
              ) -> Path | None:
    """Resolve a data path the way a notebook needs it, from the repo root or from ``notebooks/``.

    A relative path is tried against the working folder and then each parent folder (so
    ``data/demo/...`` works from ``notebooks/``). ``None`` looks for the demo data the same way and
    returns ``None`` when there is none (then :func:`load_data` simulates it in memory).
    A path given but found nowhere is an error naming it.
    """
    base = Path(start) if start is not None else Path.cwd()
    want = DEMO_RELATIVE if path in (None, "") else Path(path)
    if want.is_absolute():
        if want.exists():
            return want
        raise DimiosError(f"data file not found: {want}")
    found = _find_up(want, base)
    if found is None and path not in (None, ""):
        raise DimiosError(f"data file not found: {path} (looked in {base} and its parent folders)")
    return found


def _find_up(relative: Path, base: Path | None = None) -> Path | None:
    """``relative`` under the working folder (or ``base``) or the nearest parent, else None."""
    base = Path.cwd() if base is None else base
    return next((folder / relative for folder in (base, *base.parents)
                 if (folder / relative).exists()), None)


def load_data(path: str | os.PathLike | None = None, *, items: str | os.PathLike | None = None,
              config: ModelConfig | None = None) -> ReportData:
    """Read, validate and score a responses file once per process (cached by file identity).

    ``None`` means the SYNTHETIC demo data: ``data/demo/dimios_demo_SYNTHETIC.csv`` if it exists
    (found from the repo root or ``notebooks/``), otherwise simulated in memory with the same
    seed (identical data). The cache key is the resolved path, its size and modification time,
    the item bank and the configuration, so an edited file is read again.
    """
    config = ModelConfig() if config is None else config
    resolved = find_data(path)
    bank = load_item_bank(items)
    ident = (None if resolved is None else str(resolved.resolve()),
             None if resolved is None else resolved.stat().st_mtime_ns,
             None if resolved is None else resolved.stat().st_size,
             None if items is None else str(Path(items).resolve()), repr(config.to_dict()))
    if ident in _LOADED:
        return _LOADED[ident]
    if resolved is None:
        responses = generate_demo(bank=bank)
        notes = ["demo data simulated in memory (data/demo/ not found)"]
    else:
        responses = read_responses(resolved, bank=bank, config=config)
        notes = list(responses.attrs.get("notes", []))
    scores = score(responses, bank=bank, config=config, ci=True)
    rounds = sorted(responses["round"].unique().tolist())
    data = ReportData(responses=responses, scores=scores,
                      source=str(responses.attrs.get("source", DEMO_FILE_NAME)),
                      synthetic=bool(responses.attrs.get("synthetic", False)), rounds=rounds,
                      bank=bank, config=config, notes=notes)
    _LOADED.clear()  # keep one dataset per process: batch kernels read the same file
    _LOADED[ident] = data
    return data


def _plain(x):
    return None if pd.isna(x) else float(x)


STUDY_DEMO_RELATIVE = Path("data") / "demo" / "digigrow_study_SYNTHETIC.csv"
_STUDIES: dict[tuple, object] = {}


def load_study(path: str | os.PathLike | None = None, *,
               instrument: str | os.PathLike | None = None):
    """Read and validate a before/after study file once per process (cached by file identity).

    ``None`` means the SYNTHETIC DigiGrow demo study (``data/demo/digigrow_study_SYNTHETIC.csv``
    if it exists, found from the repo root or ``notebooks/``, otherwise simulated in memory with
    the same seed). Returns ``(frame, instrument)``.
    """
    from ..contracts.study import read_study, validate_study
    from ..demo.study import generate_study_demo
    from ..reference.instrument import load_instrument

    if path in (None, ""):
        resolved = _find_up(STUDY_DEMO_RELATIVE)
    else:
        resolved = find_data(path)
    ins_path = None if instrument in (None, "") else find_data(instrument)
    ident = (None if resolved is None else (str(resolved.resolve()), resolved.stat().st_mtime_ns,
                                            resolved.stat().st_size),
             None if ins_path is None else (str(ins_path.resolve()), ins_path.stat().st_mtime_ns))
    if ident not in _STUDIES:
        ins = load_instrument(ins_path)
        frame = (validate_study(generate_study_demo(instrument=ins), ins) if resolved is None
                 else read_study(resolved, ins))
        _STUDIES.clear()
        _STUDIES[ident] = (frame, ins)
    return _STUDIES[ident]


REGISTER_DEMO_RELATIVE = Path("data") / "demo" / "register_SYNTHETIC"


def load_register(path: str | os.PathLike | None = None):
    """The initiative register (``None``: the SYNTHETIC demo register, from ``data/demo/`` if
    it is there, else written to a temporary folder and read through the same contract)."""
    import tempfile

    from ..contracts.register import read_register
    from ..demo.register import write_register_demo

    if path in (None, ""):
        demo = _find_up(REGISTER_DEMO_RELATIVE)
        if demo is not None:
            return read_register(demo)
        with tempfile.TemporaryDirectory() as tmp:
            return read_register(write_register_demo(tmp))
    return read_register(find_data(path))


def load_training(log_path=None, outcomes_path=None, competence_path=None) -> dict:
    """The training log, outcome survey and competence answers (each ``None``: the SYNTHETIC
    Modig demo file from ``data/demo/`` if there, else simulated in memory with the same seed).
    Returns ``{"log", "outcomes", "competence"}``, each through its data contract."""
    from ..contracts import training as T
    from ..demo import modig as TD

    demo = None

    def pick(path, name, reader, validator, attr):
        nonlocal demo
        if path not in (None, ""):
            return reader(find_data(path))
        rel = Path("data") / "demo" / name
        found = _find_up(rel)
        if found is not None:
            return reader(found)
        if demo is None:
            demo = TD.generate_modig_demo()
        return validator(getattr(demo, attr))

    return {"log": pick(log_path, TD.TRAINING_FILE, T.read_training_log,
                        T.validate_training_log, "training_log"),
            "outcomes": pick(outcomes_path, TD.OUTCOMES_FILE, T.read_outcomes,
                             T.validate_outcomes, "outcomes"),
            "competence": pick(competence_path, TD.COMPETENCE_FILE, T.read_competence,
                               _validate_competence, "competence")}


def _validate_competence(frame):
    from ..contracts.study import validate_study
    from ..reference.instrument import load_competence_instrument

    return validate_study(frame, load_competence_instrument())
