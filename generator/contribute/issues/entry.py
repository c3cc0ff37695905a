"""A submitted issue form -> an entry file, validated, and a report for the issue.

``python -m generator.contribute.issues.entry --event "$GITHUB_EVENT_PATH" --root . --out issue-entry``
reads the issue from the event's JSON, writes ``content/<folder>/<slug>.md`` when the entry
is valid (nothing otherwise), and writes into the folder ``--out`` what the writing job needs,
as files (an entry can be longer than an environment variable or a job output may be:
Linux refuses a variable over 128 KiB): ``comment.md``, the report for the issue in zh-TW and
English, beginning with :data:`MARKER` so that the workflow keeps one comment per issue and
edits it, bounded to what GitHub accepts (the first problems in full, then how many more and
where); ``result.json`` (``valid``, ``path``); and ``entry.md``, the entry, when valid.
``--report FILE`` writes the whole report (every problem, the whole file), ``--summary FILE``
appends it to the job summary ($GITHUB_STEP_SUMMARY, at most 1 MiB), and ``--github-output
FILE`` writes ``valid`` (true or false) for the jobs' conditions, nothing else. The exit status
is 0 whenever a report was written.

The issue body is untrusted: it is only ever read by this module, bounded in size
(:data:`MAX_BODY`), split on the form's own labels, and its values reach the file through
``yaml.safe_dump`` (a value cannot add a key or close the front matter); the slug must be
lower-case ASCII letters, digits and hyphens, so it cannot leave ``content/<folder>/``.
The issue's parsing (GitHub's ``### label`` layout) is in :mod:`generator.contribute.issues.body`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .body import MAX_BODY, build, kind_of, split_body
from ..ghcomment import MAX_BODY as MAX_COMMENT
from ..ghcomment import run_url
from .formspec import form_items
from .report import render_report
from ...core.problems import Level, Problem, problem
from ...knowledge.project import open_project
from ...model.registries import load_registries

MAX_EVENT_BYTES = 5_000_000  # an issue event is far smaller; anything bigger is not read


@dataclass
class Result:
    kind: object = None
    slug: str = ""
    rel: str = ""  # content/<folder>/<slug>.md
    text: str = ""  # the entry file
    problems: list[Problem] = field(default_factory=list)
    items: list = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return bool(self.text) and not any(p.level.value == "error" for p in self.problems)


def entry_text(data: dict, body: str) -> str:
    """The file as ``kb new`` lays it out: the schema's key order, then the body."""
    fm = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10_000)
    return f"---\n{fm}---\n\n{body.strip()}\n"


def read_event(path: Path) -> dict:
    with open(path, "rb") as fh:
        raw = fh.read(MAX_EVENT_BYTES + 1)
    if len(raw) > MAX_EVENT_BYTES:
        raise ValueError("the event file is too large")
    event = json.loads(raw.decode("utf-8"))
    if not isinstance(event, dict) or not isinstance(event.get("issue"), dict):
        raise ValueError("not an issue event")
    return event


def process(issue: dict, root: Path, write: bool = True) -> Result:
    """Parse, write and validate. Writes the file only when the entry is valid."""
    res = Result()
    body = issue.get("body") or ""
    if not isinstance(body, str):
        body = ""
    if len(body) > MAX_BODY:
        res.problems.append(problem("issue", 1, 1, "issue-too-large", size=len(body), limit=MAX_BODY))
        return res
    open_project(root)  # the site's kinds and vocabulary values, as its forms were written with them
    labels = [lab.get("name", "") if isinstance(lab, dict) else str(lab) for lab in issue.get("labels") or []]
    kind = kind_of(labels)
    if kind is None:
        res.problems.append(problem("issue", 1, 1, "issue-kind-unknown"))
        return res
    registries, _ = load_registries(root / "content")
    res.kind, res.items = kind, form_items(kind, registries)
    values = split_body(body.replace("\r\n", "\n").replace("\r", "\n"), res.items)
    slug, data, text_body, found = build(kind, res.items, values)
    res.problems += found
    if not slug:
        slug = f"issue-{int(issue.get('number') or 0)}"
    from ...validation.loading import slug_problem_code  # kb validate's own check of a slug (Windows' device names too)

    code = "slug-invalid" if len(slug) > 100 else slug_problem_code(slug)
    if code is not None:
        res.problems.append(problem("issue", 1, 1, code, field="slug", slug=slug[:100]))
        return res
    res.slug, res.rel = slug, f"content/{kind.folder}/{slug}.md"
    folder = root / "content" / kind.folder
    for existing in (folder / f"{slug}.md", folder / slug):
        if existing.exists():
            res.problems.append(problem(res.rel, 1, 1, "duplicate-slug", field="slug", slug=slug,
                                        other=existing.relative_to(root).as_posix()))
            return res
    res.text = entry_text(data, text_body)
    # A value refused as typed (約400人) is passed on as text: validation's own problem on that
    # field (type-int) would only say it again, less well.
    refused = {p.args["field"] for p in found
               if p.level is Level.ERROR and p.args.get("field") and not p.code.startswith("issue-")}
    res.problems += [p for p in _validate(root, res.rel, res.text) if p.args.get("field") not in refused]
    if res.valid and write:
        (root / res.rel).parent.mkdir(parents=True, exist_ok=True)
        (root / res.rel).write_text(res.text, encoding="utf-8")
    return res


def _validate(root: Path, rel: str, text: str) -> list[Problem]:
    """The entry's problems, checked with the whole knowledge base (duplicate URLs, related
    entries): the file is written for the check and removed after it."""
    from ...knowledge.indexing import load_knowledge_base  # the whole loader only when an entry is checked

    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        kb = load_knowledge_base(root / "content")
    finally:
        path.unlink()
    own = [p for p in kb.problems if p.path == rel]
    # A likely duplicate is reported on the later-dated of the two entries; for a submitted
    # form it is the submission that is in question, so one found on the other entry is told here.
    for p in kb.problems:
        if p.code in DUPLICATES and p.args.get("other") == rel and p.path != rel:
            title_line = next((i + 1 for i, line in enumerate(text.split("\n")) if line.startswith("title:")), 1)
            args = {k: v for k, v in p.params if k != "other"}
            own.append(problem(rel, title_line, 1, p.code, level=p.level, other=p.path, **args))
    return own


DUPLICATES = ("duplicate-entry", "duplicate-title")


REPORT_ARTIFACT = "issue-report"  # the workflow's artifact holding --report
SUMMARY_LIMIT = 1_000_000  # bytes: GitHub drops a job summary over 1 MiB


def _utf8_length(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def write_outputs(res: Result, out: Path, url: str = "") -> str:
    """The files the writing job reads (``comment.md``, ``result.json``, ``entry.md``); returns the comment."""
    out.mkdir(parents=True, exist_ok=True)
    comment = render_report(res, url, limit=MAX_COMMENT, artifact=REPORT_ARTIFACT)
    (out / "comment.md").write_text(comment, encoding="utf-8")
    (out / "result.json").write_text(json.dumps({"valid": res.valid, "path": res.rel if res.valid else ""}),
                                     encoding="utf-8")
    if res.valid:
        (out / "entry.md").write_text(res.text, encoding="utf-8")
    return comment


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m generator.contribute.issues.entry", description=__doc__.split("\n\n")[0])
    ap.add_argument("--event", type=Path, required=True, help="the event's JSON ($GITHUB_EVENT_PATH)")
    ap.add_argument("--root", type=Path, default=Path("."), help="the project's root (default: .)")
    ap.add_argument("--out", type=Path, required=True,
                    help="a folder for the writing job: comment.md, result.json and (when valid) entry.md")
    ap.add_argument("--report", type=Path, help="write the whole report here (every problem, the whole file)")
    ap.add_argument("--summary", type=Path, help="append the whole report here ($GITHUB_STEP_SUMMARY), within 1 MiB")
    ap.add_argument("--github-output", type=Path, help="append valid=true|false here ($GITHUB_OUTPUT)")
    args = ap.parse_args(argv)
    try:
        res = process(read_event(args.event)["issue"], args.root)
    except (OSError, ValueError) as exc:
        res = Result(problems=[problem("issue", 1, 1, "issue-unreadable", reason=str(exc)[:200])])
    env = os.environ
    url = run_url(env["GITHUB_REPOSITORY"], env["GITHUB_RUN_ID"]) \
        if env.get("GITHUB_REPOSITORY") and env.get("GITHUB_RUN_ID", "").isdigit() else ""
    write_outputs(res, args.out, url)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(render_report(res), encoding="utf-8")
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as fh:
            fh.write(render_report(res, url, limit=SUMMARY_LIMIT, measure=_utf8_length, artifact=REPORT_ARTIFACT,
                                   summary=False))
    if args.github_output:
        with open(args.github_output, "a", encoding="utf-8") as fh:
            fh.write(f"valid={'true' if res.valid else 'false'}\n")
    print(("valid: " if res.valid else "not valid: ") + (res.rel or "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
