"""The Typer app, the options the commands share, and how errors are printed.

Exit codes: 0 success; 1 the input broke the data contract (every problem printed, nothing
written); 2 wrong usage.
"""

from __future__ import annotations

from pathlib import Path

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
    from ..config import ModelConfig
    from ..contracts.responses import read_responses
    from ..reference.items import load_item_bank

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
