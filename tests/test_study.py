"""Before/after studies: the data contract, the design rules, the analysis end to end (pinned to
R's sleep data and Shrout & Fleiss 1979), warnings, conclusions and the shared table."""


import numpy as np
import pandas as pd
import pytest

from dimios_lib.config import StudyConfig
from dimios_lib.contracts.study import read_study, validate_study
from dimios_lib.errors import ConfigError, DataValidationError, DimiosError
from dimios_lib.reference.instrument import load_instrument
from dimios_lib.stats.multiplicity import adjust_pvalues
from dimios_lib.stats.reliability import cronbach_alpha
from dimios_lib.study.analysis import TABLE_COLUMNS, analyse_study
from dimios_lib.study.items import study_reliability
from dimios_lib.study.scores import choose_design, dimension_scores

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


def long_frame(rows, columns=("municipality_code", "wave", "respondent_id", "item_id",
                              "answer")):
    return pd.DataFrame(rows, columns=list(columns))


def answers(code, wave, ids, values, items=("PUR1", "PUR2", "PUR3", "PUR4"), arm=None):
    """Rows of several respondents answering the same value to every item."""
    out = []
    for rid, v in zip(ids, values):
        for item in items:
            row = (code, wave, rid, item, v)
            out.append(row + (arm,) if arm else row)
    return out


# -------------------------------------------------------------------------------------------
# End to end against R
# -------------------------------------------------------------------------------------------

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


# -------------------------------------------------------------------------------------------
# Scores and the design rules
# -------------------------------------------------------------------------------------------

def test_dimension_scores_flip_reverse_items_and_need_half_the_items():
    ins = load_instrument()
    rows = [("1489", "before", "r1", "PUR1", 5), ("1489", "before", "r1", "PUR4", 2),  # 2 → 6
            ("1489", "before", "r2", "PUR1", 7), ("1489", "before", "r2", "PUR2", np.nan),
            ("1489", "before", "r2", "PUR3", np.nan)]
    data = long_frame(rows).assign(arm="treated")
    s = dimension_scores(data, ins).set_index("respondent_id")
    assert s.loc["r1", "score"] == pytest.approx((5 + 6) / 2)   # 2 of 4 items: enough
    assert np.isnan(s.loc["r2", "score"]) and s.loc["r2", "n_items"] == 1  # 1 of 4: too few
    strict = dimension_scores(data, ins, config=StudyConfig(min_item_share=0.75))
    assert strict["score"].isna().all()


@pytest.mark.parametrize("before,after,expected", [
    ([1, 2, 3], [1, 2, 3], ("paired", "full", 0 + 3)),
    ([1, 2, 3], [4, 5], ("independent", "none", 0)),
    ([1, 2, 3], [2, 3, 4], ("independent", "partial", 2)),
    ([1, 2, 3], [1, 2], ("independent", "partial", 2)),   # one drop-out is enough
])
def test_design_rules(before, after, expected):
    s = pd.DataFrame({"municipality_code": "0580", "arm": "treated",
                      "wave": ["before"] * len(before) + ["after"] * len(after),
                      "person": before + after, "score": 4.0})
    d = choose_design(s).iloc[0]
    assert (d["design"], d["overlap"], d["n_matched"]) == expected
    assert (d["n_before"], d["n_after"]) == (len(before), len(after))


def test_design_counts_only_respondents_with_a_score():
    # Person 3 is in the after wave but answered nothing: not a participant there.
    s = pd.DataFrame({"municipality_code": "0580", "arm": "treated",
                      "wave": ["before"] * 3 + ["after"] * 3, "person": [1, 2, 3, 1, 2, 3],
                      "score": [4, 4, 4, 5, 5, np.nan]})
    d = choose_design(s).iloc[0]
    assert (d["design"], d["n_after"], d["n_matched"]) == ("independent", 2, 2)


# -------------------------------------------------------------------------------------------
# Reliability against a published example
# -------------------------------------------------------------------------------------------

def test_alpha_through_the_study_matches_shrout_fleiss(tmp_path):
    """Shrout & Fleiss (1979), 6 targets x 4 judges; Cronbach's alpha (= their ICC(3,k)) is
    published as 0.91, 0.909316 exactly. The fourth 'item' is stored reverse-scored
    (11 − x on a 1-10 scale) and marked reverse: flipped back, alpha is unchanged."""
    ratings = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    path = tmp_path / "judges.csv"
    path.write_text("item_id,dimension,reverse,scale_min,scale_max\n"
                    "J1,rating,false,1,10\nJ2,rating,false,1,10\nJ3,rating,false,1,10\n"
                    "J4,rating,true,1,10\n", encoding="utf-8")
    ins = load_instrument(path)
    rows = []
    for wave in ("2019-10", "2021-04"):
        for r, target in enumerate(ratings):
            rows += [("0580", wave, f"t{r}", f"J{j + 1}", x if j < 3 else 11 - x)
                     for j, x in enumerate(target)]
    data = validate_study(long_frame(rows), ins)
    rel = study_reliability(data, ins)
    assert rel["wave"].tolist() == ["before", "after"]
    assert rel["alpha"].tolist() == pytest.approx([0.909316] * 2, abs=1e-6)
    assert rel["n_complete"].tolist() == [6, 6] and rel["k_items"].tolist() == [4, 4]
    assert rel.loc[0, "alpha"] == pytest.approx(cronbach_alpha(ratings))


# -------------------------------------------------------------------------------------------
# The data contract: every problem at once
# -------------------------------------------------------------------------------------------

GOOD_HEADER = "municipality_code,wave,respondent_id,item_id,answer,arm\n"


def good_rows():
    rows = []
    for code, arm in (("1489", "treated"), ("1441", "comparison")):
        for wave in ("2019-10", "2021-04"):
            for r in range(2):
                rows += [f"{code},{wave},{code}-{r},{item},{4 + r},{arm}"
                         for item in ("PUR1", "PUR2")]
    return rows


def write(tmp_path, rows, header=GOOD_HEADER, name="study.csv"):
    path = tmp_path / name
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def problems_of(path, **kw):
    with pytest.raises(DataValidationError) as info:
        read_study(path, **kw)
    return info.value.problems


def test_good_file_reads(tmp_path):
    data = read_study(write(tmp_path, good_rows()))
    assert list(data.columns) == ["municipality_code", "arm", "wave", "wave_label",
                                  "respondent_id", "item_id", "answer"]
    assert data.attrs["waves"] == {"before": "2019-10", "after": "2021-04"}
    assert set(data["wave"]) == {"before", "after"} and data.attrs["synthetic"] is False
    assert data["municipality_code"].tolist()[0] == "1489"


def test_unknown_item_and_off_scale_answer_named_exactly(tmp_path):
    rows = good_rows()
    rows[0] = "1489,2019-10,1489-0,XYZ9,4,treated"
    rows[1] = "1489,2019-10,1489-0,PUR2,8,treated"
    rows[2] = "1489,2019-10,1489-1,PUR1,4.5,treated"
    rows[3] = "1489,2019-10,1489-1,pur2,\"4,0\",treated"    # case and a whole decimal comma: fine
    found = problems_of(write(tmp_path, rows))
    assert [(p.file.endswith("study.csv"), p.row, p.column, p.value) for p in found] == [
        (True, 2, "item_id", "XYZ9"), (True, 3, "answer", "8"), (True, 4, "answer", "4.5")]
    assert "expected an item of the instrument innovation-oecd-lenses-0.1" in found[0].expected
    assert found[1].expected.startswith("expected a whole number from 1 to 7 (the scale of "
                                        "item PUR2)")


def test_a_municipality_without_answers_in_a_wave(tmp_path):
    rows = [r for r in good_rows() if not r.startswith("1441,2021-04")]
    [p] = problems_of(write(tmp_path, rows))
    assert (p.row, p.column, p.value) == (10, "wave", "2019-10")
    assert "municipality 1441 Lerum in both waves: it has none in the after wave ('2021-04')" \
        in p.expected


def test_a_wave_whose_answers_are_all_missing(tmp_path):
    rows = [r.rsplit(",", 2)[0] + ",vet ej,treated" if r.startswith("1489,2021-04") else r
            for r in good_rows()]
    [p] = problems_of(write(tmp_path, rows))
    assert (p.row, p.column, p.value) == (6, "answer", "vet ej")
    assert "every answer there is missing" in p.expected and "1489 Alingsås" in p.expected


def test_a_single_wave(tmp_path):
    rows = [r for r in good_rows() if ",2019-10," in r]
    [p] = problems_of(write(tmp_path, rows))
    assert (p.row, p.column, p.value) == (None, "wave", "2019-10")
    assert "expected two waves (before and after); the file has only one" == p.expected


def test_three_waves_mixed_labels_and_bad_labels(tmp_path):
    rows = good_rows() + ["1489,2020-05,1489-9,PUR1,4,treated"]
    [p] = problems_of(write(tmp_path, rows))
    assert (p.row, p.column, p.value) == (None, "wave", "2019-10, 2020-05, 2021-04")
    assert "found 3 (2019-10 from row 2, 2020-05 from row 18, 2021-04 from row 6)" in p.expected
    rows = good_rows()
    rows[0] = rows[0].replace("2019-10", "efter")
    [p] = problems_of(write(tmp_path, rows))
    assert (p.row, p.value) == (2, "efter") and "of one kind" in p.expected
    rows[0] = rows[0].replace("efter", "hösten 2019")
    [p] = problems_of(write(tmp_path, rows))
    assert (p.row, p.column, p.value) == (2, "wave", "hösten 2019")


def test_arms_and_duplicates_and_codes(tmp_path):
    rows = good_rows()
    rows[1] = rows[1].replace("treated", "comparison")          # a second arm for 1489
    rows[2] = rows[2].replace(",treated", ",maybe")             # not an arm
    rows.append(rows[5])                                        # a duplicate answer
    rows[6] = rows[6].replace("1489,", "489,", 1)               # lost leading zero... of 1489?
    found = problems_of(write(tmp_path, rows))
    by_row = {p.row: p for p in found}
    assert by_row[3].column == "arm" and "as on row 2" in by_row[3].expected
    assert by_row[4].value == "maybe"
    assert by_row[8].value == "489" and "leading zero" in by_row[8].expected
    assert by_row[18].column == "answer" and "duplicate answer" in by_row[18].expected
    assert "first on row 7" in by_row[18].expected


def test_long_file_needs_respondent_ids_and_columns_are_checked(tmp_path):
    path = write(tmp_path, ["1489,2019-10,PUR1,4"], header="kommunkod,omgång,fråga,svar,extra\n")
    found = problems_of(path)
    assert {(p.row, p.column) for p in found} == {(1, "extra"), (1, "respondent_id")}
    ok = read_study(path.parent / write(tmp_path, good_rows()).name, ignore_columns=["x"])
    assert len(ok) == 16


def test_no_treated_municipality(tmp_path):
    rows = [r.replace("treated", "comparison") for r in good_rows()]
    found = problems_of(write(tmp_path, rows))
    assert [p.expected for p in found] == ["expected at least one treated municipality"]


def test_every_problem_at_once_sorted_by_row(tmp_path):
    rows = good_rows()
    rows[0] = "1489,2019-10,1489-0,XYZ9,4,treated"
    rows[3] = "9999,2019-10,1489-1,PUR2,5,treated"
    rows[5] = "1489,2021-04,1489-0,PUR2,0,treated"
    found = problems_of(write(tmp_path, rows))
    assert [p.row for p in found] == [2, 5, 7]
    assert "SCB" in found[1].expected


def test_wide_file_without_ids_is_independent(tmp_path):
    header = "Kommunkod;Mätning;Arm;PUR1;PUR2;PUR3;PUR4\n"
    rows = ["2480;före;behandlad;4;5;4;3", "2480;före;behandlad;3;3;4;5",
            "2480;efter;behandlad;6;6;5;2", "2480;efter;behandlad;5;6;6;2;"[:-1]]
    path = tmp_path / "wide.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    data = read_study(path)
    assert len(data) == 16 and data["respondent_id"].str.startswith("row-").all()
    assert any("independent design" in n for n in data.attrs["notes"])
    res = analyse_study(data, config=FAST)
    assert res.design.iloc[0]["design"] == "independent"
    # A wide file with a bad answer names the item's column.
    path.write_text(header + rows[0].replace(";5;", ";9;") + "\n" + "\n".join(rows[1:]) + "\n",
                    encoding="utf-8")
    [p] = problems_of(path)
    assert (p.row, p.column, p.value) == (2, "PUR2", "9")


def test_excel_study_file(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["kommunkod", "mätning", "respondent", "fråga", "svar"])
    for wave in (dt.datetime(2019, 10, 1), dt.datetime(2021, 4, 1)):  # Excel made them dates
        for r in range(3):
            ws.append(["0580", wave, f"r{r}", "CAP1", 3 + r])
    path = tmp_path / "study.xlsx"
    book.save(path)
    data = read_study(path)
    assert data.attrs["waves"] == {"before": "2019-10", "after": "2021-04"}
    assert (data["arm"] == "treated").all()


def test_validate_study_checks_a_frame_like_a_file():
    frame = long_frame([("1489", "2019-10", "a", "PUR1", 4), ("1489", "2021-04", "a", "PUR1", 9)])
    with pytest.raises(DataValidationError) as info:
        validate_study(frame)
    [p] = info.value.problems
    assert (p.file, p.row, p.column, p.value) == ("<data frame>", 2, "answer", "9")
    with pytest.raises(DimiosError, match="read_study"):
        analyse_study(frame)


# -------------------------------------------------------------------------------------------
# The analysis: warnings, conclusions, table, privacy
# -------------------------------------------------------------------------------------------

def small_study(n_after_small=6, comparison=False, seed=0):
    """Three treated municipalities (and three comparison ones), scores rising by 1 point."""
    rng = np.random.default_rng(seed)
    rows = []
    codes = [("1489", "treated"), ("0580", "treated"), ("2480", "treated")]
    if comparison:
        codes += [("1441", "comparison"), ("1880", "comparison"), ("2580", "comparison")]
    items = load_instrument().item_ids
    for code, arm in codes:
        for wave, shift in (("2019-10", 0), ("2021-04", 1 if arm == "treated" else 0)):
            n = n_after_small if (code == "2480" and wave == "2021-04") else 20
            for r in range(n):
                person = rng.normal(0, 0.8)
                for item in items:
                    x = np.clip(np.rint(4 + shift + person + rng.normal(0, 0.4)), 1, 7)
                    x = 8 - x if item in ("PUR4", "POT4") else x
                    rows.append((code, arm, wave, f"{code}-{wave}-{r}", item, x))
    frame = pd.DataFrame(rows, columns=["municipality_code", "arm", "wave", "respondent_id",
                                        "item_id", "answer"])
    return validate_study(frame)


def test_without_comparison_the_conclusion_cannot_be_causal():
    res = analyse_study(small_study(n_after_small=4), config=FAST)
    codes = {w.code for w in res.warnings}
    assert {"no_comparison", "random_effects", "small_group"} <= codes
    assert res.did is None and not res.has_comparison
    assert set(res.conclusions["level"]) <= {"change_without_comparison", "no_clear_change"}
    assert "change_without_comparison" in set(res.conclusions["level"])
    for w in res.warnings:
        assert w.sv and w.en and w.sv != w.en
    small = next(w for w in res.warnings if w.code == "small_group")
    assert small.municipality_code == "2480" and "Umeå har bara 4 svarande" in small.sv
    # The shared table withholds the small group's values; counts stay.
    table = res.table()
    umea = table[table["municipality_code"] == "2480"]
    assert umea["suppressed"].all() and umea["n_after"].eq(4).all()
    assert umea[["mean_after", "p_value", "effect_size", "ci_low"]].isna().all().all()
    assert table.loc[table["municipality_code"] != "2480", "mean_after"].notna().all()
    assert not res.table(suppress_small=False)["suppressed"].any()
    assert res.table(suppress_small=False).loc[umea.index, "mean_after"].notna().all()
    assert table["did_estimate"].isna().all()


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
    assert res.did["min_permutation_p"].eq(0.1).all()
    codes = {w.code for w in res.warnings}
    assert {"few_clusters", "parallel_trends", "random_effects"} <= codes
    assert "no_comparison" not in codes
    # Without 30+ municipalities, no conclusion is stronger than "suggestive".
    assert set(res.conclusions["level"]) == {"did_suggestive"}
    assert "smallest possible p is 0.10" in res.conclusions.loc[0, "en"]
    assert "minsta möjliga p är 0,10" in res.conclusions.loc[0, "sv"]


def test_scores_for_plots_carry_no_respondent_ids():
    res = analyse_study(small_study(), config=FAST)
    assert "respondent_id" not in res.scores.columns
    assert list(res.scores.columns) == ["municipality_code", "arm", "wave", "person", "matched",
                                        "dimension", "score"]
    assert not res.scores["matched"].any()   # every respondent answered one wave here
    frame = res.warnings_frame()
    assert list(frame.columns) == ["code", "municipality_code", "dimension", "sv", "en"]


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


def test_study_config_is_checked():
    with pytest.raises(ConfigError) as info:
        StudyConfig(ci_level=1.2, bootstrap_resamples=10, min_item_share=0)
    text = str(info.value)
    assert "ci_level" in text and "bootstrap_resamples" in text and "min_item_share" in text
    with pytest.raises(ConfigError, match="unknown study parameters"):
        StudyConfig().with_(sed=1)
    assert StudyConfig().min_group_size == 5


