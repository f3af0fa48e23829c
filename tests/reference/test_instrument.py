"""The study instrument: the packaged OECD-lens default and user instruments, every problem at once."""



import pytest

from dimios_lib.errors import InstrumentError
from dimios_lib.reference.instrument import load_competence_instrument, load_instrument

HEADER = "item_id,dimension,reverse,scale_min,scale_max,label\n"


def test_default_instrument():
    ins = load_instrument()
    assert ins.version == "innovation-oecd-lenses-0.1"
    assert ins.dimension_ids == ["purpose", "potential", "capacity", "impact"]
    assert ins.dimensions["n_items"].tolist() == [4, 4, 4, 4]
    assert set(ins.items["scale_min"]) == {1} and set(ins.items["scale_max"]) == {7}
    assert ins.items.loc[ins.items["reverse"], "item_id"].tolist() == ["PUR4", "POT4"]
    # Marked as our assumption, in both languages, with å/ä/ö intact.
    assert ins.items["provenance"].str.startswith("assumption").all()
    assert ins.dimension_label("impact", "sv") == "Effekt"
    assert ins.label("POT2", "sv") == "Det är accepterat att ett försök misslyckas om vi lär oss av det"
    assert ins.label("CAP4", "sv").startswith("Vi samarbetar över förvaltningsgränserna")
    assert ins.items["label_en"].ne(ins.items["label_sv"]).all()
    with pytest.raises(ValueError):
        ins.label("PUR1", "de")


def test_user_instrument_without_optional_columns(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + "Q1,ideas,false,1,5,Idéer\nQ2,ideas,ja,1,5,\nQ3,tests,0,0,10,\n",
                    encoding="utf-8")
    ins = load_instrument(path)
    assert ins.version == "mine.csv"
    assert ins.item_ids == ["Q1", "Q2", "Q3"]
    assert ins.items["reverse"].tolist() == [False, True, False]
    assert ins.label("Q1", "en") == "Idéer" and ins.label("Q2", "sv") == "Q2"
    assert ins.dimensions[["dimension", "scale_min", "scale_max"]].values.tolist() == [
        ["ideas", 1, 5], ["tests", 0, 10]]
    assert ins.dimension_label("tests", "en") == "tests"


def test_swedish_excel_style_instrument(tmp_path):
    path = tmp_path / "sv.csv"
    path.write_bytes(("item_id;dimension;reverse;scale_min;scale_max;label_sv\r\n"
                      "Å1;förmåga;nej;1;7;Vi är öppna för nya idéer\r\n").encode("cp1252"))
    ins = load_instrument(path)
    assert ins.item_ids == ["Å1"] and ins.dimension_ids == ["förmåga"]
    assert ins.label("Å1", "sv") == "Vi är öppna för nya idéer"


def test_every_problem_at_once(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER.rstrip("\n") + ",colour\n"
        "Q1,ideas,false,1,5,,\n"
        "q1,ideas,maybe,1,5,,\n"      # duplicate id ignoring case; unreadable reverse flag
        "Q3,,false,1,5,,\n"           # no dimension
        "Q4,ideas,false,1,7,,\n"      # a second scale in one dimension
        "Q5,tests,false,5,5,,\n"      # max not above min
        "Q6,tests,false,1,x,,\n",     # not a number
        encoding="utf-8")
    with pytest.raises(InstrumentError) as info:
        load_instrument(path)
    found = {(p.row, p.column, p.value) for p in info.value.problems}
    assert found == {
        (1, "colour", "colour"),
        (3, "item_id", "q1"),
        (3, "reverse", "maybe"),
        (4, "dimension", ""),
        (5, "scale_min", "1-7"),
        (6, "scale_max", "5"),
        (7, "scale_max", "x"),
    }
    text = str(info.value)
    assert "duplicate item id ('Q1' on row 2" in text
    assert "expected the scale of dimension 'ideas' on row 2 (1-5)" in text


def test_missing_columns_and_names_per_dimension(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("item_id,dimension\nQ1,ideas\n", encoding="utf-8")
    with pytest.raises(InstrumentError) as info:
        load_instrument(path)
    assert {p.column for p in info.value.problems} == {"reverse", "scale_min", "scale_max"}
    path.write_text("item_id,dimension,reverse,scale_min,scale_max,dimension_sv\n"
                    "Q1,ideas,false,1,5,Idéer\nQ2,ideas,false,1,5,Tankar\n", encoding="utf-8")
    with pytest.raises(InstrumentError) as info:
        load_instrument(path)
    [problem] = info.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "dimension_sv", "Tankar")
    with pytest.raises(InstrumentError, match="file not found"):
        load_instrument(tmp_path / "nope.csv")


def test_competence_instrument():
    ins = load_competence_instrument()
    assert ins.item_ids == ["DC1", "DC2", "DC3", "DC4", "DC5"]
    assert ins.dimension_ids == ["digital_competence"]
    assert (ins.items["scale_min"] == 1).all() and (ins.items["scale_max"] == 5).all()
    assert ins.items["reverse"].tolist() == [False, False, False, True, False]
    assert ins.items["provenance"].str.startswith("assumption").all()
    assert ins.label("DC5", "en") and ins.label("DC5", "sv") != ins.label("DC5", "en")
