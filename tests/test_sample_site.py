"""The sample knowledge base this repository ships (its content/, mkdocs.yml and committed
issue forms): ``kb validate`` passes, a strict build passes and its pages load in Chromium.

This is the one test module that reads the project's content/ and names the site (its name,
address and repository): the generator's own tests build sites of their own (tests/helpers.py,
tests/sitebuild.py, tests/data/), which the guard below checks. A community that adopts the
generator empties content/ and renames the site first; these tests hold for whatever entries
are there, none included, and whatever the site is called.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from generator.contribute.issues import forms as issueforms
from generator.kinds import KINDS
from generator.knowledge.indexing import load_knowledge_base
from helpers import run_kb
from sitebuild import commit_all

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent


def config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def public_entries() -> list:
    return load_knowledge_base(ROOT / "content").public


# -- kb validate, and what the project commits from its registries ------------------------------

def test_kb_validate_passes_on_the_projects_content(capsys):
    code, out, err = run_kb(capsys, "--lang", "en", "validate", "--root", str(ROOT))
    assert code == 0, out + err


def test_the_committed_issue_forms_are_what_the_generator_writes():
    assert issueforms.stale_files(ROOT) == [], "run: kb sync"
    forms = {p.stem for p in (ROOT / issueforms.FORMS_DIR).glob("*.yml")}
    assert forms == {k.folder for k in KINDS.values()} | {"config"}


# -- a strict build of the project, and its pages in Chromium -----------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The project built as `make build` builds it (kb build --strict), in a copy of what the
    build reads: content/, mkdocs.yml (as it is: the site's own name and address), kb.yml, the
    hooks and the theme's overrides. A copy, so that the build writes nothing into the tree."""
    project = tmp_path_factory.mktemp("sample-site")
    shutil.copytree(ROOT / "content", project / "content")
    for name in ("mkdocs.yml", "kb.yml"):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, project / name)
    cfg = config()
    folders = {Path(h).parts[0] for h in cfg.get("hooks", [])} | {cfg["theme"]["custom_dir"]}
    for folder in folders:
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    commit_all(project)
    result = subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(project), "build", "--strict"],
                            capture_output=True, text=True, timeout=600,
                            env={**os.environ, "KB_LANG": "en", "NO_MKDOCS_2_WARNING": "1"})
    return project, result


@pytest.mark.build
def test_a_strict_build_of_the_project_passes(built):
    project, result = built
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = project / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert html.escape(config()["site_name"], quote=False) in home
    entries = load_knowledge_base(ROOT / "content").entries
    for e in entries:
        assert (site / e.url / "index.html").is_file() == e.public, e.rel


def _pages() -> list[str]:
    """The home page, the search page, and for each kind with public entries its listing and
    its newest entry's page."""
    pages = ["", "search/"]
    for kind in KINDS.values():
        mine = sorted((e for e in public_entries() if e.kind is kind), key=lambda e: (str(e.date), e.rel))
        if mine:
            pages += [f"{kind.folder}/", mine[-1].url]
    return pages


@pytest.mark.build
@pytest.mark.browser
def test_pages_of_the_project_load_in_chromium(built):
    pytest.importorskip("playwright.sync_api", reason="installed by make test")
    from browser import chromium, recording_page, serve

    project, result = built
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    name = config()["site_name"]
    with serve(project / "site") as url, chromium() as browser:
        for path in _pages():
            with recording_page(browser) as page:
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                response = page.goto(url + path, wait_until="networkidle")
                assert response is not None and response.ok, path
                assert name in page.title(), (path, page.title())
                assert page.locator("h1").count() == 1, path
                assert page.locator("html").get_attribute("lang") == config()["theme"]["language"]
                assert errors == [], (path, errors)
                hosts = {urlsplit(u).hostname for u in page.requests if not u.startswith(("data:", "about:"))}
                assert hosts <= {"127.0.0.1"}, (path, hosts)


# -- the guard: no other test module depends on the sample site ---------------------------------

# What the sample site was called when the tests were made independent of it, and what the
# project's mkdocs.yml calls it now (a community's renamed site included).
SAMPLE_NAMES = ("圖書館員知識庫", "library-kb")


def _site_names() -> set[str]:
    """The site's name, address and repository, as mkdocs.yml and kb.yml (site:) have them."""
    cfg = config()
    names = set(SAMPLE_NAMES)
    kb_yml = ROOT / "kb.yml"
    site = (yaml.safe_load(kb_yml.read_text(encoding="utf-8")) or {}).get("site") if kb_yml.is_file() else None
    if isinstance(site, dict):
        names |= {str(site.get(k) or "") for k in ("name", "name_en")}
        names |= {urlsplit(str(site.get(k) or "")).path.strip("/") for k in ("url", "repository")}
    names.add(str(cfg.get("site_name") or ""))
    url = urlsplit(str(cfg.get("site_url") or ""))
    names |= {url.netloc, url.path.strip("/")}
    repo = urlsplit(str(cfg.get("repo_url") or ""))
    names |= {repo.path.strip("/"), str(cfg.get("repo_name") or "")}
    return {n for n in names if len(n) >= 4}


# Ways a test reads the project's content/: a path below it, or a command or loader run on the
# project's root (which reads its content/).
READS_CONTENT = [
    re.compile(r"""\bROOT\s*/\s*["']content\b"""),
    re.compile(r"""parents\[1\]\s*/\s*["']content\b"""),
    re.compile(r"""\b(?:load_knowledge_base|load_registries|admin_script|Checker|stale_files|expected_files|"""
               r"""issueforms\.write|existing_slugs)\(\s*(?:str\()?ROOT\b"""),
    re.compile(r"""(?:run_kb|(?<![\w.])main)\([^)]*["']--root["'],\s*str\(ROOT\)"""),
]


# The proof (test_renamed_empty_site.py) names the site it renames a copy to: where that copy's
# tests run, those are the site's names.
RENAMES_THE_SITE = "test_renamed_empty_site.py"


def test_no_other_test_module_reads_the_projects_content_or_names_the_site():
    """The generator's tests must pass once content/ is emptied and the site renamed (what
    every community does first): only this module may read content/ or name the site."""
    names = _site_names()
    found = []
    for path in sorted(TESTS.glob("*.py")):
        if path.name == Path(__file__).name:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0] if not line.lstrip().startswith(("'", '"')) else line
            hits = [p.pattern for p in READS_CONTENT if p.search(code)]
            if path.name != RENAMES_THE_SITE:
                hits += [f"names {n!r}" for n in names if n in line]
            if hits:
                found.append(f"{path.name}:{number}: {line.strip()}  ({'; '.join(hits)})")
    assert found == [], ("tests must build their own sites (tests/helpers.py example_content(), "
                         "tests/sitebuild.py write_config()):\n" + "\n".join(found))


def test_the_guard_catches_what_it_is_for():
    samples = ['kb = load_knowledge_base(ROOT / "content")', 'shutil.copytree(ROOT/"content/registries", x)',
               'registries, _ = load_registries(ROOT)', 'run_kb(capsys, "validate", "--root", str(ROOT))']
    assert all(any(p.search(s) for p in READS_CONTENT) for s in samples)
    assert not any(p.search('load_knowledge_base(project / "content")') for p in READS_CONTENT)
    assert str(config()["site_name"]) in _site_names() or len(str(config()["site_name"])) < 4


def test_test_sites_take_nothing_of_the_sites_identity(tmp_path):
    """write_config() gives a test site its own name, address and repository; only what the
    generator owns (theme, hooks, Markdown extensions…) comes from the project's mkdocs.yml."""
    from sitebuild import write_config

    written = write_config(tmp_path).read_text(encoding="utf-8")
    for name in _site_names():
        assert name not in written, name
