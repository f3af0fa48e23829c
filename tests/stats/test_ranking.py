"""Rank ranges from intervals, and the permutation test of likeness."""


import numpy as np
import pandas as pd
import pytest

from dimios_lib.stats.ranking import rank_range, similarity


def test_rank_range_from_intervals():
    best, worst = rank_range(np.array([60, 55, 40]), np.array([70, 65, 50]))
    assert best.tolist() == [1, 1, 3] and worst.tolist() == [2, 2, 3]


def test_similarity_detects_a_group_more_alike_than_chance():
    """30 municipalities at 0..29; members {10, 10.1, 10.2} (sd 0.1) are far more alike than
    random threes (median sd about 8): only a draw of exactly the three members is as alike,
    probability 1 / C(30, 3) = 1 / 4060 per draw, so p = (1 + hits) / 1000 with hits ~
    Binomial(999, 1/4060), at most 3 with probability > 0.999."""
    codes = [f"{k:04d}" for k in range(30)]
    values = np.arange(30.0)
    values[[1, 2]] = [10.1, 10.2]
    table = pd.DataFrame({"municipality_code": codes, "legacy_pct": values})
    out = similarity(table, ["0010", "0001", "0002"], "legacy_pct", n_draws=999)
    assert out["sd"] == pytest.approx(0.1)
    assert out["p_value"] in {k / 1000 for k in (1, 2, 3, 4)}
    spread = similarity(table, ["0000", "0015", "0029"], "legacy_pct", n_draws=999)
    assert spread["p_value"] > 0.5


def test_rank_intervals_of_some_rows_are_those_rows_of_the_whole():
    import numpy as np

    from dimios_lib.stats.ranking import rank_intervals

    rng = np.random.default_rng(7)
    est, se = rng.normal(50, 6, 60), rng.uniform(2, 8, 60)
    df = rng.integers(4, 40, 60).astype(float)
    se[[3, 7]] = 0.0  # no spread: told apart by their estimates
    low, high = rank_intervals(est, se, df)
    rows = [0, 3, 7, 59]
    sub_low, sub_high = rank_intervals(est, se, df, rows=rows)
    assert sub_low.tolist() == low[rows].tolist() and sub_high.tolist() == high[rows].tolist()
