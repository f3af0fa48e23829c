"""Numbers, percentages, intervals and dates formatted for a report's language (via babel); the
few words among them ("procentenheter", "till", "och", "KI") come from the message catalogs.

Everything a report prints goes through here, so a number is rounded once, at the end. The
conventions of the plain numbers (no-break spaces, the minus sign, half-to-even rounding, month
names, an en dash for a missing value) are :mod:`dimios_lib.text.numbers`, which this module
re-exports.
"""

from __future__ import annotations

from .catalog import t
from .numbers import (
    LOCALES,
    MISSING,
    date,
    decimal,
    integer,
    is_missing,
    level,
    locale,
    number,
    pct,
    pct_exact,
    percent_sign,
    round_label,
)

__all__ = ["LOCALES", "MISSING", "ci", "ci_label", "date", "decimal", "integer", "interval",
           "join", "level", "locale", "number", "pct", "pct_exact", "points", "round_label",
           "with_interval"]


def points(x, lang: str = "sv", decimals: int = 1) -> str:
    """A signed difference of percentages in percentage points.

    >>> points(3.25, "sv")
    '+3,2 procentenheter'
    >>> points(-1, "en")
    '-1.0 percentage points'
    """
    if is_missing(x):
        return MISSING
    return t("fmt.points", lang, value=number(x, lang, decimals, signed=True))


def interval(lo, hi, lang: str = "sv", decimals: int = 0, *, percent: bool = True,
             signed: bool = False) -> str:
    """A confidence interval: ``[40–52 %]`` style, ``40–52\xa0%`` in Swedish.

    >>> interval(40.2, 51.8, "sv")
    '40–52\\xa0%'
    >>> interval(-1.5, 2.5, "en", 1, percent=False, signed=True)
    '-1.5 to +2.5'
    """
    if is_missing(lo) or is_missing(hi):
        return MISSING
    a = number(lo, lang, decimals, signed=signed)
    b = number(hi, lang, decimals, signed=signed)
    # a dash between two signed numbers is ambiguous; write "till"/"to" then
    joined = t("fmt.range", lang, low=a, high=b) if signed else f"{a}–{b}"
    return joined + percent_sign(lang) if percent else joined


def ci_label(ci_level: float, lang: str = "sv") -> str:
    """The short name of a confidence interval at ``ci_level`` (a fraction).

    >>> ci_label(0.95, "sv"), ci_label(0.9, "en")
    ('95\xa0% KI', '90% CI')
    """
    return t("fmt.ci_label", lang, level=level(ci_level, lang))


def ci(lo, hi, lang: str = "sv", decimals: int = 0, *, ci_level: float, percent: bool = True,
       signed: bool = False) -> str:
    """A confidence interval with its name: ``95 % KI 40–52 %``.

    >>> ci(40.2, 51.8, "en", ci_level=0.9)
    '90% CI 40–52%'
    """
    if is_missing(lo) or is_missing(hi):
        return MISSING
    return t("fmt.ci", lang, label=ci_label(ci_level, lang),
             interval=interval(lo, hi, lang, decimals, percent=percent, signed=signed))


def with_interval(x, lo, hi, lang: str = "sv", decimals: int = 0, *, ci_level: float) -> str:
    """A percentage and its confidence interval at ``ci_level``.

    >>> with_interval(48.2, 44.1, 52.3, "sv", ci_level=0.95)
    '48\xa0% (95\xa0% KI 44–52\xa0%)'
    >>> with_interval(48.2, 44.1, 52.3, "en", ci_level=0.9)
    '48% (90% CI 44–52%)'
    """
    if is_missing(x):
        return MISSING
    if is_missing(lo) or is_missing(hi):
        return pct(x, lang, decimals)
    return t("fmt.with_interval", lang, value=pct(x, lang, decimals),
             ci=ci(lo, hi, lang, decimals, ci_level=ci_level))


def join(words: list[str], lang: str = "sv") -> str:
    """``a, b och c`` / ``a, b and c``."""
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return t("fmt.join", lang, head=", ".join(words[:-1]), last=words[-1])
