"""``outputs/index.json``: one entry per report ever run into an output folder, rewritten
atomically after every report so an interrupted batch resumes from it. The pages
drawn from it (the reader's ``index.html`` and ``index_en.html``, the ``runlog.html``) are
:mod:`dimios_lib.render.index_page`.

The index never loses a page: entries written by someone else since it was read are kept when
it is saved (a run holds the output folder's lock, :mod:`~dimios_lib.engine.lock`, so that is
belt and braces), and a page found on disk without an entry is listed as ``unindexed``. What an
entry shows is safe to share: data parameters as file names, errors without folders.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..io.files import write_atomic
from .batch import DATA_PARAMETERS

_ABSOLUTE = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?[/\\](?:[^\s'\"/\\:,;()\[\]]+[/\\])*"
                       r"([^\s'\"/\\:,;()\[\]]+)")


def scrub_paths(text: str) -> str:
    """Text with every absolute path cut to its last part (a file name).

    Examples
    --------
    >>> scrub_paths("/home/ana/exports/2024.csv, row 2: value '9'")
    "2024.csv, row 2: value '9'"
    >>> scrub_paths("file not found: C:\\\\Users\\\\ana\\\\x.xlsx (looked in data)")
    'file not found: x.xlsx (looked in data)'
    """
    return _ABSOLUTE.sub(lambda m: m.group(1), text)


def public_parameters(parameters: dict) -> dict:
    """A report's parameters as a shared index may show them: paths as file names.

    Examples
    --------
    >>> public_parameters({"municipality_code": "1883", "data_path": "/srv/in/2024.csv",
    ...                    "reference_path": None})
    {'municipality_code': '1883', 'data_path': '2024.csv', 'reference_path': None}
    """
    out = {}
    for k, v in parameters.items():
        if k in DATA_PARAMETERS and v not in (None, ""):
            v = [Path(str(x)).name for x in v] if isinstance(v, (list, tuple)) else \
                Path(str(v)).name
        out[k] = v
    return out


@dataclass
class Index:
    """``outputs/index.json``: one entry per report ever run into this folder."""

    path: Path
    entries: dict[str, dict] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    lang: str = "en"  # the language of the run log (runlog.html)

    @classmethod
    def load(cls, output_dir: Path) -> Index:
        """The index of ``output_dir``, with an ``unindexed`` entry for every page on disk
        that it does not list (a damaged index means rebuilding, never a crash)."""
        path = Path(output_dir) / "index.json"
        index = cls(path, _read(path))
        index.adopt_pages()
        return index

    def adopt_pages(self) -> int:
        """List the pages on disk that no entry names; returns how many there were."""
        folder = self.path.parent
        listed = {e.get("output") for e in self.entries.values()}
        found = 0
        for page in sorted(folder.glob("*/*.html")):
            rel = page.relative_to(folder).as_posix()
            if rel in listed or page.name.startswith("."):
                continue
            key = rel.removesuffix(".html")
            if key in self.entries:
                continue
            self.entries[key] = {"notebook": page.parent.name, "output": rel,
                                 "status": "unindexed", "parameters": {}, "duration": 0,
                                 "error": "a page on disk that no run recorded"}
            found += 1
        return found

    def update(self, key: str, entry: dict) -> None:
        with self.lock:
            self.entries[key] = entry
            self.save()

    def save(self) -> None:
        """Write the index, keeping entries another writer added since it was read."""
        on_disk = _read(self.path)
        for key, entry in on_disk.items():
            if key not in self.entries:
                self.entries[key] = entry
        payload = {"generated": _now(), "library_version": __version__,
                   "reports": dict(sorted(self.entries.items()))}
        write_atomic(self.path, json.dumps(payload, indent=1, ensure_ascii=False) + "\n")

    def write_html(self) -> Path:
        """The pages drawn from the entries (:mod:`dimios_lib.render.index_page`): the
        reader's index (``index.html`` in Swedish, ``index_en.html`` in English) and the run log
        (``runlog.html``, in ``lang``); returns the path of ``index.html``."""
        from ..render.index_page import reader_index, run_log

        generated = _now()
        folder = self.path.parent
        write_atomic(folder / "runlog.html", run_log(self.entries, self.lang,
                                                     generated=generated))
        write_atomic(folder / "index_en.html", reader_index(
            self.entries, "en", generated=generated, other_lang_href="index.html"))
        return write_atomic(self.path.with_suffix(".html"),
                            reader_index(self.entries, "sv", generated=generated))


def _read(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8")).get("reports", {})
    except (json.JSONDecodeError, AttributeError, OSError):
        return {}
    return entries if isinstance(entries, dict) else {}


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
