"""The claims of every municipality x round at once (maturity.claims): the same family, the
same p-values and the same decisions as the municipality report, and the change table's
``*_significant`` is the report's call."""

import numpy as np
import pandas as pd
import pytest

from dimios_lib import reports
from dimios_lib.maturity.benchmarks import member_differences
from dimios_lib.maturity.claims import decide, families
from dimios_lib.maturity.scoring import MEASURES
from dimios_lib.maturity.tables import _changes
from dimios_lib.reports.municipality import municipality_report
from dimios_lib.stats.multiplicity import adjust_pvalues


@pytest.fixture(scope="module")
def data(small_csv):
    return reports.load_data(small_csv)


@pytest.mark.parametrize("weights", ["municipalities", "respondents"])
@pytest.mark.parametrize("include_error", [True, False])
def test_member_differences_are_the_formula_for_every_member(weights, include_error):
    rng = np.random.default_rng(3)
    t = pd.DataFrame({"municipality_code": [f"{i:04d}" for i in range(12)],
                      "round": ["a"] * 7 + ["b"] * 5, "n_respondents": rng.integers(5, 60, 12),
                      "pct": rng.uniform(30, 70, 12), "se": rng.uniform(1, 6, 12),
                      "df": rng.integers(4, 50, 12).astype(float)})
    t.loc[3, "pct"] = np.nan
    got = member_differences(t, ["round"], weights=weights, include_error=include_error)
    assert got.loc[3].isna().all() or np.isnan(got.loc[3, "p_value"])
    for i, r in t.iterrows():
        if np.isnan(r.pct):
            continue
        g = t[(t["round"] == r["round"]) & t["pct"].notna()]
        n = g["n_respondents"].astype(float) if weights == "respondents" else g["pct"] * 0 + 1
        w = n / n.sum()
        bench = float((w * g["pct"]).sum())
        parts = np.where(g.index == i, (1 - w) ** 2 * g["se"] ** 2, w ** 2 * g["se"] ** 2)
        if not include_error:
            parts = np.where(g.index == i, g["se"] ** 2, 0.0)
        v = parts.sum()
        dof = v ** 2 / (parts ** 2 / g["df"]).sum()
        assert got.at[i, "benchmark"] == pytest.approx(bench)
        assert got.at[i, "diff_se"] == pytest.approx(np.sqrt(v))
        assert got.at[i, "diff_df"] == pytest.approx(dof)


def test_decide_adjusts_within_each_family_only():
    fam = pd.DataFrame({"municipality_code": ["a"] * 3 + ["b"] * 2,
                        "p_value": [0.01, 0.03, 0.2, 0.04, 0.001]})
    out = decide(fam, ["municipality_code"])
    np.testing.assert_allclose(out["p_adjusted"][:3], adjust_pvalues([0.01, 0.03, 0.2],
                                                                     method="fdr_bh"))
    np.testing.assert_allclose(out["p_adjusted"][3:], adjust_pvalues([0.04, 0.001],
                                                                     method="fdr_bh"))


_REPORTS: dict = {}


def _report(data, code, rnd):
    key = (id(data), code, rnd)
    if key not in _REPORTS:
        _REPORTS[key] = municipality_report(data, code, rnd)
    return _REPORTS[key]


def _same_family(data, fam, code, rnd):
    rep = _report(data, code, rnd)
    mine = fam[(fam["municipality_code"] == code) & (fam["round"] == rnd)]
    if rep.family is None:  # no report, or too few respondents: no claims
        assert mine.empty
        return rep
    a = rep.family.set_index(["kind", "key"]).sort_index()
    b = mine.set_index(["kind", "key"]).sort_index()
    assert list(a.index) == list(b.index)
    np.testing.assert_allclose(b["difference"], a["difference"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(b["p_value"], a["p_value"], rtol=1e-9, atol=1e-12)
    assert b["claimed"].tolist() == a["claimed"].tolist()
    return rep


def _table_is_the_reports_call(data, codes=None, round_to=None):
    changes = _changes(data.release())
    if codes is not None:
        changes = changes[changes["municipality_code"].isin(codes)]
    if round_to is not None:
        changes = changes[changes["round_to"] == round_to]
    checked = called = 0
    for r in changes.itertuples():
        if r.suppressed:
            assert all(getattr(r, f"{m}_significant") is None for m in MEASURES)
            continue
        ch = _report(data, r.municipality_code, r.round_to).changes()
        for m in MEASURES:
            flag = getattr(r, f"{m}_significant")
            if flag is None:  # a value withheld: no flag either
                continue
            row = ch[(ch["measure"] == m) & (ch["round_from"] == r.round_from)] if len(ch) \
                else ch
            assert bool(flag) == (bool(row["claimed"].iloc[0]) if len(row) else False), (
                r.municipality_code, r.round_from, r.round_to, m)
            checked += 1
            called += bool(flag)
    return checked, called


def test_the_family_of_every_report_at_once_is_the_reports(data):
    fam = families(data.release().protected)
    o = data.release().protected.overall
    for code, rnd in zip(o["municipality_code"], o["round"]):
        _same_family(data, fam, code, rnd)
    assert set(fam["kind"]) == {"national", "peer", "category", "capability", "change"}


def test_the_change_tables_flag_is_the_reports_call(data):
    checked, called = _table_is_the_reports_call(data)
    assert checked >= 6 and called >= 1


@pytest.fixture(scope="module")
def demo(tmp_path_factory, bank):
    from dimios_lib.demo.responses import generate_demo

    d = generate_demo(seed=5, bank=bank)
    path = tmp_path_factory.mktemp("demo") / "demo_SYNTHETIC.csv"
    d.to_csv(path, index=False)
    return reports.load_data(path)


@pytest.mark.slow
def test_on_the_demo_the_table_and_the_reports_agree(demo):
    fam = families(demo.release().protected)
    # municipalities whose table rows the report calls, and whose changes alone are
    # significant but not called across the report's comparisons
    ch = _changes(demo.release())
    latest = demo.check_round(None)  # a report of another round decides its own disclosure
    ch = ch[ch["round_to"] == latest]  # (slow): the latest round's reports only
    alone = ch[[f"{m}_p_value" for m in MEASURES]].lt(0.05).any(axis=1)
    flag = ch[[f"{m}_significant" for m in MEASURES]].eq(True).any(axis=1)
    codes = sorted(set(ch.loc[flag, "municipality_code"][:2])
                   | set(ch.loc[alone & ~flag, "municipality_code"][:2]))
    for code in codes:
        _same_family(demo, fam, code, latest)
    checked, called = _table_is_the_reports_call(demo, codes, latest)
    assert checked >= 12 and called >= 1 and called < checked
