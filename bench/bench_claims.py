"""Benchmark of the claims a municipality report makes, on simulated data with a known truth.

**Null**: 290 identical municipalities (the same latent capability and legacy), two rounds and
no change, 5-40 respondents each (drawn from the demo's sizes), half of the second round's
respondents answering both rounds. Every claim of a difference or change is then false. The
data go through the library itself: written as an export, read with
``dimios_lib.reports.load_data`` and reported with ``municipality_report`` (the county as the
peer group). Counted per report: any claim by the report's rule (``ModelConfig``'s defaults:
Benjamini-Hochberg over the report's comparisons, the rank interval) and by the old rule (each
comparison alone at 95 %: above/below the national or peer average, a "clear" capability, a
change), overall and by size band.

**Power**: the same, with 20 % of the municipalities shifted by 5-10 latent points (random sign,
both dimensions) and another 10 % with a true change of +6 latent points between the rounds:
the share of those true differences each rule still claims.

SYNTHETIC. Run: ``make bench`` (or ``python bench/bench_claims.py [--quick]``). Prints the
figures and writes ``bench/results/claims.json``; copy them into ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from dimios_lib import reports
from dimios_lib.demo.known import item_difficulty, simulate_groups, true_scores
from dimios_lib.reference.municipalities import municipalities
from dimios_lib.reports.claims import KINDS, claim_counts

ROUNDS = {"1": "2023-11", "2": "2024-05"}
BANDS = ((5, 7), (8, 15), (16, 40))
LEVEL = (47.5, 55.5)
_DATA = None


def sizes(rng: np.random.Generator, g: int) -> np.ndarray:
    """Respondents per municipality: the demo's sizes of shown municipality-rounds, at most 40."""
    from dimios_lib.demo.responses import generate_demo

    demo = generate_demo()
    n = demo.groupby(["municipality_code", "round"])["respondent_id"].nunique().to_numpy()
    n = n[(n >= 5) & (n <= 40)]
    return rng.choice(n, g, replace=True)


def simulate(seed: int, shift: np.ndarray, change: np.ndarray, n: np.ndarray) -> pd.DataFrame:
    """Two rounds of answers of 290 municipalities at ``LEVEL`` + ``shift``; those with
    ``change`` true change by +6 latent points in both dimensions. Real codes and rounds."""
    codes = municipalities()["municipality_code"].to_numpy()
    difficulty = item_difficulty()
    frames = []
    for k, delta in enumerate((0.0, 6.0)):
        idx = np.flatnonzero(change == bool(k))
        if not len(idx):
            continue
        d = simulate_groups(LEVEL[0] + shift[idx], LEVEL[1] + shift[idx], n[idx],
                            seed=seed + k, difficulty=difficulty, rounds=2, panel=0.5,
                            change=(delta, delta))
        local = {f"g{i:05d}": codes[j] for i, j in enumerate(idx)}
        d["respondent_id"] = d["municipality_code"].map(local) + "-" + d["respondent_id"]
        d["municipality_code"] = d["municipality_code"].map(local)
        d["round"] = d["round"].map(ROUNDS)
        frames.append(d)
    return pd.concat(frames, ignore_index=True)


def _report(code: str) -> dict:
    rep = reports.municipality_report(_DATA, code)
    out = {"municipality_code": code, "n": rep.n_respondents, **claim_counts(rep)}
    if rep.headline is None:
        return out
    h = rep.headline.set_index("measure")
    for m in h.index:
        out[f"{m}_national_claim"] = h.at[m, "national_claim"]
        out[f"{m}_old_national"] = ("above" if h.at[m, "ci_low"] > h.at[m, "national"] else
                                    "below" if h.at[m, "ci_high"] < h.at[m, "national"] else
                                    "level")
    out["rank_low"] = h.at["maturity", "rank_low"]
    out["rank_high"] = h.at["maturity", "rank_high"]
    pos = rep.position
    out["point_rank"] = int((pos["maturity_pct"] > h.at["maturity", "pct"]).sum() + 1)
    out["old_clear_priority"] = int(rep.priorities_gap["clear_unadjusted"].any()) \
        if len(rep.priorities_gap) else 0
    out["clear_priority"] = int(rep.priorities_gap["clear"].any()) \
        if len(rep.priorities_gap) else 0
    ch = rep.change_previous.set_index("measure") if len(rep.change_previous) else None
    out["maturity_change_claimed"] = bool(ch is not None and ch.at["maturity", "claimed"])
    out["maturity_change_old"] = bool(ch is not None and ch.at["maturity", "significant"])
    return out


def run(frame: pd.DataFrame, codes: list[str], jobs: int) -> pd.DataFrame:
    """Every report of ``codes`` on ``frame`` (written as an export and loaded by the library)."""
    global _DATA
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "simulated_SYNTHETIC.csv"
        frame.to_csv(path, sep=";", index=False)
        _DATA = reports.load_data(path, disk_cache=False)
        _DATA.release()
        _DATA.shown()
        if jobs > 1:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                rows = pool.map(_report, codes, chunksize=8)
        else:
            rows = [_report(c) for c in codes]
    return pd.DataFrame(rows)


def any_claims(r: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Whether each report claims anything, by the new rule and by the old one (the old report
    claimed nothing about categories and gave a point rank)."""
    new = r[list(KINDS)].sum(axis=1) + r["rank"] > 0
    old = r[[f"old_{k}" for k in KINDS if k != "category"]].sum(axis=1) > 0
    return new, old


def share(x) -> float:
    return round(float(np.mean(x)), 4)


def summarise_null(r: pd.DataFrame) -> dict:
    new, old = any_claims(r)
    out = {"reports": int(len(r)), "any_claim_new": share(new), "any_claim_old": share(old),
           "by_kind_new": {k: share(r[k] > 0) for k in (*KINDS, "rank")},
           "by_kind_old": {k: share(r[f"old_{k}"] > 0) for k in KINDS},
           "old_vs_national_maturity": share(r["maturity_old_national"] != "level"),
           "old_clear_priority": share(r["old_clear_priority"]),
           "new_clear_priority": share(r["clear_priority"]),
           "point_rank_range": [int(r["point_rank"].min()), int(r["point_rank"].max())],
           "rank_interval_width_median": float((r["rank_high"] - r["rank_low"] + 1).median()),
           "by_size": {}}
    for lo, hi in BANDS:
        band = (r["n"] >= lo) & (r["n"] <= hi)
        out["by_size"][f"{lo}-{hi}"] = {
            "reports": int(band.sum()), "any_claim_new": share(new[band]),
            "any_claim_old": share(old[band]),
            "old_vs_national_maturity": share(r.loc[band, "maturity_old_national"] != "level")}
    return out


def summarise_power(r: pd.DataFrame, shift: np.ndarray, change: np.ndarray) -> dict:
    """Share of the true differences each rule claims, in the right direction."""
    all_codes = municipalities()["municipality_code"].tolist()
    truth = true_scores(LEVEL[0] + shift, LEVEL[1] + shift, difficulty=item_difficulty())
    truth["municipality_code"] = all_codes
    truth["true_shift"], truth["true_change"] = shift, change
    r = r.merge(truth[["municipality_code", "maturity", "true_shift", "true_change"]],
                on="municipality_code")
    nat = truth["maturity"].mean()
    r["true_dir"] = np.where(r["true_shift"] == 0, "level",
                             np.where(r["maturity"] > nat, "above", "below"))
    shifted = r["true_shift"] != 0
    out: dict = {"reports": int(len(r)), "shifted": int(shifted.sum()),
                 "changed": int(r["true_change"].sum())}
    for rule, col in (("new", "maturity_national_claim"), ("old", "maturity_old_national")):
        hit = r.loc[shifted, col] == r.loc[shifted, "true_dir"]
        out[f"shift_claimed_{rule}"] = share(hit)
        out[f"shift_claimed_{rule}_by_size"] = {
            f"{lo}-{hi}": share(hit[(r.loc[shifted, "n"] >= lo) & (r.loc[shifted, "n"] <= hi)])
            for lo, hi in BANDS}
        wrong = r.loc[~shifted, col] != "level"
        out[f"unshifted_claimed_{rule}"] = share(wrong)
    for rule, col in (("new", "maturity_change_claimed"), ("old", "maturity_change_old")):
        out[f"change_claimed_{rule}"] = share(r.loc[r["true_change"], col])
        out[f"nochange_claimed_{rule}"] = share(r.loc[~r["true_change"], col])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true",
                        help="a smoke test: reports for 60 of the 290 municipalities, one run")
    parser.add_argument("--replicates", type=int, default=3, help="null datasets of 290")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the reports")
    parser.add_argument("--seed", type=int, default=20240501)
    args = parser.parse_args()
    codes = municipalities()["municipality_code"].tolist()
    g = len(codes)
    replicates = 1 if args.quick else args.replicates
    chosen = codes[::5] if args.quick else codes
    results: dict = {"machine": f"{platform.machine()}, {multiprocessing.cpu_count()} cores, "
                                f"Python {platform.python_version()}"}
    t0 = time.perf_counter()
    null = []
    for k in range(replicates):
        rng = np.random.default_rng(args.seed + k)
        n = sizes(rng, g)
        frame = simulate(args.seed + 10 * k, np.zeros(g), np.zeros(g, bool), n)
        null.append(run(frame, chosen, args.jobs))
        print(f"null replicate {k + 1}: {time.perf_counter() - t0:.0f} s", flush=True)
    results["null"] = summarise_null(pd.concat(null, ignore_index=True))
    print("null", json.dumps(results["null"]), flush=True)
    rng = np.random.default_rng(args.seed + 999)
    n = sizes(rng, g)
    order = rng.permutation(g)
    shift = np.zeros(g)
    shifted = order[: g // 5]
    shift[shifted] = rng.uniform(5, 10, len(shifted)) * rng.choice([-1, 1], len(shifted))
    change = np.zeros(g, bool)
    change[order[g // 5: g // 5 + g // 10]] = True
    frame = simulate(args.seed + 999, shift, change, n)
    power = run(frame, chosen, args.jobs)
    results["power"] = summarise_power(power, shift, change)
    print("power", json.dumps(results["power"]), flush=True)
    results["seconds"] = round(time.perf_counter() - t0, 1)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / ("claims_quick.json" if args.quick else "claims.json")).write_text(
        json.dumps(results, indent=2), encoding="utf-8")
    print(f"done in {results['seconds']} s")


if __name__ == "__main__":
    main()
