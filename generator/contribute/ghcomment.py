"""One comment per pull request (or issue), updated in place: the validation report.

GitHub shows ten annotations per step; a contributor needs every problem, in Chinese, where
they look: the pull request's conversation. A pull request from a fork runs with a read-only
token, so the pull-request workflow only writes its report as an artifact, and a second
workflow (``pr-report.yml``, on ``workflow_run``, with ``pull-requests: write``) posts it with
this module, running our code from the default branch, never the pull request's::

    python -m generator.contribute.ghcomment --repo OWNER/NAME --run-id ID --head-sha SHA

The artifact is the pull request's output (a fork's pull request runs its own copy of the
workflow, so it may hold anything): it carries the problems as data (``kb validate --format
json``), never text to post. The comment is worded here, by
:func:`generator.validation.reporting.format_markdown` from the catalogue, with every value escaped;
unknown codes are dropped and sizes bounded; and its pull request number must name a pull
request whose head is the commit the workflow run checked, else nothing is posted. Only the
standard library is used: the posting job installs nothing.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import urllib.error
import urllib.request
import zipfile

from ..validation.reporting import REPORT_MARKER as MARKER
from ..validation.reporting import format_markdown, problems_from_json

ARTIFACT = "validation-report"
GITHUB_LIMIT = 65_536  # characters: GitHub refuses a longer comment
MAX_BODY = 60_000  # characters of a report, leaving room for what is added to it (a pull request's link)
MAX_ARTIFACT = 2_000_000  # bytes of the zip and of each file in it
BOT = "github-actions[bot]"  # who posts with the workflow's token


class GitHubError(RuntimeError):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # followed by hand, without the token (the target is storage, not GitHub)


class GitHub:
    """The few REST calls needed, with the workflow's token."""

    def __init__(self, api: str, token: str):
        self.api = api.rstrip("/")
        self.token = token
        self._opener = urllib.request.build_opener(_NoRedirect)

    def request(self, method: str, path: str, body: dict | None = None, raw: bool = False, missing_ok: bool = False):
        """The JSON answer (or bytes, ``raw``), following a redirect by hand without the token;
        None for a 404 when ``missing_ok``. Raises :class:`GitHubError`."""
        url = path if path.startswith("http") else f"{self.api}{path}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "library-kb",
            **({"Content-Type": "application/json"} if data else {})})
        try:
            with self._opener.open(req, timeout=30) as resp:
                payload = resp.read(MAX_ARTIFACT + 1)
        except urllib.error.HTTPError as exc:
            if exc.code in (301, 302, 303, 307, 308) and raw and exc.headers.get("Location"):
                with urllib.request.urlopen(exc.headers["Location"], timeout=60) as resp:  # no token
                    payload = resp.read(MAX_ARTIFACT + 1)
            elif exc.code == 404 and missing_ok:
                return None
            else:
                raise GitHubError(f"{method} {path}: HTTP {exc.code}") from None
        if len(payload) > MAX_ARTIFACT:
            raise GitHubError(f"{method} {path}: answer too large")
        return payload if raw else (json.loads(payload) if payload else None)


def comment_length(text: str) -> int:
    """A comment's length as GitHub may count it: UTF-16 code units, which are never fewer
    than characters (an emoji beyond the BMP is two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def run_url(repo: str, run_id: int | str) -> str:
    """The page of a workflow run, whose Summary holds every problem."""
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    return f"{server}/{repo}/actions/runs/{int(run_id)}"


def more_note(count: int, url: str = "", artifact: str = "", summary: bool = True) -> str:
    """The line after the problems a comment shows: how many more, and where they all are
    (the run's Summary page, ``url``; its ``artifact``; without ``summary``, the artifact only)."""
    where_zh, where_en = [], []
    if summary:
        where_zh.append(f"這次檢查的 Summary 頁面（{url}）" if url else "這次檢查（Actions）的 Summary 頁面")
        where_en.append(f"on the check's Summary page ({url})" if url else "on the check's Summary page (Actions)")
    if artifact:
        where_zh.append(f"該頁下方 Artifacts 的 `{artifact}`" if summary else f"這次檢查的 Artifacts 中的 `{artifact}`")
        where_en.append(f"in `{artifact}` under its Artifacts" if summary else f"in `{artifact}` under the check's Artifacts")
    return (f"**… 以及另外 {count} 個問題**：這裡放不下，全部問題都在{'，以及'.join(where_zh)}。  \n"
            f"**… and {count} more**: there is no room for them here; every problem is listed {', and '.join(where_en)}.")


_PROBLEM_START = re.compile(r"^\d+\. \*\*")  # a problem of format_markdown's report (values are escaped)


def bounded_report(report: str, url: str = "", limit: int = MAX_BODY, artifact: str = "") -> str:
    """format_markdown's report as a comment GitHub accepts: the first problems in full, then
    how many more and where to see them all."""
    if comment_length(report) <= limit:
        return report
    lines = report.split("\n")
    starts = [i for i, line in enumerate(lines) if _PROBLEM_START.match(line)]

    def cut(k: int) -> int:  # lines[:cut(k)] hold the first k problems (no file heading left empty)
        i = starts[k]
        return i - 3 if i >= 3 and lines[i - 1] == "" and lines[i - 2].startswith("### ") else i

    sizes = [comment_length(line) + 1 for line in lines]
    kept, size, end = 0, 0, 0
    for k in range(len(starts) + 1):
        stop = cut(k) if k < len(starts) else len(lines)
        size += sum(sizes[end:stop])
        end = stop
        if size + comment_length(more_note(len(starts) - k, url, artifact)) + 2 > limit:
            break
        kept = k
    head = "\n".join(lines[:cut(min(kept, len(starts) - 1))]).rstrip("\n")
    return f"{head}\n\n{more_note(len(starts) - kept, url, artifact)}\n"


_FENCE = re.compile(r"^\s*(`{3,})")  # a report's code blocks are indented under their list item


def bounded(body: str, limit: int = GITHUB_LIMIT - 536) -> str:
    """Any comment, cut at a line if GitHub would refuse it (the reports bound themselves first,
    at a problem: this is the last guard): an open code block and ``<details>`` are closed."""
    if comment_length(body) <= limit:
        return body
    note = ("\n…（留言太長，後面省略；全部內容請見這次檢查的 Summary 頁面） "
            "(comment cut: see the check's Summary page for the rest)\n")
    out, size, fence, details = [], comment_length(note) + 20, "", 0
    for line in body.split("\n"):
        size += comment_length(line) + 1
        if size > limit:
            break
        out.append(line)
        m = _FENCE.match(line)
        if fence and m and line.strip() == "`" * len(line.strip()) and len(line.strip()) >= len(fence):
            fence = ""
        elif not fence and m:
            fence = m.group(1)
        elif not fence:
            details += line.count("<details>") - line.count("</details>")
    if not out:  # one line longer than a comment
        out = [body[: max(0, limit - comment_length(note) - 20) // 2]]
    closing = ([fence] if fence else []) + ["</details>"] * max(0, details)
    return "\n".join(out + closing) + "\n" + note


def upsert_comment(gh: GitHub, repo: str, number: int, body: str, marker: str = MARKER, author: str = BOT) -> str:
    """Update our comment starting with ``marker`` on issue or pull request ``number``, or post
    one; returns its URL. Comments by anyone else are never touched, marker or not. The body
    is bounded (:func:`bounded`): GitHub refuses a comment over 65,536 characters."""
    body = bounded(body)
    page = 1
    while True:
        comments = gh.request("GET", f"/repos/{repo}/issues/{number}/comments?per_page=100&page={page}") or []
        for c in comments:
            if (c.get("user") or {}).get("login") == author and (c.get("body") or "").startswith(marker):
                return gh.request("PATCH", f"/repos/{repo}/issues/comments/{c['id']}", {"body": body})["html_url"]
        if len(comments) < 100:
            break
        page += 1
    return gh.request("POST", f"/repos/{repo}/issues/{number}/comments", {"body": body})["html_url"]


def artifact_files(gh: GitHub, repo: str, run_id: int, name: str, members: tuple[str, ...]) -> dict[str, bytes]:
    """The files ``members`` of the workflow run's artifact ``name`` (a zip; each at most
    :data:`MAX_ARTIFACT` bytes); a member the zip does not hold is left out."""
    listing = gh.request("GET", f"/repos/{repo}/actions/runs/{int(run_id)}/artifacts?per_page=100") or {}
    found = [a for a in listing.get("artifacts", []) if a.get("name") == name and not a.get("expired")]
    if not found:
        raise GitHubError(f"no artifact {name!r} in run {run_id}")
    data = gh.request("GET", f"/repos/{repo}/actions/artifacts/{int(found[0]['id'])}/zip", raw=True)
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        for member in members:
            if member not in names:
                continue
            if z.getinfo(member).file_size > MAX_ARTIFACT:
                raise GitHubError(f"{member} too large")
            out[member] = z.read(member)
    return out


def report_from_run(gh: GitHub, repo: str, run_id: int, name: str = ARTIFACT) -> tuple[int, str]:
    """(pull request number, the comment) from the workflow run's artifact ``name``: a zip
    holding ``pr.json`` ({"number": N}) and ``problems.json`` (``kb validate --format json``).
    The comment holds the first problems in full, then how many more and the run's page."""
    files = artifact_files(gh, repo, run_id, name, ("pr.json", "problems.json"))
    if set(files) != {"pr.json", "problems.json"}:
        raise GitHubError(f"the artifact {name!r} lacks pr.json or problems.json")
    number = json.loads(files["pr.json"]).get("number")
    problems, sources = problems_from_json(files["problems.json"].decode("utf-8", errors="replace"))
    report = format_markdown(problems, "zh-TW", source_line=lambda path, line: sources.get((path, line)))
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        raise GitHubError("pr.json holds no pull request number")
    return number, bounded_report(report, run_url(repo, run_id))


def post_run_report(gh: GitHub, repo: str, run_id: int, head_sha: str) -> str:
    """Post the run's report on its pull request, if that pull request's head is ``head_sha``."""
    number, report = report_from_run(gh, repo, run_id)
    pr = gh.request("GET", f"/repos/{repo}/pulls/{number}") or {}
    if (pr.get("head") or {}).get("sha") != head_sha:
        raise GitHubError(f"pull request #{number} is not at {head_sha[:12]}: nothing posted")
    return upsert_comment(gh, repo, number, report)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", default=os.environ.get("GITHUB_REPOSITORY"), required=not os.environ.get("GITHUB_REPOSITORY"))
    ap.add_argument("--run-id", type=int, required=True)
    ap.add_argument("--head-sha", required=True)
    args = ap.parse_args(argv)
    gh = GitHub(os.environ.get("GITHUB_API_URL", "https://api.github.com"), os.environ.get("GITHUB_TOKEN", ""))
    try:
        print(post_run_report(gh, args.repo, args.run_id, args.head_sha))
    except (GitHubError, KeyError, ValueError, zipfile.BadZipFile) as exc:  # a missing or malformed artifact
        print(f"未張貼報告 / report not posted: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
