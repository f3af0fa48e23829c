"""The initiative register's data contract: every problem at once, named by file, row,
column and value."""


import pytest

from dimios_lib.contracts.register import read_register
from dimios_lib.errors import DataValidationError

from ..conftest import INITIATIVES, KPIS, STAGES, write_register

BAD = [
    ("unknown stage", "D;utforska;2022-03-11;;", "D;brainstorm;2022-03-11;;", "stage",
     "brainstorm", "a stage"),
    ("date backwards", "D;utforska;2022-03-11;;", "D;utforska;2022-02-11;;", "date",
     "2022-02-11", "on or after the previous stage's (2022-03-01)"),
    ("decision without a gate", "D;utforska;2022-03-11;;", "D;utforska;2022-03-11;stoppa;KLG",
     "decision", "stoppa", "is not a gate"),
    ("stage after stop", "D;utforska;2022-03-11;;",
     "D;utforska;2022-03-11;;\nC;införa;2022-05-01;;", "stage", "Införa",
     "nothing after a 'stop' decision"),
    ("skipped stage", "D;utforska;2022-03-11;;", "D;prova;2022-03-11;;", "stage", "Prova",
     "a stage allowed after Dialog"),
    ("bereda outside the portfolio", "D;utforska;2022-03-11;;",
     "A;bereda;2022-07-01;;", "stage", "bereda", "only for portfolio initiatives"),
    ("unknown initiative", "D;utforska;2022-03-11;;", "E;utforska;2022-03-11;;",
     "initiative_id", "E", "listed in the initiatives file"),
]


@pytest.mark.parametrize("name,old,new,column,value,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_register_input_names_file_row_column_value(tmp_path, name, old, new, column,
                                                        value, expected):
    folder = write_register(tmp_path / "reg", stages=STAGES.replace(old, new))
    with pytest.raises(DataValidationError) as exc:
        read_register(folder)
    hits = [p for p in exc.value.problems if p.column == column and p.value == value
            and expected in p.expected]
    assert hits, exc.value.problems
    assert hits[0].file.endswith("stages.csv") and hits[0].row is not None


def test_every_problem_at_once(tmp_path):
    ini = INITIATIVES.replace("1401;E-arkiv", "9999;E-arkiv").replace(";EFF5", ";XYZ9")
    kpis = KPIS.replace("20;60;50", "20;sextio;50")
    folder = write_register(tmp_path / "reg", initiatives=ini, kpis=kpis)
    with pytest.raises(DataValidationError) as exc:
        read_register(folder)
    values = {p.value for p in exc.value.problems}
    assert {"9999", "XYZ9", "sextio"} <= values
