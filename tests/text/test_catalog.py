"""Report computations, texts and formats, pinned to the hand-computed small dataset
(tests/conftest.py) and to the locale conventions of CLDR (via babel)."""


from dimios_lib.text import catalog


def test_every_text_has_both_languages_with_the_same_placeholders():
    for key, entry in catalog.texts().items():
        assert set(entry) == {"sv", "en"}, key
        assert catalog.placeholders(entry["sv"]) == catalog.placeholders(entry["en"]), key
