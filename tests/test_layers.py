"""The tree is the picture: generator/ is packages by concern, in layers, and a lower layer never
imports a higher one (README: Architecture). Every import counts, wherever it is written: at the
top of a module, inside a function, under ``if TYPE_CHECKING``, relative or absolute.

tests/test_architecture.py keeps the outer rule (hooks -> generator -> libraries); this file
keeps the order inside generator/.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GEN = ROOT / "generator"

# Lowest first. A module may import its own layer and the layers below it, never one above.
# Packages sharing a layer (search, outputs) are made side by side from the layers below.
LAYERS: list[tuple[str, ...]] = [
    ("core",),                # problems as values, escaping by context, the fork pool
    ("source",),              # reading files: text, positions, YAML, hints, front matter
    ("model",),               # what an entry can hold: fields, vocabularies, facets, facts, tables,
                              # registries, settings, site info
    ("kinds",),               # one module per kind
    ("validation",),          # content tree -> raw entries -> entries or problems; messages, reports
    ("knowledge",),           # the knowledge base as a whole: indexing, related, history
    ("search", "outputs"),    # the search index; feeds, exports, citations, statistics, charts
    ("site",),                # every page and the engine's folder
    ("contribute",),          # kb new, snippets, the pull request report, issue forms, the web editor
    ("(top)",),               # generator/cli.py (the kb command), engine.py, build.py (one build)
]
# The only modules directly in generator/: everything else belongs to a package of a layer.
TOP_MODULES = {"__init__", "__main__", "build", "cli", "engine"}
RANK = {pkg: i for i, layer in enumerate(LAYERS) for pkg in layer}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in GEN.rglob("*.py") if "__pycache__" not in p.parts}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or (len(parts) == 2 and not (GEN / parts[1]).is_dir()):
        return "(top)"
    return parts[1]


def imported(module: str, path: Path):
    """(line, generator module) for every import of a generator module in ``path``."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "generator":
                    yield node.lineno, _known(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: None if is_package else -1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "generator":
                continue
            for alias in node.names:  # `from generator.site import views` imports a module
                sub = f"{target}.{alias.name}"
                yield node.lineno, sub if sub in MODULES else _known(target)


def _known(name: str) -> str:
    """The module itself, or the nearest package holding it (``generator.x.y`` of a name y)."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


GRAPH: dict[str, set[tuple[int, str]]] = {m: set(imported(m, p)) for m, p in MODULES.items()}


def test_every_package_has_a_layer():
    packages = {p.parent for p in GEN.rglob("*.py") if "__pycache__" not in p.parts}
    unplaced = sorted(str(d.relative_to(ROOT)) for d in packages
                      if d != GEN and d.relative_to(GEN).parts[0] not in RANK)
    assert not unplaced, f"packages in no layer of tests/test_layers.py LAYERS: {unplaced}"
    loose = sorted(p.name for p in GEN.glob("*.py") if p.stem not in TOP_MODULES)
    assert not loose, f"modules directly in generator/ (put each in the package of its concern): {loose}"


def test_every_package_has_an_init():
    missing = sorted(str(d.relative_to(ROOT)) for d in {p.parent for p in GEN.rglob("*.py")}
                     if "__pycache__" not in d.parts and not (d / "__init__.py").is_file())
    assert not missing, f"folders of Python modules without __init__.py: {missing}"
    assert (GEN / "__init__.py").is_file(), "generator/ is a regular package"


def test_a_lower_layer_never_imports_a_higher_one():
    wrong = []
    for module, edges in GRAPH.items():
        here = layer_of(module)
        for line, target in sorted(edges):
            there = layer_of(target)
            if RANK[there] > RANK[here]:
                wrong.append(f"{MODULES[module].relative_to(ROOT)}:{line}: {module} (layer {here}) "
                             f"imports {target} (layer {there}, higher)")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle():
    """Between modules, counting every import (a cycle hidden in a function or under
    TYPE_CHECKING is still a cycle: the two modules are one unit)."""
    graph = {m: sorted({t for _, t in edges if t != m}) for m, edges in GRAPH.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(_cycle(graph, set(component)))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def _cycle(graph: dict[str, list[str]], component: set[str]) -> list[str]:
    """One cycle through a strongly connected component, by breadth-first search back to its start."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in graph[v]:
            if w == start:
                return paths[v] + [start]
            if w in component and w not in paths:
                paths[w] = paths[v] + [w]
                queue.append(w)
    return sorted(component)


def test_the_layer_test_sees_imports():
    """The checks above are not vacuous: relative, absolute and function-level imports are all found."""
    assert ("generator.kinds" in {t for _, t in GRAPH["generator.cli"]})
    assert any(t == "generator.kinds" for _, t in GRAPH["generator.outputs.statistics"])  # inside a function
    assert layer_of("generator.cli") == "(top)" and layer_of("generator.site.views.entry") == "site"
