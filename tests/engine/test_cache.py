"""The cache key and the provenance cover every input a report reads, and only those."""

from pathlib import Path

import pytest

from dimios_lib import demo
from dimios_lib.engine.batch import Job
from dimios_lib.engine.cache import Fingerprints
from dimios_lib.engine.notebooks import NOTEBOOK_DIR
from dimios_lib.errors import DimiosError
from dimios_lib.reports.inputs import declared_inputs

FILES = {"data_path": "mine/answers.csv", "register_path": "mine/register",
         "training_path": "mine/log.csv", "outcomes_path": "mine/outcomes.csv",
         "competence_path": "mine/competence.csv"}


@pytest.fixture
def project(tmp_path):
    """A project folder with one small file per input (they are only hashed here)."""
    for name, rel in FILES.items():
        path = tmp_path / rel
        if name == "register_path":
            path.mkdir(parents=True)
            (path / "initiatives.csv").write_text("a\n")
            (path / "stages.csv").write_text("b\n")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{name}\n")
    (tmp_path / "mine" / "study.csv").write_text("study\n")
    (tmp_path / "mine" / "instrument.csv").write_text("instrument\n")
    return tmp_path


def test_every_declared_input_is_part_of_the_key(project):
    job = Job("programme_followup", "x", {"group": "modig", **FILES})
    study = Job("innovation_study", "s", {"data_path": "mine/study.csv",
                                          "instrument_path": "mine/instrument.csv"})
    keys = {}
    for j in (job, study):
        keys[j.key] = Fingerprints(NOTEBOOK_DIR, project).key(j)
    edits = [project / rel for rel in FILES.values()] + [project / "mine" / "study.csv",
                                                         project / "mine" / "instrument.csv"]
    for path in edits:
        target = path / "stages.csv" if path.is_dir() else path
        target.write_text(target.read_text() + "edited\n")
        fresh = {j.key: Fingerprints(NOTEBOOK_DIR, project).key(j) for j in (job, study)}
        changed = [k for k in keys if fresh[k] != keys[k]]
        assert len(changed) == 1, f"editing {path.name} changed {changed}"
        keys = fresh


def test_provenance_names_every_input_and_no_other(project):
    fp = Fingerprints(NOTEBOOK_DIR, project)
    job = Job("programme_followup", "x", {"group": "modig", **FILES})
    inputs = fp.inputs(job)
    assert [i["kind"] for i in inputs] == ["responses", "register", "training_log", "outcomes",
                                           "competence", "instrument", "item_bank", "config"]
    assert [i["name"] for i in inputs][:5] == ["answers.csv", "register", "log.csv",
                                               "outcomes.csv", "competence.csv"]
    assert all(len(i["sha256"]) == 64 for i in inputs)
    assert not any("/" in i["name"] for i in inputs)  # a file name, never its folder
    national = fp.inputs(Job("national_overview", "n", {}))
    assert [i["kind"] for i in national] == ["responses", "item_bank", "config"]


def test_the_demo_on_disk_and_the_simulated_demo_are_told_apart(tmp_path):
    job = Job("national_overview", "n", {})
    simulated = Fingerprints(NOTEBOOK_DIR, tmp_path).inputs(job)[0]
    assert simulated["name"] == demo.FILES["responses"] + " (simulated)"
    folder = tmp_path / demo.FOLDER
    folder.mkdir(parents=True)
    (folder / demo.FILES["responses"]).write_text("x\n")
    on_disk = Fingerprints(NOTEBOOK_DIR, tmp_path).inputs(job)[0]
    assert on_disk["name"] == demo.FILES["responses"]
    assert on_disk["sha256"] != simulated["sha256"]


def test_a_missing_input_file_is_named(tmp_path):
    with pytest.raises(DimiosError, match="mine/none.csv"):
        declared_inputs("municipality_report", {"data_path": "mine/none.csv"}, start=tmp_path)
    assert Path(NOTEBOOK_DIR).exists()


def test_answers_given_as_a_folder_or_a_list_are_one_input_per_file(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("2023-11.csv", "2024-05.xlsx"):
        (folder / name).write_text(name)
    job = Job("municipality_report", "m", {"municipality_code": "1883",
                                            "data_path": "exports"})
    inputs = Fingerprints(NOTEBOOK_DIR, tmp_path).inputs(job)
    assert [(i["kind"], i["name"]) for i in inputs][:2] == [("responses", "2023-11.csv"),
                                                             ("responses", "2024-05.xlsx")]
    key = Fingerprints(NOTEBOOK_DIR, tmp_path).key(job)
    (folder / "2024-05.xlsx").write_text("edited")
    edited = Fingerprints(NOTEBOOK_DIR, tmp_path).key(job)
    (folder / "2025-05.csv").write_text("a new round")
    added = Fingerprints(NOTEBOOK_DIR, tmp_path).key(job)
    assert len({key, edited, added}) == 3
    listed = Job("municipality_report", "m", {"municipality_code": "1883",
                                               "data_path": ["exports/2023-11.csv",
                                                             "exports/2025-05.csv"]})
    names = [i["name"] for i in Fingerprints(NOTEBOOK_DIR, tmp_path).inputs(listed)]
    assert names[:2] == ["2023-11.csv", "2025-05.csv"]
