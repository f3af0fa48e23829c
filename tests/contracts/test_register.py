"""The initiative register: contract, funnel, time in stage, stuck initiatives, KPIs, and the
change of targeted capabilities — on a small register checked by hand."""


import pytest

from dimios_lib.contracts.register import read_register
from dimios_lib.errors import DataValidationError

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


def _write(folder, initiatives=INITIATIVES, stages=STAGES, kpis=KPIS):
    folder.mkdir(exist_ok=True)
    (folder / "initiatives.csv").write_text(initiatives.replace("EFF1;INN2", '"EFF1;INN2"'),
                                            encoding="utf-8")
    (folder / "stages.csv").write_text(stages, encoding="utf-8")
    (folder / "kpis.csv").write_text(kpis, encoding="utf-8")
    return folder


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
    folder = _write(tmp_path / "reg", stages=STAGES.replace(old, new))
    with pytest.raises(DataValidationError) as exc:
        read_register(folder)
    hits = [p for p in exc.value.problems if p.column == column and p.value == value
            and expected in p.expected]
    assert hits, exc.value.problems
    assert hits[0].file.endswith("stages.csv") and hits[0].row is not None


def test_every_problem_at_once(tmp_path):
    ini = INITIATIVES.replace("1401;E-arkiv", "9999;E-arkiv").replace(";EFF5", ";XYZ9")
    kpis = KPIS.replace("20;60;50", "20;sextio;50")
    folder = _write(tmp_path / "reg", initiatives=ini, kpis=kpis)
    with pytest.raises(DataValidationError) as exc:
        read_register(folder)
    values = {p.value for p in exc.value.problems}
    assert {"9999", "XYZ9", "sextio"} <= values
