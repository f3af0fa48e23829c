"""Simulation: Cronbach's alpha and McDonald's omega of an 18-item scale answered by 90
respondents, when a share of the answers is "vet ej" (missing completely at random), estimated
from pairwise covariances and after listwise deletion, against the complete-data values of the
same respondents.

Run: ``python bench/bench_reliability.py`` (about half a minute on one core). Prints a table and
writes ``bench/results/reliability.json``; copy the figures into ``bench/README.md``.

The data: a one-factor model (loadings 0.55-0.80, like the capability dimension's 18 items) on
a latent continuous answer, cut into the six-point scale at fixed thresholds; every replicate
draws new respondents. The complete-data coefficients of each replicate are its truth, so the
errors measure what the missing answers cost, not sampling error.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

from dimios_lib.stats.reliability import cronbach_alpha, mcdonald_fit

N_RESPONDENTS = 90
N_ITEMS = 18
SHARES = (0.0, 0.12, 0.20)
SCENARIOS = {"strong": (0.55, 0.80), "moderate": (0.35, 0.60)}  # range of the loadings


def simulate(rng: np.random.Generator, reps: int, loadings: tuple[float, float]) -> np.ndarray:
    """``reps`` complete datasets, shape (reps, respondents, items), answers 1-6."""
    loadings = np.linspace(*loadings, N_ITEMS)
    factor = rng.normal(size=(reps, N_RESPONDENTS, 1))
    noise = rng.normal(size=(reps, N_RESPONDENTS, N_ITEMS))
    latent = loadings * factor + np.sqrt(1 - loadings**2) * noise
    return np.digitize(latent, [-1.5, -0.6, 0.0, 0.6, 1.5]).astype(float) + 1


def run(reps: int, seed: int, loadings: tuple[float, float]) -> dict:
    rng = np.random.default_rng(seed)
    complete = simulate(rng, reps, loadings)
    truth = np.array([[cronbach_alpha(x), mcdonald_fit(x).omega] for x in complete])
    out: dict = {"reps": reps, "respondents": N_RESPONDENTS, "items": N_ITEMS,
                 "loadings": list(loadings),
                 "truth_alpha_median": float(np.median(truth[:, 0])),
                 "truth_omega_median": float(np.median(truth[:, 1])), "shares": {}}
    for share in SHARES:
        gaps = rng.random(complete.shape) < share
        data = np.where(gaps, np.nan, complete)
        n_complete = (~gaps.any(axis=2)).sum(axis=1)
        row: dict = {"complete_respondents_median": float(np.median(n_complete))}
        for missing in ("pairwise", "listwise"):
            fits = [mcdonald_fit(x, missing=missing) for x in data]
            est = np.array([[cronbach_alpha(x, missing=missing), f.omega]
                            for x, f in zip(data, fits)])
            row[f"{missing}_heywood_share"] = float(np.mean([f.heywood for f in fits]))
            for k, name in enumerate(("alpha", "omega")):
                err = est[:, k] - truth[:, k]
                ok = ~np.isnan(err)
                a = np.abs(err[ok])
                row[f"{missing}_{name}"] = {
                    "undefined_share": float(1 - ok.mean()),
                    "median_abs_error": float(np.median(a)) if ok.any() else None,
                    "p90_abs_error": float(np.quantile(a, 0.9)) if ok.any() else None,
                    "bias_median": float(np.median(err[ok])) if ok.any() else None,
                }
        out["shares"][f"{share:.2f}"] = row
    return out


def table(res: dict) -> str:
    lines = ["| vet ej | complete respondents (median) | estimate | alpha: abs. error, median "
             "(90th pct.) | alpha undefined | omega: abs. error, median (90th pct.) "
             "| omega undefined | Heywood refits |",
             "|---:|---:|---|---:|---:|---:|---:|---:|"]
    for share, row in res["shares"].items():
        for missing in ("pairwise", "listwise"):
            cells = []
            for name in ("alpha", "omega"):
                r = row[f"{missing}_{name}"]
                err = ("–" if r["median_abs_error"] is None
                       else f"{r['median_abs_error']:.3f} ({r['p90_abs_error']:.3f})")
                cells += [err, f"{100 * r['undefined_share']:.0f} %"]
            cells.append(f"{100 * row[f'{missing}_heywood_share']:.0f} %")
            lines.append(f"| {100 * float(share):.0f} % | {row['complete_respondents_median']:.0f} "
                         f"| {missing} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20241105)
    args = parser.parse_args()
    results = {}
    for name, loadings in SCENARIOS.items():
        start = time.perf_counter()
        res = run(args.reps, args.seed, loadings)
        res["seconds"] = round(time.perf_counter() - start, 1)
        res["machine"] = f"{platform.machine()}, Python {platform.python_version()}"
        print(f"\n{name} loadings {loadings}: {args.reps} replicates of {N_RESPONDENTS} "
              f"respondents x {N_ITEMS} items; complete-data alpha median "
              f"{res['truth_alpha_median']:.3f}, omega {res['truth_omega_median']:.3f}; "
              f"{res['seconds']} s")
        print(table(res))
        results[name] = res
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "reliability.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
