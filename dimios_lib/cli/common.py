"""The Typer app, the options the commands share, and how errors are printed.

Exit codes: 0 success; 1 the input broke the data contract (every problem printed, nothing
written); 2 wrong usage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from ..errors import DataValidationError, DimiosError

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


SheetOpt = typer.Option(None, "--sheet", help="Excel sheet (default: the first visible sheet "
                        "with known column names).")


ItemMapOpt = typer.Option(None, "--item-map", help="A table mapping the export's column names "
                          "(your own question wording) to item ids: columns 'rubrik' (or "
                          "'header') and 'item_id'.")


LabelsOpt = typer.Option(None, "--answer-labels", help="A table of answer labels and their "
                         "values (columns 'label' and 'value'), for exports that write answers "
                         "as text (default: the packaged six-point labels).")


AllOpt = typer.Option(False, "--all", help="Print every problem on its own line (default: one "
                      "group per cause, a screenful).")


ProblemsOpt = typer.Option(None, "--problems", help="Also write every problem to this CSV file "
                           "(file, row, column, value, expected).")


FilesArg = typer.Argument(..., help="DiMiOS exports: CSV or Excel files, long or wide, or "
                          "folders of them (one export per round is the normal case).")


SwedishOpt = typer.Option(False, "--swedish", help="Write Swedish CSV: semicolon, decimal "
                          "comma, UTF-8 with BOM (opens right in Excel with Swedish settings).")


InstrumentOpt = typer.Option(None, "--instrument", help="Study instrument file (default: the "
                             "OECD-lens innovation instrument, 16 items on 1-7; see "
                             "docs/study.md).")


def _check_dir(path: Path) -> None:
    """An output folder: made when it is written if missing; a file in its place is an error."""
    for folder in (path, *path.parents):
        if folder.exists():
            if not folder.is_dir():
                raise DimiosError(f"cannot write into {path}: {folder} is a file, not a folder "
                                  "(choose another --output-dir)")
            return


def _check_file(path: Path) -> None:
    """An output file: its folder must exist, and no folder may stand in its place."""
    if path.is_dir():
        raise DimiosError(f"cannot write {path}: it is a folder (give a file name with -o)")
    if not path.parent.exists():
        raise DimiosError(f"cannot write {path}: the folder {path.parent} does not exist "
                          "(create it, or choose another -o)")
    if not path.parent.is_dir():
        raise DimiosError(f"cannot write {path}: {path.parent} is a file, not a folder")


@dataclass
class Messages:
    """How problems are printed: every one (``--all``) or a screenful, and where the full list
    goes (``--problems FILE``)."""

    all: bool = False
    problems_file: Path | None = None


def _fail(exc: Exception, messages: Messages | None = None) -> NoReturn:
    messages = messages or Messages()
    if isinstance(exc, DataValidationError):
        from ..errors import summarise

        for note in exc.notes:
            _note(note)
        n = len(exc.problems)
        files = len({p.file for p in exc.problems})
        where = f" in {files} files" if files > 1 else ""
        err.print(f"[bold red]Invalid input[/]: {n:,} problem{'s' if n != 1 else ''}{where}; "
                  "nothing written.", highlight=False)
        lines = summarise(exc.problems, max_lines=None if messages.all else 20)
        for line in lines:
            err.print(f"  {line}", highlight=False, markup=False)
        if messages.problems_file is not None:
            try:
                _write_problems(exc.problems, messages.problems_file)
                err.print(f"every problem written to {messages.problems_file}", highlight=False,
                          markup=False)
            except OSError as write_error:
                err.print(f"could not write {messages.problems_file}: {write_error.strerror}",
                          highlight=False, markup=False)
        elif not messages.all and len(lines) < n:
            err.print("  (problems of one cause are grouped; every one: --all, or --problems "
                      "FILE)", highlight=False, markup=False)
    else:
        err.print(f"[bold red]Error[/]: {exc}", highlight=False)
    raise typer.Exit(1)


def _write_problems(problems, path: Path) -> None:
    import csv
    import io

    from ..io.files import write_atomic

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["file", "row", "column", "value", "expected"])
    for p in problems:
        writer.writerow([p.file, "" if p.row is None else p.row, p.column or "",
                         "" if p.value is None else p.value, p.expected])
    write_atomic(path, buf.getvalue())


def _load(files: Path | list[Path], items: Path | None, config: Path | None, pad_codes: bool,
          ignore: list[str], sheet: str | None, *, item_map: Path | None = None,
          answer_labels: Path | None = None, messages: Messages | None = None):
    """Read and validate the responses of one file, several or a folder, printing the notes; on
    bad input print the problems and exit 1."""
    from ..config import ModelConfig
    from ..contracts.answers import load_answer_scale
    from ..contracts.headers import read_item_map
    from ..contracts.responses import read_responses
    from ..reference.items import load_item_bank

    try:
        bank = load_item_bank(items)
        cfg = ModelConfig() if config is None else ModelConfig.from_yaml(config)
        mapping = None if item_map is None else read_item_map(item_map, bank)
        scale = None if answer_labels is None else load_answer_scale(answer_labels)
        data = read_responses(files, bank=bank, config=cfg, pad_codes=pad_codes,
                              ignore_columns=ignore, sheet=sheet, item_map=mapping,
                              answer_scale=scale)
    except DimiosError as exc:
        _fail(exc, messages)
    for note in data.attrs.get("notes", []):
        _note(note)
    return data, bank, cfg


def _note(note: str) -> None:
    from rich.markup import escape

    err.print(f"[yellow]note[/]: {escape(note)}", highlight=False)
