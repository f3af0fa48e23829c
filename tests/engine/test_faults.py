"""The engine under faults, without kernels: the output folder's lock, an index that never
loses a page and shows no folder, real-data runs that stay real, and parameters that are codes
staying text."""

import json
import threading
import time

import pytest
import yaml

from dimios_lib.engine.batch import Job
from dimios_lib.engine.index import Index, public_parameters, scrub_paths
from dimios_lib.engine.lock import OutputLock, OutputLocked
from dimios_lib.engine.papermill import check_parameters
from dimios_lib.engine.params import municipality_jobs, normalise_jobs
from dimios_lib.engine.run import run_jobs
from dimios_lib.errors import DimiosError, RunValidationError


def test_a_second_run_on_the_same_folder_refuses_or_waits(tmp_path):
    with OutputLock(tmp_path):
        t0 = time.perf_counter()
        with pytest.raises(OutputLocked, match="another dimios run is writing"):
            run_jobs([], tmp_path)
        assert time.perf_counter() - t0 < 5
        with pytest.raises(OutputLocked, match=r"process \d+, started"):
            OutputLock(tmp_path, wait=0.3, poll=0.05).acquire()
    holder = OutputLock(tmp_path).acquire()
    threading.Timer(0.3, holder.release).start()
    with OutputLock(tmp_path, wait=10, poll=0.05):  # waits for the first to finish
        pass


def test_the_index_keeps_entries_written_by_another_run(tmp_path):
    one, two = Index.load(tmp_path), Index.load(tmp_path)
    one.update("a/x", {"status": "ok", "output": "a/x.html"})
    two.update("b/y", {"status": "ok", "output": "b/y.html"})  # read before a/x was written
    assert set(json.loads((tmp_path / "index.json").read_text())["reports"]) == {"a/x", "b/y"}


def test_the_index_never_loses_a_page(tmp_path):
    (tmp_path / "municipality_report").mkdir()
    for name in ("1883_2024-05_sv", "0114_2024-05_sv"):
        (tmp_path / "municipality_report" / f"{name}.html").write_text("<html></html>")
    (tmp_path / "index.json").write_text("{ damaged")
    index = Index.load(tmp_path)
    assert sorted(index.entries) == ["municipality_report/0114_2024-05_sv",
                                     "municipality_report/1883_2024-05_sv"]
    assert {e["status"] for e in index.entries.values()} == {"unindexed"}


def test_shared_index_entries_name_files_never_folders():
    params = public_parameters({"municipality_code": "1883", "lang": "sv",
                                "data_path": "/home/ana/Exports/karlskoga 2024.xlsx",
                                "reference_path": "C:\\Users\\ana\\riket.csv"})
    assert params["data_path"] == "karlskoga 2024.xlsx" and params["municipality_code"] == "1883"
    assert public_parameters({"data_path": ["/a/x.csv", "/b/y.csv"]}) == {
        "data_path": ["x.csv", "y.csv"]}
    assert scrub_paths("DataValidationError: 1 problem found:\n  /srv/in/a.csv, row 3: x") == \
        "DataValidationError: 1 problem found:\n  a.csv, row 3: x"


def test_run_municipality_uses_the_data_the_batch_was_made_from(tmp_path):
    batch = [Job("municipality_report", "1883_2024-05_sv",
                 {"municipality_code": "1883", "round": "2024-05", "lang": "sv",
                  "data_path": "exports/2024.csv", "reference_path": "riket.csv"}),
             Job("innovation_study", "digigrow_sv", {"lang": "sv"})]
    (job,) = municipality_jobs(["0114"], ["2024-05"], "en", batch)
    assert job.parameters == {"municipality_code": "0114", "round": "2024-05", "lang": "en",
                              "data_path": "exports/2024.csv", "reference_path": "riket.csv"}
    (mine,) = municipality_jobs(["0114"], ["2024-05"], "en", batch, data="other.csv")
    assert mine.parameters["data_path"] == "other.csv" and mine.stem != job.stem
    (demo,) = municipality_jobs(["0114"], [], "sv", [], rounds_of=lambda d: ["2023-11", "2024-05"])
    assert "data_path" not in demo.parameters and demo.parameters["round"] == "2024-05"
    mixed = batch + [Job("municipality_report", "x", {"municipality_code": "1883",
                                                      "data_path": "old.csv"})]
    with pytest.raises(DimiosError, match="choose with --data"):
        municipality_jobs(["1883"], ["2024-05"], "sv", mixed)


def test_codes_stay_text_and_odd_values_get_clear_messages(small_csv):
    values, notes = check_parameters("municipality_report", {}, {
        "municipality_code": "0114", "round": "2024-05", "data_path": str(small_csv)})
    assert values["municipality_code"] == "0114" and notes == []
    with pytest.raises(RunValidationError) as exc:
        check_parameters("municipality_report", {}, {"municipality_code": "0114",
                                                     "round": "2024-05-01",
                                                     "data_path": str(small_csv)})
    assert "round '2024-05-01' is not a round; expected YYYY-MM, e.g. '2024-05'" in \
        exc.value.problems[0]
    typed = yaml.safe_load("municipality_code: 0114\nround: 2024-05-01\n")  # a YAML file
    assert typed == {"municipality_code": 76, "round": __import__("datetime").date(2024, 5, 1)}
    with pytest.raises(RunValidationError) as exc:
        check_parameters("municipality_report", {**typed, "data_path": str(small_csv)})
    (problem,) = exc.value.problems
    assert "is a date" in problem and 'round: "2024-05"' in problem
    jobs, notes = normalise_jobs([Job("municipality_report", "a", {"municipality_code": 76}),
                                  Job("municipality_report", "b", {"municipality_code": 114})])
    assert [j.parameters["municipality_code"] for j in jobs] == ["0114", "0114"]
    assert "octal" in notes[0] and "leading zero" in notes[1]
