"""Writing and finding files: atomic writes of text and CSV (international or Swedish), file
hashes, the package's own data files, the ``.meta.json`` sidecar that marks SYNTHETIC data, and
the upward search that lets a notebook find ``data/`` from ``notebooks/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd


def write_csv(frame: pd.DataFrame, path: str | Path, *, swedish: bool = False,
              decimals: int = 3) -> Path:
    """Write a table as CSV, atomically (temporary file, then rename).

    International (default): comma separator, decimal point, UTF-8. Swedish (``swedish=True``,
    for Excel with Swedish settings): semicolon separator, decimal comma, UTF-8 with BOM.
    Floats are rounded to ``decimals`` places; codes stay text with their leading zeros.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = frame.copy()
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].round(decimals)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        out.to_csv(tmp, index=False, sep=";" if swedish else ",",
                   decimal="," if swedish else ".",
                   encoding="utf-8-sig" if swedish else "utf-8", lineterminator="\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def meta_path(path: Path) -> Path:
    """The sidecar metadata file of a data file: ``name.meta.json`` beside it."""
    return path.with_name(path.name + ".meta.json")


def _is_synthetic(path: Path) -> bool:
    meta = meta_path(path)
    if not meta.exists():
        return False
    try:
        return bool(json.loads(meta.read_text(encoding="utf-8")).get("synthetic", False))
    except (OSError, ValueError):
        return False


def write_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
