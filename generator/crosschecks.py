"""Checks across entries: what no single file can tell (two tools at one address, a
public entry linking to an internal one)."""

from __future__ import annotations

from urllib.parse import urlsplit

from .frontmatter import load_source
from .kinds import KINDS_BY_FOLDER
from .problems import Problem, problem
from .validation import Entry


def _norm_url(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}{'?' + parts.query if parts.query else ''}"


def cross_checks(kb) -> list[Problem]:
    problems: list[Problem] = []
    by_rel = {e.rel: e for e in kb.entries}
    # Addresses no two entries of a kind may share (Kind.unique), e.g. two tools at one URL.
    seen: dict[tuple[str, str, str], Entry] = {}
    for e in sorted(kb.entries, key=lambda e: e.rel):
        for name in e.kind.unique:
            if name not in e.data:
                continue
            key = (e.kind.id, name, _norm_url(e.data[name]))
            if key in seen:
                line, col = e.positions.get(name, (1, 1))
                problems.append(problem(e.path, line, col, "duplicate-url", url=e.data[name], other=seen[key].path))
            else:
                seen[key] = e
    # Links (their targets exist: checked per entry): public entries must not link to internal ones.
    for e in kb.entries:
        if not e.public:
            continue
        for link in e.links:
            if not _target_public(kb, by_rel, link.target):
                problems.append(problem(e.path, link.line, link.column, "link-internal", target=link.target))
    return problems


def _target_public(kb, by_rel: dict[str, Entry], rel: str) -> bool:
    entry_file = rel if rel.endswith(".md") else _bundle_index(rel)
    if entry_file is None:
        return True
    owner = by_rel.get(entry_file)
    if owner is not None:
        return owner.public
    # Not validated in this run (kb validate PATH) or invalid: read its visibility directly.
    src = load_source(kb.content_dir / entry_file, entry_file)
    for key, value in (src.front_matter.value if src.front_matter is not None else []):
        if getattr(key, "value", None) == "visibility":
            return getattr(value, "value", "public") != "internal"
    return True


def _bundle_index(rel: str) -> str | None:
    parts = rel.split("/")
    if len(parts) >= 3 and parts[0] in KINDS_BY_FOLDER:
        return f"{parts[0]}/{parts[1]}/index.md"
    return None
