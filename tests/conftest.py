import numpy as np
import pandas as pd
import pytest

from dimios_lib.reference.items import load_item_bank

COLUMNS = ["municipality_code", "round", "respondent_id", "unit", "role", "item_id", "answer"]


def frame(rows):
    """Canonical frame from (code, round, respondent, unit, role, item, answer) tuples."""
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["answer"] = out["answer"].astype(float)
    for c in ("unit", "role"):
        out[c] = out[c].astype(object)
    return out


def respondents(code, rnd, answers_by_respondent, unit=None, role=None):
    """Rows for several respondents: {respondent_id: {item_id: answer}}."""
    return [(code, rnd, r, unit, role, i, a)
            for r, answers in answers_by_respondent.items() for i, a in answers.items()]


@pytest.fixture(scope="session")
def bank():
    return load_item_bank()


@pytest.fixture(scope="session")
def all_items(bank):
    return bank.item_ids


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


# ---- a small, hand-computable dataset for the report tests --------------------------------
#
# Every respondent gives one answer v to every item (v flipped for reverse-scored items, so
# after reverse scoring every item is v). An item's % is then (mean v - 1) / 5 x 100 and every
# category, both dimensions and maturity equal it.
#
#   municipality        round    respondents (answer)        maturity %
#   1883 Karlskoga      2023-11  6 x 2                       (2-1)/5*100 = 20
#   1883 Karlskoga      2024-05  3 x 4, 3 x 5 -> mean 4.5    (4.5-1)/5*100 = 70
#   1880 Örebro         both     6 x 3                       40
#   0114 Upplands Väsby both     6 x 5                       80
#   1884 Nora           2024-05  3 x 6 (below the minimum)   100, never shown
#
# National mean 2024-05 (municipalities with >= 5 respondents): (70 + 40 + 80) / 3 = 63.33;
# Örebro county (18) peer mean: (70 + 40) / 2 = 55; Karlskoga ranks 2nd of 3.
# In 2024-05 five of Karlskoga's respondents are in Socialtjänst and one in Service (hidden).
SMALL_ROUNDS = ("2023-11", "2024-05")


def small_dataset(bank) -> pd.DataFrame:
    reverse = dict(zip(bank.items["item_id"], bank.items["reverse"]))
    rows = []

    def people(code, rnd, values, units=None):
        for k, v in enumerate(values):
            unit = units[k] if units else "Kommunledning"
            for item in bank.item_ids:
                answer = 7 - v if reverse[item] else v
                rows.append((code, rnd, f"{code}-{rnd}-resp{k + 1:02d}", unit, "Chef", item,
                             answer))

    people("1883", "2023-11", [2] * 6)
    people("1883", "2024-05", [4, 4, 4, 5, 5, 5], ["Socialtjänst"] * 5 + ["Service"])
    for rnd in SMALL_ROUNDS:
        people("1880", rnd, [3] * 6)
        people("0114", rnd, [5] * 6)
    people("1884", "2024-05", [6] * 3)
    return frame(rows)


@pytest.fixture(scope="session")
def small_csv(tmp_path_factory, bank):
    """The small dataset written as a CSV export (Swedish-style semicolons)."""
    path = tmp_path_factory.mktemp("small") / "small_export.csv"
    data = small_dataset(bank)
    data["answer"] = data["answer"].astype(int)
    data.to_csv(path, sep=";", index=False)
    return path


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory):
    """The library's disk cache in a folder of the test session (kernels inherit it)."""
    import os

    old = os.environ.get("DIMIOS_CACHE_DIR")
    os.environ["DIMIOS_CACHE_DIR"] = str(tmp_path_factory.mktemp("dimios-cache"))
    yield
    if old is None:
        os.environ.pop("DIMIOS_CACHE_DIR", None)
    else:
        os.environ["DIMIOS_CACHE_DIR"] = old
