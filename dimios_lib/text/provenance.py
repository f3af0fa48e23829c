"""The words of what the engine adds to pages: each report's provenance footer and the run
index."""

from __future__ import annotations

from .catalog import t, tn
from .fmt import MISSING

INDEX_COLUMNS = ("report", "notebook", "parameters", "status", "seconds", "error", "provenance")
"""The columns of the run index (``index.col.<column>``)."""


def footer(provenance: dict, lang: str) -> str:
    """The page's provenance line: when it was made, the library and its commit, every input the
    report read (file name and the start of its SHA-256; never a folder) and the report key.

    Examples
    --------
    >>> p = {"time": "2026-11-24T02:10:00+00:00", "library_version": "0.1.0", "commit": None,
    ...      "inputs": [{"name": "export.csv", "sha256": "ab" * 32}], "key": "cd" * 32}
    >>> for part in footer(p, "sv").split(" · "):
    ...     print(part)
    Framställd 2026-11-24 02:10 UTC
    dimios-lib 0.1.0
    commit –
    underlag: export.csv (sha256:abababababab)
    rapportnyckel cdcdcdcdcdcd
    """
    inputs = ", ".join(f"{i['name']} (sha256:{i['sha256'][:12]})"
                       for i in provenance.get("inputs", []))
    return t("footer.line", lang, time=str(provenance.get("time", ""))[:16].replace("T", " "),
             version=provenance.get("library_version") or MISSING,
             commit=provenance.get("commit") or MISSING, inputs=inputs or MISSING,
             report_key=str(provenance.get("key") or MISSING)[:12])


def index_summary(n_ok: int, n_failed: int, generated: str, lang: str) -> str:
    """``219 reports, 0 failed. Generated …`` for the run index."""
    return tn("index.summary", n_ok, lang, failed=tn("count.failed", n_failed, lang),
              time=generated[:19].replace("T", " "))
