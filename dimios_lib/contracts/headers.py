"""Recognising the columns of a wide export: item ids, the item bank's question texts, a user's
own wording, and a few known extra columns.

Survey tools export one column per question, headed by the question's text, not by the item
id. A header is matched to an item

1. by its item id (``EFF1``), ignoring case;
2. by a user's mapping file (``--item-map``): two columns, the header as the export writes it
   and the item id (``rubrik;item_id``, or ``header``/``fråga``/``question`` and
   ``item_id``/``item``/``frågeid``);
3. by the item bank's question text in Swedish or English (``capability_sv``,
   ``capability_en``);
4. by the same with numbering, a leading or bracketed item id and closing punctuation left out
   (``"3. Koppling till strategisk planering?"``, ``"EFF1 – Koppling ..."``,
   ``"Koppling ... [EFF1]"``).

Headers are compared as :func:`dimios_lib.io.tables.header_key` gives them (composed Unicode,
blanks collapsed, case ignored). An unknown header that is close to a question text gets the
text as a hint.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataValidationError, Problem
from ..io.tables import header_key, read_table
from ..reference.items import ItemBank

MAP_HEADER = ("header", "rubrik", "kolumn", "column", "fråga", "fraga", "question", "text",
              "frågetext")
MAP_ITEM = ("item_id", "item", "frågeid", "fråge-id", "id")
HOW = {"id": "item id", "map": "the item map", "sv": "the item bank's Swedish question text",
       "en": "the item bank's English question text", "loose": "question text (numbering or "
       "punctuation aside)", "tagged": "an item id in the column name"}
"""How a header was matched, as a note says it."""

_NUMBERING = re.compile(r"^(?:(?:q|fråga|fraga|nr)\s*)?\d{1,3}(?:[.:)]|\s+[-–—]|\s)\s*",
                        re.IGNORECASE)
_TRAIL = re.compile(r"[\s?.:!*…]+$")


def loose(key: str) -> str:
    """A header key with leading numbering and closing punctuation left out.

    Examples
    --------
    >>> loose("3. koppling till strategisk planering?")
    'koppling till strategisk planering'
    >>> loose("q12 - öppna data*")
    'öppna data'
    """
    return _TRAIL.sub("", _NUMBERING.sub("", key)).strip()


@dataclass
class ItemHeaders:
    """Header keys that name items, and how each was learnt (see :func:`item_headers`)."""

    bank: ItemBank
    exact: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (item, how)
    by_loose: dict[str, str] = field(default_factory=dict)           # loose key -> item
    ids: dict[str, str] = field(default_factory=dict)                # id key -> item
    tags: tuple[re.Pattern, ...] = ()

    def match(self, header: str) -> tuple[str | None, str]:
        """The item a header names and how it was recognised (``(None, "")``: no item)."""
        key = header_key(header)
        if key in self.ids:
            return self.ids[key], "id"
        if key in self.exact:
            return self.exact[key]
        lk = loose(key)
        if lk in self.by_loose:
            return self.by_loose[lk], "loose"
        for tag in self.tags:
            m = tag.search(key)
            if m:
                return self.ids[m.group(1)], "tagged"
        return None, ""

    def keys(self) -> set[str]:
        """Every exact key (for finding the header row)."""
        return set(self.ids) | set(self.exact)

    def suggestion(self, header: str) -> str | None:
        """The question text closest to an unknown header, if one is close."""
        key = loose(header_key(header))
        if len(key) < 8:
            return None
        texts: dict[str, tuple[str, str]] = {}
        for lang in ("sv", "en"):
            for item, text in zip(self.bank.items["item_id"], self.bank.items[f"capability_{lang}"]):
                texts.setdefault(loose(header_key(text)), (item, text))
        close = difflib.get_close_matches(key, list(texts), n=1, cutoff=0.75)
        if not close:
            return None
        item, text = texts[close[0]]
        return f"{text!r} ({item})"


def item_headers(bank: ItemBank, mapping: dict[str, str] | None = None) -> ItemHeaders:
    """What headers name which items: ids, a user's ``mapping`` (header -> item id), and the
    bank's question texts. A text that two items share names neither (it is ambiguous).

    Examples
    --------
    >>> from dimios_lib.reference.items import load_item_bank
    >>> h = item_headers(load_item_bank(), {"Vår strategi": "EFF1"})
    >>> [h.match(x) for x in ("eff1", "Vår strategi", "Öppna data", "2. Open data?",
    ...                       "Öppen källkod [INN3]", "Ålder")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('EFF1', 'id'), ('EFF1', 'map'), ('INN2', 'sv'), ('INN2', 'loose'), ('INN3', 'tagged'),
     (None, '')]
    """
    out = ItemHeaders(bank)
    out.ids = {header_key(i): i for i in bank.item_ids}
    texts: dict[str, set[tuple[str, str]]] = {}
    for lang in ("sv", "en"):
        for item, text in zip(bank.items["item_id"], bank.items[f"capability_{lang}"]):
            if header_key(text) != header_key(item):
                texts.setdefault(header_key(text), set()).add((item, lang))
    for key, found in texts.items():
        if len({i for i, _ in found}) == 1:
            item, lang = sorted(found)[0]
            out.exact[key] = (item, lang)
    loose_keys: dict[str, set[str]] = {}
    for key, (item, _) in out.exact.items():
        loose_keys.setdefault(loose(key), set()).add(item)
    out.by_loose = {k: next(iter(v)) for k, v in loose_keys.items() if len(v) == 1 and k}
    for header, item in (mapping or {}).items():
        out.exact[header_key(header)] = (item, "map")
    ids = "|".join(sorted((re.escape(k) for k in out.ids), key=len, reverse=True))
    if ids:
        out.tags = (re.compile(rf"^({ids})(?:\s*[-–—:.)]|\s)"), re.compile(rf"[\[(]({ids})[\])]$"))
    return out


def read_item_map(path: str | Path, bank: ItemBank) -> dict[str, str]:
    """A user's mapping of export headers (question texts in their own wording) to item ids.

    The file is a table with a header column (``header``, ``rubrik``, ``fråga``, ``question``,
    ...) and an item column (``item_id``, ``item``, ``frågeid``). Every problem at once: missing
    columns, unknown item ids, a header mapped twice to different items.

    Raises
    ------
    DataValidationError

    Examples
    --------
    >>> import tempfile
    >>> from dimios_lib.reference.items import load_item_bank
    >>> f = Path(tempfile.mkdtemp()) / "map.csv"
    >>> _ = f.write_text("rubrik;item_id\\nHur väl kopplas IT till planeringen?;EFF1\\n",
    ...                  encoding="utf-8")
    >>> read_item_map(f, load_item_bank())
    {'Hur väl kopplas IT till planeringen?': 'EFF1'}
    """
    table = read_table(path)
    frame = table.frame
    keys = {header_key(c): c for c in frame.columns}
    head = next((keys[k] for k in MAP_HEADER if k in keys), None)
    item = next((keys[k] for k in MAP_ITEM if k in keys), None)
    problems = []
    if head is None or item is None:
        problems.append(Problem(table.file, table.header_row, None, ", ".join(frame.columns),
                                "expected two columns: the header as the export writes it "
                                "('rubrik' or 'header') and its item id ('item_id')",
                                kind="item map"))
        raise DataValidationError(problems)
    out: dict[str, str] = {}
    first: dict[str, tuple[int, str]] = {}
    known = set(bank.item_ids)
    for row, h, i in zip(frame.index, frame[head], frame[item]):
        h, i = (h or "").strip(), (i or "").strip()
        if not h and not i:
            continue
        if i not in known:
            problems.append(Problem(table.file, int(row), item, i,
                                    f"expected an item id of the item bank ({bank.version}), "
                                    f"e.g. {bank.item_ids[0]!r}", kind="item map"))
            continue
        key = header_key(h)
        if key in first and first[key][1] != i:
            problems.append(Problem(table.file, int(row), head, h, "this header is mapped to "
                                    f"another item on row {first[key][0]}", kind="item map"))
            continue
        first.setdefault(key, (int(row), i))
        out[h] = i
    if problems:
        raise DataValidationError(problems)
    return out
