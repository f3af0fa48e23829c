"""The self-contained page around an executed notebook, and the rules every shared page keeps.

The export uses nbconvert's ``basic`` template (body only: no CDN scripts, fonts or styles) with
code, prompts, stderr and recorded JSON left out, wrapped in our own page: ``<html lang>`` set to
the report's language, a ``<title>`` from the report's ``<h1>``, inline CSS, a ``<main>``
landmark. :func:`check_html` verifies the rules every shared report must keep.
"""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser

MAX_BYTES = 2 * 1024 * 1024
REMOVE_TAG = "remove-cell"
LOCAL_PATH = re.compile(r"(?:/home/|/tmp/|/Users/|/root/|/private/|/var/folders/|"
                        r"[A-Za-z]:\\\\|[A-Za-z]:\\(?=[A-Za-z]))")


EXTERNAL = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""",
                      re.IGNORECASE)


CSS_EXTERNAL = re.compile(r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import)""", re.IGNORECASE)
CSS = """
:root { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; line-height: 1.5; color: #1a1a1a; background: #fff; margin: 0;
  overflow-wrap: break-word; }
main { max-width: 56rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.4rem; margin: 2.2rem 0 0.6rem; border-bottom: 2px solid #0072B2;
  padding-bottom: 0.2rem; }
h3 { font-size: 1.15rem; margin: 1.4rem 0 0.5rem; }
p, li { max-width: 48rem; }
a { color: #005a8c; }
.note { background: #fff4d6; border-left: 5px solid #9E5A00; padding: 0.6rem 0.9rem; }
.banner { font-weight: 700; letter-spacing: 0.02em; }
.lead { font-size: 1.08rem; }
.verdict { font-size: 1.2rem; line-height: 1.45; border-left: 5px solid #0072B2;
  padding: 0.3rem 0 0.3rem 0.9rem; }
figure { margin: 1.2rem 0; }
figure img { max-width: 100%; height: auto; }
figcaption { font-size: 0.92rem; color: #333; margin-bottom: 0.4rem; }
.chart-body { overflow: hidden; }
.chart-svg { display: block; width: 100%; height: auto; }
svg.map { max-width: 22rem !important; }
.chart-panels { display: grid;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr));
  gap: 0.6rem 1rem; }
.chart-panels.wide-panels {
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 24rem), 1fr)); }
.chart-narrow { display: none; }
@media (max-width: 40rem) { .chart-wide { display: none; } .chart-narrow { display: block; } }
details.chart-data { margin: 0.3rem 0 0; font-size: 0.92rem; }
details.chart-data summary { cursor: pointer; color: #005a8c; }
.table-scroll { overflow-x: auto; max-width: 100%; margin: 0.8rem 0 1.2rem; }
.table-scroll:focus { outline: 2px solid #0072B2; }
table.report-table { border-collapse: collapse; font-size: 0.92rem; }
table.report-table caption { text-align: left; font-weight: 600; padding: 0.3rem 0;
  caption-side: top; }
table.report-table th, table.report-table td { border-bottom: 1px solid #ccc;
  padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
table.report-table thead th { border-bottom: 2px solid #333; }
table.report-table .num { text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
dl.keyfigures { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
  gap: 0.8rem; margin: 1rem 0; }
dl.keyfigures .kf { border: 1px solid #bbb; border-radius: 6px; padding: 0.5rem 0.9rem; }
dl.keyfigures dt { font-size: 0.9rem; color: #333; font-weight: 600; }
dl.keyfigures dd { margin: 0; }
.kf-value { display: block; font-size: 1.6rem; font-weight: 700; }
.kf-detail { display: block; font-size: 0.85rem; color: #333; }
nav.toc { border: 1px solid #ccc; border-radius: 6px; padding: 0.4rem 1rem; margin: 1rem 0; }
nav.toc ol { margin: 0.2rem 0; padding-left: 1.3rem; columns: 2 14rem; }
.toc-title { font-weight: 600; margin: 0.2rem 0; cursor: pointer; color: #005a8c; }
.print-only { display: none; }
.handout-link { font-size: 0.95rem; }
.handout-link .to-full { display: none; }
html:has(#handout:target) .handout-link .to-full { display: inline; }
html:has(#handout:target) .handout-link .to-handout { display: none; }
dl.glossary dt { font-weight: 600; }
dl.glossary dd { margin: 0 0 0.5rem 0; }
footer { font-size: 0.85rem; color: #444; border-top: 1px solid #ccc; margin-top: 2rem;
  padding-top: 0.6rem; }
html:has(#handout:target) section.part:not(.handout),
html:has(#handout:target) nav.toc, html:has(#handout:target) .chart-data { display: none; }
@page { size: A4; margin: 16mm 14mm 16mm 14mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; } }
@page { @top-left { font-size: 9pt; color: #333; font-family: system-ui, Arial, sans-serif; }
  @bottom-right { font-family: system-ui, Arial, sans-serif; } }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 18pt; margin-top: 0; }
  h2 { font-size: 13pt; margin-top: 1.2rem; break-after: avoid; }
  h3 { break-after: avoid; }
  figure, table, dl.keyfigures .kf, .verdict { break-inside: avoid; }
  nav.toc, .handout-link, details.chart-data:not([open]), details.chart-data summary,
  a.download, .no-print { display: none; }
  .chart-wide { display: block; } .chart-narrow { display: none; }
  .chart-svg { max-width: 15cm !important; }
  .chart-panels .chart-svg { max-width: 8.5cm !important; }
  .table-scroll { overflow: visible; }
  section.part-appendix, section.part-gap { break-before: page; }
  .verdict { font-size: 12pt; }
  svg.map { max-width: 9cm !important; }
  html:has(#handout:target) section.part-gap .chart-svg { max-width: 11.5cm !important; }
  footer { font-size: 7.5pt; margin-top: 0.8rem; }
  section.part-appendix table.report-table { font-size: 8.5pt; }
  section.part-appendix table.report-table th, section.part-appendix table.report-table td
  { padding: 0.15rem 0.4rem; }
  html:has(#handout:target) footer { font-size: 7pt; margin-top: 0.4rem; padding-top: 0.2rem; }
  html:has(#handout:target) h2 { margin-top: 0.6rem; }
  html:has(#handout:target) section.part-summary .type-text { display: none; }
  .print-only { display: block; }
  .running { display: none; }
  a { color: inherit; text-decoration: none; }
  dl.keyfigures { grid-template-columns: repeat(3, 1fr); gap: 0.4rem; }
  .kf-value { font-size: 15pt; }
}
"""


def _strip(nb):
    """A copy without what a shared page must not show: code, stderr, records, tagged cells."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if REMOVE_TAG in tags or "injected-parameters" in tags or "parameters" in tags:
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream")
                            and o.get("output_type") != "error"
                            and not (o.get("metadata", {}).get("dimios_record"))]
        cells.append(cell)
    nb.cells = cells
    return nb


class _Outline(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.headings: list[tuple[int, str]] = []
        self.images: list[str | None] = []
        self.tables = 0
        self.table_headers = 0
        self._in_heading: int | None = None
        self._text: list[str] = []
        self.title = ""
        self._in_title = False
        self.viewport = False
        self.svgs: list[dict] = []          # viewBox, width, title text of each top <svg>
        self._svg_depth = 0
        self._svg_title = False
        self.svg_text: list[str] = []       # every text inside an <svg>
        self.figures: list[bool] = []       # whether each <figure> holds a <table>
        self._figure_depth = 0
        self.unboxed_tables = 0             # tables outside a .table-scroll box
        self._stack: list[tuple[str, str]] = []  # open elements: (tag, class)
        self.wide: list[str] = []           # fixed widths over MAX_FIXED_WIDTH

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in VOID:
            self._stack.append((tag, a.get("class") or ""))
        for name in ("width", "min-width"):  # drawing units inside an <svg> scale with it
            if tag != "svg" and not self._svg_depth and name in a \
                    and _px(a[name]) > MAX_FIXED_WIDTH:
                self.wide.append(f"<{tag} {name}={a[name]!r}>")
        for m in CSS_WIDTH.finditer(a.get("style") or ""):
            if _px(m.group(2)) > MAX_FIXED_WIDTH:
                self.wide.append(f"<{tag} style={a.get('style')!r}>")
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "meta" and a.get("name") == "viewport":
            self.viewport = "width=device-width" in (a.get("content") or "")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._in_heading = int(tag[1])
            self._text = []
        elif tag == "img":
            self.images.append(a.get("alt"))
        elif tag == "table":
            self.tables += 1
            if self._figure_depth:
                self.figures[-1] = True
            if not any("table-scroll" in c for _, c in self._stack[:-1]):
                self.unboxed_tables += 1
        elif tag == "th":
            self.table_headers += 1
        elif tag == "title" and self._svg_depth:
            self._svg_title = True
        elif tag == "title":
            self._in_title = True
        elif tag == "svg":
            if not self._svg_depth:
                self.svgs.append({"viewBox": a.get("viewbox"), "width": a.get("width"),
                                  "title": ""})
            self._svg_depth += 1
        elif tag == "figure":
            self._figure_depth += 1
            self.figures.append(False)

    def handle_endtag(self, tag):
        if self._stack and tag not in VOID:
            while self._stack and self._stack.pop()[0] != tag:
                pass
        if self._in_heading and tag == f"h{self._in_heading}":
            self.headings.append((self._in_heading, "".join(self._text).strip()))
            self._in_heading = None
        if tag == "title":
            self._in_title = False
            self._svg_title = False
        elif tag == "svg":
            self._svg_depth -= 1
        elif tag == "figure":
            self._figure_depth -= 1

    def handle_data(self, data):
        if self._in_heading:
            self._text.append(data)
        if self._in_title:
            self.title += data
        if self._svg_title and self.svgs:
            self.svgs[-1]["title"] += data
        elif self._svg_depth:
            self.svg_text.append(data)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "circle", "line", "rect", "polyline", "polygon", "path", "stop", "use"}
MAX_FIXED_WIDTH = 320
"""No element may be fixed wider than this (px): a 320 px phone never scrolls sideways."""
CSS_WIDTH = re.compile(r"(?<![-\w])(width|min-width)\s*:\s*([0-9.]+)px", re.IGNORECASE)
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")


def _px(value) -> float:
    m = re.match(r"\s*([0-9.]+)\s*(px)?\s*$", str(value))
    return float(m.group(1)) if m else 0.0


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def check_html(html: str, lang: str, *, forbidden: tuple[str, ...] = ()) -> list[str]:
    """Every way ``html`` breaks the rules for a shared report (empty list = fine).

    Rules: ``<html lang>`` is the report language; exactly one ``<h1>`` and no skipped heading
    level; every image has alt text; tables have header cells; no reference to a network
    address (scripts, styles, fonts, images, links); no local file path; none of the
    ``forbidden`` strings (e.g. respondent ids); under 2 MB. For phones, zoom and charts: a
    viewport tag; every ``<svg>`` with a ``viewBox``, ``width="100%"`` and a ``<title>``;
    every ``<figure>`` holds the table of its data; every table in a scroll box; no element,
    style or CSS rule fixed wider than 320 px; no decimal point in a Swedish chart's text.
    """
    problems = []
    size = len(html.encode("utf-8"))
    if size >= MAX_BYTES:
        problems.append(f"page is {size:,} bytes; expected under {MAX_BYTES:,}")
    o = outline(html)
    if o.html_lang != lang:
        problems.append(f"<html lang> is {o.html_lang!r}; expected {lang!r}")
    h1 = [h for h in o.headings if h[0] == 1]
    if len(h1) != 1:
        problems.append(f"{len(h1)} <h1> headings; expected exactly one")
    prev = 0
    for level, text in o.headings:
        if level > prev + 1:
            problems.append(f"heading level jumps from h{prev} to h{level} at {text!r}")
        prev = level
    if any(not (alt or "").strip() for alt in o.images):
        problems.append("an image has no alt text")
    if o.tables and o.table_headers == 0:
        problems.append("a table has no header cells")
    for m in EXTERNAL.finditer(html):
        problems.append(f"network reference: {html[m.start():m.end() + 40]!r}")
    for m in CSS_EXTERNAL.finditer(html):
        problems.append(f"network reference in CSS: {html[m.start():m.end() + 40]!r}")
    for m in LOCAL_PATH.finditer(html):
        problems.append(f"local file path: {html[max(0, m.start() - 20):m.end() + 40]!r}")
    for s in forbidden:
        if s and s in html:
            problems.append(f"forbidden text in page: {s!r}")
    problems += _reader_rules(o, html, lang)
    return problems


def _reader_rules(o: _Outline, html: str, lang: str) -> list[str]:
    """The rules for phones, zoom and charts (see :func:`check_html`)."""
    problems = []
    if not o.viewport:
        problems.append("no <meta name=viewport content=width=device-width>")
    for k, svg in enumerate(o.svgs):
        if not svg["viewBox"]:
            problems.append(f"<svg> number {k + 1} has no viewBox")
        if svg["width"] != "100%":
            problems.append(f"<svg> number {k + 1} is not width=100%")
        if not svg["title"].strip():
            problems.append(f"<svg> number {k + 1} has no <title> (its alt text)")
    if not all(o.figures):
        problems.append(f"{o.figures.count(False)} <figure> without the table of its data")
    if o.unboxed_tables:
        problems.append(f"{o.unboxed_tables} <table> outside a scroll box (class table-scroll)")
    for w in o.wide:
        problems.append(f"fixed width over {MAX_FIXED_WIDTH}px: {w[:80]}")
    for m in CSS_WIDTH.finditer("".join(re.findall(r"<style>(.*?)</style>", html, re.S))):
        if _px(m.group(2)) > MAX_FIXED_WIDTH:
            problems.append(f"fixed width over {MAX_FIXED_WIDTH}px in CSS: {m.group(0)!r}")
    if lang == "sv":
        for text in o.svg_text:
            if DECIMAL_POINT.search(text):
                problems.append(f"decimal point in a Swedish chart: {text.strip()[:60]!r}")
    return problems


def to_html(nb, lang: str, *, footer: str = "") -> str:
    """The executed notebook as one self-contained HTML page (see module docstring)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic", exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True,
                            anchor_link_text="")
    body, _ = exporter.from_notebook_node(_strip(nb))
    h1 = next((t for level, t in outline(body).headings if level == 1), "DiMiOS")
    foot = f"<footer>{footer}</footer>" if footer else ""
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_escape(h1)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            f"{body}\n{foot}\n</main>\n</body>\n</html>\n")


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)
