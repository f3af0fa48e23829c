"""The heat map of the municipality report (categories by unit and by role) under disclosure
control, on a hand-made dataset where "vet ej" leaves a unit's category with 2 answerers.

Every respondent gives one answer v to every item (flipped for reverse-scored items), so every
category of a group is (mean v - 1) / 5 x 100; "vet ej" is a missing answer.

    municipality       round    unit (respondents x answer)                       role
    1883 Karlskoga     2024-05  Kommunledning 6 x 4, Service 6 x 5,               Chef
                                Socialtjänst 5 x 3 (3 of them "vet ej" to ORG1, ORG2)
    1880 Örebro        2024-05  Kommunledning 6 x 2                               Chef
    1884 Nora          2024-05  Kommunledning 3 x 6 (below the minimum: hidden)   Chef

Every unit is shown at the dimension level (Karlskoga's units leave no remainder). In the
Organisation category Socialtjänst has 2 answerers (hidden), and Karlskoga's Organisation
(14 answerers) minus Kommunledning and Service (12) would be those 2: one more cell is hidden,
Kommunledning (the smallest, 6; the tie goes to the first). Then the national Kommunledning
Organisation (Karlskoga's 6 and Örebro's 6) minus Örebro's total would give Karlskoga's
Kommunledning back, and with it the 2. No cell of Karlskoga's alone ends that (the national
Service is Karlskoga's Service), so the national Kommunledning Organisation value is hidden.
Karlskoga's Organisation column shows Service only (80 %, as Service nationally); its other
five categories show all three units.

National Kommunledning, every other category: the municipalities shown only, Karlskoga 6 x 4
and Örebro 6 x 2, mean answer 3, (3 - 1) / 5 x 100 = 40 %. With Nora's 3 x 6 it would be
(24 + 12 + 18) / 15 = 3.6, 52 %.
"""

import numpy as np
import pandas as pd
import pytest

from dimios_lib import reports
from dimios_lib.maturity.disclosure import protect_breakdowns, protect_categories
from dimios_lib.text import municipality as text_municipality

from ..conftest import frame


def heat_dataset(bank) -> pd.DataFrame:
    reverse = dict(zip(bank.items["item_id"], bank.items["reverse"]))
    rows = []

    def people(code, unit, values, dont_know=0):
        start = sum(1 for r in rows if r[0] == code and r[5] == bank.item_ids[0])
        for k, v in enumerate(values):
            for item in bank.item_ids:
                answer = 7 - v if reverse[item] else v
                if k < dont_know and item.startswith("ORG"):
                    answer = np.nan
                rows.append((code, "2024-05", f"{code}-r{start + k + 1:02d}", unit, "Chef",
                             item, answer))

    people("1883", "Kommunledning", [4] * 6)
    people("1883", "Service", [5] * 6)
    people("1883", "Socialtjänst", [3] * 5, dont_know=3)
    people("1880", "Kommunledning", [2] * 6)
    people("1884", "Kommunledning", [6] * 3)
    return frame(rows)


@pytest.fixture(scope="module")
def heat_data(bank, tmp_path_factory):
    path = tmp_path_factory.mktemp("heat") / "heat.csv"
    data = heat_dataset(bank)
    data["answer"] = data["answer"].map(lambda a: "" if pd.isna(a) else str(int(a)))
    data.to_csv(path, sep=";", index=False)
    return reports.load_data(path, disk_cache=False)


def test_a_category_remainder_of_two_answerers_hides_the_cells(heat_data):
    rep = reports.municipality_report(heat_data, "1883")
    assert set(rep.by_unit["group"]) == {"Kommunledning", "Service", "Socialtjänst"}
    uc = rep.unit_categories.set_index(["group", "category"])
    org = uc.xs("Organisation", level="category")
    assert org["shown"].to_dict() == {"Kommunledning": False, "Service": True,
                                      "Socialtjänst": False}
    assert org["pct"].isna().sum() == 2 and org["gap"].isna().sum() == 2
    assert org.loc["Service", "pct"] == pytest.approx(80.0)
    assert org.loc["Service", "gap"] == pytest.approx(0.0)
    others = uc[uc.index.get_level_values("category") != "Organisation"]
    assert others["shown"].all() and len(others) == 15
    assert others.xs("Service", level="group")["pct"].tolist() == [80.0] * 5
    assert rep.hidden_unit_cells == 2
    # the role Chef is the whole municipality: nothing to subtract, shown where 5+ answered
    assert rep.hidden_role_cells == 0


def test_the_national_value_pools_only_the_municipalities_shown(heat_data):
    rep = reports.municipality_report(heat_data, "1883")
    uc = rep.unit_categories.set_index(["group", "category"])
    kl = uc.xs("Kommunledning", level="group")["national"]
    assert kl.drop("Organisation").tolist() == pytest.approx([40.0] * 5)  # not 52: Nora
    assert np.isnan(kl["Organisation"])  # hidden: it would give Karlskoga's cell back
    eff = uc.loc[("Kommunledning", "Effektivitet")]
    assert eff["pct"] == pytest.approx(60.0) and eff["gap"] == pytest.approx(20.0)
    # the same numbers as the national table by unit (national_round_unit.csv)
    pools = heat_data.release().breakdown("unit", national=True, ci=False)
    pools = pools[pools["shown"]].set_index("unit")
    assert pools.at["Kommunledning", "n_respondents"] == 12
    assert pools.at["Kommunledning", "maturity_pct"] == pytest.approx(40.0)


def test_blank_cells_are_blank_and_counted_in_the_caption(heat_data):
    rep = reports.municipality_report(heat_data, "1883")
    table, gaps, raw = text_municipality.heat(rep.unit_categories, "unit", heat_data.bank, "sv")
    assert table["Förvaltning"].tolist() == ["Service", "Kommunledning", "Socialtjänst"]
    assert table["Organisation"].tolist() == ["80\xa0% (0)", "", ""]
    assert gaps["Organisation"].isna().tolist() == [False, True, True]
    assert raw[raw["Kategori"] == "Organisation"]["Resultat"].isna().sum() == 2
    assert table["Effektivitet"].tolist()[1] == "60\xa0% (+20)"
    sv = text_municipality.heat_caption("unit", 5, "sv", hidden=rep.hidden_unit_cells)
    assert sv.endswith("2 rutor är tomma: färre än 5 svarande i gruppen har svarat på "
                       "kategorin, eller rutan skulle avslöja en sådan grupp.")
    en = text_municipality.heat_caption("unit", 5, "en", hidden=1)
    assert en.endswith("1 cell is blank: fewer than 5 respondents of the group answered the "
                       "category, or the cell would give such a group away.")
    assert "blank" not in text_municipality.heat_caption("unit", 5, "en")


def test_the_decision_function_on_its_own(heat_data, bank):
    data = heat_data.responses
    p = protect_categories(data, protect_breakdowns(data, bank=bank), bank=bank)
    cells = p.cells.set_index(["municipality_code", "kind", "group", "category"])
    org = cells.xs(("1883", "unit", "Organisation"), level=[0, 1, 3])
    assert org["n_answers"].to_dict() == {"Kommunledning": 6, "Service": 6, "Socialtjänst": 2}
    assert org["reason"].to_dict() == {"Kommunledning": "complementary", "Service": "",
                                       "Socialtjänst": "small"}
    # Nora is in no national value, and its cells are not candidates
    assert (p.cells.loc[p.cells["municipality_code"] == "1884", "reason"]
            == "municipality hidden").all()
    kl = p.pools[(p.pools["kind"] == "unit") & (p.pools["group"] == "Kommunledning")]
    assert kl["n_answers"].tolist() == [12] * 6
    assert kl.set_index("category")["reason"].to_dict()["Organisation"] == "complementary"
