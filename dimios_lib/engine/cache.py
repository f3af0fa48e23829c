"""Fingerprints of everything a report reads, so that unchanged work is not redone.

A report's key is a SHA-256 over the notebook's cells (not outputs), the library's source and
data files, the parameters, and the content of every input file the report declares. The same
hashes are the provenance in each page's footer.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import nbformat

from .. import __version__
from ..io.files import file_hash, write_atomic
from .batch import Job
from .notebooks import NOTEBOOK_DIR, notebook_file

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def _sha(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(hashlib.sha256(p).digest())
    return h.hexdigest()


def library_fingerprint() -> str:
    """Hash of the library's source and data files (changes whenever its code or data does)."""
    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in
                   (".py", ".csv", ".yaml", ".json") and "__pycache__" not in p.parts)
    return _sha(__version__.encode(), *(p.relative_to(PACKAGE_DIR).as_posix().encode()
                                        + b"\0" + p.read_bytes() for p in files))


def notebook_fingerprint(path: Path) -> str:
    nb = nbformat.read(str(path), as_version=4)
    return _sha(*((c.cell_type + "\0" + c.source).encode() for c in nb.cells))


class Fingerprints:
    """Memoised hashes for one run (each data file is hashed once)."""

    def __init__(self, notebooks: Path):
        self.notebooks = Path(notebooks)
        self.library = library_fingerprint()
        self._nb: dict[str, str] = {}
        self._data: dict[object, str] = {}

    def notebook(self, name: str) -> str:
        if name not in self._nb:
            self._nb[name] = notebook_fingerprint(notebook_file(name, self.notebooks))
        return self._nb[name]

    def data(self, data_path) -> str:
        from ..reports.data import find_data

        if data_path not in self._data:
            resolved = find_data(data_path, start=self.notebooks)
            self._data[data_path] = ("simulated-demo:" + self.library if resolved is None
                                     else file_hash(resolved))
        return self._data[data_path]

    def key(self, job: Job) -> str:
        params = json.dumps(job.parameters, sort_keys=True, ensure_ascii=False)
        return _sha(self.notebook(job.notebook).encode(), self.library.encode(), params.encode(),
                    self.data(job.parameters.get("data_path")).encode())


def git_commit(folder: Path = REPO_DIR) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=folder,
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def rounds_lookup(output_dir: str | os.PathLike, notebooks: str | os.PathLike = NOTEBOOK_DIR
                  ) -> Callable[[object], list[str]]:
    """``data_path -> rounds``, cached in ``outputs/.cache/rounds.json`` by the data's hash, so a
    no-op rerun validates rounds without reading the data again."""
    from ..reports.data import find_data, load_data

    path = Path(output_dir) / ".cache" / "rounds.json"
    try:
        cache = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except json.JSONDecodeError:
        cache = {}
    fp = Fingerprints(Path(notebooks))

    def rounds_of(data_path) -> list[str]:
        digest = fp.data(data_path)
        if digest not in cache:
            resolved = find_data(data_path, start=Path(notebooks))
            cache[digest] = load_data(resolved).rounds
            write_atomic(path, json.dumps(cache, indent=1) + "\n")
        return cache[digest]

    return rounds_of
