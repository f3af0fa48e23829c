"""The ``dimios`` command line: thin commands that parse, call the library and print.

``common`` holds the Typer app, the shared options and error printing; the commands live in
``data`` (items, validate, score, tables, reliability, demo, reference data), ``study`` and
``reports`` (params, render, render-batch, run). Each command imports what it needs when it
runs, so ``dimios --help`` starts without loading pandas, scipy or Jupyter.
"""

from __future__ import annotations

from . import data, reports, study  # noqa: F401  (registers the commands)
from .common import app

__all__ = ["app"]
