"""A raw entry -> a validated entry, or problems with positions.

Checks that need only the entry itself (and the registries) live here;
checks across entries (duplicate URLs, links to internal entries) live in
:mod:`generator.knowledge.indexing`.

The body's checks are in :mod:`generator.validation.body` (with :mod:`generator.validation.bodytext`,
:mod:`generator.validation.bodyhtml` and :mod:`generator.validation.links`); their names are importable from here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .attachments import check_bundle
from .body import HEADING_RE, MAX_ATTR_LISTS_PER_LINE, MAX_BRACKETS_PER_PARAGRAPH  # noqa: F401 - re-exported
from .body import MAX_CONTROL_CHAR_PROBLEMS, MAX_NESTING, check_body  # noqa: F401 - re-exported
from .bodyhtml import ALLOWED_ATTRS, ALLOWED_TAGS, MAX_ATTRIBUTES_READ, MAX_MARKUP_PROBLEMS  # noqa: F401 - re-exported
from ..model.fields import Context, Invalid, did_you_mean
from .links import AUTOLINK_RE, LINK_DESTINATION_RE, MAX_LINK_PROBLEMS, REF_DEF_RE  # noqa: F401 - re-exported
from .links import Link, normalise_link_target  # noqa: F401 - re-exported
from .loading import RawEntry
from ..kinds import KINDS_BY_FOLDER, Kind
from ..core.problems import Problem, exception_text, problem
from ..source.safefs import file_size, is_dir, is_file, is_symlink, names_in
from ..model.settings import Settings


@dataclass
class Entry:
    kind: Kind
    slug: str
    rel: str  # source path relative to content/
    path: str  # display path
    data: dict[str, Any]
    body: str
    body_line: int
    bundle_dir: Path | None = None
    attachments: list[dict] = field(default_factory=list)  # {file, title, type, size}
    links: list[Link] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # top-level key -> (line, col)
    bundle_files: list[str] = field(default_factory=list)  # every file in the bundle, relative to it
    # What the checks across entries compare of it (crosschecks.compared_values), when worked
    # out where it was validated (a worker of kb validate's); None: worked out when compared.
    compared: tuple | None = field(default=None, repr=False, compare=False)

    def __getstate__(self):  # kinds hold functions: send the kind's id between processes
        state = self.__dict__.copy()
        state["kind"] = self.kind.id
        return state

    def __setstate__(self, state):
        from ..kinds import KINDS

        state["kind"] = KINDS[state["kind"]]
        self.__dict__.update(state)

    def published_files(self) -> list[str]:
        """Source paths (relative to content/) of the files published with this entry."""
        if self.bundle_dir is None:
            return []
        folder = self.rel.rsplit("/", 1)[0]
        return [f"{folder}/{name}" for name in self.bundle_files]

    @property
    def key(self) -> str:
        return f"{self.kind.folder}/{self.slug}"

    @property
    def url(self) -> str:
        """Site path with directory URLs, no leading slash."""
        return f"{self.kind.folder}/{self.slug}/"

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def date(self):
        return self.data["date"]

    @property
    def public(self) -> bool:
        return self.data.get("visibility", "public") == "public"


def validate_entry(raw: RawEntry, registries, settings: Settings | None = None) -> tuple[Entry | None, list[Problem]]:
    """The entry, or None, and its problems. Never raises for what a file holds: an unexpected
    exception (a bug of ours, met by one file) becomes a problem on that file, which is
    skipped, and every other file is still checked."""
    try:
        return _validate_entry(raw, registries, settings)
    except Exception as exc:
        return None, [problem(_display_path(raw), 1, 1, "file-check-error", error=exception_text(exc))]


def _display_path(raw: RawEntry) -> str:
    return getattr(raw, "display", "") or f"content/{raw.rel}"


def _validate_entry(raw: RawEntry, registries, settings: Settings | None) -> tuple[Entry | None, list[Problem]]:
    settings = settings or Settings()
    src = raw.source
    problems: list[Problem] = list(src.problems)
    if raw.bundle_dir is not None:
        folder = src.path.rsplit("/", 1)[0]
        problems.extend(check_bundle(raw.bundle_dir, raw.bundle_files, folder, settings.max_file_bytes,
                                     settings.max_entry_bytes, src.path))
    if src.front_matter is None or src.loc is None:
        return None, problems
    ctx = Context(loc=src.loc, problems=problems, registries=registries)
    fence = SimpleNamespace(line=-1, column=0)  # missing keys are reported at the opening fence
    try:
        data = raw.kind.schema.convert(src.front_matter, ctx, "", missing_at=fence)
    except Invalid:
        data = None
    entry_ok = data is not None
    body_problems, headings, links = check_body(raw, src.body, src.body_line)
    problems.extend(body_problems)
    if not entry_ok:
        return None, problems
    _check_slug(raw, data, problems)
    attachments = _check_attachments(raw, data, problems)
    links = links + _check_related(raw, data, problems)
    entry = Entry(
        kind=raw.kind, slug=raw.slug, rel=raw.rel, path=src.path, data=data, body=src.body,
        body_line=src.body_line, bundle_dir=raw.bundle_dir, attachments=attachments, links=links,
        headings=headings, bundle_files=list(raw.bundle_files),
        positions=src.loc.key_positions(src.front_matter),
    )
    if any(p.level.value == "error" for p in problems):
        return None, problems
    return entry, problems


def _check_related(raw: RawEntry, data: dict, problems: list[Problem]) -> list[Link]:
    """``related: [folder/slug, …]`` must name existing entries; they become links, so that
    the cross-entry check also refuses a public entry pointing at an internal one."""
    out: list[Link] = []
    if not data.get("related"):
        return out
    content_dir = raw.abs_path.parents[raw.rel.count("/")]
    listed: dict[str, list[str]] = {}  # each folder is listed once, however many references miss
    suggested = 0  # and fuzzy suggestions are made for the first few misses only
    for i, ref in enumerate(data.get("related") or []):
        node = _field_node(raw, "related", i)
        line, col = _position(raw, node)
        folder, slug = ref.split("/", 1)
        target = next((rel for rel in (f"{ref}.md", f"{ref}/index.md") if is_file(content_dir / rel)), None)
        if folder not in KINDS_BY_FOLDER or target is None:
            near: list[str] = []
            if suggested < RELATED_SUGGESTIONS:
                suggested += 1
                if folder in KINDS_BY_FOLDER and is_dir(content_dir / folder):
                    if folder not in listed:
                        listed[folder] = [name.removesuffix(".md") for name in names_in(content_dir / folder)]
                    near = [f"{folder}/{n}" for n in did_you_mean(slug, listed[folder])]
                else:
                    near = [f"{n}/{slug}" for n in did_you_mean(folder, KINDS_BY_FOLDER)]
            problems.append(problem(raw.source.path, line, col, "related-missing", target=ref, suggestions=near))
            continue
        if target != raw.rel:
            out.append(Link(target=target, line=line, column=col, is_image=False))
    return out


RELATED_SUGGESTIONS = 20


def _check_slug(raw: RawEntry, data: dict, problems: list[Problem]) -> None:
    """``slug:`` (written by the web editor, which names a new entry by it) must be the name
    the entry's file or folder has: the name is the URL, and the two must not disagree."""
    if "slug" in data and data["slug"].strip() != raw.slug:
        line, col = _position(raw, _field_node(raw, "slug"))
        problems.append(problem(raw.source.path, line, col, "slug-mismatch", value=data["slug"], slug=raw.slug))


def _check_attachments(raw: RawEntry, data: dict, problems: list[Problem]) -> list[dict]:
    listed = data.get("attachments") or []
    path = raw.source.path
    if listed and raw.bundle_dir is None:
        node = _field_node(raw, "attachments")
        line, col = _position(raw, node)
        problems.append(problem(path, line, col, "attachments-need-folder", slug=raw.slug,
                                folder=raw.kind.folder))
        return []
    out = []
    for i, item in enumerate(listed):
        f = raw.bundle_dir / item["file"] if raw.bundle_dir else None
        size = file_size(f) if f is not None and is_file(f) and not is_symlink(f) else None
        if size is None:
            node = _field_node(raw, "attachments", i, "file")
            line, col = _position(raw, node)
            problems.append(problem(path, line, col, "attachment-missing", file=item["file"],
                                    available=", ".join(raw.bundle_files) or "-"))
            continue
        out.append({**item, "size": size})
    return out


def _position(raw: RawEntry, node) -> tuple[int, int]:
    """Where a front matter node starts in the file; the opening fence where there is none."""
    loc = raw.source.loc
    if node is None or loc is None:
        return raw.source.fence_line, 1
    return loc.pos(node)


def _field_node(raw: RawEntry, *keys):
    """The YAML node at a path of keys and list indexes, for positions."""
    node = raw.source.front_matter
    for k in keys:
        if node is None:
            return None
        if isinstance(k, int):
            seq = getattr(node, "value", None)
            node = seq[k] if isinstance(seq, list) and k < len(seq) else None
        else:
            node = next((v for kn, v in getattr(node, "value", []) if getattr(kn, "value", None) == k), None)
    return node
