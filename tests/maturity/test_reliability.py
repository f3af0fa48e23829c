"""Reliability of the DiMiOS scales per category, dimension and round."""


import numpy as np

from dimios_lib.maturity.reliability import reliability

from ..conftest import frame


def test_reliability_table(rng, all_items):
    rows = []
    for r in range(40):
        trait = rng.normal()
        for item in all_items:
            a = int(np.clip(np.rint(3.5 + trait + rng.normal(0, 0.7)), 1, 6))
            rows.append(("0114", "2023-11", f"r{r}", None, None, item,
                         7 - a if item in ("TEK2", "TEK3") else a))
    table = reliability(frame(rows)).set_index("scale")
    assert table.loc["Effektivitet", "k_items"] == 7 and table.loc["Effektivitet", "n_complete"] == 40
    assert table.loc["capability", "alpha"] > 0.9         # one strong common trait
    assert np.isnan(table.loc["Organisation", "omega"])   # two items
    assert table.loc["Teknik", "alpha"] > 0.7             # reverse items flipped back
