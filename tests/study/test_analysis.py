"""Before/after studies: the data contract, the design rules, the analysis end to end (pinned to
R's sleep data and Shrout & Fleiss 1979), warnings, conclusions and the shared table."""


import numpy as np
import pytest

from dimios_lib.config import StudyConfig
from dimios_lib.contracts.study import read_study
from dimios_lib.reference.instrument import load_instrument
from dimios_lib.stats.multiplicity import adjust_pvalues
from dimios_lib.study.analysis import TABLE_COLUMNS, analyse_study

from .conftest import small_study

SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]


SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


FAST = StudyConfig(ordinal=False, bootstrap_resamples=200)


@pytest.fixture(scope="module")
def sleep_instrument(tmp_path_factory):
    """One item, one dimension, answers 1-72: sleep hours x 10 + 17 are whole numbers in range.
    t, df and p do not change under x -> 10x + 17."""
    path = tmp_path_factory.mktemp("ins") / "sleep.csv"
    path.write_text("item_id,dimension,reverse,scale_min,scale_max,label\n"
                    "SLEEP,sleep,false,1,72,Extra sleep\n", encoding="utf-8")
    return load_instrument(path)


def sleep_file(folder, after_ids):
    """A Swedish-style study file (semicolons, Swedish column names, före/efter waves)."""
    lines = ["Kommunkod;Mätning;Respondent;Fråga;Svar"]
    for wave, values, ids in (("före", SLEEP_1, [f"p{i}" for i in range(10)]),
                              ("efter", SLEEP_2, after_ids)):
        lines += [f"0580;{wave};{rid};SLEEP;{round(10 * v + 17)}" for rid, v in zip(ids, values)]
    path = folder / "sleep.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path




def test_sleep_paired_end_to_end(tmp_path, sleep_instrument):
    """Same ids in both waves → paired. R: t.test(extra ~ group, data = sleep, paired = TRUE):
    t = 4.0621, df = 9, p-value = 0.002833 (sign flipped: after − before)."""
    data = read_study(sleep_file(tmp_path, [f"p{i}" for i in range(10)]), sleep_instrument)
    assert data.attrs["waves"] == {"before": "före", "after": "efter"}
    res = analyse_study(data, sleep_instrument, config=FAST)
    row = res.municipalities.iloc[0]
    assert (row["design"], row["overlap"], row["test"]) == ("paired", "full", "paired t")
    assert row["statistic"] == pytest.approx(4.0621, abs=5e-5)
    assert row["df"] == 9
    assert row["p_value"] == pytest.approx(0.002833, abs=5e-7)
    assert row["mean_diff"] == pytest.approx(15.8)          # 10 x 1.58
    assert row["effect_size"] == pytest.approx(0.760851, abs=5e-7)  # g_av is scale-free
    assert row["rank_p_value"] == pytest.approx(0.009091, abs=5e-7)
    assert res.sensitivity.empty


def test_sleep_independent_end_to_end(tmp_path, sleep_instrument):
    """No id in both waves → independent. R: t.test(extra ~ group, data = sleep) (Welch):
    t = 1.8608, df = 17.776, p-value = 0.07939; wilcox.test: p-value = 0.06933."""
    data = read_study(sleep_file(tmp_path, [f"q{i}" for i in range(10)]), sleep_instrument)
    res = analyse_study(data, sleep_instrument, config=FAST)
    row = res.municipalities.iloc[0]
    assert (row["design"], row["overlap"], row["test"]) == ("independent", "none", "Welch t")
    assert row["statistic"] == pytest.approx(1.8608, abs=5e-5)
    assert row["df"] == pytest.approx(17.776, abs=5e-4)
    assert row["p_value"] == pytest.approx(0.07939, abs=5e-6)
    assert row["rank_p_value"] == pytest.approx(0.06933, abs=5e-6)
    assert row["effect_size"] == pytest.approx(0.797019, abs=5e-7)


def test_sleep_partial_overlap_has_a_matched_sensitivity_check(tmp_path, sleep_instrument):
    """Five of ten ids in both waves → independent on everyone (Welch as above) and the five
    pairs analysed paired: the paired t of pairs (0.7, 1.9), (-1.6, 0.8), (-0.2, 1.1),
    (-1.2, 0.1), (-0.1, -0.1): differences 1.2, 2.4, 1.3, 1.3, 0 (x 10), mean 12.4."""
    ids = [f"p{i}" for i in range(5)] + [f"q{i}" for i in range(5)]
    data = read_study(sleep_file(tmp_path, ids), sleep_instrument)
    res = analyse_study(data, sleep_instrument, config=FAST)
    design = res.design.iloc[0]
    assert (design["design"], design["overlap"], design["n_matched"]) == ("independent",
                                                                          "partial", 5)
    assert res.municipalities.iloc[0]["statistic"] == pytest.approx(1.8608, abs=5e-5)
    sens = res.sensitivity.iloc[0]
    d = np.array([1.2, 2.4, 1.3, 1.3, 0.0]) * 10
    t = d.mean() / (d.std(ddof=1) / np.sqrt(5))
    assert sens["design"] == "paired" and sens["n_matched"] == 5
    assert sens["mean_diff"] == pytest.approx(12.4)
    assert sens["statistic"] == pytest.approx(t)
    table = res.table()
    assert table.loc[0, "matched_mean_diff"] == pytest.approx(12.4)
    assert "partial_overlap" in {w.code for w in res.warnings}


def test_table_columns_pooled_rows_and_holm():
    res = analyse_study(small_study(comparison=True), config=FAST)
    table = res.table()
    required = ["municipality_code", "dimension", "n_before", "n_after", "mean_before",
                "mean_after", "design", "test", "statistic", "df", "p_value", "p_adjusted",
                "effect_size", "ci_low", "ci_high", "did_estimate"]
    assert set(required) <= set(table.columns) and list(table.columns) == list(TABLE_COLUMNS)
    assert len(table) == (6 + 2) * 4
    pooled = table[table["municipality_code"] == "pooled"]
    assert pooled["did_estimate"].notna().all() and len(pooled) == 4
    assert table.loc[table["municipality_code"] != "pooled", "did_estimate"].isna().all()
    assert set(table["municipality_code"]) >= {"pooled", "pooled_comparison", "1489"}
    # Holm across one municipality's four dimensions.
    alingsas = table[table["municipality_code"] == "1489"]
    assert alingsas["p_adjusted"].to_numpy() == pytest.approx(
        adjust_pvalues(alingsas["p_value"]))
    # Treated scores rose by one scale point, comparison ones did not: every interval covers 1.
    assert (res.did["ci_low"] < 1).all() and (res.did["ci_high"] > 1).all()
    assert (res.did["estimate"] > 0.5).all()
    assert res.did["n_assignments"].eq(20).all()
    # Across municipalities: Rademacher weights, all 2^6 = 64 vectors, p at least 2/64.
    assert res.did["wild_draws"].eq(64).all() and res.did["min_wild_p"].eq(1 / 32).all()
    assert res.did["wild_p_adjusted"].to_numpy() == pytest.approx(
        adjust_pvalues(res.did["wild_p"]))
    pooled_rows = table[table["municipality_code"] == "pooled"]
    assert pooled_rows["did_wild_p"].to_numpy() == pytest.approx(res.did["wild_p"].to_numpy())
    codes = {w.code for w in res.warnings}
    assert {"few_clusters", "did_bound", "parallel_trends", "random_effects"} <= codes
    assert "no_comparison" not in codes
    bound = next(w for w in res.warnings if w.code == "did_bound")
    assert bound.values["min_p_adjusted"] == 4 / 32  # Holm: 4 x 1/32 > 5 %
    # With 3 + 3 municipalities no test across them can reach 5 % after Holm over four
    # dimensions: the treated rose, but that cannot be attributed to the intervention, even
    # though the respondent-level difference-in-differences is overwhelming.
    assert (res.did["p_adjusted"] < 0.001).all()
    assert set(res.conclusions["level"]) == {"change_not_attributable"}
    assert set(res.conclusions["inference"]) == {"respondents"}
    assert res.conclusions["min_p_adjusted"].eq(0.125).all()
    assert res.conclusions["min_permutation_p"].eq(0.1).all()
    assert res.conclusions["n_municipalities"].eq(6).all()


def test_webb_weights_can_give_an_indication_the_permutation_test_cannot_confirm():
    study = small_study(n_after_small=20, comparison=True, seed=1)
    res = analyse_study(study, config=FAST.with_(did_weights="webb"))
    assert res.did["wild_draws"].eq(6 ** 6).all()
    assert set(res.conclusions["level"]) == {"did_suggestive"}
    assert set(res.conclusions["inference"]) == {"wild_cluster"}
    # The estimate and interval are the difference-in-differences across municipalities.
    c = res.conclusions.set_index("dimension")
    d = res.did.set_index("dimension")
    assert c["ci_low"].to_numpy() == pytest.approx(d["wild_ci_low"].to_numpy())
    assert (c["confirm_min_p_adjusted"] == 0.4).all()  # 4 x 2/20: the permutation test cannot
    assert "did_bound" not in {w.code for w in res.warnings}
    # Chosen the other way round, the conclusions rest on the permutation test, which cannot
    # reach 5 % with six municipalities.
    swapped = analyse_study(study, config=FAST.with_(did_weights="webb",
                                                     did_inference="randomisation"))
    assert set(swapped.conclusions["level"]) == {"change_not_attributable"}
    assert "did_bound" in {w.code for w in swapped.warnings}


def test_scores_for_plots_carry_no_respondent_ids():
    res = analyse_study(small_study(), config=FAST)
    assert "respondent_id" not in res.scores.columns
    assert list(res.scores.columns) == ["municipality_code", "arm", "wave", "person", "matched",
                                        "dimension", "score"]
    assert not res.scores["matched"].any()   # every respondent answered one wave here
    # codes and numbers only: the words are the text layer's
    assert not any(hasattr(w, "sv") or hasattr(w, "en") for w in res.warnings)
    assert "sv" not in res.conclusions and "reason_sv" not in res.design
