"""The import graph: every arrow points down (issue 18 §7).

- The apps form layers (LAYERS, lowest first): an app imports only apps below it. Where a lower
  app must show what a higher one owns, the lower app declares an extension point and the
  higher one plugs into it from its `AppConfig.ready()` (e.g. assessments.register, filled by
  evidence; documents.registry, filled by the domains).
- No two modules import each other, directly or through others (no file-level cycle).
- No first-party import hides inside a function to dodge a cycle; the legitimately lazy ones
  (`AppConfig.ready()`, which runs once the models are importable) are in LAZY_IMPORTS with the
  comment in the code saying why.

Tests (`*.tests.*`) sit above every app and may import any of them; the root URL map and the
settings (`truongchuan`) sit above every app too. The graph comes from grimp (the library of
import-linter), which reads the source without importing it."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterable
from pathlib import Path

import grimp
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. `accounts` sits below the registry because its models name units and schools
# by string only; documents is the rendering library the domains register their kinds into;
# evidence files items under an assessment's criteria; the programme's plans measure the
# register and take uploads through evidence.uploads; the dashboard reads everything.
LAYERS = [
    "core",
    "accounts",
    "units",
    "schools",
    "frameworks",
    "documents",
    "recognition",
    "assessments",
    "evidence",
    "programme",
    "improvement",
    "evaluation",
    "dashboard",
    "api",
    "publication",
    "notifications",
]
TOP = "truongchuan"

# Function-level first-party imports that are lazy on purpose: (file, function) → why.
LAZY_IMPORTS: dict[tuple[str, str], str] = {
    ("assessments/apps.py", "ready"): "registers the document kinds once models are ready",
    ("evidence/apps.py", "ready"): "plugs the evidence register into assessments.register",
    ("core/apps.py", "ready"): "creates the history models (core.audit) once models are ready",
    ("schools/apps.py", "ready"): "labels its JSON keys in core.audit once models are ready",
    ("dashboard/apps.py", "ready"): "registers the document kinds once models are ready",
    ("programme/apps.py", "ready"): "registers the document kinds once models are ready",
    ("evaluation/apps.py", "ready"): "registers the document kinds and the register's correction"
    " check once models are ready",
    ("notifications/apps.py", "ready"): "connects its receivers once models are ready",
    ("accounts/apps.py", "ready"): "connects the first-login check to the login signal",
}


def first_party_apps() -> list[str]:
    return [app for app in settings.INSTALLED_APPS if (ROOT / app / "__init__.py").exists()]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*first_party_apps(), TOP, include_external_packages=False)


def _app(module: str) -> str:
    return module.split(".", 1)[0]


def _is_test(module: str) -> bool:
    return ".tests." in f"{module}." or module.endswith(".conftest")


def upward_imports(graph: grimp.ImportGraph) -> set[tuple[str, str]]:
    rank = {app: i for i, app in enumerate(LAYERS)}
    found = set()
    for importer in graph.modules:
        if _is_test(importer) or _app(importer) == TOP:
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            a, b = _app(importer), _app(imported)
            if a != b and (b == TOP or rank[b] > rank[a]):
                found.add((importer, imported))
    return found


def cycles(edges: dict[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_every_app_has_a_place_in_the_layers():
    missing = sorted(set(first_party_apps()) - set(LAYERS))
    assert not missing, f"Place the new app(s) {missing} in LAYERS (lowest first)."


def test_apps_import_only_the_layers_below_them(graph):
    upward = sorted(upward_imports(graph))
    assert not upward, (
        "Imports pointing up the layers (move the code down, or the import up):\n"
        + ("\n".join(f"  {a} -> {b}" for a, b in upward))
    )


def test_no_app_cycle(graph):
    edges: dict[str, set[str]] = {}
    for importer in graph.modules:
        if _is_test(importer):
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            a, b = _app(importer), _app(imported)
            if a != b:
                edges.setdefault(a, set()).add(b)
    assert cycles(edges) == []


def test_no_two_modules_import_each_other(graph):
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    found = cycles(edges)
    assert not found, "Import cycles between files:\n" + "\n".join(
        "  " + " <-> ".join(c) for c in found
    )


def _function_level_imports(path: Path, first_party: set[str]) -> Iterable[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom):
                names = ["." if inner.level else (inner.module or "")]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            else:
                continue
            if any(n == "." or n.split(".", 1)[0] in first_party for n in names):
                yield node.name, inner.lineno


def test_no_first_party_import_hides_in_a_function():
    apps = first_party_apps()
    first_party = set(apps) | {TOP}
    found = []
    for app in [*apps, TOP]:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            rel = "/".join(parts)
            for function, line in _function_level_imports(path, first_party):
                if (rel, function) not in LAZY_IMPORTS:
                    found.append(f"  {rel}:{line} in {function}()")
    assert not found, "Imports inside functions (move them to the module top):\n" + "\n".join(found)


def test_the_cycle_finder_sees_a_circle_through_three_modules():
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": ["b"], "b": []}) == []


def test_every_module_of_every_app_imports():
    """The graph above ignores an import of a module that does not exist (a module moved and a
    caller left behind, e.g. a management command only `make preview` runs): import them all."""
    broken = []
    for app in first_party_apps():
        for path in sorted((ROOT / app).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            try:
                importlib.import_module(module)
            except ImportError as exc:
                broken.append(f"{module}: {exc}")
    assert broken == []
