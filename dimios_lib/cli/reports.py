"""Commands that make reports: ``params`` (the default batch), ``render`` (one report), ``run``
(the batch engine) and ``render-batch`` (the plain papermill path).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..errors import DimiosError
from .common import _fail, app, err, out


@app.command()
def params(
    data: Path | None = typer.Option(None, "--data", help="Responses file (default: the "
                                     "SYNTHETIC demo data)."),
    study: Path | None = typer.Option(None, "--study", help="Before/after study answers for "
                                      "the innovation_study report (default: the SYNTHETIC "
                                      "DigiGrow demo study)."),
    output_dir: Path = typer.Option(Path("params"), "-o", "--output-dir"),
) -> None:
    """Generate the default report batch's parameter files from the data (params/)."""
    from ..engine.batch import default_batch, write_params
    from ..reports.data import load_data

    try:
        loaded = load_data(data)
    except DimiosError as exc:
        _fail(exc)
    jobs = default_batch(loaded, data_path=None if data is None else str(data),
                         study_path=None if study is None else str(study))
    counts = write_params(jobs, output_dir, source=loaded.source)
    out.print(f"{len(jobs)} reports in the batch: {counts['written']} parameter files written, "
              f"{counts['unchanged']} unchanged, {counts['removed']} removed ({output_dir})",
              highlight=False)


def _parse_params(pairs: list[str], file: Path | None) -> dict:
    import yaml

    values: dict = {}
    if file is not None:
        values.update(yaml.safe_load(file.read_text(encoding="utf-8")) or {})
    for pair in pairs:
        if "=" not in pair:
            raise DimiosError(f"parameter {pair!r}: expected NAME=VALUE")
        key, raw = pair.split("=", 1)
        values[key.strip()] = yaml.safe_load(raw) if raw.strip() else ""
    return values


@app.command()
def render(
    notebook: str = typer.Argument(..., help="Notebook name (e.g. municipality_report) or path."),
    output: Path = typer.Option(..., "-o", "--output", help="HTML file to write."),
    parameter: list[str] = typer.Option([], "-p", "--parameter", help="NAME=VALUE (YAML value; "
                                        "repeatable)."),
    parameters_file: Path | None = typer.Option(None, "-f", "--parameters-file"),
    keep_notebook: Path | None = typer.Option(None, "--keep-notebook",
                                              help="Also write the executed notebook here."),
) -> None:
    """Run one report notebook with papermill and write its self-contained HTML page."""
    from ..engine.papermill import render as render_one

    try:
        values = _parse_params(parameter, parameters_file)
        path = render_one(notebook, output, values, keep_notebook=keep_notebook)
    except DimiosError as exc:
        _fail(exc)
    except Exception as exc:  # papermill's PapermillExecutionError names the failing cell
        err.print(f"[bold red]Report failed[/]: {exc}", highlight=False)
        raise typer.Exit(1) from None
    out.print(f"wrote {path}", highlight=False)


@app.command(name="render-batch")
def render_batch(
    params_dir: Path = typer.Option(Path("params"), "--params-dir"),
    output_dir: Path = typer.Option(Path("outputs"), "-o", "--output-dir"),
    jobs: int = typer.Option(2, "--jobs", "-j", help="Reports rendered at the same time."),
) -> None:
    """Render every report of params/ with plain papermill and nbconvert, one kernel each.

    The simple path; ``dimios run`` is the fast one. Failures are reported at the end and give
    exit code 1; the other reports are still written.
    """
    from concurrent.futures import ThreadPoolExecutor

    from ..engine.batch import read_params
    from ..engine.papermill import render as render_one

    batch = read_params(params_dir)
    if not batch:
        _fail(DimiosError(f"no parameter files in {params_dir}; run `dimios params` first"))

    def one(job):
        try:
            render_one(job.notebook, output_dir / job.notebook / f"{job.name}.html", job.parameters)
            return job, None
        except Exception as exc:  # a failed report must not stop the batch
            return job, str(exc).strip().splitlines()[-1] if str(exc).strip() else repr(exc)

    failed = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for k, (job, problem) in enumerate(pool.map(one, batch), start=1):
            status = "ok" if problem is None else "FAILED"
            out.print(f"[{k}/{len(batch)}] {job.key}: {status}", highlight=False)
            if problem:
                failed.append((job, problem))
    for job, problem in failed:
        err.print(f"[bold red]failed[/]: {job.key}: {problem}", highlight=False)
    if failed:
        raise typer.Exit(1)


@app.command()
def run(
    notebook: list[str] = typer.Option([], "--notebook", help="Only this notebook (repeatable)."),
    round_: list[str] = typer.Option([], "--round", help="Only this round (repeatable)."),
    municipality: list[str] = typer.Option([], "--municipality", help="Municipality reports "
                                           "for this code (repeatable)."),
    lang: str = typer.Option("sv", "--lang", help="Language of --municipality reports."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Warm kernels (default: one per core)."),
    force: bool = typer.Option(False, "--force", help="Redo reports even if cached."),
    only_failed: bool = typer.Option(False, "--only-failed", help="Retry the failed reports."),
    output_dir: Path = typer.Option(Path("outputs"), "-o", "--output-dir"),
    params_dir: Path = typer.Option(Path("params"), "--params-dir"),
    executor: str = typer.Option("local", "--executor", help="local or dask."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address, "
                                         "tcp://HOST:PORT."),
    timeout: float = typer.Option(600, "--timeout", help="Seconds per cell."),
) -> None:
    """Run the report batch (default: every report of params/) on warm kernels, incrementally.

    Validates every parameter set against its notebook before anything runs; skips reports
    whose notebook, library, parameters and data are unchanged; retries a failing report once
    and goes on; writes outputs/index.html and index.json. Exit 1 if any report failed.
    """
    from ..engine.batch import Job, read_params
    from ..engine.cache import rounds_lookup
    from ..engine.params import select
    from ..engine.run import run_jobs
    from ..errors import RunValidationError

    rounds_of = rounds_lookup(output_dir)
    if municipality:
        try:
            wanted_rounds = round_ or [rounds_of(None)[-1]]
        except DimiosError as exc:
            _fail(exc)
        batch = [Job("municipality_report", f"{code}_{r}_{lang}",
                     {"municipality_code": code, "round": r, "lang": lang})
                 for code in municipality for r in wanted_rounds]
    else:
        batch = select(read_params(params_dir), notebooks=notebook or None,
                       rounds=round_ or None)
        if not batch:
            _fail(DimiosError(f"no reports selected from {params_dir}; run `dimios params` or "
                              "check --notebook/--round"))
    live = sys.stdout.isatty()
    state = {"done": 0, "failed": 0, "total": 0, "t0": 0.0}
    bar = None
    if live:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        bar = Progress(TextColumn("reports"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("[red]{task.fields[failed]} failed"), TimeElapsedColumn(),
                       TextColumn("ETA"), TimeRemainingColumn(), console=out, transient=False)
    task = None

    def progress(event, key, info):
        import time

        nonlocal task
        if event == "start":
            state.update(total=info["total"], t0=time.perf_counter())
            out.print(f"{info['total']} to run, {info['cached']} unchanged (cached)",
                      highlight=False)
            if bar is not None:
                bar.start()
                task = bar.add_task("reports", total=info["total"], failed=0)
            return
        state["done"] += 1
        state["failed"] += info["status"] != "ok"
        if bar is not None:
            if task is not None:
                bar.update(task, advance=1, failed=state["failed"])
            if info["status"] != "ok":
                bar.console.print(f"failed: {key}: {info.get('error')}", highlight=False,
                                  markup=False)
            return
        elapsed = time.perf_counter() - state["t0"]
        eta = elapsed / state["done"] * (state["total"] - state["done"])
        print(f"[{state['done']}/{state['total']}] {key}: {info['status']} "
              f"({info['duration']:.1f} s; failures {state['failed']}; ETA {eta:.0f} s)",
              flush=True)

    try:
        try:
            result = run_jobs(batch, output_dir, workers=jobs or None, force=force,
                              only_failed=only_failed, timeout=timeout, progress=progress,
                              executor=executor, scheduler=scheduler, rounds_of=rounds_of)
        finally:
            if bar is not None:
                bar.stop()
    except RunValidationError as exc:
        err.print(f"[bold red]Invalid run[/]: {len(exc.problems)} problem(s); nothing ran.",
                  highlight=False)
        for p in exc.problems:
            err.print(f"  - {p}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    except DimiosError as exc:
        _fail(exc)
    out.print(f"{len(result.ran)} written, {len(result.cached)} unchanged, "
              f"{len(result.failed)} failed in {result.seconds:.1f} s; index: "
              f"{output_dir / 'index.html'}", highlight=False)
    if result.interrupted:
        err.print("[yellow]interrupted[/]: finished reports are kept; run again to resume",
                  highlight=False)
        raise typer.Exit(130)
    for key, entry in result.failed.items():
        err.print("[bold red]failed[/]: ", end="")
        err.print(f"{key} (cell {entry.get('failing_cell')}): {entry.get('error')}",
                  highlight=False, markup=False)
    if result.failed:
        raise typer.Exit(1)
