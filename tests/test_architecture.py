"""Imports flow one way: hooks -> generator -> libraries. generator never imports MkDocs."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_generator_is_engine_independent():
    for f in (ROOT / "generator").rglob("*.py"):
        found = imports(f)
        assert not found & {"mkdocs", "material", "hooks", "jinja2"}, f


def test_hooks_are_thin_adapters():
    for f in (ROOT / "hooks").rglob("*.py"):
        found = imports(f)
        assert found <= {"__future__", "os", "pathlib", "mkdocs", "generator"}, (f, found)
