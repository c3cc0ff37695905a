"""One comment per pull request (or issue), updated in place: the validation report.

GitHub shows ten annotations per step; a contributor needs every problem, in Chinese, where
they look: the pull request's conversation. A pull request from a fork runs with a read-only
token, so the pull-request workflow only writes its report as an artifact, and a second
workflow (``pr-report.yml``, on ``workflow_run``, with ``pull-requests: write``) posts it with
this module, running our code from the default branch, never the pull request's::

    python -m generator.ghcomment --repo OWNER/NAME --run-id ID --head-sha SHA

The artifact is the pull request's output (a fork's pull request runs its own copy of the
workflow, so it may hold anything): it carries the problems as data (``kb validate --format
json``), never text to post. The comment is worded here, by
:func:`generator.reporting.format_markdown` from the catalogue, with every value escaped;
unknown codes are dropped and sizes bounded; and its pull request number must name a pull
request whose head is the commit the workflow run checked, else nothing is posted. Only the
standard library is used: the posting job installs nothing.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import urllib.error
import urllib.request
import zipfile

from .reporting import REPORT_MARKER as MARKER
from .reporting import format_markdown, problems_from_json

ARTIFACT = "validation-report"
MAX_BODY = 60_000  # GitHub refuses comments over 65,536 characters
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


def bounded(body: str) -> str:
    """A comment GitHub accepts: cut, with a note, past :data:`MAX_BODY` characters."""
    if len(body) > MAX_BODY:
        body = body[:MAX_BODY] + ("\n\n…（報告太長，其餘請見該次檢查的 Summary 頁面） "
                                  "(report truncated: see the check run's summary for the rest)\n")
    return body


def upsert_comment(gh: GitHub, repo: str, number: int, body: str, marker: str = MARKER, author: str = BOT) -> str:
    """Update our comment starting with ``marker`` on issue or pull request ``number``, or post
    one; returns its URL. Comments by anyone else are never touched, marker or not."""
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


def report_from_run(gh: GitHub, repo: str, run_id: int, name: str = ARTIFACT) -> tuple[int, str]:
    """(pull request number, the comment) from the workflow run's artifact ``name``: a zip
    holding ``pr.json`` ({"number": N}) and ``problems.json`` (``kb validate --format json``)."""
    listing = gh.request("GET", f"/repos/{repo}/actions/runs/{run_id}/artifacts?per_page=100") or {}
    found = [a for a in listing.get("artifacts", []) if a.get("name") == name and not a.get("expired")]
    if not found:
        raise GitHubError(f"no artifact {name!r} in run {run_id}")
    data = gh.request("GET", f"/repos/{repo}/actions/artifacts/{found[0]['id']}/zip", raw=True)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        def read(member: str) -> bytes:
            info = z.getinfo(member)
            if info.file_size > MAX_ARTIFACT:
                raise GitHubError(f"{member} too large")
            return z.read(member)
        number = json.loads(read("pr.json")).get("number")
        problems, sources = problems_from_json(read("problems.json").decode("utf-8", errors="replace"))
    report = format_markdown(problems, "zh-TW", source_line=lambda path, line: sources.get((path, line)))
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        raise GitHubError("pr.json holds no pull request number")
    return number, report


def post_run_report(gh: GitHub, repo: str, run_id: int, head_sha: str) -> str:
    """Post the run's report on its pull request, if that pull request's head is ``head_sha``."""
    number, report = report_from_run(gh, repo, run_id)
    pr = gh.request("GET", f"/repos/{repo}/pulls/{number}") or {}
    if (pr.get("head") or {}).get("sha") != head_sha:
        raise GitHubError(f"pull request #{number} is not at {head_sha[:12]}: nothing posted")
    return upsert_comment(gh, repo, number, bounded(report))


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
