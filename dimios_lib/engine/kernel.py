"""A warm Jupyter kernel kept alive across reports, and running one report on it with retries.

Before each report every name in the kernel's namespace is deleted and matplotlib's state reset;
the kernel is recycled every ``recycle_every`` reports or when a report leaves figures open or
the kernel's memory passes ``max_rss_mb``.

Kernels talk over IPC (Unix domain sockets), not TCP: nothing listens on a port (no port races
between kernels started at once, no "running over TCP without encryption" warning). The sockets
and the connection file live in a private, short-named temporary folder given as *absolute*
paths: jupyter_client's default IPC address is the relative ``kernel-ipc``, which the kernel
binds in its own working folder while the client connects from the caller's, so a kernel
started in another folder (``cwd``) never answers and ``wait_for_ready`` hangs; and a socket
path may not be longer than about 100 bytes. On Windows, which has no such sockets, TCP.

Parameters are injected with papermill's own ``parameterize_notebook``, cells run through
nbclient, and the page is exported in-process (:func:`dimios_lib.render.page.to_html`) and
checked (:func:`~dimios_lib.render.page.check_html`).
"""

from __future__ import annotations

import html as _html
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat

from ..render.page import check_html, to_html
from ..text.provenance import footer
from .batch import Job
from .notebooks import notebook_file

# What every kernel imports once: the modules of the scored reports. statsmodels and
# scipy.stats (about 1.7 s) are imported by the study and follow-up reports that use them.
PRELUDE = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import dimios_lib.reports.data, dimios_lib.reports.municipality, dimios_lib.render.figures
import dimios_lib.render.blocks, dimios_lib.text.municipality
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


def socket_folder() -> str:
    """A new private folder for a kernel's IPC sockets, with a short absolute path."""
    base = tempfile.gettempdir()
    if len(base) > 60:  # keep socket paths well under the ~104-byte limit
        base = "/tmp"
    return tempfile.mkdtemp(prefix="dimios-k", dir=base)


@lru_cache(maxsize=1)
def ipc_kernel_manager() -> type:
    """jupyter_client's ``AsyncKernelManager``, talking over IPC in its own socket folder
    (removed when the kernel's resources are cleaned up); TCP on Windows. Both the warm
    kernels and papermill (``kernel_manager_class``) start their kernels with it."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any):
            folder = None
            if os.name != "nt" and "transport" not in kwargs:
                folder = socket_folder()
                kwargs.update(transport="ipc", ip=os.path.join(folder, "k"),
                              connection_file=os.path.join(folder, "kernel.json"))
            super().__init__(**kwargs)
            self.socket_folder = folder

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart and self.socket_folder:
                shutil.rmtree(self.socket_folder, ignore_errors=True)

    return IPCKernelManager


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
        self.km: Any = None  # jupyter_client's AsyncKernelManager and client, once started
        self.kc: Any = None
        self.runs = 0
        self.starts = 0

    def start(self) -> None:
        from jupyter_client.utils import run_sync

        self.km = ipc_kernel_manager()(kernel_name=self.kernel_name)
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
        current: dict[str, int | None] = {"cell": None}
        source_index: dict[int, int] = {}  # executed position -> index in the notebook file (0-based)
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


def prepare(job: Job, notebooks: Path) -> nbformat.NotebookNode:
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(notebook_file(job.notebook, notebooks)))  # papermill's metadata
    return parameterize_notebook(nb, dict(job.parameters), kernel_name=None, language="python")


def run_report(kernel: WarmKernel, job: Job, notebooks: Path, provenance: dict,
               timeout: float) -> tuple[str, dict]:
    """Execute one report and return its checked HTML page and recorded figures."""
    from ..render.blocks import records

    nb = prepare(job, notebooks)
    executed = kernel.run(nb, timeout)
    lang = job.parameters.get("lang", "sv")
    page = to_html(executed, lang, footer=_html.escape(footer(provenance, lang)))
    problems = check_html(page, lang)
    if problems:
        raise ReportFailed("page rules", None, "; ".join(problems)[:400])
    return page, records(executed)


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
    failure = last or ReportFailed("not run", None, "no attempt was made")
    return {"status": "failed", "error": f"{failure.kind}: {failure.excerpt}",
            "cell": failure.cell, "kind": failure.kind, "attempts": retries + 1,
            "duration": time.perf_counter() - t0, "provenance": provenance}
