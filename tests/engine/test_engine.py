"""The batch engine: validation, cache, failure isolation (error, timeout, killed kernel),
interruption and resume, determinism in a warm kernel, and the Dask executor on loopback.

Small purpose-made notebooks keep these fast; the report notebooks themselves are exercised in
test_notebooks.py."""


import json
import time
from pathlib import Path

import nbformat
import pytest

from dimios_lib.engine import kernel as engine_kernel
from dimios_lib.engine import params as engine_params
from dimios_lib.engine import run as engine_run
from dimios_lib.engine.batch import Job
from dimios_lib.errors import RunValidationError
from dimios_lib.render.blocks import records

pytestmark = pytest.mark.slow  # runs kernels: make test-fast leaves it out

ROOT = Path(__file__).resolve().parents[2]


BODY = '''
import os, time
from dimios_lib.render.blocks import heading, para, record, show
if mode == "error" and x == 3:
    raise ValueError("x must not be 3")
if mode == "slow":
    time.sleep(30)
if mode == "kill":
    os.kill(os.getpid(), 9)
leaked = globals().get("leftover", "clean")
leftover = "dirty"
show(heading(1, f"Report {x}"), para(f"value {x * 2}"))
record({"x": x, "double": x * 2, "namespace": leaked})
'''


def _notebook(folder: Path, name: str = "toy") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell('x: int = 1\nmode: str = "ok"\nlang: str = "sv"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(BODY)]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture
def nbdir(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _notebook(folder)
    return folder


def _jobs(*xs, mode="ok"):
    return [Job("toy", f"x{x}", {"x": x, "mode": mode}) for x in xs]


def test_parameters_are_read_from_the_parameters_cell(nbdir):
    spec = engine_params.notebook_parameters(nbdir / "toy.ipynb")
    assert list(spec) == ["x", "mode", "lang"] and spec["x"].annotation == "int"
    report = engine_params.notebook_parameters(ROOT / "notebooks" / "municipality_report.ipynb")
    assert report["round"].annotation == "str | None" and report["round"].default is None
    assert engine_params.allowed_types("Optional[Union[str, list]]") == (str, list, type(None))
    assert engine_params.allowed_types("str | list | None") == (str, list, type(None))


def test_the_whole_matrix_is_validated_before_anything_runs(nbdir, tmp_path):
    jobs = [Job("toy", "a", {"x": "three", "colour": "red"}),
            Job("missing", "b", {}),
            Job("municipality_report", "c", {"municipality_code": "9999", "round": "2030-05",
                                             "lang": "de"})]
    with pytest.raises(RunValidationError) as exc:
        engine_run.run_jobs(jobs, tmp_path / "out", notebooks=nbdir,
                        rounds_of=lambda path: ["2023-11", "2024-05"])
    text = "\n".join(exc.value.problems)
    assert "toy/a: parameter 'x' = 'three' is str; expected int" in text
    assert "toy/a: unknown parameter 'colour'" in text
    assert "notebook 'missing' not found" in text
    assert not (tmp_path / "out").exists()  # nothing ran, nothing written
    real = engine_params.validate_jobs(jobs[2:], rounds_of=lambda path: ["2023-11", "2024-05"])
    joined = "\n".join(real)
    assert "'9999' is not a municipality" in joined and "round '2030-05' is not in the data" in \
        joined and "lang 'de'" in joined


def test_run_cache_force_and_failures(nbdir, tmp_path):
    out = tmp_path / "out"
    jobs = _jobs(1, 2, 3, mode="error")
    first = engine_run.run_jobs(jobs, out, notebooks=nbdir, workers=2)
    assert sorted(first.ran) == ["toy/x1", "toy/x2"]
    failed = first.failed["toy/x3"]
    assert failed["attempts"] == 2 and failed["failing_cell"] == 1  # retried once
    assert "ValueError: x must not be 3" in failed["error"]
    index = json.loads((out / "index.json").read_text())
    assert index["reports"]["toy/x1"]["record"] == {"x": 1, "double": 2, "namespace": "clean"}
    assert index["reports"]["toy/x2"]["record"]["namespace"] == "clean"  # fresh namespace
    assert "toy/x3" in (out / "index.html").read_text()
    page = (out / "toy" / "x2.html").read_text()
    assert "value 4" in page and "<footer>" in page
    assert "underlag: –" in page  # the toy notebook declares no input, so names no file
    assert not (out / "toy" / "x3.html").exists()
    before = (out / "toy" / "x1.html").stat().st_mtime_ns

    again = engine_run.run_jobs(jobs[:2], out, notebooks=nbdir)
    assert again.ran == [] and sorted(again.cached) == ["toy/x1", "toy/x2"]
    assert (out / "toy" / "x1.html").stat().st_mtime_ns == before  # not rewritten

    changed = engine_run.run_jobs(_jobs(1, mode="error") + [Job("toy", "x2", {"x": 5,
                                                                           "mode": "error"})],
                              out, notebooks=nbdir)
    assert changed.ran == ["toy/x2"] and changed.cached == ["toy/x1"]  # parameters changed
    forced = engine_run.run_jobs(_jobs(1, mode="error"), out, notebooks=nbdir, force=True)
    assert forced.ran == ["toy/x1"]
    retry = engine_run.run_jobs(_jobs(1, 2, 3, mode="error"), out, notebooks=nbdir,
                            only_failed=True)
    assert retry.ran == [] and list(retry.failed) == ["toy/x3"]


def test_timeout_and_killed_kernel_do_not_stop_the_batch(nbdir, tmp_path):
    out = tmp_path / "out"
    jobs = [Job("toy", "slow", {"x": 1, "mode": "slow"}),
            Job("toy", "kill", {"x": 2, "mode": "kill"}),
            Job("toy", "fine", {"x": 4, "mode": "ok"})]
    result = engine_run.run_jobs(jobs, out, notebooks=nbdir, workers=1, timeout=3)
    assert result.ran == ["toy/fine"]
    assert result.failed["toy/slow"]["kind"] == "timeout"
    assert result.failed["toy/kill"]["kind"] == "kernel died"
    assert result.failed["toy/kill"]["attempts"] == 2


def test_interrupted_batch_keeps_finished_reports_and_resumes(nbdir, tmp_path):
    out = tmp_path / "out"
    seen = []

    def interrupt_after_first(event, key, info):
        if event == "done":
            seen.append(key)
            raise KeyboardInterrupt

    first = engine_run.run_jobs(_jobs(1, 2, 3), out, notebooks=nbdir, workers=1,
                            progress=interrupt_after_first)
    assert first.interrupted and len(seen) == 1
    done = json.loads((out / "index.json").read_text())["reports"]
    assert list(done) == seen and not list(out.rglob(".*.html.*"))  # no half-written file
    second = engine_run.run_jobs(_jobs(1, 2, 3), out, notebooks=nbdir, workers=1)
    assert second.cached == seen and len(second.ran) == 2


def test_a_report_run_twice_in_one_warm_kernel_gives_the_same_numbers(small_csv):
    kernel = engine_kernel.WarmKernel(ROOT / "notebooks")
    job = Job("municipality_report", "k", {"municipality_code": "1883", "lang": "en",
                                           "data_path": str(small_csv)})
    try:
        first = records(kernel.run(engine_kernel.prepare(job, ROOT / "notebooks"), 120))
        second = records(kernel.run(engine_kernel.prepare(job, ROOT / "notebooks"), 120))
    finally:
        kernel.shutdown()
    assert first == second and first["maturity_pct"] == pytest.approx(70.0)
    assert kernel.starts == 1  # the same kernel both times


def test_dask_executor_on_a_local_cluster(nbdir, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        result = engine_run.run_jobs(_jobs(1, 2), tmp_path / "out", notebooks=nbdir,
                                 executor="dask", scheduler=cluster.scheduler_address)
    assert sorted(result.ran) == ["toy/x1", "toy/x2"]
    assert "value 4" in (tmp_path / "out" / "toy" / "x2.html").read_text()


def test_a_failed_report_leaves_no_old_page(nbdir, tmp_path):
    out = tmp_path / "out"
    ok = engine_run.run_jobs([Job("toy", "x3", {"x": 3, "mode": "ok"})], out, notebooks=nbdir)
    assert ok.ran == ["toy/x3"] and (out / "toy" / "x3.html").exists()
    bad = engine_run.run_jobs([Job("toy", "x3", {"x": 3, "mode": "error"})], out,
                              notebooks=nbdir, retries=0)
    assert list(bad.failed) == ["toy/x3"] and not (out / "toy" / "x3.html").exists()
    entry = json.loads((out / "index.json").read_text())["reports"]["toy/x3"]
    assert entry["status"] == "failed" and entry["previous_page_removed"]


def test_two_runs_on_one_folder_keep_every_page_in_the_index(nbdir, tmp_path):
    out = tmp_path / "out"
    started = []

    def first_progress(event, key, info):
        if event == "start":
            started.append(True)

    import threading

    first = threading.Thread(target=engine_run.run_jobs, args=(_jobs(1, 2), out),
                             kwargs={"notebooks": nbdir, "workers": 1,
                                     "progress": first_progress})
    first.start()
    while not started:
        time.sleep(0.05)
    from dimios_lib.engine.lock import OutputLocked

    with pytest.raises(OutputLocked):
        engine_run.run_jobs(_jobs(4, 5), out, notebooks=nbdir)
    waited = engine_run.run_jobs(_jobs(4, 5), out, notebooks=nbdir, wait=300)
    first.join()
    assert sorted(waited.ran) == ["toy/x4", "toy/x5"]
    pages = sorted(p.stem for p in (out / "toy").glob("*.html"))
    listed = json.loads((out / "index.json").read_text())["reports"]
    assert pages == ["x1", "x2", "x4", "x5"] and sorted(listed) == [f"toy/{p}" for p in pages]


def test_the_index_shows_file_names_of_the_data(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell('data_path: str | None = None\nlang: str = "sv"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(
        'raise FileNotFoundError(f"no data in {data_path}")')]
    nbformat.write(nb, folder / "reader.ipynb")
    data = tmp_path / "private" / "folder" / "answers.csv"
    data.parent.mkdir(parents=True)
    data.write_text("x\n")
    out = tmp_path / "out"
    result = engine_run.run_jobs([Job("reader", "r", {"data_path": str(data)})], out,
                                 notebooks=folder, retries=0)
    (key,) = result.failed
    assert key.startswith("reader/r_answers-")  # the data's tag in the name
    index = (out / "index.json").read_text() + (out / "index.html").read_text()
    assert "answers.csv" in index and str(data.parent) not in index


def test_kernels_talk_over_ipc_from_any_folder(tmp_path, capfd):
    cwd = tmp_path / "a" / "rather" / "deep" / "folder" / "for" / "the" / "kernel" / "to" / "run"
    cwd.mkdir(parents=True)
    kernel = engine_kernel.WarmKernel(cwd)
    try:
        kernel.start()  # the first IPC attempt hung here: relative socket paths
        assert kernel.km.transport == "ipc"
        nb = kernel._run_source("import os; print(os.getcwd())", 30)
        assert nb.cells[0].outputs[0]["text"].strip() == str(cwd)
        folder = kernel.km.socket_folder
    finally:
        kernel.shutdown()
    assert not Path(folder).exists()
    assert "without encryption" not in capfd.readouterr().err
