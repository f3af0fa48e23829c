"""The rule "no path means the demo" (dimios_lib.demo.resolve), in a project folder made here."""

import pytest

from dimios_lib import demo
from dimios_lib.errors import DimiosError


def test_a_relative_path_is_found_from_the_notebooks_folder(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_text("a")
    (tmp_path / "notebooks").mkdir()
    assert demo.resolve("responses", "data/x.csv", start=tmp_path / "notebooks") == \
        tmp_path / "data" / "x.csv"


def test_no_path_is_the_demo_file_when_written_else_simulated(tmp_path):
    (tmp_path / "notebooks").mkdir()
    assert demo.resolve("study", None, start=tmp_path / "notebooks") is None  # simulate
    folder = tmp_path / demo.FOLDER
    folder.mkdir(parents=True)
    (folder / demo.FILES["study"]).write_text("x")
    assert demo.resolve("study", "", start=tmp_path / "notebooks") == \
        folder / demo.FILES["study"]


def test_a_path_found_nowhere_is_an_error_naming_it(tmp_path):
    with pytest.raises(DimiosError, match="file not found: data/nowhere.csv"):
        demo.resolve("responses", "data/nowhere.csv", start=tmp_path)
    with pytest.raises(DimiosError, match="unknown kind of input 'answers'"):
        demo.resolve("answers", None)


def test_simulated_demo_is_the_written_demo(tmp_path):
    """The in-memory demo and the file ``dimios demo`` writes are the same data."""
    from dimios_lib.contracts.study import read_study, validate_study

    written = demo.write_all(tmp_path)
    assert set(written) == {"responses", "study", "register", "training_log"}
    from_file = read_study(written["study"])
    in_memory = validate_study(demo.simulate("study"))
    assert from_file.equals(in_memory)
    assert demo.write_all(tmp_path) == dict.fromkeys(written)  # kept, not rewritten
