"""Commands on DiMiOS data: items, validate, score, tables, reliability, demo, and the reference
data (municipalities, groups).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .. import __version__
from ..errors import DimiosError
from ..io.files import write_csv
from .common import (
    AllOpt,
    ConfigOpt,
    FilesArg,
    IgnoreOpt,
    InstrumentOpt,
    ItemMapOpt,
    ItemsOpt,
    LabelsOpt,
    Messages,
    PadOpt,
    ProblemsOpt,
    SheetOpt,
    SwedishOpt,
    _check_dir,
    _check_file,
    _fail,
    _load,
    _note,
    app,
    err,
    out,
)
from .study import _validate_study


def _output(path: Path, *, folder: bool = False) -> None:
    """Check an output path before any work (one clear line and exit 1 if it cannot be)."""
    try:
        (_check_dir if folder else _check_file)(path)
    except DimiosError as exc:
        _fail(exc)


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
    from rich.table import Table as RichTable

    from ..reference.items import load_item_bank

    try:
        bank = load_item_bank(items_file)
    except DimiosError as exc:
        _fail(exc)
    frame = bank.items
    if format == "csv":
        if output is not None:
            _output(output)
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
    files: list[Path] = typer.Argument(..., help="DiMiOS exports (CSV or Excel, long or wide; "
                                       "files or folders: one export per round is the normal "
                                       "case), or with --study etc. one file of that kind."),
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
    item_map: Path | None = ItemMapOpt,
    answer_labels: Path | None = LabelsOpt,
    all_: bool = AllOpt,
    problems: Path | None = ProblemsOpt,
) -> None:
    """Check exports against the data contract; list every problem, write nothing."""
    if sum((study, register, training, outcomes, competence)) > 1:
        err.print("give at most one of --study, --register, --training, --outcomes, "
                  "--competence")
        raise typer.Exit(2)
    messages = Messages(all_, problems)
    file = files[0]
    if len(files) > 1 and any((study, register, training, outcomes, competence)):
        err.print("--study, --register, --training, --outcomes and --competence take one file")
        raise typer.Exit(2)
    if training or outcomes:
        from ..contracts.training import read_outcomes, read_training_log
        from ..programmes.training import training_summary

        try:
            reader = read_outcomes if outcomes else read_training_log
            data = reader(file, sheet=sheet, ignore_columns=ignore_column)
        except DimiosError as exc:
            _fail(exc, messages)
        for note in data.attrs.get("notes", []):
            _note(note)
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
        from ..reference.instrument import competence_instrument_path

        _validate_study(file, instrument or competence_instrument_path(), ignore_column, sheet)
        return
    if register:
        from ..contracts.register import read_register
        from ..reference.items import load_item_bank

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
    data, _, _ = _load(files, items_file, config, pad_codes, ignore_column, sheet,
                       item_map=item_map, answer_labels=answer_labels, messages=messages)
    n_resp = data.groupby(["municipality_code", "round", "respondent_id"]).ngroups
    rounds = sorted(data["round"].unique())
    label = " [SYNTHETIC demo data]" if data.attrs.get("synthetic") else ""
    n_files = len(data.attrs.get("sources", []))
    in_files = f" in {n_files} files" if n_files > 1 else ""
    out.print(f"OK{label}: {len(data)} answers ({int(data['answer'].isna().sum())} missing), "
              f"{n_resp} respondents, {data['municipality_code'].nunique()} municipalities, "
              f"rounds {', '.join(rounds)}{in_files}", highlight=False)


@app.command()
def score(
    files: list[Path] = FilesArg,
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
    item_map: Path | None = ItemMapOpt,
    answer_labels: Path | None = LabelsOpt,
    swedish: bool = SwedishOpt,
    all_: bool = AllOpt,
    problems: Path | None = ProblemsOpt,
) -> None:
    """Score a file: one row per municipality x round (x unit/role), with intervals and type.

    The table is protected as `dimios tables` protects it (small groups hidden, and groups that
    would give one away by subtraction); tables by unit or role exist at the municipality level
    only, unless --include-small-groups (internal use)."""
    from ..maturity.scoring import score as score_
    from ..maturity.tables import LEVELS, Release, shareable, shared_table

    if level not in LEVELS:
        err.print("--level must be municipality, category or capability")
        raise typer.Exit(2)
    bad = [b for b in by if b not in ("unit", "role")]
    if bad:
        err.print(f"--by takes unit or role, not {bad}")
        raise typer.Exit(2)
    _output(output)
    data, bank, cfg = _load(files, items_file, config, pad_codes, ignore_column, sheet,
                            item_map=item_map, answer_labels=answer_labels,
                            messages=Messages(all_, problems))
    try:
        if include_small_groups:
            scores = score_(data, by=("municipality_code", "round", *by), bank=bank, config=cfg,
                            ci=not no_ci)
            table = shareable(scores.table(level), level, config=cfg, include_small=True)
        else:
            release = Release.build(data, bank=bank, config=cfg, ci=not no_ci)
            table = shared_table(release, level, tuple(by), ci=not no_ci)
    except DimiosError as exc:
        _fail(exc)
    table["synthetic"] = bool(data.attrs.get("synthetic"))
    write_csv(table, output, swedish=swedish)
    out.print(f"wrote {output} ({len(table)} rows, {int(table['suppressed'].sum())} suppressed)",
              highlight=False)


@app.command()
def tables(
    files: list[Path] = FilesArg,
    output_dir: Path = typer.Option(Path("outputs/tables"), "-o", "--output-dir"),
    items_file: Path | None = ItemsOpt,
    config: Path | None = ConfigOpt,
    pad_codes: bool = PadOpt,
    ignore_column: list[str] = IgnoreOpt,
    sheet: str | None = SheetOpt,
    item_map: Path | None = ItemMapOpt,
    answer_labels: Path | None = LabelsOpt,
    swedish: bool = SwedishOpt,
    all_: bool = AllOpt,
    problems: Path | None = ProblemsOpt,
    force: bool = typer.Option(False, "--force", help="Rebuild even if the inputs are "
                               "unchanged."),
) -> None:
    """Every shareable table at once: scores at all levels, by unit and role, benchmarks,
    changes between rounds and reliability, small groups suppressed. Tables made from the same
    inputs (files, options, library) are not made again."""
    from ..engine.cache import record_tables, tables_key, tables_unchanged
    from ..maturity.tables import shareable_tables

    _output(output_dir, folder=True)
    extras = [p for p in (items_file, config, item_map, answer_labels) if p is not None]
    try:
        key = tables_key(list(files) + extras, options={
            "pad_codes": pad_codes, "ignore": sorted(ignore_column), "sheet": sheet,
            "swedish": swedish, "files": [str(f) for f in files],
            "extras": [str(e) for e in extras]})
    except OSError:
        key = ""  # an input that cannot be read: the contract below says which
    unchanged = None if force or not key else tables_unchanged(output_dir, key)
    if unchanged:
        out.print(f"{len(unchanged)} tables in {output_dir} are up to date (same inputs); "
                  "--force rebuilds them", highlight=False)
        return
    data, bank, cfg = _load(files, items_file, config, pad_codes, ignore_column, sheet,
                            item_map=item_map, answer_labels=answer_labels,
                            messages=Messages(all_, problems))
    try:
        results = shareable_tables(data, bank=bank, config=cfg)
    except DimiosError as exc:
        _fail(exc)
    for name, table in results.items():
        write_csv(table, output_dir / name, swedish=swedish)
    if key:
        record_tables(output_dir, key, list(results))
    synthetic = bool(data.attrs.get("synthetic"))
    label = " (SYNTHETIC demo data)" if synthetic else ""
    out.print(f"wrote {len(results)} tables to {output_dir}{label}", highlight=False)


@app.command(name="reliability")
def reliability_cmd(
    files: list[Path] = FilesArg,
    output: Path = typer.Option(..., "-o", "--output"),
    items_file: Path | None = ItemsOpt,
    config: Path | None = ConfigOpt,
    pad_codes: bool = PadOpt,
    ignore_column: list[str] = IgnoreOpt,
    sheet: str | None = SheetOpt,
    item_map: Path | None = ItemMapOpt,
    answer_labels: Path | None = LabelsOpt,
    swedish: bool = SwedishOpt,
    all_: bool = AllOpt,
    problems: Path | None = ProblemsOpt,
) -> None:
    """Cronbach's alpha and McDonald's omega per category, dimension and round (pairwise by
    default), beside ICC(1) and ICC(2), the reliability of municipality means."""
    from ..maturity.reliability import reliability

    _output(output)
    data, bank, cfg = _load(files, items_file, config, pad_codes, ignore_column, sheet,
                            item_map=item_map, answer_labels=answer_labels,
                            messages=Messages(all_, problems))
    write_csv(reliability(data, bank=bank, config=cfg), output, swedish=swedish)
    out.print(f"wrote {output}")


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
    from ..demo import FILES, write_all

    _output(output_dir, folder=True)
    written = write_all(output_dir, seed=seed, scale=scale, study_seed=study_seed, force=force)
    for kind, path in written.items():
        if path is None:
            out.print(f"{output_dir / FILES[kind]} exists (use --force to regenerate)",
                      highlight=False)
        else:
            out.print(f"wrote {path} (SYNTHETIC)", highlight=False)


@app.command(name="municipalities")
def municipalities_cmd(
    output: Path | None = typer.Option(None, "-o", "--output"),
) -> None:
    """List the 290 municipalities with county (Statistics Sweden's codes)."""
    from ..reference.municipalities import municipalities

    frame = municipalities()
    if output:
        _output(output)
        write_csv(frame, output)
    else:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")


@app.command()
def groups(groups_file: Path | None = typer.Option(None, "--groups")) -> None:
    """List the custom municipality groups (validating a groups file if given)."""
    from ..reference.municipalities import load_groups, municipality_names

    try:
        found = load_groups(groups_file)
    except DimiosError as exc:
        _fail(exc)
    for g in found.values():
        names = ", ".join(municipality_names(g.members))
        out.print(f"[bold]{g.id}[/] — {g.name_sv} ({g.kind}): {names}", highlight=False)
