"""The message catalogs: every sentence a reader sees, per language, and :func:`t` and :func:`tn`
to fill them.

The catalogs are gettext catalogs, one per language, in ``locale/<lang>/LC_MESSAGES/dimios.po``
(the template of their keys is ``locale/dimios.pot``; docs/text.md says how to change them).

* A message id is a stable **key** (``mun.title``), never the wording: Swedish and English are
  both translations of the key, so a key stays when its wording changes.
* Placeholders are ``{name}`` (``str.format``), filled with values already formatted for the
  language (:mod:`dimios_lib.text.fmt`); a literal brace is written twice.
* A **plural** entry has the id ``key`` and the plural id ``key|plural`` (:func:`plural_id`) and
  one form per plural category of the language; both languages have
  ``nplurals=2; plural=(n != 1)``. :func:`tn` picks the form for a count.
* The compiled catalog (``dimios.mo``) is written when the package is built (``setup.py``). In a
  source checkout without it, or when the ``.po`` is newer (:func:`load_translations`), the
  ``.po`` is compiled in memory.
"""

from __future__ import annotations

import gettext
import io
import string
from functools import cache
from importlib import resources
from pathlib import Path

from .numbers import integer

DOMAIN = "dimios"


LANGS = ("sv", "en")


PLURAL_SUFFIX = "|plural"


def locale_dir() -> Path:
    """The folder of the catalogs: ``<lang>/LC_MESSAGES/dimios.po`` and the template."""
    return Path(str(resources.files("dimios_lib") / "text" / "locale"))


def plural_id(key: str) -> str:
    """The plural message id of a plural entry: the key and ``|plural``.

    >>> plural_id("mun.units.hidden")
    'mun.units.hidden|plural'
    """
    return key + PLURAL_SUFFIX


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` in a text.

    >>> sorted(placeholders("{name} has {n} respondents ({{not this}})"))
    ['n', 'name']
    """
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def compile_po(po: Path) -> bytes:
    """A ``.po`` file compiled to ``.mo`` bytes (fuzzy entries left out, as ``msgfmt`` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po, "rb") as fh:
        catalog = read_po(fh, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


class _Missing(gettext.NullTranslations):
    """The last fallback of a catalog: a key that is not there is an error, never shown."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def _error(self, key: str) -> KeyError:
        return KeyError(f"no report text {key!r} in {self.lang!r}: add it to "
                        f"dimios_lib/text/locale/{self.lang}/LC_MESSAGES/{DOMAIN}.po "
                        "(docs/text.md)")

    def gettext(self, message: str) -> str:
        raise self._error(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        raise self._error(msgid1)


#: How much older than its ``.po`` a ``.mo`` may be and still count as compiled from it (seconds):
#: an installer writes the two files one after the other, in either order.
MTIME_GRACE = 2.0


def load_translations(folder: Path, lang: str) -> gettext.GNUTranslations:
    """The catalog of ``lang`` in ``folder`` (``<lang>/LC_MESSAGES/dimios.{mo,po}``).

    The compiled ``.mo`` is read when it is there and not older than the ``.po`` (allowing
    :data:`MTIME_GRACE`); otherwise the ``.po`` is compiled in memory (nothing is written).
    Looking up a missing key raises ``KeyError``.
    """
    messages = Path(folder) / lang / "LC_MESSAGES"
    po, mo = messages / f"{DOMAIN}.po", messages / f"{DOMAIN}.mo"
    if mo.is_file() and (not po.is_file()
                         or mo.stat().st_mtime >= po.stat().st_mtime - MTIME_GRACE):
        data = mo.read_bytes()
    elif po.is_file():
        data = compile_po(po)
    else:
        raise FileNotFoundError(f"no catalog for {lang!r}: expected {po}")
    translations = gettext.GNUTranslations(io.BytesIO(data))
    translations.add_fallback(_Missing(lang))
    return translations


def _check(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown report language {lang!r}; expected 'sv' or 'en'")


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The packaged catalog of a report language (read once per process)."""
    _check(lang)
    return load_translations(locale_dir(), lang)


def t(key: str, lang: str = "sv", **values) -> str:
    """The text ``key`` in ``lang`` with its placeholders filled.

    Raises ``KeyError`` naming the key and the language when the catalog has no such text.

    Examples
    --------
    >>> t("mun.title", "sv", name="Karlskoga", round="maj 2024")
    'Digital mognad i Karlskoga – maj 2024'
    >>> t("mun.title", "en", name="Karlskoga", round="May 2024")
    'Digital maturity in Karlskoga – May 2024'
    """
    _check(lang)
    return translations(lang).gettext(key).format(**values)


def tn(key: str, n: int, lang: str = "sv", **values) -> str:
    """The plural text ``key`` in the form for the count ``n``, its placeholders filled.

    ``{n}`` is filled with ``n`` formatted for the language (:func:`dimios_lib.text.numbers.integer`)
    unless ``values`` gives it.

    Examples
    --------
    >>> tn("count.municipalities", 1, "sv"), tn("count.municipalities", 2, "sv")
    ('1 kommun', '2 kommuner')
    >>> tn("count.respondents", 1, "en"), tn("count.respondents", 1234, "en")
    ('1 respondent', '1,234 respondents')
    """
    _check(lang)
    if "n" not in values:

        values["n"] = integer(n, lang)
    return translations(lang).ngettext(key, plural_id(key), int(n)).format(**values)
