"""The issue-entry workflow's writing half (generator/issuepublish.py) against a local stand-in
for GitHub's REST API: the branch, the commit with its co-author, one pull request, one comment."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from generator import issuepublish

REPO = "library-kb/library-kb"
ENTRY = "---\ntitle: 測試\n---\n\n## 介紹\n\n文字。\n"


class Fake:
    def __init__(self):
        self.refs = {"main": "0" * 40}
        self.files: dict[tuple[str, str], dict] = {}
        self.pulls: list[dict] = []
        self.comments: list[dict] = []
        self.calls: list[tuple[str, str]] = []
        self.commits: dict[str, str] = {}  # sha -> message

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
                    return self._json([p for p in fake.pulls if f"library-kb:{p['head']}" == head])
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
    for k, v in {"GITHUB_API_URL": f"http://127.0.0.1:{server.server_address[1]}", "GITHUB_REPOSITORY": REPO,
                 "GITHUB_EVENT_PATH": str(event), "COMMENT_TOKEN": "c", "PR_TOKEN": "p", "TOKEN_KIND": "entry-token",
                 "ENTRY_PATH": "content/tools/koha.md", "ENTRY_B64": base64.b64encode(ENTRY.encode()).decode(),
                 "REPORT_B64": base64.b64encode(f"{issuepublish.MARKER}\n## ✅".encode()).decode()}.items():
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
                                  "content/tools/Koha.md", "content/tools/koha.yml"])
def test_a_path_outside_an_entry_is_refused(github, monkeypatch, path):
    monkeypatch.setenv("ENTRY_PATH", path)
    with pytest.raises(SystemExit):
        issuepublish.main(["publish"])
    assert github.files == {} and github.pulls == []
