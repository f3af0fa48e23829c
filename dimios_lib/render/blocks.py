"""Report building blocks that display the same in JupyterLab and in the exported HTML.

Each block is a small object with ``_repr_html_`` (what JupyterLab and nbconvert show) and a plain
text ``__repr__``. Text is escaped here, once; numbers arrive already formatted
(:mod:`dimios_lib.text.fmt`). Tables are real ``<table>`` elements with a ``<caption>`` and
``<th scope>`` headers; figures are ``<figure>`` elements with an embedded PNG, its ``alt`` text
and a caption, so an exported report needs no other file and no network.

:func:`record` attaches a report's key figures to the notebook as ``application/json`` output
(JupyterLab shows it as a collapsible JSON tree; the HTML export leaves it out), so tests and the
batch index read numbers, not pixels.
"""

from __future__ import annotations

import base64
import html as _html
import io
import json
from collections.abc import Iterable, Sequence

import pandas as pd

RECORD_MIME = "application/json"
RECORD_KEY = "dimios_record"


def esc(text) -> str:
    return _html.escape(str(text), quote=True)


class Block:
    """An HTML fragment with a text fallback."""

    def __init__(self, html: str, text: str = ""):
        self.html = html
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text or self.html

    def __add__(self, other: Block) -> Block:
        return Block(self.html + other.html, "\n".join(t for t in (self.text, other.text) if t))


def _slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(p for p in keep.split("-") if p)[:60]


def heading(level: int, text: str) -> Block:
    """``<h1>`` … ``<h4>`` with an id for in-page links."""
    if level not in (1, 2, 3, 4):
        raise ValueError("heading level must be 1-4")
    return Block(f'<h{level} id="{_slug(text)}">{esc(text)}</h{level}>', f"{'#' * level} {text}")


def para(*sentences: str, cls: str | None = None) -> Block:
    """A paragraph from sentences (empty ones are left out)."""
    text = " ".join(s for s in sentences if s)
    klass = f' class="{esc(cls)}"' if cls else ""
    return Block(f"<p{klass}>{esc(text)}</p>", text)


def note(text: str, *, cls: str = "") -> Block:
    """A highlighted note (synthetic data, too few respondents, warnings)."""
    klass = f"note {cls}".strip()
    return Block(f'<p class="{esc(klass)}" role="note">{esc(text)}</p>', text)


def bullets(items: Iterable[str]) -> Block:
    items = [i for i in items if i]
    lis = "".join(f"<li>{esc(i)}</li>" for i in items)
    return Block(f"<ul>{lis}</ul>", "\n".join(f"- {i}" for i in items))


def keyfigures(figures: Sequence[tuple[str, str, str | Sequence[str]]]) -> Block:
    """Headline figures as a definition list: ``(label, value, detail)``; ``detail`` is a line
    or a list of lines (interval, references, change)."""
    def lines(detail) -> list[str]:
        return [detail] if isinstance(detail, str) else list(detail)

    parts = "".join(f'<div class="kf"><dt>{esc(label)}</dt><dd><span class="kf-value">'
                    f"{esc(value)}</span>"
                    + "".join(f'<span class="kf-detail">{esc(d)}</span>'
                              for d in lines(detail) if d)
                    + "</dd></div>" for label, value, detail in figures)
    text = "\n".join(f"{label}: {value} {' · '.join(lines(detail))}".rstrip()
                     for label, value, detail in figures)
    return Block(f'<dl class="keyfigures">{parts}</dl>', text)


def table(frame: pd.DataFrame, caption: str, *, row_header: bool = True,
          numeric: Sequence[str] | None = None,
          links: Sequence[str | None] | None = None) -> Block:
    """A formatted table (every cell already a string) with caption and scoped headers.

    The first column is the row header (``<th scope="row">``) when ``row_header``; ``numeric``
    names the columns to right-align (default: every column after the first); ``links`` (one
    per row, or None) makes the first cell of a row a link.
    """
    cols = list(frame.columns)
    right = set(cols[1:] if numeric is None else numeric)
    head = "".join(f'<th scope="col"{" class=num" if c in right else ""}>{esc(c)}</th>'
                   for c in cols)
    body = []
    for i, row in enumerate(frame.itertuples(index=False, name=None)):
        cells = []
        for j, (c, v) in enumerate(zip(cols, row)):
            v = "–" if v is None or (isinstance(v, float) and pd.isna(v)) else v
            klass = ' class="num"' if c in right else ""
            href = links[i] if links is not None and j == 0 else None
            text = f'<a href="{esc(href)}">{esc(v)}</a>' if href else esc(v)
            if j == 0 and row_header:
                cells.append(f'<th scope="row"{klass}>{text}</th>')
            elif href:
                cells.append(f"<td{klass}>{text}</td>")
            else:
                cells.append(f"<td{klass}>{esc(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    html = (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{esc(caption)}">'
            f'<table class="report-table"><caption>{esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")
    text = caption + "\n" + frame.to_string(index=False)
    return Block(html, text)


def csv_data_uri(frame: pd.DataFrame) -> str:
    """A table as a CSV that opens right in Swedish Excel (semicolon, decimal comma, UTF-8 with
    BOM), as a percent-encoded ``data:`` URI so the page stays self-contained.

    >>> csv_data_uri(pd.DataFrame({"a": [1.5]}))
    'data:text/csv;charset=utf-8,%EF%BB%BFa%0D%0A1%2C5%0D%0A'
    """
    from urllib.parse import quote

    text = frame.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return "data:text/csv;charset=utf-8," + quote("\ufeff" + text, safe="")


def chart(svg: str, alt: str, caption: str, data: pd.DataFrame, *, data_caption: str,
          csv: pd.DataFrame | None = None, filename: str = "data.csv",
          show_table: str = "Data", download: str = "CSV",
          numeric: Sequence[str] | None = None, links: Sequence[str | None] | None = None,
          open_table: bool = False) -> Block:
    """A chart (inline SVG markup, its ``<title>`` the alt text) with its caption, the data
    behind it as a table (in a ``<details>`` box) and a CSV download of that data.

    ``alt`` is also put in front of the SVG for screen readers that skip SVG titles
    (visually hidden); ``data`` holds the formatted cells, ``csv`` the raw values.
    """
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    tab = table(data, data_caption, numeric=numeric, links=links).html
    link = (f'<a class="download" download="{esc(filename)}" '
            f'href="{csv_data_uri(data if csv is None else csv)}">{esc(download)}</a>')
    html = (f'<figure class="chart">{cap}<div class="chart-body">{svg}</div>'
            f'<details class="chart-data"{" open" if open_table else ""}>'
            f"<summary>{esc(show_table)}</summary>{tab}"
            f"<p>{link}</p></details></figure>")
    return Block(html, f"[figure: {alt}]\n{data.to_string(index=False)}")


def section(part: str, *blocks: Block, handout: bool = False) -> Block:
    """Blocks inside ``<section class="part">``; ``handout`` marks the parts printed in the
    two-page handout (see :mod:`dimios_lib.render.page`)."""
    inner = Block("")
    for b in blocks:
        inner = inner + b
    klass = f"part part-{part}" + (" handout" if handout else "")
    return Block(f'<section class="{klass}" data-part="{esc(part)}">{inner.html}</section>',
                 inner.text)


def contents(entries: Sequence[tuple[str, str]], label: str) -> Block:
    """A table of contents: ``(heading text, heading text again or an id)`` pairs linking to the
    ids :func:`heading` gives."""
    lis = "".join(f'<li><a href="#{_slug(target)}">{esc(text)}</a></li>'
                  for text, target in entries)
    return Block(f'<nav class="toc" aria-label="{esc(label)}"><details><summary class="toc-title">'
                 f"{esc(label)}</summary><ol>{lis}</ol></details></nav>",
                 "\n".join(t for t, _ in entries))


def raw(html: str, text: str = "") -> Block:
    """Markup made by :mod:`dimios_lib.render` itself (charts, maps)."""
    return Block(html, text)


def heat_table(frame: pd.DataFrame, caption: str, gaps: pd.DataFrame) -> Block:
    """A table whose cells carry a background tint from ``gaps`` (differences in points, same
    shape as ``frame`` without its first column; :func:`dimios_lib.render.svg.tint`). The text
    stays dark on every tint, so the printed values, not the colours, carry the content."""
    from .svg import tint

    cols = list(frame.columns)
    head = "".join(f'<th scope="col"{" class=num" if j else ""}>{esc(c)}</th>'
                   for j, c in enumerate(cols))
    body = []
    for i, row in enumerate(frame.itertuples(index=False, name=None)):
        cells = [f'<th scope="row">{esc(row[0])}</th>']
        for j, v in enumerate(row[1:]):
            colour = tint(gaps.iat[i, j]) if gaps is not None else ""
            style = f' style="background:{colour}"' if colour else ""
            cells.append(f'<td class="num"{style}>{esc(v)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    html = (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{esc(caption)}">'
            f'<table class="report-table heat"><caption>{esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")
    return Block(html, caption + "\n" + frame.to_string(index=False))


def print_header(text: str) -> Block:
    """The running header of every printed page (CSS page-margin box), e.g. the municipality,
    the round and "SYNTETISKA DATA"."""
    safe = text.replace("\\", "").replace('"', "'").replace("<", "").replace("\n", " ")
    return Block(f'<style>@page {{ @top-left {{ content: "{safe}"; }} }}</style>'
                 f'<p class="print-only running">{esc(text)}</p>', "")


def figure(fig, alt: str, caption: str = "", *, dpi: int = 110) -> Block:
    """A matplotlib figure as an embedded PNG with alt text; closes the figure."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight",
                metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return Block(f'<figure><img src="data:image/png;base64,{data}" alt="{esc(alt)}">{cap}'
                 "</figure>", f"[figure: {alt}]")


def show(*blocks: Block) -> None:
    """Display blocks in the notebook (one output per call)."""
    from IPython.display import HTML, display

    joined = blocks[0]
    for b in blocks[1:]:
        joined = joined + b
    display(HTML(joined.html))


def record(values: dict) -> None:
    """Attach key figures to the notebook output as JSON (not part of the exported HTML)."""
    from IPython.display import display

    payload = json.loads(json.dumps(values, default=_jsonable))
    display({RECORD_MIME: {RECORD_KEY: payload}}, raw=True, metadata={RECORD_KEY: True})


def _jsonable(x):
    if hasattr(x, "item"):
        return x.item()
    if isinstance(x, (set, tuple)):
        return list(x)
    return str(x)


def records(notebook) -> dict:
    """The values :func:`record` attached to an executed notebook (merged, later wins)."""
    out: dict = {}
    for cell in notebook.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            payload = data.get(RECORD_MIME)
            if isinstance(payload, dict) and RECORD_KEY in payload:
                out.update(payload[RECORD_KEY])
    return out


def definitions(entries: Sequence[tuple[str, str]], *, cls: str = "") -> Block:
    """A definition list (a glossary): ``(term, definition)`` pairs."""
    klass = f' class="{esc(cls)}"' if cls else ""
    body = "".join(f"<dt>{esc(term)}</dt><dd>{esc(text)}</dd>" for term, text in entries)
    return Block(f"<dl{klass}>{body}</dl>", "\n".join(f"{a}: {b}" for a, b in entries))


def handout_link(show_text: str, back_text: str) -> Block:
    """The links between the full page and its two-page handout view (the page's parts marked
    ``handout``; no script: the ``#handout`` target switches the view, see the page CSS)."""
    return Block(f'<p class="handout-link no-print" id="handout"><a class="to-handout" '
                 f'href="#handout">{esc(show_text)}</a><a class="to-full" href="#">'
                 f"{esc(back_text)}</a></p>", "")


def report_link(notebook: str, name: str) -> str:
    """The relative address of another report of the batch (``outputs/<notebook>/<name>.html``)
    from a report page; it resolves in the batch's output folder."""
    return f"../{notebook}/{name}.html"


def collapsible(summary: str, *blocks: Block) -> Block:
    """Blocks in a closed ``<details>`` box with a ``summary`` line (a long table a reader may
    open)."""
    inner = Block("")
    for b in blocks:
        inner = inner + b
    return Block(f'<details class="chart-data"><summary>{esc(summary)}</summary>{inner.html}'
                 "</details>", inner.text)
