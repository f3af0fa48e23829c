"""``dimios study``: a before/after study from a file, as a table (and details) plus warnings and
conclusions.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import DimiosError
from ..io.files import write_csv
from .common import IgnoreOpt, InstrumentOpt, SheetOpt, SwedishOpt, _fail, app, err, out


def _load_study(file: Path, instrument: Path | None, ignore: list[str], sheet: str | None,
                config=None):
    from ..contracts.study import read_study
    from ..reference.instrument import load_instrument

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
    lang: str = typer.Option("en", "--lang", help="Language of the printed warnings and "
                             "conclusions: en or sv."),
    ignore_column: list[str] = IgnoreOpt,
    sheet: str | None = SheetOpt,
    swedish: bool = SwedishOpt,
) -> None:
    """Before/after study: per municipality and pooled tests, effect sizes with BCa intervals,
    difference-in-differences with comparison municipalities, and warnings."""
    from ..config import StudyConfig
    from ..study.analysis import analyse_study
    from ..text import study as words

    if lang not in ("en", "sv"):
        err.print("--lang must be en or sv")
        raise typer.Exit(2)
    changes: dict[str, bool | int] = {"ordinal": not no_ordinal}
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
        err.print(f"[yellow]warning[/] ({w.code}): {words.warning_text(w, results, lang)}",
                  highlight=False)
    conclusions = words.conclusions_frame(results)
    for c in conclusions.itertuples(index=False):
        out.print(f"[bold]{c.dimension}[/]: {getattr(c, lang)}", highlight=False)
    from ..study.analysis import csv_ready

    if details_dir is not None:
        details = {
            "design.csv": words.design_frame(results),
            "did.csv": results.did,
            "items.csv": results.items,
            "reliability.csv": results.reliability,
            "sensitivity.csv": results.sensitivity,
            "warnings.csv": words.warnings_frame(results),
            "conclusions.csv": conclusions,
        }
        for name, frame in details.items():
            if frame is None or frame.empty:
                continue
            frame = frame.copy()
            frame["synthetic"] = synthetic
            write_csv(csv_ready(frame), details_dir / name, swedish=swedish,
                      decimals=15)
    write_csv(csv_ready(table), output, swedish=swedish, decimals=15)
    label = " (SYNTHETIC demo data)" if synthetic else ""
    out.print(f"wrote {output} ({len(table)} rows, {int(table['suppressed'].sum())} "
              f"suppressed){label}", highlight=False)
