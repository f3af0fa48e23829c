"""The instrument of a before/after study: which items exist, their dimension, scale and wording.

The instrument is data, not code. The packaged default
(``data/instrument_innovation_oecd_v0.1.csv``) has the four lenses of the OECD Observatory of
Public Sector Innovation's innovative-capacity framework — **purpose, potential, capacity,
impact** — as dimensions, with four items each on a 1–7 agreement scale. The framework and its
lenses are published; *the items, their wording and the scale are ours* (an **assumption**, not a
validated instrument). A user's own or a proprietary instrument (Innovation360's survey, say) is a
CSV or Excel file with the columns

================ ========= =================================================================
column           required  contract
================ ========= =================================================================
``item_id``      yes       unique (also ignoring case), non-empty
``dimension``    yes       the dimension (scale) the item belongs to, non-empty
``reverse``      yes       true/false (also ja/nej, yes/no, 1/0): reverse-worded item
``scale_min``    yes       whole number: lowest answer
``scale_max``    yes       whole number above ``scale_min``: highest answer
``label``        no        the item's wording (any language)
``label_sv``     no        Swedish wording (default: ``label``, else the item id)
``label_en``     no        English wording (default: ``label``, else the item id)
``dimension_sv`` no        Swedish name of the dimension (default: the dimension id)
``dimension_en`` no        English name of the dimension (default: the dimension id)
``provenance``   no        where the item comes from
================ ========= =================================================================

and loads with :func:`load_instrument` without code changes. All items of one dimension must share
one scale (a respondent's dimension score is the mean of its items, which needs one scale), and a
dimension's names must be the same on every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataValidationError, InstrumentError, Problem
from ..io.files import packaged_file
from ..io.tables import read_table

DEFAULT_INSTRUMENT = "instrument_innovation_oecd_v0.1.csv"
DEFAULT_INSTRUMENT_VERSION = "innovation-oecd-lenses-0.1"
REQUIRED_COLUMNS = ("item_id", "dimension", "reverse", "scale_min", "scale_max")
OPTIONAL_COLUMNS = ("label", "label_sv", "label_en", "dimension_sv", "dimension_en", "provenance")
TRUE_TOKENS = {"true", "1", "ja", "yes", "sant", "x"}
FALSE_TOKENS = {"false", "0", "nej", "no", "falskt", ""}


@dataclass(frozen=True)
class Instrument:
    """A validated study instrument.

    Attributes
    ----------
    items : DataFrame
        One row per item in file order: ``item_id, dimension, reverse, scale_min, scale_max,
        label_sv, label_en, provenance``.
    dimensions : DataFrame
        One row per dimension in order of first appearance: ``dimension, label_sv, label_en,
        n_items, scale_min, scale_max``.
    version : str
        ``innovation-oecd-lenses-0.1`` for the packaged instrument, else the file name.
    """

    items: pd.DataFrame
    dimensions: pd.DataFrame
    version: str

    @property
    def item_ids(self) -> list[str]:
        return self.items["item_id"].tolist()

    @property
    def dimension_ids(self) -> list[str]:
        return self.dimensions["dimension"].tolist()

    def items_of(self, dimension: str) -> list[str]:
        """The item ids of a dimension, in instrument order."""
        return self.items.loc[self.items["dimension"] == dimension, "item_id"].tolist()

    def label(self, item_id: str, lang: str = "sv") -> str:
        """An item's wording in ``sv`` or ``en``."""
        return self.items.set_index("item_id").at[item_id, f"label_{_lang(lang)}"]

    def dimension_label(self, dimension: str, lang: str = "sv") -> str:
        """A dimension's name in ``sv`` or ``en``."""
        return self.dimensions.set_index("dimension").at[dimension, f"label_{_lang(lang)}"]


def _lang(lang: str) -> str:
    if lang not in ("sv", "en"):
        raise ValueError(f"unknown language {lang!r}; expected 'sv' or 'en'")
    return lang



def _whole(text: str) -> int | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def load_instrument(path: str | Path | None = None) -> Instrument:
    """Load and validate a study instrument; the packaged OECD-lens instrument when ``path`` is None.

    Every problem is reported at once: missing or unknown columns, an empty or duplicate item id,
    an empty dimension, an unreadable reverse flag, a scale bound that is not a whole number or a
    ``scale_max`` not above ``scale_min``, two scales or two names in one dimension.

    Raises
    ------
    InstrumentError
        With one :class:`~dimios_lib.errors.Problem` per defect.

    Examples
    --------
    >>> ins = load_instrument()
    >>> len(ins.items), ins.dimension_ids, int(ins.items["reverse"].sum())
    (16, ['purpose', 'potential', 'capacity', 'impact'], 2)
    >>> ins.dimension_label("capacity", "sv"), ins.label("POT1", "en")
    ('Kapacitet', 'Staff are encouraged to try out new ideas')
    """
    source = packaged_file(DEFAULT_INSTRUMENT) if path is None else Path(path)
    try:
        table = read_table(source)
    except DataValidationError as exc:
        raise InstrumentError(exc.problems) from None
    frame = table.frame.copy()
    frame.columns = [c.strip().casefold() for c in frame.columns]
    name = table.file
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InstrumentError([Problem(name, 1, c, None, "expected this column in an instrument "
                                       "file (see docs/study.md)") for c in missing])
    problems: list[Problem] = []
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    problems += [Problem(name, 1, c, c, "unknown column; expected one of " + ", ".join(known))
                 for c in frame.columns if c not in known]
    frame = frame.apply(lambda s: s.fillna("").astype(str).str.strip())
    if frame.empty:
        raise InstrumentError([Problem(name, None, None, None, "expected at least one item")])
    seen: dict[str, tuple[str, int]] = {}
    dims: dict[str, dict] = {}
    records = []
    for row, rec in frame.iterrows():
        item_id = rec["item_id"]
        if not item_id:
            problems.append(Problem(name, row, "item_id", "", "expected a non-empty item id"))
        elif item_id.casefold() in seen:
            dup, dup_row = seen[item_id.casefold()]
            problems.append(Problem(name, row, "item_id", item_id,
                                    f"duplicate item id ({dup!r} on row {dup_row}; ids are "
                                    "compared ignoring case)"))
        else:
            seen[item_id.casefold()] = (item_id, row)
        dim = rec["dimension"]
        if not dim:
            problems.append(Problem(name, row, "dimension", "", "expected a dimension name"))
        flag = rec["reverse"].casefold()
        if flag in TRUE_TOKENS | FALSE_TOKENS:
            reverse = flag in TRUE_TOKENS
        else:
            reverse = False
            problems.append(Problem(name, row, "reverse", rec["reverse"],
                                    "expected true or false (ja/nej, yes/no, 1/0)"))
        lo, hi = _whole(rec["scale_min"]), _whole(rec["scale_max"])
        for col, value in (("scale_min", lo), ("scale_max", hi)):
            if value is None:
                problems.append(Problem(name, row, col, rec[col], "expected a whole number"))
        if lo is not None and hi is not None and hi <= lo:
            problems.append(Problem(name, row, "scale_max", rec["scale_max"],
                                    f"expected a number above scale_min ({lo})"))
        label = rec.get("label", "")
        names = {"sv": rec.get("dimension_sv", "") or dim, "en": rec.get("dimension_en", "") or dim}
        if dim and lo is not None and hi is not None:
            first: dict[str, Any] = dims.setdefault(dim, {"row": row, "scale": (lo, hi), **names})
            if first["scale"] != (lo, hi):
                problems.append(Problem(
                    name, row, "scale_min", f"{lo}-{hi}",
                    f"expected the scale of dimension {dim!r} on row {first['row']} "
                    f"({first['scale'][0]}-{first['scale'][1]}): a dimension's items share one "
                    "scale"))
            for lang in ("sv", "en"):
                if first[lang] != names[lang]:
                    problems.append(Problem(
                        name, row, f"dimension_{lang}", names[lang],
                        f"expected {first[lang]!r} as on row {first['row']}: a dimension has one "
                        "name per language"))
        records.append({
            "item_id": item_id, "dimension": dim, "reverse": reverse,
            "scale_min": lo, "scale_max": hi,
            "label_sv": rec.get("label_sv", "") or label or item_id,
            "label_en": rec.get("label_en", "") or label or item_id,
            "provenance": rec.get("provenance", ""),
        })
    if problems:
        raise InstrumentError(problems)
    items = pd.DataFrame(records)
    items["scale_min"] = items["scale_min"].astype(int)
    items["scale_max"] = items["scale_max"].astype(int)
    dimensions = pd.DataFrame([
        {"dimension": d, "label_sv": v["sv"], "label_en": v["en"],
         "n_items": int((items["dimension"] == d).sum()),
         "scale_min": v["scale"][0], "scale_max": v["scale"][1]}
        for d, v in dims.items()])
    version = DEFAULT_INSTRUMENT_VERSION if path is None else Path(path).name
    return Instrument(items, dimensions, version)


COMPETENCE_INSTRUMENT = "instrument_digital_competence_v0.1.csv"


def competence_instrument_path() -> Path:
    """The packaged self-rated digital-competence instrument (an assumption, see its rows)."""
    return packaged_file(COMPETENCE_INSTRUMENT)


def load_competence_instrument() -> Instrument:
    """The self-rated digital-competence instrument: five items, one dimension, scale 1–5.

    The items and their wording are **ours** (assumption, not validated; Modig published no
    instrument). One item (``DC4``) is reverse-worded.

    Examples
    --------
    >>> ins = load_competence_instrument()
    >>> ins.dimension_ids, len(ins.items), ins.dimension_label("digital_competence", "sv")
    (['digital_competence'], 5, 'Digital kompetens')
    """
    return load_instrument(competence_instrument_path())
