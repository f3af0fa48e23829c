"""Benchmark: scoring the demo data and a ten-times-larger synthetic set, at every level with
intervals (the default jackknife t-intervals, with small-area estimates and pseudo-values, and
the percentile bootstrap option), against the obvious alternative to the bootstrap (a pandas
groupby-apply that resamples respondents per group), in the same run.

Run: ``make bench`` (or ``python bench/bench_scoring.py --repeat 3``). Prints medians and ratios
and writes ``bench/results/latest.json``; copy the figures into ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from dimios_lib.config import ModelConfig
from dimios_lib.demo.responses import generate_demo
from dimios_lib.maturity.scoring import Model, score


def naive_score(data: pd.DataFrame, model: Model, b: int) -> pd.DataFrame:
    """The obvious alternative: per group, draw respondents with replacement, recompute
    item -> category -> dimension -> maturity with pandas, ``b`` times."""
    cfg = model.config
    rows = []
    flip = set(model.bank.items.loc[model.bank.items["reverse"], "item_id"])
    d = data.dropna(subset=["answer"]).copy()
    d["answer"] = np.where(d["item_id"].isin(flip), 7 - d["answer"], d["answer"])
    cats = model.bank.items.set_index("item_id")[["category", "dimension"]]
    for key, g in d.groupby(["municipality_code", "round"], sort=True):
        wide = g.pivot(index="respondent_id", columns="item_id", values="answer")
        rng = np.random.default_rng(0)
        reps = []
        for _ in range(b):
            sample = wide.iloc[rng.integers(0, len(wide), len(wide))]
            pct = (sample.mean() - cfg.scale_min) / (cfg.scale_max - cfg.scale_min) * 100
            cat = pct.groupby(cats.loc[pct.index, "category"]).mean()
            dim = cat.groupby(cats.drop_duplicates("category").set_index("category")
                              .loc[cat.index, "dimension"]).mean()
            reps.append(dim.mean())
        rows.append((*key, np.nanquantile(reps, 0.025), np.nanquantile(reps, 0.975)))
    return pd.DataFrame(rows)


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-groups", type=int, default=10,
                        help="groups timed for the naive path (extrapolated per group)")
    args = parser.parse_args()
    cfg = ModelConfig(interval_method="bootstrap")   # the naive path's method
    methods = {"jackknife_t": ModelConfig(), "bootstrap": cfg}
    results = {"machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                           "processor": platform.processor() or platform.machine(),
                           "cores": __import__("os").cpu_count()},
               "resamples": cfg.bootstrap_resamples, "runs": {}}
    for name, scale in (("demo", 1.0), ("demo x10", 10.0)):
        t = time.perf_counter()
        data = generate_demo(scale=scale)
        gen = time.perf_counter() - t
        answers = len(data)

        groupings = {
            # One bootstrap yields every level: capability (item), category and overall.
            "municipality_round_all_levels_s": ("municipality_code", "round"),
            "by_unit_s": ("municipality_code", "round", "unit"),
            "by_role_s": ("municipality_code", "round", "role"),
        }
        run = {"answers": answers, "generate_s": round(gen, 2)}
        for method, config in methods.items():
            for label, by in groupings.items():
                med, times = timed(lambda by=by, config=config: score(data, by=by, config=config),
                                   args.repeat)
                run[f"{method}_{label}"] = round(med, 2)
                run[f"{method}_{label}_runs"] = [round(x, 2) for x in times]
        # Naive alternative on the first groups of the municipality x round level only.
        keys = data[["municipality_code", "round"]].drop_duplicates().head(args.naive_groups)
        subset = data.merge(keys, on=["municipality_code", "round"])
        n_groups = data.groupby(["municipality_code", "round"]).ngroups
        t = time.perf_counter()
        naive_score(subset, Model.build(config=cfg), cfg.bootstrap_resamples)
        naive = time.perf_counter() - t
        ours_sub, _ = timed(lambda: score(subset, config=cfg), args.repeat)
        run.update(naive_groups=len(keys), naive_subset_s=round(naive, 2),
                   ours_subset_median_s=round(ours_sub, 3),
                   ratio_subset=round(naive / ours_sub, 1),
                   naive_extrapolated_municipality_level_s=round(naive / len(keys) * n_groups, 1))
        results["runs"][name] = run
        print(name, json.dumps(run), flush=True)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
