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


def note(text: str) -> Block:
    """A highlighted note (synthetic data, too few respondents, warnings)."""
    return Block(f'<p class="note" role="note">{esc(text)}</p>', text)


def bullets(items: Iterable[str]) -> Block:
    items = [i for i in items if i]
    lis = "".join(f"<li>{esc(i)}</li>" for i in items)
    return Block(f"<ul>{lis}</ul>", "\n".join(f"- {i}" for i in items))


def keyfigures(figures: Sequence[tuple[str, str, str]]) -> Block:
    """Headline figures as a definition list: ``(label, value, detail)``."""
    parts = "".join(f'<div class="kf"><dt>{esc(label)}</dt><dd><span class="kf-value">'
                    f"{esc(value)}</span>"
                    + (f'<span class="kf-detail">{esc(detail)}</span>' if detail else "")
                    + "</dd></div>" for label, value, detail in figures)
    text = "\n".join(f"{label}: {value} {detail}".rstrip() for label, value, detail in figures)
    return Block(f'<dl class="keyfigures">{parts}</dl>', text)


def table(frame: pd.DataFrame, caption: str, *, row_header: bool = True,
          numeric: Sequence[str] | None = None) -> Block:
    """A formatted table (every cell already a string) with caption and scoped headers.

    The first column is the row header (``<th scope="row">``) when ``row_header``; ``numeric``
    names the columns to right-align (default: every column after the first).
    """
    cols = list(frame.columns)
    right = set(cols[1:] if numeric is None else numeric)
    head = "".join(f'<th scope="col"{" class=num" if c in right else ""}>{esc(c)}</th>'
                   for c in cols)
    body = []
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for j, (c, v) in enumerate(zip(cols, row)):
            v = "–" if v is None or (isinstance(v, float) and pd.isna(v)) else v
            klass = ' class="num"' if c in right else ""
            if j == 0 and row_header:
                cells.append(f'<th scope="row"{klass}>{esc(v)}</th>')
            else:
                cells.append(f"<td{klass}>{esc(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    html = (f'<table class="report-table"><caption>{esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    text = caption + "\n" + frame.to_string(index=False)
    return Block(html, text)


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
