"""Benchmark: start-up of the command line and of a warm report kernel.

1. ``dimios --help``, median of 9 runs, against the obvious alternative in the same run: the
   same help after importing the whole library eagerly (what ``dimios`` did when its package
   imported every module).
2. A warm kernel ready for its first report: start a kernel (``WarmKernel.start``, which runs
   the prelude's imports) and load the demo data in it (``reports.load_data``), median of 3, in
   three states:
   * cold: an empty disk cache (validate and score the demo file, then store the result);
   * repeated: the same again with the cache filled (the case a second ``dimios run`` meets);
   * no disk cache: ``load_data(disk_cache=False)``, the obvious alternative.

Run: ``python bench/bench_startup.py`` (needs the demo data: ``make demo``). Writes
``bench/results/startup.json``.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EAGER = ("import dimios_lib.maturity.tables, dimios_lib.reports.municipality, "
         "dimios_lib.reports.study, dimios_lib.reports.followup, dimios_lib.engine.run, "
         "dimios_lib.render.figures, dimios_lib.stats.models; "
         "from dimios_lib.cli import app; app(['--help'])")


def timed(cmd: list[str], runs: int, env=None) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def kernel_ready(cache: Path, disk_cache: bool = True) -> float:
    from dimios_lib.engine.kernel import WarmKernel

    env = dict(os.environ, DIMIOS_CACHE_DIR=str(cache))
    old = os.environ.get("DIMIOS_CACHE_DIR")
    os.environ.update(env)
    try:
        t0 = time.perf_counter()
        kernel = WarmKernel(ROOT)
        kernel.start()
        kernel._run_source("import dimios_lib.reports.data as _d; "
                           f"_d.load_data(None, disk_cache={disk_cache})", timeout=600)
        elapsed = time.perf_counter() - t0
        kernel.shutdown()
        return elapsed
    finally:
        if old is None:
            os.environ.pop("DIMIOS_CACHE_DIR", None)
        else:
            os.environ["DIMIOS_CACHE_DIR"] = old


def main() -> None:
    if not (ROOT / "data" / "demo" / "dimios_demo_SYNTHETIC.csv").exists():
        raise SystemExit("run `make demo` first")
    help_lazy = timed([str(BIN / "dimios"), "--help"], 9)
    help_eager = timed([sys.executable, "-c", EAGER], 9)
    results = {"help_lazy_s": help_lazy, "help_eager_s": help_eager}
    cold, repeated, nocache = [], [], []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            cold.append(kernel_ready(Path(tmp)))
            repeated.append(kernel_ready(Path(tmp)))
            nocache.append(kernel_ready(Path(tmp), disk_cache=False))
    results.update(kernel_cold_s=statistics.median(cold),
                   kernel_repeated_s=statistics.median(repeated),
                   kernel_no_disk_cache_s=statistics.median(nocache),
                   machine=f"{os.cpu_count()} cores, {platform.machine()}, "
                           f"Python {platform.python_version()}")
    out = ROOT / "bench" / "results" / "startup.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"dimios --help: {help_lazy:.2f} s (eager imports: {help_eager:.2f} s, "
          f"{help_eager / help_lazy:.1f}x)")
    print(f"warm kernel ready with the demo data: repeated {results['kernel_repeated_s']:.2f} s, "
          f"cold {results['kernel_cold_s']:.2f} s, without the disk cache "
          f"{results['kernel_no_disk_cache_s']:.2f} s")


if __name__ == "__main__":
    main()
