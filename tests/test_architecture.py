"""The dependencies point one way: app -> core and app -> lessons, never back; inside the
app each layer folder imports only the layers below it; no module imports itself in a
circle. Read from the source with ``ast`` (every import, also those inside functions)."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "nnsim"

#: app layer -> the app layers it may import (shell, at the top, may import them all)
LAYERS = {
    "draw": set(),
    "state": set(),
    "input": {"state"},
    "widgets": {"draw", "input"},
    "views": {"draw", "input", "state", "widgets"},
    "shell": {"draw", "input", "state", "views", "widgets"},
}


def _modules():
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = ("nnsim",) + path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name):
    """Every module that module ``name`` imports (an imported name that is a module counts
    as that module)."""
    path = MODULES[name]
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found |= {f"{module}.{alias.name}" if f"{module}.{alias.name}" in MODULES else module
                      for alias in node.names}
    return found - {name}


IMPORTS = {name: _imports(name) for name in MODULES}
GRAPH = {name: {m for m in imported if m in MODULES} for name, imported in IMPORTS.items()}


def _layer(name):
    parts = name.split(".")
    return parts[2] if len(parts) > 3 and parts[1] == "app" else None


@pytest.mark.parametrize("name", sorted(m for m in MODULES if m.startswith("nnsim.core")))
def test_core_is_numbers_only(name):
    assert not {m for m in IMPORTS[name] if m.split(".")[0] == "pygame"}
    assert not {m for m in GRAPH[name] if m.startswith(("nnsim.app", "nnsim.lessons", "nnsim.cli"))}


@pytest.mark.parametrize("name", sorted(m for m in MODULES if m.startswith("nnsim.lessons")))
def test_lessons_never_import_the_app(name):
    assert not {m for m in GRAPH[name] if m.startswith(("nnsim.app", "nnsim.cli"))}


@pytest.mark.parametrize("name", sorted(m for m in MODULES if _layer(m)))
def test_app_layers_import_only_the_layers_below(name):
    allowed = LAYERS[_layer(name)] | {_layer(name)}
    wrong = {m for m in GRAPH[name] if _layer(m) and _layer(m) not in allowed}
    assert not wrong, f"{name} imports {sorted(wrong)}"


def test_no_import_circles():
    done, stack = set(), []

    def visit(name):
        if name in stack:
            raise AssertionError("import circle: " + " -> ".join(stack[stack.index(name):] + [name]))
        if name in done:
            return
        stack.append(name)
        for other in sorted(GRAPH[name]):
            visit(other)
        stack.pop()
        done.add(name)

    for name in sorted(GRAPH):
        visit(name)


def test_the_graph_sees_imports():
    """The scan itself works: the loop imports the painter, which imports a view."""
    assert "nnsim.app.views.painter" in GRAPH["nnsim.app.shell.loop"]
    assert "nnsim.app.views.sides" in GRAPH["nnsim.app.views.painter"]
