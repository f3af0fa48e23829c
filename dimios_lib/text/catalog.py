"""The text catalog: every sentence a reader sees, per language, and :func:`t` to fill it.
"""

from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from . import fmt

LANGS = ("sv", "en")


@lru_cache(maxsize=1)
def texts() -> dict[str, dict[str, str]]:
    """The text catalogue ``{key: {"sv": ..., "en": ...}}``."""
    path = Path(str(resources.files("dimios_lib") / "data" / "report_texts.yaml"))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def t(key: str, lang: str = "sv", **values) -> str:
    """The text ``key`` in ``lang`` with its placeholders filled."""
    fmt.locale(lang)  # validates the language
    try:
        template = texts()[key][lang]
    except KeyError:
        raise KeyError(f"no report text {key!r} in {lang!r}") from None
    return template.format(**values)
