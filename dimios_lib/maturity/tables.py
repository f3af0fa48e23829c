"""Every shareable table at once (``dimios tables``): scores at every level, by unit and role,
benchmarks, changes between rounds and reliability, with small groups suppressed.
"""

from __future__ import annotations

import pandas as pd

from ..config import ModelConfig
from ..reference.items import ItemBank
from ..reference.municipalities import Group, load_groups
from .benchmarks import county_means, group_means, national_means, national_weightings
from .change import round_changes
from .privacy import suppress
from .reliability import reliability
from .scoring import score

LEVELS = ("municipality", "category", "capability")


def shareable(table: pd.DataFrame, level: str = "municipality", *,
              config: ModelConfig | None = None, include_small: bool = False) -> pd.DataFrame:
    """A score table as it may be shared: groups below the minimum size suppressed.

    ``level`` is ``municipality`` (any overall table), ``category`` or ``capability`` (where an
    item answered by too few is suppressed too). ``include_small`` keeps every value (internal
    use only) and marks no row suppressed.
    """
    if include_small:
        table = table.copy()
        table["suppressed"] = False
        return table
    count = ["n_respondents", "n_answers"] if level == "capability" else "n_respondents"
    return suppress(table, config=config, count=count)


def _groups_table(scores, groups: dict[str, Group]) -> pd.DataFrame:
    """Every group's benchmarks; the columns even when there are no groups (or no data)."""
    empty = group_means(scores, Group("", "", "", "", "", ()))
    return pd.concat([empty, *[group_means(scores, g) for g in groups.values()]],
                     ignore_index=True)


def shareable_tables(responses: pd.DataFrame, *, bank: ItemBank | None = None,
                     config: ModelConfig | None = None,
                     groups: dict[str, Group] | None = None) -> dict[str, pd.DataFrame]:
    """Every table meant to be shared, by file name, each with a ``synthetic`` column.

    Tables: municipality × round scores at the three levels and by unit and by role; national
    scores by unit and by role; national, county and group benchmarks (every group of
    ``groups``, default the packaged groups, even one without data in the file), weighted as
    ``ModelConfig.benchmark_weights`` says, and both national estimands side by side
    (``national_round_weighting.csv``); changes between rounds; reliability per round.
    """
    config = ModelConfig() if config is None else config
    groups = load_groups() if groups is None else groups
    muni = score(responses, bank=bank, config=config)
    out = {
        "municipality_round.csv": shareable(muni.overall, config=config),
        "municipality_round_category.csv": shareable(muni.categories, "category",
                                                     config=config),
        "municipality_round_capability.csv": shareable(muni.capabilities, "capability",
                                                       config=config),
        "national_round.csv": national_means(muni),
        "national_round_weighting.csv": national_weightings(muni),
        "county_round.csv": county_means(muni),
        "groups_round.csv": _groups_table(muni, groups),
        "municipality_changes.csv": suppress(round_changes(muni), config=config,
                                             count=["n_from", "n_to"]),
        "reliability_round.csv": reliability(responses, bank=bank, config=config),
    }
    for extra in ("unit", "role"):
        by_group = score(responses, by=("municipality_code", "round", extra), bank=bank,
                         config=config)
        out[f"municipality_round_{extra}.csv"] = shareable(by_group.overall, config=config)
        national = score(responses, by=("round", extra), bank=bank, config=config, ci=False)
        out[f"national_round_{extra}.csv"] = shareable(national.overall, config=config)
    synthetic = bool(responses.attrs.get("synthetic"))
    return {name: table.assign(synthetic=synthetic) for name, table in out.items()}
