"""Fingerprints of everything a report reads, so that unchanged work is not redone.

A report's key is a SHA-256 over the notebook's cells (not outputs), the library's source and
data files, the parameters, and the content of every input file the report declares. The same
hashes are the provenance in each page's footer.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import nbformat

from ..io.files import digest, package_fingerprint, tree_hash, write_atomic
from ..reports.inputs import Input, declared_inputs, response_files, response_paths
from .batch import Job
from .notebooks import NOTEBOOK_DIR, notebook_file


def notebook_fingerprint(path: Path) -> str:
    """Hash of a notebook's cells (type and source; outputs and metadata left out)."""
    nb = nbformat.read(str(path), as_version=4)
    return digest(*((c.cell_type + "\0" + c.source) for c in nb.cells))


class Fingerprints:
    """Memoised hashes for one run: every notebook, input file and job is hashed once.

    ``workdir`` is the folder relative input paths are resolved from (the kernels run there).
    """

    def __init__(self, notebooks: Path, workdir: str | os.PathLike | None = None):
        self.notebooks = Path(notebooks)
        self.workdir = Path.cwd() if workdir is None else Path(workdir)
        self.library = package_fingerprint()
        self._nb: dict[str, str] = {}
        self._files: dict[Path, str] = {}
        self._jobs: dict[str, list[dict]] = {}

    def notebook(self, name: str) -> str:
        if name not in self._nb:
            self._nb[name] = notebook_fingerprint(notebook_file(name, self.notebooks))
        return self._nb[name]

    def input_hash(self, item: Input) -> str:
        """SHA-256 of an input: its file's (or folder's) content, the configuration's text, or
        for a demo simulated in memory the library that simulates it."""
        if item.path is not None:
            path = item.path.resolve()
            if path not in self._files:
                self._files[path] = tree_hash(path)
            return self._files[path]
        if item.content is not None:
            return digest(item.content)
        return digest("simulated-demo", item.kind, self.library)

    def inputs(self, job: Job) -> list[dict]:
        """``[{"kind", "name", "sha256"}]`` of every input the job declares
        (:func:`dimios_lib.reports.inputs.declared_inputs`)."""
        if job.key not in self._jobs:
            self._jobs[job.key] = [
                {"kind": i.kind, "name": i.name, "sha256": self.input_hash(i)}
                for i in declared_inputs(job.notebook, job.parameters, start=self.workdir)]
        return self._jobs[job.key]

    def key(self, job: Job) -> str:
        """The report's cache key: notebook, library, parameters and every declared input."""
        params = json.dumps(job.parameters, sort_keys=True, ensure_ascii=False)
        return digest(self.notebook(job.notebook), self.library, params,
                      *(f"{i['kind']}:{i['sha256']}" for i in self.inputs(job)))


def git_commit(folder: Path = Path(__file__).resolve().parents[1]) -> str | None:
    """The short commit of the library's source tree, or None (an installed package)."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=folder,
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def rounds_lookup(output_dir: str | os.PathLike, workdir: str | os.PathLike | None = None
                  ) -> Callable[[object], list[str]]:
    """``data_path -> rounds``, cached in ``outputs/.cache/rounds.json`` by the data's hash, so a
    no-op rerun validates rounds without reading the data again."""
    from ..reports.data import load_data

    path = Path(output_dir) / ".cache" / "rounds.json"
    try:
        cache = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except json.JSONDecodeError:
        cache = {}
    fp = Fingerprints(NOTEBOOK_DIR, workdir)

    def rounds_of(data_path) -> list[str]:
        resolved = response_paths(data_path, start=fp.workdir)
        key = digest(*(fp.input_hash(Input("responses", f)) for f in (
            response_files(resolved) if resolved is not None else [None])))
        if key not in cache:
            cache[key] = load_data(resolved).rounds
            write_atomic(path, json.dumps(cache, indent=1) + "\n")
        return cache[key]

    return rounds_of


TABLES_MANIFEST = ".tables.json"
"""Written beside the shareable tables: what they were made from and each table's hash."""


def tables_key(inputs: list[Path], *, options: dict) -> str:
    """The key of ``dimios tables``' output: every input file's name and content (a folder's
    table files one by one, a ``.meta.json`` sidecar included), the options, and the library's
    source and data (:func:`~dimios_lib.io.files.package_fingerprint`)."""
    from ..io.files import file_hash, meta_path
    from ..io.tables import data_files

    parts = [package_fingerprint(), json.dumps(options, sort_keys=True, default=str)]
    for item in inputs:
        for f in data_files(item):
            meta = meta_path(f)
            parts.append(f"{f.name}\0{file_hash(f)}\0"
                         f"{file_hash(meta) if meta.exists() else ''}")
    return digest(*parts)


def tables_unchanged(folder: str | os.PathLike, key: str) -> list[str] | None:
    """The tables in ``folder`` when they were made with ``key`` and none has changed since,
    else None."""
    from ..io.files import file_hash

    path = Path(folder) / TABLES_MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if not isinstance(manifest, dict) or manifest.get("key") != key:
        return None
    tables = manifest.get("tables", {})
    for name, sha in tables.items():
        table = Path(folder) / name
        if not table.is_file() or file_hash(table) != sha:
            return None
    return sorted(tables)


def record_tables(folder: str | os.PathLike, key: str, names: list[str]) -> None:
    """Write the manifest of the tables just written into ``folder``."""
    from ..io.files import file_hash

    tables = {n: file_hash(Path(folder) / n) for n in sorted(names)}
    write_atomic(Path(folder) / TABLES_MANIFEST,
                 json.dumps({"key": key, "tables": tables}, indent=1) + "\n")
