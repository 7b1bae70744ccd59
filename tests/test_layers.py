"""The package layout: subpackages by concern, lowest first, and no import running upward.

`geo.data` < `geo.spatial` < `geo.text` < `geo.sources` < `geo.app` < `geo.tools` < `geo.cli`.
A module may import its own layer and the layers below; and no two modules import each other,
however indirectly (imports inside functions count too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "geo"
LAYERS = ("data", "spatial", "text", "sources", "app", "tools", "cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else -1


def geo_imports(path: Path) -> set[str]:
    """Every `geo` module this file imports, at module level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("geo.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "geo":
            for alias in node.names:  # `from geo.app import ui` names a module (or a package)
                candidate = f"{node.module}.{alias.name}"
                where = SRC.parent / Path(*candidate.split("."))
                is_module = where.with_suffix(".py").exists() or (where / "__init__.py").exists()
                found.add(candidate if is_module else node.module)
    return found


MODULES = {module_name(p): geo_imports(p) for p in sorted(SRC.rglob("*.py"))}


def test_the_flat_modules_moved_into_subpackages():
    flat = sorted(p.name for p in SRC.glob("*.py"))
    assert flat == ["__init__.py"], flat  # everything lives in a layer, the CLI too (geo.cli)
    assert {m.split(".")[1] for m in MODULES if m.count(".") >= 1} == set(LAYERS)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_runs_upward(module):
    upward = sorted(t for t in MODULES[module] if layer(t) > layer(module))
    assert not upward, f"{module} imports a higher layer: {upward}"


def test_no_import_cycles():
    graph = {m: {t for t in targets if t in MODULES and t != m} for m, targets in MODULES.items()}
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            raise AssertionError("import cycle: " + " -> ".join([*path[path.index(node):], node]))
        if node in done:
            return
        for nxt in graph[node]:
            visit(nxt, [*path, node])
        done.add(node)

    for m in graph:
        visit(m, [])


def test_the_check_can_fail():
    assert layer("geo.app.ui") > layer("geo.data.store") and layer("geo.cli") == len(LAYERS) - 1
    assert "geo.text.names" in MODULES["geo.text.gazetteer"]
