"""Writing and finding files: atomic writes of text, tables and demo datasets, file hashes, the
package's own data files, the ``.meta.json`` sidecar that marks SYNTHETIC data, and the upward
search that lets a notebook find ``data/`` from ``notebooks/``.

Every file the library writes goes through :func:`atomic_path`: it is written to a temporary
file in the same folder and renamed onto its name, so a reader never sees half a file and an
interrupted run leaves the old file in place. Written files get the ordinary permissions of the
user's umask (``0644`` with the usual ``022``), whatever wrote them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported by whoever passes a frame; importing it here is slow
    import pandas as pd


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once: changing the umask is not thread-safe, and the engine writes


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed onto ``path`` when the block ends without error.

    The folder is made if needed. On an error (or an interrupt) the temporary file is removed
    and ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_path(folder / "a.txt") as tmp:
    ...     _ = tmp.write_text("hej")
    >>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('hej', ['a.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; an output is an ordinary file
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically; returns the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)


def write_frame(frame: pd.DataFrame, path: str | os.PathLike, **to_csv: Any) -> Path:
    """Write ``frame`` with ``DataFrame.to_csv(**to_csv)`` (no index, ``\\n``) atomically."""
    options = {"index": False, "lineterminator": "\n", "encoding": "utf-8", **to_csv}
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, **options)
    return Path(path)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?([eE][+-]?\d+)?")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made plain text with a leading
    ``'`` (OWASP's advice against CSV injection); anything else as it is. A number written as
    text (``-3,5``) is left alone.

    Examples
    --------
    >>> neutralise("=HYPERLINK(A1)"), neutralise("@SUM(A1)"), neutralise("-3,5")
    ("'=HYPERLINK(A1)", "'@SUM(A1)", '-3,5')
    >>> neutralise("Socialtjänst"), neutralise(4.0)
    ('Socialtjänst', 4.0)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) \
            and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: str | os.PathLike, *, swedish: bool = False,
              decimals: int = 3) -> Path:
    """Write a result table as CSV, atomically, safe to open in a spreadsheet.

    International (default): comma separator, decimal point, UTF-8. Swedish (``swedish=True``,
    for Excel with Swedish settings): semicolon separator, decimal comma, UTF-8 with BOM.
    Floats are rounded to ``decimals`` places; codes stay text with their leading zeros. Text
    cells that would start a formula (a unit named ``=HYPERLINK(...)``) are neutralised
    (:func:`neutralise`).
    """
    out = frame.copy()
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].round(decimals)
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            risky = {v: neutralise(v) for v in out[col].dropna().unique()
                     if isinstance(v, str) and v.startswith(_FORMULA_START)}
            risky = {k: v for k, v in risky.items() if v != k}
            if risky:
                out[col] = out[col].replace(risky)
    return write_frame(out, path, sep=";" if swedish else ",", decimal="," if swedish else ".",
                       encoding="utf-8-sig" if swedish else "utf-8")


def meta_path(path: str | os.PathLike) -> Path:
    """The sidecar metadata file of a data file: ``name.meta.json`` beside it."""
    path = Path(path)
    return path.with_name(path.name + ".meta.json")


def write_meta(path: str | os.PathLike, meta: dict) -> Path:
    """Write the ``.meta.json`` sidecar of the data file ``path``; returns the sidecar's path."""
    return write_atomic(meta_path(path), json.dumps(meta, indent=2, ensure_ascii=False) + "\n")


def is_synthetic(path: str | os.PathLike) -> bool:
    """Whether the data file's sidecar marks it SYNTHETIC (no sidecar, or an unreadable one:
    not synthetic)."""
    meta = meta_path(path)
    if not meta.exists():
        return False
    try:
        return bool(json.loads(meta.read_text(encoding="utf-8")).get("synthetic", False))
    except (OSError, ValueError):
        return False


def file_hash(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, as hex (read in 1 MiB chunks)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def packaged_file(name: str) -> Path:
    """A data file shipped with the package (``dimios_lib/data/<name>``).

    Examples
    --------
    >>> packaged_file("kommuner.csv").name
    'kommuner.csv'
    """
    return Path(str(resources.files("dimios_lib") / "data" / name))


def locate(path: str | os.PathLike, start: str | os.PathLike | None = None) -> Path:
    """The file (or folder) ``path`` names: an absolute path must exist; a relative one is looked
    for under ``start`` (default: the working folder) and each of its parents.

    Raises
    ------
    DimiosError
        Naming the path and where it was looked for.
    """
    from ..errors import DimiosError

    want = Path(path)
    if want.is_absolute():
        if want.exists():
            return want
        raise DimiosError(f"file not found: {want}")
    found = find_upwards(want, start)
    if found is None:
        base = Path.cwd() if start is None else Path(start)
        raise DimiosError(f"file not found: {path} (looked in {base.name or base} and its "
                          "parent folders)")
    return found


def find_upwards(relative: str | os.PathLike, start: str | os.PathLike | None = None
                 ) -> Path | None:
    """``relative`` under ``start`` (default: the working folder) or its nearest parent that has
    it, else ``None``. This is how ``data/...`` is found from ``notebooks/``."""
    base = Path.cwd() if start is None else Path(start)
    return next((folder / relative for folder in (base, *base.parents)
                 if (folder / relative).exists()), None)


def digest(*parts: bytes | str) -> str:
    """SHA-256 over several parts, each hashed on its own first (so ``("ab", "c")`` and
    ``("a", "bc")`` differ); the one way the library combines hashes into a key."""
    h = hashlib.sha256()
    for p in parts:
        h.update(hashlib.sha256(p.encode() if isinstance(p, str) else p).digest())
    return h.hexdigest()


def tree_hash(path: str | os.PathLike) -> str:
    """SHA-256 of a file, or of a folder's files (names and contents, sorted): an input such as
    the initiative register is a folder."""
    path = Path(path)
    if path.is_file():
        return file_hash(path)
    files = sorted(p for p in path.rglob("*") if p.is_file())
    return digest(*(p.relative_to(path).as_posix() + "\0" + file_hash(p) for p in files))


_PACKAGE_SUFFIXES = (".py", ".csv", ".yaml", ".json", ".po")


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """Hash of the library's version, source and data files: it changes whenever the code or the
    reference data does (computed once per process)."""
    from .. import __version__

    root = Path(__file__).resolve().parents[1]
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in _PACKAGE_SUFFIXES
                   and "__pycache__" not in p.parts)
    return digest(__version__, *(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes()
                                 for p in files))


def cache_dir() -> Path:
    """Where the library keeps derived data between runs (the scored demo, say):
    ``$DIMIOS_CACHE_DIR``, else ``$XDG_CACHE_HOME/dimios``, else ``~/.cache/dimios``. Everything
    there can be deleted at any time."""
    explicit = os.environ.get("DIMIOS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dimios"
