"""Reading tabular files as Swedish offices and survey tools produce them, every cell as text.

CSV: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), else Windows-1252; separator
``;``, ``,`` or tab, sniffed, or named by Excel's ``sep=;`` first line; CRLF, LF or CR alone; a
separator at the end of every line; text in decomposed Unicode (macOS) read as composed. Excel
(``.xlsx``/``.xlsm``, :mod:`dimios_lib.io.excel`): the first *visible* sheet unless one is named.
A file whose content is not what its name says (a workbook named ``.csv``, text named ``.xls``)
is read for what it is, with a note; an old binary ``.xls`` or a web page is refused with the way
out.

When the caller says which header names it knows (``header_names``), the header is the row among
the first 30 with the most of them: title rows and merged group headings above it are left out,
with a note. Every cell is kept as text so that nothing is coerced on the way in (a municipality
code keeps its leading zero); the caller parses and validates. Row numbers are the ones a user
sees in a spreadsheet: the header is row 1 unless rows stand above it.

Every row must have as many cells as the header has names: a file where most rows have one cell
more (or fewer) is one problem, "the columns would be shifted", never hundreds of misplaced
values.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Set
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem
from .grid import (
    HEADER_SEARCH,
    Table,
    drop_empty_unnamed,
    find_header,
    header_key,
    header_problems,
)
from .sniff import (
    HEAD_BYTES,
    bom_encoding,
    file_kind,
    head_text,
    is_nfc,
    is_utf8,
    nfc,
    scan_lines,
    sniff_separator,
    split_sep_line,
)

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
OLD_EXCEL = ".xls"
SAVE_AS = ("open it in Excel and save it as an Excel workbook (.xlsx) or as 'CSV UTF-8', "
           "then read that file")


def data_files(path: str | Path) -> list[Path]:
    """The table files a folder holds (CSV, text and Excel files, sorted by name; hidden files,
    Excel's ``~$`` lock files and ``.meta.json`` sidecars left out), or ``[path]`` for a file.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for n in ("b.csv", "a.xlsx", "a.csv.meta.json", "~$a.xlsx", ".x.csv", "notes.md"):
    ...     _ = (folder / n).write_text("x")
    >>> [p.name for p in data_files(folder)]
    ['a.xlsx', 'b.csv']
    """
    path = Path(path)
    if not path.is_dir():
        return [path]
    kinds = CSV_SUFFIXES | EXCEL_SUFFIXES | {OLD_EXCEL}
    return sorted((p for p in path.iterdir() if p.is_file() and p.suffix.lower() in kinds
                   and not p.name.startswith((".", "~$"))), key=lambda p: p.name)


def _problem(name: str, expected: str, value: str | None = None, *, kind: str) -> DataValidationError:
    return DataValidationError([Problem(name, None, None, value, expected, kind=kind)])


def read_table(path: str | Path, *, sheet: str | None = None,
               header_names: Set[str] | None = None) -> Table:
    """Read a CSV or Excel file into a :class:`Table` of text cells.

    Parameters
    ----------
    path : path
        The file.
    sheet : str, optional
        The Excel sheet (default: the first visible sheet with a header; see
        :func:`dimios_lib.io.excel.read_workbook`).
    header_names : set of str, optional
        Header names the caller knows, as :func:`header_key` gives them: the header row is
        found among the first rows by them (title rows above it are left out, with a note).
        Without them the header is the first row.

    Raises
    ------
    DataValidationError
        If the file is missing, empty, of an unknown kind, cannot be decoded, has rows whose
        cell count differs from the header's, or an empty or duplicate header name (every such
        problem listed).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "export.csv"
    >>> _ = f.write_bytes("sep=;\\r\\nKommunkod;Svar;\\r\\n0114;4;\\r\\n".encode("utf-16"))
    >>> t = read_table(f)
    >>> t.frame.to_dict("list"), t.separator, t.frame.index.tolist()
    ({'Kommunkod': ['0114'], 'Svar': ['4']}, ';', [2])
    >>> for note in t.notes:
    ...     print(note)
    UTF-16 text (Excel's "Unicode text") read
    Excel's 'sep=;' first line read as the separator
    the separator at the end of every line left out
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise _problem(name, "file not found", kind="not found")
    if path.is_dir():
        raise _problem(name, "expected a file, found a folder", kind="not found")
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if not head.strip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"):
        raise _problem(name, "the file is empty: expected a header row and rows of answers",
                       kind="empty")
    suffix = path.suffix.lower()
    kind = file_kind(head)
    notes: list[str] = []
    if kind == "ole2":
        raise _problem(name, "an Excel 97-2003 workbook (.xls) cannot be read: " + SAVE_AS,
                       kind="file kind")
    if kind == "html":
        raise _problem(name, "a web page (HTML), not a table, although named "
                       f"{suffix or 'without a suffix'} (some survey tools save HTML as .xls): "
                       "export CSV or Excel from the tool, or " + SAVE_AS, kind="file kind")
    if suffix not in CSV_SUFFIXES | EXCEL_SUFFIXES | {OLD_EXCEL}:
        raise _problem(name, "expected a .csv, .txt, .tsv, .xlsx or .xlsm file", suffix or "",
                       kind="file kind")
    if kind == "xlsx":
        from .excel import read_workbook

        if suffix not in EXCEL_SUFFIXES:
            notes.append(f"an Excel workbook named {suffix} read as a workbook")
        return read_workbook(path, sheet=sheet, header_names=header_names, notes=notes)
    if suffix in EXCEL_SUFFIXES | {OLD_EXCEL}:
        notes.append(f"a text file named {suffix} read as CSV")
    return _read_text(path, head, header_names, notes)


def _read_text(path: Path, head: bytes, header_names: Set[str] | None,
               notes: list[str]) -> Table:
    name = str(path)
    encoding = bom_encoding(head)
    source: Path | bytes = path
    if encoding is not None and encoding.startswith("utf-16"):
        try:
            text = path.read_bytes().decode(encoding)
        except UnicodeDecodeError as exc:
            raise _problem(name, "expected UTF-16 text (the file starts like it) but byte "
                           f"{exc.start} is not", kind="encoding") from None
        source = text.lstrip("\ufeff").encode("utf-8")
        head_str = head_text(source[:HEAD_BYTES], "utf-8")
        read_as, label = "utf-8", "utf-16"
        notes.append('UTF-16 text (Excel\'s "Unicode text") read')
    else:
        ok, bad_at = is_utf8(path, skip=3 if encoding == "utf-8-sig" else 0)
        if ok:
            read_as = label = encoding or "utf-8"
        elif encoding == "utf-8-sig":
            raise _problem(name, "expected UTF-8 text (the file starts with UTF-8's mark) but "
                           f"byte {bad_at} is not UTF-8", kind="encoding")
        else:
            try:
                with open(path, encoding="cp1252") as fh:
                    for _ in iter(lambda: fh.read(1 << 20), ""):
                        pass
            except UnicodeDecodeError as exc:
                raise _problem(name, "expected UTF-8 or Windows-1252 text",
                               repr(exc.object[exc.start:exc.end]), kind="encoding") from None
            read_as = label = "cp1252"
        head_str = head_text(head, read_as)
    if "\r" in head_str and "\n" not in head_str:
        notes.append("lines end with CR alone (old Mac format)")
    sep_line, rest = split_sep_line(head_str)
    lines = rest.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:HEADER_SEARCH + 1]
    sep = sep_line or sniff_separator(lines[:HEADER_SEARCH])
    if sep_line:
        notes.append(f"Excel's 'sep={sep}' first line read as the separator")
    records = list(itertools.islice(csv.reader(io.StringIO(rest, newline=""), delimiter=sep),
                                    HEADER_SEARCH))
    if not records or not any(c.strip() for c in records[0]) and header_names is None:
        raise _problem(name, "expected a header row", kind="header")
    at, _ = find_header(records, header_names)
    above = [r for r in records[:at] if any(c.strip() for c in r)]
    if above:
        first = next(c.strip() for c in above[0] if c.strip())
        notes.append(f"{len(above)} row{'s' if len(above) > 1 else ''} above the header left "
                     f"out (a title or group headings; row {records.index(above[0]) + 1}: "
                     f"{first[:50]!r})")
    raw_header = records[at]
    header = [nfc(h).strip() for h in raw_header]
    if any(not h.isascii() and not is_nfc(h) for h in raw_header):
        notes.append("column names in decomposed Unicode (as macOS writes them) read as "
                     "composed")
    header_row = at + 1
    skip = (1 if sep_line else 0) + at + 1
    scan = scan_lines(source, encoding=read_as, sep=sep, skip_records=skip,
                      first_row=header_row + 1)
    width, extra, problems = _check_widths(name, header, scan, sep, header_row)
    if problems:
        raise DataValidationError(problems)
    frame = pd.read_csv(io.BytesIO(source) if isinstance(source, bytes) else source, sep=sep,
                        header=None, names=list(range(width + extra)), skiprows=skip,
                        dtype=object, keep_default_na=False, na_filter=False,
                        skip_blank_lines=False, encoding=read_as, quotechar='"', engine="c")
    frame = frame.iloc[:, :width]
    frame.columns = header[:width]
    frame.index = pd.RangeIndex(header_row + 1, header_row + 1 + len(frame), name="row")
    if len(frame) != scan.rows:
        blank = (frame.apply(lambda s: s.str.strip()) == "").all(axis=1)
        frame = frame.loc[~blank]
    if scan.decomposed:
        if _compose(frame):
            notes.append("text in decomposed Unicode (as macOS writes it) read as composed")
    frame, more = drop_empty_unnamed(frame, sep)
    notes += more
    if extra:
        notes.append(f"the {sep!r} at the end of every row left out (its cell is empty)")
    problems = header_problems(list(frame.columns), name, header_row)
    if problems:
        raise DataValidationError(problems)
    return Table(frame, name, label, sep, tuple(notes), header_row=header_row)


def _compose(frame: pd.DataFrame) -> bool:
    """Compose (NFC) the decomposed text cells of ``frame`` in place; whether any was."""
    changed = False
    for col in frame.columns:
        values = frame[col]
        bad = [u for u in pd.unique(values) if isinstance(u, str) and not u.isascii()
               and not is_nfc(u)]
        if bad:
            frame[col] = values.replace({u: nfc(u) for u in bad})
            changed = True
    return changed


def _check_widths(name: str, header: list[str], scan, sep: str, header_row: int
                  ) -> tuple[int, int, list[Problem]]:
    """The number of named columns to read, the extra empty cell to drop (0 or 1), and the
    problems of rows whose cell count is off."""
    width = len(header)
    trailing = len(header) - len(list(itertools.dropwhile(lambda h: not h, reversed(header))))
    named = width - trailing
    if not scan.rows:
        return width, 0, []
    ok = set(range(named, width + 1)) if trailing else {width}
    extra = 0
    if not trailing and set(scan.widths) <= {width, width + 1} and scan.widths.get(width + 1) \
            and scan.last_empty.get(width + 1):
        ok.add(width + 1)  # a separator at the end of the rows (not of the header)
        extra = 1
    wrong = {w: c for w, c in scan.widths.items() if w not in ok}
    if not wrong:
        return width, extra, []
    sep_name = {";": "';'", ",": "','", "\t": "tab"}.get(sep, repr(sep))
    total = scan.rows
    top, count = max(wrong.items(), key=lambda kv: kv[1])
    problems = []
    if count * 2 >= total and count > 1:
        rows = scan.first_rows[top]
        if top > width:
            hint = ("a column without a name in the header (a row number?), or the separator "
                    f"{sep_name} inside values (put such values in quotes, or export with "
                    "another separator)")
        else:
            hint = (f"a column name too many, or the separator {sep_name} inside a column "
                    "name")
        problems.append(Problem(
            name, None, None, f"{top} cells, e.g. rows {', '.join(map(str, rows[:5]))}",
            f"the header (row {header_row}) names {width} columns but {count:,} of {total:,} "
            f"rows have {top} cells, so every column would be shifted: {hint}",
            kind="shifted"))
        del wrong[top]
    for w, c in sorted(wrong.items()):
        rows = scan.first_rows[w]
        problems += [Problem(name, r, None, f"{w} cells",
                             f"expected {width} cells separated by {sep_name}, as in the header",
                             kind="ragged") for r in rows]
        if c > len(rows):
            problems.append(Problem(name, None, None, f"{w} cells",
                                    f"and {c - len(rows):,} more rows with {w} cells where the "
                                    f"header has {width}", kind="ragged more"))
    problems.sort(key=lambda p: (p.row is None, p.row or 0))
    return width, extra, problems


@dataclass
class Headers:
    """A file's headers mapped to canonical names (see :func:`map_headers`)."""

    canonical: dict[str, str]  # canonical name -> header as in the file
    items: dict[str, str]      # item id -> header as in the file (wide files)
    notes: list[str]
    problems: list[Problem]
    matched: dict[str, list[str]] = field(default_factory=dict)  # how -> headers matched so


def map_headers(table: Table, aliases: dict[str, str], *, ignore: Set[str] = frozenset(),
                items: dict[str, str] | None = None,
                unknown: str | Callable[[str], str],
                match: Callable[[str], tuple[str | None, str]] | None = None) -> Headers:
    """Map each header to a canonical column through ``aliases`` (header key -> name) or to an
    item id through ``items`` (header key -> id) or ``match`` (header -> (id, how) or
    ``(None, "")``); headers are compared by :func:`header_key`. A header in ``ignore`` is left
    out with a note. A second header for the same canonical column or item, and an unknown
    header, are problems on the header row; ``unknown`` is what the message says was expected
    instead (or makes that text from the header)."""
    items = items or {}
    ignored = {header_key(i) for i in ignore}
    out = Headers({}, {}, [], [])
    row = table.header_row
    for header in table.frame.columns:
        key = header_key(header)
        if header in ignore or key in ignored:
            out.notes.append(f"column {header!r} left out on request")
            continue
        if key in aliases:
            name = aliases[key]
            if name in out.canonical:
                out.problems.append(Problem(table.file, row, header, header,
                                            f"a second column for {name!r} (first: "
                                            f"{out.canonical[name]!r})", kind="header"))
            out.canonical.setdefault(name, header)
            continue
        item, how = (items[key], "id") if key in items else (
            match(header) if match is not None else (None, ""))
        if item is None:
            out.problems.append(Problem(table.file, row, header, header,
                                        unknown if isinstance(unknown, str) else unknown(header),
                                        kind="unknown column"))
        elif item in out.items:
            out.problems.append(Problem(table.file, row, header, header,
                                        f"a second column for item {item!r} (first: "
                                        f"{out.items[item]!r})", kind="header"))
        else:
            out.items[item] = header
            out.matched.setdefault(how, []).append(header)
    return out
