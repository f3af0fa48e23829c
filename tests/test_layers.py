"""The library's layers (docs/architecture.md): a module imports only from its own package and
from packages below it, so data flows one way."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "dimios_lib"
LAYERS = [  # low to high; a package may import from its own layer's earlier entries and below
    ["errors", "config", "_lazy"],
    ["io"],
    ["stats"],
    ["reference"],
    ["contracts"],
    ["maturity", "demo"],
    ["study"],
    ["programmes"],
    ["reports"],
    ["text"],
    ["render"],
    ["engine"],
    ["cli"],
]
RANK = {name: i + j / 10 for i, layer in enumerate(LAYERS) for j, name in enumerate(layer)}


def _package(module: str) -> str:
    return module.split(".")[0]


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every ``dimios_lib`` import of a file (also inside functions), as (package, line);
    imports only for type checking are left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.relative_to(PACKAGE).with_suffix("").parts
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
            and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    out = []
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = list(here[:-1] if path.name != "__init__.py" else here)
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            names = [a.name for a in node.names] if not target else []
            for t in ([target] if target else names):
                out.append((t, node.lineno))
        elif node.module and node.module.startswith("dimios_lib."):
            out.append((node.module.split(".", 1)[1], node.lineno))
    return out


def test_imports_only_go_down():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts == ("__init__.py",):
            continue  # the public API's lazy re-exports
        own = rel.parts[0].removesuffix(".py")
        for target, line in _imports(path):
            other = _package(target)
            if other == own or other not in RANK:
                continue
            if RANK[other] > RANK[own]:
                wrong.append(f"{rel}:{line} imports {target}")
    assert wrong == []


def test_no_module_is_too_long():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}
