"""Build a real site from a content folder with the generator's engine settings and hooks.

A test site has its own name and address (:data:`SITE`), never the project's: the project's
mkdocs.yml names the sample knowledge base, which a community renames first. What the
generator owns (theme, hooks, Markdown extensions, CSS, the engine's checks) comes from it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# A test site's identity: the keys of mkdocs.yml that are the site's, not the generator's.
SITE_NAME = "測試用知識庫"
SITE_PATH = "/test-kb/"  # served below a path, as a project site on GitHub Pages is
SITE_URL = f"https://kb.example.org{SITE_PATH}"
SITE = {
    "site_name": SITE_NAME,
    "site_description": "測試用的知識庫。",
    "site_url": SITE_URL,
    "repo_url": "https://github.com/example-org/test-kb",
    "repo_name": "test-kb",
    "edit_uri": "edit/main/content/",
    "copyright": "測試內容。",
}


def generator_config() -> dict:
    """The project's mkdocs.yml without the site's identity (the keys of :data:`SITE`): what the
    generator owns, its theme, hooks, Markdown extensions, CSS and the engine's checks."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return {k: v for k, v in config.items() if k not in SITE and k != "site_author"}


def write_config(project: Path, **site) -> Path:
    """mkdocs.yml for a test site: :data:`SITE` (``site`` overrides a key, None leaves it out),
    the generator's settings, and paths to ``project/content`` made absolute."""
    config = {k: v for k, v in {**SITE, **site}.items() if v is not None}
    config.update(generator_config())
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
