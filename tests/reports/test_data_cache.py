"""The scored data are cached on disk by content, and never served stale."""

import pytest

from dimios_lib.io.files import cache_dir
from dimios_lib.reports import data as D

from ..conftest import small_dataset


@pytest.fixture
def export(tmp_path, bank):
    path = tmp_path / "export.csv"
    frame = small_dataset(bank)
    frame["answer"] = frame["answer"].astype(int)
    frame.to_csv(path, index=False)
    return path


def test_a_repeated_load_reads_the_cache_and_an_edit_invalidates_it(export, monkeypatch):
    D._LOADED.clear()
    first = D.load_data(export)
    files = sorted(cache_dir().glob("scored-*.pkl"))
    assert files, "the first load stores the scored data"
    D._LOADED.clear()
    calls = []
    monkeypatch.setattr(D, "_score", lambda *a, **k: calls.append(a) or first)
    again = D.load_data(export)
    assert calls == []  # served from the disk cache, not scored again
    assert again.scores.overall.equals(first.scores.overall)
    assert again.responses.equals(first.responses) and again.source == "export.csv"
    assert "release" in again._cache  # the disclosure decisions come from the cache too
    assert again.release().protection.cells.equals(first.release().protection.cells)
    assert again.shown().equals(first.shown())
    export.write_text(export.read_text().replace(",6.0\n", ",5\n").replace(",6\n", ",5\n"))
    D._LOADED.clear()
    D.load_data(export)
    assert len(calls) == 1  # new content, new key: scored again


def test_a_damaged_cache_file_is_recomputed(export):
    D._LOADED.clear()
    D.load_data(export)
    for f in cache_dir().glob("scored-*.pkl"):
        f.write_bytes(b"not a pickle")
    D._LOADED.clear()
    assert len(D.load_data(export).scores.overall) == 7
