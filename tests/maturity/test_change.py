"""Change between rounds: intervals from the bootstrap replicates, and noise not called a change."""


import numpy as np
import pytest

from dimios_lib.maturity.change import round_changes
from dimios_lib.maturity.scoring import score

from ..conftest import frame, respondents


def test_round_change_with_interval(all_items):
    # Round 1: all six respondents answer 3 everywhere (40 %); round 2: all answer 4 (60 %).
    # Every resample gives the same scores, so the change is exactly +20 with interval [20, 20].
    def block(rnd, a):
        return respondents("0114", rnd, {f"r{r}": {i: (7 - a if i in ("TEK2", "TEK3") else a)
                                                   for i in all_items} for r in range(6)})
    s = score(frame(block("2023-11", 3) + block("2024-05", 4)))
    c = round_changes(s).iloc[0]
    assert (c["round_from"], c["round_to"]) == ("2023-11", "2024-05")
    assert c["maturity_change"] == pytest.approx(20)
    assert c["maturity_ci_low"] == pytest.approx(20) and c["maturity_ci_high"] == pytest.approx(20)
    assert bool(c["maturity_significant"])


def test_noise_is_not_called_a_change(all_items):
    rng = np.random.default_rng(7)
    rows = []
    for rnd in ("2023-11", "2024-05", "2024-11"):
        rows += respondents("0114", rnd, {f"r{r}": {i: int(rng.integers(2, 6)) for i in all_items}
                                          for r in range(12)})
    changes = round_changes(score(frame(rows)))
    assert len(changes) == 2
    assert not changes["maturity_significant"].any()
    first = round_changes(score(frame(rows)), base="first")
    assert first["round_from"].tolist() == ["2023-11", "2023-11"]
