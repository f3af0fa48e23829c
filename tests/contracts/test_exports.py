"""Exports as survey tools and Excel make them, through the responses contract: question texts
as column names, answers as labels, a municipality name beside the code, several files, empty
input, and messages that stay short when a fault repeats on every row."""

import unicodedata

import pandas as pd
import pytest

from dimios_lib.contracts.answers import load_answer_scale
from dimios_lib.contracts.headers import read_item_map
from dimios_lib.contracts.responses import read_responses, validate_responses
from dimios_lib.errors import DataValidationError, summarise


def wide_text(bank, lang="sv", rows=(("0114", "2023-11", "r1", "4"),), sep=";", extra=()):
    labels = bank.items[f"capability_{lang}"].tolist()
    head = ["Kommunkod", "Omgång", "Respondent", *[h for h, _ in extra], *labels]
    lines = [sep.join(head)]
    for code, rnd, rid, answer in rows:
        lines.append(sep.join([code, rnd, rid, *[v for _, v in extra]] + [answer] * len(labels)))
    return "\n".join(lines) + "\n"


def problems(path, **kw):
    with pytest.raises(DataValidationError) as exc:
        read_responses(path, **kw)
    return exc.value.problems


def test_question_texts_as_column_names(tmp_path, bank):
    for lang in ("sv", "en"):
        path = tmp_path / f"survey_{lang}.csv"
        path.write_text(wide_text(bank, lang), encoding="utf-8")
        data = read_responses(path)
        assert sorted(data["item_id"]) == sorted(bank.item_ids)
        assert any("26 columns matched to items" in n for n in data.attrs["notes"])


def test_numbered_question_texts_and_item_ids_in_brackets(tmp_path, bank):
    head = ["Kommunkod", "Omgång", "Respondent", "1. Koppling till strategisk planering?",
            "Öppna data [INN2]", "EFF3 – Utveckling i projektform"]
    path = tmp_path / "numbered.csv"
    path.write_text(";".join(head) + "\n0114;2023-11;r1;4;5;6\n", encoding="utf-8")
    data = read_responses(path)
    assert data.set_index("item_id")["answer"].to_dict() == {"EFF1": 4, "INN2": 5, "EFF3": 6}


def test_a_users_own_wording_through_a_mapping_file(tmp_path, bank):
    path = tmp_path / "own.csv"
    path.write_text("Kommunkod;Omgång;Respondent;Hur väl kopplas digitaliseringen till "
                    "planeringen?\n0114;2023-11;r1;4\n", encoding="utf-8")
    (p,) = problems(path)
    assert p.kind == "unknown column" and "--item-map" in p.expected
    mapping = tmp_path / "map.csv"
    mapping.write_text("rubrik;item_id\nHur väl kopplas digitaliseringen till planeringen?;EFF1\n",
                       encoding="utf-8")
    data = read_responses(path, item_map=read_item_map(mapping, bank))
    assert data["item_id"].tolist() == ["EFF1"]
    mapping.write_text("rubrik;item_id\nx;EFF99\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="item bank"):
        read_item_map(mapping, bank)


def test_a_near_miss_of_a_question_text_gets_a_hint(tmp_path):
    path = tmp_path / "typo.csv"
    path.write_text("Kommunkod;Omgång;Respondent;Koppling till strategisk planerin\n"
                    "0114;2023-11;r1;4\n", encoding="utf-8")
    (p,) = problems(path)
    assert "did you mean the question 'Koppling till strategisk planering' (EFF1)?" in p.expected


def test_answers_as_labels(tmp_path, bank):
    path = tmp_path / "labels.csv"
    path.write_text("Kommunkod;Omgång;Respondent;Fråga;Svar\n"
                    "0114;2023-11;r1;EFF1;Instämmer helt\n"
                    "0114;2023-11;r1;EFF2;instämmer inte alls\n"
                    "0114;2023-11;r1;EFF3;4 - Instämmer delvis\n"
                    "0114;2023-11;r1;EFF4;Vet ej\n", encoding="utf-8")
    data = read_responses(path)
    assert data["answer"].tolist()[:3] == [6, 1, 4] and pd.isna(data["answer"].iloc[3])
    assert any("3 answers read as numbers" in n for n in data.attrs["notes"])
    path.write_text("Kommunkod;Omgång;Respondent;Fråga;Svar\n0114;2023-11;r1;EFF1;Helt enig\n"
                    "0114;2023-11;r1;EFF2;2 - Instämmer helt\n", encoding="utf-8")
    found = problems(path)
    assert [p.value for p in found] == ["Helt enig", "2 - Instämmer helt"]
    assert "disagree" in found[1].expected
    scale = tmp_path / "scale.csv"
    scale.write_text("label;value\nHelt oenig;1\nHelt enig;6\n", encoding="utf-8")
    path.write_text("Kommunkod;Omgång;Respondent;Fråga;Svar\n0114;2023-11;r1;EFF1;Helt enig\n",
                    encoding="utf-8")
    data = read_responses(path, answer_scale=load_answer_scale(scale))
    assert data["answer"].tolist() == [6] and any("scale.csv" in n for n in data.attrs["notes"])


def test_municipality_name_beside_the_code_is_checked(tmp_path, bank):
    path = tmp_path / "names.csv"
    path.write_text("Kommunkod;Kommunnamn;Omgång;Respondent;Fråga;Svar\n"
                    "1883;Karlskoga kommun;2023-11;r1;EFF1;4\n"
                    "0114;upplands-väsby;2023-11;r2;EFF1;4\n", encoding="utf-8")
    data = read_responses(path)
    assert "municipality_name" not in data and any("all match" in n for n in data.attrs["notes"])
    path.write_text("Kommunkod;Kommunnamn;Omgång;Respondent;Fråga;Svar\n"
                    "1880;Karlskoga;2023-11;r1;EFF1;4\n1880;Karlskoga;2023-11;r1;EFF2;4\n",
                    encoding="utf-8")
    (p,) = problems(path)
    assert (p.row, p.column, p.value) == (2, "Kommunnamn", "Karlskoga")
    assert "'Örebro', the name of municipality 1880" in p.expected and "2 rows" in p.expected


def test_decomposed_column_names_match_the_aliases(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_text(unicodedata.normalize("NFD", "Kommunkod;Omgång;Respondent;Fråga;Svar\n"
                                                 "0114;2023-11;r1;EFF1;4\n"), encoding="utf-8")
    assert read_responses(path)["round"].tolist() == ["2023-11"]


def test_empty_and_degenerate_input_is_refused(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("Kommunkod;Omgång;Respondent;Fråga;Svar\n", encoding="utf-8")
    (p,) = problems(path)
    assert p.kind == "empty" and "no rows" in p.expected
    path.write_text("Kommunkod;Omgång;Respondent;Fråga;Svar\n0114;2023-11;r1;EFF1;Vet ej\n",
                    encoding="utf-8")
    (p,) = problems(path)
    assert p.kind == "empty" and "every answer is missing" in p.expected
    with pytest.raises(DataValidationError, match="no rows"):
        validate_responses(pd.DataFrame(columns=["municipality_code", "round", "respondent_id",
                                                 "item_id", "answer"]))
    (tmp_path / "empty").mkdir()
    assert problems(tmp_path / "empty")[0].expected.startswith("the folder holds no")


def long(code, rnd, ids, items=("EFF1", "EFF2")):
    return "".join(f"{code};{rnd};{r};{i};4\n" for r in ids for i in items)


HEAD = "Kommunkod;Omgång;Respondent;Fråga;Svar\n"


def test_one_export_per_round_as_a_folder_or_a_list(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "2023-11.csv").write_text(HEAD + long("0114", "2023-11", ["a", "b"]))
    (folder / "2024-05.csv").write_text(HEAD + long("0114", "2024-05", ["a", "c"]))
    data = read_responses(folder)
    assert sorted(data["round"].unique()) == ["2023-11", "2024-05"]
    assert data.attrs["sources"] == ["2023-11.csv", "2024-05.csv"]
    assert data.attrs["source"] == "2023-11.csv, 2024-05.csv"
    same = read_responses([folder / "2024-05.csv", folder / "2023-11.csv"])
    assert len(same) == len(data)


def test_the_same_round_in_two_files(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(HEAD + long("0114", "2024-05", ["r1", "r2"]))
    b.write_text(HEAD + long("0114", "2024-05", ["r2", "r3"]))
    found = problems([a, b])
    same = [p for p in found if p.kind == "same round"]
    dups = [p for p in found if p.kind == "duplicate answer"]
    assert len(same) == 1 and "1 respondent id in more than one" in same[0].expected
    assert {(p.file, p.row) for p in dups} == {(str(b), 2), (str(b), 3)}
    assert "first on a.csv row 4" in dups[0].expected
    b.write_text(HEAD + long("0114", "2024-05", ["r3", "r4"]))  # one file per unit, say
    data = read_responses([a, b])
    assert any("comes from 2 files" in n for n in data.attrs["notes"])


def test_wide_files_without_ids_cannot_share_a_round(tmp_path, bank):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    text = "Kommunkod;Omgång;EFF1\n0114;2024-05;4\n"
    a.write_text(text)
    b.write_text(text)
    (p,) = problems([a, b])
    assert p.kind == "same round" and "no respondent ids" in p.expected
    b.write_text("Kommunkod;Omgång;EFF1\n0114;2023-11;4\n")
    assert read_responses([a, b])["respondent_id"].nunique() == 2


def test_synthetic_and_real_data_are_never_read_together(tmp_path):
    a, b = tmp_path / "demo.csv", tmp_path / "real.csv"
    a.write_text(HEAD + long("0114", "2023-11", ["r1"]))
    b.write_text(HEAD + long("0114", "2024-05", ["r1"]))
    (tmp_path / "demo.csv.meta.json").write_text('{"synthetic": true}')
    (p,) = problems([a, b])
    assert p.kind == "synthetic"


def test_a_fault_on_every_row_is_one_group_in_the_message(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEAD + long("0114", "2024-5", [f"r{k}" for k in range(3000)]))
    with pytest.raises(DataValidationError) as exc:
        read_responses(path)
    assert len(exc.value.problems) == 6000
    lines = summarise(exc.value.problems)
    assert len(lines) == 2 and "(6,000 rows: 2\u20136001)" in lines[0]
    assert "all the same value" in lines[1]
    assert len(str(exc.value).splitlines()) == 3
