"""The validation report as one pull request comment, updated in place (generator/contribute/ghcomment.py),
against a local stand-in for GitHub's REST API; and the Markdown report it posts."""

from __future__ import annotations

import io
import re
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from generator.contribute import ghcomment
from generator.core.problems import Level, problem
from generator.validation import reporting
from generator.validation.reporting import REPORT_MARKER, format_github, format_json, format_markdown

REPO = "example-org/test-kb"
SHA = "a" * 40


def artifact(number=7, problems=(), raw: str | None = None) -> bytes:
    """The pull-request workflow's artifact: pr.json and problems.json (kb validate --format json)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("pr.json", json.dumps({"number": number}))
        z.writestr("problems.json", raw if raw is not None else format_json(list(problems)))
    return buf.getvalue()


ONE = [problem("content/tools/koha.md", 3, 7, "key-unknown", key="colour")]


class FakeGitHub:
    """Artifacts (the zip behind a redirect to 'storage', which must not get the token), pull
    requests and issue comments, in memory."""

    def __init__(self, number=7, problems=(), head=SHA, raw: str | None = None):
        self.zip = artifact(number, problems, raw)
        self.head = head
        self.comments: list[dict] = []
        self.storage_auth: list[str | None] = []
        self.requests: list[tuple[str, str]] = []

    def serve(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, code, body=b"", headers=None):
                self.send_response(code)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, obj, code=200):
                self._send(code, json.dumps(obj).encode(), {"Content-Type": "application/json"})

            def do_GET(self):
                path = urlparse(self.path).path
                fake.requests.append(("GET", self.path))
                if path == f"/repos/{REPO}/actions/runs/99/artifacts":
                    return self._json({"artifacts": [{"id": 5, "name": "validation-report", "expired": False}]})
                if path == f"/repos/{REPO}/actions/artifacts/5/zip":
                    assert self.headers["Authorization"] == "Bearer t0ken"
                    return self._send(302, headers={"Location": f"http://127.0.0.1:{port}/storage/blob.zip"})
                if path == "/storage/blob.zip":
                    fake.storage_auth.append(self.headers.get("Authorization"))
                    return self._send(200, fake.zip)
                if path.startswith(f"/repos/{REPO}/pulls/"):
                    return self._json({"number": int(path.rsplit("/", 1)[1]), "head": {"sha": fake.head}})
                if path.endswith("/comments"):
                    page = int(dict(q.split("=") for q in urlparse(self.path).query.split("&")).get("page", 1))
                    return self._json(fake.comments[(page - 1) * 100: page * 100])
                self._send(404)

            def _body(self):
                return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

            def do_POST(self):
                fake.requests.append(("POST", self.path))
                c = {"id": len(fake.comments) + 1, "user": {"login": "github-actions[bot]"},
                     "body": self._body()["body"], "html_url": f"https://github.test/c/{len(fake.comments) + 1}"}
                fake.comments.append(c)
                self._json(c, 201)

            def do_PATCH(self):
                fake.requests.append(("PATCH", self.path))
                cid = int(self.path.rsplit("/", 1)[1])
                c = next(c for c in fake.comments if c["id"] == cid)
                c["body"] = self._body()["body"]
                self._json(c)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, ghcomment.GitHub(f"http://127.0.0.1:{port}", "t0ken")


@pytest.fixture
def github():
    servers = []

    def start(**kw):
        fake = FakeGitHub(**kw)
        server, gh = fake.serve()
        servers.append(server)
        return fake, gh
    yield start
    for s in servers:
        s.shutdown()


def test_one_comment_posted_then_updated_in_place(github):
    fake, gh = github(problems=ONE)
    url = ghcomment.post_run_report(gh, REPO, 99, SHA)
    assert len(fake.comments) == 1 and url.endswith("/1")
    body = fake.comments[0]["body"]
    assert body.startswith(REPORT_MARKER) and "不認得的欄位「colour」" in body and "unknown key" in body
    fake.zip = artifact(problems=[])  # the contributor fixed it
    ghcomment.post_run_report(gh, REPO, 99, SHA)
    assert len(fake.comments) == 1 and "沒有發現問題" in fake.comments[0]["body"]
    assert fake.storage_auth == [None, None], "the token went to the storage host"


def test_a_marker_in_someone_elses_comment_is_not_ours(github):
    fake, gh = github(problems=ONE)
    fake.comments.append({"id": 1, "user": {"login": "mallory"}, "body": REPORT_MARKER + " mine", "html_url": "x"})
    ghcomment.post_run_report(gh, REPO, 99, SHA)
    assert fake.comments[0]["body"] == REPORT_MARKER + " mine"
    assert fake.comments[1]["body"].startswith(REPORT_MARKER)


def test_comments_are_searched_past_the_first_page(github):
    fake, gh = github(problems=[])
    fake.comments += [{"id": i, "user": {"login": "someone"}, "body": "hi", "html_url": "x"} for i in range(1, 151)]
    fake.comments[120] = {"id": 121, "user": {"login": "github-actions[bot]"}, "body": REPORT_MARKER + "\nold",
                          "html_url": "u"}
    ghcomment.post_run_report(gh, REPO, 99, SHA)
    assert len(fake.comments) == 150 and "沒有發現問題" in fake.comments[120]["body"]


def test_a_report_for_another_commit_is_not_posted(github):
    """The artifact is the pull request's output: a number pointing at another pull request
    (whose head is not the commit checked) posts nothing."""
    fake, gh = github(problems=ONE, head="b" * 40)
    with pytest.raises(ghcomment.GitHubError):
        ghcomment.post_run_report(gh, REPO, 99, SHA)
    assert fake.comments == [] and not any(m == "POST" for m, _ in fake.requests)


@pytest.mark.parametrize("number", ["7", -1, 0, True, None, 1.5])
def test_a_bad_number_is_refused(github, number):
    fake, gh = github(problems=ONE)
    fake.zip = artifact(problems=ONE).replace(b'{"number": 7}', json.dumps({"number": number}).encode())
    with pytest.raises((ghcomment.GitHubError, zipfile.BadZipFile)):
        ghcomment.post_run_report(gh, REPO, 99, SHA)
    assert fake.comments == []


def test_a_forged_artifact_cannot_choose_the_words(github):
    """A fork's pull request runs its own copy of the workflow and may upload anything: the
    comment is worded from our catalogue; unknown codes, text and odd values are dropped or
    escaped, and the size is bounded."""
    forged = json.dumps({"problems": [
        {"code": "✅ approved by the editors", "path": "x", "line": 1, "column": 1},
        {"code": "key-unknown", "path": "content/tools/x.md", "line": 1, "column": 1, "level": "error",
         "params": {"key": "@octocat #12 <img src=x onerror=alert(1)> [x](https://evil.example)"},
         "source": "x" * 1_000},
        {"code": "key-unknown", "path": "p", "line": True, "column": 1, "params": {"key": "bool line"}},
        {"code": "key-unknown", "path": "p", "line": 1, "column": 1, "params": {"key": {"nested": 1}}},
    ] * 600, "report": "# everything is fine"})
    fake, gh = github(raw=forged)
    ghcomment.post_run_report(gh, REPO, 99, SHA)
    body = fake.comments[0]["body"]
    assert "approved" not in body and "everything is fine" not in body and "bool line" not in body
    assert "@octocat" not in body and "#12" not in body and "<img" not in body and "](https" not in body
    assert len(body) < 65_536 and "Summary" in body  # 2,000 problems at most, then cut with a note


def test_json_report_round_trips():
    problems = [problem("content/tools/a.md", 3, 7, "value-choice", field="cost", value="gratis", choices="free",
                        suggestions=["free"]),
                problem("content/tools/a.md", 9, 1, "body-section-empty", level=Level.WARNING, zh="目的", en="Purpose")]
    back, sources = reporting.problems_from_json(format_json(problems, lambda path, line: f"line {line}"))
    assert back == problems and sources == {("content/tools/a.md", 3): "line 3", ("content/tools/a.md", 9): "line 9"}


HOSTILE = "@octocat <img src=x onerror=alert(1)> [x](javascript:alert(1)) ![p](https://t.example/p.png) | `a` **b**"


def test_markdown_report_lists_every_problem_in_both_languages():
    problems = [problem(f"content/tools/t{i % 2}.md", i + 1, 3, "key-unknown", key=f"k{i}") for i in range(15)]
    problems.append(problem("content/tools/t0.md", 2, 1, "key-unknown", key="w", level=Level.WARNING))
    out = format_markdown(problems, "zh-TW")
    assert out.startswith(REPORT_MARKER)
    assert out.count("**錯誤 · 第") == 15 and out.count("**警告 · 第") == 1  # no cap of ten
    assert out.count("<sub>error, line") == 15 and "15 error(s) and 1 warning(s) in 2 file(s)" in out
    assert "### content/tools/t0\\.md" in out


def test_markdown_report_shows_hostile_values_as_text():
    out = format_markdown([problem("content/tools/x.md", 3, 1, "key-unknown", key=HOSTILE)], "zh-TW",
                          source_line=lambda path, line: f"{HOSTILE}: 1 ```` x")
    outside = re.sub(r"(?ms)^ *(`{3,})text\n.*?^ *\1$", "", out)  # code blocks: shown as written, never rendered
    assert "@octocat" not in outside and "<img" not in outside
    assert "](" not in outside.replace("\\](", "")
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in out
    fence = next(line.strip() for line in out.splitlines() if line.strip().startswith("`````"))
    assert fence == "`````text"  # longer than the line's own run of four backticks


def test_annotation_titles_are_in_chinese_with_english_below():
    line = format_github([problem("content/tools/x.md", 3, 1, "key-unknown", key="colour")], "zh-TW")
    props, message = line.split("::", 2)[1:]
    assert "title=錯誤：" in props and "%0A" in message and "[key-unknown]" in message



@pytest.mark.parametrize("fmt", ["github", "markdown", "text", "parsable"])
def test_a_saved_json_report_renders_as_validating_again_would(tmp_path, capsys, fmt):
    """CI validates once (--format json) and writes the annotations and the job summary from
    that file (python -m generator.validation.reporting --from): the same text as a second run would print."""
    problems = [problem("content/tools/a.md", 3, 7, "value-choice", field="cost", value="gratis", choices="free",
                        suggestions=["free"]),
                problem("content/tools/a.md", 9, 1, "body-section-empty", level=Level.WARNING, zh="目的", en="Purpose")]
    source = lambda path, line: f"cost: gratis {line}"  # noqa: E731
    saved = tmp_path / "problems.json"
    saved.write_text(format_json(problems, source), encoding="utf-8")
    assert reporting.main(["--from", str(saved), "--format", fmt]) == 0
    assert capsys.readouterr().out == reporting.format_problems(problems, fmt, "zh-TW", source) + "\n"


def test_a_heading_in_a_hint_copies_as_typed_while_references_stay_broken():
    """A librarian copied 「## 檢討」 from the report and got invisible word joiners with it."""
    from generator.core.escape import gfm_text

    text = gfm_text("加上 ## 檢討 與 #12、a#b")
    assert "\u2060" not in text.split("與")[0] and "\\#\\# 檢討" in text
    assert "#\u206012" in text and "#\u2060b" in text


def _as_github_reads(markdown: str) -> str:
    """The text GitHub's reference and emoji filters see: Markdown's escapes undone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("&lt;", "<").replace("&amp;", "&")


# What GitHub links or renders in a comment's text, after Markdown (its filters' patterns, widened:
# any boundary, either case; a word joiner is none of these characters).
GITHUB_REFERENCES = {
    "GH-n": re.compile(r"(?i)GH-\d"),
    "commit": re.compile(r"(?i)(?<![0-9a-z_])[0-9a-f]{7,40}(?![0-9a-z_])"),
    "owner/repo#n": re.compile(r"[\w.-]+/[\w.-]+#\d"),
    "user@sha": re.compile(r"@[0-9a-f]{7}"),
    "emoji": re.compile(r":[a-z0-9_+-]+:"),
    "#n": re.compile(r"#\d"),
    "mention": re.compile(r"@\w"),
}


@pytest.mark.parametrize("value", [
    "GH-1", "見 gh-12。", "a5c3785ed8d6a35868bc169f07e40e889087fd2e", "修正於 a5c3785。", "(1234567)",
    "A5C3785ED8D6A35868BC169F07E40E889087FD2E", "octo-org/octo-repo#1", "jlord/sheetsee.js@a5c3785ed8d6",
    "太好了 :tada: :+1: :-1:", "@octocat a5c3785...b5c3785 GH-7 :smile:",
])
def test_github_references_and_emoji_are_shown_as_text(value):
    """GH-1 cross-references issue 1, a commit's SHA links to it, :tada: becomes a picture:
    GitHub reads them after Markdown, so escapes do not stop them; a word joiner does, and
    what is shown is what was written."""
    from generator.core.escape import gfm_text

    seen = _as_github_reads(gfm_text(value))
    assert seen.replace("\u2060", "") == value
    for name, pattern in GITHUB_REFERENCES.items():
        assert not pattern.search(seen), (name, seen)


def test_ordinary_text_gets_no_joiner():
    from generator.core.escape import gfm_text

    for value in ("2022-06-28", "ala-2024-annual", "10:30", "deadbeefs", "high-5", "第 123456 行"):
        assert "\u2060" not in gfm_text(value), value


def test_a_report_of_a_thousand_problems_is_a_comment_github_accepts(github):
    """A 1,000-line list gave a 261,693-character report; GitHub refuses comments over 65,536
    characters. The comment holds the first problems in full, then how many more and where
    every one of them is (the run's Summary page)."""
    problems = [problem("content/tools/long.md", i + 10, 3, "value-choice", field="audience", value=f"讀者{i}",
                        choices="children, adults, librarians") for i in range(1_000)]
    full = format_markdown(problems, "zh-TW")
    assert len(full) > 200_000
    fake, gh = github(problems=problems)
    ghcomment.post_run_report(gh, REPO, 99, SHA)
    body = fake.comments[0]["body"]
    assert len(body) < 65_536 and ghcomment.comment_length(body) < 65_536
    shown = len(re.findall(r"(?m)^\d+\. \*\*", body))
    assert 50 < shown < 1_000
    assert f"以及另外 {1_000 - shown} 個問題" in body and f"and {1_000 - shown} more" in body
    assert f"https://github.com/{REPO}/actions/runs/99" in body and "Summary" in body
    last = body.rsplit(f"{shown}. **", 1)[1]
    assert "<sub>error, line" in last, "the last problem shown is shown in full"
    print(f"\n1,000 problems: report {len(full):,} characters, comment {len(body):,} ({shown} shown)")


def test_every_comment_is_bounded_whatever_it_holds(github):
    """The last guard, in upsert_comment: a body over GitHub's limit is cut at a line, an open
    code block and <details> closed, with a note."""
    fake, gh = github()
    body = "<!-- m -->\n<details><summary>x</summary>\n\n````text\n" + "字字字字字字字字\n" * 20_000 + "````\n</details>\n"
    ghcomment.upsert_comment(gh, REPO, 7, body, marker="<!-- m -->")
    posted = fake.comments[0]["body"]
    assert ghcomment.comment_length(posted) < 65_536 and posted.startswith("<!-- m -->")
    assert posted.count("````") == 2 and posted.count("</details>") == 1 and "comment cut" in posted
    emoji = "<!-- m -->\n" + "😀" * 40_000  # two UTF-16 units each: 80,000 as GitHub may count
    ghcomment.upsert_comment(gh, REPO, 7, emoji, marker="<!-- m -->")
    assert ghcomment.comment_length(fake.comments[0]["body"]) < 65_536
