"""The wheel is all a site needs: built from this tree, put into a fresh virtual environment with
no source tree in reach, it starts a new site (kb init), checks it and builds it. The libraries it
depends on come from this environment's site-packages (PYTHONPATH: no .pth file of an editable
install is read there), so nothing is downloaded but the build backend."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.build


def test_a_site_is_made_checked_and_built_from_the_wheel_alone(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("needs the Git repository (git ls-files)")
    from test_renamed_empty_site import tracked_copy

    # Built from the tracked files alone: a build from the working folder would also take what an
    # earlier build left in build/ (setuptools reuses it), and leave its own there.
    tree = tracked_copy(tmp_path / "tree")
    for cmd in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q",
                                                 "-m", "tree"]):
        subprocess.run(["git", *cmd], cwd=tree, check=True, capture_output=True)  # the commit the wheel records
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(tree)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    [wheel] = wheels.glob("library_kb-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("generator/cli.py", "hooks/kb_hooks.py", "generator/data/vocabularies.yml",
                   "generator/site/templates/home.html", "generator/data/site/mkdocs.yml",
                   "generator/data/site/overrides/main.html", "generator/data/site/overrides/assets/stylesheets/kb.css",
                   "generator/data/site/.github/workflows/deploy.yml", "generator/data/site/package-lock.json",
                   "generator/data/site/COMMIT", "generator/data/site/requirements/site.txt"):
        assert needed in names, needed
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    zipfile.ZipFile(wheel).extractall(purelib)
    work = tmp_path / "work"  # no source tree here or above
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"], "NO_MKDOCS_2_WARNING": "1", "KB_LANG": "en"}
    env.pop("GITHUB_ACTIONS", None)

    def run(*args, cwd=work):
        done = subprocess.run([str(python), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done

    where = run("-c", "import generator, hooks; print(generator.__file__); print(hooks.__file__)").stdout
    assert str(ROOT) not in where and str(purelib) in where
    assert run("-m", "generator", "--version").stdout.split()[0] == wheel.name.split("-")[0].replace("_", "-")
    run("-m", "generator", "init", "hill", "--name", "山丘學校圖書館知識庫", "--repository", "hill-libraries/kb",
        "--kinds", "tool,job")
    site = work / "hill"
    assert (site / "overrides/main.html").is_file() and (site / ".github/workflows/deploy.yml").is_file()
    requirements = (site / "requirements.txt").read_text(encoding="utf-8")
    assert requirements.split("@")[-1].strip() == (purelib / "generator/data/site/COMMIT").read_text().strip()
    lock = (site / "requirements-lock.txt").read_text(encoding="utf-8")  # the generator's lock, from the wheel
    assert lock.endswith((ROOT / "requirements/site.txt").read_text(encoding="utf-8"))
    for cmd in (["init", "-q", "-b", "main"], ["add", "-A"],
                ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "new"]):
        subprocess.run(["git", *cmd], cwd=site, check=True, capture_output=True)
    run("-m", "generator", "check", cwd=site)
    run("-m", "generator", "build", "--strict", cwd=site)
    assert (site / "site/index.html").is_file() and (site / "site/tools/index.html").is_file()
    assert "山丘學校圖書館知識庫" in (site / "site/index.html").read_text(encoding="utf-8")
