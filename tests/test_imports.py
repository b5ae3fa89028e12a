"""No import circles in the engine: each module may use only modules that do not use it back, however
indirectly. Every import counts, at the top of a file or inside a function, so that a circle cannot
hide in a function-level import."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: Path) -> dict[str, set[str]]:
    """Each module of `package` and the modules of the same package it imports."""
    name = package.name
    modules = {_module_name(path, package): path for path in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        used: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                used |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # `from pkg import mod` imports the module pkg.mod; `from pkg.mod import x` imports pkg.mod.
                used |= {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
        graph[module] = {target for target in used if target in modules and target != module
                         and target.split(".")[0] == name and not module.startswith(target + ".")}
    return graph


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or not (Tarjan's strongly connected
    components), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(circles)


def test_the_engine_has_no_import_circles():
    graph = import_graph(ROOT / "handbook")
    assert len(graph) > 30 and "handbook.checks.check" in graph["handbook.cli.main"]
    assert import_circles(graph) == [], "modules that import each other: " + "; ".join(
        " <-> ".join(circle) for circle in import_circles(graph))


def test_a_circle_is_found_however_it_is_hidden(tmp_path):
    package = tmp_path / "engine"
    (package / "stage").mkdir(parents=True)
    for path, text in {
        "__init__.py": "",
        "a.py": "from engine import b\n",
        "b.py": "def late():\n    from engine.stage.c import thing\n",
        "stage/__init__.py": "",
        "stage/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import engine.a\nthing = 1\n",
        "d.py": "from engine.a import x\n",  # uses the circle, is not in it
    }.items():
        (package / path).write_text(text, encoding="utf-8")
    assert import_circles(import_graph(package)) == [["engine.a", "engine.b", "engine.stage.c"]]
