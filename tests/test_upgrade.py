"""Upgrading a site: made and customised with one version of the generator's wheel, it takes a
later one (both built here from the tree, with a change between them) by installing it and running
`kb sync`: only generated files change, nothing of the site's own, no conflict, and its output
differs only where the new version meant it to."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from test_renamed_empty_site import ROOT, tracked_copy

pytestmark = pytest.mark.build


def wheel_of(tree: Path, out: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(tree)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    [wheel] = out.glob("library_kb-*.whl")
    return wheel


def install(wheel: Path, purelib: Path) -> None:
    """What pip install -U does to the files: the old version's go, the new one's come."""
    for name in ("generator", "hooks"):
        shutil.rmtree(purelib / name, ignore_errors=True)
    for info in purelib.glob("library_kb-*.dist-info"):
        shutil.rmtree(info)
    zipfile.ZipFile(wheel).extractall(purelib)


def git(site: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=site, check=True, capture_output=True, text=True).stdout


def test_a_customised_site_takes_a_later_version_with_kb_sync_alone(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("needs the Git repository (git ls-files)")
    old_tree = tracked_copy(tmp_path / "v1")
    new_tree = tracked_copy(tmp_path / "v2")
    # The later version: a heading of the home page reworded (the interface's catalogue), a kind
    # described anew, a version number.
    strings = new_tree / "generator/data/interface.yml"
    old_heading = "home-browse: [依主題瀏覽, Browse by topic]"
    assert old_heading in strings.read_text(encoding="utf-8")
    strings.write_text(strings.read_text(encoding="utf-8").replace(
        old_heading, "home-browse: [依主題瀏覽（新版）, Browse by topic (new)]"), encoding="utf-8")
    tool = new_tree / "generator/kinds/tool.py"
    tool.write_text(tool.read_text(encoding="utf-8").replace("同道推薦的工具、網站與合作管道，附用途與推薦人。",
                                                             "同道推薦的工具與網站，附用途、費用與推薦人。"), encoding="utf-8")
    pyproject = new_tree / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('version = "0.1.0"', 'version = "0.1.1"'),
                         encoding="utf-8")
    old = wheel_of(old_tree, tmp_path / "w1")
    new = wheel_of(new_tree, tmp_path / "w2")

    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"], "NO_MKDOCS_2_WARNING": "1", "KB_LANG": "en",
           "SOURCE_DATE_EPOCH": "1765000000", "KB_TODAY": "2026-12-07"}
    env.pop("GITHUB_ACTIONS", None)
    work = tmp_path / "work"
    work.mkdir()

    def kb(*args, cwd):
        done = subprocess.run([str(python), "-m", "generator", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done

    install(old, purelib)
    kb("init", "hill", "--name", "山丘學校圖書館知識庫", "--repository", "hill-libraries/kb", "--kinds", "tool,lesson-plan",
       cwd=work)
    site = work / "hill"
    # The site's own: a registry value, an entry, kb.yml, a page template of its own.
    with open(site / "content/registries/tags.yml", "a", encoding="utf-8") as f:
        f.write("maker-space: {zh: 創客空間, en: Maker spaces}\n")
    (site / "content/tools/hill-catalogue.md").write_text(
        "---\ntitle: 山丘聯合目錄\ndate: 2026-01-05\nsummary: 山丘市各校圖書館的聯合目錄。\ntags: [maker-space]\n"
        "authors: [林小華]\nurl: https://catalogue.hill.example.org/\npurpose: 查各校館藏。\ncategory: catalogue\n"
        "recommended_by: 林小華\ncost: free\ninterface_languages: [zh-TW]\naudience: [librarians]\nchecked: 2026-01-05\n"
        "---\n\n## 介紹\n\n各校館藏一次查完。\n", encoding="utf-8")
    with open(site / "kb.yml", "a", encoding="utf-8") as f:
        f.write("listing:\n  page_size: 10\n")
    (site / "overrides/kb").mkdir(parents=True)
    (site / "overrides/kb/listing.html").write_text(
        (new_tree / "generator/site/templates/listing.html").read_text(encoding="utf-8"), encoding="utf-8")
    kb("sync", cwd=site)
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "our site")
    kb("check", cwd=site)
    kb("build", "--strict", cwd=site)
    before = {p.relative_to(site / "site").as_posix(): p.read_bytes() for p in (site / "site").rglob("*") if p.is_file()}
    own = {p: p.read_bytes() for p in [*site.joinpath("content").rglob("*"), site / "kb.yml",
                                       *site.joinpath("overrides/kb").rglob("*")] if p.is_file()}

    install(new, purelib)  # the upgrade
    assert kb("--version", cwd=site).stdout.split()[:2] == [new.name.split("-")[0].replace("_", "-"), "0.1.1"]
    stale = subprocess.run([str(python), "-m", "generator", "sync", "--check"], cwd=site, env=env, capture_output=True,
                           text=True, timeout=600)
    assert stale.returncode == 1 and "tools.yml" in stale.stderr
    kb("sync", cwd=site)
    changed = sorted(git(site, "status", "--porcelain").splitlines())
    # Only what the generator writes: the form of the kind described anew, and the snippets.
    assert changed == [" M .github/ISSUE_TEMPLATE/tools.yml"], changed
    assert all(p.read_bytes() == data for p, data in own.items())  # nothing of the site's own touched
    assert "<<<<<<<" not in "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.yml"))
    kb("check", cwd=site)
    kb("build", "--strict", cwd=site)
    after = {p.relative_to(site / "site").as_posix(): p.read_bytes() for p in (site / "site").rglob("*") if p.is_file()}
    assert after.keys() == before.keys()
    differ = sorted(rel for rel in after if after[rel] != before[rel])
    assert "index.html" in differ and "依主題瀏覽（新版）" in after["index.html"].decode("utf-8")
    assert "en/index.html" in differ and "Browse by topic (new)" in after["en/index.html"].decode("utf-8")
    # Besides the home page: the tool listing's description, feeds of tools, and the generator tag.
    for rel in differ:
        text = after[rel].decode("utf-8", "replace")
        old_text = before[rel].decode("utf-8", "replace")
        assert ("依主題瀏覽（新版）" in text or "Browse by topic (new)" in text or "附用途、費用與推薦人" in text
                or old_text.replace("0.1.0", "0.1.1") == text), rel
    print(f"\nupgrade: files changed by kb sync: {len(changed)}; conflicts: 0; built files that differ: {len(differ)}"
          f" of {len(after)}")
