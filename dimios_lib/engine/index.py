"""``outputs/index.json`` and ``outputs/index.html``: one entry per report ever run into an
output folder, rewritten atomically after every report so an interrupted batch resumes from it.
"""

from __future__ import annotations

import datetime as _dt
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..io.files import write_atomic


@dataclass
class Index:
    """``outputs/index.json``: one entry per report ever run into this folder."""

    path: Path
    entries: dict[str, dict] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    lang: str = "en"  # the language of the run log (runlog.html)

    @classmethod
    def load(cls, output_dir: Path) -> Index:
        path = Path(output_dir) / "index.json"
        entries = {}
        if path.exists():
            try:
                entries = json.loads(path.read_text(encoding="utf-8")).get("reports", {})
            except (json.JSONDecodeError, AttributeError):
                entries = {}  # a damaged index means a full rebuild, never a crash
        return cls(path, entries)

    def update(self, key: str, entry: dict) -> None:
        with self.lock:
            self.entries[key] = entry
            self.save()

    def save(self) -> None:
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


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
