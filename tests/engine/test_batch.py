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
    # no named group has a member in this data: no group page about nobody
    assert {j.notebook for j in jobs} == {"municipality_report", "national_overview",
                                          "innovation_study", "programme_followup"}
    first = write_params(jobs, tmp_path, source=str(data.source))
    assert first["written"] == len(jobs)
    again = write_params(jobs[1:], tmp_path, source=str(data.source))
    assert again == {"written": 0, "unchanged": len(jobs) - 1, "removed": 1}
    back = {j.key: j.parameters for j in read_params(tmp_path)}
    assert "municipality_report/0114_2024-05_sv" not in back  # no longer in the batch
    assert back["municipality_report/1883_2024-05_sv"] == {
        "municipality_code": "1883", "round": "2024-05", "lang": "sv"}


def test_a_batch_of_real_data_carries_its_data_in_every_job(data, small_csv):
    jobs = default_batch(data, data_path=str(small_csv), reference_path="national.csv")
    readers = [j for j in jobs if j.notebook in ("municipality_report", "national_overview")]
    assert readers and all(j.parameters["data_path"] == str(small_csv) for j in readers)
    assert all(j.parameters["reference_path"] == "national.csv" for j in jobs
               if j.notebook == "municipality_report")
    # real answers are never followed up against the SYNTHETIC demo register
    assert not [j for j in jobs if j.notebook == "programme_followup"]
    with_register = default_batch(data, data_path=str(small_csv), register_path="reg")
    assert {j.parameters.get("register_path") for j in with_register
            if j.notebook == "programme_followup"} == {"reg"}


def test_reports_from_different_data_never_share_a_file_name():
    from dimios_lib.engine.batch import Job

    demo = Job("municipality_report", "1883_2024-05_sv", {"municipality_code": "1883"})
    mine = Job("municipality_report", "1883_2024-05_sv", {"municipality_code": "1883",
                                                          "data_path": "exports/2024.csv"})
    other = Job("municipality_report", "1883_2024-05_sv", {"municipality_code": "1883",
                                                           "data_path": "old/2024.csv"})
    assert demo.output == "municipality_report/1883_2024-05_sv.html"
    assert mine.output.startswith("municipality_report/1883_2024-05_sv_2024-")
    assert len({demo.output, mine.output, other.output}) == 3
    assert len({demo.key, mine.key, other.key}) == 3
