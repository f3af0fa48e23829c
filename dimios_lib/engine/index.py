"""``outputs/index.json`` and ``outputs/index.html``: one entry per report ever run into an
output folder, rewritten atomically after every report so an interrupted batch resumes from it.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..io.files import write_atomic
from ..text.catalog import t
from ..text.provenance import INDEX_COLUMNS, index_summary


@dataclass
class Index:
    """``outputs/index.json``: one entry per report ever run into this folder."""

    path: Path
    entries: dict[str, dict] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    lang: str = "en"  # the language of index.html

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
        rows = []
        for key, e in sorted(self.entries.items()):
            link = (f'<a href="{_html.escape(e["output"])}">{_html.escape(key)}</a>'
                    if e.get("status") == "ok" else _html.escape(key))
            params = ", ".join(f"{k}={v}" for k, v in e.get("parameters", {}).items())
            prov = e.get("provenance", {})
            inputs = ", ".join(f"{i['name']} {i['sha256'][:12]}" for i in prov.get("inputs", []))
            rows.append(
                f"<tr><th scope=\"row\">{link}</th><td>{_html.escape(e.get('notebook', ''))}</td>"
                f"<td>{_html.escape(params)}</td><td>{_html.escape(e.get('status', ''))}</td>"
                f"<td class=\"num\">{e.get('duration', 0):.1f}</td>"
                f"<td>{_html.escape(str(e.get('error') or ''))}</td>"
                f"<td>{_html.escape(str(prov.get('commit') or ''))} · "
                f"{_html.escape(str(prov.get('library_version') or ''))} · "
                f"{_html.escape(inputs)} · "
                f"{_html.escape(str(prov.get('time') or '')[:19])}</td></tr>")
        n_ok = sum(e.get("status") == "ok" for e in self.entries.values())
        n_fail = sum(e.get("status") == "failed" for e in self.entries.values())
        lang = self.lang
        head = "".join(f'<th scope="col">{_html.escape(t(f"index.col.{c}", lang))}</th>'
                       for c in INDEX_COLUMNS)
        title = _html.escape(t("index.title", lang))
        page = (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                f"<title>{title}</title><style>body{{font-family:system-ui,sans-serif;"
                "margin:1.5rem}table{border-collapse:collapse;font-size:.9rem}th,td{border-bottom:"
                "1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
                f".num{{text-align:right}}</style></head><body><main><h1>{title}</h1>"
                f"<p>{_html.escape(index_summary(n_ok, n_fail, _now(), lang))}</p>"
                f"<table><caption>{_html.escape(t('index.caption', lang))}</caption><thead><tr>"
                f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></main></body>"
                "</html>\n")
        return write_atomic(self.path.with_suffix(".html"), page)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
