"""Loading a report's inputs once per process: responses with their scores, a study, the
initiative register, the training files. A path of ``None`` means the SYNTHETIC demo.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .. import demo
from ..config import ModelConfig
from ..errors import DimiosError
from ..io.files import (
    atomic_path,
    cache_dir,
    digest,
    file_hash,
    locate,
    package_fingerprint,
    tree_hash,
)
from ..maturity.disclosure import Protection
from ..maturity.reliability import reliability
from ..maturity.scoring import Model, Scores, score
from ..maturity.tables import Release
from ..reference.items import ItemBank, load_item_bank
from ..reference.municipalities import municipalities


@dataclass
class ReportData:
    """Validated responses with their scores by municipality and round, shared by all reports.

    Attributes
    ----------
    responses : DataFrame
        Canonical long format (never shown in a report).
    scores : Scores
        By ``municipality_code, round`` with intervals, pseudo-values and small-area
        estimates.
    source : str
        The data files' *names*, comma-separated (never a folder: reports are shared).
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
    sources: list[str] = field(default_factory=list)
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

    def release(self) -> Release:
        """The disclosure decisions over the whole dataset (:class:`~dimios_lib.maturity.tables.
        Release`), the same ones ``dimios tables`` makes: every report shows only what the
        shared tables show."""
        if "release" not in self._cache:
            self._cache["release"] = Release.build(self.responses, bank=self.bank,
                                                   config=self.config, scores=self.scores)
        return self._cache["release"]

    def shown(self) -> pd.DataFrame:
        """Municipality x round scores large enough to be shown, with county columns; values
        withheld by the disclosure control are missing."""
        if "shown" not in self._cache:
            ref = municipalities()[["municipality_code", "county_code", "county_name"]]
            o = self.release().protected.overall.merge(ref, on="municipality_code", how="left")
            self._cache["shown"] = o[o["n_respondents"] >= self.config.min_group_size].reset_index(
                drop=True)
        return self._cache["shown"]

    def shown_codes(self, round_: str | None = None) -> list[str]:
        """The municipalities with enough respondents in a round (default: the latest) to be
        shown, most respondents first."""
        shown = self.shown()
        r = shown[shown["round"] == self.check_round(round_)]
        return r.sort_values(["n_respondents", "municipality_code"],
                             ascending=[False, True])["municipality_code"].tolist()

    def shown_categories(self) -> pd.DataFrame:
        """Category scores of the municipality x rounds that may be shown (withheld values
        dropped)."""
        if "shown_categories" not in self._cache:
            c = self.release().protected.categories
            self._cache["shown_categories"] = c[(c["n_respondents"] >= self.config.min_group_size)
                                                & c["pct"].notna()]
        return self._cache["shown_categories"]

    def shown_capabilities(self) -> pd.DataFrame:
        """Capability (item) scores answered by at least ``min_group_size`` respondents and not
        withheld to protect another (:func:`dimios_lib.maturity.privacy.hierarchy_suppression`)."""
        if "shown_capabilities" not in self._cache:
            c = self.release().protected.capabilities
            self._cache["shown_capabilities"] = c[(c["n_answers"] >= self.config.min_group_size)
                                                  & c["pct"].notna()]
        return self._cache["shown_capabilities"]

    def reliability(self) -> pd.DataFrame:
        """Alpha and omega per category and dimension and round, over all respondents, and the
        ICCs of municipality means (:func:`dimios_lib.maturity.reliability.reliability`)."""
        if "reliability" not in self._cache:
            self._cache["reliability"] = reliability(self.responses, by=("round",),
                                                     bank=self.bank, config=self.config)
        return self._cache["reliability"]


_LOADED: dict[tuple, ReportData] = {}
_CACHE_FORMAT = "scored-4"  # 4: disclosure decisions, pseudo-values, small-area estimates, sources
DataPath = str | os.PathLike | list | tuple | None


def load_data(path: DataPath = None, *, items: str | os.PathLike | None = None,
              config: ModelConfig | None = None, disk_cache: bool = True) -> ReportData:
    """Read, validate and score DiMiOS answers, once per process and once per data.

    ``path`` is a file, a folder of exports or a list of either (one export per round is the
    normal case; :func:`dimios_lib.contracts.responses.read_responses`). ``None`` means the
    SYNTHETIC demo data (:func:`dimios_lib.demo.resolve`): its file in ``data/demo/`` if there,
    otherwise simulated in memory with the same seed (identical data). A relative path is
    looked for in the working folder and its parents.

    Two caches keep repeated reports fast, and neither can serve stale data:

    * in the process, by the file's path, size and modification time, the item bank and the
      configuration (a warm kernel reads a file once);
    * on disk (:func:`dimios_lib.io.files.cache_dir`), the validated answers and their scores,
      keyed by a SHA-256 of every data file's content, the item bank's, the configuration, the
      library's source and data (:func:`~dimios_lib.io.files.package_fingerprint`) and the
      pandas and numpy versions. ``disk_cache=False`` skips it.
    """
    from .inputs import response_files, response_paths

    config = ModelConfig() if config is None else config
    resolved = response_paths(path)
    files = response_files(resolved)
    bank = load_item_bank(items)
    ident = (None if resolved is None else tuple(_identity(f) for f in files),
             None if items is None else _identity(Path(items)), repr(config.to_dict()))
    if ident in _LOADED:
        return _LOADED[ident]
    key = _scored_key(None if resolved is None else files, items, config) if disk_cache \
        else None
    data = _read_scored(key, bank, config) if key else None
    if data is None:
        data = _score(resolved, bank, config)
        if key:
            _write_scored(key, data)
    _LOADED.clear()  # keep one dataset per process: batch kernels read the same file
    _LOADED[ident] = data
    return data


def _identity(path: Path) -> tuple:
    st = path.stat()
    return (str(path.resolve()), st.st_mtime_ns, st.st_size)


def _score(resolved: list[Path] | None, bank: ItemBank, config: ModelConfig) -> ReportData:
    from ..contracts.responses import read_responses, validate_responses

    if resolved is None:
        responses = validate_responses(demo.simulate("responses"), bank=bank, config=config)
        responses.attrs.update(source=demo.FILES["responses"], synthetic=True)
        notes = ["demo data simulated in memory (data/demo/ not found)"]
    else:
        responses = read_responses(resolved, bank=bank, config=config)
        notes = list(responses.attrs.get("notes", []))
    scores = score(responses, bank=bank, config=config, ci=True)
    source = str(responses.attrs.get("source", ""))
    return ReportData(responses=responses, scores=scores, source=source,
                      synthetic=bool(responses.attrs.get("synthetic", False)),
                      rounds=sorted(responses["round"].unique().tolist()), bank=bank,
                      config=config, notes=notes,
                      sources=list(responses.attrs.get("sources", [source])))


def _scored_key(files: list[Path] | None, items, config: ModelConfig) -> str:
    import numpy
    import pandas

    data = "simulated-demo" if files is None else digest(
        *(f"{f.name}\0{file_hash(f)}" for f in files))
    bank = "packaged" if items is None else tree_hash(Path(items))
    return digest(_CACHE_FORMAT, data, bank, repr(config.to_dict()), package_fingerprint(),
                  pandas.__version__, numpy.__version__)


def _cache_file(key: str) -> Path:
    return cache_dir() / f"scored-{key[:32]}.pkl"


def _read_scored(key: str, bank: ItemBank, config: ModelConfig) -> ReportData | None:
    import pickle

    path = _cache_file(key)
    try:
        with open(path, "rb") as fh:
            stored = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign cache file is simply recomputed
        return None
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    s = stored["scores"]
    scores = Scores(overall=s["overall"], categories=s["categories"],
                    capabilities=s["capabilities"], replicates=s["replicates"], by=s["by"],
                    config=config, pseudo_values=s["pseudo_values"],
                    small_area=s["small_area"])
    data = ReportData(responses=stored["responses"], scores=scores, source=stored["source"],
                      synthetic=stored["synthetic"], rounds=stored["rounds"], bank=bank,
                      config=config, notes=stored["notes"], sources=stored["sources"])
    r = stored.get("release")
    if not isinstance(r, dict):  # computed again when first asked for
        return data
    protected = replace(scores, overall=r["overall"], categories=r["categories"],
                        capabilities=r["capabilities"])
    data._cache["release"] = Release(data.responses, scores, protected,
                                     Protection(cells=r["cells"], pools=r["pools"]),
                                     Model.build(bank, config))
    return data


def _write_scored(key: str, data: ReportData) -> None:
    import pickle

    s = data.scores
    release = data.release()  # the disclosure decisions are part of what is cached
    p = release.protected
    stored = {"key": key, "responses": data.responses, "source": data.source,
              "sources": data.sources,
              "synthetic": data.synthetic, "rounds": data.rounds, "notes": data.notes,
              "scores": {"overall": s.overall, "categories": s.categories,
                         "capabilities": s.capabilities, "replicates": s.replicates,
                         "by": s.by, "pseudo_values": s.pseudo_values,
                         "small_area": s.small_area},
              "release": {"overall": p.overall, "categories": p.categories,
                          "capabilities": p.capabilities, "cells": release.protection.cells,
                          "pools": release.protection.pools}}
    try:
        with atomic_path(_cache_file(key)) as tmp, open(tmp, "wb") as fh:
            pickle.dump(stored, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:  # a read-only or full cache folder costs speed, never a report
        pass


def plain(x):
    """A number for a report's JSON record: ``None`` for missing, else a float."""
    return None if pd.isna(x) else float(x)


_REFERENCES: dict[tuple, pd.DataFrame] = {}


def load_reference(path: str | os.PathLike | None = None) -> pd.DataFrame | None:
    """National reference figures for a municipality's own export
    (:func:`dimios_lib.contracts.national.read_national`), once per process; ``None`` (no
    file) gives ``None``: the report takes its national figures from the data, if any."""
    from ..contracts.national import read_national

    if path is None or path == "":
        return None
    resolved = locate(path)
    ident = _identity(resolved)
    if ident not in _REFERENCES:
        _REFERENCES.clear()
        _REFERENCES[ident] = read_national(resolved)
    return _REFERENCES[ident]


_STUDIES: dict[tuple, object] = {}


def load_study(path: str | os.PathLike | None = None, *,
               instrument: str | os.PathLike | None = None):
    """Read and validate a before/after study once per process (cached by file identity).

    ``None`` means the SYNTHETIC DigiGrow demo study (:func:`dimios_lib.demo.resolve`).
    Returns ``(frame, instrument)``.
    """
    from ..contracts.study import read_study, validate_study
    from ..reference.instrument import load_instrument

    resolved = demo.resolve("study", path)
    ins_path = None if instrument in (None, "") else locate(instrument)
    ident = (None if resolved is None else _identity(resolved),
             None if ins_path is None else _identity(ins_path))
    if ident not in _STUDIES:
        ins = load_instrument(ins_path)
        if resolved is None:
            frame = validate_study(demo.simulate("study"), ins, name=demo.FILES["study"])
            frame.attrs.update(synthetic=True)
        else:
            frame = read_study(resolved, ins)
        _STUDIES.clear()
        _STUDIES[ident] = (frame, ins)
    return _STUDIES[ident]


def load_register(path: str | os.PathLike | None = None):
    """The initiative register (``None``: the SYNTHETIC demo register, from ``data/demo/`` if
    there, else simulated in memory), through its data contract."""
    from ..contracts.register import read_register, validate_register

    resolved = demo.resolve("register", path)
    if resolved is not None:
        return read_register(resolved)
    initiatives, stages, kpis = demo.simulate("register")
    return validate_register(initiatives, stages, kpis, name=demo.FILES["register"],
                             synthetic=True)


def load_training(log_path=None, outcomes_path=None, competence_path=None) -> dict:
    """The training log, outcome survey and competence answers (each ``None``: the SYNTHETIC
    Modig demo file from ``data/demo/`` if there, else simulated in memory with the same seed).
    Returns ``{"log", "outcomes", "competence"}``, each through its data contract."""
    from ..contracts import training as T
    from ..contracts.study import validate_study
    from ..reference.instrument import load_competence_instrument

    def pick(kind, path, reader, validator):
        resolved = demo.resolve(kind, path)
        if resolved is not None:
            return reader(resolved)
        frame = validator(demo.simulate(kind))
        frame.attrs.update(source=demo.FILES[kind], synthetic=True)
        return frame

    return {"log": pick("training_log", log_path, T.read_training_log, T.validate_training_log),
            "outcomes": pick("outcomes", outcomes_path, T.read_outcomes, T.validate_outcomes),
            "competence": pick("competence", competence_path, T.read_competence,
                               lambda f: validate_study(f, load_competence_instrument()))}
