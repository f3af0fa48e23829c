"""Lazy re-exports for package ``__init__`` modules (PEP 562).

A package lists its public names and the submodule each lives in; a name is imported the first
time it is used. ``import dimios_lib.reports`` therefore costs nothing until a report function is
called, which keeps ``dimios --help`` and kernel start-up fast.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` serving ``exports`` (name -> submodule).

    Examples
    --------
    >>> getattr_, dir_ = lazy_exports("dimios_lib.text", {"pct": "fmt"})
    >>> getattr_("pct")(42.0, "sv")
    '42\\xa0%'
    >>> "pct" in dir_()
    True
    """
    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{module}"), name)

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
