"""The catalog key families: keys the code builds at run time from a code (``t(f"measure.{m}")``),
each enumerated from the constant the code takes its codes from.

The extractor (:mod:`dimios_lib.text.extract`) reads this module instead of the code to put
these keys into the template; the catalog tests check that the families here are exactly the
f-string keys in the code, and that every key of a family is in both catalogs.
"""

from __future__ import annotations


def families() -> dict[str, tuple[str, ...]]:
    """Each family's pattern as the code writes it (``{}`` for the code) and its codes.

    >>> families()["measure.{}"]
    ('capability', 'legacy', 'maturity')
    """
    from dataclasses import fields

    from ..config import CLAIMS_ADJUSTMENTS, RANK_METHODS, ModelConfig, StudyConfig
    from ..contracts.study import ARMS
    from ..contracts.training import QUESTIONS
    from ..maturity.scoring import MEASURES
    from ..programmes.initiatives import STATUSES
    from ..reference.process import STAGES
    from ..reference.types import TYPES
    from ..study.scores import DESIGNS
    from .common import GLOSSARY
    from .provenance import INDEX_COLUMNS

    return {
        "measure.{}": tuple(MEASURES),
        "arm.{}": tuple(ARMS),
        "design.{}": tuple(DESIGNS),
        "col.status_{}": tuple(STATUSES),
        "q.{}": tuple(QUESTIONS),
        "stage.{}": tuple(STAGES),
        "type.{}.label": tuple(TYPES),
        "type.{}.description": tuple(TYPES),
        "method.assumption.{}": tuple(a["parameter"] for a in ModelConfig().assumptions()),
        "method.name.{}": tuple(a["parameter"] for a in ModelConfig().assumptions()),
        "glossary.{}.term": GLOSSARY,
        "glossary.{}.text": GLOSSARY,
        "method.study.{}": tuple(f.name for f in fields(StudyConfig)),
        "method.study_name.{}": tuple(f.name for f in fields(StudyConfig)),
        "index.col.{}": INDEX_COLUMNS,
        "setting.claims.{}": CLAIMS_ADJUSTMENTS,
        "method.claims.{}": CLAIMS_ADJUSTMENTS,
        "setting.ranks.{}": RANK_METHODS,
        "method.ranks.{}": RANK_METHODS,
    }


def family_keys() -> set[str]:
    """Every key of every family.

    >>> "measure.maturity" in family_keys()
    True
    """
    return {pattern.format(*[code] * pattern.count("{}"))
            for pattern, codes in families().items() for code in codes}
