"""The group comparison, computed: ranking as rank ranges, profiles side by side, trends, and
whether the members are more alike than chance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..config import ModelConfig
from ..maturity.benchmarks import bench_table
from ..maturity.scoring import MEASURES
from ..reference.municipalities import Group, load_groups, municipalities, resolve_group
from ..stats.ranking import rank_intervals, rank_range, similarity, similarity_pooled
from .claims import decide, likeness_family
from .data import ReportData, plain


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
    group_trend: pd.DataFrame                   # group and national mean per round; the group's
                                                # mean over the same members (same_maturity)
    alike: pd.DataFrame                         # measure x round: sd, random sd, p,
                                                # p_adjusted, claimed (across the report)
    alike_pooled: pd.DataFrame                  # measure: over all rounds (the same columns)
    likeness: pd.DataFrame = field(default_factory=pd.DataFrame)  # the decided family
    hidden: list[str] = field(default_factory=list)  # members below the minimum size

    def group_line(self) -> tuple[pd.Series, bool]:
        """The group's mean per round for a trend: over the same members in every round where
        that gives at least two rounds (``True``), else over the members with a result in each
        round (``False``: show the member count at every point)."""
        gt = self.group_trend.set_index("round")
        if gt["same_maturity"].notna().sum() >= 2:
            return gt["same_maturity"], True
        return gt["group_maturity"], False

    def record(self) -> dict:
        out = {"group": self.group.id, "round": self.round, "n_members": len(self.members),
               "n_shown": int(len(self.latest)), "synthetic": self.synthetic}
        for r in self.latest.itertuples():
            out[f"maturity_{r.municipality_code}"] = plain(r.maturity_pct)
            out[f"rank_{r.municipality_code}"] = [int(r.rank_best), int(r.rank_worst)]
        for r in self.alike[self.alike["round"] == self.round].itertuples():
            out[f"alike_{r.measure}_p"] = plain(r.p_value)
            out[f"alike_{r.measure}_p_adjusted"] = plain(r.p_adjusted)
            out[f"alike_{r.measure}_claimed"] = bool(r.claimed)
        for r in self.alike_pooled.itertuples():
            out[f"alike_{r.measure}_pooled_p"] = plain(r.p_value)
            out[f"alike_{r.measure}_pooled_p_adjusted"] = plain(r.p_adjusted)
            out[f"alike_{r.measure}_pooled_claimed"] = bool(r.claimed)
        out["alike_tests"] = int(len(self.likeness))
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
    o = data.release().protected.overall
    o = o[o["municipality_code"].isin(g.members) & o["round"].isin(rounds)]
    members = pd.DataFrame({"municipality_code": list(g.members),
                            "municipality_name": [ref.at[c, "municipality_name"]
                                                  for c in g.members]})
    in_round = o[o["round"] == round_].set_index("municipality_code")["n_respondents"]
    members["n_respondents"] = members["municipality_code"].map(in_round).fillna(0).astype(int)
    ok = o[(o["round"] == round_) & o["maturity_pct"].notna()]["municipality_code"]
    members["shown"] = (members["n_respondents"] >= min_n) & members["municipality_code"].isin(ok)
    hidden = members.loc[(members["n_respondents"] > 0) & ~members["shown"],
                         "municipality_code"].tolist()
    latest = o[(o["round"] == round_) & (o["n_respondents"] >= min_n)
               & o["maturity_pct"].notna()].copy()
    latest = latest.sort_values(["maturity_pct", "municipality_code"],
                                ascending=[False, True]).reset_index(drop=True)
    if cfg.rank_method == "overlap":
        best, worst = rank_range(latest["maturity_ci_low"].to_numpy(),
                                 latest["maturity_ci_high"].to_numpy())
    else:  # a confidence interval of each member's rank among the members
        best, worst = rank_intervals(latest["maturity_pct"], latest["maturity_se"],
                                     latest["maturity_df"], level=cfg.ci_level)
    latest["rank_best"], latest["rank_worst"] = best, worst
    cats = data.shown_categories()
    cats = cats[(cats["round"] == round_)
                & cats["municipality_code"].isin(latest["municipality_code"])]
    trend = o[(o["n_respondents"] >= min_n) & o["maturity_pct"].notna()].sort_values(
        ["municipality_code", "round"])
    shown = data.shown()
    shown = shown[shown["round"].isin(rounds)]
    w = cfg.benchmark_weights
    gt = bench_table(shown[shown["municipality_code"].isin(g.members)], ["round"],
                     "maturity_pct", cfg.ci_level, weights=w).rename(
        columns={"mean": "group_maturity"})
    nt = bench_table(shown, ["round"], "maturity_pct", cfg.ci_level, weights=w)[
        ["round", "mean"]].rename(columns={"mean": "national_maturity"})
    group_trend = nt.merge(gt, on="round", how="left").sort_values("round")
    # the group's mean over the same members in every round: the members shown in the latest
    # round, and only in rounds where each of them has a result (else a gap, not a mean of
    # whichever members happened to answer)
    core = latest["municipality_code"].tolist()
    wide = trend.pivot(index="round", columns="municipality_code", values="maturity_pct")
    wide = wide.reindex(index=rounds, columns=core)
    complete = wide.notna().all(axis=1) & (len(core) > 0)
    same = wide.mean(axis=1).where(complete)
    group_trend["same_maturity"] = group_trend["round"].map(same)
    group_trend["n_members"] = group_trend["n_municipalities"].fillna(0).astype(int)
    group_trend["n_same"] = len(core)
    alike, pooled = [], []
    tables = [shown[shown["round"] == r] for r in rounds]
    for r, tab in zip(rounds, tables):
        for m in MEASURES:
            alike.append({"round": r, "measure": m,
                          **similarity(tab, g.members, f"{m}_pct", seed=cfg.seed)})
    for m in MEASURES:
        pooled.append({"measure": m, **similarity_pooled(tables, g.members, f"{m}_pct",
                                                         seed=cfg.seed)})
    alike, pooled, likeness = decide_likeness(pd.DataFrame(alike), pd.DataFrame(pooled), cfg)
    return GroupReport(group=g, rounds=rounds, round=round_, source=data.source,
                       synthetic=data.synthetic, config=cfg, members=members,
                       latest=latest, categories=cats.reset_index(drop=True),
                       trend=trend.reset_index(drop=True),
                       group_trend=group_trend.reset_index(drop=True),
                       alike=alike, alike_pooled=pooled, likeness=likeness, hidden=hidden)


def decide_likeness(alike: pd.DataFrame, pooled: pd.DataFrame, cfg: ModelConfig
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The likeness tests decided together (:func:`.claims.likeness_family`, adjusted by
    ``cfg.claims_adjustment`` at ``cfg.claims_alpha`` as a municipality report's claims are):
    ``alike`` and ``pooled`` with ``p_adjusted`` and ``claimed`` (``False`` for a test outside
    the family), and the decided family."""
    fam = decide(likeness_family(alike, pooled), method=cfg.claims_adjustment,
                 alpha=cfg.claims_alpha)
    decided = fam.set_index(["kind", "key"])
    alike, pooled = alike.copy(), pooled.copy()
    for frame, kind, keys in (
            (alike, "alike", [f"{m}:{r}" for m, r in zip(alike.get("measure", []),
                                                          alike.get("round", []))]),
            (pooled, "alike_pooled", list(pooled.get("measure", [])))):
        p_adj = [decided["p_adjusted"].get((kind, k), float("nan")) for k in keys]
        frame["p_adjusted"] = pd.Series(p_adj, index=frame.index, dtype=float)
        frame["claimed"] = pd.Series([bool(decided["claimed"].get((kind, k), False))
                                      for k in keys], index=frame.index, dtype=bool)
    return alike, pooled, fam


def groups_with_data(data: ReportData, round_: str | None = None) -> list[Group]:
    """The named groups (``groups.yaml``) with at least one member shown in the round."""
    round_ = data.check_round(round_)
    shown = data.shown()
    codes = set(shown.loc[shown["round"] == round_, "municipality_code"])
    return [g for g in load_groups().values() if codes & set(g.members)]
