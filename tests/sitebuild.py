"""Build a real site from a content folder with the project's mkdocs.yml and hooks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def write_config(project: Path) -> Path:
    """The project's mkdocs.yml, pointed at ``project/content`` with absolute paths."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(project / ".kb-cache" / "docs")
    (project / ".kb-cache" / "docs").mkdir(parents=True, exist_ok=True)
    config["site_dir"] = str(project / "site")
    config["hooks"] = [str(ROOT / h) for h in config["hooks"]]
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def commit_all(project: Path, author: str = "王小明 <wang@example.org>", date: str = "2024-03-01T10:00:00+08:00") -> None:
    """Make ``project`` a Git repository (if needed) and commit everything in it."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    run = lambda *a: subprocess.run(["git", *a], cwd=project, check=True, capture_output=True, env=env)  # noqa: E731
    if not (project / ".git").exists():
        run("init", "-q", "-b", "main")
        run("config", "user.email", "test@example.org")
        run("config", "user.name", "test")
        (project / ".gitignore").write_text("site/\n")
    run("add", "-A")
    run("commit", "-q", "--allow-empty", "-m", "content", f"--author={author}")


def mkdocs_build(project: Path, strict: bool = True, git: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    if git:
        commit_all(project)
    cfg = write_config(project)
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(cfg)] + (["--strict"] if strict else [])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_LANG": "en", **(env or {})}
    result = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, timeout=600)
    if os.environ.get("KB_TEST_VERBOSE"):
        print(result.stdout, result.stderr)
    return result


# A real `mkdocs build` in a process that first registers kinds declared outside generator/kinds
# (generator.kinds.register): a plain `python -m mkdocs` would not see them.
_BUILD_WITH_KINDS = """
import importlib.util, sys
from generator.kinds import register
config, strict, *modules = sys.argv[1:]
for i, path in enumerate(modules):
    spec = importlib.util.spec_from_file_location(f"kb_extra_kind_{i}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    register(module.KIND)
from mkdocs.__main__ import cli
cli(["build", "-f", config] + (["--strict"] if strict == "strict" else []))
"""


def mkdocs_build_with(project: Path, *, kind_modules: tuple[Path, ...] = (), custom_dir: Path | None = None,
                      strict: bool = True, git: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """As :func:`mkdocs_build`, with kinds registered from ``kind_modules`` (files declaring ``KIND``)
    before MkDocs starts, in its process, and with ``custom_dir`` as the theme's overrides folder
    (a site's own page templates live in its ``kb/``)."""
    if git:
        commit_all(project)
    cfg = write_config(project)
    if custom_dir is not None:
        config = yaml.safe_load(cfg.read_text(encoding="utf-8"))
        config["theme"]["custom_dir"] = str(custom_dir)
        cfg.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    cmd = [sys.executable, "-c", _BUILD_WITH_KINDS, str(cfg), "strict" if strict else "",
           *(str(m) for m in kind_modules)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_LANG": "en", **(env or {})}
    result = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, timeout=600)
    if os.environ.get("KB_TEST_VERBOSE"):
        print(result.stdout, result.stderr)
    return result
