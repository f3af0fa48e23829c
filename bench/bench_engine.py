"""Benchmark: the same municipality reports through the naive path and through ``dimios run``.

Naive path (what papermill users do): for each report, ``papermill`` CLI, then
``jupyter nbconvert --to html --no-input``, one after another.
Engine: ``dimios_lib.engine.run.run_jobs`` with one warm kernel per core, forced (no cache).
Floor: the notebooks' own work — every code cell of each parameterised report executed in this
process with the libraries imported and the data loaded (imports and data load excluded), divided
by the number of workers.

Run: ``python bench/bench_engine.py --reports 20`` (or ``--reports 0`` for every municipality
report of the latest round; ``--naive N`` limits the naive path to N reports and extrapolates
per report, since that path has no shared start-up). Needs the demo data (``make demo``).
Writes ``bench/results/engine.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def naive(jobs, folder: Path) -> list[float]:
    folder.mkdir(parents=True, exist_ok=True)
    times = []
    for job in jobs:
        t0 = time.perf_counter()
        nb = folder / f"{job.name}.ipynb"
        args = [str(BIN / "papermill"), str(ROOT / "notebooks" / f"{job.notebook}.ipynb"), str(nb),
                "--no-progress-bar", "--cwd", str(ROOT / "notebooks")]
        for k, v in job.parameters.items():  # -r: raw strings ("0114" must stay a string)
            args += ["-r" if isinstance(v, str) else "-p", k, str(v)]
        for cmd in (args, [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                           str(nb)]):
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"{cmd[0]} failed:\n{done.stderr[-3000:]}")
        times.append(time.perf_counter() - t0)
    return times


def floor(jobs) -> list[float]:
    """Each report's code cells executed in-process (warm imports, data loaded once)."""
    import contextlib
    import io

    import matplotlib.pyplot as plt

    from dimios_lib import reports
    from dimios_lib.engine.kernel import prepare

    reports.load_data(None)
    times = []
    for job in jobs:
        nb = prepare(job, ROOT / "notebooks")
        ns: dict = {}
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in nb.cells:
                if cell.cell_type == "code":
                    exec(compile(cell.source, job.name, "exec"), ns)  # noqa: S102
        times.append(time.perf_counter() - t0)
        plt.close("all")
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=20, help="0 = every municipality report")
    ap.add_argument("--naive", type=int, default=None, help="naive reports to time (default all)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    from dimios_lib.engine.batch import read_params
    from dimios_lib.engine.params import select
    from dimios_lib.engine.run import run_jobs

    jobs = select(read_params(ROOT / "params"), notebooks=["municipality_report"])
    if args.reports:
        jobs = jobs[:args.reports]
    n_naive = len(jobs) if args.naive is None else min(args.naive, len(jobs))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        result = run_jobs(jobs, tmp / "engine", workers=args.workers, force=True)
        engine_s = time.perf_counter() - t0
        assert not result.failed, result.failed
        naive_times = naive(jobs[:n_naive], tmp / "naive")
    naive_total = sum(naive_times) / n_naive * len(jobs)
    floor_times = floor(jobs)
    floor_s = sum(floor_times) / args.workers
    out = {
        "reports": len(jobs), "workers": args.workers, "engine_s": engine_s,
        "engine_per_report_s": engine_s / len(jobs),
        "naive_timed_reports": n_naive, "naive_median_per_report_s":
            sorted(naive_times)[len(naive_times) // 2],
        "naive_total_s": naive_total, "naive_extrapolated": n_naive < len(jobs),
        "floor_s": floor_s, "speedup": naive_total / engine_s, "engine_over_floor":
            engine_s / floor_s,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
    }
    print(json.dumps(out, indent=1))
    path = ROOT / "bench" / "results" / "engine.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
