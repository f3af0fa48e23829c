"""Which comparisons a municipality report claims, for every municipality x round at once.

A municipality report decides its claims across a *family* of comparisons
(:mod:`dimios_lib.reports.claims`): the three headline measures against the national and the
peer average, the categories' and the capabilities' gaps to the national average, and the
changes of the three measures since the previous and since the first round shown. Each has a
p-value; the family's p-values are adjusted together (``ModelConfig.claims_adjustment`` at
``claims_alpha``) and a comparison is *claimed* when its adjusted p-value is below
``claims_alpha``.

This module and :func:`~dimios_lib.maturity.benchmarks.member_differences` are the one
computation of both: the latter gives every member's difference from the benchmark of its group
with its standard error and p-value (the report asks it, through
:func:`~dimios_lib.maturity.benchmarks.difference_error`, for one municipality; :func:`families`
for all at once), and :func:`decide` adjusts the p-values within each family (the report's one
family, or every municipality x round's). :func:`families` builds the family of every
municipality x round a report would be made for, the way
:func:`dimios_lib.reports.municipality.municipality_report` builds one, with the *default*
peers (the county), national figures from the data and no reference file; ``dimios tables``
uses it so that the change table's ``*_significant`` says what the report
calls a change (:func:`claimed_changes`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..config import ModelConfig
from ..stats.multiplicity import adjust_pvalues
from .benchmarks import member_differences
from .change import round_changes
from .scoring import MEASURES, Scores

#: The columns of a family, in order (:func:`families` adds ``municipality_code`` and ``round``).
COLUMNS = ("kind", "key", "difference", "p_value")


def decide(fam: pd.DataFrame, by: Sequence[str] = (), *, method: str = "fdr_bh",
           alpha: float = 0.05) -> pd.DataFrame:
    """The families of ``fam`` (one per value of ``by``; no ``by``: one family) with
    ``p_adjusted`` (:func:`~dimios_lib.stats.multiplicity.adjust_pvalues` within each family)
    and ``claimed`` (adjusted p-value below ``alpha``).

    >>> f = pd.DataFrame({"round": ["a"] * 2 + ["b"] * 2, "p_value": [0.01, 0.04, 0.03, 0.06]})
    >>> decide(f, ["round"])["p_adjusted"].round(3).tolist()
    [0.02, 0.04, 0.06, 0.06]
    """
    out = fam.copy()
    p = out["p_value"].to_numpy(float)
    adjusted = np.full(len(out), np.nan)
    if len(out):
        if by:
            for idx in out.groupby(list(by), sort=False, dropna=False).indices.values():
                adjusted[idx] = adjust_pvalues(p[idx], method=method)
        else:
            adjusted = adjust_pvalues(p, method=method)
    out["p_adjusted"] = adjusted
    out["claimed"] = out["p_adjusted"] < alpha
    return out


def _shown(protected: Scores, min_n: int) -> pd.DataFrame:
    """The municipality x rounds shown (the national and peer comparisons' members)."""
    o = protected.overall
    return o[o["n_respondents"] >= min_n].reset_index(drop=True)


def _headline(shown: pd.DataFrame, cfg: ModelConfig) -> list:
    frames = []
    shown = shown.assign(_county=shown["municipality_code"].astype(str).str[:2])
    for kind, keys in (("national", ["round"]), ("peer", ["round", "_county"])):
        size = shown.groupby(keys, sort=False)["municipality_code"].transform("size")
        for m in MEASURES:
            d = member_differences(shown, keys, value=f"{m}_pct", se=f"{m}_se", df=f"{m}_df",
                                   weights=cfg.benchmark_weights,
                                   include_error=cfg.benchmark_error)
            d = d[(size > 1).to_numpy()]  # never a comparison with itself alone
            frames.append(pd.DataFrame({
                "municipality_code": shown.loc[d.index, "municipality_code"],
                "round": shown.loc[d.index, "round"], "kind": kind, "key": m,
                "difference": d["difference"], "p_value": d["p_value"]}))
    return frames


def _gaps(table: pd.DataFrame, shown: pd.DataFrame, kind: str, key: str,
          cfg: ModelConfig) -> pd.DataFrame:
    """The gaps of ``table`` (categories or capabilities of the municipalities shown) to the
    national mean of their round, when the round has another municipality shown."""
    t = table.merge(shown[["municipality_code", "round"]], on=["municipality_code", "round"])
    many = shown.groupby("round")["municipality_code"].size()
    t = t[t["round"].map(many).to_numpy() > 1].reset_index(drop=True)
    d = member_differences(t, ["round", key], weights=cfg.benchmark_weights,
                           include_error=cfg.benchmark_error)
    return pd.DataFrame({"municipality_code": t["municipality_code"], "round": t["round"],
                         "kind": kind, "key": t[key], "difference": d["difference"],
                         "p_value": d["p_value"]})


def report_changes(protected: Scores, min_n: int) -> pd.DataFrame:
    """The changes the municipality reports compare: between the rounds a municipality is
    shown in (at least ``min_n`` respondents and a maturity value), since the previous and
    since the first, one row per municipality, measure and pair of rounds (``base`` the first
    that gives it), with ``change``, ``p_value`` and the rest of
    :func:`~dimios_lib.maturity.change.round_changes` per measure."""
    o = protected.overall
    keep = ((o["n_respondents"] >= min_n) & o["maturity_pct"].notna()).to_numpy()
    own = protected.subset(keep)
    parts = []
    for base in ("previous", "first"):
        ch = round_changes(own, base=base)
        if ch.empty:
            continue
        for m in MEASURES:
            parts.append(pd.DataFrame({
                "municipality_code": ch["municipality_code"], "round_from": ch["round_from"],
                "round_to": ch["round_to"], "measure": m, "base": base,
                "n_from": ch["n_from"], "n_to": ch["n_to"], "n_linked": ch["n_linked"],
                "design": ch["design"],
                **{s: ch[f"{m}_{s}"] for s in ("change", "ci_low", "ci_high", "se", "df",
                                              "p_value", "significant")}}))
    cols = ["municipality_code", "round_from", "round_to", "measure", "base", "n_from", "n_to",
            "n_linked", "design", "change", "ci_low", "ci_high", "se", "df", "p_value",
            "significant"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    return out.drop_duplicates(subset=["municipality_code", "round_to", "measure",
                                       "round_from"]).reset_index(drop=True)[cols]


def families(protected: Scores, *, changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The family of every municipality x round a report is made for (at least
    ``min_group_size`` respondents and a maturity value), decided: ``municipality_code``,
    ``round``, ``kind``, ``key``, ``difference``, ``p_value``, ``p_adjusted``, ``claimed``.

    ``protected`` are the scores as shared (:attr:`Release.protected
    <dimios_lib.maturity.tables.Release>`, by municipality and round, with intervals); the peers
    are the county (the report's default); ``changes`` defaults to :func:`report_changes`.
    Comparisons without a p-value are left out, as in :func:`dimios_lib.reports.claims.family`.
    """
    cfg = protected.config
    min_n = cfg.min_group_size
    shown = _shown(protected, min_n)
    reported = shown[shown["maturity_pct"].notna()][["municipality_code", "round"]]
    frames = _headline(shown, cfg)
    cats = protected.categories
    cats = cats[(cats["n_respondents"] >= min_n) & cats["pct"].notna()]
    frames.append(_gaps(cats, shown, "category", "category", cfg))
    caps = protected.capabilities
    caps = caps[(caps["n_answers"] >= min_n) & caps["pct"].notna()]
    frames.append(_gaps(caps, shown, "capability", "item_id", cfg))
    ch = report_changes(protected, min_n) if changes is None else changes
    frames.append(pd.DataFrame({
        "municipality_code": ch["municipality_code"], "round": ch["round_to"], "kind": "change",
        "key": ch["measure"].astype(str) + ":" + ch["round_from"].astype(str),
        "difference": ch["change"], "p_value": ch["p_value"]}))
    fam = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(
        len(f) for f in frames) else pd.DataFrame(columns=["municipality_code", "round",
                                                           *COLUMNS])
    fam = fam.merge(reported, on=["municipality_code", "round"])
    fam["p_value"] = fam["p_value"].astype(float)
    fam = fam[fam["p_value"].notna()].reset_index(drop=True)
    return decide(fam, ["municipality_code", "round"], method=cfg.claims_adjustment,
                  alpha=cfg.claims_alpha)


def claimed_changes(changes: pd.DataFrame, fam: pd.DataFrame) -> pd.DataFrame:
    """For each row of a change table (``municipality_code``, ``round_from``, ``round_to``)
    whether the report of ``round_to`` claims each measure's change from ``round_from``: one
    boolean column per measure. A row no report decides (no report for ``round_to``, too few
    respondents, or not a pair of rounds the report compares) is not claimed."""
    got = fam[fam["kind"] == "change"].set_index(["municipality_code", "round", "key"])["claimed"]
    got = got[~got.index.duplicated()]
    out = {}
    for m in MEASURES:
        idx = pd.MultiIndex.from_arrays([changes["municipality_code"], changes["round_to"],
                                         m + ":" + changes["round_from"].astype(str)])
        out[m] = got.reindex(idx).fillna(False).to_numpy(bool)
    return pd.DataFrame(out, index=changes.index)
