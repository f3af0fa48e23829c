"""The message catalogs: complete and consistent in both languages, every key the code uses in
them and every key in them used, and the compiled catalog read or built as documented."""


import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dimios_lib.text import catalog
from dimios_lib.text.catalog import LANGS, placeholders, plural_id
from dimios_lib.text.extract import file_uses
from dimios_lib.text.keys import families, family_keys

ROOT = Path(__file__).resolve().parents[2]
LOCALE = catalog.locale_dir()


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "dimios.po"


def _read(path: Path):
    with open(path, "rb") as fh:
        return read_po(fh)


def _entries(lang: str) -> dict:
    """``{key: text}``, a plural entry's text being the tuple of its forms."""
    return {m.id[0] if m.pluralizable else m.id: m.string for m in _read(_po(lang)) if m.id}


def _plural_keys(lang: str) -> set[str]:
    return {m.id[0] for m in _read(_po(lang)) if m.id and m.pluralizable}


def _forms(text) -> tuple[str, ...]:
    return text if isinstance(text, tuple) else (text,)


def _code_uses():
    paths = sorted((ROOT / "dimios_lib").rglob("*.py")) + sorted((ROOT / "notebooks").glob("*.ipynb"))
    return [(p.relative_to(ROOT), u) for p in paths for u in file_uses(p)]


def test_both_catalogs_and_the_template_have_the_same_keys_and_every_text_filled():
    template = {m.id[0] if m.pluralizable else m.id for m in _read(LOCALE / "dimios.pot") if m.id}
    for lang in LANGS:
        cat = _read(_po(lang))
        assert set(_entries(lang)) == template, lang
        assert not cat.obsolete, lang
        assert not cat.fuzzy, lang
        for m in cat:
            if m.id:
                assert all(_forms(m.string)) and "fuzzy" not in m.flags, (lang, m.id)
    assert _plural_keys("sv") == _plural_keys("en")


def test_plural_entries_are_keyed_and_formed_as_documented():
    for lang in LANGS:
        cat = _read(_po(lang))
        assert cat.plural_forms == "nplurals=2; plural=(n != 1);", lang
        for m in cat:
            if m.id and m.pluralizable:
                assert m.id[1] == plural_id(m.id[0]) and len(m.string) == 2, (lang, m.id)


def test_sv_and_en_and_every_plural_form_have_the_same_placeholders():
    sv, en = _entries("sv"), _entries("en")
    for key in sv:
        names = {frozenset(placeholders(s)) for s in _forms(sv[key]) + _forms(en[key])}
        assert len(names) == 1, (key, names)


def test_entries_with_placeholders_are_flagged_python_brace_format():
    # Babel drops the flag when it reads an entry whose id has no placeholders, so read the text.
    for lang in LANGS:
        blocks = [b for b in _po(lang).read_text(encoding="utf-8").split("\n\n")[1:] if b.strip()]
        assert blocks
        for block in blocks:
            key = re.search(r'^msgid "(.*)"$', block, re.MULTILINE).group(1)
            texts = "".join(re.findall(r'^(?:msgstr(?:\[\d\])? )?"(.*)"$', block, re.MULTILINE))
            flagged = re.search(r"^#,.*\bpython-brace-format\b", block, re.MULTILINE) is not None
            assert flagged == bool(placeholders(texts)), (lang, key)


def test_every_key_the_code_uses_is_in_both_catalogs_with_the_right_form():
    plural = _plural_keys("sv")
    keys = set(_entries("sv"))
    for path, use in _code_uses():
        where = f"{path}:{use.lineno}"
        assert use.kind != "opaque", f"{where}: the key {use.key} cannot be read from the code"
        if use.kind == "key":
            assert use.key in keys, f"{where}: {use.key!r} is not in the catalogs"
            assert (use.key in plural) == (use.funcname == "tn"), f"{where}: {use.key!r}"


def test_the_key_families_are_the_ones_the_code_builds_and_all_in_the_catalogs():
    in_code = {u.key for _, u in _code_uses() if u.kind == "family"}
    assert in_code == set(families())
    keys, plural = set(_entries("sv")), _plural_keys("sv")
    for key in family_keys():
        assert key in keys and key not in plural, key


def test_every_catalog_key_is_used():
    used = {u.key for _, u in _code_uses() if u.kind == "key"} | family_keys()
    assert set(_entries("sv")) - used == set()


def test_babel_cfg_extracts_exactly_the_catalogs_keys():
    from babel.messages import frontend
    from babel.messages.extract import extract_from_dir

    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse(fh)
    found = extract_from_dir(str(ROOT), method_map, options_map,
                             keywords={"t": None, "tn": (1, 2)})
    keys = {m[0] if isinstance(m, tuple) else m for _, _, m, _, _ in found}
    assert keys == set(_entries("sv"))


@pytest.fixture
def copy(tmp_path):
    """The Swedish catalog alone (no compiled file) in a folder of its own."""
    folder = tmp_path / "locale"
    (folder / "sv" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(_po("sv"), folder / "sv" / "LC_MESSAGES" / "dimios.po")
    return folder


def test_a_catalog_without_a_compiled_file_is_compiled_in_memory(copy):
    messages = copy / "sv" / "LC_MESSAGES"
    tr = catalog.load_translations(copy, "sv")
    assert tr.gettext("col.county") == "Län"
    assert sorted(p.name for p in messages.iterdir()) == ["dimios.po"]  # nothing written
    (messages / "dimios.mo").write_bytes(catalog.compile_po(messages / "dimios.po"))
    po = messages / "dimios.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Län"', 'msgstr "Landskap"'),
                  encoding="utf-8")
    edited = po.stat().st_mtime
    os.utime(messages / "dimios.mo", (1, edited - 60))  # older than the .po: the .po wins
    assert catalog.load_translations(copy, "sv").gettext("col.county") == "Landskap"
    os.utime(messages / "dimios.mo", (1, edited + 1))   # newer: the compiled file is read
    assert catalog.load_translations(copy, "sv").gettext("col.county") == "Län"
    os.utime(messages / "dimios.mo", (1, edited - 0.5))  # written just before it, as pip does
    assert catalog.load_translations(copy, "sv").gettext("col.county") == "Län"


def test_a_missing_key_is_an_error_naming_key_and_language():
    with pytest.raises(KeyError, match=r"'no.such.key' in 'en'"):
        catalog.t("no.such.key", "en")
    with pytest.raises(KeyError, match=r"'no.such.key' in 'sv'"):
        catalog.tn("no.such.key", 2, "sv")
    with pytest.raises(ValueError, match="'de'"):
        catalog.t("col.county", "de")


def test_no_text_states_a_confidence_level_of_its_own():
    # the level is the configuration's (ci_level), given to the text as {level} or {ci}
    pattern = re.compile(r"\b\d+(?:[,.]\d+)?(?:\s|\xa0)?%\s*(?:KI|CI|konfidens|confidence)"
                         r"|\d+-procentig|\d+\s*per\s*cent\s*confidence", re.IGNORECASE)
    for lang in LANGS:
        for key, text in _entries(lang).items():
            for form in _forms(text):
                assert not pattern.search(form), (lang, key, form)
