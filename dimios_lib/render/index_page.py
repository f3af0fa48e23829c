"""The pages of an output folder's index, rendered from its entries (``outputs/index.json``,
:class:`dimios_lib.engine.index.Index` keeps the data; this module only draws it):

* :func:`reader_index`: the reader's list of reports (``index.html`` in Swedish, ``index_en.html``
  in English): overviews, groups, and every municipality by county with its name and headline
  figure, a search box that works offline (a few lines of inline script; without script the
  whole list stays visible), the synthetic-data banner and a link to the run log;
* :func:`run_log`: the run log (``runlog.html``): status, duration, parameters, errors and
  provenance of every report.
"""

from __future__ import annotations

import html as _html
from collections.abc import Mapping

from ..reference.municipalities import counties, load_groups, municipalities
from ..text import fmt
from ..text.catalog import t, tn
from ..text.common import type_label
from ..text.provenance import INDEX_COLUMNS, index_summary
from .page import CSS

SEARCH_SCRIPT = """
(function () {
  var box = document.getElementById('search');
  if (!box) return;
  box.hidden = false;
  var input = box.querySelector('input');
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-search]'));
  var count = document.getElementById('search-count');
  input.addEventListener('input', function () {
    var q = input.value.trim().toLowerCase();
    var shown = 0;
    items.forEach(function (li) {
      var hit = !q || li.getAttribute('data-search').indexOf(q) !== -1;
      li.hidden = !hit; if (hit) shown++;
    });
    document.querySelectorAll('section.county, section.block').forEach(function (s) {
      s.hidden = !!q && !s.querySelector('[data-search]:not([hidden])');
    });
    count.textContent = q ? count.getAttribute('data-template').replace('{n}', shown) : '';
  });
})();
"""

INDEX_CSS = """
ul.reports { list-style: none; padding: 0; margin: 0.3rem 0 1rem;
  columns: 2 16rem; column-gap: 2rem; }
ul.reports li { padding: 0.15rem 0; break-inside: avoid; }
ul.reports .figure { color: #333; font-size: 0.92rem; }
.search input { font-size: 1.05rem; padding: 0.4rem 0.6rem; width: 100%; max-width: 24rem;
  border: 2px solid #555; border-radius: 4px; }
.search label { display: block; font-weight: 600; margin-bottom: 0.2rem; }
nav.counties ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.2rem 0.8rem; }
.status-failed { color: #9b1c1c; }
"""


def _e(text) -> str:
    return _html.escape(str(text), quote=True)


def _page(lang: str, title: str, body: str, *, script: str = "") -> str:
    js = f"<script>{script}</script>" if script else ""
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{CSS}{INDEX_CSS}</style>\n</head>\n<body>\n"
            f"<main>\n{body}\n</main>\n{js}\n</body>\n</html>\n")


def _search_key(*parts: str) -> str:
    return " ".join(p for p in parts if p).lower()


def _headline(entry: Mapping, lang: str) -> str:
    """The municipality's headline figure from its recorded values: maturity and type, or why
    there is none."""
    if entry.get("status") != "ok":
        return t("index.reader.failed", lang)
    rec = entry.get("record") or {}
    if rec.get("status") == "too_few":
        return t("index.reader.too_few", lang)
    if rec.get("status") == "no_data":
        return t("index.reader.no_data", lang)
    value = rec.get("maturity_pct")
    if value is None:
        return ""
    return t("index.reader.headline", lang, value=fmt.pct(value, lang),
             type=type_label(rec.get("type"), lang))


def _link(entry: Mapping, text: str, lang: str = "") -> str:
    """A link to a report (``hreflang`` when it is in another language than the index); a
    failed report's name is not a link."""
    if entry.get("status") != "ok":
        return f'<span class="status-failed">{_e(text)}</span>'
    other = (entry.get("parameters") or {}).get("lang", lang)
    hreflang = f' hreflang="{_e(other)}"' if lang and other != lang else ""
    return f'<a href="{_e(entry["output"])}"{hreflang}>{_e(text)}</a>'


def reader_index(entries: Mapping[str, Mapping], lang: str = "sv", *, generated: str = "",
                 other_lang_href: str = "index_en.html", run_log_href: str = "runlog.html"
                 ) -> str:
    """The reader's index of an output folder (see the module docstring)."""
    by_nb: dict[str, list[tuple[str, Mapping]]] = {}
    for key, e in sorted(entries.items()):
        by_nb.setdefault(e.get("notebook", ""), []).append((key, e))
    synthetic = any((e.get("record") or {}).get("synthetic") for e in entries.values())
    parts = [f"<h1>{_e(t('index.reader.title', lang))}</h1>",
             f'<p class="lead">{_e(t("index.reader.lead", lang))}</p>']
    if synthetic:
        parts.append(f'<p class="note banner" role="note">{_e(t("synthetic.short", lang))}</p>')
    parts.append(f'<p><a href="{_e(other_lang_href)}" hreflang="{"en" if lang == "sv" else "sv"}"'
                 f' lang="{"en" if lang == "sv" else "sv"}">{_e(t("index.reader.other_lang", lang))}'
                 f'</a> · <a href="{_e(run_log_href)}">{_e(t("index.reader.run_log", lang))}</a>'
                 "</p>")
    parts.append(f'<div class="search" id="search" role="search" hidden><label for="q">'
                 f'{_e(t("index.reader.search", lang))}</label><input id="q" type="search" '
                 f'autocomplete="off"><p id="search-count" aria-live="polite" data-template="'
                 f'{_e(t("index.reader.search_count", lang, n="{n}"))}"></p></div>')
    # overviews, groups, studies and follow-ups in the reader's language
    sections = []
    names = _group_names(lang)
    for nb, heading in (("national_overview", t("index.reader.national", lang)),
                        ("group_comparison", t("index.reader.groups", lang)),
                        ("programme_followup", t("index.reader.followup", lang)),
                        ("innovation_study", t("index.reader.studies", lang))):
        items = []
        for _, e in by_nb.get(nb, []):
            params = e.get("parameters", {})
            if params.get("lang", "sv") != lang:
                continue
            label = _report_label(nb, params, names, lang)
            items.append(f'<li data-search="{_e(_search_key(label))}">{_link(e, label)}</li>')
        if items:
            sections.append(f'<section class="block"><h2>{_e(heading)}</h2>'
                            f'<ul class="reports">{"".join(items)}</ul></section>')
    parts += sections
    parts.append(_municipalities(by_nb.get("municipality_report", []), lang))
    known = {"national_overview", "group_comparison", "programme_followup", "innovation_study",
             "municipality_report"}
    others = [f'<li data-search="{_e(key.lower())}">{_link(e, key, lang)}'
              + ("" if e.get("status") == "ok" else
                 f' <span class="figure">{_e(t("index.reader.failed", lang))}</span>') + "</li>"
              for nb, items in sorted(by_nb.items()) if nb not in known for key, e in items]
    if others:
        parts.append(f'<section class="block"><h2>{_e(t("index.reader.others", lang))}</h2>'
                     f'<ul class="reports">{"".join(others)}</ul></section>')
    n_ok = sum(e.get("status") == "ok" for e in entries.values())
    n_failed = sum(e.get("status") == "failed" for e in entries.values())
    parts.append(f"<footer>{_e(index_summary(n_ok, n_failed, generated, lang))}</footer>")
    return _page(lang, t("index.reader.title", lang), "\n".join(parts), script=SEARCH_SCRIPT)


def _group_names(lang: str) -> dict[str, str]:
    out = {g.id: g.name(lang) for g in load_groups().values()}
    out.update({f"county:{r.county_code}": r.county_name for r in counties().itertuples()})
    return out


def _report_label(notebook: str, params: Mapping, names: Mapping[str, str], lang: str) -> str:
    if notebook == "national_overview":
        rnd = params.get("round")
        return t("index.reader.national_round", lang,
                 round=fmt.round_label(rnd, lang) if rnd else t("index.reader.latest", lang))
    if notebook in ("group_comparison", "programme_followup"):
        g = params.get("group", "")
        return names.get(g, t("group.custom", lang)) if isinstance(g, str) else \
            t("group.custom", lang)
    if notebook == "innovation_study":
        return t("index.reader.study", lang)
    return notebook


def _municipalities(reports: list[tuple[str, Mapping]], lang: str) -> str:
    """Every municipality report under its county, newest round first within a municipality."""
    ref = municipalities().set_index("municipality_code")
    by_county: dict[str, list[tuple[str, str]]] = {}
    for _, e in reports:
        params = e.get("parameters", {})
        code = str(params.get("municipality_code", ""))
        if code not in ref.index:
            continue
        name = ref.at[code, "municipality_name"]
        rnd = params.get("round") or (e.get("record") or {}).get("round", "")
        head = _headline(e, lang)
        label = t("index.reader.municipality", lang, name=name,
                  round=fmt.round_label(rnd, lang) if rnd else "")
        item = (f'<li data-search="{_e(_search_key(name, code, ref.at[code, "county_name"]))}">'
                f"{_link(e, label, lang)}"
                + (f' <span class="figure">{_e(head)}</span>' if head else "") + "</li>")
        by_county.setdefault(ref.at[code, "county_code"], []).append((f"{name} {rnd}", item))
    if not by_county:
        return ""
    cs = counties().set_index("county_code")
    nav = "".join(f'<li><a href="#lan-{c}">{_e(cs.at[c, "county_name"])}</a></li>'
                  for c in sorted(by_county))
    out = [f'<h2 id="kommuner">{_e(t("index.reader.municipalities", lang))}</h2>',
           f'<p>{_e(tn("index.reader.municipalities_text", sum(map(len, by_county.values())), lang))}'
           "</p>",
           f'<nav class="counties" aria-label="{_e(t("index.reader.counties", lang))}"><ul>{nav}'
           "</ul></nav>"]
    for c in sorted(by_county):
        out.append(f'<section class="county" id="lan-{c}"><h3>{_e(cs.at[c, "county_name"])}</h3>'
                   f'<ul class="reports">{"".join(i for _, i in sorted(by_county[c]))}</ul>'
                   "</section>")
    return "\n".join(out)


def run_log(entries: Mapping[str, Mapping], lang: str = "sv", *, generated: str = "",
            index_href: str = "index.html") -> str:
    """The run log: one row per report with parameters, status, duration, error and
    provenance."""
    rows = []
    for key, e in sorted(entries.items()):
        link = (f'<a href="{_e(e["output"])}">{_e(key)}</a>' if e.get("status") == "ok"
                else _e(key))
        params = ", ".join(f"{k}={v}" for k, v in e.get("parameters", {}).items())
        prov = e.get("provenance", {})
        inputs = ", ".join(f"{i['name']} {i['sha256'][:12]}" for i in prov.get("inputs", []))
        rows.append(
            f'<tr><th scope="row">{link}</th><td>{_e(e.get("notebook", ""))}</td>'
            f"<td>{_e(params)}</td><td>{_e(e.get('status', ''))}</td>"
            f'<td class="num">{_e(fmt.number(e.get("duration", 0), lang, 1))}</td>'
            f"<td>{_e(str(e.get('error') or ''))}</td>"
            f"<td>{_e(str(prov.get('commit') or ''))} · "
            f"{_e(str(prov.get('library_version') or ''))} · {_e(inputs)} · "
            f"{_e(str(prov.get('time') or '')[:19])}</td></tr>")
    n_ok = sum(e.get("status") == "ok" for e in entries.values())
    n_fail = sum(e.get("status") == "failed" for e in entries.values())
    head = "".join(f'<th scope="col">{_e(t(f"index.col.{c}", lang))}</th>'
                   for c in INDEX_COLUMNS)
    title = t("index.title", lang)
    body = (f"<h1>{_e(title)}</h1><p>{_e(index_summary(n_ok, n_fail, generated, lang))}</p>"
            f'<p><a href="{_e(index_href)}">{_e(t("index.reader.back", lang))}</a></p>'
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="{_e(title)}">'
            f'<table class="report-table"><caption>{_e(t("index.caption", lang))}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
    return _page(lang, title, body)
