"""The synthetic DigiGrow-like study: determinism, labelling, the designs it is built to show, and
that the analysis recovers the simulation's true effects."""


import json

import numpy as np
import pytest

from dimios_lib.contracts.study import read_study
from dimios_lib.demo.study import (
    COMPARISON,
    EFFECT_MULTIPLIER,
    FILE_NAME,
    RESPONDENTS,
    TREATED,
    TRUE_EFFECTS,
    generate_study_demo,
    write_study_demo,
)
from dimios_lib.reference.municipalities import municipality_names
from dimios_lib.study.analysis import analyse_study


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    return write_study_demo(tmp_path_factory.mktemp("study-demo"))


@pytest.fixture(scope="module")
def demo_results(demo_file):
    return analyse_study(read_study(demo_file))   # the default configuration, ordinal models on


def test_same_seed_same_bytes(demo_file, tmp_path):
    assert write_study_demo(tmp_path).read_bytes() == demo_file.read_bytes()
    assert not generate_study_demo(seed=1).equals(generate_study_demo())


def test_labelled_synthetic_and_valid(demo_file):
    assert demo_file.name == FILE_NAME and "SYNTHETIC" in FILE_NAME
    meta = json.loads((demo_file.parent / (FILE_NAME + ".meta.json")).read_text("utf-8"))
    assert meta["synthetic"] is True and "SYNTHETIC" in meta["label"]
    assert "Alingsås, Linköping and Umeå" in meta["description"]
    assert meta["true_effects"] == TRUE_EFFECTS
    data = read_study(demo_file)
    assert data.attrs["synthetic"] is True
    assert data.attrs["waves"] == {"before": "2019-10", "after": "2021-04"}
    assert data["answer"].isna().mean() == pytest.approx(0.039, abs=0.015)   # "vet ej"
    assert municipality_names(TREATED) == ["Alingsås", "Linköping", "Umeå"]
    assert municipality_names(COMPARISON) == ["Lerum", "Örebro", "Luleå"]
    arms = data.drop_duplicates("municipality_code").set_index("municipality_code")["arm"]
    assert set(arms[list(TREATED)]) == {"treated"} and set(arms[list(COMPARISON)]) == {
        "comparison"}


def test_designs_as_built(demo_results):
    design = demo_results.design.set_index("municipality_code")
    for code, (n_before, n_after, n_both) in RESPONDENTS.items():
        assert tuple(design.loc[code, ["n_before", "n_after", "n_matched"]]) == (
            n_before, n_after, n_both)
    assert design.loc["0580", "design"] == "paired"
    assert design.loc["1441", "overlap"] == "none"
    assert set(design.loc[["1489", "2480", "1880", "2580"], "overlap"]) == {"partial"}
    assert len(demo_results.sensitivity) == 4 * 4
    # Umeå (purpose) and Örebro (impact) disagree; the warnings name them.
    agrees = design["sensitivity_agrees"]
    assert agrees[["0580", "1441"]].isna().all()
    assert agrees[["2480", "1880"]].tolist() == [False, False]
    assert agrees[["1489", "2580"]].tolist() == [True, True]
    flagged = {(w.municipality_code, w.dimension) for w in demo_results.warnings
               if w.code == "sensitivity_disagrees"}
    assert flagged == {("2480", "purpose"), ("1880", "impact")}
    assert "synthetic" in {w.code for w in demo_results.warnings}


def test_recovers_the_true_effects(demo_results):
    """The simulated effect is TRUE_EFFECTS x the municipality's multiplier (1.0, 1.2, 0.7):
    on average over the treated municipalities 0.967 x TRUE_EFFECTS; the common trend cancels
    in the difference-in-differences. Every 95 % interval covers its true value: the one
    clustered by respondent and the wild cluster bootstrap's across municipalities."""
    did = demo_results.did.set_index("dimension")
    mean_multiplier = np.mean(list(EFFECT_MULTIPLIER.values()))
    for dim, effect in TRUE_EFFECTS.items():
        truth = effect * mean_multiplier
        assert did.loc[dim, "ci_low"] < truth < did.loc[dim, "ci_high"], dim
        assert did.loc[dim, "wild_ci_low"] < truth < did.loc[dim, "wild_ci_high"], dim
    # The capacity effect (0.6) is the largest simulated one and clearly positive.
    assert did.loc["capacity", "ci_low"] > 0


def test_items_and_reliability(demo_results):
    items = demo_results.items
    assert len(items) == 16 and items["converged"].all()
    assert (items["p_adjusted"] >= items["p_value"] - 1e-12).all()
    assert {"did_log_odds", "did_p_adjusted"} <= set(items.columns)
    # The simulated effects are largest for capacity and purpose: so are the item log odds.
    by_dim = items.groupby("dimension")["log_odds"].mean()
    assert by_dim["capacity"] > by_dim["potential"] and by_dim["purpose"] > by_dim["impact"]
    rel = demo_results.reliability
    assert len(rel) == 8 and rel["alpha"].between(0.7, 0.9).all()
    assert rel["omega"].between(0.7, 0.9).all()
