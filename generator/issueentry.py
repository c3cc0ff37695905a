"""A submitted issue form -> an entry file, validated, and a report for the issue.

``python -m generator.issueentry --event "$GITHUB_EVENT_PATH" --root . --out report.md``
reads the issue from the event's JSON, writes ``content/<folder>/<slug>.md`` when the entry
is valid (nothing otherwise), and writes a Markdown report in zh-TW and English that begins
with :data:`MARKER`, so that the workflow keeps one comment per issue and edits it.
``--github-output FILE`` also writes ``valid``, ``path``, ``report`` and ``entry`` (the last two
base64) for the next job. The exit status is 0 whenever a report was written.

The issue body is untrusted: it is only ever read by this module, bounded in size
(:data:`MAX_BODY`), split on the form's own labels, and its values reach the file through
``yaml.safe_dump`` (a value cannot add a key or close the front matter); the slug must be
lower-case ASCII letters, digits and hyphens, so it cannot leave ``content/<folder>/``.
The issue's parsing (GitHub's ``### label`` layout) is in :mod:`generator.issuebody`.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .issuebody import MAX_BODY, build, kind_of, split_body
from .issueformspec import form_items
from .issuereport import render_report
from .loading import RESERVED_SLUGS, SLUG_RE
from .problems import Problem, problem
from .registries import load_registries

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
    if not SLUG_RE.fullmatch(slug) or slug in RESERVED_SLUGS or len(slug) > 100:
        res.problems.append(problem("issue", 1, 1, "slug-invalid", field="slug", slug=slug[:100]))
        return res
    res.slug, res.rel = slug, f"content/{kind.folder}/{slug}.md"
    folder = root / "content" / kind.folder
    for existing in (folder / f"{slug}.md", folder / slug):
        if existing.exists():
            res.problems.append(problem(res.rel, 1, 1, "duplicate-slug", field="slug", slug=slug,
                                        other=existing.relative_to(root).as_posix()))
            return res
    res.text = entry_text(data, text_body)
    res.problems += _validate(root, res.rel, res.text)
    if res.valid and write:
        (root / res.rel).parent.mkdir(parents=True, exist_ok=True)
        (root / res.rel).write_text(res.text, encoding="utf-8")
    return res


def _validate(root: Path, rel: str, text: str) -> list[Problem]:
    """The entry's problems, checked with the whole knowledge base (duplicate URLs, related
    entries): the file is written for the check and removed after it."""
    from .indexing import load_knowledge_base  # the whole loader only when an entry is checked

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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m generator.issueentry", description=__doc__.split("\n\n")[0])
    ap.add_argument("--event", type=Path, required=True, help="the event's JSON ($GITHUB_EVENT_PATH)")
    ap.add_argument("--root", type=Path, default=Path("."), help="the project's root (default: .)")
    ap.add_argument("--out", type=Path, required=True, help="where to write the Markdown report")
    ap.add_argument("--github-output", type=Path, help="append valid, path, report and entry here ($GITHUB_OUTPUT)")
    args = ap.parse_args(argv)
    try:
        res = process(read_event(args.event)["issue"], args.root)
    except (OSError, ValueError) as exc:
        res = Result(problems=[problem("issue", 1, 1, "issue-unreadable", reason=str(exc)[:200])])
    report = render_report(res)
    args.out.write_text(report, encoding="utf-8")
    if args.github_output:
        b64 = lambda s: base64.b64encode(s.encode("utf-8")).decode("ascii")  # noqa: E731 - one line each
        with open(args.github_output, "a", encoding="utf-8") as fh:
            fh.write(f"valid={'true' if res.valid else 'false'}\n")
            fh.write(f"path={res.rel if res.valid else ''}\n")
            fh.write(f"report={b64(report)}\n")
            fh.write(f"entry={b64(res.text) if res.valid else ''}\n")
    print(("valid: " if res.valid else "not valid: ") + (res.rel or "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
