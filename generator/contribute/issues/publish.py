"""The issue-entry workflow's writing half, with the standard library only (run as
``python3 -m generator.contribute.issues.publish comment|publish``; nothing is installed in that job).

What the reading job wrote (:func:`generator.contribute.issues.entry.write_outputs`) comes as files, in the
run's artifact ``issue-entry`` (downloaded here through the REST API with ``COMMENT_TOKEN``,
which needs ``actions: read``), or from a folder (``--from DIR``): ``comment.md``,
``result.json`` and ``entry.md``. An entry can be longer than an environment variable may be.

``comment``: posts the report (``comment.md``) on the issue, or edits the bot's earlier one
(found by its marker), with ``COMMENT_TOKEN``.
``publish``: with ``PR_TOKEN``, resets the branch ``entry/issue-<n>`` to the default branch,
commits the entry (``entry.md`` at ``result.json``'s path) through the contents API with a
``Co-authored-by`` trailer for the issue's author, opens the pull request (``Closes #n``) unless
one is open, then comments the report with the pull request's link.

Everything from the issue is read from the event file and sent as JSON, never through a shell.
"""

from __future__ import annotations

import base64
import json
import os
import re
import sys
from pathlib import Path

from ..ghcomment import GitHub, GitHubError, artifact_files, upsert_comment
from .report import MARKER

PATH_RE = re.compile(r"^content/[a-z0-9-]+/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.md$")
ARTIFACT = "issue-entry"
FILES = ("comment.md", "result.json", "entry.md")


def _github(token: str) -> GitHub:
    return GitHub(os.environ.get("GITHUB_API_URL", "https://api.github.com"), token)


def _event() -> dict:
    with open(os.environ["GITHUB_EVENT_PATH"], encoding="utf-8") as fh:
        return json.load(fh)


def read_outputs(folder: Path | None = None) -> tuple[str, dict, str]:
    """(the comment, result.json, the entry) from ``folder``, or from this run's artifact."""
    if folder is not None:
        files = {name: (folder / name).read_bytes() for name in FILES if (folder / name).is_file()}
    else:
        files = artifact_files(_github(os.environ["COMMENT_TOKEN"]), os.environ["GITHUB_REPOSITORY"],
                               int(os.environ["GITHUB_RUN_ID"]), ARTIFACT, FILES)
    if "comment.md" not in files or "result.json" not in files:
        raise GitHubError(f"the artifact {ARTIFACT!r} lacks comment.md or result.json")
    result = json.loads(files["result.json"])
    return (files["comment.md"].decode("utf-8"), result if isinstance(result, dict) else {},
            files.get("entry.md", b"").decode("utf-8"))


class Kept(Exception):
    """The entry's branch holds someone else's commits: left as it is."""


def publish(repo: str, issue: dict, token: str, path: object, entry: str) -> str:
    gh = _github(token)
    number, user = int(issue["number"]), issue["user"]
    if not isinstance(path, str) or not PATH_RE.match(path):
        raise SystemExit(f"refusing the path {path!r}")
    if not entry:
        raise SystemExit("no entry to commit")
    base = gh.request("GET", f"/repos/{repo}")["default_branch"]
    head_sha = gh.request("GET", f"/repos/{repo}/git/ref/heads/{base}")["object"]["sha"]
    branch = f"entry/issue-{number}"
    ours = f"from issue #{number}"
    existing = gh.request("GET", f"/repos/{repo}/git/ref/heads/{branch}", missing_ok=True)
    if existing is None:
        gh.request("POST", f"/repos/{repo}/git/refs", {"ref": f"refs/heads/{branch}", "sha": head_sha})
    else:
        # An edited issue starts again from the default branch (a changed slug leaves nothing
        # behind), unless someone else has committed on the branch since: a maintainer's
        # changes are never thrown away by an edit of the issue.
        tip = existing["object"]["sha"]
        last = gh.request("GET", f"/repos/{repo}/git/commits/{tip}") or {}
        if tip != head_sha and ours not in (last.get("message") or "").split("\n", 1)[0]:
            raise Kept(branch)
        gh.request("PATCH", f"/repos/{repo}/git/refs/heads/{branch}", {"sha": head_sha, "force": True})
    login, uid = str(user["login"]), int(user["id"])
    email = f"{uid}+{login}@users.noreply.github.com"
    message = f"Add {path} {ours}\n\nCo-authored-by: {login} <{email}>\n"
    # The issue's author is the commit's author: the site credits entries to their Git authors.
    gh.request("PUT", f"/repos/{repo}/contents/{path}", {
        "message": message, "branch": branch, "author": {"name": login, "email": email},
        "content": base64.b64encode(entry.encode("utf-8")).decode("ascii")})
    owner = repo.split("/")[0]
    open_prs = gh.request("GET", f"/repos/{repo}/pulls?state=open&head={owner}:{branch}", missing_ok=True) or []
    if open_prs:
        return open_prs[0]["html_url"]
    pr = gh.request("POST", f"/repos/{repo}/pulls", {
        "title": f"新增條目 New entry: {path}", "head": branch, "base": base,
        "body": f"由 issue #{number} 的表單產生。 Written from the form of issue #{number}.\n\nCloses #{number}\n"})
    return pr["html_url"]


def main(argv: list[str]) -> int:
    args = list(argv)
    folder = None
    if "--from" in args:
        i = args.index("--from")
        folder = Path(args[i + 1])
        del args[i:i + 2]
    repo, issue = os.environ["GITHUB_REPOSITORY"], _event()["issue"]
    report, result, entry = read_outputs(folder)
    if args[:1] == ["publish"]:
        try:
            url = publish(repo, issue, os.environ["PR_TOKEN"], result.get("path", ""), entry)
        except Kept as kept:
            report += (f"\n> 分支 `{kept}` 上已有編輯小組的修改，這次對 issue 的編輯沒有套用；請在合併請求中留言說明要改什麼。"
                       f"\n> The branch `{kept}` has changes by the editors, so this edit of the issue was not applied;"
                       " say what to change in the pull request instead.\n")
        else:
            note = ("" if os.environ.get("TOKEN_KIND") == "entry-token" else
                    "\n\n> 維護者請注意：此合併請求由預設權杖開啟，檢查不會自動執行，請關閉再重新開啟或推送一次以觸發。"
                    "\n> Maintainers: opened with the default token, so checks did not start; close and reopen it to run them.")
            report += f"\n合併請求 Pull request: {url}{note}\n"
    upsert_comment(_github(os.environ["COMMENT_TOKEN"]), repo, int(issue["number"]), report, marker=MARKER)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except GitHubError as exc:
        sys.exit(f"GitHub: {exc}")
