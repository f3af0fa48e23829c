"""The municipality round report, computed: headline with intervals, type, position among all
municipalities, category and capability profiles against national and peer means, strengths and
priorities, change, results by unit and role, reliability.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import __version__
from ..config import ModelConfig
from ..errors import DimiosError
from ..maturity.benchmarks import bench_table, benchmark_of
from ..maturity.change import round_changes
from ..maturity.scoring import MEASURES, Scores
from ..reference.municipalities import Group, municipalities, resolve_group
from .data import ReportData, plain


def resolve_peers(spec, municipality_code: str) -> Group:
    """The peer group: ``None`` = the municipality's county; else a group id, ``county:NN`` or codes."""
    if spec is None or spec == "" or (isinstance(spec, (list, tuple)) and not spec):
        county = municipality_code[:2]
        return resolve_group(f"county:{county}")
    return resolve_group(spec)


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
    headline: pd.DataFrame | None = None          # measure, pct, ci_low, ci_high, national, peer,
    #                                               eb, eb_ci_low, eb_ci_high, eb_shrinkage
    small_area: bool = False                      # show the small-area estimates beside the direct
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
                out[f"{r.measure}_pct"] = plain(r.pct)
                out[f"{r.measure}_ci_low"] = plain(r.ci_low)
                out[f"{r.measure}_ci_high"] = plain(r.ci_high)
                out[f"{r.measure}_national"] = plain(r.national)
                out[f"{r.measure}_eb"] = plain(r.eb)
        if self.change_previous is not None and len(self.change_previous):
            for r in self.change_previous.itertuples():
                out[f"{r.measure}_change"] = plain(r.change)
                out[f"{r.measure}_change_significant"] = bool(r.significant)
        return out


def _changes(own: Scores, round_: str, base: str, min_n: int) -> pd.DataFrame:
    cols = ["measure", "round_from", "round_to", "n_from", "n_to", "n_linked", "design",
            "change", "ci_low", "ci_high", "se", "df", "p_value", "significant"]
    ch = round_changes(own, base=base)
    if ch.empty:
        return pd.DataFrame(columns=cols)
    ch = ch[(ch["round_to"] == round_) & (ch["n_from"] >= min_n) & (ch["n_to"] >= min_n)]
    if ch.empty:
        return pd.DataFrame(columns=cols)
    r = ch.iloc[0]
    return pd.DataFrame([{
        "measure": m, "round_from": r["round_from"], "round_to": r["round_to"],
        "n_from": int(r["n_from"]), "n_to": int(r["n_to"]), "n_linked": int(r["n_linked"]),
        "design": r["design"], "change": r[f"{m}_change"], "ci_low": r[f"{m}_ci_low"],
        "ci_high": r[f"{m}_ci_high"], "se": r[f"{m}_se"], "df": r[f"{m}_df"],
        "p_value": r[f"{m}_p_value"], "significant": bool(r[f"{m}_significant"])}
        for m in MEASURES], columns=cols)


def _shown_own(data: ReportData, code: str) -> Scores:
    """The municipality's own scores over its rounds, restricted to rounds that are shown."""
    o = data.release().protected.overall
    keep = ((o["municipality_code"] == code)
            & (o["n_respondents"] >= data.config.min_group_size)
            & o["maturity_pct"].notna()).to_numpy()
    return data.release().protected.subset(keep)


def _breakdown(data: ReportData, code: str, round_: str, column: str) -> tuple[pd.DataFrame, int]:
    """Scores by unit or role inside one municipality and round: the groups the disclosure
    control shows (the same as ``dimios tables``), and how many are hidden (small groups, and
    groups hidden so that no small one can be recovered by subtraction)."""
    sub = data.responses[(data.responses["municipality_code"] == code)
                         & (data.responses["round"] == round_)]
    if sub.empty or sub[column].isna().all():
        return pd.DataFrame(), 0
    s = data.release().breakdown(column, responses=sub)
    keep = s[s["shown"] & s[column].notna()].rename(columns={column: "group"})
    cols = ["group", "n_respondents"] + [f"{m}_{k}" for m in MEASURES
                                         for k in ("pct", "ci_low", "ci_high")] + ["type"]
    return keep[cols].sort_values("maturity_pct", ascending=False).reset_index(drop=True), int(
        (~s["shown"]).sum())


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
    * Headline, categories and capabilities carry the intervals of
      :func:`dimios_lib.maturity.scoring.score`; national and peer values are the benchmark of
      :mod:`dimios_lib.maturity.benchmarks` (means of the scores of the municipalities shown,
      weighted as ``ModelConfig.benchmark_weights`` says), the same numbers as the shared
      tables (tested).
    * ``strengths``: the three highest capabilities. ``priorities_gap``: the three capabilities
      furthest below the national mean (``gap`` < 0), with ``clear`` = the municipality's
      interval lies wholly below the national mean. ``priorities_low``: the three lowest
      capabilities. Only capabilities answered by at least ``min_group_size`` respondents.
    * Changes (previous round with data, and first round) come from
      :func:`dimios_lib.maturity.change.round_changes`; a change is ``significant`` only when its
      interval excludes zero, and rounds below the minimum group size are not compared.
      Respondents who answered both rounds are paired (``design``, ``n_linked``).
    * The headline carries the small-area (empirical Bayes) estimates ``eb``, ``eb_ci_low``,
      ``eb_ci_high`` and ``eb_shrinkage`` (:mod:`dimios_lib.maturity.smallarea`);
      ``small_area`` is true when the municipality has fewer respondents than
      ``small_area_below`` and they exist: the report then shows them beside the direct ones.
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
    o = data.release().protected.overall
    mine = o[o["municipality_code"] == code]
    rep = MunicipalityReport(
        municipality_code=code, municipality_name=ref.at[code, "municipality_name"],
        county_code=ref.at[code, "county_code"], county_name=ref.at[code, "county_name"],
        round=round_, status="ok",
        rounds_with_data=mine.loc[(mine["n_respondents"] >= min_n) & mine["maturity_pct"].notna(),
                                  "round"].tolist(),
        peer=peer, source=data.source, synthetic=data.synthetic, config=cfg,
        peer_is_county=set(peer.members) == set(ref.index[ref["county_code"] == code[:2]]),
        item_bank_version=data.bank.version)
    row = mine[mine["round"] == round_]
    if row.empty:
        rep.status = "no_data"
        return rep
    row = row.iloc[0]
    rep.n_respondents = int(row["n_respondents"])
    if rep.n_respondents < min_n or pd.isna(row["maturity_pct"]):  # too few (in a dimension)
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
    w = cfg.benchmark_weights
    for m in MEASURES:
        nat = benchmark_of(in_round, f"{m}_pct", level=cfg.ci_level, weights=w)
        pr = benchmark_of(peers, f"{m}_pct", level=cfg.ci_level, weights=w)
        headline.append({"measure": m, "pct": row[f"{m}_pct"], "ci_low": row[f"{m}_ci_low"],
                         "ci_high": row[f"{m}_ci_high"], "national": nat[0],
                         "national_ci_low": nat[1], "national_ci_high": nat[2],
                         "n_national": nat[3], "peer": pr[0], "n_peer": pr[3],
                         "rank": int((in_round[f"{m}_pct"] > row[f"{m}_pct"]).sum() + 1),
                         "n_ranked": int(in_round[f"{m}_pct"].notna().sum()),
                         **{f"eb{k}": row.get(f"{m}_eb{c}", np.nan) for k, c in (
                             ("", "_pct"), ("_ci_low", "_ci_low"), ("_ci_high", "_ci_high"),
                             ("_shrinkage", "_shrinkage"))}})
    rep.headline = pd.DataFrame(headline)
    rep.small_area = bool(rep.n_respondents < cfg.small_area_below
                          and rep.headline["eb"].notna().all())

    # category and capability profiles against national and peer means
    shown_keys = in_round[["municipality_code"]]
    cats = data.shown_categories()
    cats = cats[cats["round"] == round_].merge(shown_keys, on="municipality_code")
    nat_c = bench_table(cats, ["category"], "pct", cfg.ci_level, weights=w).rename(columns={
        "mean": "national", "ci_low": "national_ci_low", "ci_high": "national_ci_high",
        "n_municipalities": "n_national"})
    peer_c = bench_table(cats[cats["municipality_code"].isin(peer.members)], ["category"], "pct",
                         cfg.ci_level, weights=w)[["category", "mean", "n_municipalities"]].rename(
        columns={"mean": "peer", "n_municipalities": "n_peer"})
    own_c = cats[cats["municipality_code"] == code][["dimension", "category", "pct", "ci_low",
                                                      "ci_high"]]
    own_c = own_c.merge(nat_c, on="category", how="left").merge(peer_c, on="category", how="left")
    own_c["gap"] = own_c["pct"] - own_c["national"]
    rep.categories = own_c.reset_index(drop=True)

    caps = data.shown_capabilities()
    caps = caps[caps["round"] == round_].merge(shown_keys, on="municipality_code")
    nat_i = bench_table(caps, ["item_id"], "pct", cfg.ci_level, weights=w)[["item_id", "mean"]].rename(
        columns={"mean": "national"})
    peer_i = bench_table(caps[caps["municipality_code"].isin(peer.members)], ["item_id"], "pct",
                         cfg.ci_level, weights=w)[["item_id", "mean"]].rename(columns={"mean": "peer"})
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
    nat_t = bench_table(shown[shown["round"] <= round_], ["round"], "maturity_pct", cfg.ci_level,
                        weights=w)
    trend = trend.merge(nat_t[["round", "mean"]].rename(columns={"mean": "national_maturity"}),
                        on="round", how="left")
    rep.trend = trend.reset_index(drop=True)

    rep.by_unit, rep.hidden_units = _breakdown(data, code, round_, "unit")
    rep.by_role, rep.hidden_roles = _breakdown(data, code, round_, "role")

    rel = data.reliability()
    rep.reliability = rel[(rel["round"] == round_) & rel["level"].isin(["dimension", "overall"])][
        ["scale", "k_items", "n_respondents", "n_complete", "alpha", "omega", "heywood", "icc1",
         "icc2", "n_municipalities", "respondents_per_municipality"]].reset_index(drop=True)
    return rep
