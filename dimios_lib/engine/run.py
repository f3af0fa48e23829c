"""The batch run behind ``dimios run``: validate the matrix, skip what the cache says is unchanged,
run the rest on warm kernels (one per core, or a Dask cluster), write the pages and the index.

Failures are isolated: a report that raises, times out or kills its kernel is retried once on a
fresh kernel, then recorded with the failing cell and an error excerpt; the batch goes on and
the run ends non-zero. A failed report's page from an earlier run is removed, so no page is
left that the index says failed. Every file is written through a temporary file and a rename,
and the index after every report, so Ctrl-C keeps every finished report and the next run
resumes. One run at a time writes to an output folder (:mod:`~dimios_lib.engine.lock`): a
second waits ``wait`` seconds, then refuses.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import DimiosError, RunValidationError
from ..io.files import write_atomic
from .batch import Job
from .cache import Fingerprints, git_commit
from .index import Index, _now, public_parameters, scrub_paths
from .kernel import WarmKernel, attempt
from .lock import OutputLock
from .notebooks import NOTEBOOK_DIR
from .params import normalise_jobs, validate_jobs


@dataclass
class RunResult:
    ran: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failed: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)


def plan(jobs: list[Job], index: Index, fingerprints: Fingerprints, output_dir: Path, *,
         force: bool = False, only_failed: bool = False) -> tuple[list[tuple[Job, str]], list[str]]:
    """Split jobs into (to run, with their key) and cached report keys."""
    todo, cached = [], []
    for job in jobs:
        key = fingerprints.key(job)
        entry = index.entries.get(job.key, {})
        if only_failed:
            if entry.get("status") == "failed" or (force and entry.get("status") != "ok"):
                todo.append((job, key))
            continue
        out = Path(output_dir) / job.output
        if not force and entry.get("status") == "ok" and entry.get("key") == key and out.exists():
            cached.append(job.key)
        else:
            todo.append((job, key))
    return todo, cached


def run_jobs(jobs: list[Job], output_dir: str | os.PathLike = "outputs", *,
             notebooks: str | os.PathLike = NOTEBOOK_DIR, workers: int | None = None,
             force: bool = False, only_failed: bool = False, timeout: float = 600,
             retries: int = 1, recycle_every: int = 100,
             progress: Callable[[str, str, dict], None] | None = None,
             executor: str = "local", scheduler: str | None = None,
             rounds_of: Callable[[object], list[str]] | None = None,
             workdir: str | os.PathLike | None = None, wait: float = 0.0) -> RunResult:
    """Validate the matrix, skip cached reports, run the rest, write pages and the index.

    ``workdir`` (default: the working folder) is where the kernels run and where relative input
    paths are resolved from, as a notebook opened there resolves them. ``wait`` is how long to
    wait for another run that holds the output folder (then
    :class:`~dimios_lib.engine.lock.OutputLocked`).
    """
    notebooks = Path(notebooks)
    output_dir = Path(output_dir)
    workdir = Path.cwd() if workdir is None else Path(workdir)
    fp = Fingerprints(notebooks, workdir)
    jobs, notes = normalise_jobs(jobs)
    problems = validate_jobs(jobs, notebooks=notebooks, rounds_of=rounds_of,
                             inputs_of=fp.inputs)
    if problems:
        raise RunValidationError(problems)
    with OutputLock(output_dir, wait=wait):
        result = _run(jobs, output_dir, fp, notebooks=notebooks, workdir=workdir,
                      workers=workers, force=force, only_failed=only_failed, timeout=timeout,
                      retries=retries, recycle_every=recycle_every, progress=progress,
                      executor=executor, scheduler=scheduler)
    result.notes = notes
    return result


def _run(jobs: list[Job], output_dir: Path, fp: Fingerprints, *, notebooks: Path, workdir: Path,
         workers: int | None, force: bool, only_failed: bool, timeout: float, retries: int,
         recycle_every: int, progress: Callable[[str, str, dict], None] | None, executor: str,
         scheduler: str | None) -> RunResult:
    start = time.perf_counter()
    index = Index.load(output_dir)
    todo, cached = plan(jobs, index, fp, output_dir, force=force, only_failed=only_failed)
    result = RunResult(cached=cached)
    commit = git_commit()
    progress = progress or (lambda event, key, info: None)
    progress("start", "", {"total": len(todo), "cached": len(cached)})

    def provenance(job: Job, key: str) -> dict:
        return {"commit": commit, "library_version": __version__, "inputs": fp.inputs(job),
                "time": _now(), "key": key}

    def finish(job: Job, key: str, outcome: dict) -> None:
        out_rel = job.output
        entry = {"notebook": job.notebook, "parameters": public_parameters(job.parameters),
                 "key": key, "status": outcome["status"],
                 "duration": round(outcome["duration"], 3), "output": out_rel,
                 "attempts": outcome["attempts"], "provenance": outcome["provenance"]}
        if outcome["status"] == "ok":
            write_atomic(output_dir / out_rel, outcome["html"])
            entry["record"] = outcome.get("record", {})
            result.ran.append(job.key)
        else:
            entry.update(error=scrub_paths(str(outcome["error"])),
                         failing_cell=outcome.get("cell"), kind=outcome.get("kind"))
            old = output_dir / out_rel
            if old.exists():  # an earlier run's page must not stand for a failed report
                old.unlink()
                entry["previous_page_removed"] = True
            result.failed[job.key] = entry
        index.update(job.key, entry)
        progress("done", job.key, entry)

    try:
        if executor == "dask":
            from .dask import _run_dask

            _run_dask(todo, notebooks, scheduler, timeout, retries, provenance, finish)
        elif executor == "local":
            _run_local(todo, notebooks, workdir, workers, timeout, retries, recycle_every,
                       provenance, finish)
        else:
            raise DimiosError(f"unknown executor {executor!r}; expected 'local' or 'dask'")
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        index.save()
        index.write_html()
        result.seconds = time.perf_counter() - start
    return result


def _run_local(todo, notebooks, workdir, workers, timeout, retries, recycle_every, provenance,
               finish):
    import queue

    workers = max(1, workers or os.cpu_count() or 1)
    workers = min(workers, len(todo)) if todo else 0
    q: queue.Queue = queue.Queue()
    for item in todo:
        q.put(item)
    stop = threading.Event()
    errors: list[BaseException] = []

    def worker():
        holder: dict = {}

        def factory():
            return WarmKernel(workdir, recycle_every=recycle_every)

        try:
            while not stop.is_set():
                try:
                    job, key = q.get_nowait()
                except queue.Empty:
                    return
                outcome = attempt(factory, holder, job, notebooks, provenance(job, key), timeout,
                                  retries)
                if not stop.is_set():
                    finish(job, key, outcome)
        except BaseException as exc:  # e.g. an interrupt raised in a callback: stop everyone
            errors.append(exc)
            stop.set()
        finally:
            if holder.get("kernel") is not None:
                holder["kernel"].shutdown()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    try:
        while any(t.is_alive() for t in threads):
            for t in threads:
                t.join(timeout=0.2)
    except KeyboardInterrupt:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        raise
    if errors:
        raise errors[0]
