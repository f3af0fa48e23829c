"""The data contract for national reference figures: what a municipality's own export is
compared with when it holds no other municipality's answers.

A municipality that exports only its own answers has no national data in its file; comparing it
with "riket" computed from that file would compare it with itself. National figures published
elsewhere (DiMiOS's national report, say) can be given as a small table instead:

================== =========================================================================
column             contract
================== =========================================================================
round              ``YYYY-MM`` (``omgång``)
measure            ``maturity``, ``capability`` or ``legacy`` (``mognad``, ``förmåga``,
                   ``arv``), a category of the item bank (``Effektivitet``), or an item id or
                   question text (``EFF1``) (``mått``)
national           the national mean in percent, 0-100 (``riket``, ``nationellt``, ``värde``;
                   ``48,5`` and ``48 %`` are read)
n_municipalities   optional: how many municipalities the mean is over (``antal kommuner``)
source             optional: where the figures come from (``källa``), shown with them
================== =========================================================================

Every problem is reported at once; one figure per round and measure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem
from ..io.tables import header_key, read_table
from ..reference.items import ItemBank, load_item_bank
from .parsing import MONTH

ALIASES = {
    "round": ("round", "omgång", "mätomgång", "period"),
    "measure": ("measure", "mått", "matt", "område", "kategori", "category", "item", "item_id",
                "fråga", "förmåga"),
    "national": ("national", "nationellt", "riket", "riksgenomsnitt", "värde", "value", "pct",
                 "procent", "medel"),
    "n_municipalities": ("n_municipalities", "antal kommuner", "antal_kommuner", "kommuner"),
    "source": ("source", "källa", "kalla"),
}
MEASURE_NAMES = {"maturity": "maturity", "mognad": "maturity", "digital mognad": "maturity",
                 "capability": "capability", "förmåga": "capability",
                 "digital förmåga": "capability", "legacy": "legacy", "arv": "legacy",
                 "digitalt arv": "legacy"}
_PERCENT = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*%?$")


def _measures(bank: ItemBank) -> dict[str, tuple[str, str]]:
    """Header key -> (level, key) of everything a figure may be of."""
    out = {k: ("measure", v) for k, v in MEASURE_NAMES.items()}
    for row in bank.categories.itertuples():
        for text in (row.category, row.label_sv, row.label_en):
            out.setdefault(header_key(text), ("category", row.category))
    for row in bank.items.itertuples():
        for text in (row.item_id, row.capability_sv, row.capability_en):
            out.setdefault(header_key(text), ("item", row.item_id))
    return out


def read_national(path: str | Path, *, bank: ItemBank | None = None) -> pd.DataFrame:
    """Read national reference figures (see the module docstring).

    Returns
    -------
    DataFrame
        ``round, level, key, national, n_municipalities`` (``level`` is ``measure``,
        ``category`` or ``item``); ``attrs``: ``source`` (the file name) and ``cited`` (the
        distinct texts of the ``source`` column).

    Raises
    ------
    DataValidationError
        Listing every problem.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "riket.csv"
    >>> _ = f.write_text("Omgång;Mått;Riket;Källa\\n2024-05;Mognad;55,0;DiMiOS 2024\\n"
    ...                  "2024-05;Effektivitet;51 %;DiMiOS 2024\\n", encoding="utf-8")
    >>> ref = read_national(f)
    >>> ref[["level", "key", "national"]].to_numpy().tolist(), ref.attrs["cited"]
    ([['measure', 'maturity', 55.0], ['category', 'Effektivitet', 51.0]], ['DiMiOS 2024'])
    """
    bank = load_item_bank() if bank is None else bank
    table = read_table(path, header_names={header_key(a) for v in ALIASES.values() for a in v})
    file = table.file
    lookup = {header_key(a): c for c, names in ALIASES.items() for a in names}
    columns: dict[str, str] = {}
    problems: list[Problem] = []
    for header in table.frame.columns:
        name = lookup.get(header_key(header))
        if name is None or name in columns:
            problems.append(Problem(file, table.header_row, header, header,
                                    "unknown or repeated column: expected round, measure, "
                                    "national, and optionally n_municipalities and source",
                                    kind="national column"))
        else:
            columns[name] = header
    for name in ("round", "measure", "national"):
        if name not in columns:
            problems.append(Problem(file, table.header_row, name, None, "expected this column",
                                    kind="national column"))
    if problems:
        raise DataValidationError(problems)
    if table.frame.empty:
        raise DataValidationError([Problem(file, None, None, None, "no figures: the file has a "
                                           "header but no rows", kind="empty")])
    measures = _measures(bank)
    rows = []
    seen: dict[tuple[str, str], int] = {}
    frame = table.frame.fillna("")
    for row, rec in zip(frame.index, frame.to_dict("records")):
        rnd = str(rec[columns["round"]]).strip()[:10]
        rnd = rnd[:7] if re.fullmatch(r"\d{4}-\d{2}-01( 00:00:00)?", str(rec[columns["round"]])
                                      .strip()) else rnd
        if not MONTH.match(rnd):
            problems.append(Problem(file, int(row), columns["round"], rnd,
                                    "expected a round as YYYY-MM, e.g. '2024-05'",
                                    kind="national round"))
        measure = str(rec[columns["measure"]]).strip()
        found = measures.get(header_key(measure))
        if found is None:
            problems.append(Problem(file, int(row), columns["measure"], measure,
                                    "expected maturity, capability or legacy (mognad, förmåga, "
                                    "arv), a category or an item of the item bank",
                                    kind="national measure"))
        text = str(rec[columns["national"]]).strip()
        m = _PERCENT.match(text)
        value = float(m.group(1).replace(",", ".")) if m else None
        if value is None or not 0 <= value <= 100:
            problems.append(Problem(file, int(row), columns["national"], text,
                                    "expected a percentage from 0 to 100", kind="national value"))
        n = str(rec.get(columns.get("n_municipalities", ""), "")).strip()
        if n and not n.isdigit():
            problems.append(Problem(file, int(row), columns["n_municipalities"], n,
                                    "expected a whole number", kind="national count"))
        if found is not None:
            key = (rnd, f"{found[0]}:{found[1]}")
            if key in seen:
                problems.append(Problem(file, int(row), columns["measure"], measure,
                                        f"a second figure for {measure!r} in {rnd} (first on "
                                        f"row {seen[key]})", kind="national duplicate"))
            seen.setdefault(key, int(row))
            rows.append({"round": rnd, "level": found[0], "key": found[1], "national": value,
                         "n_municipalities": int(n) if n.isdigit() else None,
                         "source": str(rec.get(columns.get("source", ""), "")).strip()})
    if problems:
        raise DataValidationError(problems)
    out = pd.DataFrame(rows, columns=["round", "level", "key", "national", "n_municipalities",
                                      "source"])
    cited = [s for s in dict.fromkeys(out["source"]) if s]
    out = out.drop(columns="source")
    out.attrs.update(source=Path(path).name, cited=cited)
    return out
