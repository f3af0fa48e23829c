"""The attacker against the heat map of the municipality report: category values by unit and
by role, each with its number of answerers, the national value of each unit and role, and the
municipality's own category values. Per round and category, with full knowledge of who is in
which municipality, unit and role and of who answered the category, it tries every union of
unit x role cells inside a municipality, and every pair of cells of one unit (role) in two
municipalities, with 1 ... 4 answerers, by least squares over all published values x counts
(a union is recovered exactly when its indicator lies in their row space). It must fail;
against the heat map as it was (every cell of a shown unit, national values over every
respondent) the same attacker recovers the remainder that "vet ej" leaves, so the test can
fail."""

from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from dimios_lib.maturity.scoring import score
from dimios_lib.reports.data import ReportData
from dimios_lib.reports.municipality import municipality_report

from .test_disclosure import CONFIG, _dataset

ROUNDS = ["2023-11", "2024-05"]
MIN_N = CONFIG.min_group_size


def _remainder_trap(bank) -> pd.DataFrame:
    """Degerfors 2024-05: Kommunledning 6, Service 6, and two units too small to show,
    Miljö 3 and Hamn 2 (together 5: the dimension-level remainder is fine). Three of the five
    answer "vet ej" to both Organisation items, so Degerfors's Organisation minus
    Kommunledning and Service is 2 answerers."""
    reverse = dict(zip(bank.items["item_id"], bank.items["reverse"]))
    rng = np.random.default_rng(7)
    rows, k = [], 0
    for unit, n in (("Kommunledning", 6), ("Service", 6), ("Miljö", 3), ("Hamn", 2)):
        for j in range(n):
            k += 1
            for item in bank.item_ids:
                a = float(rng.integers(1, 7))
                if unit in ("Miljö", "Hamn") and (unit, j) != ("Hamn", 1) and \
                        (unit, j) != ("Miljö", 2) and item.startswith("ORG"):
                    a = np.nan
                rows.append(("1862", "2024-05", f"1862-t-{k:02d}", unit, "Chef", item,
                             7 - a if reverse[item] else a))
    return pd.DataFrame(rows, columns=["municipality_code", "round", "respondent_id", "unit",
                                       "role", "item_id", "answer"])


@pytest.fixture(scope="module")
def heat(bank):
    data = pd.concat([_dataset(bank), _remainder_trap(bank)], ignore_index=True)
    loaded = ReportData(responses=data, scores=score(data, bank=bank, config=CONFIG),
                        source="x", synthetic=False, rounds=ROUNDS, bank=bank, config=CONFIG)
    reps = {}
    for rnd in ROUNDS:
        for code in sorted(data.loc[data["round"] == rnd, "municipality_code"].unique()):
            rep = municipality_report(loaded, code, rnd)
            if rep.status == "ok":
                reps[(code, rnd)] = rep
    return loaded, reps


def _people(data: pd.DataFrame, bank, rnd: str, category: str) -> pd.DataFrame:
    """The respondents of a round who answered the category (the attacker's columns)."""
    items = set(bank.items.loc[bank.items["category"] == category, "item_id"])
    d = data[(data["round"] == rnd) & data["item_id"].isin(items) & data["answer"].notna()]
    p = d.drop_duplicates(["municipality_code", "respondent_id"])[
        ["municipality_code", "respondent_id", "unit", "role"]].reset_index(drop=True)
    p["unit"] = p["unit"].fillna("(none)")
    return p


def _mask(p: pd.DataFrame, **keys) -> np.ndarray:
    m = np.ones(len(p), bool)
    for k, v in keys.items():
        m &= (p[k].isin(v) if isinstance(v, (list, set)) else p[k] == v).to_numpy()
    return m.astype(float)


def _published(p, reps, rnd, category, *, old=False, data=None, shown_codes=()):
    """The rows the heat maps (and the category profiles) of every report of the round give."""
    rows = []
    for (code, r), rep in reps.items():
        if r != rnd:
            continue
        cats = rep.categories.set_index("category")
        if category in cats.index and pd.notna(cats.at[category, "pct"]):
            rows.append(_mask(p, municipality_code=code))
        for kind, frame in (("unit", rep.unit_categories), ("role", rep.role_categories)):
            f = frame[frame["category"] == category]
            for g in f.itertuples():
                if old or pd.notna(g.pct):
                    rows.append(_mask(p, municipality_code=code, **{kind: g.group}))
                if old:
                    rows.append(_mask(p, **{kind: g.group}))          # every respondent
                elif pd.notna(g.national):
                    rows.append(_mask(p, municipality_code=list(shown_codes), **{kind: g.group}))
    a = np.array([r for r in rows if r.any()])
    return a


def _targets(p: pd.DataFrame) -> dict:
    out = {}
    for code, g in p.groupby("municipality_code"):
        atoms = [c.index.to_numpy() for _, c in g.groupby(["unit", "role"])]
        for k in range(1, 5):
            for combo in combinations(atoms, k):
                members = np.concatenate(combo)
                if len(members) < MIN_N:
                    out[(code, tuple(sorted(members)))] = members
    for kind in ("unit", "role"):
        cells = {key: c.index.to_numpy() for key, c in p.groupby(["municipality_code", kind])
                 if len(c) < MIN_N}
        for (a, b) in combinations(cells, 2):
            if a[0] != b[0] and a[1] == b[1] and len(cells[a]) + len(cells[b]) < MIN_N:
                members = np.concatenate([cells[a], cells[b]])
                out[("pair", kind, a, b)] = members
    return out


def _recovered(a: np.ndarray, targets: dict, n: int) -> list:
    if not len(a) or not targets:
        return []
    _, s, vt = np.linalg.svd(a, full_matrices=False)
    basis = vt[s > 1e-9 * s[0]]
    keys = list(targets)
    g = np.zeros((len(keys), n))
    for k, key in enumerate(keys):
        g[k, targets[key]] = 1
    hit = np.abs(g - (g @ basis.T) @ basis).max(axis=1) < 1e-7
    return [key for key, h in zip(keys, hit) if h]


def _attack(heat, bank, *, old=False) -> tuple[list, int]:
    loaded, reps = heat
    found, tried = [], 0
    for rnd in ROUNDS:
        shown = set(loaded.shown_codes(rnd))
        for category in bank.categories["category"]:
            p = _people(loaded.responses, bank, rnd, category)
            a = _published(p, reps, rnd, category, old=old, shown_codes=shown)
            targets = _targets(p)
            tried += len(targets)
            found += [(rnd, category, key) for key in _recovered(a, targets, len(p))]
    return found, tried


def test_no_small_group_can_be_recovered_from_the_heat_maps(heat, bank):
    loaded, reps = heat
    cells = sum(int(r.unit_categories["pct"].notna().sum() + r.role_categories["pct"].notna()
                    .sum()) for r in reps.values())
    assert cells > 200  # the attacker has plenty to work with
    found, tried = _attack(heat, bank)
    assert tried > 1000 and found == []
    # the trap was caught: Degerfors shows at most one of its two units' Organisation
    rep = reps[("1862", "2024-05")]
    org = rep.unit_categories[rep.unit_categories["category"] == "Organisation"]
    assert set(org["group"]) == {"Kommunledning", "Service"}
    assert org["pct"].notna().sum() <= 1 and rep.hidden_unit_cells >= 1


def test_the_attacker_wins_against_the_heat_map_as_it_was(heat, bank):
    hits, _ = _attack(heat, bank, old=True)
    loaded, _ = heat
    p = _people(loaded.responses, bank, "2024-05", "Organisation")
    remainder = tuple(sorted(p.index[(p["municipality_code"] == "1862")
                                     & p["unit"].isin(["Miljö", "Hamn"])]))
    assert len(remainder) == 2
    assert ("2024-05", "Organisation", ("1862", remainder)) in hits
