"""Finding the catalog keys in the code: Babel extractors for Python files, notebooks and the
key families the code builds at run time, and the step that marks the catalogs' format.

``make catalogs`` runs ``pybabel extract`` with ``babel.cfg`` (which names the extractors below)
and the keywords ``t`` and ``tn:1,2``, then ``pybabel update``, then ``python -m
dimios_lib.text.extract --mark-format`` (see docs/text.md).

What counts as a key in a call ``t(key, ...)`` or ``tn(key, n, ...)`` (also ``catalog.t``):

* a string literal: the key;
* a conditional of literals (``t("verdict.up" if x > 0 else "verdict.down", lang)``): each;
* an f-string (``t(f"measure.{m}", lang)``): a key **family**, the pattern ``measure.{}``, whose
  keys :func:`dimios_lib.text.keys.families` enumerates from the code's constants;
* anything else is *opaque*: the tests require there to be none.

A ``tn`` key is a plural entry: its plural id is the key and ``|plural``.
"""

from __future__ import annotations

import ast
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .catalog import placeholders, plural_id

KEYWORDS = ("t", "tn")


@dataclass(frozen=True)
class Use:
    """One use of a key in the code: ``kind`` is ``key``, ``family`` or ``opaque``."""

    lineno: int
    funcname: str
    kind: str
    key: str


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _keys(node: ast.expr) -> Iterator[tuple[str, str]]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield "key", node.value
    elif isinstance(node, ast.IfExp):
        yield from _keys(node.body)
        yield from _keys(node.orelse)
    elif isinstance(node, ast.JoinedStr):
        pattern = "".join(str(v.value) if isinstance(v, ast.Constant) else "{}"
                          for v in node.values)
        yield "family", pattern
    else:
        yield "opaque", ast.unparse(node)


def uses(source: str, keywords: Iterable[str] = KEYWORDS, *, first_line: int = 1) -> list[Use]:
    """Every use of a catalog key in Python source.

    >>> [(u.funcname, u.kind, u.key) for u in uses('t("a.b", lang); tn(f"c.{x}", n, lang)')]
    [('t', 'key', 'a.b'), ('tn', 'family', 'c.{}')]
    """
    keywords = set(keywords)
    out = []
    for node in ast.walk(ast.parse(source)):
        name = _name(node.func) if isinstance(node, ast.Call) else None
        if isinstance(node, ast.Call) and name is not None and name in keywords and node.args:
            out += [Use(node.lineno + first_line - 1, name, kind, key)
                    for kind, key in _keys(node.args[0])]
    return sorted(out, key=lambda u: (u.lineno, u.key))


_MAGIC = re.compile(r"^\s*[%!]")


def notebook_cells(text: str) -> Iterator[tuple[int, str]]:
    """The code cells of a notebook as ``(first line, source)``, lines counted over the code
    cells; IPython magics (``%``, ``!``) are blanked."""
    line = 1
    for cell in json.loads(text).get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        source = "\n".join("" if _MAGIC.match(s) else s for s in source.splitlines())
        yield line, source
        line += source.count("\n") + 1


def file_uses(path: str | Path, keywords: Iterable[str] = KEYWORDS) -> list[Use]:
    """Every use of a catalog key in a ``.py`` file or the code cells of an ``.ipynb``."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        return [u for first, source in notebook_cells(text)
                for u in uses(source, keywords, first_line=first)]
    return uses(text, keywords)


def _messages(found: Iterable[Use]) -> Iterator[tuple[int, str, tuple[str, ...], list[str]]]:
    for u in found:
        if u.kind == "key":
            ids = (u.key, plural_id(u.key)) if u.funcname == "tn" else (u.key,)
            yield u.lineno, u.funcname, ids, []


def extract_python(fileobj, keywords, comment_tags, options):
    """Babel extractor for Python files (``babel.cfg``): the literal keys of ``t``/``tn``."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    yield from _messages(uses(source, keywords))


def extract_notebook(fileobj, keywords, comment_tags, options):
    """Babel extractor for notebooks (``babel.cfg``): the literal keys in the code cells."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    for first, source in notebook_cells(text):
        yield from _messages(uses(source, keywords, first_line=first))


def extract_families(fileobj, keywords, comment_tags, options):
    """Babel extractor for ``dimios_lib/text/keys.py``: every key of every key family."""
    from .keys import family_keys

    for key in sorted(family_keys()):
        yield 1, "t", (key,), []


def mark_brace_format(po: str | Path) -> bool:
    """Flag every entry with ``{placeholders}`` ``python-brace-format`` (and no other entry);
    rewrite the file if that changes it. Returns whether it did.

    ``pybabel update`` cannot keep the flag: Babel sets it only when the message *id* has
    placeholders, and here the ids are keys.
    """
    from babel.messages.pofile import read_po, write_po

    path = Path(po)
    with open(path, "rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        if any(placeholders(s) for s in strings if isinstance(s, str) and s):
            message.flags.add("python-brace-format")
        else:
            message.flags.discard("python-brace-format")
    catalog.fuzzy = False
    buffer = io.BytesIO()
    write_po(buffer, catalog, ignore_obsolete=True, include_previous=False)
    if buffer.getvalue() == path.read_bytes():
        return False
    path.write_bytes(buffer.getvalue())
    return True


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m dimios_lib.text.extract",
                                     description="Mark the catalogs' python-brace-format entries.")
    parser.add_argument("--mark-format", metavar="LOCALE_DIR", required=True,
                        help="folder with <lang>/LC_MESSAGES/dimios.po")
    args = parser.parse_args(argv)
    for po in sorted(Path(args.mark_format).glob("*/LC_MESSAGES/*.po")):
        if mark_brace_format(po):
            print(f"flagged the python-brace-format entries of {po}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
