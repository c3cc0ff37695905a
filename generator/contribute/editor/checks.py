"""kb validate on one entry for the web editor (``kb edit``): the entry as it would be written,
before Decap saves it, or as it was saved; every problem named by the form's box.

The form's own checks (kb-admin.js, with :func:`generator.contribute.editor.cms.rules`) see what its fields hold;
kb validate sees the rest: checks across entries (a title or a URL another entry has), links,
the body's Markdown, attachments, and every check a kind writes as a function. Here the text
Decap would write is validated as kb validate validates a file (the same functions), in the
context of the working copy's other entries, without writing anything; then each problem is
given the path of the form's field it concerns (``contact.email``, ``attachments[2].file``,
``body``), the field's label (聯絡方式 › 電子郵件) and its words in the form's terms
(:func:`generator.contribute.editor.cms.words`), never a dotted key or "add a line".
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from ...core.problems import Problem
from ...kinds import KINDS, Kind
from ...knowledge.base import KnowledgeBase
from ...knowledge.indexing import ValidationCache, load_knowledge_base
from ...source.frontmatter import SourceFile, split_front_matter
from ...validation.crosschecks import cross_checks
from ...validation.entry import validate_entry
from ...validation.loading import RawEntry, _bundle_files
from ...validation.messages import render
from . import cms

MAX_TEXT = 2_000_000  # characters: far more than any entry (kb validate refuses files over its own limit)
_KEY_RE = re.compile(r"^( {0,2})([A-Za-z_][\w-]*):")
_INDEX_RE = re.compile(r"\[(\d+)\]")


class Refused(ValueError):
    """A request that names no entry of a kind, in words for the editor's page."""


class Checker:
    """Validates entries of one working copy; validated entries of the others are kept between
    requests (as ``kb serve`` keeps them), so a save costs one entry and the checks across entries."""

    def __init__(self, root: Path):
        self.content = Path(root) / "content"
        self.cache = ValidationCache()
        self.lock = threading.Lock()

    def check(self, collection: str, path: str, text: str | None, pending=()) -> dict:
        kind = KINDS.get(str(collection))
        if kind is None:
            raise Refused(f"unknown collection {collection!r}")
        rel = _entry_rel(kind, str(path))
        abs_path = self.content / rel
        with self.lock:
            kb = load_knowledge_base(self.content, display_prefix="content", cache=self.cache)
            if text is None:  # as saved
                if not abs_path.is_file():
                    return {"problems": [], "missing": True, "path": f"content/{rel}"}
                text = abs_path.read_text(encoding="utf-8", errors="replace")
            if len(text) > MAX_TEXT:
                raise Refused("the entry is too long to check here")
            problems = _problems(kb, kind, rel, abs_path, text, {str(p) for p in pending or ()})
        return {"path": f"content/{rel}", "problems": [editor_problem(p, kind, text) for p in problems]}


def _entry_rel(kind: Kind, path: str) -> str:
    """``content/<folder>/<slug>.md`` or ``…/<slug>/index.md`` of the kind, relative to content/."""
    rel = path.removeprefix("content/")
    parts = rel.split("/")
    ok = (parts[0] == kind.folder and all(parts) and ".." not in parts and not any(p.startswith(".") for p in parts)
          and ((len(parts) == 2 and parts[1].endswith(".md")) or (len(parts) == 3 and parts[2] == "index.md")))
    if not ok:
        raise Refused(f"not an entry of {kind.id}: {path!r}")
    return rel


def _problems(kb: KnowledgeBase, kind: Kind, rel: str, abs_path: Path, text: str, pending: set[str]) -> list[Problem]:
    display = f"content/{rel}"
    bundle = abs_path.parent if rel.endswith("/index.md") else None
    slug = bundle.name if bundle is not None else abs_path.name[:-3]
    raw = RawEntry(kind=kind, slug=slug, rel=rel, abs_path=abs_path, bundle_dir=bundle, display=display,
                   bundle_files=_bundle_files(bundle) if bundle is not None and bundle.is_dir() else [])
    src = SourceFile(path=display, text=text, problems=[])
    split_front_matter(src)
    raw._source = src
    entry, found = validate_entry(raw, kb.registries, kb.settings)
    others = [e for e in kb.entries if e.rel != rel]
    if entry is not None:
        view = KnowledgeBase(content_dir=kb.content_dir, registries=kb.registries, entries=[*others, entry],
                             settings=kb.settings, today=kb.today)
        found += [p for p in cross_checks(view) if p.path == display]
    # Files uploaded with this save are not on disk yet: they are checked once saved.
    return [p for p in found if not (p.args.get("file") in pending and p.code == "attachment-missing")
            and not (p.code.startswith("link-") and Path(str(p.args.get("target", ""))).name in pending)]


# -- a problem in the form's terms ---------------------------------------------------------------

class _Kept(dict):
    """str.format_map leaves a name it lacks as it is, as the catalogue's rendering does."""

    def __missing__(self, key):
        return "{" + key + "}"


def _field(kind: Kind, path: str):
    """The schema's field at a dotted path (indexes left out), or None."""
    try:
        return kind.field(_INDEX_RE.sub("", path))
    except KeyError:
        return None


def label_of(kind: Kind, path: str) -> str:
    """The form's label of the field at ``path``: 聯絡方式 › 電子郵件, 附件（第 2 項）› 檔名."""
    if path == "body":
        return "內文"
    if path == "slug":
        return "英文短名（網址）"
    out, walked = [], []
    for part in path.split("."):
        m = re.fullmatch(r"([^\[\]]+)(?:\[(\d+)\])?", part)
        if not m:
            break
        walked.append(m.group(1))
        f = _field(kind, ".".join(walked))
        name = (f.zh or f.en or f.name) if f is not None else m.group(1)
        out.append(f"{name}（第 {m.group(2)} 項）" if m.group(2) else name)
    return " › ".join(out)


def _front_matter_key(text: str, line: int) -> str | None:
    """The field a line of the front matter belongs to (``contact.email``), None for the body."""
    lines = text.replace("\r\n", "\n").split("\n")
    end = next((i for i, s in enumerate(lines[1:], 2) if s.strip() in ("---", "...")), 0)
    if not (lines and lines[0].strip() == "---" and 1 <= line < end):
        return None
    sub = None
    for s in reversed(lines[1:line]):
        m = _KEY_RE.match(s)
        if m and m.group(1):
            sub = sub or m.group(2)
        elif m:
            return f"{m.group(2)}.{sub}" if sub else m.group(2)
    return ""


def field_path(p: Problem, kind: Kind, text: str) -> str:
    """The form's field a problem concerns."""
    args = p.args
    if p.code in ("date-order", "date-order-year") and args.get("end"):
        return str(args["end"])
    if p.code in ("section-missing", "body-section-empty", "body-section-template"):
        return "body"
    if p.code == "budget-currency" and args.get("field"):
        return f"{args['field']}.currency"
    name = str(args.get("field") or "")
    if name and name != "front matter" and not name.startswith("body"):
        return name
    if p.code == "key-missing" and args.get("key"):
        return str(args["key"])
    if p.code in ("slug-mismatch", "slug-invalid", "slug-windows-name", "duplicate-slug"):
        return "slug"
    if not p.path.endswith(".md"):  # a file beside the entry: an attachment
        return "attachments"
    key = _front_matter_key(text, p.line)
    if key is None:
        return "body"
    return key or ""


def editor_problem(p: Problem, kind: Kind, text: str) -> dict:
    path = field_path(p, kind, text)
    label = label_of(kind, path) if path else "這篇條目"
    params = dict(p.args)
    params["field"] = label
    for key in ("start", "end", "wrong"):
        if isinstance(params.get(key), str) and _field(kind, params[key]) is not None:
            params[key] = label_of(kind, params[key])
    if p.code == "key-missing":
        params["key"] = params["label"] = label
    words = cms.words(p.code)
    if words is not None:
        msg, hint, msg_en, hint_en = (w.format_map(_Kept(params)) for w in words)
    else:
        msg, hint = render(p.code, params, "zh-TW")
        msg_en, hint_en = render(p.code, params, "en")
    return {"path": path, "label": label, "code": p.code, "level": p.level.value, "line": p.line,
            "message": msg, "hint": hint, "message_en": msg_en, "hint_en": hint_en}
