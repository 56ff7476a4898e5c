"""The layout rules hold: packages by subject, imports only downwards, no circles, a domain free of Streamlit."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "llmcompare"
# Bottom to top ("" is the package itself): a package may import only packages listed before it, and itself.
LAYERS = [
    "", "config", "teams", "io", "identity", "providers", "store", "style", "facts", "playground", "catalog", "decide",
    "charts", "exports", "imports", "reports", "cli", "__main__",
]  # fmt: skip


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _domain_modules() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in DOMAIN.rglob("*.py")}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_domain_never_imports_streamlit() -> None:
    offenders = {m for m, names in _domain_modules().items() if any(n.split(".")[0] == "streamlit" for n in names)}
    assert not offenders


def test_at_most_ten_modules_at_the_top_of_the_domain() -> None:
    top = sorted(p.name for p in DOMAIN.glob("*.py"))
    assert len(top) <= 10, top


def test_every_package_imports_only_packages_below_it() -> None:
    rank = {name: i for i, name in enumerate(LAYERS)}
    upward = []
    for module, names in _domain_modules().items():
        here = _package(module)
        assert here in rank, f"{module}: package {here!r} has no place in LAYERS"
        for name in names:
            if name.startswith("llmcompare.") and (there := _package(name)) in rank and rank[there] > rank[here]:
                upward.append(f"{module} -> {name}")
    assert not upward, upward


def test_no_import_circles_between_modules() -> None:
    modules = _domain_modules()
    graph = defaultdict(set)
    for module, names in modules.items():
        graph[module] = {n for n in names if n in modules and n != module and not module.startswith(n + ".")}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, cycles


def test_views_and_components_never_reach_into_each_other_upwards() -> None:
    """Components never import views; the domain never imports either."""
    for path in (ROOT / "components").rglob("*.py"):
        assert not any(n.split(".")[0] == "views" for n in _imports(path)), path
    for module, names in _domain_modules().items():
        assert not any(n.split(".")[0] in {"views", "components"} for n in names), module
