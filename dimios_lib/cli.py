"""The ``dimios`` command line: items, validate, score, tables, reliability, study, demo, reference
data.

Exit codes: 0 success; 1 the input broke the data contract (every problem printed, nothing
written); 2 wrong usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table as RichTable

from . import __version__
from .config import ModelConfig
from .errors import DataValidationError, DimiosError
from .items import load_item_bank
from .output import write_csv

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="DiMiOS digital maturity: validate exports, score them, make demo data.")
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

ItemsOpt = typer.Option(None, "--items", help="Item bank file (default: the provisional "
                        "26-item DiMiOS bank).")
ConfigOpt = typer.Option(None, "--config", help="Model configuration YAML (see docs/model.md).")
PadOpt = typer.Option(False, "--pad-codes", help="Pad three-digit municipality codes whose "
                      "leading zero Excel dropped (reported, not silent).")
IgnoreOpt = typer.Option([], "--ignore-column", help="Leave this column out on purpose "
                         "(repeatable).")
SheetOpt = typer.Option(None, "--sheet", help="Excel sheet (default: the first).")
SwedishOpt = typer.Option(False, "--swedish", help="Write Swedish CSV: semicolon, decimal "
                          "comma, UTF-8 with BOM (opens right in Excel with Swedish settings).")
InstrumentOpt = typer.Option(None, "--instrument", help="Study instrument file (default: the "
                             "OECD-lens innovation instrument, 16 items on 1-7; see "
                             "docs/study.md).")


def _fail(exc: Exception) -> None:
    if isinstance(exc, DataValidationError):
        err.print(f"[bold red]Invalid input[/]: {len(exc.problems)} problem(s); nothing written.",
                  highlight=False)
        for p in exc.problems:
            err.print(f"  - {p}", highlight=False, markup=False)
    else:
        err.print(f"[bold red]Error[/]: {exc}", highlight=False)
    raise typer.Exit(1)


def _load(file: Path, items: Path | None, config: Path | None, pad_codes: bool,
          ignore: list[str], sheet: str | None):
    from .schemas import read_responses

    try:
        bank = load_item_bank(items)
        cfg = ModelConfig() if config is None else ModelConfig.from_yaml(config)
        data = read_responses(file, bank=bank, config=cfg, pad_codes=pad_codes,
                              ignore_columns=ignore, sheet=sheet)
    except DimiosError as exc:
        _fail(exc)
    for note in data.attrs.get("notes", []):
        err.print(f"[yellow]note[/]: {note}", highlight=False)
    return data, bank, cfg


@app.command()
def version() -> None:
    """Print the library version."""
    out.print(__version__)


@app.command()
def items(
    items_file: Path | None = ItemsOpt,
    format: str = typer.Option("table", "--format", help="table or csv"),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write to this file."),
) -> None:
    """Print the item bank (or write it as CSV)."""
    try:
        bank = load_item_bank(items_file)
    except DimiosError as exc:
        _fail(exc)
    frame = bank.items
    if format == "csv":
        if output is not None:
            write_csv(frame, output)
        else:
            frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    if format != "table":
        err.print("--format must be 'table' or 'csv'")
        raise typer.Exit(2)
    t = RichTable(title=f"Item bank {bank.version} ({len(frame)} items)")
    for c in ("item_id", "dimension", "category", "capability_sv", "capability_en", "reverse"):
        t.add_column(c)
    for rec in frame.itertuples(index=False):
        t.add_row(rec.item_id, rec.dimension, rec.category, rec.capability_sv, rec.capability_en,
                  "yes" if rec.reverse else "")
    out.print(t)


@app.command()
def validate(
    file: Path = typer.Argument(..., help="DiMiOS export (or, with --study, study answers): "
                                "CSV or Excel, long or wide."),
    study: bool = typer.Option(False, "--study", help="Check a before/after study file against "
                               "the study data contract (docs/study.md)."),
    register: bool = typer.Option(False, "--register", help="FILE is an initiative register "
                                  "folder (initiatives, stages, kpis; docs/followup.md)."),
    training: bool = typer.Option(False, "--training", help="Check a training-programme log "
                                  "(municipality, month, role, ambassadors, trainees, hours; "
                                  "docs/training.md)."),
    outcomes: bool = typer.Option(False, "--outcomes", help="Check a training outcome survey "
                                  "(yes/no answers per respondent and question; "
                                  "docs/training.md)."),
    competence: bool = typer.Option(False, "--competence", help="Check a self-rated competence "
                                    "before/after file: a study file on the digital-competence "
                                    "instrument unless --instrument names another."),
    instrument: Path | None = InstrumentOpt,
    items_file: Path | None = ItemsOpt,
    config: Path | None = ConfigOpt,
    pad_codes: bool = PadOpt,
    ignore_column: list[str] = IgnoreOpt,
    sheet: str | None = SheetOpt,
) -> None:
    """Check a file against the data contract; list every problem, write nothing."""
    if sum((study, register, training, outcomes, competence)) > 1:
        err.print("give at most one of --study, --register, --training, --outcomes, "
                  "--competence")
        raise typer.Exit(2)
    if training or outcomes:
        from .training import read_outcomes, read_training_log, training_summary

        try:
            reader = read_outcomes if outcomes else read_training_log
            data = reader(file, sheet=sheet, ignore_columns=ignore_column)
        except DimiosError as exc:
            _fail(exc)
        for note in data.attrs.get("notes", []):
            err.print(f"[yellow]note[/]: {note}", highlight=False)
        label = " [SYNTHETIC demo data]" if data.attrs.get("synthetic") else ""
        if outcomes:
            people = data.drop_duplicates(["municipality_code", "respondent_id"])
            groups = people["group"].value_counts()
            out.print(f"OK{label}: {len(data)} answers ({int(data['answer'].isna().sum())} "
                      f"missing), {len(people)} respondents ({int(groups.get('manager', 0))} "
                      f"managers, {int(groups.get('staff', 0))} staff), "
                      f"{data['municipality_code'].nunique()} municipalities", highlight=False)
            return
        total = training_summary(data, by=()).iloc[0]
        months = sorted(data["month"].unique())
        out.print(f"OK{label}: {len(data)} rows, {data['municipality_code'].nunique()} "
                  f"municipalities, {data['role'].nunique()} roles, months {months[0]} to "
                  f"{months[-1]}: {int(total['people_trained'])} people trained, "
                  f"{total['hours']:g} hours, {int(total['ambassadors'])} ambassadors",
                  highlight=False)
        return
    if competence:
        from .training import competence_instrument_path

        _validate_study(file, instrument or competence_instrument_path(), ignore_column, sheet)
        return
    if register:
        from .initiatives import read_register

        try:
            reg = read_register(file, bank=load_item_bank(items_file))
        except DimiosError as exc:
            _fail(exc)
        label = " [SYNTHETIC demo data]" if reg.synthetic else ""
        out.print(f"OK{label}: {len(reg.initiatives)} initiatives, {len(reg.stages)} stage "
                  f"entries, {len(reg.kpis)} KPIs, "
                  f"{reg.initiatives['municipality_code'].nunique()} municipalities",
                  highlight=False)
        return
    if study:
        _validate_study(file, instrument, ignore_column, sheet)
        return
    data, _, _ = _load(file, items_file, config, pad_codes, ignore_column, sheet)
    n_resp = data.groupby(["municipality_code", "round", "respondent_id"]).ngroups
    rounds = sorted(data["round"].unique())
    label = " [SYNTHETIC demo data]" if data.attrs.get("synthetic") else ""
    out.print(f"OK{label}: {len(data)} answers ({int(data['answer'].isna().sum())} missing), "
              f"{n_resp} respondents, {data['municipality_code'].nunique()} municipalities, "
              f"rounds {', '.join(rounds)}", highlight=False)


@app.command()
def score(
    file: Path = typer.Argument(..., help="DiMiOS export: CSV or Excel, long or wide."),
    output: Path = typer.Option(..., "-o", "--output", help="CSV file to write."),
    level: str = typer.Option("municipality", "--level",
                              help="municipality, category or capability"),
    by: list[str] = typer.Option([], "--by", help="Also group by unit or role (repeatable)."),
    no_ci: bool = typer.Option(False, "--no-ci", help="Skip bootstrap intervals (faster)."),
    include_small_groups: bool = typer.Option(
        False, "--include-small-groups",
        help="Do not suppress groups below the minimum size (internal use only; never share)."),
    items_file: Path | None = ItemsOpt,
    config: Path | None = ConfigOpt,
    pad_codes: bool = PadOpt,
    ignore_column: list[str] = IgnoreOpt,
    sheet: str | None = SheetOpt,
    swedish: bool = SwedishOpt,
) -> None:
    """Score a file: one row per municipality x round (x unit/role), with intervals and type."""
    from .scoring import score as score_

    if level not in ("municipality", "category", "capability"):
        err.print("--level must be municipality, category or capability")
        raise typer.Exit(2)
    bad = [b for b in by if b not in ("unit", "role")]
    if bad:
        err.print(f"--by takes unit or role, not {bad}")
        raise typer.Exit(2)
    data, bank, cfg = _load(file, items_file, config, pad_codes, ignore_column, sheet)
    try:
        scores = score_(data, by=("municipality_code", "round", *by), bank=bank, config=cfg,
                        ci=not no_ci)
        table = _shareable(scores.table(level), cfg, level, include_small_groups)
    except DimiosError as exc:
        _fail(exc)
    table["synthetic"] = bool(data.attrs.get("synthetic"))
    write_csv(table, output, swedish=swedish)
    out.print(f"wrote {output} ({len(table)} rows, {int(table['suppressed'].sum())} suppressed)",
              highlight=False)


def _shareable(table, cfg, level, include_small):
    from .privacy import suppress

    if include_small:
        table = table.copy()
        table["suppressed"] = False
        return table
    count = ["n_respondents", "n_answers"] if level == "capability" else "n_respondents"
    return suppress(table, config=cfg, count=count)


@app.command()
def tables(
    file: Path = typer.Argument(..., help="DiMiOS export: CSV or Excel, long or wide."),
    output_dir: Path = typer.Option(Path("outputs/tables"), "-o", "--output-dir"),
    items_file: Path | None = ItemsOpt,
    config: Path | None = ConfigOpt,
    pad_codes: bool = PadOpt,
    ignore_column: list[str] = IgnoreOpt,
    sheet: str | None = SheetOpt,
    swedish: bool = SwedishOpt,
) -> None:
    """Every shareable table at once: scores at all levels, by unit and role, benchmarks,
    changes between rounds and reliability, small groups suppressed."""
    from .benchmarks import county_means, group_means, national_means, round_changes
    from .municipalities import load_groups
    from .privacy import suppress
    from .reliability import reliability
    from .scoring import score as score_

    data, bank, cfg = _load(file, items_file, config, pad_codes, ignore_column, sheet)
    synthetic = bool(data.attrs.get("synthetic"))
    try:
        muni = score_(data, bank=bank, config=cfg)
        results = {
            "municipality_round.csv": _shareable(muni.overall, cfg, "municipality", False),
            "municipality_round_category.csv": _shareable(muni.categories, cfg, "category",
                                                          False),
            "municipality_round_capability.csv": _shareable(muni.capabilities, cfg,
                                                            "capability", False),
            "national_round.csv": national_means(muni),
            "county_round.csv": county_means(muni),
            "groups_round.csv": __import__("pandas").concat(
                [group_means(muni, g) for g in load_groups().values()], ignore_index=True),
            "municipality_changes.csv": suppress(round_changes(muni), config=cfg,
                                                 count=["n_from", "n_to"]),
            "reliability_round.csv": reliability(data, bank=bank, config=cfg),
        }
        for extra in ("unit", "role"):
            s = score_(data, by=("municipality_code", "round", extra), bank=bank, config=cfg)
            results[f"municipality_round_{extra}.csv"] = _shareable(s.overall, cfg,
                                                                    "municipality", False)
            nat = score_(data, by=("round", extra), bank=bank, config=cfg, ci=False)
            results[f"national_round_{extra}.csv"] = _shareable(nat.overall, cfg,
                                                                "municipality", False)
    except DimiosError as exc:
        _fail(exc)
    for name, table in results.items():
        table = table.copy()
        table["synthetic"] = synthetic
        write_csv(table, output_dir / name, swedish=swedish)
    label = " (SYNTHETIC demo data)" if synthetic else ""
    out.print(f"wrote {len(results)} tables to {output_dir}{label}", highlight=False)


@app.command(name="reliability")
def reliability_cmd(
    file: Path = typer.Argument(...),
    output: Path = typer.Option(..., "-o", "--output"),
    items_file: Path | None = ItemsOpt,
    config: Path | None = ConfigOpt,
    pad_codes: bool = PadOpt,
    ignore_column: list[str] = IgnoreOpt,
    sheet: str | None = SheetOpt,
    swedish: bool = SwedishOpt,
) -> None:
    """Cronbach's alpha and McDonald's omega per category, dimension and round."""
    from .reliability import reliability

    data, bank, cfg = _load(file, items_file, config, pad_codes, ignore_column, sheet)
    write_csv(reliability(data, bank=bank, config=cfg), output, swedish=swedish)
    out.print(f"wrote {output}")


def _load_study(file: Path, instrument: Path | None, ignore: list[str], sheet: str | None,
                config=None):
    from .instrument import load_instrument
    from .study import read_study

    try:
        ins = load_instrument(instrument)
        data = read_study(file, ins, config=config, ignore_columns=ignore, sheet=sheet)
    except DimiosError as exc:
        _fail(exc)
    for note in data.attrs.get("notes", []):
        err.print(f"[yellow]note[/]: {note}", highlight=False)
    return data, ins


def _validate_study(file: Path, instrument: Path | None, ignore: list[str], sheet: str | None):
    data, _ = _load_study(file, instrument, ignore, sheet)
    waves = data.attrs["waves"]
    n_resp = data.groupby(["municipality_code", "wave", "respondent_id"]).ngroups
    arms = data.drop_duplicates("municipality_code")["arm"].value_counts()
    label = " [SYNTHETIC demo data]" if data.attrs.get("synthetic") else ""
    out.print(f"OK{label}: {len(data)} answers ({int(data['answer'].isna().sum())} missing), "
              f"{n_resp} respondent-waves, {int(arms.get('treated', 0))} treated and "
              f"{int(arms.get('comparison', 0))} comparison municipalities, waves before "
              f"{waves['before']!r} and after {waves['after']!r}", highlight=False)


@app.command(name="study")
def study_cmd(
    file: Path = typer.Argument(..., help="Study answers: CSV or Excel, long or wide "
                                "(municipality_code, wave, respondent_id, item_id, answer, arm)."),
    output: Path = typer.Option(..., "-o", "--output", help="CSV file to write: one row per "
                                "municipality (or pooled) x dimension."),
    instrument: Path | None = InstrumentOpt,
    seed: int | None = typer.Option(None, "--seed", help="Seed of the bootstrap intervals "
                                    "(default: the study configuration's)."),
    resamples: int | None = typer.Option(None, "--resamples", help="BCa bootstrap resamples "
                                         "(default 2000)."),
    no_ordinal: bool = typer.Option(False, "--no-ordinal", help="Skip the item-level "
                                    "proportional-odds models (faster)."),
    details_dir: Path | None = typer.Option(None, "--details-dir", help="Also write design, "
                                            "difference-in-differences, items, reliability, "
                                            "warnings and conclusions tables here."),
    include_small_groups: bool = typer.Option(
        False, "--include-small-groups",
        help="Do not suppress groups below the minimum size (internal use only; never share)."),
    lang: str = typer.Option("en", "--lang", help="Language of the printed warnings: en or sv."),
    ignore_column: list[str] = IgnoreOpt,
    sheet: str | None = SheetOpt,
    swedish: bool = SwedishOpt,
) -> None:
    """Before/after study: per municipality and pooled tests, effect sizes with BCa intervals,
    difference-in-differences with comparison municipalities, and warnings."""
    from .study import StudyConfig, analyse_study

    if lang not in ("en", "sv"):
        err.print("--lang must be en or sv")
        raise typer.Exit(2)
    changes = {"ordinal": not no_ordinal}
    if seed is not None:
        changes["seed"] = seed
    if resamples is not None:
        changes["bootstrap_resamples"] = resamples
    try:
        cfg = StudyConfig().with_(**changes)
    except DimiosError as exc:
        _fail(exc)
    data, ins = _load_study(file, instrument, ignore_column, sheet, cfg)
    try:
        results = analyse_study(data, ins, config=cfg)
    except DimiosError as exc:
        _fail(exc)
    synthetic = results.synthetic
    table = results.table(suppress_small=not include_small_groups)
    table["synthetic"] = synthetic
    for rec in results.design.itertuples(index=False):
        out.print(f"{rec.municipality_code} {rec.municipality_name} ({rec.arm}): {rec.design}, "
                  f"{rec.n_before} before / {rec.n_after} after / {rec.n_matched} in both",
                  highlight=False)
    for w in results.warnings:
        err.print(f"[yellow]warning[/] ({w.code}): {w.text(lang)}", highlight=False)
    for c in results.conclusions.itertuples(index=False):
        out.print(f"[bold]{c.dimension}[/]: {getattr(c, lang)}", highlight=False)
    if details_dir is not None:
        details = {
            "design.csv": results.design,
            "did.csv": results.did,
            "items.csv": results.items,
            "reliability.csv": results.reliability,
            "sensitivity.csv": results.sensitivity,
            "warnings.csv": results.warnings_frame(),
            "conclusions.csv": results.conclusions,
        }
        for name, frame in details.items():
            if frame is None or frame.empty:
                continue
            frame = frame.copy()
            frame["synthetic"] = synthetic
            write_csv(_study_rounding(frame), details_dir / name, swedish=swedish,
                      decimals=15)
    write_csv(_study_rounding(table), output, swedish=swedish, decimals=15)
    label = " (SYNTHETIC demo data)" if synthetic else ""
    out.print(f"wrote {output} ({len(table)} rows, {int(table['suppressed'].sum())} "
              f"suppressed){label}", highlight=False)


def _study_rounding(frame):
    """p-values to 4 significant digits (a p of 3e-9 must not print as 0), other numbers to 6
    decimals."""
    import numpy as np

    frame = frame.copy()
    for col in frame.select_dtypes("float").columns:
        x = frame[col].to_numpy()
        if col.startswith("p_") or col.endswith(("p_value", "p_adjusted", "permutation_p")):
            with np.errstate(divide="ignore", invalid="ignore"):
                mag = np.where(np.isfinite(x) & (x != 0),
                               np.floor(np.log10(np.abs(np.where(x == 0, 1, x)))), 0)
            frame[col] = [v if not np.isfinite(v) else round(v, int(3 - m))
                          for v, m in zip(x, mag)]
        else:
            frame[col] = frame[col].round(6)
    return frame


@app.command()
def demo(
    output_dir: Path = typer.Option(Path("data/demo"), "-o", "--output-dir"),
    seed: int = typer.Option(20211101, "--seed"),
    scale: float = typer.Option(1.0, "--scale", help="Multiply respondent numbers (10 = the "
                                "benchmark's large dataset)."),
    study_seed: int = typer.Option(20210401, "--study-seed", help="Seed of the study demo."),
    force: bool = typer.Option(False, "--force", help="Regenerate even if the file exists."),
) -> None:
    """Generate the SYNTHETIC demo data: DiMiOS answers (290 municipalities, six rounds
    2021-11 ... 2024-05), a DigiGrow-like before/after study (six municipalities), an
    initiative register for the Modig municipalities and Modig's training log, outcome survey
    and self-rated competence (calibrated to the published totals)."""
    from .demo import FILE_NAME, write_demo
    from .initiatives import DEMO_FOLDER, write_register_demo
    from .study_demo import FILE_NAME as STUDY_FILE_NAME
    from .study_demo import write_study_demo
    from .training_demo import TRAINING_FILE, write_modig_demo

    jobs = ((FILE_NAME, lambda: write_demo(output_dir, seed=seed, scale=scale)),
            (STUDY_FILE_NAME, lambda: write_study_demo(output_dir, seed=study_seed)),
            (DEMO_FOLDER, lambda: write_register_demo(output_dir, seed=seed)),
            (TRAINING_FILE, lambda: ", ".join(str(p) for p in
                                              write_modig_demo(output_dir).values())))
    for name, write in jobs:
        target = output_dir / name
        if target.exists() and not force:
            out.print(f"{target} exists (use --force to regenerate)", highlight=False)
            continue
        out.print(f"wrote {write()} (SYNTHETIC)", highlight=False)


@app.command(name="municipalities")
def municipalities_cmd(
    output: Path | None = typer.Option(None, "-o", "--output"),
) -> None:
    """List the 290 municipalities with county (Statistics Sweden's codes)."""
    from .municipalities import municipalities

    frame = municipalities()
    if output:
        write_csv(frame, output)
    else:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")


@app.command()
def groups(groups_file: Path | None = typer.Option(None, "--groups")) -> None:
    """List the custom municipality groups (validating a groups file if given)."""
    from .municipalities import load_groups, municipality_names

    try:
        found = load_groups(groups_file)
    except DimiosError as exc:
        _fail(exc)
    for g in found.values():
        names = ", ".join(municipality_names(g.members))
        out.print(f"[bold]{g.id}[/] — {g.name_sv} ({g.kind}): {names}", highlight=False)


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
    from .batch import default_batch, write_params
    from .reports import load_data

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
    from .render import render as render_one

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

    from .batch import read_params
    from .render import render as render_one

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
    from .batch import Job, read_params
    from .engine import RunValidationError, rounds_lookup, run_jobs, select

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


if __name__ == "__main__":
    app()
