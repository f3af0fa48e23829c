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
# In 2024-05 five of Karlskoga's respondents are in Socialtjänst and one in Service: both are
# hidden (Service is too small, Socialtjänst would give it away: 6 - 5 = 1).
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


# ---- a small initiative register, checked by hand in tests/programmes/test_initiatives.py ----

INITIATIVES = """initiative_id;municipality_code;title;committed;portfolio;targets
A;1440;Digitala signeringslistor;2022-01-10;nej;EFF1;INN2
B;1440;Chattbot;2022-01-10;nej;INN1
C;1401;E-arkiv;2022-02-01;ja;EFF5
D;1401;Sensorer;2022-03-01;nej;
"""


# A: dialog 01-10, utforska 02-09 (30 d), idéskissa 03-11 (30), prova 04-10 (30),
#    beslut 05-10 continue (30), införa 06-09 (30)                       -> active in införa
# B: dialog 01-10, system management 01-30 (20)                           -> done
# C: dialog 02-01 ... prova 03-03, beslut 04-02 stop                      -> stopped
# D: dialog 03-01, utforska 03-11 (10)                                    -> active, stuck
STAGES = """initiative_id;stage;date;decision;decided_by
A;dialog;2022-01-10;;
A;utforska;2022-02-09;;
A;idéskissa;2022-03-11;;
A;prova;2022-04-10;;
A;Beslut 1;2022-05-10;fortsätt;KLG
A;införa;2022-06-09;;
B;dialog;2022-01-10;;
B;systemförvaltning;2022-01-30;;
C;dialog;2022-02-01;;
C;utforska;2022-02-11;;
C;idéskissa;2022-02-21;;
C;prova;2022-03-03;;
C;beslut 1;2022-04-02;stoppa;KLG
D;dialog;2022-03-01;;
D;utforska;2022-03-11;;
"""


KPIS = """initiative_id;kpi;baseline;target;value;date
A;Andel digitala signeringar;20;60;50;2022-10-01
A;Avvikelser per månad;10;5;4;2022-10-01
C;Sökningar i arkivet;100;200;;
"""


def write_register(folder, initiatives=INITIATIVES, stages=STAGES, kpis=KPIS):
    folder.mkdir(exist_ok=True)
    (folder / "initiatives.csv").write_text(initiatives.replace("EFF1;INN2", '"EFF1;INN2"'),
                                            encoding="utf-8")
    (folder / "stages.csv").write_text(stages, encoding="utf-8")
    (folder / "kpis.csv").write_text(kpis, encoding="utf-8")
    return folder


@pytest.fixture
def reg(tmp_path):
    """The small register above, read through its contract."""
    from dimios_lib.contracts.register import read_register

    return read_register(write_register(tmp_path / "reg"))
