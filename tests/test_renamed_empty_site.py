"""What a community does first with the generator, done to a copy of this repository: every
entry of content/ removed (its registries kept: a site always has them) and the site renamed in
mkdocs.yml. The unit tests must still pass there: the generator's tests build their own sites,
and the sample site's smoke tests (test_sample_site.py) check whatever entries there are.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 780  # seconds: the unit tests take about a minute alone; the machine may be shared

pytestmark = pytest.mark.build

RENAMED = {
    "site_name": "Renamed Community Library",
    "site_url": "https://kb.renamed.example.net/community-kb/",
    "repo_url": "https://github.com/renamed-community/community-kb",
    "repo_name": "community-kb",
}
# kb.yml's site: keys naming the site, if it has them.
RENAMED_KB_YML = {"name": "改名後的知識庫", "name_en": "Renamed Community Library",
                  "url": RENAMED["site_url"], "repository": "renamed-community/community-kb"}


def tracked_copy(dest: Path) -> Path:
    """The repository's tracked files (as they are in the working tree) copied to ``dest``."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, listed.decode("utf-8").split("\0")):
        src = ROOT / rel
        if not src.exists() and not src.is_symlink():
            continue  # deleted in the working tree, not yet committed
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target, follow_symlinks=False)
    return dest


def empty_and_rename(project: Path) -> None:
    """Every entry out of content/ (registries/ stays), and the site renamed in mkdocs.yml
    (and in kb.yml, where a site may also name itself)."""
    for p in (project / "content").iterdir():
        if p.name != "registries":
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for key, value in RENAMED.items():
        text, n = re.subn(rf"^{key}:.*$", f"{key}: {value}", text, count=1, flags=re.M)
        assert n == 1, f"mkdocs.yml has no {key}"
    config.write_text(text, encoding="utf-8")
    kb_yml = project / "kb.yml"
    if kb_yml.is_file():
        lines, in_site = kb_yml.read_text(encoding="utf-8").splitlines(keepends=True), False
        for n, line in enumerate(lines):
            if line.strip() and not line[0].isspace() and not line.startswith("#"):
                in_site = line.startswith("site:")
            key = line.strip().split(":", 1)[0]
            if in_site and line[:1].isspace() and key in RENAMED_KB_YML:
                lines[n] = f"{line[:len(line) - len(line.lstrip())]}{key}: {RENAMED_KB_YML[key]}\n"
        kb_yml.write_text("".join(lines), encoding="utf-8")


def test_unit_tests_pass_with_content_emptied_and_the_site_renamed(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("needs the Git repository (git ls-files)")
    project = tracked_copy(tmp_path / "repo")
    empty_and_rename(project)
    assert [p.name for p in (project / "content").iterdir()] == ["registries"]
    # What a clone has beside the tracked files: npm's packages (test_admin_format and others
    # skip without them) and the public attack lists of ../shared/attack/.
    if (ROOT / "node_modules").is_dir():
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    from attack_corpus import ATTACK

    env = {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1"}
    if ATTACK.is_dir():
        env["KB_ATTACK_DIR"] = str(ATTACK)
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-m", "not build and not browser",
                           "-p", "no:cacheprovider", f"--basetemp={tmp_path / 'basetemp'}"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    print(f"\nemptied and renamed copy: {summary} ({time.monotonic() - start:.0f} s)")
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
