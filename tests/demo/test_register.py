"""The initiative register: contract, funnel, time in stage, stuck initiatives, KPIs, and the
change of targeted capabilities — on a small register checked by hand."""


import pytest

from dimios_lib.contracts.register import read_register
from dimios_lib.demo.register import write_register_demo

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


@pytest.fixture
def reg(tmp_path):
    return read_register(_write(tmp_path / "reg"))


def test_demo_register_is_valid_and_synthetic(tmp_path):
    reg = read_register(write_register_demo(tmp_path))
    assert reg.synthetic and len(reg.initiatives) >= 7 * 4
    assert set(reg.initiatives["municipality_code"]) == {"1440", "1401", "1482", "1481",
                                                         "1402", "1415", "1419"}
