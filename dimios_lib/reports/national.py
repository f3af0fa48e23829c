"""The national overview, computed: the distribution of maturity, types by county, the national
trend against the published baseline and goal, sectors and county means.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..config import ModelConfig
from ..maturity.benchmarks import bench_table, benchmark_of
from ..maturity.scoring import MEASURES
from ..reference.published import PUBLISHED_BASELINE, PUBLISHED_GOAL
from ..reference.types import TYPES
from .data import ReportData, plain


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
    reliability: pd.DataFrame         # alpha, omega and ICCs of the dimensions in the round
    baseline: float = PUBLISHED_BASELINE
    goal: float = PUBLISHED_GOAL

    def record(self) -> dict:
        out = {"round": self.round, "n_municipalities": self.n_municipalities,
               "n_respondents": self.n_respondents, "synthetic": self.synthetic}
        for m, (mean, lo, hi) in self.national.items():
            out[f"{m}_national"] = plain(mean)
            out[f"{m}_national_ci"] = [plain(lo), plain(hi)]
        out["types"] = {r.type: int(r.n) for r in self.types.itertuples()}
        return out


def national_overview(data: ReportData, round: str | None = None) -> NationalReport:
    """Compute the national overview of one round.

    ``by_unit`` pools the respondents of each unit (sector) over the municipalities shown, with
    the interval of :func:`score` (basis: all respondents of the unit, not a mean of
    municipalities, because most municipality x unit groups are below the minimum size); a unit
    is left out when the disclosure control hides it (the same units as
    ``national_round_unit.csv``).
    """
    round_ = data.check_round(round)
    cfg = data.config
    shown = data.shown()
    cur = shown[shown["round"] == round_]
    o = data.scores.overall
    answered = o[o["round"] == round_]
    w = cfg.benchmark_weights
    national = {m: benchmark_of(cur, f"{m}_pct", level=cfg.ci_level, weights=w)[:3]
                for m in MEASURES}
    q = cur["maturity_pct"].quantile([0, 0.25, 0.5, 0.75, 1]).to_numpy()
    quartiles = dict(zip(("min", "q1", "median", "q3", "max"), map(float, q)))
    order = list(TYPES)
    tbc = (cur.groupby(["county_code", "county_name", "type"]).size().unstack("type")
           .reindex(columns=order).fillna(0).astype(int).reset_index())
    tbc["n"] = tbc[order].sum(axis=1)
    types = cur["type"].value_counts().reindex(order).fillna(0).astype(int).rename("n")
    types = types.reset_index().rename(columns={"index": "type"})
    types["share"] = types["n"] / types["n"].sum() * 100
    trend = bench_table(shown, ["round"], "maturity_pct", cfg.ci_level, weights=w
                        ).sort_values("round")
    sub = data.responses[data.responses["round"] == round_]
    unit = data.release().breakdown("unit", national=True, responses=sub)
    unit = unit[unit["unit"].notna() & unit["shown"]].drop(columns="shown")
    unit = unit.sort_values("maturity_pct", ascending=False).reset_index(drop=True)
    cm = bench_table(cur, ["county_code", "county_name"], "maturity_pct", cfg.ci_level, weights=w)
    cm = cm.sort_values("mean", ascending=False).reset_index(drop=True)
    rel = data.reliability()
    rel = rel[(rel["round"] == round_) & (rel["level"] == "dimension")].reset_index(drop=True)
    return NationalReport(
        round=round_, source=data.source, synthetic=data.synthetic, config=cfg,
        n_municipalities=int(len(cur)), n_respondents=int(cur["n_respondents"].sum()),
        n_hidden=int((answered["n_respondents"] < cfg.min_group_size).sum()),
        national=national,
        distribution=cur[["municipality_code", "municipality_name", "county_code",
                          "capability_pct", "legacy_pct", "maturity_pct", "type"]]
        .reset_index(drop=True),
        quartiles=quartiles, types_by_county=tbc, types=types, trend=trend.reset_index(drop=True),
        by_unit=unit, counties=cm, reliability=rel)
