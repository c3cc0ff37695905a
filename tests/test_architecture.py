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
        assert not found & {"mkdocs", "material", "properdocs", "zensical", "hooks"}, f


def test_templates_are_the_site_views_own():
    """Jinja2 renders the generator's page templates, and only in generator/site (never the
    engine's environment: our templates are autoescaped, the engine's are not)."""
    for f in (ROOT / "generator").rglob("*.py"):
        if "jinja2" in imports(f):
            assert f.relative_to(ROOT / "generator").parts[0] == "site", f


def test_a_kind_is_one_module():
    """Nothing outside generator/kinds names a kind: no `kind.id == "..."` anywhere else."""
    import re

    from generator.kinds import KINDS

    ids = "|".join(re.escape(k) for k in KINDS)
    pattern = re.compile(rf"""(?:kind\.id|KINDS\[)\s*(?:==|!=|\]|in)?\s*["'](?:{ids})["']""")
    for f in [*(ROOT / "generator").rglob("*.py"), *(ROOT / "hooks").rglob("*.py")]:
        if "kinds" in f.relative_to(ROOT).parts:
            continue
        assert not pattern.search(f.read_text(encoding="utf-8")), f


def test_hooks_are_thin_adapters():
    for f in (ROOT / "hooks").rglob("*.py"):
        found = imports(f)
        assert found <= {"__future__", "os", "pathlib", "mkdocs", "generator"}, (f, found)


def test_a_helper_module_among_the_kinds_is_not_taken_for_a_kind(tmp_path):
    """Only a module that declares KIND registers one: a helper two kinds share, placed in
    kinds/, once broke the import of every kind."""
    import shutil
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__", "admin", "editor"))
    (tmp_path / "generator" / "kinds" / "shared_words.py").write_text('"""Words two kinds share."""\nWORDS = ("a",)\n',
                                                                      encoding="utf-8")
    code = "import generator.kinds as k; print(len(k.KINDS), 'shared_words' in k.KINDS)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(tmp_path), "PATH": ""},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    from generator.kinds import KINDS
    assert out.stdout.split() == [str(len(KINDS)), "False"]


def test_kb_validate_starts_without_the_libraries_only_pages_need():
    # Every kb validate pays for what generator.cli imports (issue #23): Markdown, Jinja, the
    # sanitizer, the HTML parser and Git are imported where a page or the history needs them.
    import subprocess
    import sys

    heavy = ["markdown", "jinja2", "nh3", "selectolax", "git", "pygments"]
    code = ("import sys, generator.cli; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
