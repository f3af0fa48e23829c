"""Every SYNTHETIC generator, and the rule "no path means the demo".

Nothing here is real data about any municipality. Each generator is a documented, seeded
simulation whose truth is known:

``responses``  DiMiOS answers of all 290 municipalities over six rounds
``study``      a DigiGrow-like before/after study
``register``   an initiative register for the Modig municipalities
``modig``      Modig's training log, outcome survey and self-rated competence
``known``      exact true scores of the DiMiOS simulation, and groups at known levels (fresh
               samples, panels) for checking the statistics

The rule, in one place (:func:`resolve`): a report input given as a path is that file (a
relative path is looked for in the working folder and its parents, so ``data/...`` works from
``notebooks/``); an input given as ``None`` is the demo: its file in ``data/demo/`` when
``dimios demo`` has written it there, otherwise the same data simulated in memory
(:func:`simulate`). Only this package makes demo data; :func:`write_all` writes it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import DimiosError
from ..io.files import find_upwards, locate

FOLDER = Path("data") / "demo"
"""Where ``dimios demo`` writes the demo files, relative to the project folder."""

FILES = {
    "responses": "dimios_demo_SYNTHETIC.csv",
    "study": "digigrow_study_SYNTHETIC.csv",
    "register": "register_SYNTHETIC",
    "training_log": "modig_training_log_SYNTHETIC.csv",
    "outcomes": "modig_outcomes_SYNTHETIC.csv",
    "competence": "modig_competence_SYNTHETIC.csv",
}
"""Each kind of demo input and its file (the register is a folder) in :data:`FOLDER`."""


def resolve(kind: str, path: str | os.PathLike | None, *,
            start: str | os.PathLike | None = None) -> Path | None:
    """The file a report input names, or the demo's.

    Parameters
    ----------
    kind : str
        One of :data:`FILES`.
    path : path or None
        The input as given. An absolute path must exist; a relative one is looked for under
        ``start`` and each of its parents. ``None`` (or ``""``) means the demo.
    start : path, optional
        Where to start looking (default: the working folder).

    Returns
    -------
    Path or None
        The file (or register folder); ``None`` when the demo is not on disk, so the caller
        simulates it (:func:`simulate`).

    Raises
    ------
    DimiosError
        A path that was given and is found nowhere, named with where it was looked for.
    """
    if kind not in FILES:
        raise DimiosError(f"unknown kind of input {kind!r}; expected one of {', '.join(FILES)}")
    if path is None or path == "":
        return find_upwards(FOLDER / FILES[kind], start)
    return locate(path, start)


def simulate(kind: str) -> Any:
    """The demo input of ``kind`` simulated in memory, exactly as :func:`write_all` writes it
    (same seeds): a frame, or for the register the three frames ``(initiatives, stages,
    kpis)``."""
    if kind == "responses":
        from .responses import generate_demo
        return generate_demo()
    if kind == "study":
        from .study import generate_study_demo
        return generate_study_demo()
    if kind == "register":
        from .register import generate_register_demo
        return generate_register_demo()
    if kind in ("training_log", "outcomes", "competence"):
        from .modig import generate_modig_demo
        return getattr(generate_modig_demo(), kind)
    raise DimiosError(f"unknown kind of input {kind!r}; expected one of {', '.join(FILES)}")


def write_all(folder: str | os.PathLike, *, seed: int | None = None, scale: float = 1.0,
              study_seed: int | None = None, force: bool = False) -> dict[str, Path | None]:
    """Write every demo file into ``folder`` (``dimios demo``).

    A file that exists is kept unless ``force``. Returns ``{kind: path written, or None when
    kept}`` in the order of :data:`FILES` (the three Modig files are written together).
    """
    from . import modig, register, responses, study

    folder = Path(folder)
    seed = responses.DEFAULT_SEED if seed is None else seed
    study_seed = study.DEFAULT_SEED if study_seed is None else study_seed
    writers = {
        "responses": lambda: responses.write_demo(folder, seed=seed, scale=scale),
        "study": lambda: study.write_study_demo(folder, seed=study_seed),
        "register": lambda: register.write_register_demo(folder, seed=seed),
        "training_log": lambda: modig.write_modig_demo(folder)["training_log"],
    }
    out: dict[str, Path | None] = {}
    for kind, write in writers.items():
        target = folder / FILES[kind]
        out[kind] = write() if force or not target.exists() else None
    return out
