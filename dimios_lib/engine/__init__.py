"""The batch engine behind ``dimios run``: jobs, parameter checks, the cache, warm kernels, the
index, and local and Dask runners.

``batch``       the default batch as parameter files (``params/``)
``notebooks``   where the report notebooks are (shipped inside the package)
``params``      each notebook's ``parameters`` cell, and checking a run matrix against it
``cache``       fingerprints of everything a report reads
``kernel``      a warm kernel (over IPC), and running one report on it with retries
``index``       ``outputs/index.json``: every report, every page, nothing but file names
``lock``        one run at a time per output folder
``run``         the run: plan, local workers, results
``dask``        the same run matrix on a Dask cluster
``papermill``   the plain path: one report through papermill and nbconvert
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

__all__ = ["Job", "RunResult", "WarmKernel", "default_batch", "notebook_parameters",
    "read_params", "render", "run_jobs", "select", "validate_jobs", "write_params"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "Job": "batch", "default_batch": "batch", "read_params": "batch", "write_params": "batch",
    "run_jobs": "run", "RunResult": "run", "validate_jobs": "params", "select": "params",
    "notebook_parameters": "params", "WarmKernel": "kernel", "render": "papermill",
})

if TYPE_CHECKING:  # pragma: no cover
    from .batch import Job, default_batch, read_params, write_params
    from .kernel import WarmKernel
    from .papermill import render
    from .params import notebook_parameters, select, validate_jobs
    from .run import RunResult, run_jobs
