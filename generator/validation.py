"""A raw entry -> a validated entry, or problems with positions.

Checks that need only the entry itself (and the registries) live here;
checks across entries (duplicate URLs, links to internal entries) live in
:mod:`generator.indexing`.
"""

from __future__ import annotations

import bisect
import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .attachments import check_bundle
from .fields import PLACEHOLDER_RE, Context, Invalid, did_you_mean
from .loading import RawEntry
from .models import KINDS_BY_FOLDER, Kind
from .problems import Problem, problem
from .settings import Settings

HEADING_RE = re.compile(r"^(#{1,6})[ \t]+([^\n]+?)[ \t]*#*[ \t]*$", re.M)
FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
# Link text on one line (bounded, so unmatched brackets stay linear); the destination may
# hold whitespace and even span lines, as Python-Markdown allows.
INLINE_LINK_RE = re.compile(r"(!?)\[(?:[^\[\]\n]|\[[^\]\n]{0,300}\]){0,500}\]\((<[^>\n]*>|[^)]{0,2000})\)")
_TITLE_RE = re.compile(r"""\s+(?:"[^"]*"|'[^']*'|\([^)]*\))\s*$""")
REF_DEF_RE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
AUTOLINK_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^>\s]*)>")
SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")
CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")
HTML_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)([^<>\n]*)>?", re.M)
HTML_COMMENT_RE = re.compile(r"<!--")
ATTR_LIST_RE = re.compile(r"\{:?[^{}\n]*?[A-Za-z_-]+\s*=[^{}\n]*\}")
# Raw HTML a contributor may use: harmless inline formatting, no attributes but these.
ALLOWED_TAGS = {"kbd", "sup", "sub", "br", "abbr", "mark", "small", "ruby", "rt", "rp", "del", "ins", "s", "u", "wbr"}
ALLOWED_ATTRS = {"title", "lang"}
_ATTR_NAME_RE = re.compile(r"([A-Za-z_:][-A-Za-z0-9_:.]*)\s*(?:=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")


@dataclass
class Link:
    target: str  # resolved path relative to content/ (no fragment)
    line: int
    column: int
    is_image: bool


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

    def __getstate__(self):  # kinds hold functions: send the kind's id between processes
        state = self.__dict__.copy()
        state["kind"] = self.kind.id
        return state

    def __setstate__(self, state):
        from .models import KINDS

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


def normalise_link_target(raw: str) -> str:
    """What a browser would see: entities decoded, control characters and spaces dropped."""
    target = raw.strip()
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1]
    target = html.unescape(target)
    return _CONTROL_RE.sub("", target)


def validate_entry(raw: RawEntry, registries, settings: Settings | None = None) -> tuple[Entry | None, list[Problem]]:
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
    attachments = _check_attachments(raw, data, problems)
    links = links + _check_related(raw, data, problems)
    entry = Entry(
        kind=raw.kind, slug=raw.slug, rel=raw.rel, path=src.path, data=data, body=src.body,
        body_line=src.body_line, bundle_dir=raw.bundle_dir, attachments=attachments, links=links,
        headings=headings, bundle_files=list(raw.bundle_files),
        positions={k.value: src.loc.pos(k) for k, _ in src.front_matter.value if hasattr(k, "value")},
    )
    if any(p.level.value == "error" for p in problems):
        return None, problems
    return entry, problems


def _blank_code_spans(text: str) -> str:
    """Inline code is shown as text: blank it out (keeping columns) before looking for markup."""
    return CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), text)


def _masked_body(body: str) -> str:
    """The body with fenced code blocks and inline code blanked out, lines and columns kept."""
    if "```" not in body and "~~~" not in body:
        return _blank_code_spans(body)
    out = []
    fence: str | None = None
    for line in body.split("\n"):
        m = FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * 3
            out.append(" " * len(line))
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            out.append(" " * len(line))
            continue
        out.append(_blank_code_spans(line))
    return "\n".join(out)


class _Positions:
    """Offsets in the body -> (file line, column)."""

    def __init__(self, text: str, first_line: int):
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self.first_line = first_line

    def __call__(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.first_line + i, offset - self.starts[i] + 1


def check_body(raw: RawEntry, body: str, body_line: int) -> tuple[list[Problem], list[str], list[Link]]:
    """Every check is one pass of a compiled regular expression over the code-masked body."""
    path = raw.source.path
    problems: list[Problem] = []
    links: list[Link] = []
    masked = _masked_body(body)
    pos = _Positions(masked, body_line)
    headings = [m.group(2) for m in HEADING_RE.finditer(masked) if len(m.group(1)) >= 2]
    for m in PLACEHOLDER_RE.finditer(masked):
        problems.append(problem(path, *pos(m.start()), "placeholder", field="body"))
    problems.extend(_check_markup(path, pos, masked))
    targets: list[tuple[int, int, str, bool]] = []  # line, column, raw target, is image
    for m in REF_DEF_RE.finditer(masked):
        targets.append((*pos(m.start(1)), m.group(1), False))
    for m in AUTOLINK_RE.finditer(masked):
        targets.append((*pos(m.start(1)), m.group(1), False))
    for m in INLINE_LINK_RE.finditer(masked):
        dest = m.group(2)
        if not dest.startswith("<"):
            dest = _TITLE_RE.sub("", dest)
        targets.append((*pos(m.start(2)), dest, bool(m.group(1))))
    for lineno, col, raw_target, is_image in sorted(targets):
        link = _classify_link(raw, raw_target, lineno, col, is_image, problems)
        if link:
            links.append(link)
    problems.extend(_check_paragraph_complexity(path, pos, masked))
    for section in raw.kind.sections:
        if not any(section.matches(h) for h in headings):
            problems.append(problem(path, body_line, 1, "section-missing", zh=section.zh, en=section.en))
    return problems, headings, links


MAX_BRACKETS_PER_PARAGRAPH = 300
MAX_NESTING = 20
_NEWLINE = re.compile(r"\n")
_PARAGRAPH_RE = re.compile(r"(?:^[ \t]*\S[^\n]*(?:\n|$))+", re.M)
_DEEP_CANDIDATE_RE = re.compile(r"^(?:[ \t]{21,}\S|(?:[ \t]*(?:[-*+]|\d{1,9}[.)]|>)(?:[ \t]+|$)){21,})", re.M)
_BLOCK_MARKERS_RE = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)]|>)(?:[ \t]+|$))+")
_MARKER_RE = re.compile(r"(?:[-*+]|\d{1,9}[.)]|>)(?=[ \t]|$)")


def _check_paragraph_complexity(path: str, pos: _Positions, masked: str) -> list[Problem]:
    """Python-Markdown's time grows with the square of unmatched brackets in a paragraph,
    and it recurses once per level of nested lists and quotes."""
    out = []
    for m in _DEEP_CANDIDATE_RE.finditer(masked):
        end = masked.find("\n", m.start())
        line = masked[m.start(): end if end >= 0 else len(masked)]
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        markers = _BLOCK_MARKERS_RE.match(line)
        depth = max(indent // 4, len(_MARKER_RE.findall(markers.group(0))) if markers else 0)
        if depth > MAX_NESTING:
            out.append(problem(path, pos(m.start())[0], 1, "body-too-deep", depth=depth, limit=MAX_NESTING))
    if masked.count("[") > MAX_BRACKETS_PER_PARAGRAPH:
        for m in _PARAGRAPH_RE.finditer(masked):
            count = m.group(0).count("[")
            if count > MAX_BRACKETS_PER_PARAGRAPH:
                out.append(problem(path, pos(m.start())[0], 1, "body-pathological", count=count,
                                   limit=MAX_BRACKETS_PER_PARAGRAPH))
    return out


def _check_markup(path: str, pos: _Positions, text: str) -> list[Problem]:
    """Raw HTML is not published as HTML: only a small allow-list of inline tags passes."""
    out = []
    if "<" in text:
        for m in HTML_COMMENT_RE.finditer(text):
            out.append(problem(path, *pos(m.start()), "html-comment"))
        flagged: set[str] = set()
        for m in HTML_TAG_RE.finditer(text):
            name = m.group(2).lower()
            if m.group(1) and name in flagged:
                continue  # the closing tag of one already reported
            flagged.add(name)
            attrs = {a.group(1).lower() for a in _ATTR_NAME_RE.finditer(m.group(3) or "")}
            if name not in ALLOWED_TAGS:
                out.append(problem(path, *pos(m.start()), "raw-html", tag=name,
                                   allowed=", ".join(sorted(ALLOWED_TAGS))))
            elif attrs - ALLOWED_ATTRS:
                out.append(problem(path, *pos(m.start()), "raw-html-attribute", tag=name,
                                   attribute=sorted(attrs - ALLOWED_ATTRS)[0]))
    if "=" in text:
        for m in ATTR_LIST_RE.finditer(text):
            out.append(problem(path, *pos(m.start()), "attr-list"))
    return out


def _classify_link(raw: RawEntry, raw_target: str, line: int, col: int, is_image: bool,
                   problems: list[Problem]) -> Link | None:
    path = raw.source.path
    target = normalise_link_target(raw_target)
    if not target or target.startswith("#"):
        return None
    scheme = SCHEME_RE.match(target)  # browsers drop tabs and newlines inside URLs: so do we here
    if scheme:
        if scheme.group(1).lower() not in SAFE_SCHEMES:
            problems.append(problem(path, line, col, "link-unsafe", scheme=scheme.group(1).lower()))
        return None
    if target.startswith("//"):
        problems.append(problem(path, line, col, "link-unsafe", scheme="//"))
        return None
    if target.startswith("/"):
        problems.append(problem(path, line, col, "link-absolute", target=target))
        return None
    path_part = raw_target.strip().strip("<>").strip()  # spaces in a file name are kept
    clean = html.unescape(path_part).split("#", 1)[0].split("?", 1)[0]
    if not clean:
        return None
    base = posixpath.dirname(raw.rel)
    resolved = posixpath.normpath(posixpath.join(base, clean))
    if resolved.startswith("../") or resolved == "..":
        problems.append(problem(path, line, col, "link-broken", target=target))
        return None
    # Existence is checked here, so it is reported even when the entry has other problems.
    content_dir = raw.abs_path.parents[raw.rel.count("/")]
    target_path = content_dir / resolved
    if target_path.is_dir():
        code = "link-folder" if (target_path / "index.md").is_file() else "link-broken"
        problems.append(problem(path, line, col, code, target=resolved))
        return None
    if not target_path.is_file():
        problems.append(problem(path, line, col, "link-broken", target=target))
        return None
    return Link(target=resolved, line=line, column=col, is_image=is_image)


def _check_related(raw: RawEntry, data: dict, problems: list[Problem]) -> list[Link]:
    """``related: [folder/slug, …]`` must name existing entries; they become links, so that
    the cross-entry check also refuses a public entry pointing at an internal one."""
    out = []
    content_dir = raw.abs_path.parents[raw.rel.count("/")]
    for i, ref in enumerate(data.get("related") or []):
        node = _field_node(raw, "related", i)
        line, col = raw.source.loc.pos(node) if node is not None else (raw.source.fence_line, 1)
        folder, slug = ref.split("/", 1)
        target = next((rel for rel in (f"{ref}.md", f"{ref}/index.md") if (content_dir / rel).is_file()), None)
        if folder not in KINDS_BY_FOLDER or target is None:
            if folder in KINDS_BY_FOLDER and (content_dir / folder).is_dir():
                names = [p.name.removesuffix(".md") for p in (content_dir / folder).iterdir()]
                near = [f"{folder}/{n}" for n in did_you_mean(slug, names)]
            else:
                near = did_you_mean(folder, KINDS_BY_FOLDER)
                near = [f"{n}/{slug}" for n in near]
            problems.append(problem(raw.source.path, line, col, "related-missing", target=ref, suggestions=near))
            continue
        if target != raw.rel:
            out.append(Link(target=target, line=line, column=col, is_image=False))
    return out


def _check_attachments(raw: RawEntry, data: dict, problems: list[Problem]) -> list[dict]:
    listed = data.get("attachments") or []
    path = raw.source.path
    if listed and raw.bundle_dir is None:
        node = _field_node(raw, "attachments")
        line, col = raw.source.loc.pos(node) if node is not None else (raw.source.fence_line, 1)
        problems.append(problem(path, line, col, "attachments-need-folder", slug=raw.slug,
                                folder=raw.kind.folder))
        return []
    out = []
    for i, item in enumerate(listed):
        f = raw.bundle_dir / item["file"] if raw.bundle_dir else None
        if f is None or not f.is_file() or f.is_symlink():
            node = _field_node(raw, "attachments", i, "file")
            line, col = raw.source.loc.pos(node) if node is not None else (raw.source.fence_line, 1)
            problems.append(problem(path, line, col, "attachment-missing", file=item["file"],
                                    available=", ".join(raw.bundle_files) or "-"))
            continue
        out.append({**item, "size": f.stat().st_size})
    return out


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
