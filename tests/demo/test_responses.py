"""The synthetic demo data: determinism, labelling and calibration to the published figures."""


import json

import pytest

from dimios_lib.contracts.responses import read_responses
from dimios_lib.demo.responses import ROUNDS, SHARED_IT, generate_demo, municipality_effects, write_demo
from dimios_lib.maturity.benchmarks import national_means
from dimios_lib.maturity.scoring import score


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def demo_scores(demo_file):
    return score(read_responses(demo_file), ci=False)


def test_same_seed_same_bytes(demo_file, tmp_path):
    again = write_demo(tmp_path)
    assert again.read_bytes() == demo_file.read_bytes()
    other = generate_demo(seed=1, rounds=ROUNDS[:1])
    assert not other.equals(generate_demo(rounds=ROUNDS[:1]))


def test_labelled_synthetic_and_valid(demo_file):
    assert "SYNTHETIC" in demo_file.name
    meta = json.loads((demo_file.parent / (demo_file.name + ".meta.json")).read_text("utf-8"))
    assert meta["synthetic"] is True and "SYNTHETIC" in meta["label"]
    data = read_responses(demo_file)   # passes the data contract
    assert data.attrs["synthetic"] is True
    assert sorted(data["round"].unique()) == list(ROUNDS)
    assert data["answer"].isna().mean() == pytest.approx(0.055, abs=0.02)   # "vet ej"


def test_participation_and_sizes(demo_scores):
    o = demo_scores.overall
    per_round = o.groupby("round")["municipality_code"].nunique()
    assert (per_round < 290).all() and (per_round > 150).all()       # not everyone takes part
    assert o["municipality_code"].nunique() > 250
    assert o["n_respondents"].min() < 5 and 50 <= o["n_respondents"].max() <= 80


def test_calibrated_to_published_national_figures(demo_scores):
    # SKR project baseline 48 % rising towards the 55 % goal.
    nat = national_means(demo_scores).set_index("round")["maturity_pct"]
    assert nat[ROUNDS[0]] == pytest.approx(48, abs=1.5)
    assert nat[ROUNDS[-1]] == pytest.approx(55, abs=1.5)
    assert nat.is_monotonic_increasing


def test_social_services_and_education_score_lowest(demo_file):
    units = score(read_responses(demo_file), by=("round", "unit"), ci=False).overall
    for _, block in units.groupby("round"):
        lowest = set(block.nsmallest(2, "maturity_pct")["unit"])
        assert lowest == {"Socialtjänst", "Utbildning"}


def test_mora_orsa_alvdalen_share_one_legacy_profile():
    e = municipality_effects().set_index("municipality_code")
    shared = e.loc[list(SHARED_IT)]
    assert shared["legacy_effect"].nunique() == 1 and shared["legacy_trend"].nunique() == 1
    assert e["legacy_effect"].nunique() == 290 - 2
