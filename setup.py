"""The wheel carries what a site needs that is not the site's own (issue #27): besides the
``generator`` and ``hooks`` packages, the engine's files a site made by ``kb init`` copies and
``kb sync`` keeps current (the theme's overrides, the workflows, the engine's configuration, the
dev container, the npm packages' manifest and lock), under ``generator/data/site/``, and the
commit it was built from. In a checkout (an editable install) they are read where they are.
Everything else is declared in pyproject.toml."""

import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# Keep in step with generator/contribute/sync.py (SITE_FILES): a test builds the wheel and checks it.
SITE_FILES = ("mkdocs.yml", "overrides", "hooks/__init__.py", "hooks/kb_hooks.py", ".github/workflows",
              "requirements/site.txt",
              ".github/dependabot.yml",
              ".devcontainer/devcontainer.json", "package.json", "package-lock.json")


class BuildWithSiteFiles(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "generator" / "data" / "site"
        for rel in SITE_FILES:
            source = ROOT / rel
            if source.is_dir():
                shutil.copytree(source, target / rel, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif source.is_file():
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target / rel)
        try:
            commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                                    timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            commit = ""
        if commit:
            (target / "COMMIT").write_text(commit + "\n", encoding="utf-8")


setup(cmdclass={"build_py": BuildWithSiteFiles})
