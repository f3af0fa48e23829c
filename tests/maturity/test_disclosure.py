"""The attacker: given every table ``dimios tables`` writes (and what the reports show), try to
recover each hidden group's score by linear combinations of published means x counts and
differences of totals, with full knowledge of who is in which municipality, unit and role.
Against the shared tables it must fail; against primary suppression alone (the old tables) the
same attacker succeeds, so the test can fail.

The attacker is written independently of the library's audit: one matrix over all respondents
of all rounds, every published figure a row, and a group's score recoverable exactly when its
indicator vector lies in the row space (then least squares gives its value)."""

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from dimios_lib.cli import app
from dimios_lib.config import ModelConfig
from dimios_lib.demo.responses import generate_demo
from dimios_lib.maturity.scoring import score
from dimios_lib.maturity.tables import shareable
from dimios_lib.reference.municipalities import load_groups, municipalities

from ..conftest import COLUMNS

MEASURES = ("capability_pct", "legacy_pct", "maturity_pct")
CONFIG = ModelConfig(bootstrap_resamples=200)

# (municipality, round, [(unit, role, respondents)]): each line a trap for subtraction
TRAPS = [
    ("1883", "2023-11", [("Kommunledning", "Chef", 3)]),                # a round too small
    ("1883", "2024-05", [("Socialtjänst", "Chef", 5), ("Service", "Chef", 1)]),  # 6 - 5 = 1
    ("1880", "2023-11", [("A", "X", 6), ("B", "Y", 6)]),
    ("1880", "2024-05", [("A", "X", 5), ("A", "Y", 1), ("B", "Y", 8)]),  # unit A - role X = 1
    ("1881", "2024-05", [("Räddning", "Chef", 6), ("Kommunledning", "Chef", 6)]),
    ("1882", "2024-05", [("Räddning", "Chef", 2), ("Kommunledning", "Chef", 7)]),  # national
    ("1884", "2024-05", [("Räddning", "Chef", 3)]),                      # a hidden municipality
    ("1885", "2024-05", [("Kommunledning", "Strateg", 7)]),             # ORG2 answered by 3
    ("1860", "2023-11", [("Kommunledning", "Chef", 2), ("Service", "Strateg", 4)]),
    ("1860", "2024-05", [("Kommunledning", "Chef", 4), ("Service", "Strateg", 4),
                         (None, "Chef", 2)]),                           # no unit given
]


def _dataset(bank) -> pd.DataFrame:
    """The traps above plus the SYNTHETIC demo's Uppsala county (8 municipalities, realistic
    units, roles and "vet ej") in two rounds."""
    rng = np.random.default_rng(2024)
    reverse = dict(zip(bank.items["item_id"], bank.items["reverse"]))
    rows = []
    for code, rnd, groups in TRAPS:
        k = 0
        for unit, role, n in groups:
            for _ in range(n):
                k += 1
                level = rng.uniform(1.5, 5.5)
                for item in bank.item_ids:
                    a = float(np.clip(np.rint(level + rng.normal(0, 0.8)), 1, 6))
                    if rng.random() < 0.05 or (code == "1885" and item == "ORG2" and k > 3):
                        a = np.nan
                    rows.append((code, rnd, f"{code}-{rnd}-{k:02d}", unit, role, item,
                                 7 - a if reverse[item] else a))
    traps = pd.DataFrame(rows, columns=COLUMNS)
    demo = generate_demo(seed=11, bank=bank)
    demo = demo[demo["municipality_code"].str.startswith("03")
                & demo["round"].isin(["2023-11", "2024-05"])]
    return pd.concat([traps, demo[COLUMNS]], ignore_index=True)


@pytest.fixture(scope="module")
def shared(bank, tmp_path_factory):
    """The dataset as an export, and every table ``dimios tables`` writes from it (read back
    from the CSV files, as an attacker would)."""
    folder = tmp_path_factory.mktemp("disclosure")
    data = _dataset(bank)
    export = folder / "export.csv"
    out = data.copy()
    out["answer"] = out["answer"].map(lambda a: "" if pd.isna(a) else str(int(a)))
    out.to_csv(export, sep=";", index=False)
    (folder / "model.yaml").write_text("bootstrap_resamples: 200\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["tables", str(export), "-o", str(folder / "tables"),
                                      "--config", str(folder / "model.yaml")])
    assert result.exit_code == 0, result.output
    tables = {p.name: pd.read_csv(p, dtype={"municipality_code": str, "county_code": str})
              for p in (folder / "tables").glob("*.csv")}
    return data, tables


class Attacker:
    """One row per published figure (its weights over the respondents, its value x count)."""

    def __init__(self, data: pd.DataFrame):
        self.people = (data.drop_duplicates(["municipality_code", "round", "respondent_id"])
                       [["municipality_code", "round", "respondent_id", "unit", "role"]]
                       .reset_index(drop=True))
        self.people["unit"] = self.people["unit"].fillna("(none)")
        self.rows: dict[str, list] = {m: [] for m in MEASURES}
        self.values: dict[str, list] = {m: [] for m in MEASURES}

    def members(self, **keys) -> np.ndarray:
        p = self.people
        mask = np.ones(len(p), bool)
        for k, v in keys.items():
            mask &= (p[k].isin(v) if isinstance(v, (list, set, tuple)) else p[k] == v).to_numpy()
        return mask.astype(float)

    def add(self, measure: str, weights: np.ndarray, value: float) -> None:
        if pd.notna(value):
            self.rows[measure].append(weights)
            self.values[measure].append(value)

    def recover(self, measure: str, groups: np.ndarray) -> np.ndarray:
        """Whether the published figures determine each group's mean (rows of ``groups``:
        indicators): exactly when its indicator lies in the row space of the figures. (Its
        value is then the same combination of the published values.)"""
        a = np.array(self.rows[measure])
        _, s, vt = np.linalg.svd(a, full_matrices=False)
        basis = vt[s > 1e-9 * s[0]]
        targets = groups / groups.sum(axis=1, keepdims=True)
        return np.abs(targets - (targets @ basis.T) @ basis).max(axis=1) < 1e-7


def _attack(data, tables) -> Attacker:
    """Every figure of the shared tables as the attacker's rows."""
    att = Attacker(data)
    muni = tables["municipality_round.csv"]
    shown = muni[~muni["suppressed"]]
    shown_sets = {(r.municipality_code, r.round) for r in shown.itertuples()}
    sizes = {(r.municipality_code, r.round): r.n_respondents for r in shown.itertuples()}
    ref = municipalities().set_index("municipality_code")["county_code"]
    groups = load_groups()
    for m in MEASURES:
        for r in shown.itertuples():
            att.add(m, att.members(municipality_code=r.municipality_code, round=r.round)
                    * r.n_respondents, getattr(r, m))
        for kind in ("unit", "role"):
            cells = tables[f"municipality_round_{kind}.csv"]
            for r in cells[~cells["suppressed"]].itertuples():
                key = "(none)" if pd.isna(getattr(r, kind)) else getattr(r, kind)
                att.add(m, att.members(municipality_code=r.municipality_code, round=r.round,
                                       **{kind: key}) * r.n_respondents, getattr(r, m))
            pools = tables[f"national_round_{kind}.csv"]
            for r in pools[~pools["suppressed"]].itertuples():
                codes = [c for c, rnd in shown_sets if rnd == r.round]
                key = "(none)" if pd.isna(getattr(r, kind)) else getattr(r, kind)
                att.add(m, att.members(municipality_code=codes, round=r.round, **{kind: key})
                        * r.n_respondents, getattr(r, m))
        def bench(codes, rnd, value, weights, m=m):
            _benchmark(att, m, [c for c in codes if (c, rnd) in shown_sets], rnd, value,
                       weights, sizes)

        every = {c for c, _ in shown_sets}
        for r in tables["national_round_weighting.csv"].itertuples():
            bench(every, r.round, getattr(r, m), r.weights)
        for r in tables["national_round.csv"].itertuples():
            bench(every, r.round, getattr(r, m), r.weights)
        for r in tables["county_round.csv"].itertuples():
            bench([c for c in every if ref[c] == r.county_code], r.round, getattr(r, m),
                  r.weights)
        for r in tables["groups_round.csv"].itertuples():
            bench(groups[r.group_id].members, r.round, getattr(r, m), r.weights)
        stem = m[: -len("_pct")]
        for r in tables["municipality_changes.csv"].itertuples():
            change = getattr(r, f"{stem}_change")
            if pd.isna(change):
                continue
            a = att.members(municipality_code=r.municipality_code, round=r.round_to)
            b = att.members(municipality_code=r.municipality_code, round=r.round_from)
            att.add(m, a / a.sum() - b / b.sum(), change)
    return att


def _benchmark(att, m, codes, rnd, value, weights, sizes) -> None:
    """A benchmark's row: the mean of the municipalities' means, each once or by respondents."""
    if not codes:
        return
    if weights == "respondents":
        w = sum(att.members(municipality_code=c, round=rnd) for c in codes)
        att.add(m, w / w.sum(), value)
    else:
        w = sum(att.members(municipality_code=c, round=rnd) / sizes[(c, rnd)] for c in codes)
        att.add(m, w / len(codes), value)


def _targets(att: Attacker, min_n: int = 5):
    """Every group of fewer than ``min_n`` respondents the attacker might want: unit and role
    groups, municipalities, national groups, and every union of unit x role cells inside a
    municipality (what a total minus shown groups, across both tables, would leave)."""
    p = att.people
    out = {}
    for keys in (["municipality_code", "round"], ["municipality_code", "round", "unit"],
                 ["municipality_code", "round", "role"], ["round", "unit"], ["round", "role"]):
        for key, g in p.groupby(keys):
            if len(g) < min_n:
                out[tuple(key)] = g.index.to_numpy()
    for (code, rnd), g in p.groupby(["municipality_code", "round"]):
        atoms = [c.index.to_numpy() for _, c in g.groupby(["unit", "role"])]
        for k in range(1, 5):
            for combo in combinations(atoms, k):
                members = np.concatenate(combo)
                if len(members) < min_n:
                    out[(code, rnd, "cells", tuple(sorted(members)))] = members
    return out


def _recovered(att: Attacker, targets: dict) -> list:
    keys = list(targets)
    groups = np.zeros((len(keys), len(att.people)))
    for k, key in enumerate(keys):
        groups[k, targets[key]] = 1
    return [(key, m) for m in MEASURES for key, hit in zip(keys, att.recover(m, groups)) if hit]


def test_no_hidden_group_can_be_recovered_from_the_shared_tables(shared):
    data, tables = shared
    att = _attack(data, tables)
    assert sum(len(v) for v in att.rows.values()) > 200   # the attacker has plenty to work with
    targets = _targets(att)
    assert len(targets) > 100
    assert _recovered(att, targets) == []


def test_hidden_groups_carry_no_name_and_no_size(shared):
    _, tables = shared
    for name in ("municipality_round_unit.csv", "municipality_round_role.csv",
                 "national_round_unit.csv", "national_round_role.csv"):
        kind = "unit" if "unit" in name else "role"
        t = tables[name]
        hidden = t[t["suppressed"]]
        assert len(hidden) and hidden[kind].isna().all() and hidden["n_respondents"].isna().all()
        assert hidden["maturity_pct"].isna().all()
        assert (t["suppressed"].to_numpy()[t["suppressed"].to_numpy().argmax():]).all()  # last
    muni = tables["municipality_round.csv"]
    assert muni.loc[muni["suppressed"], "n_respondents"].isna().all()
    caps = tables["municipality_round_capability.csv"]
    assert caps.loc[caps["suppressed"], "n_answers"].isna().all()
    # the traps were caught: Karlskoga 2024-05 shows no unit (Service 1, Socialtjänst 5 would
    # give it away), Örebro 2024-05 not both unit A and role X
    units = tables["municipality_round_unit.csv"]
    roles = tables["municipality_round_role.csv"]
    k = units[(units["municipality_code"] == "1883") & (units["round"] == "2024-05")]
    assert k["suppressed"].all() and len(k) == 2
    o_u = units[(units["municipality_code"] == "1880") & (units["round"] == "2024-05")]
    o_r = roles[(roles["municipality_code"] == "1880") & (roles["round"] == "2024-05")]
    assert not ({"A"} <= set(o_u["unit"].dropna()) and {"X"} <= set(o_r["role"].dropna()))


def test_items_hidden_inside_a_category_cannot_be_worked_back(shared, bank):
    """Category % = mean of its items' %: with an item hidden, its category and the category's
    other items shown, k x category - others would give it back."""
    data, tables = shared
    caps = tables["municipality_round_capability.csv"]
    cats = tables["municipality_round_category.csv"]
    muni = tables["municipality_round.csv"].set_index(["municipality_code", "round"])
    raw = score(data, config=CONFIG, ci=False).capabilities
    answered = raw.set_index(["municipality_code", "round", "item_id"])["n_answers"]
    items = bank.item_ids
    cat_of = dict(zip(bank.items["item_id"], bank.items["category"]))
    dim_of = dict(zip(bank.categories["category"], bank.categories["dimension"]))
    checked = 0
    for (code, rnd), block in caps.groupby(["municipality_code", "round"]):
        if muni.at[(code, rnd), "suppressed"]:
            continue
        has = [i for i in items if answered[(code, rnd, i)] > 0]
        col = {i: k for k, i in enumerate(has)}

        def cat_vec(c, has=has, col=col):
            v = np.zeros(len(has))
            members = [i for i in has if cat_of[i] == c]
            v[[col[i] for i in members]] = 1 / len(members)
            return v

        def dim_vec(d, has=has):
            vs = [cat_vec(c) for c in bank.categories["category"] if dim_of[c] == d
                  and any(cat_of[i] == c for i in has)]
            return sum(vs) / len(vs)

        rows = []
        for r in block.itertuples():
            if pd.notna(r.pct):
                rows.append(np.eye(len(has))[col[r.item_id]])
        for r in cats[(cats["municipality_code"] == code) & (cats["round"] == rnd)].itertuples():
            if pd.notna(r.pct):
                rows.append(cat_vec(r.category))
        for d in ("capability", "legacy"):
            if pd.notna(muni.at[(code, rnd), f"{d}_pct"]):
                rows.append(dim_vec(d))
        if pd.notna(muni.at[(code, rnd), "maturity_pct"]):
            rows.append((dim_vec("capability") + dim_vec("legacy")) / 2)
        a = np.array(rows)
        for r in block.itertuples():
            if r.item_id in col and pd.isna(r.pct):
                target = np.eye(len(has))[col[r.item_id]]
                coef, *_ = np.linalg.lstsq(a.T, target, rcond=None)
                assert np.abs(a.T @ coef - target).max() > 1e-7, (code, rnd, r.item_id)
                checked += 1
    assert checked >= 3  # ORG2 in Lindesberg, and the demo's items answered by few


def test_the_attacker_wins_against_primary_suppression_alone(shared):
    """The control: the old tables (small groups hidden, their names and sizes shown, national
    groups over every respondent, no complementary suppression). The same attacker recovers
    hidden groups, Karlskoga's one Service respondent among them: total x 6 - Socialtjänst x 5
    is within about a point of that respondent's score (not exactly: "vet ej" answers make a
    group's score not quite the mean of its respondents' scores)."""
    data, _ = shared
    old = {}
    o = score(data, config=CONFIG, ci=False)
    old["municipality_round.csv"] = shareable(o.overall, config=CONFIG)
    for name in ("national_round.csv", "national_round_weighting.csv", "county_round.csv",
                 "groups_round.csv"):
        old[name] = pd.DataFrame(columns=["round", "county_code", "group_id", "weights",
                                          *MEASURES])
    old["municipality_changes.csv"] = pd.DataFrame(
        columns=["municipality_code", "round_from", "round_to"]
        + [f"{m[:-4]}_change" for m in MEASURES])
    for kind in ("unit", "role"):
        cells = score(data, by=("municipality_code", "round", kind), config=CONFIG,
                      ci=False).overall
        old[f"municipality_round_{kind}.csv"] = shareable(cells, config=CONFIG)
        old[f"national_round_{kind}.csv"] = pd.DataFrame(columns=["round", kind, "suppressed"])
    att = _attack(data, old)
    # the old national groups pooled every respondent, hidden municipalities included
    for kind in ("unit", "role"):
        pools = shareable(score(data, by=("round", kind), config=CONFIG, ci=False).overall,
                          config=CONFIG)
        for r in pools.itertuples():
            if not r.suppressed:
                key = "(none)" if pd.isna(getattr(r, kind)) else getattr(r, kind)
                for m in MEASURES:
                    att.add(m, att.members(round=r.round, **{kind: key}) * r.n_respondents,
                            getattr(r, m))
    hits = _recovered(att, _targets(att))
    assert {key for key, m in hits if m == "maturity_pct"} >= {
        ("1883", "2024-05", "Service"),                      # 6 - 5
        ("1880", "2024-05", "cells", tuple(sorted(att.people.index[
            (att.people["municipality_code"] == "1880") & (att.people["round"] == "2024-05")
            & (att.people["unit"] == "A") & (att.people["role"] == "Y")])))}  # unit A - role X
    karlskoga = data[(data["municipality_code"] == "1883") & (data["round"] == "2024-05")]
    total = old["municipality_round.csv"].set_index(["municipality_code", "round"]).at[
        ("1883", "2024-05"), "maturity_pct"]
    units = old["municipality_round_unit.csv"].set_index(["municipality_code", "round", "unit"])
    social = units.at[("1883", "2024-05", "Socialtjänst"), "maturity_pct"]
    truth = score(karlskoga[karlskoga["unit"] == "Service"], config=CONFIG, ci=False).overall
    assert 6 * total - 5 * social == pytest.approx(truth["maturity_pct"].iloc[0], abs=1.5)


def test_the_reports_show_only_what_the_tables_show(shared, bank):
    """Every unit and role figure of a municipality report and every sector of the national
    overview is a row of the shared tables, so the attack above covers the reports too."""
    from dimios_lib.reports.data import ReportData
    from dimios_lib.reports.municipality import municipality_report
    from dimios_lib.reports.national import national_overview

    data, tables = shared
    loaded = ReportData(responses=data, scores=score(data, bank=bank, config=CONFIG),
                        source="x", synthetic=False, rounds=["2023-11", "2024-05"], bank=bank,
                        config=CONFIG)
    for kind in ("unit", "role"):
        cells = tables[f"municipality_round_{kind}.csv"]
        shown = {(r.municipality_code, r.round, getattr(r, kind), r.n_respondents): r.maturity_pct
                 for r in cells[~cells["suppressed"]].itertuples()}
        for code in ("1883", "1880", "1882", "1860", "0380", "0360"):
            rep = municipality_report(loaded, code, "2024-05")
            if rep.status != "ok":
                continue
            frame = rep.by_unit if kind == "unit" else rep.by_role
            hidden = rep.hidden_units if kind == "unit" else rep.hidden_roles
            for r in frame.itertuples():  # the CSV keeps three decimals
                assert shown[(code, "2024-05", r.group, r.n_respondents)] == pytest.approx(
                    r.maturity_pct, abs=1e-3)
            rows = cells[(cells["municipality_code"] == code) & (cells["round"] == "2024-05")]
            assert hidden == int(rows["suppressed"].sum())
    nat = national_overview(loaded, "2024-05").by_unit
    pools = tables["national_round_unit.csv"]
    pools = pools[~pools["suppressed"] & (pools["round"] == "2024-05")].set_index("unit")
    for r in nat.itertuples():
        assert pools.at[r.unit, "maturity_pct"] == pytest.approx(r.maturity_pct, abs=1e-3)
        assert pools.at[r.unit, "n_respondents"] == r.n_respondents
