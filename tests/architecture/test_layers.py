"""The layout rules hold: packages by subject, imports only downwards, no circles, a domain free of Streamlit."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "llmcompare"
COMPONENTS = ROOT / "components"
VIEWS = ROOT / "views"
# Bottom to top ("" is the package itself): a package may import only packages listed before it, and itself.
LAYERS = [
    "", "config", "teams", "io", "identity", "providers", "store", "style", "facts", "playground", "catalog", "decide",
    "charts", "exports", "imports", "reports", "cli", "__main__",
]  # fmt: skip
# components/ takes the domain's subject names, plus these shared ones, bottom to top. shell: the frame every page
# stands on (sign-in and roles, the cached fact store, page state, display helpers).
SHARED_COMPONENTS = ["shell"]
COMPONENT_LAYERS = ["", *SHARED_COMPONENTS, *LAYERS[1:]]
VIEW_MAX_LINES = 120


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


def _modules(folder: Path) -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in folder.rglob("*.py")}


def _domain_modules() -> dict[str, set[str]]:
    return _modules(DOMAIN)


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


def _cycles(modules: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle between the given modules (a module importing its own parent package does not count)."""
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
    return cycles


def test_no_import_circles_between_modules() -> None:
    cycles = _cycles(_domain_modules())
    assert not cycles, cycles


def test_views_and_components_never_reach_into_each_other_upwards() -> None:
    """Components never import views; the domain never imports either."""
    for path in (ROOT / "components").rglob("*.py"):
        assert not any(n.split(".")[0] == "views" for n in _imports(path)), path
    for module, names in _domain_modules().items():
        assert not any(n.split(".")[0] in {"views", "components"} for n in names), module


def test_components_are_grouped_by_the_domain_subjects() -> None:
    """components/ holds no loose modules; each sub-package carries a domain package's name or a declared shared one."""
    subjects = {p.parent.name for p in DOMAIN.glob("*/__init__.py")}
    loose = sorted(p.name for p in COMPONENTS.glob("*.py") if p.name != "__init__.py")
    assert not loose, loose
    packages = sorted(p.name for p in COMPONENTS.iterdir() if p.is_dir() and any(p.glob("*.py")))
    assert packages, "components/ has no sub-packages"
    for name in packages:
        assert name in subjects or name in SHARED_COMPONENTS, f"components/{name}: neither a domain package nor shared"
        assert (COMPONENTS / name / "__init__.py").exists(), f"components/{name} has no __init__.py"
        assert name in COMPONENT_LAYERS, f"components/{name} has no place in COMPONENT_LAYERS"


def test_components_import_only_downwards_and_without_circles() -> None:
    """A component imports its own sub-package, shared ones and those of subjects below it in the domain's order."""
    rank = {name: i for i, name in enumerate(COMPONENT_LAYERS)}
    modules = _modules(COMPONENTS)
    upward = []
    for module, names in modules.items():
        here = _package(module)
        for name in names:
            if name.startswith("components.") and rank[_package(name)] > rank[here]:
                upward.append(f"{module} -> {name}")
    assert not upward, upward
    cycles = _cycles(modules)
    assert not cycles, cycles


def test_views_stay_thin() -> None:
    """One short script per page, built from components and the domain; no page imports another."""
    for path in VIEWS.glob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= VIEW_MAX_LINES, f"{path.name}: {lines} lines"
        assert not any(n.split(".")[0] == "views" for n in _imports(path)), path
