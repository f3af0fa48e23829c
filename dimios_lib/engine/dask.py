"""The same run matrix on a Dask cluster: each worker keeps its own warm kernel and returns the
finished page, so outputs land in the local output folder and no shared folder is needed.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..errors import DimiosError
from .batch import Job
from .kernel import WarmKernel, attempt
from .notebooks import notebook_file

_DASK_KERNELS = threading.local()


def dask_task(job: Job, notebook_json: str, provenance: dict, timeout: float, retries: int
              ) -> dict:
    """Run on a Dask worker: one warm kernel per worker thread; returns the page, not a file."""
    import tempfile

    holder = getattr(_DASK_KERNELS, "holder", None)
    if holder is None:
        holder = _DASK_KERNELS.holder = {}
        _DASK_KERNELS.folder = tempfile.mkdtemp(prefix="dimios-nb-")
    folder = Path(_DASK_KERNELS.folder)
    (folder / f"{job.notebook}.ipynb").write_text(notebook_json, encoding="utf-8")
    return attempt(lambda: WarmKernel(Path.cwd()), holder, job, folder, provenance, timeout,
                   retries)


def _run_dask(todo, notebooks, scheduler, timeout, retries, provenance, finish):
    from distributed import Client, as_completed

    if not scheduler:
        raise DimiosError("--executor dask needs --scheduler tcp://HOST:PORT")
    sources = {job.notebook: notebook_file(job.notebook, notebooks).read_text(encoding="utf-8")
               for job, _ in todo}
    with Client(scheduler, timeout="30s") as client:
        futures = {}
        for job, key in todo:
            f = client.submit(dask_task, job, sources[job.notebook], provenance(job, key),
                              timeout, retries, pure=False, key=f"report-{key[:16]}-{job.stem}")
            futures[f] = (job, key)
        for f in as_completed(futures):
            job, key = futures[f]
            try:
                outcome = f.result()
            except Exception as exc:  # the worker itself failed
                outcome = {"status": "failed", "error": f"worker: {exc}"[:400], "attempts": 1,
                           "duration": 0.0, "provenance": provenance(job, key)}
            finish(job, key, outcome)
