"""One run at a time per output folder.

``dimios run`` holds an exclusive lock on ``<output>/.dimios-run.lock`` while it writes pages and
the index; a second run on the same folder waits up to ``wait`` seconds for it, then refuses
with a message naming the run that holds it (its process id and start). The lock is the
operating system's (``flock``): it goes with the process, so a killed run leaves nothing to
clean up.
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from ..errors import DimiosError

LOCK_NAME = ".dimios-run.lock"


class OutputLocked(DimiosError):
    """Another run is writing to the output folder."""


class OutputLock:
    """An exclusive lock on an output folder (a context manager).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with OutputLock(folder):
    ...     try:
    ...         OutputLock(folder).acquire()
    ...     except OutputLocked as exc:
    ...         print(str(exc).split(":")[0])
    another dimios run is writing to this output folder
    """

    def __init__(self, folder: str | os.PathLike, *, wait: float = 0.0, poll: float = 0.2):
        self.folder = Path(folder)
        self.wait = wait
        self.poll = poll
        self._fh: Any = None

    def acquire(self) -> OutputLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no flock, no lock
            return self
        self.folder.mkdir(parents=True, exist_ok=True)
        fh = open(self.folder / LOCK_NAME, "a+", encoding="utf-8")
        deadline = time.monotonic() + max(0.0, self.wait)
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "unknown"
                    fh.close()
                    raise OutputLocked(
                        f"another dimios run is writing to this output folder: {self.folder} "
                        f"(held by {holder}); wait for it to finish, give --wait SECONDS, or "
                        "choose another --output-dir") from None
                time.sleep(self.poll)
        fh.seek(0)
        fh.truncate()
        started = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        fh.write(f"process {os.getpid()}, started {started}\n")
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is not None:
            import fcntl

            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
