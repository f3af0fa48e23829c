"""The batch report engine behind ``dimios run``: warm kernels, a content-hash cache, failures
isolated, and the same run matrix on a Dask cluster.

Why: papermill starts a fresh kernel per notebook, so every report pays for a process, a kernel
start and the library imports (seconds) while its own computation takes a fraction of that. Here
each worker keeps one **warm kernel** with the libraries imported and the data, once loaded,
cached in the library (``dimios_lib.reports.load_data`` keys on the file's identity). Before
each report every name in the kernel's namespace is deleted and matplotlib's state reset; the
kernel is recycled every ``recycle_every`` reports or when a report leaves figures open or the
kernel's memory passes ``max_rss_mb``. Parameters are injected with papermill's own
``parameterize_notebook`` (an ``injected-parameters`` cell after the ``parameters`` cell), cells
run through nbclient, and the HTML is exported in-process (:func:`dimios_lib.render.to_html`).

Cache: an output is keyed by a SHA-256 over the notebook's cells (not outputs), the library's
source and data files, the parameters, and the content of the data file the report reads.
Unchanged work is not redone; the index (``outputs/index.json``) is rewritten after every report,
atomically, so an interrupted batch resumes from it.

Failures: a report that raises, times out or kills its kernel is retried once on a fresh kernel,
then recorded with the failing cell and an error excerpt; the batch goes on and the run ends
non-zero. Every file is written through a temporary file and a rename.
"""

from __future__ import annotations

import ast
import datetime as _dt
import hashlib
import html as _html
import json
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import __version__
from .batch import Job
from .errors import DimiosError
from .render import check_html, to_html, write_atomic

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
NOTEBOOK_DIR = REPO_DIR / "notebooks"
PRELUDE = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy, pandas, scipy.stats, statsmodels.api
import dimios_lib, dimios_lib.reports, dimios_lib.plots, dimios_lib.narrative, dimios_lib.html
plt.close("all"); plt.rcdefaults()
"""
# A fresh namespace without %reset's full garbage collection (0.25 s a report): every name a
# report defined goes, as do the output cache and matplotlib's state.
RESET = """
def _dimios_reset(ip=get_ipython()):
    for name in [n for n in list(ip.user_ns) if n not in ip.user_ns_hidden]:
        del ip.user_ns[name]
    for cache in ("Out", "_oh"):
        if isinstance(ip.user_ns.get(cache), dict):
            ip.user_ns[cache].clear()
_dimios_reset()
""" + PRELUDE
PROBE = """
import json as _j, os as _o, matplotlib.pyplot as _p
_rss = int(open("/proc/self/statm").read().split()[1]) * _o.sysconf("SC_PAGE_SIZE") \
    if _o.path.exists("/proc/self/statm") else 0
print(_j.dumps({"figures": len(_p.get_fignums()), "rss_mb": _rss / 2**20}))
"""


class RunValidationError(DimiosError):
    """The run matrix has problems; nothing was run."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the run matrix; nothing was run:\n  "
                         + "\n  ".join(problems))


# --------------------------------------------------------------------------------------------
# Parameters: what a notebook accepts, and checking a run matrix against it


@dataclass(frozen=True)
class Param:
    name: str
    annotation: str | None
    default: object
    required: bool


_TYPES = {"str": (str,), "int": (int,), "float": (float, int), "bool": (bool,), "list": (list,),
          "dict": (dict,), "None": (type(None),), "NoneType": (type(None),)}


def allowed_types(annotation: str | None) -> tuple[type, ...] | None:
    """Python types an annotation such as ``Optional[Union[str, list]]`` admits (None = any)."""
    if not annotation:
        return None
    try:
        node = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return None

    def walk(n) -> tuple[type, ...] | None:
        if isinstance(n, ast.Name):
            return _TYPES.get(n.id)
        if isinstance(n, ast.Constant) and n.value is None:
            return (type(None),)
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.BitOr):
            a, b = walk(n.left), walk(n.right)
            return None if a is None or b is None else a + b
        if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name):
            inner = n.slice.elts if isinstance(n.slice, ast.Tuple) else [n.slice]
            if n.value.id == "Optional":
                t = walk(inner[0])
                return None if t is None else t + (type(None),)
            if n.value.id == "Union":
                out: tuple[type, ...] = ()
                for e in inner:
                    t = walk(e)
                    if t is None:
                        return None
                    out += t
                return out
            return _TYPES.get(n.value.id.lower())
        return None

    return walk(node)


def notebook_parameters(path: str | os.PathLike) -> dict[str, Param]:
    """The names, annotations and defaults of a notebook's ``parameters`` cell."""
    nb = nbformat.read(str(path), as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if not cells:
        return {}
    out = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            ann = node.annotation
            text = ann.value if isinstance(ann, ast.Constant) and isinstance(ann.value, str) \
                else ast.unparse(ann)
            default = ast.literal_eval(node.value) if node.value is not None else None
            out[node.target.id] = Param(node.target.id, text, default, node.value is None)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = Param(target.id, None, ast.literal_eval(node.value), False)
    return out


def notebook_file(name: str, notebooks: Path = NOTEBOOK_DIR) -> Path:
    return Path(notebooks) / f"{name}.ipynb"


def validate_jobs(jobs: list[Job], *, notebooks: Path = NOTEBOOK_DIR,
                  rounds_of: Callable[[object], list[str]] | None = None) -> list[str]:
    """Every problem of the run matrix at once (empty list = fine).

    Checks: the notebook exists; parameter names are the notebook's; required ones are given;
    values have the annotated type; ``municipality_code`` is an SCB code; ``group`` resolves;
    ``lang`` is sv/en; ``round``/``rounds`` exist in the data the report reads (``rounds_of``
    maps a ``data_path`` value to its rounds).
    """
    from .municipalities import municipalities, resolve_group

    known_codes = set(municipalities()["municipality_code"])
    problems: list[str] = []
    specs: dict[str, dict[str, Param]] = {}
    for job in jobs:
        where = f"{job.key}"
        path = notebook_file(job.notebook, notebooks)
        if job.notebook not in specs:
            specs[job.notebook] = notebook_parameters(path) if path.exists() else {}
        if not path.exists():
            problems.append(f"{where}: notebook {job.notebook!r} not found in {Path(notebooks).name}/")
            continue
        spec = specs[job.notebook]
        for name, value in job.parameters.items():
            if name not in spec:
                problems.append(f"{where}: unknown parameter {name!r}; the notebook takes "
                                f"{', '.join(spec)}")
                continue
            types = allowed_types(spec[name].annotation)
            if types is not None and (not isinstance(value, types)
                                      or (isinstance(value, bool) and bool not in types)):
                problems.append(f"{where}: parameter {name!r} = {value!r} is "
                                f"{type(value).__name__}; expected {spec[name].annotation}")
        for name, p in spec.items():
            if p.required and name not in job.parameters:
                problems.append(f"{where}: parameter {name!r} is required")
        params = {n: p.default for n, p in spec.items()} | job.parameters
        code = params.get("municipality_code")
        if "municipality_code" in spec and isinstance(code, str) and code not in known_codes:
            problems.append(f"{where}: municipality_code {code!r} is not a municipality "
                            "(expected a four-digit SCB code)")
        if "lang" in spec and params.get("lang") not in ("sv", "en"):
            problems.append(f"{where}: lang {params.get('lang')!r}; expected 'sv' or 'en'")
        if "group" in spec and isinstance(params.get("group"), (str, list)):
            try:
                resolve_group(params["group"])
            except DimiosError as exc:
                problems.append(f"{where}: group {params['group']!r}: {exc}")
        wanted = [params.get("round")] if "round" in spec else []
        wanted += list(params.get("rounds") or []) if "rounds" in spec else []
        wanted = [r for r in wanted if r]
        if wanted and rounds_of is not None:
            try:
                have = rounds_of(params.get("data_path"))
            except DimiosError as exc:
                problems.append(f"{where}: data_path {params.get('data_path')!r}: {exc}")
                continue
            for r in wanted:
                if str(r) not in have:
                    problems.append(f"{where}: round {r!r} is not in the data; expected one of "
                                    f"{', '.join(have)}")
    return problems


# --------------------------------------------------------------------------------------------
# Fingerprints


def _sha(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(hashlib.sha256(p).digest())
    return h.hexdigest()


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def library_fingerprint() -> str:
    """Hash of the library's source and data files (changes whenever its code or data does)."""
    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in
                   (".py", ".csv", ".yaml", ".json") and "__pycache__" not in p.parts)
    return _sha(__version__.encode(), *(p.relative_to(PACKAGE_DIR).as_posix().encode()
                                        + b"\0" + p.read_bytes() for p in files))


def notebook_fingerprint(path: Path) -> str:
    nb = nbformat.read(str(path), as_version=4)
    return _sha(*((c.cell_type + "\0" + c.source).encode() for c in nb.cells))


class Fingerprints:
    """Memoised hashes for one run (each data file is hashed once)."""

    def __init__(self, notebooks: Path):
        self.notebooks = Path(notebooks)
        self.library = library_fingerprint()
        self._nb: dict[str, str] = {}
        self._data: dict[object, str] = {}

    def notebook(self, name: str) -> str:
        if name not in self._nb:
            self._nb[name] = notebook_fingerprint(notebook_file(name, self.notebooks))
        return self._nb[name]

    def data(self, data_path) -> str:
        from .reports import find_data

        if data_path not in self._data:
            resolved = find_data(data_path, start=self.notebooks)
            self._data[data_path] = ("simulated-demo:" + self.library if resolved is None
                                     else file_hash(resolved))
        return self._data[data_path]

    def key(self, job: Job) -> str:
        params = json.dumps(job.parameters, sort_keys=True, ensure_ascii=False)
        return _sha(self.notebook(job.notebook).encode(), self.library.encode(), params.encode(),
                    self.data(job.parameters.get("data_path")).encode())


def git_commit(folder: Path = REPO_DIR) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=folder,
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


# --------------------------------------------------------------------------------------------
# A warm kernel


class ReportFailed(Exception):
    def __init__(self, kind: str, cell: int | None, excerpt: str):
        self.kind, self.cell, self.excerpt = kind, cell, excerpt
        super().__init__(f"{kind} in cell {cell}: {excerpt}")


class WarmKernel:
    """One Jupyter kernel kept alive across reports (see module docstring)."""

    def __init__(self, cwd: Path, *, kernel_name: str = "python3", recycle_every: int = 100,
                 max_rss_mb: float = 3000.0):
        self.cwd = Path(cwd)
        self.kernel_name = kernel_name
        self.recycle_every = recycle_every
        self.max_rss_mb = max_rss_mb
        self.km = None
        self.kc = None
        self.runs = 0
        self.starts = 0

    def start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_client.utils import run_sync

        self.km = AsyncKernelManager(kernel_name=self.kernel_name)
        run_sync(self.km.start_kernel)(cwd=str(self.cwd))
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=120)
        self.runs = 0
        self.starts += 1
        self._run_source(PRELUDE, timeout=300)

    def alive(self) -> bool:
        from jupyter_client.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        from jupyter_client.utils import run_sync

        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:  # already closed
                pass
            self.kc = None
        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # already dead: nothing to shut down
                pass
            self.km = None

    def restart(self) -> None:
        self.shutdown()
        self.start()

    def _client(self, nb, timeout: float):
        from nbclient import NotebookClient

        client = NotebookClient(nb, km=self.km, timeout=timeout, kernel_name=self.kernel_name,
                                allow_errors=False, record_timing=False,
                                resources={"metadata": {"path": str(self.cwd)}})
        client.kc = self.kc  # one client for the kernel's life: no reconnect per report
        return client

    def _run_source(self, source: str, timeout: float):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(source)]
        self._client(nb, timeout).execute()
        return nb

    def run(self, nb, timeout: float):
        """Execute ``nb`` (parameters already injected) in a fresh namespace; returns it.

        The namespace reset runs as an extra first cell and the leak probe as an extra last
        cell of the same execution; both are removed from the returned notebook.
        """
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        if self.km is None or not self.alive() or self.runs >= self.recycle_every:
            self.restart()
        current = {"cell": None}
        source_index = {}  # executed position -> index in the notebook file (0-based)
        k = 0
        for pos, cell in enumerate(nb.cells, start=1):
            if "injected-parameters" not in cell.metadata.get("tags", []):
                source_index[pos] = k
                k += 1

        def on_start(cell, cell_index, **_):
            current["cell"] = source_index.get(cell_index)

        nb.cells = [nbformat.v4.new_code_cell(RESET), *nb.cells, nbformat.v4.new_code_cell(PROBE)]
        client = self._client(nb, timeout)
        client.on_cell_start = on_start
        try:
            client.execute()
        except CellTimeoutError as exc:
            self.shutdown()
            raise ReportFailed("timeout", current["cell"], str(exc).strip()[:400]) from None
        except DeadKernelError as exc:
            self.shutdown()
            raise ReportFailed("kernel died", current["cell"], str(exc).strip()[:400]) from None
        except CellExecutionError as exc:
            text = f"{exc.ename}: {exc.evalue}"
            raise ReportFailed("error", current["cell"], text[:400]) from None
        probe = nb.cells[-1]
        nb.cells = nb.cells[1:-1]
        self.runs += 1
        state = {}
        for o in probe.outputs:
            if o.get("name") == "stdout":
                state = json.loads(o["text"].strip().splitlines()[-1])
        if state.get("figures", 0) or state.get("rss_mb", 0) > self.max_rss_mb:
            self.runs = self.recycle_every  # leak: recycle before the next report
        return nb


# --------------------------------------------------------------------------------------------
# One report, start to finish (used by local workers and by Dask workers)


def prepare(job: Job, notebooks: Path) -> nbformat.NotebookNode:
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(notebook_file(job.notebook, notebooks)))  # papermill's metadata
    return parameterize_notebook(nb, dict(job.parameters), kernel_name=None, language="python")


def footer(provenance: dict, lang: str) -> str:
    sv = lang == "sv"
    when = provenance.get("time", "")[:16].replace("T", " ")
    parts = [("Framställd" if sv else "Produced") + f" {when} UTC",
             f"dimios-lib {provenance.get('library_version')}",
             ("commit" if sv else "commit") + f" {provenance.get('commit') or '–'}",
             ("data" if sv else "data") + f" sha256:{str(provenance.get('data_hash'))[:12]}",
             ("rapportnyckel" if sv else "report key") + f" {str(provenance.get('key'))[:12]}"]
    return _html.escape(" · ".join(parts))


def run_report(kernel: WarmKernel, job: Job, notebooks: Path, provenance: dict,
               timeout: float) -> tuple[str, dict]:
    """Execute one report and return its checked HTML page and recorded figures."""
    from .html import records

    nb = prepare(job, notebooks)
    executed = kernel.run(nb, timeout)
    lang = job.parameters.get("lang", "sv")
    page = to_html(executed, lang, footer=footer(provenance, lang))
    problems = check_html(page, lang)
    if problems:
        raise ReportFailed("page rules", None, "; ".join(problems)[:400])
    return page, records(executed)


# --------------------------------------------------------------------------------------------
# The index


@dataclass
class Index:
    """``outputs/index.json``: one entry per report ever run into this folder."""

    path: Path
    entries: dict[str, dict] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def load(cls, output_dir: Path) -> Index:
        path = Path(output_dir) / "index.json"
        entries = {}
        if path.exists():
            try:
                entries = json.loads(path.read_text(encoding="utf-8")).get("reports", {})
            except (json.JSONDecodeError, AttributeError):
                entries = {}  # a damaged index means a full rebuild, never a crash
        return cls(path, entries)

    def update(self, key: str, entry: dict) -> None:
        with self.lock:
            self.entries[key] = entry
            self.save()

    def save(self) -> None:
        payload = {"generated": _now(), "library_version": __version__,
                   "reports": dict(sorted(self.entries.items()))}
        write_atomic(self.path, json.dumps(payload, indent=1, ensure_ascii=False) + "\n")

    def write_html(self) -> Path:
        rows = []
        for key, e in sorted(self.entries.items()):
            link = (f'<a href="{_html.escape(e["output"])}">{_html.escape(key)}</a>'
                    if e.get("status") == "ok" else _html.escape(key))
            params = ", ".join(f"{k}={v}" for k, v in e.get("parameters", {}).items())
            prov = e.get("provenance", {})
            rows.append(
                f"<tr><th scope=\"row\">{link}</th><td>{_html.escape(e.get('notebook', ''))}</td>"
                f"<td>{_html.escape(params)}</td><td>{_html.escape(e.get('status', ''))}</td>"
                f"<td class=\"num\">{e.get('duration', 0):.1f}</td>"
                f"<td>{_html.escape(str(e.get('error') or ''))}</td>"
                f"<td>{_html.escape(str(prov.get('commit') or ''))} · "
                f"{_html.escape(str(prov.get('library_version') or ''))} · "
                f"{_html.escape(str(prov.get('data_hash') or '')[:12])} · "
                f"{_html.escape(str(prov.get('time') or '')[:19])}</td></tr>")
        n_ok = sum(e.get("status") == "ok" for e in self.entries.values())
        n_fail = sum(e.get("status") == "failed" for e in self.entries.values())
        page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<title>DiMiOS reports</title><style>body{font-family:system-ui,sans-serif;"
                "margin:1.5rem}table{border-collapse:collapse;font-size:.9rem}th,td{border-bottom:"
                "1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
                ".num{text-align:right}</style></head><body><main><h1>DiMiOS reports</h1>"
                f"<p>{n_ok} reports, {n_fail} failed. Generated {_now()[:19]} UTC.</p>"
                "<table><caption>Every report in this folder</caption><thead><tr>"
                "<th scope=\"col\">Report</th><th scope=\"col\">Notebook</th>"
                "<th scope=\"col\">Parameters</th><th scope=\"col\">Status</th>"
                "<th scope=\"col\">Seconds</th><th scope=\"col\">Error</th>"
                "<th scope=\"col\">Provenance (commit · library · data · time)</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table></main></body></html>\n")
        return write_atomic(self.path.with_suffix(".html"), page)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


# --------------------------------------------------------------------------------------------
# The run


@dataclass
class RunResult:
    ran: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failed: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0
    interrupted: bool = False


def plan(jobs: list[Job], index: Index, fingerprints: Fingerprints, output_dir: Path, *,
         force: bool = False, only_failed: bool = False) -> tuple[list[tuple[Job, str]], list[str]]:
    """Split jobs into (to run, with their key) and cached report keys."""
    todo, cached = [], []
    for job in jobs:
        key = fingerprints.key(job)
        entry = index.entries.get(job.key, {})
        if only_failed:
            if entry.get("status") == "failed" or (force and entry.get("status") != "ok"):
                todo.append((job, key))
            continue
        out = Path(output_dir) / job.notebook / f"{job.name}.html"
        if not force and entry.get("status") == "ok" and entry.get("key") == key and out.exists():
            cached.append(job.key)
        else:
            todo.append((job, key))
    return todo, cached


def run_jobs(jobs: list[Job], output_dir: str | os.PathLike = "outputs", *,
             notebooks: str | os.PathLike = NOTEBOOK_DIR, workers: int | None = None,
             force: bool = False, only_failed: bool = False, timeout: float = 600,
             retries: int = 1, recycle_every: int = 100,
             progress: Callable[[str, str, dict], None] | None = None,
             executor: str = "local", scheduler: str | None = None,
             rounds_of: Callable[[object], list[str]] | None = None) -> RunResult:
    """Validate the matrix, skip cached reports, run the rest, write pages and the index."""
    notebooks = Path(notebooks)
    output_dir = Path(output_dir)
    problems = validate_jobs(jobs, notebooks=notebooks, rounds_of=rounds_of)
    if problems:
        raise RunValidationError(problems)
    start = time.perf_counter()
    index = Index.load(output_dir)
    fp = Fingerprints(notebooks)
    todo, cached = plan(jobs, index, fp, output_dir, force=force, only_failed=only_failed)
    result = RunResult(cached=cached)
    commit = git_commit(notebooks)
    progress = progress or (lambda event, key, info: None)
    progress("start", "", {"total": len(todo), "cached": len(cached)})

    def provenance(job: Job, key: str) -> dict:
        return {"commit": commit, "library_version": __version__,
                "data_hash": fp.data(job.parameters.get("data_path")), "time": _now(),
                "key": key}

    def finish(job: Job, key: str, outcome: dict) -> None:
        out_rel = f"{job.notebook}/{job.name}.html"
        entry = {"notebook": job.notebook, "parameters": job.parameters, "key": key,
                 "status": outcome["status"], "duration": round(outcome["duration"], 3),
                 "output": out_rel, "attempts": outcome["attempts"],
                 "provenance": outcome["provenance"]}
        if outcome["status"] == "ok":
            write_atomic(output_dir / out_rel, outcome["html"])
            entry["record"] = outcome.get("record", {})
            result.ran.append(job.key)
        else:
            entry.update(error=outcome["error"], failing_cell=outcome.get("cell"),
                         kind=outcome.get("kind"))
            result.failed[job.key] = entry
        index.update(job.key, entry)
        progress("done", job.key, entry)

    try:
        if executor == "dask":
            _run_dask(todo, notebooks, scheduler, timeout, retries, provenance, finish)
        elif executor == "local":
            _run_local(todo, notebooks, workers, timeout, retries, recycle_every, provenance,
                       finish)
        else:
            raise DimiosError(f"unknown executor {executor!r}; expected 'local' or 'dask'")
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        index.save()
        index.write_html()
        result.seconds = time.perf_counter() - start
    return result


def attempt(kernel_factory: Callable[[], WarmKernel], kernel_holder: dict, job: Job,
            notebooks: Path, provenance: dict, timeout: float, retries: int) -> dict:
    """Run one report with retries; never raises for a report's own failure."""
    t0 = time.perf_counter()
    last: ReportFailed | None = None
    for n in range(retries + 1):
        kernel = kernel_holder.get("kernel")
        if kernel is None:
            kernel = kernel_holder["kernel"] = kernel_factory()
        if n > 0:
            kernel.shutdown()  # a retry always gets a fresh kernel
        try:
            page, record = run_report(kernel, job, notebooks, provenance, timeout)
            return {"status": "ok", "html": page, "record": record, "attempts": n + 1,
                    "duration": time.perf_counter() - t0, "provenance": provenance}
        except ReportFailed as exc:
            last = exc
        except Exception as exc:  # kernel start-up or export trouble: also a report failure
            last = ReportFailed(type(exc).__name__, None, str(exc)[:400])
    return {"status": "failed", "error": f"{last.kind}: {last.excerpt}", "cell": last.cell,
            "kind": last.kind, "attempts": retries + 1, "duration": time.perf_counter() - t0,
            "provenance": provenance}


def _run_local(todo, notebooks, workers, timeout, retries, recycle_every, provenance, finish):
    import queue

    workers = max(1, workers or os.cpu_count() or 1)
    workers = min(workers, len(todo)) if todo else 0
    q: queue.Queue = queue.Queue()
    for item in todo:
        q.put(item)
    stop = threading.Event()
    errors: list[BaseException] = []

    def worker():
        holder: dict = {}

        def factory():
            return WarmKernel(notebooks, recycle_every=recycle_every)

        try:
            while not stop.is_set():
                try:
                    job, key = q.get_nowait()
                except queue.Empty:
                    return
                outcome = attempt(factory, holder, job, notebooks, provenance(job, key), timeout,
                                  retries)
                if not stop.is_set():
                    finish(job, key, outcome)
        except BaseException as exc:  # e.g. an interrupt raised in a callback: stop everyone
            errors.append(exc)
            stop.set()
        finally:
            if holder.get("kernel") is not None:
                holder["kernel"].shutdown()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    try:
        while any(t.is_alive() for t in threads):
            for t in threads:
                t.join(timeout=0.2)
    except KeyboardInterrupt:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        raise
    if errors:
        raise errors[0]


# --------------------------------------------------------------------------------------------
# Dask


_DASK_KERNELS = threading.local()


def dask_task(job: Job, notebook_json: str, provenance: dict, timeout: float, retries: int
              ) -> dict:
    """Run on a Dask worker: one warm kernel per worker thread; returns the page, not a file."""
    import tempfile

    holder = getattr(_DASK_KERNELS, "holder", None)
    if holder is None:
        holder = _DASK_KERNELS.holder = {}
        _DASK_KERNELS.folder = tempfile.mkdtemp(prefix="dimios-nb-")
    folder = Path(_DASK_KERNELS.folder)
    (folder / f"{job.notebook}.ipynb").write_text(notebook_json, encoding="utf-8")
    return attempt(lambda: WarmKernel(folder), holder, job, folder, provenance, timeout, retries)


def _run_dask(todo, notebooks, scheduler, timeout, retries, provenance, finish):
    from distributed import Client, as_completed

    if not scheduler:
        raise DimiosError("--executor dask needs --scheduler tcp://HOST:PORT")
    sources = {job.notebook: notebook_file(job.notebook, notebooks).read_text(encoding="utf-8")
               for job, _ in todo}
    with Client(scheduler, timeout="30s") as client:
        futures = {}
        for job, key in todo:
            f = client.submit(dask_task, job, sources[job.notebook], provenance(job, key),
                              timeout, retries, pure=False, key=f"report-{key[:16]}-{job.name}")
            futures[f] = (job, key)
        for f in as_completed(futures):
            job, key = futures[f]
            try:
                outcome = f.result()
            except Exception as exc:  # the worker itself failed
                outcome = {"status": "failed", "error": f"worker: {exc}"[:400], "attempts": 1,
                           "duration": 0.0, "provenance": provenance(job, key)}
            finish(job, key, outcome)


def rounds_lookup(output_dir: str | os.PathLike, notebooks: str | os.PathLike = NOTEBOOK_DIR
                  ) -> Callable[[object], list[str]]:
    """``data_path -> rounds``, cached in ``outputs/.cache/rounds.json`` by the data's hash, so a
    no-op rerun validates rounds without reading the data again."""
    from .reports import find_data, load_data

    path = Path(output_dir) / ".cache" / "rounds.json"
    try:
        cache = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except json.JSONDecodeError:
        cache = {}
    fp = Fingerprints(Path(notebooks))

    def rounds_of(data_path) -> list[str]:
        digest = fp.data(data_path)
        if digest not in cache:
            resolved = find_data(data_path, start=Path(notebooks))
            cache[digest] = load_data(resolved).rounds
            write_atomic(path, json.dumps(cache, indent=1) + "\n")
        return cache[digest]

    return rounds_of


def select(jobs: Iterable[Job], *, notebooks: list[str] | None = None, rounds: list[str] | None
           = None, municipalities: list[str] | None = None) -> list[Job]:
    """Filter the batch by notebook, round and municipality (``--notebook`` etc.)."""
    out = []
    for j in jobs:
        if notebooks and j.notebook not in notebooks:
            continue
        if rounds and j.parameters.get("round") not in rounds:
            continue
        if municipalities and j.parameters.get("municipality_code") not in municipalities:
            continue
        out.append(j)
    return out
