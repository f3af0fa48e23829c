"""The default batch: which reports, and their parameter files (written, unchanged, removed)."""


import pytest

from dimios_lib import reports
from dimios_lib.engine.batch import default_batch, read_params, write_params


@pytest.fixture(scope="module")
def data(small_csv):
    return reports.load_data(small_csv)


def test_default_batch_and_its_parameter_files(data, tmp_path):
    jobs = default_batch(data)
    mun = [j for j in jobs if j.notebook == "municipality_report"]
    assert sorted(j.parameters["municipality_code"] for j in mun) == ["0114", "1880", "1883",
                                                                      "1884"]
    assert {j.notebook for j in jobs} == {"municipality_report", "group_comparison",
                                          "national_overview", "innovation_study",
                                          "programme_followup"}
    first = write_params(jobs, tmp_path, source=str(data.source))
    assert first["written"] == len(jobs)
    again = write_params(jobs[1:], tmp_path, source=str(data.source))
    assert again == {"written": 0, "unchanged": len(jobs) - 1, "removed": 1}
    back = {j.key: j.parameters for j in read_params(tmp_path)}
    assert "municipality_report/0114_2024-05_sv" not in back  # no longer in the batch
    assert back["municipality_report/1883_2024-05_sv"] == {
        "municipality_code": "1883", "round": "2024-05", "lang": "sv"}
