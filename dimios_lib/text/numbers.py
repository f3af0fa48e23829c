"""Numbers, percentages and dates in a report language's conventions (Unicode CLDR, through
Babel): no words, so the message catalog can use them too. :mod:`dimios_lib.text.fmt` adds the
formats that carry words (intervals, percentage points, lists) and re-exports these.

========  =====================  =====================
          ``sv`` (sv_SE)         ``en`` (en_GB)
========  =====================  =====================
number    ``12 345,6``           ``12,345.6``
percent   ``42,3 %``             ``42.3%``
negative  ``−3,2`` (U+2212)      ``-3.2``
round     ``maj 2024``           ``May 2024``
date      ``23 november 2026``   ``23 November 2026``
========  =====================  =====================

The spaces in Swedish numbers are no-break spaces (U+00A0), as CLDR has them, so a number never
breaks over two lines. Rounding is Babel's default, half to even (62.5 and 63.5 print as 62 and
64), applied once, when the number is printed. Missing values print as an en dash.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

from babel.dates import format_date
from babel.numbers import format_decimal, get_minus_sign_symbol, get_plus_sign_symbol

LOCALES = {"sv": "sv_SE", "en": "en_GB"}


MISSING = "–"


_ROUND = re.compile(r"^(\d{4})-(\d{2})$")


def locale(lang: str) -> str:
    """The babel locale of a report language (``sv`` or ``en``)."""
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"unknown report language {lang!r}; expected 'sv' or 'en'") from None


def is_missing(x) -> bool:
    """None or NaN: printed as :data:`MISSING`."""
    return x is None or (isinstance(x, float) and math.isnan(x))


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def number(x, lang: str = "sv", decimals: int = 1, *, signed: bool = False) -> str:
    """A number with the locale's separators, rounded to ``decimals`` places.

    Examples
    --------
    >>> number(12345.6, "sv")
    '12\\xa0345,6'
    >>> number(12345.6, "en")
    '12,345.6'
    >>> number(-3.24, "sv", signed=True)
    '−3,2'
    """
    if is_missing(x):
        return MISSING
    loc = locale(lang)
    value = round(float(x), decimals)  # half to even, as babel; decides the sign shown
    text = format_decimal(abs(value), format=_pattern(decimals), locale=loc)
    if value < 0:
        return get_minus_sign_symbol(loc) + text
    if signed and value > 0:
        return get_plus_sign_symbol(loc) + text
    return text


def integer(x, lang: str = "sv") -> str:
    """A count: ``1 234`` (sv), ``1,234`` (en)."""
    return number(x, lang, 0)


def decimal(x, lang: str = "sv", most: int = 3) -> str:
    """A number with the decimals it has, at most ``most``: a setting such as a weight or a
    threshold, shown as it was given.

    >>> decimal(0.05, "sv"), decimal(0.5, "en"), decimal(2000, "sv")
    ('0,05', '0.5', '2\xa0000')
    """
    if is_missing(x):
        return MISSING
    loc = locale(lang)
    value = round(float(x), most)
    text = format_decimal(abs(value), format="#,##0." + "#" * most, locale=loc)
    return get_minus_sign_symbol(loc) + text if value < 0 else text


def percent_sign(lang: str) -> str:
    """The percent sign as the language writes it after a number (a no-break space before it in
    Swedish)."""
    return "\xa0%" if lang == "sv" else "%"


def pct(x, lang: str = "sv", decimals: int = 0, *, signed: bool = False) -> str:
    """A value already in percent (0-100) with the locale's percent sign.

    Examples
    --------
    >>> pct(42.34, "sv", 1)
    '42,3\\xa0%'
    >>> pct(42.34, "en", 1)
    '42.3%'
    """
    if is_missing(x):
        return MISSING
    return number(x, lang, decimals, signed=signed) + percent_sign(lang)


def pct_exact(x, lang: str = "sv", most: int = 2) -> str:
    """A value in percent (0-100) with the decimals it has, at most ``most``: a setting.

    >>> pct_exact(50, "sv"), pct_exact(52.5, "en")
    ('50\xa0%', '52.5%')
    """
    if is_missing(x):
        return MISSING
    return decimal(x, lang, most) + percent_sign(lang)


def level(x, lang: str = "sv") -> str:
    """A confidence level (a fraction) as a percentage with the decimals it has.

    >>> level(0.95, "sv"), level(0.9, "en"), level(0.975, "sv")
    ('95\xa0%', '90%', '97,5\xa0%')
    """
    if is_missing(x):
        return MISSING
    return pct_exact(100 * float(x), lang)


def round_label(label: str, lang: str = "sv") -> str:
    """A survey round ``YYYY-MM`` as month and year: ``maj 2024``, ``May 2024``.

    Labels that are not ``YYYY-MM`` are returned unchanged.
    """
    m = _ROUND.match(str(label))
    if not m:
        return str(label)
    d = _dt.date(int(m.group(1)), int(m.group(2)), 1)
    return format_date(d, "LLLL y", locale=locale(lang))


def date(d: _dt.date | _dt.datetime | str, lang: str = "sv") -> str:
    """A date in long form: ``23 november 2026``, ``23 November 2026``."""
    if isinstance(d, str):
        d = _dt.date.fromisoformat(d[:10])
    return format_date(d, "long", locale=locale(lang))
