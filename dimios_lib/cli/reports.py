"""Commands that make reports: ``params`` (the default batch), ``render`` (one report), ``run``
(the batch engine) and ``render-batch`` (the plain papermill path).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..errors import DimiosError
from .common import _check_dir, _check_file, _fail, app, err, out

DataOpt = typer.Option([], "--data", help="DiMiOS exports: a file or folder (repeatable; "
                       "default: the SYNTHETIC demo data).")


ReferenceOpt = typer.Option(None, "--reference", help="National figures to compare a "
                            "municipality's own export with (a table of round, measure and "
                            "national %; docs/data-contract.md).")


def _data_value(data: list[Path]) -> str | list[str] | None:
    """``--data`` as a parameter value: one path as text, several as a list, none as None."""
    if not data:
        return None
    return str(data[0]) if len(data) == 1 else [str(d) for d in data]


@app.command()
def params(
    data: list[Path] = DataOpt,
    study: Path | None = typer.Option(None, "--study", help="Before/after study answers for "
                                      "the innovation_study report (default: the SYNTHETIC "
                                      "DigiGrow demo study)."),
    register: Path | None = typer.Option(None, "--register", help="Initiative register folder "
                                         "for programme_followup (with --data, the report is "
                                         "made only when a register is given)."),
    reference: Path | None = ReferenceOpt,
    output_dir: Path = typer.Option(Path("params"), "-o", "--output-dir"),
) -> None:
    """Generate the default report batch's parameter files from the data (params/)."""
    from ..engine.batch import default_batch, write_params
    from ..reports.data import load_data

    value = _data_value(data)
    try:
        _check_dir(output_dir)
        loaded = load_data(value)
    except DimiosError as exc:
        _fail(exc)
    jobs = default_batch(loaded, data_path=value,
                         study_path=None if study is None else str(study),
                         register_path=None if register is None else str(register),
                         reference_path=None if reference is None else str(reference))
    counts = write_params(jobs, output_dir, source=loaded.source)
    out.print(f"{len(jobs)} reports in the batch: {counts['written']} parameter files written, "
              f"{counts['unchanged']} unchanged, {counts['removed']} removed ({output_dir})",
              highlight=False)


def _parse_params(pairs: list[str], file: Path | None) -> tuple[dict, dict[str, str]]:
    """A parameters file's values (typed YAML) and the ``-p NAME=VALUE`` pairs as typed."""
    import yaml

    values: dict = {}
    if file is not None:
        values.update(yaml.safe_load(file.read_text(encoding="utf-8")) or {})
    text: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise DimiosError(f"parameter {pair!r}: expected NAME=VALUE")
        key, raw = pair.split("=", 1)
        text[key.strip()] = raw
    return values, text


def _invalid_run(exc) -> None:
    err.print(f"[bold red]Invalid run[/]: {len(exc.problems)} problem(s); nothing ran.",
              highlight=False)
    for p in exc.problems:
        err.print(f"  - {p}", highlight=False, markup=False)
    raise typer.Exit(1) from None


@app.command()
def render(
    notebook: str = typer.Argument(..., help="Notebook name (e.g. municipality_report) or path."),
    output: Path = typer.Option(..., "-o", "--output", help="HTML file to write."),
    parameter: list[str] = typer.Option([], "-p", "--parameter", help="NAME=VALUE, read by the "
                                        "notebook's annotation: codes and rounds stay text "
                                        "(repeatable)."),
    parameters_file: Path | None = typer.Option(None, "-f", "--parameters-file"),
    keep_notebook: Path | None = typer.Option(None, "--keep-notebook",
                                              help="Also write the executed notebook here."),
) -> None:
    """Run one report notebook with papermill and write its self-contained HTML page."""
    from ..engine.papermill import check_parameters
    from ..engine.papermill import render as render_one
    from ..errors import RunValidationError

    try:
        _check_file(output)
        values, text = _parse_params(parameter, parameters_file)
        values, notes = check_parameters(notebook, values, text)
        for note in notes:
            err.print(f"note: {note}", highlight=False, markup=False)
        path = render_one(notebook, output, values, keep_notebook=keep_notebook)
    except RunValidationError as exc:
        _invalid_run(exc)
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
    from ..engine.params import normalise_jobs

    batch, notes = normalise_jobs(read_params(params_dir))
    for note in notes:
        err.print(f"note: {note}", highlight=False, markup=False)
    if not batch:
        _fail(DimiosError(f"no parameter files in {params_dir}; run `dimios params` first"))
    try:
        _check_dir(output_dir)
    except DimiosError as exc:
        _fail(exc)

    def one(job):
        try:
            render_one(job.notebook, output_dir / job.output, job.parameters)
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
    data: list[Path] = typer.Option([], "--data", help="With --municipality: the DiMiOS exports "
                                    "(default: the data the batch in --params-dir was made "
                                    "from)."),
    reference: Path | None = ReferenceOpt,
    jobs: int = typer.Option(0, "--jobs", "-j", help="Warm kernels (default: one per core)."),
    force: bool = typer.Option(False, "--force", help="Redo reports even if cached."),
    only_failed: bool = typer.Option(False, "--only-failed", help="Retry the failed reports."),
    output_dir: Path = typer.Option(Path("outputs"), "-o", "--output-dir"),
    params_dir: Path = typer.Option(Path("params"), "--params-dir"),
    executor: str = typer.Option("local", "--executor", help="local or dask."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address, "
                                         "tcp://HOST:PORT."),
    timeout: float = typer.Option(600, "--timeout", help="Seconds per cell."),
    wait: float = typer.Option(0, "--wait", help="Seconds to wait for another run writing to "
                               "the same output folder (default: refuse at once)."),
) -> None:
    """Run the report batch (default: every report of params/) on warm kernels, incrementally.

    Validates every parameter set against its notebook before anything runs; skips reports
    whose notebook, library, parameters and data are unchanged; retries a failing report once
    and goes on; writes outputs/index.html and index.json. Exit 1 if any report failed.
    """
    from ..engine.batch import read_params
    from ..engine.cache import rounds_lookup
    from ..engine.params import municipality_jobs, select
    from ..engine.run import run_jobs
    from ..errors import RunValidationError

    try:
        _check_dir(output_dir)
    except DimiosError as exc:
        _fail(exc)
    rounds_of = rounds_lookup(output_dir)
    if municipality:
        try:
            batch = municipality_jobs(municipality, round_, lang, read_params(params_dir),
                                      data=_data_value(data),
                                      reference=None if reference is None else str(reference),
                                      rounds_of=rounds_of)
        except DimiosError as exc:
            _fail(exc)
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
                              executor=executor, scheduler=scheduler, rounds_of=rounds_of,
                              wait=wait)
        finally:
            if bar is not None:
                bar.stop()
    except RunValidationError as exc:
        _invalid_run(exc)
    except DimiosError as exc:
        _fail(exc)
    for note in result.notes:
        err.print(f"note: {note}", highlight=False, markup=False)
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
