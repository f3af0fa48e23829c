"""Before/after studies: the data contract, the design rules, the analysis end to end (pinned to
R's sleep data and Shrout & Fleiss 1979), warnings, conclusions and the shared table."""


import numpy as np
import pytest

from dimios_lib.config import StudyConfig
from dimios_lib.errors import ConfigError
from dimios_lib.study.analysis import analyse_study
from dimios_lib.study.verdicts import did_level

from .conftest import small_study, two_arm_study

FAST = StudyConfig(ordinal=False, bootstrap_resamples=200)




def test_without_comparison_the_conclusion_cannot_be_causal():
    res = analyse_study(small_study(n_after_small=4), config=FAST)
    codes = {w.code for w in res.warnings}
    assert {"no_comparison", "random_effects", "small_group"} <= codes
    assert res.did is None and not res.has_comparison
    assert set(res.conclusions["level"]) <= {"change_without_comparison", "no_clear_change"}
    assert "change_without_comparison" in set(res.conclusions["level"])
    small = next(w for w in res.warnings if w.code == "small_group")
    assert small.municipality_code == "2480" and small.wave == "after"
    assert dict(small.values) == {"n": 4, "min_group_size": 5}
    # The shared table withholds the small group's values; counts stay.
    table = res.table()
    umea = table[table["municipality_code"] == "2480"]
    assert umea["suppressed"].all() and umea["n_after"].eq(4).all()
    assert umea[["mean_after", "p_value", "effect_size", "ci_low"]].isna().all().all()
    assert table.loc[table["municipality_code"] != "2480", "mean_after"].notna().all()
    assert not res.table(suppress_small=False)["suppressed"].any()
    assert res.table(suppress_small=False).loc[umea.index, "mean_after"].notna().all()
    assert table["did_estimate"].isna().all()


def test_unreliable_scale_is_flagged():
    data = small_study()
    rng = np.random.default_rng(5)
    noisy = data.copy()
    purpose = noisy["item_id"].str.startswith("PUR")
    noisy.loc[purpose, "answer"] = rng.integers(1, 8, purpose.sum()).astype(float)
    res = analyse_study(noisy, config=FAST)
    flagged = {(w.code, w.dimension) for w in res.warnings}
    assert ("unreliable_scale", "purpose") in flagged
    assert ("unreliable_scale", "capacity") not in flagged


def test_five_and_five_municipalities_can_support_an_effect():
    """5 + 5 municipalities and a clear effect: the wild cluster bootstrap (2^10 = 1024
    Rademacher vectors, p at least 2/1024) and the permutation test (C(10, 5) = 252
    assignments, p at least 2/252 = 0.0079) both reach 5 % after Holm over four dimensions."""
    res = analyse_study(two_arm_study(5), config=FAST)
    assert res.did["wild_draws"].eq(1024).all() and res.did["n_assignments"].eq(252).all()
    assert res.did["permutation_p"].eq(2 / 252).all()
    assert set(res.conclusions["level"]) == {"did_supported"}
    assert "did_bound" not in {w.code for w in res.warnings}
    # No effect at all: nothing is claimed about the intervention.
    null = analyse_study(two_arm_study(5, effect=0.0, seed=3), config=FAST)
    assert not set(null.conclusions["level"]) & {"did_supported", "did_suggestive"}


def test_did_level_rests_on_the_chosen_test_and_supported_needs_both():
    row = {"wild_p_adjusted": 0.2, "permutation_p_adjusted": 0.03}
    assert did_level(row, StudyConfig()) is None
    assert did_level(row, StudyConfig(did_inference="randomisation")) == "did_suggestive"
    assert did_level({**row, "wild_p_adjusted": 0.05},
                     StudyConfig(did_inference="randomisation")) == "did_supported"
    assert did_level({"wild_p_adjusted": np.nan, "permutation_p_adjusted": 0.01},
                     StudyConfig()) is None
    with pytest.raises(ConfigError):
        StudyConfig(did_inference="respondents")
    with pytest.raises(ConfigError):
        StudyConfig(did_weights="mammen")


def test_without_comparison_no_sentence_speaks_of_an_effect():
    """A before/after change in the treated municipalities is never called an effect of the
    intervention: no conclusion, and not the warning about the missing comparison group, says
    "effect"/"effekt" (the dimension "Impact", Swedish "Effekt", taken out), and every change
    says it cannot be attributed."""
    from dimios_lib.text import study as words

    res = analyse_study(small_study(), config=FAST)
    assert res.did is None
    assert set(res.conclusions["level"]) == {"change_without_comparison"}
    for lang, not_attributed in (("en", "cannot be attributed to the intervention"),
                                 ("sv", "inte tillskrivas insatsen")):
        label = res.instrument.dimension_label("impact", lang)
        sentences = (words.std_conclusions(res, lang)
                     + [words.warning_text(w, res, lang) for w in res.warnings
                        if w.code == "no_comparison"])
        for text in sentences:
            bare = text.replace(label, "").replace(label.lower(), "").lower()
            assert "effect" not in bare and "effekt" not in bare, text
        assert all(not_attributed in c for c in words.std_conclusions(res, lang))
