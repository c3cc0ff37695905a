"""The issue-entry workflow's writing half (generator/contribute/issues/publish.py) against a local stand-in
for GitHub's REST API: the branch, the commit with its co-author, one pull request, one comment;
what the reading job wrote comes as the run's artifact."""

from __future__ import annotations

import base64
import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

from generator.contribute.issues import publish as issuepublish

REPO = "example-org/test-kb"
RUN_ID = 99
ENTRY = "---\ntitle: 測試\n---\n\n## 介紹\n\n文字。\n"


def zipped(files: dict[str, str | bytes]) -> bytes:
    """An artifact as GitHub's API hands it out: a zip of the uploaded folder's files."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def zipped_folder(folder: Path) -> bytes:
    return zipped({p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()})


def outputs(entry: str = ENTRY, path: str = "content/tools/koha.md", comment: str | None = None) -> bytes:
    return zipped({"comment.md": comment if comment is not None else f"{issuepublish.MARKER}\n## ✅",
                   "result.json": json.dumps({"valid": bool(entry), "path": path}),
                   **({"entry.md": entry} if entry else {})})


class Fake:
    def __init__(self):
        self.refs = {"main": "0" * 40}
        self.files: dict[tuple[str, str], dict] = {}
        self.pulls: list[dict] = []
        self.comments: list[dict] = []
        self.calls: list[tuple[str, str]] = []
        self.commits: dict[str, str] = {}  # sha -> message
        self.artifacts: dict[str, bytes] = {"issue-entry": outputs()}  # this run's, by name
        self.storage_auth: list[str | None] = []

    def commit(self, branch: str, message: str) -> None:
        sha = f"{len(self.commits) + 1:040x}"
        self.commits[sha] = message
        self.refs[branch] = sha


@pytest.fixture
def github(monkeypatch, tmp_path):
    fake = Fake()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def _json(self, obj, code=200):
            body = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _body(self):
            n = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(n)) if n else None

        def _route(self, method):
            url = urlparse(self.path)
            path, data = url.path, self._body()
            fake.calls.append((method, path))
            base = f"/repos/{REPO}"
            if method == "GET" and path == f"{base}/actions/runs/{RUN_ID}/artifacts":
                return self._json({"artifacts": [{"id": i, "name": n, "expired": False}
                                                 for i, n in enumerate(fake.artifacts, 1)]})
            if method == "GET" and path.startswith(f"{base}/actions/artifacts/") and path.endswith("/zip"):
                assert self.headers["Authorization"] == "Bearer c"  # the comment token, with actions: read
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.1:{server.server_address[1]}/storage/{path.split('/')[-2]}")
                self.send_header("Content-Length", "0")
                return self.end_headers()
            if method == "GET" and path.startswith("/storage/"):
                fake.storage_auth.append(self.headers.get("Authorization"))
                data = list(fake.artifacts.values())[int(path.rsplit("/", 1)[1]) - 1]
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                return self.wfile.write(data)
            if method == "GET" and path == base:
                return self._json({"default_branch": "main"})
            if path.startswith(f"{base}/git/ref/heads/") and method == "GET":
                name = path.split("/git/ref/heads/", 1)[1]
                return self._json({"object": {"sha": fake.refs[name]}}) if name in fake.refs else self._json({}, 404)
            if method == "POST" and path == f"{base}/git/refs":
                fake.refs[data["ref"].removeprefix("refs/heads/")] = data["sha"]
                return self._json({}, 201)
            if method == "PATCH" and path.startswith(f"{base}/git/refs/heads/"):
                assert data["force"] is True
                fake.refs[path.split("/git/refs/heads/", 1)[1]] = data["sha"]
                return self._json({})
            if method == "PUT" and path.startswith(f"{base}/contents/"):
                fake.files[(data["branch"], path.split("/contents/", 1)[1])] = data
                fake.commit(data["branch"], data["message"])
                return self._json({}, 201)
            if method == "GET" and path.startswith(f"{base}/git/commits/"):
                sha = path.rsplit("/", 1)[1]
                return self._json({"message": fake.commits[sha]}) if sha in fake.commits else self._json({}, 404)
            if path == f"{base}/pulls":
                if method == "GET":
                    head = dict(q.split("=", 1) for q in url.query.split("&"))["head"]
                    return self._json([p for p in fake.pulls if f"{REPO.split('/')[0]}:{p['head']}" == head])
                pr = {**data, "html_url": f"https://github.test/pull/{len(fake.pulls) + 1}"}
                fake.pulls.append(pr)
                return self._json(pr, 201)
            if path.endswith("/comments") and method == "GET":
                return self._json(fake.comments)
            if path.endswith("/comments") and method == "POST":
                c = {"id": len(fake.comments) + 1, "user": {"login": "github-actions[bot]"}, "body": data["body"],
                     "html_url": "x"}
                fake.comments.append(c)
                return self._json(c, 201)
            if method == "PATCH" and "/issues/comments/" in path:
                c = next(c for c in fake.comments if c["id"] == int(path.rsplit("/", 1)[1]))
                c["body"] = data["body"]
                return self._json(c)
            return self._json({"path": path}, 404)

        def do_GET(self):
            self._route("GET")

        def do_POST(self):
            self._route("POST")

        def do_PATCH(self):
            self._route("PATCH")

        def do_PUT(self):
            self._route("PUT")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"issue": {"number": 12, "user": {"login": "librarian", "id": 4242}}}))
    fake.api = f"http://127.0.0.1:{server.server_address[1]}"
    for k, v in {"GITHUB_API_URL": fake.api, "GITHUB_REPOSITORY": REPO, "GITHUB_RUN_ID": str(RUN_ID),
                 "GITHUB_EVENT_PATH": str(event), "COMMENT_TOKEN": "c", "PR_TOKEN": "p",
                 "TOKEN_KIND": "entry-token"}.items():
        monkeypatch.setenv(k, v)
    yield fake
    server.shutdown()


def test_a_valid_issue_becomes_one_branch_one_commit_one_pull_request_one_comment(github):
    assert issuepublish.main(["publish"]) == 0
    commit = github.files[("entry/issue-12", "content/tools/koha.md")]
    assert base64.b64decode(commit["content"]).decode() == ENTRY
    assert "Co-authored-by: librarian <4242+librarian@users.noreply.github.com>" in commit["message"]
    # the site credits entries to their Git authors: the librarian, not the token's owner
    assert commit["author"] == {"name": "librarian", "email": "4242+librarian@users.noreply.github.com"}
    assert len(github.pulls) == 1 and "Closes #12" in github.pulls[0]["body"] and github.pulls[0]["base"] == "main"
    assert len(github.comments) == 1 and "https://github.test/pull/1" in github.comments[0]["body"]
    assert github.storage_auth == [None], "the token went to the storage host"
    # The contributor edits the issue: the branch starts again from main, the same pull request
    # and the same comment are updated.
    github.refs["main"] = "1" * 40
    assert issuepublish.main(["publish"]) == 0
    assert ("PATCH", f"/repos/{REPO}/git/refs/heads/entry/issue-12") in github.calls
    assert len(github.pulls) == 1 and len(github.comments) == 1


def test_an_edit_of_the_issue_never_throws_away_an_editors_commit(github):
    issuepublish.main(["publish"])
    github.commit("entry/issue-12", "Fix the conference's name")  # an editor's change on the branch
    tip = github.refs["entry/issue-12"]
    issuepublish.main(["publish"])  # the contributor edits the issue again
    assert github.refs["entry/issue-12"] == tip
    assert not any(m == "PATCH" and "git/refs" in p for m, p in github.calls)
    assert len(github.comments) == 1 and "has changes by the editors" in github.comments[0]["body"]


def test_without_the_entry_token_the_comment_asks_a_maintainer_to_start_the_checks(github, monkeypatch):
    monkeypatch.setenv("TOKEN_KIND", "default")
    issuepublish.main(["publish"])
    assert "Maintainers: opened with the default token" in github.comments[0]["body"]


def test_an_invalid_issue_gets_only_the_comment(github):
    issuepublish.main(["comment"])
    assert len(github.comments) == 1 and github.pulls == [] and github.files == {}


@pytest.mark.parametrize("path", ["content/../.github/workflows/x.md", "content/tools/a/b.md", ".github/x.md",
                                  "content/tools/Koha.md", "content/tools/koha.yml", None, 7])
def test_a_path_outside_an_entry_is_refused(github, path):
    github.artifacts["issue-entry"] = outputs(path=path)
    with pytest.raises(SystemExit):
        issuepublish.main(["publish"])
    assert github.files == {} and github.pulls == []


# -- The workflow's own steps, run as GitHub runs them, with a 33,000-character Chinese entry --------

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github/workflows/issue-entry.yml"
ARG_MAX_STRLEN = 131_072  # bytes: Linux refuses a longer environment variable or argument (E2BIG)


def _workflow() -> dict:
    import yaml

    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _expression(expr: str, outputs: dict[str, str]) -> str:
    """The value GitHub gives a step's env: entry, for the few expressions the workflow uses."""
    expr = expr.strip()
    if expr.startswith("needs.parse.outputs."):
        return outputs[expr.rsplit(".", 1)[1]]
    known = {"github.token": "c", "secrets.KB_ENTRY_TOKEN || github.token": "p",
             "secrets.KB_ENTRY_TOKEN != '' && 'entry-token' || 'default'": "entry-token"}
    assert expr in known, f"an expression this test does not know: {expr}"
    return known[expr]


def _step_env(step: dict, outputs: dict[str, str], base: dict[str, str]) -> dict[str, str]:
    import re

    env = dict(base)
    for name, value in (step.get("env") or {}).items():
        env[name] = re.sub(r"\$\{\{(.*?)\}\}", lambda m: _expression(m.group(1), outputs), str(value))
    return env


def _run_step(step: dict, cwd: Path, env: dict[str, str]):
    import subprocess

    # GitHub runs a step as `bash -e {0}`; every variable and argument goes through execve, whose
    # limit per string is what a long entry passed through env: or outputs: would exceed.
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


def test_a_33000_character_chinese_entry_goes_from_the_issue_to_the_pull_request(github, tmp_path):
    """A valid entry whose body is 33,000 Chinese characters (about 100 KB, over 128 KiB in
    base64) got no pull request and no comment: the entry and the report went between the jobs
    as base64 outputs and environment variables. The workflow's own steps are run here, their
    env: filled as GitHub fills it (job outputs included), so an entry passed that way again
    fails here as on GitHub (Argument list too long); what the reading job writes goes to the
    writing job as its artifact, a zip of the uploaded folder."""
    import os

    from generator.contribute.issues.body import MAX_BODY
    from generator.contribute.issues.formspec import form_items
    from generator.kinds import KINDS
    from generator.model.registries import load_registries

    from helpers import example_content

    root = tmp_path / "root"
    example_content(root)
    kind = KINDS["exchange"]
    registries, _ = load_registries(root / "content")
    words = "圖書館整理了一批複本期刊歡迎需要的館來信索取我們會盡快回覆並安排寄送"
    body = "\n\n".join((words * 40)[:1_000] for _ in range(33))  # 33 paragraphs of 1,000 characters
    assert sum(not ch.isspace() for ch in body) == 33_000 and len(body) < MAX_BODY
    answers = {"slug": "periodicals-long", "title": "複本期刊贈送（長篇）", "date": "2024-03-01",
               "summary": "一批複本期刊，歡迎索取。", "authors": "王小明", "quantity": "40",
               "condition": "良好 Good (good)", "unit": "冊", "location": "臺中市", "expires": "2024-12-31",
               "contact__email": "service@library.example.org", "body": body}
    items = form_items(kind, registries)
    for item in items:  # required drop-downs: their preselected or first option, as picked in the form
        if item.shape in ("choice", "choices") and (item.required or item.default is not None):
            answers[item.id] = item.options[item.default or 0]
    issue_body = "\n\n".join(f"### {i.label}\n\n{answers.get(i.id) or '_No response_'}" for i in items)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"issue": {
        "number": 12, "state": "open", "body": issue_body, "user": {"login": "librarian", "id": 4242},
        "labels": [{"name": "new-entry"}, {"name": kind.folder}]}}, ensure_ascii=False), encoding="utf-8")

    wf = _workflow()
    runner = {"PATH": f"{Path(os.sys.executable).parent}:{os.environ['PATH']}", "HOME": str(tmp_path),
              "LANG": "C.UTF-8", "GITHUB_EVENT_PATH": str(event), "GITHUB_REPOSITORY": REPO,
              "GITHUB_RUN_ID": str(RUN_ID), "GITHUB_API_URL": github.api, "GITHUB_SERVER_URL": "https://github.com"}
    # The reading job: its step, then its uploads (zips of the folders it names).
    parse = wf["jobs"]["parse"]
    step = next(s for s in parse["steps"] if s.get("id") == "entry")
    out, summary = tmp_path / "github_output", tmp_path / "step_summary"
    done = _run_step(step, root, {**_step_env(step, {}, runner), "GITHUB_OUTPUT": str(out),
                                  "GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 0, done.stderr
    step_outputs = dict(line.split("=", 1) for line in out.read_text(encoding="utf-8").splitlines())
    job_outputs = {name: _expression(v.strip()[3:-2].replace("steps.entry.outputs.", "needs.parse.outputs."),
                                     step_outputs) for name, v in parse["outputs"].items()}
    assert job_outputs == {"valid": "true"}, (root / "issue-entry/comment.md").read_text(encoding="utf-8")[:3000]
    uploads = {s["with"]["name"]: root / s["with"]["path"] for s in parse["steps"]
               if s.get("uses", "").startswith("actions/upload-artifact@")}
    entry = (uploads["issue-entry"] / "entry.md").read_text(encoding="utf-8")
    assert body in entry and len(entry.encode()) * 4 / 3 > ARG_MAX_STRLEN
    assert entry == (root / "content/exchange/periodicals-long.md").read_text(encoding="utf-8")
    assert json.loads((uploads["issue-entry"] / "result.json").read_text()) == {
        "valid": True, "path": "content/exchange/periodicals-long.md"}
    assert body in summary.read_text(encoding="utf-8")  # the whole file, in the job summary
    github.artifacts = {name: zipped_folder(folder) for name, folder in uploads.items()}
    # The writing job: its step, env as GitHub fills it, from a checkout of our code.
    job = wf["jobs"]["publish"]
    assert "needs.parse.outputs.valid == 'true'" in job["if"]
    step = next(s for s in job["steps"] if "run" in s)
    env = _step_env(step, job_outputs, runner)
    assert all(len(f"{k}={v}".encode()) < 1_000 for k, v in env.items() if k != "PATH")
    done = _run_step(step, ROOT, env)
    assert done.returncode == 0, done.stderr
    commit = github.files[("entry/issue-12", "content/exchange/periodicals-long.md")]
    assert base64.b64decode(commit["content"]).decode("utf-8") == entry
    assert len(github.pulls) == 1 and len(github.comments) == 1
    comment = github.comments[0]["body"]
    assert comment.startswith(issuepublish.MARKER) and "https://github.test/pull/1" in comment
    assert len(comment) < 65_536 and "條目檢查通過" in comment
