"""Reference data: Sweden's 290 municipalities and 21 counties, and custom groups.

The list is Statistics Sweden's (SCB) municipality and county codes (``data/kommuner.csv``):
a municipality code is four digits with its leading zero, and its first two digits are the county
code. Codes are always strings.

Custom groups (a shared IT department, a regional association, a project cohort) live in a YAML
file (``data/groups.yaml`` by default; see that file for the shape).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from ..errors import GroupsError, Problem, UnknownReferenceError
from ..io.files import packaged_file

SOURCE = "Statistics Sweden (SCB): municipality and county codes"



@lru_cache(maxsize=1)
def _municipalities() -> pd.DataFrame:
    return pd.read_csv(packaged_file("kommuner.csv"), dtype=str, encoding="utf-8", keep_default_na=False)


def municipalities() -> pd.DataFrame:
    """The 290 municipalities: ``municipality_code, municipality_name, county_code, county_name``.

    Examples
    --------
    >>> m = municipalities()
    >>> len(m), m.loc[m.municipality_code == "0114", "municipality_name"].item()
    (290, 'Upplands Väsby')
    """
    return _municipalities().copy()


def counties() -> pd.DataFrame:
    """The 21 counties: ``county_code, county_name``, with their number of municipalities."""
    m = _municipalities()
    return (m.groupby(["county_code", "county_name"], sort=True).size()
            .rename("n_municipalities").reset_index())


def restore_code(value: object) -> tuple[object, str | None]:
    """A municipality code that lost its leading zero on the way, restored, with a note.

    A code given as a number (papermill's ``-p municipality_code 0114`` arrives as 114) or as
    three-digit text becomes four-digit text when that is a municipality's code. A number that
    YAML read as octal (``0114`` is 76 in YAML 1.1) is restored too. Anything else is returned
    as it is, with no note, for the parameter check to refuse.

    Examples
    --------
    >>> code, note = restore_code(114)
    >>> code, note.split(" (")[0]
    ('0114', "municipality_code 114 read as the code '0114'")
    >>> restore_code(76)[0], restore_code("1883"), restore_code(9999)
    ('0114', ('1883', None), (9999, None))
    """
    codes = set(_municipalities()["municipality_code"])
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int):
        padded = f"{value:04d}"
        if padded in codes:
            return padded, (f"municipality_code {value} read as the code {padded!r} (codes are "
                            "text: a number loses its leading zero)")
        octal = f"{int(format(value, 'o')):04d}" if value >= 0 else ""
        if octal in codes:
            return octal, (f"municipality_code {value} read as the code {octal!r} (YAML reads "
                           f"0{octal[1:]} as the octal number {value}: quote codes, "
                           f"\"{octal}\")")
        return value, None
    if isinstance(value, str) and len(value.strip()) == 3 and value.strip().isdigit():
        padded = "0" + value.strip()
        if padded in codes:
            return padded, f"municipality_code {value!r} read as the code {padded!r}"
    return value, None


def municipality_names(codes: Iterable[str]) -> list[str]:
    """Names for municipality codes; an unknown code raises :class:`UnknownReferenceError`."""
    lookup = dict(zip(_municipalities()["municipality_code"], _municipalities()["municipality_name"]))
    codes = list(codes)
    unknown = [c for c in codes if c not in lookup]
    if unknown:
        raise UnknownReferenceError(f"unknown municipality codes {unknown}; expected four-digit SCB codes")
    return [lookup[c] for c in codes]


def is_municipality_code(codes: pd.Series) -> pd.Series:
    """Boolean mask: which of ``codes`` are in the reference list."""
    return codes.isin(set(_municipalities()["municipality_code"]))


@dataclass(frozen=True)
class Group:
    """A named set of municipalities."""

    id: str
    name_sv: str
    name_en: str
    kind: str
    source: str
    members: tuple[str, ...]

    def name(self, lang: str = "sv") -> str:
        return self.name_sv if lang == "sv" else self.name_en


def load_groups(path: str | Path | None = None) -> dict[str, Group]:
    """Load and validate a custom-groups YAML file (the packaged groups when ``path`` is None).

    Every problem is reported at once: a missing field, a duplicate group id, a member code that is
    not a municipality, a member listed twice.

    Examples
    --------
    >>> groups = load_groups()
    >>> len(groups["goteborgsregionen"].members), groups["mora-orsa-alvdalen"].members
    (13, ('2062', '2034', '2039'))
    """
    source = packaged_file("groups.yaml") if path is None else Path(path)
    name = str(source)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GroupsError([Problem(name, None, None, None, "file not found")]) from None
    except yaml.YAMLError as exc:
        raise GroupsError([Problem(name, None, None, None, f"expected valid YAML ({exc})")]) from None
    entries = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise GroupsError([Problem(name, None, "groups", None, "expected a list under 'groups:'")])
    known = set(_municipalities()["municipality_code"])
    problems: list[Problem] = []
    groups: dict[str, Group] = {}
    for n, entry in enumerate(entries, start=1):
        where = f"group #{n}"
        if not isinstance(entry, dict):
            problems.append(Problem(name, None, where, str(entry), "expected a mapping"))
            continue
        gid = str(entry.get("id", "")).strip()
        where = f"group {gid!r}" if gid else where
        for key in ("id", "name_sv", "name_en", "members"):
            if not entry.get(key):
                problems.append(Problem(name, None, f"{where}: {key}", None, "expected a value"))
        if gid in groups:
            problems.append(Problem(name, None, f"{where}: id", gid, "duplicate group id"))
        members = entry.get("members") or []
        codes = []
        for code in members:
            text = str(code)
            if isinstance(code, int) or text not in known:
                problems.append(Problem(
                    name, None, f"{where}: members", text,
                    "expected a four-digit municipality code in quotes, e.g. \"0114\""))
            elif text in codes:
                problems.append(Problem(name, None, f"{where}: members", text, "listed twice"))
            else:
                codes.append(text)
        if gid and gid not in groups:
            groups[gid] = Group(gid, str(entry.get("name_sv", "")), str(entry.get("name_en", "")),
                                str(entry.get("kind", "")), str(entry.get("source", "")),
                                tuple(codes))
    if problems:
        raise GroupsError(problems)
    return groups


def resolve_group(spec: str | Iterable[str], *, groups: dict[str, Group] | None = None) -> Group:
    """A group from a custom-group id, ``county:NN``, or a list of municipality codes."""
    if not isinstance(spec, str):
        codes = tuple(str(c) for c in spec)
        municipality_names(codes)  # validates
        return Group("custom", "", "", "list", "codes given", codes)  # named by the text layer
    if spec.startswith("county:") or spec.startswith("län:"):
        county = spec.split(":", 1)[1].zfill(2)
        m = _municipalities()
        members = tuple(m.loc[m["county_code"] == county, "municipality_code"])
        if not members:
            raise UnknownReferenceError(f"unknown county code {county!r}; expected 01-25 (SCB)")
        cname = m.loc[m["county_code"] == county, "county_name"].iloc[0]
        return Group(f"county-{county}", cname, cname, "county", SOURCE, members)
    groups = load_groups() if groups is None else groups
    if spec not in groups:
        raise UnknownReferenceError(f"unknown group {spec!r}; known groups: {sorted(groups)} "
                              "or county:NN")
    return groups[spec]
