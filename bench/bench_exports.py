"""Benchmark: validating and scoring a 200 MB DiMiOS export, time and peak memory, against
today's path (the library at another commit, ``--baseline``, main by default) in the same run.

What is timed, each in a fresh process so that its peak memory is its own:

* ``read``: ``read_responses`` on the file (reading, every check of the data contract);
* ``score``: ``score`` of the result by municipality x round with 1,000 bootstrap resamples;
* ``fault``: the same file with one round written ``2024-5`` on every row of that round:
  how long until the problems are reported, how many there are, and how many lines the command
  line prints by default.

The file is SYNTHETIC demo data (``generate_demo``) scaled to the size asked for, written as a
Swedish-style long CSV (semicolons). Run: ``python bench/bench_exports.py`` (``--size-mb``,
``--repeat``, ``--baseline REV``, ``--keep DIR``); raw figures go to
``bench/results/exports.json``; copy them into ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_MB_PER_SCALE = 26.8  # the demo CSV at scale 1

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
task, path = sys.argv[1], Path(sys.argv[2])
from dimios_lib.contracts.responses import read_responses
from dimios_lib.errors import DataValidationError
out = {}
t = time.perf_counter()
if task == "fault":
    try:
        read_responses(path)
    except DataValidationError as exc:
        out["problems"] = len(exc.problems)
        try:
            from dimios_lib.errors import summarise
            out["lines"] = 1 + len(summarise(exc.problems))
        except ImportError:  # today's command line prints every problem on its own line
            out["lines"] = 1 + len(exc.problems)
    out["seconds"] = time.perf_counter() - t
else:
    data = read_responses(path)
    out["read_s"] = time.perf_counter() - t
    out["answers"] = len(data)
    out["read_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if task == "score":
        from dimios_lib.maturity.scoring import score
        t = time.perf_counter()
        scores = score(data)
        out["score_s"] = time.perf_counter() - t
        out["groups"] = len(scores.overall)
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def make_export(folder: Path, size_mb: float) -> tuple[Path, Path]:
    """The export (long CSV, semicolons) and the same file with one round's label broken."""
    from dimios_lib.demo.responses import generate_demo

    path = folder / f"export_{int(size_mb)}mb_SYNTHETIC.csv"
    fault = folder / f"export_{int(size_mb)}mb_bad_round_SYNTHETIC.csv"
    if not path.exists():
        data = generate_demo(scale=size_mb / DEMO_MB_PER_SCALE)
        data.to_csv(path, sep=";", index=False, float_format="%.0f")
        latest = sorted(data["round"].unique())[-1]
        data.loc[data["round"] == latest, "round"] = latest.replace("-0", "-")
        data.to_csv(fault, sep=";", index=False, float_format="%.0f")
    return path, fault


def baseline_tree(rev: str, folder: Path) -> Path | None:
    """The library at ``rev`` (``git archive``), to run today's path beside this one."""
    try:
        archive = subprocess.run(["git", "archive", rev, "dimios_lib"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    target = folder / f"baseline-{rev}"
    target.mkdir(exist_ok=True)
    tar = target / "lib.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as t:
        t.extractall(target, filter="data")
    return target


def run_child(task: str, path: Path, pythonpath: Path | None) -> dict:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
        env["DIMIOS_CACHE_DIR"] = tempfile.mkdtemp()
    out = subprocess.run([sys.executable, "-c", CHILD, task, str(path)], env=env,
                         capture_output=True, text=True, cwd=tempfile.gettempdir())
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict]) -> dict:
    keys = runs[0].keys()
    return {k: statistics.median(r[k] for r in runs) if isinstance(runs[0][k], float)
            else runs[0][k] for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=float, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", default="main", help="git revision of today's path "
                        "('' to skip)")
    parser.add_argument("--keep", type=Path, default=None, help="folder for the generated files")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="dimios-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    path, fault = make_export(folder, args.size_mb)
    made = time.perf_counter() - t
    paths = {"this branch": None}
    if args.baseline:
        tree = baseline_tree(args.baseline, folder)
        if tree is not None:
            paths[f"{args.baseline} (today)"] = tree
    results = {"machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                           "processor": platform.processor() or platform.machine(),
                           "cores": os.cpu_count()},
               "file_mb": round(path.stat().st_size / 1e6, 1), "generate_s": round(made, 1),
               "repeat": args.repeat, "runs": {}}
    for label, pythonpath in paths.items():
        score = median_of([run_child("score", path, pythonpath) for _ in range(args.repeat)])
        bad = median_of([run_child("fault", fault, pythonpath) for _ in range(args.repeat)])
        results["runs"][label] = {"read_and_score": score, "one_bad_round": bad}
        print(f"{label}: read+validate {score['read_s']:.1f} s (peak {score['read_peak_mb']:.0f} "
              f"MB), score {score['score_s']:.1f} s, peak {score['peak_mb']:.0f} MB; "
              f"{score['answers']:,} answers. One bad round: {bad['problems']:,} problems in "
              f"{bad['seconds']:.1f} s, {bad['lines']:,} lines printed, peak "
              f"{bad['peak_mb']:.0f} MB", flush=True)
    out = ROOT / "bench" / "results" / "exports.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
