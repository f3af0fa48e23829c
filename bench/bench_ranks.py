"""Benchmark of the rank intervals on simulated data with a known truth: how often a
municipality's true rank lies inside the interval the reports give, and how wide it is.

Every replicate draws 290 municipalities whose latent capability and legacy are spread like the
demo's municipalities in its latest round (sd 7.6 and 8.5 points, covariance 22.4: true maturity
sd about 7 %), or, in the second scenario, a quarter of that spread (true maturity sd about
1.8 %); 5-40 respondents each (drawn from the demo's sizes of shown municipality-rounds, as in
``bench_claims.py``). The answers come from the demo's latent person model
(``dimios_lib.demo.known.simulate_groups``) and are scored by the library; the true scores are
exact (``true_scores``), and the true rank of a municipality is 1 + the number with a higher
true maturity.

Ranked: all 290 (the municipality report: ``rank_low``, ``rank_high``) and, from the same
replicates, disjoint groups of 8 ranked among themselves (the group comparison). Each by the
report's method (``rank_method="bonferroni"``: ``stats.ranking.rank_intervals`` on the estimate,
its standard error and degrees of freedom) and by the older ``"overlap"`` method
(``stats.ranking.rank_range`` of the 95 % intervals).

Reported per method: the coverage (share of municipality-replicates whose true rank is inside),
overall and by size band, with a standard error clustered by replicate (the 290 intervals of one
replicate share their data); the share of replicates in which *every* municipality's interval
covers (simultaneous coverage, which a marginal interval does not promise); the median width in
ranks (high - low + 1) and as a share of the number ranked.

SYNTHETIC. Run: ``make bench`` (or ``python bench/bench_ranks.py [--quick]``). Prints the
figures and writes ``bench/results/ranks.json``; copy them into ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from dimios_lib.config import ModelConfig
from dimios_lib.demo.known import item_difficulty, simulate_groups, true_scores
from dimios_lib.maturity.scoring import score
from dimios_lib.stats.ranking import rank_intervals, rank_range

G = 290
GROUP = 8
BANDS = ((5, 7), (8, 15), (16, 40))
MEAN = np.array([47.5, 55.5])
#: The demo's spread of latent levels in its latest round: municipality effects (sd 7 and 8,
#: correlation 0.4) plus five rounds of trends (sd 0.6 a round).
COV = np.array([[49 + 9, 22.4], [22.4, 64 + 9]])
SCENARIOS = {"demo_spread": 1.0, "small_spread": 0.25}   # factor on the standard deviations
METHODS = ("bonferroni", "overlap")


def demo_sizes() -> np.ndarray:
    """The demo's sizes of municipality-rounds with 5-40 respondents."""
    from dimios_lib.demo.responses import generate_demo

    demo = generate_demo()
    n = demo.groupby(["municipality_code", "round"])["respondent_id"].nunique().to_numpy()
    return n[(n >= 5) & (n <= 40)]


def intervals(est, se, df, lo, hi, method: str) -> tuple[np.ndarray, np.ndarray]:
    """The rank interval of each entity by ``method`` (the reports' two ``rank_method``s)."""
    if method == "overlap":
        return rank_range(lo, hi)
    return rank_intervals(est, se, df, level=ModelConfig().ci_level)


def true_rank(truth: np.ndarray) -> np.ndarray:
    """1 = highest (no ties: the true scores are continuous)."""
    return 1 + (truth[None, :] > truth[:, None]).sum(axis=1)


def replicate(args: tuple) -> list[dict]:
    """One replicate: 290 municipalities scored, ranked all together and in groups of 8."""
    seed, scale, pool, difficulty = args
    rng = np.random.default_rng(seed)
    n = rng.choice(pool, G, replace=True)
    z = rng.multivariate_normal(MEAN, COV * scale ** 2, G)
    data = simulate_groups(z[:, 0], z[:, 1], n, seed=seed + 1, difficulty=difficulty)
    o = score(data).overall.sort_values("municipality_code").reset_index(drop=True)
    truth = true_scores(z[:, 0], z[:, 1], difficulty=difficulty)["maturity"].to_numpy()
    cols = [o[c].to_numpy(float) for c in ("maturity_pct", "maturity_se", "maturity_df",
                                           "maturity_ci_low", "maturity_ci_high")]
    rows = []
    sets = [("all", np.arange(G))] + [
        ("group", np.arange(k, k + GROUP)) for k in range(0, G - GROUP + 1, GROUP)]
    for j, (kind, idx) in enumerate(sets):
        tr = true_rank(truth[idx])
        row = {"kind": kind, "set": j, "n": n[idx], "truth_sd": float(truth[idx].std(ddof=1))}
        for m in METHODS:
            low, high = intervals(*(c[idx] for c in cols), m)
            row[f"{m}_covered"] = (low <= tr) & (tr <= high)
            row[f"{m}_width"] = high - low + 1
        rows.append(row)
    return rows


def summarise(rows: list[dict], kind: str) -> dict:
    """Coverage (clustered by replicate), simultaneous coverage and widths, per method."""
    sel = [r for r in rows if r["kind"] == kind]
    size = len(sel[0]["n"])
    rep = np.concatenate([np.full(size, r["replicate"]) for r in sel])
    n = np.concatenate([r["n"] for r in sel])
    out: dict = {"ranked": size, "sets": len(sel), "municipality_replicates": int(n.size)}
    if kind == "all":
        out["true_maturity_sd"] = round(float(np.mean([r["truth_sd"] for r in sel])), 2)
    for m in METHODS:
        cov = np.concatenate([r[f"{m}_covered"] for r in sel]).astype(float)
        width = np.concatenate([r[f"{m}_width"] for r in sel]).astype(float)
        res = {"coverage": _cov(cov, rep),
               "simultaneous": round(float(np.mean([r[f"{m}_covered"].all() for r in sel])), 4),
               "median_width": float(np.median(width)),
               "median_width_share": round(float(np.median(width)) / size, 3),
               "width_1": round(float(np.mean(width == 1)), 4),
               "width_all": round(float(np.mean(width == size)), 4),
               "by_size": {}}
        for lo, hi in BANDS:
            b = (n >= lo) & (n <= hi)
            res["by_size"][f"{lo}-{hi}"] = {"coverage": _cov(cov[b], rep[b]),
                                            "median_width": float(np.median(width[b])),
                                            "count": int(b.sum())}
        out[m] = res
    return out


def _cov(covered: np.ndarray, cluster: np.ndarray) -> dict:
    """The share covered, with the standard error of a ratio estimator clustered by replicate
    (and the binomial one, ignoring the clustering)."""
    p = float(covered.mean())
    df = pd.DataFrame({"c": covered, "k": cluster}).groupby("k")["c"].agg(["sum", "count"])
    resid = df["sum"] - p * df["count"]
    k = len(df)
    se = float(np.sqrt(k / (k - 1) * (resid ** 2).sum()) / df["count"].sum())
    return {"share": round(p, 4), "se": round(se, 4),
            "se_binomial": round(float(np.sqrt(p * (1 - p) / covered.size)), 4)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a smoke test: 6 replicates")
    parser.add_argument("--replicates", type=int, default=200,
                        help="datasets of 290 per scenario")
    parser.add_argument("--jobs", type=int, default=2, help="processes")
    parser.add_argument("--seed", type=int, default=20241124)
    args = parser.parse_args()
    reps = 6 if args.quick else args.replicates
    pool = demo_sizes()
    difficulty = item_difficulty()
    results: dict = {"machine": f"{platform.machine()}, {multiprocessing.cpu_count()} cores, "
                                f"Python {platform.python_version()}, numpy {np.__version__}",
                     "replicates": reps, "seed": args.seed,
                     "size_bands": {f"{lo}-{hi}": round(float(np.mean((pool >= lo)
                                                                       & (pool <= hi))), 3)
                                    for lo, hi in BANDS}}
    t0 = time.perf_counter()
    for s, (name, scale) in enumerate(SCENARIOS.items()):
        tasks = [(args.seed + 1000 * s + 10 * k, scale, pool, difficulty) for k in range(reps)]
        if args.jobs > 1:
            with multiprocessing.get_context("fork").Pool(args.jobs) as p:
                parts = p.map(replicate, tasks, chunksize=4)
        else:
            parts = [replicate(t) for t in tasks]
        rows = []
        for k, part in enumerate(parts):
            for r in part:
                r["replicate"] = k if r["kind"] == "all" else k * 1000 + r["set"]
            rows += part
        truth_sd = float(np.sqrt(COV[0, 0]) * scale), float(np.sqrt(COV[1, 1]) * scale)
        res = {"latent_sd": [round(x, 2) for x in truth_sd],
               "all_290": summarise(rows, "all"), f"groups_of_{GROUP}": summarise(rows, "group")}
        results[name] = res
        print(name, json.dumps(res), f"{time.perf_counter() - t0:.0f} s", flush=True)
    results["seconds"] = round(time.perf_counter() - t0, 1)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / ("ranks_quick.json" if args.quick else "ranks.json")).write_text(
        json.dumps(results, indent=2), encoding="utf-8")
    print(f"done in {results['seconds']} s")


if __name__ == "__main__":
    main()
