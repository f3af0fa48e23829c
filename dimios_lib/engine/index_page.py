"""``outputs/index.html``: the run index as a page, from the entries of
:class:`~dimios_lib.engine.index.Index` (which owns what the entries hold; this module only
shows them)."""

from __future__ import annotations

import html as _html

from ..text.catalog import t
from ..text.provenance import INDEX_COLUMNS, index_summary


def render_index(entries: dict[str, dict], generated: str, lang: str = "en") -> str:
    """The index page: one row per report with its parameters, status, time, error and
    provenance (file names and hashes, never a folder)."""
    rows = []
    for key, e in sorted(entries.items()):
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
    n_ok = sum(e.get("status") == "ok" for e in entries.values())
    n_fail = sum(e.get("status") == "failed" for e in entries.values())
    head = "".join(f'<th scope="col">{_html.escape(t(f"index.col.{c}", lang))}</th>'
                   for c in INDEX_COLUMNS)
    title = _html.escape(t("index.title", lang))
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{title}</title><style>body{{font-family:system-ui,sans-serif;"
            "margin:1.5rem}table{border-collapse:collapse;font-size:.9rem}th,td{border-bottom:"
            "1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
            f".num{{text-align:right}}</style></head><body><main><h1>{title}</h1>"
            f"<p>{_html.escape(index_summary(n_ok, n_fail, generated, lang))}</p>"
            f"<table><caption>{_html.escape(t('index.caption', lang))}</caption><thead><tr>"
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></main></body>"
            "</html>\n")
