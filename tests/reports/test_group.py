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


def test_the_group_trend_is_over_the_same_members_or_shows_its_counts(data, tmp_path, bank):
    from tests.conftest import small_dataset

    grp = reports.group_comparison(data, ["1883", "1880", "0114"])
    line, same = grp.group_line()
    assert same and line.tolist() == pytest.approx(grp.group_trend["group_maturity"].tolist())
    # Örebro misses 2023-11: the same-member mean exists in one round only, so the trend
    # falls back to the mean of whoever answered, with the member count at every point
    df = small_dataset(bank)
    df = df[~((df["municipality_code"] == "1880") & (df["round"] == "2023-11"))]
    path = tmp_path / "gap.csv"
    df.to_csv(path, index=False)
    grp = reports.group_comparison(reports.load_data(path), ["1883", "1880", "0114"])
    gt = grp.group_trend.set_index("round")
    assert gt["same_maturity"].isna().tolist() == [True, False]
    assert gt["n_members"].tolist() == [2, 3]
    line, same = grp.group_line()
    assert not same and line.notna().all()
