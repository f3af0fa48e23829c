"""The group comparison and the national overview, pinned to the hand-computed small dataset."""


import pytest

from dimios_lib import reports


@pytest.fixture(scope="module")
def data(small_csv):
    return reports.load_data(small_csv)


def test_group_comparison_and_national_overview(data):
    grp = reports.group_comparison(data, ["1883", "1880", "0114", "1884"])
    assert grp.latest["municipality_code"].tolist() == ["0114", "1883", "1880"]
    assert grp.hidden == ["1884"]
    nat = reports.national_overview(data)
    assert nat.n_municipalities == 3 and nat.n_hidden == 1 and nat.n_respondents == 18
    assert nat.national["maturity"][0] == pytest.approx(190 / 3)
    assert nat.types.set_index("type")["n"].to_dict() == {"A": 1, "B": 0, "C": 0, "D": 2}
