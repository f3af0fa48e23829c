"""The municipality round report, computed: headline with intervals, type, position among all
municipalities, category and capability profiles against national and peer means, strengths and
priorities, change, results by unit and role, reliability.

Where the national figures come from (``national_source``): the other municipalities in the
data (``data``); a file of published national figures (``reference``), when given; or nowhere
(``none``) when the data hold this municipality's answers only, and then the report makes no
national comparison and gives no rank: an average of its own answers would compare it with
itself. A peer mean likewise needs another member of the peer group with data.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import __version__
from ..config import ModelConfig
from ..errors import DimiosError
from ..maturity.benchmarks import bench_table, benchmark_of, difference_error
from ..maturity.change import round_changes
from ..maturity.scoring import MEASURES, Scores
from ..reference.municipalities import Group, municipalities, resolve_group, restore_code
from ..stats.jackknife import t_p_value
from ..stats.ranking import rank_intervals, rank_range
from . import claims
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
    unit_categories: pd.DataFrame | None = None   # group x category, with the national value
    role_categories: pd.DataFrame | None = None   # of the same unit (role) pooled nationally
    hidden_unit_cells: int = 0                    # category values of shown units not shown
    hidden_role_cells: int = 0
    reliability: pd.DataFrame | None = None
    item_bank_version: str = ""
    library_version: str = __version__
    national_source: str = "data"                 # "data", "reference", "reference_missing", "none"
    reference_name: str | None = None             # the reference file's name
    reference_cited: list[str] = field(default_factory=list)  # its source texts
    notes: list[str] = field(default_factory=list)
    family: pd.DataFrame | None = None            # every comparison, p-values and claims

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
               "peer": self.peer.id, "synthetic": self.synthetic,
               "national_source": self.national_source}
        if self.headline is not None:
            for r in self.headline.itertuples():
                out[f"{r.measure}_pct"] = plain(r.pct)
                out[f"{r.measure}_ci_low"] = plain(r.ci_low)
                out[f"{r.measure}_ci_high"] = plain(r.ci_high)
                out[f"{r.measure}_national"] = plain(r.national)
                out[f"{r.measure}_peer"] = plain(r.peer)
                out[f"{r.measure}_eb"] = plain(r.eb)
                out[f"{r.measure}_rank_low"] = plain(r.rank_low)
                out[f"{r.measure}_rank_high"] = plain(r.rank_high)
                out[f"{r.measure}_vs_national"] = claims.vs_reference(r, "national")
        if self.change_previous is not None and len(self.change_previous):
            for r in self.change_previous.itertuples():
                out[f"{r.measure}_change"] = plain(r.change)
                out[f"{r.measure}_change_significant"] = bool(r.significant)
                out[f"{r.measure}_change_claimed"] = bool(r.claimed)
        if self.family is not None:
            out["n_comparisons"] = int(len(self.family))
            out["n_claims"] = int(self.family["claimed"].sum())
        return out


def _changes(own: Scores, round_: str, base: str, min_n: int) -> pd.DataFrame:
    cols = ["measure", "round_from", "round_to", "n_from", "n_to", "n_linked", "design",
            "change", "ci_low", "ci_high", "se", "df", "p_value", "significant", "p_adjusted",
            "claimed"]
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
        "p_value": r[f"{m}_p_value"], "significant": bool(r[f"{m}_significant"]),
        "p_adjusted": np.nan, "claimed": False}
        for m in MEASURES], columns=cols)


def _gap_tests(own: pd.DataFrame, members: pd.DataFrame, code: str, key: str, source: str,
               cfg: ModelConfig) -> pd.DataFrame:
    """``own`` (a municipality's categories or capabilities with ``gap``) with the test of each
    gap to the national mean: ``gap_se``, ``gap_df``, ``p_value`` and ``clear_unadjusted`` (the
    interval excludes the national mean: each comparison alone). With national figures from
    the data the national mean's own error counts (``benchmark_error``); a published figure is
    taken as fixed."""
    out = own.copy()
    if source == "data" and "se" in members:
        err = difference_error(members, code, [key], weights=cfg.benchmark_weights,
                               include_error=cfg.benchmark_error)
        out = out.merge(err.rename(columns={"diff_se": "gap_se", "diff_df": "gap_df"}),
                        on=key, how="left")
    else:
        out["gap_se"], out["gap_df"] = out["se"], out["df"]
    out["p_value"] = t_p_value(out["gap"], out["gap_se"], out["gap_df"])
    out["clear_unadjusted"] = ((out["ci_high"] < out["national"])
                               | (out["ci_low"] > out["national"]))
    out["clear"] = False
    return out


def _headline_test(table: pd.DataFrame, row, m: str, code: str, reference: float,
                   cfg: ModelConfig, with_error: bool) -> float:
    """The p-value of a measure's difference from a benchmark of ``table`` (itself among
    them), or from a fixed ``reference`` when ``with_error`` is false or there is no table."""
    diff = row[f"{m}_pct"] - reference
    if pd.isna(reference):
        return float("nan")
    if with_error and len(table) and f"{m}_se" in table:
        t = table.rename(columns={f"{m}_pct": "pct", f"{m}_se": "se", f"{m}_df": "df"})
        err = difference_error(t, code, weights=cfg.benchmark_weights,
                               include_error=cfg.benchmark_error)
        if len(err):
            return float(t_p_value(diff, err["diff_se"].iloc[0], err["diff_df"].iloc[0]))
    return float(t_p_value(diff, row.get(f"{m}_se", np.nan), row.get(f"{m}_df", np.nan)))


def _apply_claims(rep: MunicipalityReport) -> None:
    """Decide every claim of the report together (:func:`claims.decide` over
    :func:`claims.family`) and put the decisions into its tables: ``national_claim`` and
    ``peer_claim`` (headline), ``clear`` (categories, capabilities, and the priorities and
    strengths drawn from them), ``p_adjusted`` and ``claimed`` (changes)."""
    cfg = rep.config
    fam = claims.decide(claims.family(rep.headline, rep.categories, rep.capabilities,
                                      rep.changes()),
                        method=cfg.claims_adjustment, alpha=cfg.claims_alpha)
    rep.family = fam
    h, caps = rep.headline, rep.capabilities
    assert h is not None and caps is not None
    got = {(k, key): (p, c) for k, key, p, c in zip(fam["kind"], fam["key"], fam["p_adjusted"],
                                                     fam["claimed"])}
    for ref in ("national", "peer"):
        claimed = [got.get((ref, m), (np.nan, False))[1] for m in h["measure"]]
        diff = (h["pct"] - h[ref]).to_numpy(float)
        h[f"{ref}_claim"] = np.where(claimed, np.where(diff > 0, "above", "below"), "level")
    for kind, frame, key in (("category", rep.categories, "category"),
                             ("capability", rep.capabilities, "item_id")):
        if frame is not None and len(frame):
            frame["p_adjusted"] = [got.get((kind, k), (np.nan, False))[0] for k in frame[key]]
            frame["clear"] = [bool(got.get((kind, k), (np.nan, False))[1]) for k in frame[key]]
    for name in ("priorities_gap", "priorities_low", "strengths"):
        sub = getattr(rep, name)
        if sub is not None and len(sub):
            look = caps.set_index("item_id")
            sub = sub.copy()
            for col in ("p_adjusted", "clear"):
                sub[col] = sub["item_id"].map(look[col])
            setattr(rep, name, sub)
    for name in ("change_previous", "change_first"):
        ch = getattr(rep, name)
        if ch is not None and len(ch):
            ch = ch.copy()
            ch["p_adjusted"] = [got.get(("change", f"{m}:{f}"), (np.nan, False))[0]
                                for m, f in zip(ch["measure"], ch["round_from"])]
            ch["claimed"] = [bool(got.get(("change", f"{m}:{f}"), (np.nan, False))[1])
                             for m, f in zip(ch["measure"], ch["round_from"])]
            setattr(rep, name, ch)


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


def _reference_values(reference: pd.DataFrame | None, round_: str, level: str) -> pd.DataFrame:
    """The reference figures of one round and level as ``key, national, n``."""
    if reference is None:
        return pd.DataFrame(columns=["key", "national", "n"])
    r = reference[(reference["round"] == round_) & (reference["level"] == level)]
    return pd.DataFrame({"key": r["key"].to_numpy(), "national": r["national"].to_numpy(float),
                         "n": r["n_municipalities"].to_numpy()})


def _national(table: pd.DataFrame, key: str, source: str, ci_level: float, weights: str,
              reference: pd.DataFrame) -> pd.DataFrame:
    """National means per ``key`` (category or item): over the data's municipalities, from the
    reference figures, or none; columns ``key, national, national_ci_low, national_ci_high,
    n_national``."""
    if source == "data":
        return bench_table(table, [key], "pct", ci_level, weights=weights).rename(columns={
            "mean": "national", "ci_low": "national_ci_low", "ci_high": "national_ci_high",
            "n_municipalities": "n_national"})
    nan = float("nan")
    return pd.DataFrame({key: reference["key"].to_numpy(), "national": reference["national"],
                         "national_ci_low": nan, "national_ci_high": nan,
                         "n_national": reference["n"]}) if source == "reference" else \
        pd.DataFrame({key: pd.Series(dtype=object), "national": pd.Series(dtype=float),
                      "national_ci_low": pd.Series(dtype=float),
                      "national_ci_high": pd.Series(dtype=float),
                      "n_national": pd.Series(dtype=float)})


def _category_breakdown(data: ReportData, code: str, round_: str, column: str,
                        shown: list[str]) -> pd.DataFrame:
    """Category results of each shown unit (or role) of a municipality, with the national value
    of the same unit: its respondents in the municipalities shown, pooled (the basis of
    ``national_round_unit.csv``). A value is ``shown`` only when the category-level disclosure
    control allows it (:func:`dimios_lib.maturity.disclosure.protect_categories`); a hidden
    one has no value and no difference, and so has a national value that is not shown."""
    cols = ["group", "dimension", "category", "n_respondents", "pct", "national", "gap",
            "shown"]
    if not shown:
        return pd.DataFrame(columns=cols)
    release = data.release()
    rnd = data.responses[data.responses["round"] == round_]
    sub = rnd[(rnd["municipality_code"] == code) & rnd[column].isin(shown)]
    own = release.breakdown(column, responses=sub, ci=False, level="category")
    nat = release.breakdown(column, national=True, ci=False, level="category",
                            responses=rnd[rnd[column].isin(shown)])
    nat = nat[nat["shown"]]
    own["pct"] = own["pct"].where(own["shown"])
    out = own.merge(nat[[column, "category", "pct"]].rename(columns={"pct": "national"}),
                    on=[column, "category"], how="left").rename(columns={column: "group"})
    out["national"] = out["national"].astype(float)
    out["gap"] = out["pct"] - out["national"]
    order = {g: i for i, g in enumerate(shown)}
    out["_o"] = out["group"].map(order)
    return out.sort_values(["_o"], kind="stable")[cols].reset_index(drop=True)


def municipality_report(data: ReportData, municipality_code: str, round: str | None = None,
                        peer_group=None, *, reference: pd.DataFrame | None = None
                        ) -> MunicipalityReport:
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
    reference : DataFrame, optional
        National figures from a file (:func:`dimios_lib.contracts.national.read_national`),
        used instead of the data's other municipalities (module docstring).

    Notes
    -----
    * Headline, categories and capabilities carry the intervals of
      :func:`dimios_lib.maturity.scoring.score`; national and peer values are the benchmark of
      :mod:`dimios_lib.maturity.benchmarks` (means of the scores of the municipalities shown,
      weighted as ``ModelConfig.benchmark_weights`` says), the same numbers as the shared
      tables (tested).
    * ``strengths``: the three highest capabilities that are not among the priorities shown
      (``priorities_gap``, or ``priorities_low`` when none is below). ``priorities_gap``: the
      three capabilities furthest below the national mean (``gap`` < 0), with ``clear`` = the gap is
      claimed across the report's comparisons (below). ``priorities_low``: the three lowest
      capabilities. Only capabilities answered by at least ``min_group_size`` respondents.
    * Changes (previous round with data, and first round) come from
      :func:`dimios_lib.maturity.change.round_changes`; a change is ``significant`` only when its
      interval excludes zero, and rounds below the minimum group size are not compared.
      Respondents who answered both rounds are paired (``design``, ``n_linked``).
    * Every claim is decided across the report's comparisons (:mod:`dimios_lib.reports.claims`,
      ``ModelConfig.claims_adjustment``; ``family`` holds them): the headline's ``p_national``,
      ``p_peer`` and ``national_claim``, ``peer_claim``; the categories' and capabilities'
      ``gap_se``, ``gap_df``, ``p_value``, ``p_adjusted``, ``clear`` (and ``clear_unadjusted``,
      the interval alone); the changes' ``p_adjusted`` and ``claimed`` (``significant``: alone).
    * Ranks are intervals (``rank_low``, ``rank_high`` of ``n_ranked``;
      ``ModelConfig.rank_method``), never a point rank.
    * The headline carries the small-area (empirical Bayes) estimates ``eb``, ``eb_ci_low``,
      ``eb_ci_high`` and ``eb_shrinkage`` (:mod:`dimios_lib.maturity.smallarea`);
      ``small_area`` is true when the municipality has fewer respondents than
      ``small_area_below`` and they exist: the report then shows them beside the direct ones.
    """
    restored, note = restore_code(municipality_code)
    if note:
        warnings.warn(note, stacklevel=2)
    code = str(restored)
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
        item_bank_version=data.bank.version, notes=[note] if note else [],
        reference_name=None if reference is None else reference.attrs.get("source"),
        reference_cited=[] if reference is None else list(reference.attrs.get("cited", [])))
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
    from_data = (~in_round["is_self"]).any()
    ref_measures = _reference_values(reference, round_, "measure").set_index("key")
    if reference is not None:
        rep.national_source = "reference" if len(ref_measures) else "reference_missing"
    elif not from_data:
        rep.national_source = "none"
    if rep.national_source == "data":
        rep.position = in_round[["municipality_code", "municipality_name", "county_code",
                                 "capability_pct", "legacy_pct", "maturity_pct", "type",
                                 "is_self", "in_county", "in_peer"]].reset_index(drop=True)
    peers = in_round[in_round["in_peer"]]
    alone_in_peer = not (~peers["is_self"]).any()  # never a peer mean of itself alone
    nan = float("nan")
    headline = []
    w = cfg.benchmark_weights
    nat: tuple
    for m in MEASURES:
        rank_low = rank_high = nan
        if rep.national_source == "data":
            nat = benchmark_of(in_round, f"{m}_pct", level=cfg.ci_level, weights=w)
            ranked = in_round[in_round[f"{m}_pct"].notna()]
            n_ranked = len(ranked)
            me = np.flatnonzero(ranked["is_self"].to_numpy())
            if len(me) and cfg.rank_method == "overlap":
                lows, highs = rank_range(ranked[f"{m}_ci_low"].to_numpy(),
                                         ranked[f"{m}_ci_high"].to_numpy())
                rank_low, rank_high = int(lows[me[0]]), int(highs[me[0]])
            elif len(me):  # the municipality's own row only
                lows, highs = rank_intervals(ranked[f"{m}_pct"], ranked[f"{m}_se"],
                                             ranked[f"{m}_df"], level=cfg.ci_level,
                                             rows=me[:1])
                rank_low, rank_high = int(lows[0]), int(highs[0])
            p_nat = _headline_test(in_round, row, m, code, nat[0], cfg, True)
        else:
            value = ref_measures["national"].get(m, nan)
            n = ref_measures["n"].get(m) if m in ref_measures.index else None
            nat = (value, nan, nan, nan if n is None or pd.isna(n) else n)
            n_ranked = 0
            p_nat = _headline_test(in_round, row, m, code, nat[0], cfg, False)
        pr = ((nan, nan, nan, 0) if alone_in_peer
              else benchmark_of(peers, f"{m}_pct", level=cfg.ci_level, weights=w))
        p_peer = _headline_test(peers, row, m, code, pr[0], cfg, True)
        headline.append({"measure": m, "pct": row[f"{m}_pct"], "ci_low": row[f"{m}_ci_low"],
                         "ci_high": row[f"{m}_ci_high"], "se": row.get(f"{m}_se", nan),
                         "df": row.get(f"{m}_df", nan), "national": nat[0],
                         "national_ci_low": nat[1], "national_ci_high": nat[2],
                         "n_national": nat[3], "peer": pr[0], "n_peer": pr[3],
                         "p_national": p_nat, "p_peer": p_peer,
                         "rank_low": rank_low, "rank_high": rank_high, "n_ranked": n_ranked,
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
    nat_c = _national(cats, "category", rep.national_source, cfg.ci_level, w,
                      _reference_values(reference, round_, "category"))
    peer_cats = cats[cats["municipality_code"].isin(peer.members)]
    if alone_in_peer:
        peer_cats = peer_cats.iloc[:0]
    peer_c = bench_table(peer_cats, ["category"], "pct",
                         cfg.ci_level, weights=w)[["category", "mean", "n_municipalities"]].rename(
        columns={"mean": "peer", "n_municipalities": "n_peer"})
    own_c = cats[cats["municipality_code"] == code][["dimension", "category", "pct", "ci_low",
                                                      "ci_high", "se", "df"]]
    own_c = own_c.merge(nat_c, on="category", how="left").merge(peer_c, on="category", how="left")
    own_c["national"] = own_c["national"].astype(float)
    own_c["peer"] = own_c["peer"].astype(float)
    own_c["gap"] = own_c["pct"] - own_c["national"]
    rep.categories = _gap_tests(own_c, cats, code, "category", rep.national_source, cfg)

    caps = data.shown_capabilities()
    caps = caps[caps["round"] == round_].merge(shown_keys, on="municipality_code")
    nat_i = _national(caps, "item_id", rep.national_source, cfg.ci_level, w,
                      _reference_values(reference, round_, "item"))[["item_id", "national"]]
    peer_caps = caps[caps["municipality_code"].isin(peer.members)]
    if alone_in_peer:
        peer_caps = peer_caps.iloc[:0]
    peer_i = bench_table(peer_caps, ["item_id"], "pct",
                         cfg.ci_level, weights=w)[["item_id", "mean"]].rename(columns={"mean": "peer"})
    own_i = caps[caps["municipality_code"] == code][["dimension", "category", "item_id",
                                                      "n_answers", "pct", "ci_low", "ci_high",
                                                      "se", "df"]]
    own_i = own_i.merge(nat_i, on="item_id", how="left").merge(peer_i, on="item_id", how="left")
    own_i["national"] = own_i["national"].astype(float)
    own_i["peer"] = own_i["peer"].astype(float)
    own_i["gap"] = own_i["pct"] - own_i["national"]
    own_i = _gap_tests(own_i, caps, code, "item_id", rep.national_source, cfg)
    rep.capabilities = own_i
    below = own_i[own_i["gap"] < 0]
    rep.priorities_gap = below.sort_values(["gap", "item_id"]).head(3)
    rep.priorities_low = own_i.sort_values(["pct", "item_id"]).head(3)
    # a capability listed as a priority is not also listed as a strength
    listed = rep.priorities_gap if len(rep.priorities_gap) else rep.priorities_low
    rep.strengths = (own_i[~own_i["item_id"].isin(listed["item_id"])]
                     .sort_values(["pct", "item_id"], ascending=[False, True]).head(3))

    # change since the previous round with data, and since the first round
    own_scores = _shown_own(data, code)
    rep.change_previous = _changes(own_scores, round_, "previous", min_n)
    rep.change_first = _changes(own_scores, round_, "first", min_n)
    _apply_claims(rep)
    ov = own_scores.overall
    trend = ov[ov["round"] <= round_][["round", "n_respondents"] + [
        f"{m}_{k}" for m in MEASURES for k in ("pct", "ci_low", "ci_high")]].copy()
    if rep.national_source == "data":
        nat_t = bench_table(shown[shown["round"] <= round_], ["round"], "maturity_pct",
                            cfg.ci_level, weights=w)[["round", "mean"]]
    elif reference is not None:
        r = reference[(reference["level"] == "measure") & (reference["key"] == "maturity")
                      & (reference["round"] <= round_)]
        nat_t = pd.DataFrame({"round": r["round"], "mean": r["national"].astype(float)})
    else:
        nat_t = pd.DataFrame({"round": pd.Series(dtype=object), "mean": pd.Series(dtype=float)})
    rounds = pd.DataFrame({"round": sorted(set(nat_t["round"]) | set(trend["round"]))})
    trend = rounds.merge(nat_t.rename(columns={"mean": "national_maturity"}), on="round",
                         how="left").merge(trend, on="round", how="left").sort_values("round")
    trend["national_maturity"] = trend["national_maturity"].astype(float)
    rep.trend = trend.reset_index(drop=True)

    rep.by_unit, rep.hidden_units = _breakdown(data, code, round_, "unit")
    rep.by_role, rep.hidden_roles = _breakdown(data, code, round_, "role")
    for what, frame in (("unit", rep.by_unit), ("role", rep.by_role)):
        groups = [] if frame is None or frame.empty else frame["group"].tolist()
        cats = _category_breakdown(data, code, round_, what, groups)
        setattr(rep, f"{what}_categories", cats)
        setattr(rep, f"hidden_{what}_cells", int((~cats["shown"].astype(bool)).sum()))

    rel = data.reliability()
    rep.reliability = rel[(rel["round"] == round_) & rel["level"].isin(["dimension", "overall"])][
        ["scale", "k_items", "n_respondents", "n_complete", "alpha", "omega", "heywood", "icc1",
         "icc2", "n_municipalities", "respondents_per_municipality"]].reset_index(drop=True)
    return rep


def map_members(rep: MunicipalityReport) -> tuple[list[str], dict[str, str]]:
    """The municipalities of the report's map: its county and any peers outside it, with
    their names."""
    ref = municipalities()
    codes = sorted(set(ref.loc[ref["county_code"] == rep.county_code, "municipality_code"])
                   | set(rep.peer.members) | {rep.municipality_code})
    names = dict(zip(ref["municipality_code"], ref["municipality_name"]))
    return codes, {c: names[c] for c in codes}
