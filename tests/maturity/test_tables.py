"""Every shareable table at once."""

import numpy as np

from dimios_lib.maturity.tables import shareable_tables
from dimios_lib.reference.municipalities import Group

from ..conftest import small_dataset


def test_a_group_without_data_gets_empty_benchmarks_not_a_crash(bank):
    empty = Group("empty", "Tom", "Empty", "test", "test", ("2584",))  # Kiruna: not in the data
    mora = Group("some", "Några", "Some", "test", "test", ("1883", "1880"))
    tables = shareable_tables(small_dataset(bank), bank=bank, groups={"empty": empty,
                                                                      "some": mora})
    groups = tables["groups_round.csv"]
    assert set(groups["group_id"]) == {"some"}  # the empty group has no round to show
    assert set(tables) >= {"municipality_round.csv", "national_round.csv", "county_round.csv"}
    assert all("synthetic" in t for t in tables.values())
    # Nora (3 respondents) is suppressed in the shared scores and left out of every benchmark
    muni = tables["municipality_round.csv"].set_index(["municipality_code", "round"])
    assert muni.loc[("1884", "2024-05"), "suppressed"]
    county = tables["county_round.csv"].set_index(["county_code", "round"])
    assert county.loc[("18", "2024-05"), "n_municipalities"] == 2  # Karlskoga and Örebro


def test_shared_tables_carry_standard_errors_and_small_area_columns_and_hide_them_for_small_groups(
        bank):
    tables = shareable_tables(small_dataset(bank), bank=bank)
    muni = tables["municipality_round.csv"].set_index(["municipality_code", "round"])
    for col in ("maturity_se", "maturity_df", "maturity_eb_pct", "maturity_eb_ci_low",
                "maturity_eb_se", "maturity_eb_shrinkage"):
        assert col in muni and np.isnan(muni.loc[("1884", "2024-05"), col])
    assert muni.loc[("1883", "2024-05"), "maturity_df"] == 5
    caps = tables["municipality_round_capability.csv"]
    assert {"se", "df"} <= set(caps.columns)
    changes = tables["municipality_changes.csv"]
    assert {"n_linked", "design", "maturity_se", "maturity_df", "maturity_p_value"} <= set(
        changes.columns)
