import numpy as np
import pandas as pd
import pytest

from dimios_lib.items import load_item_bank

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
