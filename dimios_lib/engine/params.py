"""Each notebook's ``parameters`` cell, and checking a run matrix against it before any kernel
starts: unknown, missing or ill-typed parameters, unknown municipalities, groups, rounds and
languages are all reported at once.

Parameters that are codes stay text. A value typed on the command line (``-p
municipality_code=0114``) is read by the notebook's annotation, not guessed: text where the
notebook takes text (never YAML's octal 76 or a date). A municipality code that lost its
leading zero on the way (papermill's ``-p`` makes ``0114`` the number 114; YAML 1.1 makes it the
octal 76) is restored, with a note (:func:`normalise_jobs`); a date or another odd value gets a
message that says how to write it.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

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


ROUND = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def parameters_from_text(pairs: dict[str, str], spec: dict[str, Param]) -> dict:
    """``NAME=VALUE`` pairs typed on the command line, read by each parameter's annotation.

    A parameter that takes text gets the text as typed (``0114`` stays ``"0114"``,
    ``2024-05-01`` stays text), unless it also takes a list or a mapping and the value is
    written as one (``[0114, 1883]`` is then a list of texts) or it takes ``None`` and the value
    is ``none``/``null``. Any other parameter's value is read as YAML.

    Examples
    --------
    >>> spec = {"municipality_code": Param("municipality_code", "str", "1883", False),
    ...         "peer_group": Param("peer_group", "str | list | None", None, False),
    ...         "x": Param("x", "int", 1, False)}
    >>> parameters_from_text({"municipality_code": "0114", "peer_group": "[0114, 1883]",
    ...                       "x": "3"}, spec)
    {'municipality_code': '0114', 'peer_group': ['0114', '1883'], 'x': 3}
    """
    out: dict = {}
    for name, raw in pairs.items():
        types = allowed_types(spec[name].annotation) if name in spec else None
        text = raw.strip()
        if types is None or str not in types:
            out[name] = yaml.safe_load(text) if text else ""
        elif text[:1] in "[{" and text and (list in types or dict in types):
            out[name] = yaml.load(text, Loader=_TextLoader)  # a safe loader: text only
        elif text.casefold() in ("none", "null", "~") and type(None) in types:
            out[name] = None
        else:
            out[name] = raw
    return out


class _TextLoader(yaml.SafeLoader):
    """YAML's safe loader reading every scalar as text (codes in a list keep their zeros)."""


_TextLoader.yaml_implicit_resolvers = {}


def normalise_jobs(jobs: list[Job]) -> tuple[list[Job], list[str]]:
    """Jobs whose municipality code lost its leading zero on the way, restored (see
    :func:`dimios_lib.reference.municipalities.restore_code`), and a note for each.

    Examples
    --------
    >>> jobs, notes = normalise_jobs([Job("municipality_report", "a", {"municipality_code": 114})])
    >>> jobs[0].parameters, notes[0].split(" (")[0]
    ({'municipality_code': '0114'}, "municipality_report/a: municipality_code 114 read as the code '0114'")
    """
    from ..reference.municipalities import restore_code

    out, notes = [], []
    for job in jobs:
        code = job.parameters.get("municipality_code")
        fixed, note = restore_code(code) if code is not None else (code, None)
        if note:
            job = Job(job.notebook, job.name, {**job.parameters, "municipality_code": fixed})
            notes.append(f"{job.key}: {note}")
        out.append(job)
    return out, notes


def _odd_value(name: str, value: object, annotation: str | None) -> str | None:
    """A message for a value of the wrong type that has a typical cause, else None."""
    if isinstance(value, (dt.date, dt.datetime)):
        month = value.strftime("%Y-%m")
        return (f"parameter {name!r} = {value} is a date (YAML reads an unquoted date as one); "
                f"write it as text in quotes, e.g. {name}: \"{month}\"")
    if name == "municipality_code" and isinstance(value, int) and not isinstance(value, bool):
        return (f"parameter {name!r} = {value} is a number, not a municipality's code; write "
                f"the four-digit code as text in quotes, e.g. {name}: \"0114\"")
    if name in ("round", "rounds") and isinstance(value, (int, float)):
        return f"parameter {name!r} = {value} is a number; write a round as text, e.g. \"2024-05\""
    return None


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
            odd = [v for v in (value if isinstance(value, list) else [value])
                   if _odd_value(name, v, spec[name].annotation)]
            if odd:
                problems.append(f"{where}: {_odd_value(name, odd[0], spec[name].annotation)}")
                continue
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
        badly = [r for r in wanted if isinstance(r, str) and not ROUND.match(r)]
        for bad in badly:
            hint = f", e.g. {bad[:7]!r}" if re.match(r"^\d{4}-\d{2}", bad) else ", e.g. '2024-05'"
            problems.append(f"{where}: round {bad!r} is not a round; expected YYYY-MM{hint}")
        wanted = [r for r in wanted if isinstance(r, str) and r not in badly]
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


def municipality_jobs(codes: list[str], rounds: list[str], lang: str, batch: list[Job], *,
                      data=None, reference: str | None = None,
                      rounds_of: Callable[[object], list[str]] | None = None) -> list[Job]:
    """The jobs of ``dimios run --municipality``: one municipality report per code and round,
    reading ``data`` or, when it is not given, the data the batch was made from (the
    ``data_path`` of its parameter sets; none there: the demo), so a real batch's report is
    never remade from the demo. ``rounds`` default to the latest round of that data.

    Raises
    ------
    DimiosError
        When the batch reads several different data and ``data`` does not choose.

    Examples
    --------
    >>> batch = [Job("municipality_report", "1883_2024-05_sv",
    ...              {"municipality_code": "1883", "data_path": "exports/"})]
    >>> municipality_jobs(["0114"], ["2024-05"], "en", batch)[0].parameters
    {'municipality_code': '0114', 'round': '2024-05', 'lang': 'en', 'data_path': 'exports/'}
    """
    if data is None:
        found = {json.dumps(j.parameters.get("data_path"), sort_keys=True) for j in batch
                 if "data_path" in j.parameters or j.notebook == "municipality_report"}
        if len(found) > 1:
            raise DimiosError("the batch's parameter files read different data ("
                              + ", ".join(sorted(found)) + "): choose with --data")
        data = json.loads(found.pop()) if found else None
    if reference is None:
        refs = {j.parameters.get("reference_path") for j in batch
                if j.notebook == "municipality_report"}
        reference = refs.pop() if len(refs) == 1 else None
    if not rounds:
        if rounds_of is None:
            raise DimiosError("give --round")
        rounds = [rounds_of(data)[-1]]
    extra = {} if data is None else {"data_path": data}
    if reference:
        extra["reference_path"] = reference
    return [Job("municipality_report", f"{code}_{r}_{lang}",
                {"municipality_code": code, "round": r, "lang": lang, **extra})
            for code in codes for r in rounds]
