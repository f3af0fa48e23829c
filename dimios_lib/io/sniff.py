"""What a file is before it is read: its kind (text, a workbook, an old Excel file, a web page),
its encoding, its line ends, its separator, and a scan of every line's cell count.

Office programs write tables in more ways than a CSV reader expects. Excel's "Unicode text" is
UTF-16 with tabs; its "CSV (Macintosh)" ends lines with CR alone; it may start a file with a
``sep=;`` line; survey tools save HTML or CSV under an ``.xls`` name; macOS writes letters such
as "å" decomposed (NFD). Everything here works on bytes or on the first part of a file, so that
a 200 MB export is never held in memory as text.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HEAD_BYTES = 1 << 18
"""How much of a file is looked at to find its kind, encoding, separator and header."""
SEPARATORS = (";", "\t", ",")
SEP_LINE = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)
"""Excel's first line naming the separator: ``sep=;``."""
_NFD_UTF8 = re.compile(rb"[\xcc\xcd][\x80-\xbf]")
"""UTF-8 bytes of a combining mark (U+0300-U+036F): text written decomposed (NFD)."""


def file_kind(head: bytes) -> str:
    """``xlsx`` (a zip: Office Open XML), ``ole2`` (an Excel 97-2003 ``.xls``), ``html`` or
    ``text``, from a file's first bytes.

    Examples
    --------
    >>> file_kind(b"PK\\x03\\x04..."), file_kind(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1")
    ('xlsx', 'ole2')
    >>> file_kind(b"  <html><table>"), file_kind(b"Kommunkod;Svar")
    ('html', 'text')
    """
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if start.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")) or \
            (start.startswith(b"<") and b"<table" in head[:4096].lower()):
        return "html"
    return "text"


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark or the pattern of NUL bytes gives away, else ``None``.

    UTF-16 without a mark is recognised by its NUL bytes: ASCII text in UTF-16 has one on every
    other byte.

    Examples
    --------
    >>> bom_encoding("Kod".encode("utf-16")), bom_encoding(b"\\xef\\xbb\\xbfKod")
    ('utf-16', 'utf-8-sig')
    >>> bom_encoding("Kod;Svar".encode("utf-16-le")), bom_encoding(b"Kod")
    ('utf-16-le', None)
    """
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(b"\x00") >= len(sample) // 4:
        odd = sample[1::2].count(b"\x00")
        even = sample[0::2].count(b"\x00")
        return "utf-16-le" if odd > even else "utf-16-be"
    return None


def is_utf8(path: Path, *, skip: int = 0) -> tuple[bool, int | None]:
    """Whether a file's bytes (after the first ``skip``) are valid UTF-8, read in 1 MiB chunks;
    also the byte offset of the first invalid byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = skip
    with open(path, "rb") as fh:
        fh.seek(skip)
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return False, offset + exc.start
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, offset
    return True, None


def head_text(head: bytes, encoding: str) -> str:
    """The first bytes of a file decoded, a character cut at the end left out."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return decoder.decode(head, final=False)
    except UnicodeDecodeError as exc:
        return head[:exc.start].decode(encoding, errors="ignore")


def split_sep_line(text: str) -> tuple[str | None, str]:
    """Excel's ``sep=;`` first line: the separator it names and the text after it.

    Examples
    --------
    >>> split_sep_line("sep=;\\r\\nKommunkod;Svar\\r\\n")
    (';', 'Kommunkod;Svar\\r\\n')
    >>> split_sep_line("Kommunkod;Svar\\n")
    (None, 'Kommunkod;Svar\\n')
    """
    first, _, rest = text.partition("\n")
    match = SEP_LINE.match(first.rstrip("\r"))
    if match is None:
        return None, text
    return match.group(1), rest


def sniff_separator(lines: list[str]) -> str:
    """The separator of a table from its first lines: of ``;``, tab and ``,`` the one that splits
    the most lines into the same number of cells (a title line above the header has fewer).

    Examples
    --------
    >>> sniff_separator(["Export, maj 2024", "Kod;Omgång;Svar", "0114;2024-05;4"])
    ';'
    >>> sniff_separator(["a,b", "1,2"]), sniff_separator(["nothing"])
    (',', ',')
    """
    best, best_score = ",", (0, 0, False)
    for sep in SEPARATORS:
        counts = Counter(line.count(sep) for line in lines if line.strip() and sep in line)
        if not counts:
            continue
        width, freq = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = (freq, width, sep == ";")
        if score > best_score:
            best, best_score = sep, score
    return best


def is_nfc(text: str) -> bool:
    """Whether text is in composed Unicode (NFC), the form the reference data uses."""
    return unicodedata.is_normalized("NFC", text)


def nfc(text: str) -> str:
    """Text in composed Unicode (NFC): macOS's decomposed "å" (a + ring) becomes "å"."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


@dataclass
class LineScan:
    """Cell counts of a text file's records after the header (see :func:`scan_lines`)."""

    rows: int = 0                     # non-blank data records
    widths: Counter = field(default_factory=Counter)
    first_rows: dict[int, list[int]] = field(default_factory=dict)  # width -> first row numbers
    last_empty: dict[int, bool] = field(default_factory=dict)       # width -> last cell always empty
    decomposed: bool = False          # NFD text seen (UTF-8 only)
    quoted: bool = False

    def note(self, width: int, row: int, last_empty: bool) -> None:
        self.widths[width] += 1
        rows = self.first_rows.setdefault(width, [])
        if len(rows) < 200:
            rows.append(row)
        self.last_empty[width] = self.last_empty.get(width, True) and last_empty


def scan_lines(source: Path | bytes, *, encoding: str, sep: str, skip_records: int,
               first_row: int) -> LineScan:
    """Count the cells of every record after the first ``skip_records`` (the header and what is
    above it). Records are numbered from ``first_row``; blank records are not counted.

    A file without quote characters is scanned as bytes with numpy (a record is a line); one
    with quotes is read with the ``csv`` module, so that a separator inside quotes is no cell
    boundary. Either way nothing but the counts is kept in memory.

    Examples
    --------
    >>> scan = scan_lines(b"a;b\\n1;2\\n\\n3;4;\\n5\\n", encoding="utf-8", sep=";",
    ...                   skip_records=1, first_row=2)
    >>> sorted(scan.widths.items()), scan.first_rows[3], scan.last_empty[3]
    ([(1, 1), (2, 1), (3, 1)], [4], True)
    """
    if not encoding.startswith("utf-16") and len(sep) == 1 and sep.isascii():
        try:
            return _scan_bytes(source, ord(sep), skip_records, first_row,
                               check_nfd=encoding.startswith("utf-8"))
        except _Quoted:
            pass
    scan = LineScan(quoted=True)
    text_io = (io.TextIOWrapper(io.BytesIO(source), encoding=encoding, newline="")
               if isinstance(source, bytes) else open(source, encoding=encoding, newline=""))
    with text_io as fh:
        reader = csv.reader(fh, delimiter=sep)
        for number, row in enumerate(reader, start=1):
            if number <= skip_records:
                continue
            if not row or all(not c.strip() for c in row):
                continue
            scan.rows += 1
            scan.note(len(row), first_row + number - skip_records - 1, not row[-1].strip())
            if not scan.decomposed and not all(c.isascii() or is_nfc(c) for c in row):
                scan.decomposed = True
    return scan


class _Quoted(Exception):
    """A quote character: the byte scan cannot tell cells apart."""


_CHUNK = 1 << 22


def _chunks(source: Path | bytes):
    if isinstance(source, bytes):
        for start in range(0, len(source), _CHUNK):
            yield source[start:start + _CHUNK]
        return
    with open(source, "rb") as fh:
        yield from iter(lambda: fh.read(_CHUNK), b"")


def _scan_bytes(source: Path | bytes, sep: int, skip_records: int, first_row: int, *,
                check_nfd: bool) -> LineScan:
    scan = LineScan()
    newline = None
    line_no = 0  # records read so far
    carry = b""
    for chunk in _chunks(source):
        if b'"' in chunk:
            raise _Quoted
        if newline is None:
            # CR alone ends a line only in a file without LF (Excel's "CSV (Macintosh)")
            newline = 13 if (b"\r" in chunk and b"\n" not in chunk) else 10
        block = carry + chunk
        cut = block.rfind(bytes([newline]))
        if cut < 0:
            carry = block
            continue
        carry = block[cut + 1:]
        line_no = _count_block(scan, block[:cut + 1], newline, sep, line_no, skip_records,
                               first_row, check_nfd)
    if carry:
        _count_block(scan, carry + bytes([newline or 10]), newline or 10, sep, line_no,
                     skip_records, first_row, check_nfd)
    return scan


def _count_block(scan: LineScan, block: bytes, newline: int, sep: int, line_no: int,
                 skip_records: int, first_row: int, check_nfd: bool) -> int:
    """Count the cells of the lines of ``block`` (each ending with ``newline``); returns the
    number of records read so far."""
    if check_nfd and not scan.decomposed and (b"\xcc" in block or b"\xcd" in block) \
            and _NFD_UTF8.search(block):
        scan.decomposed = True
    arr = np.frombuffer(block, dtype=np.uint8)
    ends = np.flatnonzero(arr == newline)
    starts = np.concatenate(([0], ends[:-1] + 1))
    seps = np.flatnonzero(arr == sep)
    before = np.searchsorted(seps, ends)  # separators before each line end
    per_line = np.diff(before, prepend=0)
    cr = (ends > starts) & (arr[np.maximum(ends - 1, 0)] == 13)
    content = ends - starts - cr
    # a blank record holds nothing but separators and blanks; only short ones need a look
    nonblank = content - per_line
    for k in np.flatnonzero((nonblank > 0) & (nonblank <= 8)):
        if not block[starts[k]:starts[k] + content[k]].replace(bytes([sep]), b"").strip():
            nonblank[k] = 0
    numbers = line_no + 1 + np.arange(len(ends))
    keep = (numbers > skip_records) & (nonblank > 0)
    if keep.any():
        widths = per_line[keep] + 1
        rows = first_row + numbers[keep] - skip_records - 1
        last = before[keep] - 1
        last_sep = np.where(last >= 0, seps[np.maximum(last, 0)] if len(seps) else -1, -1)
        last_empty = (per_line[keep] > 0) & (last_sep == ends[keep] - 1 - cr[keep])
        scan.rows += int(keep.sum())
        for width in np.unique(widths):
            sel = widths == width
            w = int(width)
            scan.widths[w] += int(sel.sum())
            first = scan.first_rows.setdefault(w, [])
            if len(first) < 200:
                first.extend(int(r) for r in rows[sel][:200 - len(first)])
            scan.last_empty[w] = scan.last_empty.get(w, True) and bool(last_empty[sel].all())
    return line_no + len(ends)
