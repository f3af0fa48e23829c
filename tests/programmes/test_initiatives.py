"""The initiative register: contract, funnel, time in stage, stuck initiatives, KPIs, and the
change of targeted capabilities — on a small register checked by hand."""


import datetime as dt

import pandas as pd
import pytest

from dimios_lib.programmes import initiatives as I


def test_funnel_matches_the_hand_count(reg):
    """Reached: dialog 4 (A-D), utforska 3 (A, C, D), idéskissa 2, prova 2, beslut 2 (A, C),
    införa 1 (A), följa upp 0. Conversion: 3/4 = 75 %, 2/3 = 66.7 %, 100 %, 100 %, 1/2 = 50 %."""
    f = I.funnel(reg).set_index("stage")
    assert f["reached"].tolist() == [4, 3, 2, 2, 2, 1, 0]
    assert f.loc["utforska", "conversion"] == pytest.approx(75.0)
    assert f.loc["ideskissa", "conversion"] == pytest.approx(200 / 3)
    assert f.loc["infora", "conversion"] == pytest.approx(50.0)
    assert f.loc["dialog", "moved_to_system"] == 1 and f.loc["beslut_1", "stopped"] == 1


def test_time_in_stage_and_stuck(reg):
    """Dialog spells: A 30, B 20, C 10, D 10 days -> median 15, mean 17.5. As of 2022-09-01,
    A has been in införa since 06-09 (84 days) and D in utforska since 03-11 (174 days)."""
    t = I.time_in_stage(reg, dt.date(2022, 9, 1)).set_index("stage")
    assert t.loc["dialog", "n"] == 4
    assert t.loc["dialog", "median_days"] == 15 and t.loc["dialog", "mean_days"] == 17.5
    assert t.loc["prova", "median_days"] == 30  # A 30, C 30
    assert t.loc["infora", "n_open"] == 1 and t.loc["infora", "median_open_days"] == 84
    cur = I.current_stages(reg, dt.date(2022, 9, 1)).set_index("initiative_id")
    assert cur["status"].to_dict() == {"A": "active", "B": "done", "C": "stopped", "D": "active"}
    s = I.stuck(reg, dt.date(2022, 9, 1), threshold_days=120)
    assert s["initiative_id"].tolist() == ["D"] and s["days_in_stage"].tolist() == [174]


def test_kpi_progress(reg):
    """(50 - 20) / (60 - 20) = 0.75, not reached; (4 - 10) / (5 - 10) = 1.2, reached (a KPI
    that should fall); no measured value: progress missing, not zero."""
    k = I.kpi_progress(reg)
    assert k["progress"].iloc[0] == pytest.approx(0.75) and k["reached"].iloc[0] is False
    assert k["progress"].iloc[1] == pytest.approx(1.2) and k["reached"].iloc[1] is True
    assert pd.isna(k["progress"].iloc[2]) and k["reached"].iloc[2] is None


def test_targeted_capability_change_against_hand_values(reg):
    """EFF1 in Ale (1440): 40 % [30, 50] in 2021-11, 60 % [50, 70] in 2022-11. Change +20,
    standard error hypot(20/3.92, 20/3.92) = 7.215, interval 20 ± 14.14 -> clear. The other
    item moved +5, so EFF1 moved 15 beyond the others: more than 14.14 -> beyond_others."""
    caps = pd.DataFrame([
        ("1440", "2021-11", "EFF1", 10, 40.0, 30.0, 50.0),
        ("1440", "2022-11", "EFF1", 10, 60.0, 50.0, 70.0),
        ("1440", "2021-11", "BAL1", 10, 50.0, 40.0, 60.0),
        ("1440", "2022-11", "BAL1", 10, 55.0, 45.0, 65.0),
    ], columns=["municipality_code", "round", "item_id", "n_answers", "pct", "ci_low", "ci_high"])
    ch = I.targeted_capability_change(reg, caps).set_index(["initiative_id", "item_id"])
    row = ch.loc[("A", "EFF1")]
    assert row["change"] == pytest.approx(20.0) and row["clear"]
    assert row["ci_low"] == pytest.approx(20 - 1.96 * 7.2154, abs=1e-3)
    assert row["others_change"] == pytest.approx(5.0) and row["beyond_others"]
    assert pd.isna(ch.loc[("A", "INN2"), "change"])  # no data for INN2: no change, not zero
