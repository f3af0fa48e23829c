"""Benchmark of the inference on simulated data with a known truth: coverage of the score
intervals, error and coverage of the small-area estimates, and false changes, power and
coverage of change between rounds (fresh samples, panels, partial panels).

The data come from the demo's latent person model (``dimios_lib.demo.known``): groups of n
respondents whose populations have known latent levels, and whose true scores are computed
exactly (``true_scores``: the expected answers of the population among those who answer, put
through the model). SYNTHETIC.

Run: ``make bench`` (or ``python bench/bench_inference.py [--quick]``). Prints the figures and
writes ``bench/results/inference.json``; copy them into ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import special

from dimios_lib.config import ModelConfig
from dimios_lib.demo.known import demo_truth, item_difficulty, simulate_groups, true_scores
from dimios_lib.demo.responses import ROLES, UNITS, generate_demo
from dimios_lib.maturity.change import round_changes
from dimios_lib.maturity.scoring import MEASURES, score
from dimios_lib.reference.items import load_item_bank

BANK = load_item_bank()
ITEMS = BANK.item_ids
CATEGORIES = BANK.categories["category"].tolist()
METHODS = {
    "jackknife_t": ModelConfig(),
    "jackknife_t_no_moderation": ModelConfig(item_variance_prior_df=0),
    "bootstrap_percentile": ModelConfig(interval_method="bootstrap"),
}


def levels(rng: np.random.Generator, g: int) -> tuple[np.ndarray, np.ndarray]:
    """Latent capability and legacy of ``g`` populations, spread like the demo's municipalities
    in mid-period (sd 7 and 8, correlation 0.4)."""
    z = rng.multivariate_normal([47.5, 55.5], [[49, 22.4], [22.4, 64]], g)
    return z[:, 0], z[:, 1]


def interval_table(s, by_keys: list[str]) -> dict[str, pd.DataFrame]:
    """Estimates and intervals of every statistic, one column per statistic, rows = groups
    in ``s.overall`` order."""
    o = s.overall.set_index(by_keys)
    out = {k: pd.DataFrame(index=o.index) for k in ("est", "lo", "hi")}
    for m in MEASURES:
        for k, suffix in (("est", "pct"), ("lo", "ci_low"), ("hi", "ci_high")):
            out[k][m] = o[f"{m}_{suffix}"]
    for table, col in ((s.categories, "category"), (s.capabilities, "item_id")):
        for k, src in (("est", "pct"), ("lo", "ci_low"), ("hi", "ci_high")):
            wide = table.pivot_table(index=by_keys, columns=col, values=src, dropna=False)
            out[k] = out[k].join(wide)
    return out


def coverage(intervals: dict[str, pd.DataFrame], truth: pd.DataFrame) -> dict:
    """Coverage, median width and share without an interval, per statistic, and summaries."""
    cols = list(MEASURES) + CATEGORIES + ITEMS
    lo, hi = intervals["lo"][cols].to_numpy(), intervals["hi"][cols].to_numpy()
    t = truth[cols].to_numpy()
    has = ~np.isnan(lo)
    covered = np.where(has, (lo <= t) & (t <= hi), np.nan)
    cov = np.nanmean(covered, axis=0)
    width = np.nanmedian(np.where(has, hi - lo, np.nan), axis=0)
    per = dict(zip(cols, cov))
    k_cat = slice(3, 3 + len(CATEGORIES))
    k_item = slice(3 + len(CATEGORIES), len(cols))
    return {
        **{m: round(per[m], 4) for m in MEASURES},
        "categories_min": round(float(np.min(cov[k_cat])), 4),
        "categories_median": round(float(np.median(cov[k_cat])), 4),
        "items_min": round(float(np.min(cov[k_item])), 4),
        "items_median": round(float(np.median(cov[k_item])), 4),
        "width_maturity": round(float(width[2]), 2),
        "width_item_median": round(float(np.median(width[k_item])), 2),
        "no_interval_items": round(float(1 - has[:, k_item].mean()), 4),
        "groups": int(len(t)),
    }


def bench_coverage(n_values, groups, seed, noise=None) -> dict:
    """Coverage of the score intervals of groups of n respondents, for each method."""
    difficulty = item_difficulty()
    out = {}
    for n in n_values:
        g = groups if n <= 15 else max(groups // 2, 200)
        rng = np.random.default_rng(seed + n)
        cap, leg = levels(rng, g)
        kw = {} if noise is None else {"noise_sd": noise}
        data = simulate_groups(cap, leg, n, seed=seed + 100 + n, difficulty=difficulty, **kw)
        truth = true_scores(cap, leg, difficulty=difficulty, **kw)
        truth.index = pd.Index([f"g{i:05d}" for i in range(g)], name="municipality_code")
        row = {}
        for name, cfg in METHODS.items():
            t0 = time.perf_counter()
            s = score(data, config=cfg)
            row[name] = coverage(interval_table(s, ["municipality_code"]), truth)
            row[name]["score_s"] = round(time.perf_counter() - t0, 2)
            if name == "jackknife_t":
                est = s.overall.set_index("municipality_code")["maturity_pct"]
                bias = est - truth["maturity"]
                row["maturity_bias"] = round(float(bias.mean()), 3)
                row["maturity_bias_se"] = round(float(bias.std() / np.sqrt(len(bias))), 3)
        out[str(n)] = row
        print(f"coverage n={n}", json.dumps(row), flush=True)
    return out


def bench_units(groups, n, seed) -> dict:
    """Coverage of scores by unit and by role inside municipalities of ``n`` respondents, by
    the size of the unit or role group."""
    difficulty = item_difficulty()
    rng = np.random.default_rng(seed)
    cap, leg = levels(rng, groups)
    data = simulate_groups(cap, leg, n, seed=seed + 1, difficulty=difficulty)
    codes = [f"g{i:05d}" for i in range(groups)]
    out = {}
    for what, names in (("unit", list(UNITS)), ("role", list(ROLES))):
        truth = pd.concat([
            true_scores(cap, leg, difficulty=difficulty, **{what: name}).assign(
                municipality_code=codes, **{what: name}) for name in names])
        truth = truth.set_index(["municipality_code", what])
        res = {}
        for name in ("jackknife_t", "bootstrap_percentile"):
            s = score(data, by=("municipality_code", "round", what), config=METHODS[name])
            iv = interval_table(s, ["municipality_code", what])
            sizes = s.overall.set_index(["municipality_code", what])["n_respondents"]
            for label, lo, hi in (("5-7", 5, 7), ("8-11", 8, 11), ("12+", 12, 10 ** 6)):
                keep = ((sizes >= lo) & (sizes <= hi)).to_numpy()
                sub = {k: v[keep] for k, v in iv.items()}
                res.setdefault(label, {})[name] = coverage(
                    sub, truth.loc[sub["lo"].index])
        out[what] = res
        print(f"coverage by {what}", json.dumps(res), flush=True)
    return out


SIZE_CLASSES = (("5-7", 5, 7), ("8-14", 8, 14), ("15-29", 15, 29), ("30+", 30, 10 ** 6))


def bench_small_area(replicates, seed) -> dict:
    """Direct and small-area estimates of the demo data against the demo's truth: mean
    squared error and coverage by municipality size, over ``replicates`` demo datasets."""
    frames = []
    for r in range(replicates):
        s = seed + r
        sc = score(generate_demo(seed=s))
        o = sc.overall[sc.overall["n_respondents"] >= 5]
        truth = demo_truth(seed=s)
        frames.append(o.merge(truth, on=["municipality_code", "round"], suffixes=("", "_true"))
                      .assign(replicate=r))
    all_ = pd.concat(frames, ignore_index=True)
    out: dict = {"replicates": replicates, "estimates": int(len(all_))}
    for m in MEASURES:
        res = {}
        for label, lo, hi in (("all", 5, 10 ** 6), *SIZE_CLASSES):
            sub = all_[(all_["n_respondents"] >= lo) & (all_["n_respondents"] <= hi)]
            tt = sub[m]
            ok = sub[f"{m}_eb_pct"].notna()
            res[label] = {
                "n": int(len(sub)),
                "mse_direct": round(float(((sub[f"{m}_pct"] - tt) ** 2).mean()), 2),
                "mse_eb": round(float(((sub[f"{m}_eb_pct"] - tt)[ok] ** 2).mean()), 2),
                "coverage_direct": round(float(((sub[f"{m}_ci_low"] <= tt)
                                                & (tt <= sub[f"{m}_ci_high"])).mean()), 4),
                "coverage_eb": round(float(((sub[f"{m}_eb_ci_low"] <= tt)
                                            & (tt <= sub[f"{m}_eb_ci_high"]))[ok].mean()), 4),
                "width_direct": round(float((sub[f"{m}_ci_high"] - sub[f"{m}_ci_low"]).median()),
                                      2),
                "width_eb": round(float((sub[f"{m}_eb_ci_high"] - sub[f"{m}_eb_ci_low"])
                                        [ok].median()), 2),
                "shrinkage_median": round(float(sub[f"{m}_eb_shrinkage"].median()), 3),
            }
        out[m] = res
    # coverage of the small-area interval for the municipalities furthest from the mean
    dev = (all_["maturity"] - all_.groupby(["replicate", "round"])["maturity"].transform("mean"))
    far = all_[(dev.abs() > 2 * dev.std()) & (all_["n_respondents"] <= 7)]
    out["maturity_far_from_mean_5_7"] = {
        "n": int(len(far)),
        "coverage_direct": round(float(((far["maturity_ci_low"] <= far["maturity"])
                                        & (far["maturity"] <= far["maturity_ci_high"])).mean()),
                                 4),
        "coverage_eb": round(float(((far["maturity_eb_ci_low"] <= far["maturity"])
                                    & (far["maturity"] <= far["maturity_eb_ci_high"])).mean()),
                             4)}
    print("small area", json.dumps(out), flush=True)
    return out


def _old_change(s_boot, level: float) -> pd.DataFrame:
    """The previous method: percentile interval of the difference of the two rounds'
    bootstrap replicates, the rounds' respondents treated as independent."""
    o = s_boot.overall
    alpha = (1 - level) / 2
    rows = []
    for code, block in o.groupby("municipality_code", sort=True):
        a, b = block.index[block["round"] == "1"][0], block.index[block["round"] == "2"][0]
        diff = s_boot.replicates[b].astype(float) - s_boot.replicates[a].astype(float)
        lo, hi = np.nanquantile(diff[:, 2], [alpha, 1 - alpha])
        rows.append((code, lo, hi))
    return pd.DataFrame(rows, columns=["municipality_code", "lo", "hi"])


def _reference_tests(data, design: str) -> pd.DataFrame:
    """Paired (panel) or Welch (fresh) t-tests of the respondents' own maturity scores."""
    own = score(data, by=("municipality_code", "round", "respondent_id"), ci=False).overall
    if design == "panel":
        wide = own.pivot_table(index=["municipality_code", "respondent_id"], columns="round",
                               values="maturity_pct").dropna()
        d = (wide["2"] - wide["1"]).groupby(level=0)
        mean, sd, n = d.mean(), d.std(), d.count()
        se, df = sd / np.sqrt(n), n - 1
    else:
        g = own.groupby(["municipality_code", "round"])["maturity_pct"]
        st = g.agg(["mean", "var", "count"]).unstack("round")
        mean = st[("mean", "2")] - st[("mean", "1")]
        v1, v2 = st[("var", "1")] / st[("count", "1")], st[("var", "2")] / st[("count", "2")]
        se = np.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1 ** 2 / (st[("count", "1")] - 1)
                                + v2 ** 2 / (st[("count", "2")] - 1))
    p = 2 * special.stdtr(df, -np.abs(mean / se))
    width = 2 * special.stdtrit(df, 0.975) * se
    return pd.DataFrame({"p": p, "width": width}).sort_index()


def bench_change(n_values, groups, seed, deltas=(0.0, 2.5), previous=True,
                 sizes: dict | None = None) -> dict:
    """False changes (no true change), power (a true change of ``delta`` latent points in both
    dimensions) and coverage of the change intervals, for panels, partial panels and fresh
    samples; with the previous method and the textbook tests of respondent scores."""
    difficulty = item_difficulty()
    out: dict = {}
    sizes = {5: 2 * groups, 8: 2 * groups, 15: groups} if sizes is None else sizes
    for n in n_values:
        g = sizes.get(n, max(groups // 2, 200))
        for design, share in (("panel", 1.0), ("partial", 0.5), ("fresh", 0.0)):
            for change in deltas:
                rng = np.random.default_rng(seed + n + int(10 * change))
                cap, leg = levels(rng, g)
                data = simulate_groups(cap, leg, n, seed=seed + 7 * n + int(10 * change),
                                       difficulty=difficulty, rounds=2, panel=share,
                                       change=(change, change))
                truth = (true_scores(cap + change, leg + change, difficulty=difficulty)
                         - true_scores(cap, leg, difficulty=difficulty))["maturity"].to_numpy()
                scored = score(data)
                ch = round_changes(scored).sort_values("municipality_code")
                sig = ch["maturity_significant"].to_numpy()
                res = {
                    "groups": g, "true_change_median": round(float(np.median(truth)), 3),
                    "called_change": round(float(sig.mean()), 4),
                    "coverage": round(float(((ch["maturity_ci_low"] <= truth)
                                             & (truth <= ch["maturity_ci_high"])).mean()), 4),
                    "width": round(float((ch["maturity_ci_high"] - ch["maturity_ci_low"])
                                         .median()), 2),
                    "df_median": round(float(ch["maturity_df"].median()), 1),
                    "design_seen": ch["design"].value_counts().to_dict(),
                }
                if design == "partial":
                    derrick = round_changes(dataclasses.replace(
                        scored, config=scored.config.with_(change_test="derrick")))
                    derrick = derrick.sort_values("municipality_code")
                    res["derrick_called"] = round(float(derrick["maturity_significant"].mean()),
                                                  4)
                    res["derrick_coverage"] = round(float(
                        ((derrick["maturity_ci_low"] <= truth)
                         & (truth <= derrick["maturity_ci_high"])).mean()), 4)
                    res["derrick_width"] = round(float(
                        (derrick["maturity_ci_high"] - derrick["maturity_ci_low"]).median()), 2)
                if design != "partial":
                    ref = _reference_tests(data, design)
                    ref_sig = (ref["p"] < 0.05).to_numpy()
                    res["textbook_t_called"] = round(float(ref_sig.mean()), 4)
                    res["textbook_t_width"] = round(float(ref["width"].median()), 2)
                    # paired comparison of the two decisions on the same groups (McNemar)
                    b, c = int((sig & ~ref_sig).sum()), int((~sig & ref_sig).sum())
                    res["called_minus_textbook"] = round((b - c) / g, 4)
                    res["called_minus_textbook_se"] = round(
                        float(np.sqrt(max((b + c) / g ** 2 - (b - c) ** 2 / g ** 3, 0.0))), 4)
                if design != "partial" and previous:
                    old = _old_change(score(data, config=METHODS["bootstrap_percentile"]), 0.95)
                    res["previous_called"] = round(float(((old["lo"] > 0)
                                                          | (old["hi"] < 0)).mean()), 4)
                    res["previous_coverage"] = round(float(((old["lo"] <= truth)
                                                            & (truth <= old["hi"])).mean()), 4)
                    res["previous_width"] = round(float((old["hi"] - old["lo"]).median()), 2)
                key = f"n={n} {design} change={change}"
                out[key] = res
                print("change", key, json.dumps(res), flush=True)
    return out


def bench_speed(repeat: int) -> dict:
    """Scoring the demo data (municipality x round, every level) with each interval method,
    and the changes between rounds."""
    data = generate_demo()
    out = {}
    for name in ("jackknife_t", "bootstrap_percentile"):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            s = score(data, config=METHODS[name])
            times.append(time.perf_counter() - t0)
        out[f"score_{name}_s"] = round(statistics.median(times), 2)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        round_changes(s)
        times.append(time.perf_counter() - t0)
    out["round_changes_s"] = round(statistics.median(times), 2)
    print("speed", json.dumps(out), flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small runs (a smoke test)")
    parser.add_argument("--groups", type=int, default=2000, help="groups per scenario")
    parser.add_argument("--coverage-groups", type=int, default=6000,
                        help="groups per size in the coverage of score intervals")
    parser.add_argument("--replicates", type=int, default=20, help="demo datasets (small area)")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--change-n", type=int, nargs="+", default=[5, 8, 15, 40],
                        help="respondents per round in the change scenarios")
    parser.add_argument("--change-groups", type=int, default=None,
                        help="groups per change scenario for every size (default: by size)")
    parser.add_argument("--no-previous", action="store_true",
                        help="skip the previous method (a bootstrap) in the change scenarios")
    parser.add_argument("--false-only", action="store_true",
                        help="change scenarios without a true change only")
    parser.add_argument("--only", choices=["coverage", "units", "unequal", "small_area",
                                           "change", "speed"], action="append")
    args = parser.parse_args()
    groups = 200 if args.quick else args.groups
    replicates = 2 if args.quick else args.replicates
    only = set(args.only or ["coverage", "units", "unequal", "small_area", "change", "speed"])
    t0 = time.perf_counter()
    results: dict = {"machine": {"python": sys.version.split()[0],
                                 "platform": platform.platform(),
                                 "processor": platform.processor() or platform.machine(),
                                 "cores": __import__("os").cpu_count(),
                                 "numpy": np.__version__, "pandas": pd.__version__},
                     "groups": groups, "seed": args.seed}
    cov_groups = 200 if args.quick else args.coverage_groups
    if "coverage" in only:
        results["coverage"] = bench_coverage((5, 8, 15, 40), cov_groups, args.seed)
    if "unequal" in only:
        noise = np.random.default_rng(args.seed).permutation(np.linspace(6, 22, len(ITEMS)))
        results["coverage_unequal_item_noise"] = bench_coverage((5, 8), groups, args.seed + 1,
                                                                noise=noise)
    if "units" in only:
        results["coverage_by_unit_and_role"] = bench_units(max(3 * groups // 2, 100), 40,
                                                           args.seed + 2)
    if "small_area" in only:
        results["small_area"] = bench_small_area(replicates, args.seed + 3)
    if "change" in only:
        sizes = None if args.change_groups is None else {n: args.change_groups
                                                          for n in args.change_n}
        results["change"] = bench_change(tuple(args.change_n), groups, args.seed + 4,
                                         deltas=(0.0,) if args.false_only else (0.0, 2.5),
                                         previous=not args.no_previous, sizes=sizes)
    if "speed" in only:
        results["speed"] = bench_speed(1 if args.quick else args.repeat)
    results["total_s"] = round(time.perf_counter() - t0, 1)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    name = "inference-quick.json" if args.quick else (
        "inference.json" if args.only is None else f"inference-{'-'.join(sorted(only))}.json")
    (out / name).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out / name} in {results['total_s']} s")


if __name__ == "__main__":
    main()
