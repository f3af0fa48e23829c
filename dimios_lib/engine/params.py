"""Each notebook's ``parameters`` cell, and checking a run matrix against it before any kernel
starts: unknown, missing or ill-typed parameters, unknown municipalities, groups, rounds and
languages are all reported at once.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..errors import DimiosError
from .batch import Job
from .notebooks import NOTEBOOK_DIR, notebook_file


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


def validate_jobs(jobs: list[Job], *, notebooks: Path = NOTEBOOK_DIR,
                  rounds_of: Callable[[object], list[str]] | None = None,
                  inputs_of: Callable[[Job], object] | None = None) -> list[str]:
    """Every problem of the run matrix at once (empty list = fine).

    Checks: the notebook exists; parameter names are the notebook's; required ones are given;
    values have the annotated type; ``municipality_code`` is an SCB code; ``group`` resolves;
    ``lang`` is sv/en; ``round``/``rounds`` exist in the data the report reads (``rounds_of``
    maps a ``data_path`` value to its rounds).
    """
    from ..reference.municipalities import municipalities, resolve_group

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
        if inputs_of is not None:
            try:
                inputs_of(job)
            except DimiosError as exc:
                problems.append(f"{where}: {exc}")
                continue
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
