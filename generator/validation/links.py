"""Links in an entry's body: found as Python-Markdown finds them (inline, reference
definitions, autolinks), each resolved against content/ and checked: a safe scheme, a
relative path that stays in the site and names a file that is there.

An image (``![…](…)``, or ``![…][label]`` and the definition of ``label``) must be one of the
entry's own files, beside its ``index.md``: an image on another site (``https://…``, ``//…``)
would be a request to that site from every reader of the page (image-external), and a file of
another entry or of none (a single-file entry has no files) is refused too (image-not-own).
Links to other sites stay allowed: a reader follows them by choice."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass

from ..core.escape import SAFE_SCHEMES, as_browser_reads, url_scheme
from ..core.problems import Problem, problem
from ..source.safefs import is_dir, is_file
from .bodytext import Lines, NextChar, Positions
from .loading import RawEntry

# Every "](" starts a link destination, whatever the link text: Python-Markdown puts no
# bound on either, and a link not looked at is a link whose scheme is not checked.
LINK_DESTINATION_RE = re.compile(r"\]\(")
_TITLE_RE = re.compile(r"""\s+(?:"[^"]*"|'[^']*'|\([^)]*\))\s*$""")
REF_DEF_RE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
AUTOLINK_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^<>\s]*)>")
# An image by reference: ![alt][label], ![label][] or ![label] (then its label is the alt).
_IMAGE_REF_RE = re.compile(r"!\[([^\[\]\n]*)\](?:\[([^\[\]\n]*)\])?")
_LABEL_SPACES_RE = re.compile(r"\s+")


def _label(text: str) -> str:
    """A reference label as Markdown matches it: case and runs of spaces do not count."""
    return _LABEL_SPACES_RE.sub(" ", text.strip()).casefold()


@dataclass
class Link:
    target: str  # resolved path relative to content/ (no fragment)
    line: int
    column: int
    is_image: bool


def normalise_link_target(raw: str) -> str:
    """What a browser would see: entities decoded, control characters and spaces dropped."""
    target = raw.strip()
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1]
    target = html.unescape(target)
    target = as_browser_reads(target)
    if target.startswith("`"):  # [a](`x`): the address is the code span's text
        target = target.strip("`")
    return target


def check_links(raw: RawEntry, text: str, body: str, pos: Positions, lines: Lines) -> tuple[list[Link], list[Problem]]:
    """The links of the code-masked body ``text`` (destinations read from ``body``, the
    unmasked body) that point at files of the site, and the problems of the others."""
    links: list[Link] = []
    targets: list[tuple[int, int, str, bool]] = []  # line, column, raw target, is image
    if "]" in text:
        images = {_label(m.group(2) or m.group(1)) for m in _IMAGE_REF_RE.finditer(text)} if "![" in text else set()
        for m in REF_DEF_RE.finditer(text):
            label = _label(m.group(0)[m.group(0).index("[") + 1:m.group(0).index("]:")])
            targets.append((*pos(m.start(1)), m.group(1), label in images))
    inline = _inline_links(text, lines, body)
    if "<" in text:
        angled = {start for start, dest, _ in inline if dest.startswith("<")}
        for m in AUTOLINK_RE.finditer(text):
            if m.start() not in angled:  # [text](<destination>) is looked at as a link
                targets.append((*pos(m.start(1)), m.group(1), False))
    for start, dest, is_image in inline:
        if not dest.startswith("<"):
            dest = _TITLE_RE.sub("", dest)
        targets.append((*pos(start), dest, is_image))
    found: list[Problem] = []
    seen: dict[str, str] = {}  # resolved path -> what the file system says of it
    for lineno, col, raw_target, is_image in sorted(targets):
        if len(found) >= MAX_LINK_PROBLEMS:
            break  # the entry is refused anyway: its other links need not be looked up
        link = _classify_link(raw, raw_target, lineno, col, is_image, found, seen)
        if link:
            links.append(link)
    return links, found


def _inline_links(text: str, lines: Lines, source: str | None = None) -> list[tuple[int, str, bool]]:
    """(offset, text, is an image) of the destination of every ``[text](destination)``: after
    each ``](``, an ``<…>`` on one line followed by ``)``, or else everything up to the first
    ``)`` (spaces and line breaks allowed, as Python-Markdown allows them). Linear: the next
    ``)``, ``>`` and line break are found once for all. Links are found in the code-masked
    ``text``; a destination is read from ``source``, the unmasked body, because Python-Markdown
    makes a link of ``[a](`javascript:…`)`` with the code span's text as its address."""
    source = text if source is None else source
    out: list[tuple[int, str, bool]] = []
    if "](" not in text:
        return out
    next_paren, next_gt, next_nl = NextChar(text, ")"), NextChar(text, ">"), NextChar(text, "\n")
    after = -1  # the end of the previous destination: a "](" inside it is part of it
    for m in LINK_DESTINATION_RE.finditer(text):
        d = m.end()
        if d <= after:
            continue
        dest = None
        if text.startswith("<", d):
            gt, nl = next_gt(d + 1), next_nl(d + 1)
            if gt >= 0 and (nl < 0 or gt < nl) and text.startswith(")", gt + 1):
                dest = text[d:gt + 1]
        if dest is None:
            paren = next_paren(d)
            if paren < 0:
                continue
            dest = source[d:paren]
        opening = lines.brackets(lines.index(m.start())).get(m.start())
        out.append((d, dest, opening is not None and opening > 0 and text[opening - 1] == "!"))
        after = d + len(dest)
    return out


MAX_LINK_PROBLEMS = 200


def _folder(raw: RawEntry) -> str:
    """The entry's kind folder, for a message saying where its files go."""
    return getattr(raw.kind, "folder", "") or "content"


def _classify_link(raw: RawEntry, raw_target: str, line: int, col: int, is_image: bool,
                   problems: list[Problem], seen: dict[str, str] | None = None) -> Link | None:
    path = raw.source.path
    target = normalise_link_target(raw_target)
    if not target or target.startswith("#"):
        return None
    scheme = url_scheme(target)  # browsers drop tabs and newlines inside URLs: so do we here
    if scheme is not None:
        if scheme not in SAFE_SCHEMES:
            problems.append(problem(path, line, col, "link-unsafe", scheme=scheme))
        elif is_image:  # a request to another site from every reader
            problems.append(problem(path, line, col, "image-external", target=target, folder=_folder(raw)))
        return None
    if target.startswith("//"):
        if is_image:
            problems.append(problem(path, line, col, "image-external", target=target, folder=_folder(raw)))
        else:
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
    if is_image and (getattr(raw, "bundle_dir", None) is None or not resolved.startswith(base + "/")):
        problems.append(problem(path, line, col, "image-not-own", target=target, folder=_folder(raw),
                                slug=getattr(raw, "slug", "") or "slug"))
        return None
    # Existence is checked here, so it is reported even when the entry has other problems.
    kind = seen.get(resolved) if seen is not None else None
    if kind is None:
        content_dir = raw.abs_path.parents[raw.rel.count("/")]
        target_path = content_dir / resolved
        if is_dir(target_path):
            kind = "folder" if is_file(target_path / "index.md") else "missing-folder"
        else:
            kind = "file" if is_file(target_path) else "missing"
        if seen is not None:
            seen[resolved] = kind
    if kind in ("folder", "missing-folder"):
        problems.append(problem(path, line, col, "link-folder" if kind == "folder" else "link-broken", target=resolved))
        return None
    if kind == "missing":
        problems.append(problem(path, line, col, "link-broken", target=target))
        return None
    return Link(target=resolved, line=line, column=col, is_image=is_image)
