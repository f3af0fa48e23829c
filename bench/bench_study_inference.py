"""Simulation: how often does the study analysis claim an effect of the intervention when there
is none, and how often does it find the demo's true effects? SYNTHETIC data throughout.

Studies are simulated like the DigiGrow demo (:mod:`dimios_lib.demo.study`: the same latent
model, respondent numbers, overlap of the waves, common trend and true effects) with k treated
and k comparison municipalities (k = 3 as in the demo, 5 and 10) and, in addition, a **shock per
municipality and wave** (sd ``tau`` on the 1-7 scale, half of its variance shared by the four
dimensions, half per dimension): a reorganisation or a new manager that moves all respondents of
one municipality in one wave. Each study goes through the library's own
:func:`~dimios_lib.study.analysis.did_by_dimension` and
:func:`~dimios_lib.study.verdicts.did_level`; a study counts as a *false indication* when any of
its four dimensions gets ``did_suggestive`` or ``did_supported`` although no effect was
simulated, and as a *false "supported"* when any gets ``did_supported``.

Rules compared, each on the same simulated studies:

* ``rademacher`` — the default: wild cluster restricted bootstrap, Rademacher weights, Holm
  across the dimensions; "supported" needs the permutation test (Holm) as well;
* ``webb`` — the same with Webb's six-point weights;
* ``randomisation`` — the permutation test first, the Rademacher bootstrap to confirm;
* ``respondents`` — the rule before this change: "indication" when the difference-in-differences
  clustered by respondent is significant after Holm, "supported" when in addition the
  unadjusted permutation p is at most 5 %.

Run: ``make bench`` (or ``python bench/bench_study_inference.py --reps 300``). Prints a table
and writes ``bench/results/study_inference.json``; copy the figures into ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from dimios_lib.config import StudyConfig
from dimios_lib.demo.study import (
    COMMON_TREND,
    COMPARISON,
    DIMENSION_OFFSET,
    EFFECT_MULTIPLIER,
    RESPONDENTS,
    TREATED,
    TRUE_EFFECTS,
)
from dimios_lib.stats.clustered import wild_cluster_bootstrap
from dimios_lib.stats.multiplicity import adjust_pvalues
from dimios_lib.study.analysis import did_by_dimension
from dimios_lib.study.verdicts import did_level

DIMS = tuple(TRUE_EFFECTS)
ITEMS_PER_DIMENSION = 4
RULES = ("rademacher", "webb", "randomisation", "respondents")


def simulate(rng: np.random.Generator, k: int, effects: dict[str, float], tau: float
             ) -> pd.DataFrame:
    """One study's respondent dimension scores: k treated and k comparison municipalities.

    The demo's model (``dimios_lib/demo/study.py``) at the item level — municipality level
    (sd 0.25 per dimension), person (0.6), person x dimension (0.3), person x wave (0.3), item
    difficulty (0.3, centred), noise (0.8), answers rounded and clipped to 1-7, a score the mean
    of a dimension's four items — plus the municipality x wave shock (sd ``tau``). Respondent
    numbers and overlaps cycle through the demo's treated and comparison municipalities, the
    effect multipliers through 1.0, 1.2, 0.7. No "vet ej" answers (the demo's 3-6 % only thin
    the samples).
    """
    offset = np.array([DIMENSION_OFFSET[d] for d in DIMS])
    effect = np.array([effects[d] for d in DIMS])
    difficulty = rng.normal(0, 0.3, (len(DIMS), ITEMS_PER_DIMENSION))
    difficulty -= difficulty.mean(axis=1, keepdims=True)
    frames, person_base = [], 0
    for i in range(2 * k):
        treated = i < k
        source = (TREATED if treated else COMPARISON)[i % k % 3]
        n_before, n_after, n_both = RESPONDENTS[source]
        n_people = n_before + n_after - n_both
        level = rng.normal(0, 0.25, len(DIMS))
        person = rng.normal(0, 0.6, n_people)
        person_dim = rng.normal(0, 0.3, (n_people, len(DIMS)))
        waves = (np.arange(n_before), np.r_[np.arange(n_both), np.arange(n_before, n_people)])
        for w, who in enumerate(waves):
            shock = tau * (np.sqrt(0.5) * rng.normal() + np.sqrt(0.5) * rng.normal(size=len(DIMS)))
            latent = (4.1 + offset + level + shock + person[who, None] + person_dim[who]
                      + rng.normal(0, 0.3, (len(who), len(DIMS))))
            if w == 1:
                latent = latent + COMMON_TREND
                if treated:
                    latent = latent + effect * EFFECT_MULTIPLIER[TREATED[i % 3]]
            answers = np.clip(np.rint(latent[:, :, None] + difficulty[None]
                                      + rng.normal(0, 0.8, (len(who), len(DIMS),
                                                            ITEMS_PER_DIMENSION))), 1, 7)
            scores = answers.mean(axis=2)
            frames.append(pd.DataFrame({
                "municipality_code": f"m{i:02d}", "arm": "treated" if treated else "comparison",
                "wave": "after" if w else "before",
                "person": np.repeat(person_base + who, len(DIMS)),
                "dimension": np.tile(DIMS, len(who)), "score": scores.ravel()}))
        person_base += n_people
    return pd.concat(frames, ignore_index=True)


def configs(k: int) -> dict[str, StudyConfig]:
    """The library's default configuration, with fewer resamples from 5 + 5 municipalities on
    (9,999 wild bootstrap draws and 1,999 permutations where there are more; 2^10 = 1,024
    Rademacher vectors and C(10, 5) = 252 assignments are still enumerated), to keep the
    simulation in minutes."""
    base = StudyConfig(ordinal=False)
    if k >= 5:
        base = base.with_(did_resamples=9999, max_permutations=1999)
    return {"rademacher": base, "webb": base.with_(did_weights="webb"),
            "randomisation": base.with_(did_inference="randomisation")}


def judge(scores: pd.DataFrame, cfgs: dict[str, StudyConfig], *, webb: bool) -> dict:
    """Per rule: the level of each dimension (``None``: no claim about the intervention)."""
    did = did_by_dimension(scores, DIMS, config=cfgs["rademacher"])
    rows = [r for _, r in did.iterrows()]
    out = {"rademacher": [did_level(r, cfgs["rademacher"]) for r in rows],
           "randomisation": [did_level(r, cfgs["randomisation"]) for r in rows]}
    alpha = cfgs["rademacher"].alpha
    out["respondents"] = [None if not r["p_adjusted"] < alpha else
                          "did_supported" if r["permutation_p"] <= alpha else "did_suggestive"
                          for r in rows]
    if webb:  # the same bootstrap with Webb's weights, without the interval (not needed here)
        cfg = cfgs["webb"]
        p = [_wild_p(scores.loc[scores["dimension"] == d], cfg) for d in DIMS]
        w = did.assign(wild_p=p, wild_p_adjusted=adjust_pvalues(p, method=cfg.did_adjustment))
        out["webb"] = [did_level(r, cfg) for _, r in w.iterrows()]
    return out


def _wild_p(scores: pd.DataFrame, cfg: StudyConfig) -> float:
    """The wild cluster bootstrap p of one dimension, on the design of
    :func:`~dimios_lib.stats.models.difference_in_differences`."""
    m = pd.factorize(scores["municipality_code"])[0]
    post = (scores["wave"] == "after").to_numpy(float)
    x = np.column_stack([post, (scores["arm"] == "treated").to_numpy(float) * post,
                         np.eye(m.max() + 1)[m]])
    return wild_cluster_bootstrap(scores["score"].to_numpy(float), x, m, term=1,
                                  weights=cfg.did_weights, n_resamples=cfg.did_resamples,
                                  ci_level=None, seed=cfg.seed)["p_value"]


def run_cell(k: int, tau: float, effects: dict[str, float], reps: int, seed: int, *,
             webb: bool) -> dict:
    rng = np.random.default_rng([seed, k, int(round(tau * 1000)), int(any(effects.values()))])
    cfgs = configs(k)
    rules = [r for r in RULES if webb or r != "webb"]
    claims = {r: np.zeros((reps, len(DIMS)), dtype=int) for r in rules}  # 0 none, 1 ind., 2 sup.
    start = time.perf_counter()
    for i in range(reps):
        levels = judge(simulate(rng, k, effects, tau), cfgs, webb=webb)
        for r in rules:
            claims[r][i] = [{"did_suggestive": 1, "did_supported": 2}.get(lv, 0)
                            for lv in levels[r]]
    seconds = time.perf_counter() - start
    out = {"k": k, "tau": tau, "effects": dict(effects), "reps": reps, "seconds": seconds,
           "rules": {}}
    for r in rules:
        c = claims[r]
        out["rules"][r] = {
            "any_indication": float((c >= 1).any(axis=1).mean()),
            "any_supported": float((c == 2).any(axis=1).mean()),
            "per_dimension_indication": dict(zip(DIMS, (c >= 1).mean(axis=0).tolist())),
            "per_dimension_supported": dict(zip(DIMS, (c == 2).mean(axis=0).tolist())),
        }
    return out


def main(argv=None) -> int:
    if argv is None and os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        # One BLAS thread: the matrices are small, and on a shared machine OpenBLAS's thread
        # pool made each small QR fifty times slower. The variables must be set before numpy
        # loads, so the script starts itself again with them.
        env = {**os.environ, **dict.fromkeys(
            ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"), "1")}
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=300, help="simulated studies per cell")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--designs", type=int, nargs="+", default=[3, 5, 10],
                        help="municipalities per arm")
    parser.add_argument("--taus", type=float, nargs="+", default=[0.1, 0.25],
                        help="sd of the municipality x wave shock")
    parser.add_argument("--scenarios", nargs="+", default=["null", "effects"],
                        choices=["null", "effects"], help="no effect, the demo's true effects")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).parent / "results" / "study_inference.json")
    args = parser.parse_args(argv)
    null = dict.fromkeys(DIMS, 0.0)
    cells = []
    for k in args.designs:
        for tau in args.taus:
            for label, code, effects in (("null", "null", null),
                                         ("demo effects", "effects", TRUE_EFFECTS)):
                if code not in args.scenarios:
                    continue
                cell = run_cell(k, tau, effects, args.reps, args.seed, webb=k <= 5)
                cell["scenario"] = label
                cells.append(cell)
                for rule, res in cell["rules"].items():
                    print(f"{k:>2} + {k:<2} tau {tau:.2f} {label:<12} {rule:<13} "
                          f"indication {res['any_indication']:6.1%}  "
                          f"supported {res['any_supported']:6.1%}  "
                          f"({cell['seconds']:.0f} s)", flush=True)
    meta = {"python": sys.version.split()[0], "machine": platform.machine(),
            "processor": platform.processor(), "cores": os.cpu_count(),
            "numpy": np.__version__, "pandas": pd.__version__,
            "date": time.strftime("%Y-%m-%d"), "reps": args.reps, "seed": args.seed}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"meta": meta, "cells": cells}, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
