"""What the report notebooks say, computed: one function per report, each returning plain tables.

The notebooks narrate; this module computes. Each ``*_report`` function takes the loaded data
(:func:`load_data`) and the report's parameters and returns a dataclass of tables and values that
the notebook formats (:mod:`dimios_lib.narrative`) and plots (:mod:`dimios_lib.plots`). Nothing
here depends on the report language, and every table is already privacy-safe: groups below
``ModelConfig.min_group_size`` respondents are left out or have their values blanked
(``suppressed``), and no respondent-level value leaves this module.

Benchmarks (national, county, peer group) are means of municipality scores, as in
:mod:`dimios_lib.benchmarks`, over the municipalities with at least ``min_group_size``
respondents in the round (assumption: a municipality too small to be shown does not shape a
benchmark either).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from . import __version__
from .benchmarks import round_changes
from .classification import type_descriptions
from .config import ModelConfig
from .demo import FILE_NAME as DEMO_FILE_NAME
from .demo import generate_demo
from .errors import DimiosError
from .items import ItemBank, load_item_bank
from .municipalities import Group, load_groups, municipalities, resolve_group
from .reliability import reliability
from .schemas import read_responses
from .scoring import MEASURES, Scores, score

DEMO_RELATIVE = Path("data") / "demo" / DEMO_FILE_NAME
PUBLISHED_BASELINE = 48.0  # SKR project baseline, national maturity (domain brief §1)
PUBLISHED_GOAL = 55.0      # SKR project goal by 2023


# --------------------------------------------------------------------------------------------
# Loading


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


# --------------------------------------------------------------------------------------------
# Benchmarks over tables of municipality scores


def t_interval(values: Iterable[float], level: float = 0.95, bounds: tuple[float, float] = (0, 100)
               ) -> tuple[float, float, float, int]:
    """Mean and t-interval of municipality scores: ``(mean, low, high, n)``.

    The interval is clipped to ``bounds`` (percentages cannot leave 0-100; with three
    municipalities a t-interval easily would).

    Examples
    --------
    40, 50 and 60: mean 50, half-width t(0.975, 2) x 10 / sqrt(3) = 4.3027 x 5.7735 = 24.84.

    >>> [round(v, 2) for v in t_interval([40, 50, 60])]
    [50.0, 25.16, 74.84, 3]
    """
    v = np.asarray([x for x in values if not pd.isna(x)], dtype=float)
    if v.size == 0:
        return (np.nan, np.nan, np.nan, 0)
    m = float(v.mean())
    if v.size < 2:
        return (m, np.nan, np.nan, 1)
    half = stats.t.ppf(0.5 + level / 2, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size)
    return (m, max(m - half, bounds[0]), min(m + half, bounds[1]), int(v.size))


def bench_table(table: pd.DataFrame, keys: Sequence[str], value: str,
                level: float = 0.95) -> pd.DataFrame:
    """Mean of municipality values per ``keys``, with t-interval and number of municipalities."""
    rows = []
    for key, block in table.groupby(list(keys), sort=False, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        m, lo, hi, n = t_interval(block[value], level)
        rows.append({**dict(zip(keys, key)), "mean": m, "ci_low": lo, "ci_high": hi,
                     "n_municipalities": n})
    return pd.DataFrame(rows, columns=[*keys, "mean", "ci_low", "ci_high", "n_municipalities"])


def resolve_peers(spec, municipality_code: str) -> Group:
    """The peer group: ``None`` = the municipality's county; else a group id, ``county:NN`` or codes."""
    if spec is None or spec == "" or (isinstance(spec, (list, tuple)) and not spec):
        county = municipality_code[:2]
        return resolve_group(f"county:{county}")
    return resolve_group(spec)


# --------------------------------------------------------------------------------------------
# Municipality report


@dataclass
class MunicipalityReport:
    """Everything the municipality report says, as values and tables (see :func:`municipality_report`).

    ``status`` is ``"ok"``, ``"no_data"`` (no answers in the round) or ``"too_few"`` (fewer
    respondents than the minimum group size); in the latter two only the identification fields,
    ``rounds_with_data`` and the method fields are filled.
    """

    municipality_code: str
    municipality_name: str
    county_code: str
    county_name: str
    round: str
    status: str
    rounds_with_data: list[str]
    peer: Group
    source: str
    synthetic: bool
    config: ModelConfig
    peer_is_county: bool = False
    n_respondents: int = 0
    headline: pd.DataFrame | None = None          # measure, pct, ci_low, ci_high, national, peer
    type: str | None = None
    position: pd.DataFrame | None = None          # all shown municipalities of the round
    categories: pd.DataFrame | None = None
    capabilities: pd.DataFrame | None = None
    strengths: pd.DataFrame | None = None
    priorities_gap: pd.DataFrame | None = None
    priorities_low: pd.DataFrame | None = None
    change_previous: pd.DataFrame | None = None   # one row per measure, or empty
    change_first: pd.DataFrame | None = None
    trend: pd.DataFrame | None = None             # own and national by round
    by_unit: pd.DataFrame | None = None
    by_role: pd.DataFrame | None = None
    hidden_units: int = 0
    hidden_roles: int = 0
    reliability: pd.DataFrame | None = None
    item_bank_version: str = ""
    library_version: str = __version__

    def changes(self) -> pd.DataFrame:
        """Changes since the previous round and since the first, without repeating a pair."""
        frames = [f for f in (self.change_previous, self.change_first) if f is not None and len(f)]
        if not frames:
            return pd.DataFrame()
        return (pd.concat(frames, ignore_index=True)
                .drop_duplicates(subset=["measure", "round_from"]).reset_index(drop=True))

    def record(self) -> dict:
        """The key figures as plain values (for tests and the batch index)."""
        out = {"municipality_code": self.municipality_code, "round": self.round,
               "status": self.status, "n_respondents": self.n_respondents, "type": self.type,
               "peer": self.peer.id, "synthetic": self.synthetic}
        if self.headline is not None:
            for r in self.headline.itertuples():
                out[f"{r.measure}_pct"] = _plain(r.pct)
                out[f"{r.measure}_ci_low"] = _plain(r.ci_low)
                out[f"{r.measure}_ci_high"] = _plain(r.ci_high)
                out[f"{r.measure}_national"] = _plain(r.national)
        if self.change_previous is not None and len(self.change_previous):
            for r in self.change_previous.itertuples():
                out[f"{r.measure}_change"] = _plain(r.change)
                out[f"{r.measure}_change_significant"] = bool(r.significant)
        return out


def _plain(x):
    return None if pd.isna(x) else float(x)


def _changes(own: Scores, round_: str, base: str, min_n: int) -> pd.DataFrame:
    cols = ["measure", "round_from", "round_to", "n_from", "n_to", "change", "ci_low", "ci_high",
            "significant"]
    ch = round_changes(own, base=base)
    if ch.empty:
        return pd.DataFrame(columns=cols)
    ch = ch[(ch["round_to"] == round_) & (ch["n_from"] >= min_n) & (ch["n_to"] >= min_n)]
    if ch.empty:
        return pd.DataFrame(columns=cols)
    r = ch.iloc[0]
    return pd.DataFrame([{
        "measure": m, "round_from": r["round_from"], "round_to": r["round_to"],
        "n_from": int(r["n_from"]), "n_to": int(r["n_to"]), "change": r[f"{m}_change"],
        "ci_low": r[f"{m}_ci_low"], "ci_high": r[f"{m}_ci_high"],
        "significant": bool(r[f"{m}_significant"])} for m in MEASURES], columns=cols)


def _shown_own(data: ReportData, code: str) -> Scores:
    """The municipality's own scores over its rounds, restricted to rounds large enough."""
    o = data.scores.overall
    keep = ((o["municipality_code"] == code)
            & (o["n_respondents"] >= data.config.min_group_size)).to_numpy()
    idx = np.flatnonzero(keep)
    return Scores(overall=o.iloc[idx].reset_index(drop=True), categories=data.scores.categories,
                  capabilities=data.scores.capabilities,
                  replicates=None if data.scores.replicates is None
                  else data.scores.replicates[idx],
                  by=data.scores.by, config=data.config)


def _breakdown(data: ReportData, code: str, round_: str, column: str) -> tuple[pd.DataFrame, int]:
    """Scores by unit or role inside one municipality and round; small groups left out."""
    sub = data.responses[(data.responses["municipality_code"] == code)
                         & (data.responses["round"] == round_)]
    if sub.empty or sub[column].isna().all():
        return pd.DataFrame(), 0
    s = score(sub, by=("municipality_code", "round", column), bank=data.bank,
              config=data.config, ci=True).overall
    s = s[s[column].notna()]
    big = s["n_respondents"] >= data.config.min_group_size
    keep = s[big].rename(columns={column: "group"})
    cols = ["group", "n_respondents"] + [f"{m}_{k}" for m in MEASURES
                                         for k in ("pct", "ci_low", "ci_high")] + ["type"]
    return keep[cols].sort_values("maturity_pct", ascending=False).reset_index(drop=True), int(
        (~big).sum())


def municipality_report(data: ReportData, municipality_code: str, round: str | None = None,
                        peer_group=None) -> MunicipalityReport:
    """Compute the municipality round report.

    Parameters
    ----------
    data : ReportData
    municipality_code : str
        Four-digit SCB code.
    round : str, optional
        ``YYYY-MM``; default the latest round in the data.
    peer_group : str or list of str, optional
        Group id (``groups.yaml``), ``county:NN`` or a list of codes; default the county.

    Notes
    -----
    * Headline, categories and capabilities carry the bootstrap intervals of
      :func:`dimios_lib.scoring.score`; national and peer values are means of municipality scores
      (t-intervals).
    * ``strengths``: the three highest capabilities. ``priorities_gap``: the three capabilities
      furthest below the national mean (``gap`` < 0), with ``clear`` = the municipality's
      interval lies wholly below the national mean. ``priorities_low``: the three lowest
      capabilities. Only capabilities answered by at least ``min_group_size`` respondents.
    * Changes (previous round with data, and first round) come from
      :func:`dimios_lib.benchmarks.round_changes`; a change is ``significant`` only when its
      interval excludes zero, and rounds below the minimum group size are not compared.
    """
    code = str(municipality_code)
    ref = municipalities().set_index("municipality_code")
    if code not in ref.index:
        raise DimiosError(f"unknown municipality code {code!r}; expected a four-digit SCB code "
                          "such as '0114'")
    round_ = data.check_round(round)
    peer = resolve_peers(peer_group, code)
    cfg = data.config
    min_n = cfg.min_group_size
    o = data.scores.overall
    mine = o[o["municipality_code"] == code]
    rep = MunicipalityReport(
        municipality_code=code, municipality_name=ref.at[code, "municipality_name"],
        county_code=ref.at[code, "county_code"], county_name=ref.at[code, "county_name"],
        round=round_, status="ok",
        rounds_with_data=mine.loc[mine["n_respondents"] >= min_n, "round"].tolist(),
        peer=peer, source=data.source, synthetic=data.synthetic, config=cfg,
        peer_is_county=set(peer.members) == set(ref.index[ref["county_code"] == code[:2]]),
        item_bank_version=data.bank.version)
    row = mine[mine["round"] == round_]
    if row.empty:
        rep.status = "no_data"
        return rep
    row = row.iloc[0]
    rep.n_respondents = int(row["n_respondents"])
    if rep.n_respondents < min_n:
        rep.status = "too_few"
        return rep
    rep.type = row["type"]

    shown = data.shown()
    in_round = shown[shown["round"] == round_].copy()
    in_round["is_self"] = in_round["municipality_code"] == code
    in_round["in_county"] = in_round["county_code"] == rep.county_code
    in_round["in_peer"] = in_round["municipality_code"].isin(peer.members)
    rep.position = in_round[["municipality_code", "municipality_name", "county_code",
                             "capability_pct", "legacy_pct", "maturity_pct", "type", "is_self",
                             "in_county", "in_peer"]].reset_index(drop=True)
    peers = in_round[in_round["in_peer"]]
    headline = []
    for m in MEASURES:
        nat = t_interval(in_round[f"{m}_pct"], cfg.ci_level)
        pr = t_interval(peers[f"{m}_pct"], cfg.ci_level)
        headline.append({"measure": m, "pct": row[f"{m}_pct"], "ci_low": row[f"{m}_ci_low"],
                         "ci_high": row[f"{m}_ci_high"], "national": nat[0],
                         "national_ci_low": nat[1], "national_ci_high": nat[2],
                         "n_national": nat[3], "peer": pr[0], "n_peer": pr[3],
                         "rank": int((in_round[f"{m}_pct"] > row[f"{m}_pct"]).sum() + 1),
                         "n_ranked": int(in_round[f"{m}_pct"].notna().sum())})
    rep.headline = pd.DataFrame(headline)

    # category and capability profiles against national and peer means
    shown_keys = in_round[["municipality_code"]]
    cats = data.shown_categories()
    cats = cats[cats["round"] == round_].merge(shown_keys, on="municipality_code")
    nat_c = bench_table(cats, ["category"], "pct", cfg.ci_level).rename(columns={
        "mean": "national", "ci_low": "national_ci_low", "ci_high": "national_ci_high",
        "n_municipalities": "n_national"})
    peer_c = bench_table(cats[cats["municipality_code"].isin(peer.members)], ["category"], "pct",
                         cfg.ci_level)[["category", "mean", "n_municipalities"]].rename(
        columns={"mean": "peer", "n_municipalities": "n_peer"})
    own_c = cats[cats["municipality_code"] == code][["dimension", "category", "pct", "ci_low",
                                                      "ci_high"]]
    own_c = own_c.merge(nat_c, on="category", how="left").merge(peer_c, on="category", how="left")
    own_c["gap"] = own_c["pct"] - own_c["national"]
    rep.categories = own_c.reset_index(drop=True)

    caps = data.shown_capabilities()
    caps = caps[caps["round"] == round_].merge(shown_keys, on="municipality_code")
    nat_i = bench_table(caps, ["item_id"], "pct", cfg.ci_level)[["item_id", "mean"]].rename(
        columns={"mean": "national"})
    peer_i = bench_table(caps[caps["municipality_code"].isin(peer.members)], ["item_id"], "pct",
                         cfg.ci_level)[["item_id", "mean"]].rename(columns={"mean": "peer"})
    own_i = caps[caps["municipality_code"] == code][["dimension", "category", "item_id",
                                                      "n_answers", "pct", "ci_low", "ci_high"]]
    own_i = own_i.merge(nat_i, on="item_id", how="left").merge(peer_i, on="item_id", how="left")
    own_i["gap"] = own_i["pct"] - own_i["national"]
    own_i["clear"] = (own_i["ci_high"] < own_i["national"]) | (own_i["ci_low"] > own_i["national"])
    own_i = own_i.reset_index(drop=True)
    rep.capabilities = own_i
    rep.strengths = own_i.sort_values(["pct", "item_id"], ascending=[False, True]).head(3)
    below = own_i[own_i["gap"] < 0]
    rep.priorities_gap = below.sort_values(["gap", "item_id"]).head(3)
    rep.priorities_low = own_i.sort_values(["pct", "item_id"]).head(3)

    # change since the previous round with data, and since the first round
    own_scores = _shown_own(data, code)
    rep.change_previous = _changes(own_scores, round_, "previous", min_n)
    rep.change_first = _changes(own_scores, round_, "first", min_n)
    ov = own_scores.overall
    trend = ov[ov["round"] <= round_][["round", "n_respondents"] + [
        f"{m}_{k}" for m in MEASURES for k in ("pct", "ci_low", "ci_high")]].copy()
    nat_t = bench_table(shown[shown["round"] <= round_], ["round"], "maturity_pct", cfg.ci_level)
    trend = trend.merge(nat_t[["round", "mean"]].rename(columns={"mean": "national_maturity"}),
                        on="round", how="left")
    rep.trend = trend.reset_index(drop=True)

    rep.by_unit, rep.hidden_units = _breakdown(data, code, round_, "unit")
    rep.by_role, rep.hidden_roles = _breakdown(data, code, round_, "role")

    rel = data.reliability()
    rep.reliability = rel[(rel["round"] == round_) & (rel["level"] == "dimension")][
        ["scale", "k_items", "n_complete", "alpha", "omega"]].reset_index(drop=True)
    return rep


# --------------------------------------------------------------------------------------------
# Group comparison


def rank_range(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ranks each entity could hold given the intervals (1 = highest).

    Best rank = 1 + number of others whose interval lies wholly above; worst rank = n - number
    of others whose interval lies wholly below. Entities whose intervals overlap cannot be told
    apart, so their ranges overlap.

    Examples
    --------
    Intervals [60, 70], [55, 65] and [40, 50]: the first two overlap, so each is 1st or 2nd;
    the third lies below both, so it is 3rd.

    >>> best, worst = rank_range(np.array([60, 55, 40]), np.array([70, 65, 50]))
    >>> best.tolist(), worst.tolist()
    ([1, 1, 3], [2, 2, 3])
    """
    low = np.asarray(low, float)
    high = np.asarray(high, float)
    above = (low[None, :] > high[:, None]).sum(axis=1)   # others wholly above me
    below = (high[None, :] < low[:, None]).sum(axis=1)   # others wholly below me
    return 1 + above, len(low) - below


def similarity(table: pd.DataFrame, members: Sequence[str], value: str, *,
               n_draws: int = 2000, seed: int = 20211101) -> dict:
    """Are the members' values more alike than those of random municipalities? (one round)

    The statistic is the standard deviation of the members' values; the reference distribution
    is the same statistic for ``n_draws`` random sets of the same size drawn without
    replacement from all municipalities in ``table`` (a permutation test). ``p_value`` is the
    share of random sets at least as alike as the members (with the usual +1 correction).

    Returns ``{"n", "sd", "random_median_sd", "p_value"}``; ``p_value`` is missing for fewer
    than two members with values.
    """
    vals = table.set_index("municipality_code")[value].dropna()
    mine = vals[vals.index.isin(list(members))].to_numpy()
    out = {"n": int(mine.size), "sd": np.nan, "random_median_sd": np.nan, "p_value": np.nan}
    if mine.size < 2 or vals.size <= mine.size:
        return out
    rng = np.random.default_rng([seed, zlib.crc32(",".join(sorted(members)).encode()),
                                 zlib.crc32(value.encode())])
    pool = vals.to_numpy()
    draws = np.argsort(rng.random((n_draws, pool.size)), axis=1)[:, :mine.size]
    random_sd = pool[draws].std(axis=1, ddof=1)
    sd = float(mine.std(ddof=1))
    out.update(sd=sd, random_median_sd=float(np.median(random_sd)),
               p_value=float((1 + (random_sd <= sd).sum()) / (n_draws + 1)))
    return out


def similarity_pooled(tables: Sequence[pd.DataFrame], members: Sequence[str], value: str, *,
                      n_draws: int = 2000, seed: int = 20211101) -> dict:
    """:func:`similarity` over several rounds at once: the mean of the per-round spreads.

    Each draw picks, in every round, a random set of the size the group has in that round, and
    averages the spreads; rounds with fewer than two members with values are left out. Returns
    ``{"rounds", "mean_sd", "random_median_sd", "p_value"}``.
    """
    rng = np.random.default_rng([seed, zlib.crc32(",".join(sorted(members)).encode()),
                                 zlib.crc32(("pooled:" + value).encode())])
    observed, random = [], []
    for tab in tables:
        vals = tab.set_index("municipality_code")[value].dropna()
        mine = vals[vals.index.isin(list(members))].to_numpy()
        if mine.size < 2 or vals.size <= mine.size:
            continue
        pool = vals.to_numpy()
        draws = np.argsort(rng.random((n_draws, pool.size)), axis=1)[:, :mine.size]
        observed.append(mine.std(ddof=1))
        random.append(pool[draws].std(axis=1, ddof=1))
    if not observed:
        return {"rounds": 0, "mean_sd": np.nan, "random_median_sd": np.nan, "p_value": np.nan}
    obs = float(np.mean(observed))
    rand = np.mean(random, axis=0)
    return {"rounds": len(observed), "mean_sd": obs, "random_median_sd": float(np.median(rand)),
            "p_value": float((1 + (rand <= obs).sum()) / (n_draws + 1))}


@dataclass
class GroupReport:
    """Everything the group comparison says (see :func:`group_comparison`)."""

    group: Group
    rounds: list[str]
    round: str                                  # the latest of ``rounds``
    source: str
    synthetic: bool
    config: ModelConfig
    members: pd.DataFrame                       # code, name, has data in the round
    latest: pd.DataFrame                        # one row per shown member: scores, CIs, rank range
    categories: pd.DataFrame                    # member x category in the latest round
    trend: pd.DataFrame                         # member x round (shown only)
    group_trend: pd.DataFrame                   # group and national mean per round
    alike: pd.DataFrame                         # measure x round: sd, random sd, p
    alike_pooled: pd.DataFrame                  # measure: over all rounds
    hidden: list[str] = field(default_factory=list)  # members below the minimum size

    def record(self) -> dict:
        out = {"group": self.group.id, "round": self.round, "n_members": len(self.members),
               "n_shown": int(len(self.latest)), "synthetic": self.synthetic}
        for r in self.latest.itertuples():
            out[f"maturity_{r.municipality_code}"] = _plain(r.maturity_pct)
            out[f"rank_{r.municipality_code}"] = [int(r.rank_best), int(r.rank_worst)]
        for r in self.alike[self.alike["round"] == self.round].itertuples():
            out[f"alike_{r.measure}_p"] = _plain(r.p_value)
        for r in self.alike_pooled.itertuples():
            out[f"alike_{r.measure}_pooled_p"] = _plain(r.p_value)
        return out


def group_comparison(data: ReportData, group, rounds: Sequence[str] | None = None
                     ) -> GroupReport:
    """Compute the group comparison: side-by-side profiles, ranking with intervals, trends.

    Parameters
    ----------
    group : str or list of str
        Group id, ``county:NN`` or a list of codes (:func:`resolve_group`).
    rounds : list of str, optional
        The rounds to compare (default all); the latest of them is the ranking round.
    """
    g = resolve_group(group)
    rounds = sorted(data.rounds if not rounds else [data.check_round(r) for r in rounds])
    round_ = rounds[-1]
    cfg = data.config
    min_n = cfg.min_group_size
    ref = municipalities().set_index("municipality_code")
    o = data.scores.overall
    o = o[o["municipality_code"].isin(g.members) & o["round"].isin(rounds)]
    members = pd.DataFrame({"municipality_code": list(g.members),
                            "municipality_name": [ref.at[c, "municipality_name"]
                                                  for c in g.members]})
    in_round = o[o["round"] == round_].set_index("municipality_code")["n_respondents"]
    members["n_respondents"] = members["municipality_code"].map(in_round).fillna(0).astype(int)
    members["shown"] = members["n_respondents"] >= min_n
    hidden = members.loc[(members["n_respondents"] > 0) & ~members["shown"],
                         "municipality_code"].tolist()
    latest = o[(o["round"] == round_) & (o["n_respondents"] >= min_n)].copy()
    latest = latest.sort_values(["maturity_pct", "municipality_code"],
                                ascending=[False, True]).reset_index(drop=True)
    best, worst = rank_range(latest["maturity_ci_low"].to_numpy(),
                             latest["maturity_ci_high"].to_numpy())
    latest["rank_best"], latest["rank_worst"] = best, worst
    cats = data.shown_categories()
    cats = cats[(cats["round"] == round_)
                & cats["municipality_code"].isin(latest["municipality_code"])]
    trend = o[o["n_respondents"] >= min_n].sort_values(["municipality_code", "round"])
    shown = data.shown()
    shown = shown[shown["round"].isin(rounds)]
    gt = bench_table(shown[shown["municipality_code"].isin(g.members)], ["round"],
                     "maturity_pct", cfg.ci_level).rename(columns={"mean": "group_maturity"})
    nt = bench_table(shown, ["round"], "maturity_pct", cfg.ci_level)[["round", "mean"]].rename(
        columns={"mean": "national_maturity"})
    group_trend = nt.merge(gt, on="round", how="left").sort_values("round")
    alike, pooled = [], []
    tables = [shown[shown["round"] == r] for r in rounds]
    for r, tab in zip(rounds, tables):
        for m in MEASURES:
            alike.append({"round": r, "measure": m,
                          **similarity(tab, g.members, f"{m}_pct", seed=cfg.seed)})
    for m in MEASURES:
        pooled.append({"measure": m, **similarity_pooled(tables, g.members, f"{m}_pct",
                                                         seed=cfg.seed)})
    return GroupReport(group=g, rounds=rounds, round=round_, source=data.source,
                       synthetic=data.synthetic, config=cfg, members=members,
                       latest=latest, categories=cats.reset_index(drop=True),
                       trend=trend.reset_index(drop=True),
                       group_trend=group_trend.reset_index(drop=True),
                       alike=pd.DataFrame(alike), alike_pooled=pd.DataFrame(pooled),
                       hidden=hidden)


# --------------------------------------------------------------------------------------------
# National overview


@dataclass
class NationalReport:
    """Everything the national overview says (see :func:`national_overview`)."""

    round: str
    source: str
    synthetic: bool
    config: ModelConfig
    n_municipalities: int
    n_respondents: int
    n_hidden: int                     # municipalities with answers but below the minimum size
    national: dict                    # measure -> (mean, low, high)
    distribution: pd.DataFrame        # shown municipalities of the round
    quartiles: dict                   # maturity quartiles and range
    types_by_county: pd.DataFrame     # county x type counts
    types: pd.DataFrame               # type counts and shares
    trend: pd.DataFrame               # national mean per round with interval
    by_unit: pd.DataFrame             # respondent-pooled scores per unit in the round
    counties: pd.DataFrame            # county means in the round
    baseline: float = PUBLISHED_BASELINE
    goal: float = PUBLISHED_GOAL

    def record(self) -> dict:
        out = {"round": self.round, "n_municipalities": self.n_municipalities,
               "n_respondents": self.n_respondents, "synthetic": self.synthetic}
        for m, (mean, lo, hi) in self.national.items():
            out[f"{m}_national"] = _plain(mean)
            out[f"{m}_national_ci"] = [_plain(lo), _plain(hi)]
        out["types"] = {r.type: int(r.n) for r in self.types.itertuples()}
        return out


def national_overview(data: ReportData, round: str | None = None) -> NationalReport:
    """Compute the national overview of one round.

    ``by_unit`` pools the respondents of each unit (sector) over all municipalities, with the
    bootstrap interval of :func:`score` (basis: all respondents of the unit, not a mean of
    municipalities, because most municipality x unit groups are below the minimum size).
    """
    round_ = data.check_round(round)
    cfg = data.config
    shown = data.shown()
    cur = shown[shown["round"] == round_]
    o = data.scores.overall
    answered = o[o["round"] == round_]
    national = {m: t_interval(cur[f"{m}_pct"], cfg.ci_level)[:3] for m in MEASURES}
    q = cur["maturity_pct"].quantile([0, 0.25, 0.5, 0.75, 1]).to_numpy()
    quartiles = dict(zip(("min", "q1", "median", "q3", "max"), map(float, q)))
    order = list(type_descriptions().index)
    tbc = (cur.groupby(["county_code", "county_name", "type"]).size().unstack("type")
           .reindex(columns=order).fillna(0).astype(int).reset_index())
    tbc["n"] = tbc[order].sum(axis=1)
    types = cur["type"].value_counts().reindex(order).fillna(0).astype(int).rename("n")
    types = types.reset_index().rename(columns={"index": "type"})
    types["share"] = types["n"] / types["n"].sum() * 100
    trend = bench_table(shown, ["round"], "maturity_pct", cfg.ci_level).sort_values("round")
    sub = data.responses[data.responses["round"] == round_]
    unit = score(sub, by=("round", "unit"), bank=data.bank, config=cfg, ci=True).overall
    unit = unit[unit["unit"].notna() & (unit["n_respondents"] >= cfg.min_group_size)]
    unit = unit.sort_values("maturity_pct", ascending=False).reset_index(drop=True)
    cm = bench_table(cur, ["county_code", "county_name"], "maturity_pct", cfg.ci_level)
    cm = cm.sort_values("mean", ascending=False).reset_index(drop=True)
    return NationalReport(
        round=round_, source=data.source, synthetic=data.synthetic, config=cfg,
        n_municipalities=int(len(cur)), n_respondents=int(cur["n_respondents"].sum()),
        n_hidden=int((answered["n_respondents"] < cfg.min_group_size).sum()),
        national=national,
        distribution=cur[["municipality_code", "municipality_name", "county_code",
                          "capability_pct", "legacy_pct", "maturity_pct", "type"]]
        .reset_index(drop=True),
        quartiles=quartiles, types_by_county=tbc, types=types, trend=trend.reset_index(drop=True),
        by_unit=unit, counties=cm)


def groups_with_data(data: ReportData, round_: str | None = None) -> list[Group]:
    """The named groups (``groups.yaml``) with at least one member shown in the round."""
    round_ = data.check_round(round_)
    shown = data.shown()
    codes = set(shown.loc[shown["round"] == round_, "municipality_code"])
    return [g for g in load_groups().values() if codes & set(g.members)]



# --------------------------------------------------------------------------------------------
# Before/after study report


STUDY_DEMO_RELATIVE = Path("data") / "demo" / "digigrow_study_SYNTHETIC.csv"
_STUDIES: dict[tuple, object] = {}


def load_study(path: str | os.PathLike | None = None, *,
               instrument: str | os.PathLike | None = None):
    """Read and validate a before/after study file once per process (cached by file identity).

    ``None`` means the SYNTHETIC DigiGrow demo study (``data/demo/digigrow_study_SYNTHETIC.csv``
    if it exists, found from the repo root or ``notebooks/``, otherwise simulated in memory with
    the same seed). Returns ``(frame, instrument)``.
    """
    from .instrument import load_instrument
    from .study import read_study, validate_study
    from .study_demo import generate_study_demo

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


def study_report(frame: pd.DataFrame, instrument, municipalities: Sequence[str] | None = None):
    """Analyse the study for the report: the chosen treated municipalities and every comparison.

    ``municipalities`` (codes) restricts the *treated* municipalities reported; comparison
    municipalities always stay in, since the difference-in-differences needs them. A code not
    among the treated municipalities of the data is an error naming those there are.
    """
    from .study import analyse_study

    if municipalities:
        treated = sorted(frame.loc[frame["arm"] == "treated", "municipality_code"].unique())
        unknown = [c for c in municipalities if c not in treated]
        if unknown:
            raise DimiosError(f"municipalities {unknown} are not treated municipalities in the "
                              f"study; expected some of {', '.join(treated)}")
        keep = (frame["arm"] != "treated") | frame["municipality_code"].isin(list(municipalities))
        sub = frame[keep].copy()
        sub.attrs = dict(frame.attrs)
        frame = sub
    return analyse_study(frame, instrument)


def study_profile(results) -> pd.DataFrame:
    """Mean dimension score before and after per municipality (and arm), from the results'
    aggregates; rows of groups below the minimum size are left out."""
    m = results.municipalities
    keep = m[["n_before", "n_after"]].min(axis=1) >= results.config.min_group_size
    return m.loc[keep, ["municipality_code", "municipality_name", "arm", "dimension",
                        "n_before", "n_after", "mean_before", "mean_after", "mean_diff",
                        "mean_diff_ci_low", "mean_diff_ci_high"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Programme follow-up


REGISTER_DEMO_RELATIVE = Path("data") / "demo" / "register_SYNTHETIC"


def load_register(path: str | os.PathLike | None = None):
    """The initiative register (``None``: the SYNTHETIC demo register, from ``data/demo/`` if
    it is there, else written to a temporary folder and read through the same contract)."""
    import tempfile

    from .initiatives import read_register, write_register_demo

    if path in (None, ""):
        demo = _find_up(REGISTER_DEMO_RELATIVE)
        if demo is not None:
            return read_register(demo)
        with tempfile.TemporaryDirectory() as tmp:
            return read_register(write_register_demo(tmp))
    return read_register(find_data(path))


def _date_param(value, default, *, end_of_month: bool = False):
    """A date parameter: ``YYYY-MM-DD``, or ``YYYY-MM`` (the month's first day, or its last
    with ``end_of_month``)."""
    import calendar
    import datetime as dt

    if value in (None, ""):
        return default
    text = str(value)
    try:
        if len(text) == 7:
            y, m = int(text[:4]), int(text[5:7])
            return dt.date(y, m, calendar.monthrange(y, m)[1] if end_of_month else 1)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise DimiosError(f"date {value!r}: expected YYYY-MM-DD or YYYY-MM") from None


@dataclass
class FollowupReport:
    """What the programme follow-up says (see :func:`followup_report`)."""

    group: Group
    start: object
    end: object
    synthetic: bool
    initiatives: pd.DataFrame
    status: pd.DataFrame
    funnel: pd.DataFrame
    time_in_stage: pd.DataFrame
    stuck: pd.DataFrame
    kpis: pd.DataFrame
    capabilities: pd.DataFrame
    stuck_days: int

    def record(self) -> dict:
        f = self.funnel.set_index("stage")["reached"].to_dict()
        c = self.capabilities.dropna(subset=["change"])
        return {"group": self.group.id, "start": str(self.start), "end": str(self.end),
                "n_initiatives": int(len(self.initiatives)), "funnel": f,
                "n_stuck": int(len(self.stuck)), "n_capability_changes": int(len(c)),
                "n_clear": int(c["clear"].sum()), "n_beyond_others": int(c["beyond_others"].sum()),
                "synthetic": self.synthetic}


def followup_report(data: ReportData, register, group, start=None, end=None, *,
                    stuck_days: int = 120) -> FollowupReport:
    """The initiatives committed in ``[start, end]`` by the municipalities of ``group``, where
    they stand at ``end``, their KPIs, and how their targeted capabilities moved between the
    DiMiOS rounds around them (``data``: the DiMiOS answers, scored)."""
    import datetime as dt

    from .initiatives import (
        Register,
        current_stages,
        funnel,
        kpi_progress,
        stuck,
        targeted_capability_change,
        time_in_stage,
    )

    g = resolve_group(group)
    start = _date_param(start, dt.date(1900, 1, 1))
    end = _date_param(end, dt.date.today(), end_of_month=True)
    if end < start:
        raise DimiosError(f"period: end {end} is before start {start}")
    ini = register.initiatives
    ini = ini[ini["municipality_code"].isin(g.members)
              & (ini["committed"] >= start) & (ini["committed"] <= end)]
    ids = set(ini["initiative_id"])
    st = register.stages[register.stages["initiative_id"].isin(ids)
                         & (register.stages["date"] <= end)]
    kp = register.kpis[register.kpis["initiative_id"].isin(ids)]
    kp = kp[kp["date"].isna() | (kp["date"] <= end)] if len(kp) else kp
    sub = Register(ini.reset_index(drop=True), st.reset_index(drop=True),
                   kp.reset_index(drop=True), register.source, register.synthetic)
    caps = data.scores.capabilities
    caps = caps[caps["round"] <= f"{end.year:04d}-{end.month:02d}"]
    return FollowupReport(
        group=g, start=start, end=end, synthetic=register.synthetic or data.synthetic,
        initiatives=sub.initiatives, status=current_stages(sub, end), funnel=funnel(sub),
        time_in_stage=time_in_stage(sub, end), stuck=stuck(sub, end, stuck_days),
        kpis=kpi_progress(sub), capabilities=targeted_capability_change(
            sub, caps, data.config.min_group_size), stuck_days=stuck_days)


def load_training(log_path=None, outcomes_path=None, competence_path=None) -> dict:
    """The training log, outcome survey and competence answers (each ``None``: the SYNTHETIC
    Modig demo file from ``data/demo/`` if there, else simulated in memory with the same seed).
    Returns ``{"log", "outcomes", "competence"}``, each through its data contract."""
    from . import training as T
    from . import training_demo as TD

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
    from .study import validate_study
    from .training import load_competence_instrument

    return validate_study(frame, load_competence_instrument())


@dataclass
class TrainingFollowup:
    """What the training programme reached in a group (see :func:`training_followup`)."""

    summary: pd.DataFrame | None      # training_summary(total=True); None: no log rows
    shares: pd.DataFrame | None       # outcome_shares; None: no survey answers
    competence: object | None         # StudyResults of the competence before/after
    published: dict | None            # Modig's published figures, when the group is Modig's
    synthetic: bool


def training_followup(training: dict, group: Group) -> TrainingFollowup:
    """The training log, outcome survey and competence answers (:func:`load_training`) of the
    group's municipalities, summarised. ``published`` is set when the log covers exactly the
    Modig municipalities, so the report can set its totals against the published ones."""
    from . import training as T

    def of_group(frame):
        sub = frame[frame["municipality_code"].isin(group.members)].copy()
        sub.attrs = dict(frame.attrs)
        return sub

    log, out, comp = (of_group(training[k]) for k in ("log", "outcomes", "competence"))
    pub = T.published_modig()
    return TrainingFollowup(
        summary=T.training_summary(log, total=True) if len(log) else None,
        shares=T.outcome_shares(out) if len(out) else None,
        competence=T.analyse_competence(comp) if len(comp) else None,
        published=pub if set(log["municipality_code"]) == set(pub["municipalities"]) else None,
        synthetic=bool(training["log"].attrs.get("synthetic")))
