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
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from markdown.blockprocessors import ReferenceProcessor
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.inlinepatterns import AUTOLINK_RE as MD_AUTOLINK_RE
from markdown.inlinepatterns import AUTOMAIL_RE as MD_AUTOMAIL_RE
from markdown.inlinepatterns import LinkInlineProcessor

from .attachments import check_bundle
from .escape import NOT_TEXT_RE, SAFE_SCHEMES, as_browser_reads, url_scheme
from .fields import Context, Invalid, did_you_mean
from .loading import RawEntry
from .models import KINDS_BY_FOLDER, Kind
from .problems import Problem, exception_text, problem
from .sanitize import INLINE_TAGS
from .settings import Settings

HEADING_RE = re.compile(r"^(#{1,6})[ \t]+([^\n]+?)[ \t]*#*[ \t]*$", re.M)
# Every "](" starts a link destination, whatever the link text: Python-Markdown puts no
# bound on either, and a link not looked at is a link whose scheme is not checked.
LINK_DESTINATION_RE = re.compile(r"\]\(")
_TITLE_RE = re.compile(r"""\s+(?:"[^"]*"|'[^']*'|\([^)]*\))\s*$""")
REF_DEF_RE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
AUTOLINK_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^<>\s]*)>")
_BODY_PLACEHOLDER_RE = re.compile(r"<(?:請填寫|fill in)[^<>]*>", re.IGNORECASE)
# Raw HTML a contributor may use: harmless inline formatting, no attributes but these.
ALLOWED_TAGS = INLINE_TAGS  # the allow-list the rendered body is cleaned to (generator/sanitize.py)
ALLOWED_ATTRS = {"title", "lang"}


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
    target = as_browser_reads(target)
    if target.startswith("`"):  # [a](`x`): the address is the code span's text
        target = target.strip("`")
    return target


def validate_entry(raw: RawEntry, registries, settings: Settings | None = None) -> tuple[Entry | None, list[Problem]]:
    """The entry, or None, and its problems. Never raises for what a file holds: an unexpected
    exception (a bug of ours, met by one file) becomes a problem on that file, which is
    skipped, and every other file is still checked."""
    try:
        return _validate_entry(raw, registries, settings)
    except Exception as exc:  # noqa: BLE001 - any bug of ours must cost one file, not the run
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


# -- the body as Python-Markdown reads it --------------------------------------------------
#
# The checks look at the body with code blanked out: code is shown as text, so markup in it is
# harmless. Blanking is the dangerous direction (what is blanked is never checked), so only what
# Python-Markdown is certain to read as code is blanked; when in doubt nothing is, and everything
# is checked. The rules below follow the installed Markdown (fenced_code, the backtick pattern).

_FENCE_OPEN_RE = re.compile(r"(`{3,}|~{3,})[ ]*(?:\{([^\n]*)\}|\.?[\w#.+-]*[ ]*)")
_BACKTICKS_RE = re.compile(r"`+")


_FENCE_CLOSE_RE = re.compile(r"^(?:`{3,}|~{3,})[ \t]*$", re.M)  # a line that can close a fence


def _fenced_blocks(lines: list[str]) -> list[tuple[int, int, int]]:
    """(first line, last line, column of an attribute list with ``=`` on the opening line or -1)
    of every fenced code block, found as Python-Markdown's fenced_code finds them: the opening
    fence at the start of a line, optional ``{attrs}`` or language, and a closing line of
    exactly the same fence. Tabs are expanded first, as Markdown does."""
    starts = [i for i, line in enumerate(lines) if line.startswith(("```", "~~~"))]
    closers: dict[str, list[int]] = {}
    for i in starts:
        if _FENCE_CLOSE_RE.match(lines[i]):
            closers.setdefault(lines[i].expandtabs(4).rstrip(" "), []).append(i)
    if not closers:
        return []
    if any("hl_lines=" in lines[i] for i in starts):
        return []  # an opening line Markdown may continue over several lines: blank nothing
    blocks = []
    after = -1  # the last line of the previous block
    for i in starts:
        if i <= after:
            continue
        m = _FENCE_OPEN_RE.fullmatch(lines[i].expandtabs(4))
        if not m or (m.group(2) is not None and get_attrs_and_remainder(m.group(2))[1]):
            continue  # not an opening fence for Markdown
        same = closers.get(m.group(1), [])
        k = bisect.bisect_right(same, i)
        if k == len(same):
            continue  # never closed: Markdown reads it as text
        attrs_col = lines[i].find("{") if m.group(2) is not None and "=" in m.group(2) else -1
        blocks.append((i, same[k], attrs_col))
        after = same[k]
    return blocks


def _backslashes_before(text: str, i: int) -> int:
    j = i
    while j > 0 and text[j - 1] == "\\":
        j -= 1
    return i - j


_BLANK_AFTER_RE = re.compile(r"\n[ \t]*(?=\n|$)")  # the end of a paragraph: a blank line after it


def _code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inline code spans Python-Markdown is certain to make.

    Markdown pairs a run of backticks (not preceded by an odd number of backslashes) with the
    next run of the same length anywhere in the paragraph, else falls back to a shorter one.
    Which block a line ends up in (a heading, a quote, a table cell) can change that pairing
    whenever it reaches past the end of a line. So in each paragraph (text between blank lines)
    spans are taken in order while every one closes on its own line with a run of the same
    length; from the first that does not, nothing more of that paragraph is blanked. Spans on
    lines with ``|`` (table rows, split into cells with a pairing of their own) are not blanked.
    """
    spans: list[tuple[int, int]] = []
    at = text.find("`")
    while at >= 0:
        brk = _BLANK_AFTER_RE.search(text, at)
        end = brk.start() if brk else len(text)  # the end of this paragraph
        line_end = -1
        piped = False
        while True:
            run = _BACKTICKS_RE.search(text, at, end)
            if run is None:
                break
            start, n = run.start(), run.end() - run.start()
            if start > line_end:
                first = text.rfind("\n", 0, start) + 1
                line_end = text.find("\n", start, end)
                line_end = end if line_end < 0 else line_end
                piped = "|" in text[first:line_end]
            if _backslashes_before(text, start) % 2:  # an escaped backtick opens nothing
                start, n = start + 1, n - 1
            at = run.end()
            if not n:
                continue
            close = _BACKTICKS_RE.search(text, at, line_end)
            while close is not None and close.end() - close.start() != n:
                close = _BACKTICKS_RE.search(text, close.end(), line_end)
            if close is not None:
                if not piped:
                    spans.append((start, close.end()))
                at = close.end()
                continue
            break  # paired beyond this line, or not at all: stop trusting this paragraph
        at = text.find("`", end)
    return spans


@dataclass
class _Masked:
    """The body with code blanked (columns kept) in two ways: with spaces, for the link,
    heading and placeholder checks; and with a filler character that, like Markdown's own
    placeholders, is neither a space nor part of any markup, for reading raw HTML."""

    text: str
    for_html: str
    fence_attrs: list[int]  # offsets of ``{…=…}`` on opening fences


_FILL = "\x02"  # Markdown strips it from the source, so it cannot stand for anything else


def _mask(body: str) -> _Masked:
    fence_attrs: list[int] = []
    if "```" in body or "~~~" in body:
        lines = body.split("\n")
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        for first, last, attrs_col in _fenced_blocks(lines):
            if attrs_col >= 0:
                fence_attrs.append(starts[first] + attrs_col)
            for i in range(first, last + 1):
                lines[i] = " " * len(lines[i])
        body = "\n".join(lines)
    spans = _code_spans(body)
    if not spans:
        return _Masked(body, body, fence_attrs)
    text, html_text, at = [], [], 0
    for start, end in spans:
        text += [body[at:start], " " * (end - start)]
        html_text += [body[at:start], _FILL * (end - start)]
        at = end
    text.append(body[at:])
    html_text.append(body[at:])
    return _Masked("".join(text), "".join(html_text), fence_attrs)


class _Positions:
    """Offsets in the body -> (file line, column)."""

    def __init__(self, text: str, first_line: int):
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self.first_line = first_line

    def __call__(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.first_line + i, offset - self.starts[i] + 1


def check_body(raw: RawEntry, body: str, body_line: int) -> tuple[list[Problem], list[str], list[Link]]:
    """Every check is a linear pass over the code-masked body (a compiled regular expression
    where one is enough, a scanner where a regular expression would backtrack)."""
    path = raw.source.path
    problems: list[Problem] = []
    links: list[Link] = []
    masked = _mask(body)
    text = masked.text
    pos = _Positions(text, body_line)
    problems.extend(_check_control_chars(path, pos, body))
    headings = [m.group(2) for m in HEADING_RE.finditer(text) if len(m.group(1)) >= 2]
    html_text = _fill_autolinks(masked.for_html) if "<" in text else masked.for_html
    lines = _Lines(html_text, pos.starts)  # masking keeps every line break where it is
    if "<" in text:
        for m in _BODY_PLACEHOLDER_RE.finditer(text):
            problems.append(problem(path, *pos(m.start()), "placeholder", field="body"))
        problems.extend(_check_markup(path, pos, masked.for_html, html_text, body, lines))
    problems.extend(_check_attr_lists(path, pos, text, body, masked.fence_attrs, _Lines(text, pos.starts)))
    targets: list[tuple[int, int, str, bool]] = []  # line, column, raw target, is image
    if "]" in text:
        for m in REF_DEF_RE.finditer(text):
            targets.append((*pos(m.start(1)), m.group(1), False))
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
    problems.extend(found)
    problems.extend(_check_paragraph_complexity(path, pos, text))
    for section in raw.kind.sections:
        if not any(section.matches(h) for h in headings):
            problems.append(problem(path, body_line, 1, "section-missing", zh=section.zh, en=section.en))
    return problems, headings, links


class _NextChar:
    """The next position of a character at or after a growing offset: each call costs
    O(1) amortised, where ``str.find`` from every candidate would rescan the same text."""

    def __init__(self, text: str, char: str):
        self.text, self.char, self.found = text, char, -2

    def __call__(self, at: int) -> int:
        if self.found == -1 or (self.found >= at):
            return self.found
        self.found = self.text.find(self.char, at)
        return self.found


def _inline_links(text: str, lines: _Lines, source: str | None = None) -> list[tuple[int, str, bool]]:
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
    next_paren, next_gt, next_nl = _NextChar(text, ")"), _NextChar(text, ">"), _NextChar(text, "\n")
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


_BLANK_LINE_RE = re.compile(r"^[ \t]*$", re.M)
_TAG_OPEN_RE = re.compile(r"<(?:[A-Za-z!?]|/[A-Za-z])")
_TAG_NAME_RE = re.compile(r"</?([A-Za-z][^\t\n\f\r />]{0,63})")  # a prefix: enough to tell, and linear
# Python-Markdown's own patterns, compiled as its inline processor compiles them.
_MD_AUTOLINK_RE = re.compile(f"{MD_AUTOLINK_RE}|{MD_AUTOMAIL_RE}", re.DOTALL | re.UNICODE)
_MD_LINK_DEST_RE = LinkInlineProcessor.RE_LINK
_MD_REFERENCE_RE = ReferenceProcessor.RE
_SETEXT_UNDERLINE_RE = re.compile(r"[=-]+[ ]*")
# What an allowed tag must look like to be published as written: on one line, attributes
# separated by spaces, values without characters that Markdown (links, code, autolinks,
# escapes, table cells) or the browser (quotes, brackets) could read another way.
_SAFE_VALUE = r"""(?:"[^"<>`\[\]|\\\n]*+"|'[^'<>`\[\]|\\\n]*+'|[^\s"'=<>`\[\]|\\]++)"""
_STRICT_START_RE = re.compile(
    rf"<[A-Za-z]++(?:[ \t]++(?:title|lang)(?:[ \t]*+=[ \t]*+{_SAFE_VALUE})?+)*+[ \t]*+/?>", re.I)
_STRICT_END_RE = re.compile(r"</[A-Za-z]++[ \t]*+>")
_HTML_WS = "\t\n\f\r "
_HTML_WS_RE = re.compile(r"[\t\n\f\r ]*")
_NAME_REST_RE = re.compile(r"[^\t\n\f\r />]*")
_ATTR_NAME_REST_RE = re.compile(r"[^\t\n\f\r /=>]*")
_UNQUOTED_VALUE_RE = re.compile(r"[^\t\n\f\r >]*")
MAX_ATTRIBUTES_READ = 64


def _read_tag(text: str, start: int, end: int) -> tuple[str, list[str], int | None]:
    """A start or end tag as the HTML standard's tokenizer reads it (tag name, attribute
    names, both lower-cased, and the offset after its ``>``), within ``text[start:end]``;
    the offset is None when the tag does not end there."""
    m = _TAG_NAME_RE.match(text, start, end)
    name, i, state, attrs = m.group(1).lower(), m.end(), "before-name", []
    i = _NAME_REST_RE.match(text, i, end).end()
    while i < end:
        c = text[i]
        if c in _HTML_WS:
            i = _HTML_WS_RE.match(text, i, end).end()
            if state in ("after-value", "before-name"):
                state = "before-name"
            continue
        if c == ">":
            return name, attrs, i + 1
        if state == "before-value":
            if c in "\"'":
                close = text.find(c, i + 1, end)
                if close < 0:
                    return name, attrs, None
                i, state = close + 1, "after-value"
            else:
                i, state = _UNQUOTED_VALUE_RE.match(text, i, end).end(), "before-name"
            continue
        if c == "/":
            if text.startswith(">", i + 1):
                return name, attrs, i + 2
            i, state = i + 1, "before-name"
            continue
        if c == "=" and state == "after-name":
            i, state = i + 1, "before-value"
            continue
        # A new attribute: its first character may be "=" (before-name, after-value states).
        j = _ATTR_NAME_REST_RE.match(text, i + 1, end).end()
        if len(attrs) < MAX_ATTRIBUTES_READ:
            attrs.append(text[i:j].lower())
        i, state = j, "after-name"
    return name, attrs, None


class _Lines:
    """Line facts of a text, computed once: where a line starts and ends, where its first
    non-blank character is, whether it holds a ``|``."""

    _NOT_BLANK = re.compile(r"[^\S\n]*")

    def __init__(self, text: str, starts: list[int] | None = None):
        self.text = text
        self.starts = starts if starts is not None else [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self._first: dict[int, int] = {}
        self._pipe: dict[int, bool] = {}
        self._pairs: dict[int, dict[int, int]] = {}

    def index(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def start(self, i: int) -> int:
        return self.starts[i]

    def end(self, i: int) -> int:
        return self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)

    def first_char(self, i: int) -> int:
        if i not in self._first:
            self._first[i] = self._NOT_BLANK.match(self.text, self.starts[i]).end()
        return self._first[i]

    def has_pipe(self, i: int) -> bool:
        if i not in self._pipe:
            self._pipe[i] = "|" in self.text[self.start(i):self.end(i)]
        return self._pipe[i]

    def brackets(self, i: int) -> dict[int, int]:
        """The ``]`` of line ``i`` that close a ``[`` of the same line, as Markdown's bracket
        counting pairs them (escaped brackets do not count): offset of ``]`` -> of ``[``."""
        if i not in self._pairs:
            closed, stack = {}, []
            escapes = "\\" in self.text[self.start(i):self.end(i)]
            for m in _BRACKET_RE.finditer(self.text, self.start(i), self.end(i)):
                if escapes and _backslashes_before(self.text, m.start()) % 2:
                    continue
                if m.group(0) == "[":
                    stack.append(m.start())
                elif stack:
                    closed[m.start()] = stack.pop()
            self._pairs[i] = closed
        return self._pairs[i]


_BRACKET_RE = re.compile(r"[\[\]]")


def _is_link_destination(text: str, lines: _Lines, q: int) -> bool:
    """Whether the ``<`` at ``q`` opens the destination of a link Python-Markdown makes,
    ``[text](<destination>)``: the link pattern runs before raw HTML is looked for, and
    makes the destination an attribute. Only the sure case counts: brackets closing on the
    same line, nothing escaped, no table cell in between."""
    paren = q - 1
    while paren >= 0 and text[paren] in " \t":
        paren -= 1
    if paren < 1 or text[paren] != "(" or text[paren - 1] != "]":
        return False
    line = lines.index(q)
    first = lines.start(line)
    if paren < first or lines.has_pipe(line) or _backslashes_before(text, paren - 1) % 2:
        return False
    m = _MD_LINK_DEST_RE.match(text, paren)
    if not m or m.start(1) != q or "\\" in m.group(0):
        return False
    return paren - 1 in lines.brackets(line)


def _is_reference_destination(text: str, lines: _Lines, q: int, cache: dict[int, int]) -> bool:
    """Whether the ``<`` at ``q`` is the destination of a reference definition
    ``[name]: <destination>`` on one line, which Python-Markdown removes from the page."""
    line = lines.index(q)
    if line not in cache:
        cache[line] = -1
        first, last = lines.start(line), lines.end(line)
        if text.startswith("[", lines.first_char(line)) and not lines.has_pipe(line):
            m = _MD_REFERENCE_RE.match(text[first:last])
            following = text[last + 1:lines.end(line + 1)] if line + 1 < len(lines.starts) else ""
            if m and not _SETEXT_UNDERLINE_RE.fullmatch(following):  # else the line is a heading
                cache[line] = first + m.start(2)
    return cache[line] == q


def _fill_autolinks(text: str) -> str:
    """Autolinks (``<https://…>``, ``<someone@example.org>``) filled like code: Markdown makes
    them links before it looks for raw HTML. Only those on one line without a backslash (an
    escaped ``>`` would end them elsewhere for Markdown) or a backtick."""
    if "@" not in text and "://" not in text:
        return text
    parts, at = [], 0
    for m in _MD_AUTOLINK_RE.finditer(text):
        if "\n" in m.group(0) or "\\" in m.group(0) or "`" in m.group(0):
            continue  # a code span Markdown makes could start or end inside it
        parts += [text[at:m.start()], _FILL * (m.end() - m.start())]
        at = m.end()
    return "".join(parts) + text[at:] if parts else text


MAX_MARKUP_PROBLEMS = 200


def _check_markup(path: str, pos: _Positions, unfilled: str, text: str, original: str, lines: _Lines) -> list[Problem]:
    """Raw HTML is not published as HTML: only a small allow-list of inline tags passes.

    Python-Markdown publishes raw HTML in two ways: a tag its inline HTML pattern matches in a
    paragraph (after it has put placeholders for code, links and autolinks in the text), and a
    raw block starting at the beginning of a line (a block-level tag, a comment, a
    declaration), which may run over several paragraphs. So every ``<`` that starts a tag for
    the HTML standard's tokenizer (``<`` and a letter, ``</`` and a letter, ``<!``, ``<?``) is
    refused when a ``>`` follows in its paragraph (after it, anywhere, at the start of a line),
    unless it is an allowed tag written plainly (:data:`_STRICT_START_RE`), an autolink, or the
    ``<destination>`` of a link. Its attributes are read as a browser reads them, however they
    are separated (spaces, tabs, line breaks, slashes). Comments are refused wherever they are.
    Text such as ``a < b`` or ``x<y`` with no ``>`` after it is shown as text, and left alone.
    """
    out: list[Problem] = []
    # ``text`` has autolinks filled (see _fill_autolinks), ``unfilled`` not: ">" is looked for
    # there, because a code span Markdown makes where this check does not dare to (see
    # _code_spans) may hide an autolink's "<" and leave its ">".
    para_end = [m.start() for m in _BLANK_LINE_RE.finditer(text)]
    next_lt = _NextChar(text, "<")
    # Raw blocks are taken from the text before code and autolinks are: look there for their ">".
    raw_gt = original.rfind(">")
    opened: set[str] = set()
    allowed = ", ".join(sorted(ALLOWED_TAGS))
    references: dict[int, int] = {}
    end = -1  # the end of the current paragraph
    gt = -2  # the first ">" at or after the current "<"
    for mo in _TAG_OPEN_RE.finditer(text):
        if len(out) >= MAX_MARKUP_PROBLEMS:
            break  # the entry is refused anyway: a screenful is enough to fix it
        q = mo.start()
        if text[q - 1] in "( \t" and _is_link_destination(text, lines, q):
            continue  # [text](<destination>): never at the start of a line, so never a raw block
        if text.startswith("<!--", q):
            out.append(problem(path, *pos(q), "html-comment"))
            continue
        if q > end:
            k = bisect.bisect_right(para_end, q)
            end = para_end[k] if k < len(para_end) else len(text)
        if gt == -2 or -1 < gt < q:
            gt = unfilled.find(">", q)
        in_paragraph = 0 <= gt < end
        before = text[q - 1] if q else "\n"
        raw_block = q < raw_gt and (before == "\n" or (before.isspace() and lines.first_char(lines.index(q)) == q))
        if text[q + 1] in "!?":
            if in_paragraph or raw_block:
                out.append(problem(path, *pos(q), "html-markup", markup=text[q:q + 2]))
            continue
        if not (in_paragraph or raw_block):
            continue  # no ">" after it: Markdown shows it as text
        name = _TAG_NAME_RE.match(text, q).group(1).lower()
        closing = text[q + 1] == "/"
        if name in ALLOWED_TAGS:
            if not in_paragraph:
                continue
            strict = (_STRICT_END_RE if closing else _STRICT_START_RE).match(original, q)
            if strict and text[q:strict.end()] == original[q:strict.end()]:
                continue
            # Read to the first "<" or ">" at most: enough to name an attribute, and linear.
            nxt = next_lt(q + 1)
            stop = min(end, gt + 1, nxt if nxt >= 0 else end)
            bad = sorted(set(_read_tag(text, q, stop)[1]) - ALLOWED_ATTRS)
            if bad and not closing:
                out.append(problem(path, *pos(q), "raw-html-attribute", tag=name, attribute=bad[0]))
            else:
                out.append(problem(path, *pos(q), "raw-html-malformed", tag=name))
            continue
        if not raw_block and text[q - 1] in " \t:" and _is_reference_destination(text, lines, q, references):
            continue
        if closing and name in opened:
            continue  # the closing tag of one already reported
        autolink = AUTOLINK_RE.match(text, q)
        if autolink and autolink.group(1).split(":", 1)[0].lower() not in SAFE_SCHEMES:
            continue  # <javascript:…> is reported by the link check, as link-unsafe
        opened.add(name)
        out.append(problem(path, *pos(q), "raw-html", tag=name, allowed=allowed))
    return out


_CONTROL_CHAR_RE = NOT_TEXT_RE  # the same characters text values may not hold
_CONTROL_NAMES = {"\x00": "NULL", "\x08": "BACKSPACE", "\x0b": "LINE TABULATION", "\x0c": "FORM FEED",
                  "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE"}  # unicodedata names no control
MAX_CONTROL_CHAR_PROBLEMS = 100


def _check_control_chars(path: str, pos: _Positions, body: str) -> list[Problem]:
    """Invisible characters that change how text reads (bidirectional overrides and
    isolates, the trick of "Trojan Source") or that no text should hold (control characters
    but tab and line feed, noncharacters): the first of each line, at its position."""
    out: list[Problem] = []
    at = 0
    while len(out) < MAX_CONTROL_CHAR_PROBLEMS:
        m = _CONTROL_CHAR_RE.search(body, at)
        if not m:
            break
        ch = m.group(0)
        name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ch) or "CONTROL CHARACTER"
        out.append(problem(path, *pos(m.start()), "body-control-char", char=f"U+{ord(ch):04X}", name=name))
        nl = body.find("\n", m.end())
        if nl < 0:
            break
        at = nl + 1
    return out


_ATTR_LIST_RE = re.compile(r"\{\:?[ ]*([^\}\n ][^\n]*)\}")  # attr_list's BASE_RE, on one "{…}"
_CLASS_ID_ONLY_RE = re.compile(r"(?:[.#][^ =}]*+[ ]*+)++")
_PURE_ATTR_LIST_RE = re.compile(r"\{:?[ ]*+(?:(?:\.[\w-]++|#(?!__)[\w-]++)[ ]*+)*+\}")
_AFTER_INLINE_ELEMENT = set("*_)]>`")  # what ends emphasis, code, a link, an image, an autolink
MAX_ATTR_LISTS_PER_LINE = 20


def _attr_list_context(text: str, original: str, lines: _Lines, line: int, brace: int, close: int) -> bool:
    """Whether attr_list reads the ``{`` at ``brace`` (to ``close``, the line's last ``}``):
    alone on its line (the end of a block), right after an inline element, or at the end of a
    heading, table cell or definition term."""
    if brace == lines.first_char(line):
        return True
    if original[brace - 1] in _AFTER_INLINE_ELEMENT:
        return True
    end = lines.end(line)
    if original[brace - 1] != " " or text[close + 1:end].strip(" "):
        return False
    first = lines.first_char(line)
    following = text[lines.start(line + 1):lines.end(line + 1)] if line + 1 < len(lines.starts) else ""
    return (text.startswith("#", first) or lines.has_pipe(line) or bool(_SETEXT_UNDERLINE_RE.fullmatch(following))
            or following.startswith(": "))


def _check_attr_lists(path: str, pos: _Positions, text: str, original: str, fence_attrs: list[int],
                      lines: _Lines) -> list[Problem]:
    """``{: onclick=…}``: Python-Markdown's attr_list reads a ``{`` to the last ``}`` of the
    same line (it never spans lines) and sets what it finds there as attributes: ``key=value``
    and bare words (``{onclick}``) alike. Only ``{#id}`` and ``{.class}`` are accepted: a
    ``{`` followed on its line by ``=`` and a later ``}`` is refused anywhere, and any other
    word where attr_list reads it. So is ``{…=…}`` on the opening line of a fenced code block,
    which fenced_code reads the same way."""
    out = [problem(path, *pos(offset), "attr-list") for offset in fence_attrs]
    if "{" not in text or "}" not in text:
        return out
    at = 0
    while len(out) < MAX_MARKUP_PROBLEMS:
        brace = text.find("{", at)
        if brace < 0:
            return out
        line = lines.index(brace)
        line_end = lines.end(line)
        at = line_end + 1
        close = text.rfind("}", brace, line_end)
        if close < 0:
            continue
        if text.rfind("=", brace, close) > brace:
            out.append(problem(path, *pos(brace), "attr-list"))
            continue
        if _PURE_ATTR_LIST_RE.fullmatch(text, brace, close + 1):
            continue  # {: #id .class}: what attr_list may do
        seen = 0
        while 0 <= brace < close and seen < MAX_ATTR_LISTS_PER_LINE:
            if _attr_list_context(text, original, lines, line, brace, close):
                seen += 1
                m = _ATTR_LIST_RE.fullmatch(text, brace, close + 1)
                if m and not _CLASS_ID_ONLY_RE.fullmatch(m.group(1)):
                    keys = {key for key, _ in get_attrs_and_remainder(m.group(1))[0]}
                    if keys - {".", "id"}:  # anything but {.class} and {#id}
                        out.append(problem(path, *pos(brace), "attr-list"))
                        break
            brace = text.find("{", brace + 1, close)
    return out


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


MAX_LINK_PROBLEMS = 200


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
    kind = seen.get(resolved) if seen is not None else None
    if kind is None:
        content_dir = raw.abs_path.parents[raw.rel.count("/")]
        target_path = content_dir / resolved
        if _is_dir(target_path):
            kind = "folder" if _is_file(target_path / "index.md") else "missing-folder"
        else:
            kind = "file" if _is_file(target_path) else "missing"
        if seen is not None:
            seen[resolved] = kind
    if kind in ("folder", "missing-folder"):
        problems.append(problem(path, line, col, "link-folder" if kind == "folder" else "link-broken", target=resolved))
        return None
    if kind == "missing":
        problems.append(problem(path, line, col, "link-broken", target=target))
        return None
    return Link(target=resolved, line=line, column=col, is_image=is_image)


# A path a contributor wrote can be one the file system refuses to look at (a name longer
# than it allows, which a few hundred Thai or Arabic letters already are; a folder we may
# not read): for these checks that is a file that is not there, never an exception.

def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _is_symlink(path: Path) -> bool:
    try:
        return path.is_symlink()
    except (OSError, ValueError):
        return False


def _names_in(folder: Path) -> list[str]:
    try:
        return [p.name for p in folder.iterdir()]
    except (OSError, ValueError):
        return []


def _check_related(raw: RawEntry, data: dict, problems: list[Problem]) -> list[Link]:
    """``related: [folder/slug, …]`` must name existing entries; they become links, so that
    the cross-entry check also refuses a public entry pointing at an internal one."""
    out = []
    content_dir = raw.abs_path.parents[raw.rel.count("/")]
    listed: dict[str, list[str]] = {}  # each folder is listed once, however many references miss
    suggested = 0  # and fuzzy suggestions are made for the first few misses only
    for i, ref in enumerate(data.get("related") or []):
        node = _field_node(raw, "related", i)
        line, col = raw.source.loc.pos(node) if node is not None else (raw.source.fence_line, 1)
        folder, slug = ref.split("/", 1)
        target = next((rel for rel in (f"{ref}.md", f"{ref}/index.md") if _is_file(content_dir / rel)), None)
        if folder not in KINDS_BY_FOLDER or target is None:
            near: list[str] = []
            if suggested < RELATED_SUGGESTIONS:
                suggested += 1
                if folder in KINDS_BY_FOLDER and _is_dir(content_dir / folder):
                    if folder not in listed:
                        listed[folder] = [name.removesuffix(".md") for name in _names_in(content_dir / folder)]
                    near = [f"{folder}/{n}" for n in did_you_mean(slug, listed[folder])]
                else:
                    near = [f"{n}/{slug}" for n in did_you_mean(folder, KINDS_BY_FOLDER)]
            problems.append(problem(raw.source.path, line, col, "related-missing", target=ref, suggestions=near))
            continue
        if target != raw.rel:
            out.append(Link(target=target, line=line, column=col, is_image=False))
    return out


RELATED_SUGGESTIONS = 20


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
        size = _size(f) if f is not None and _is_file(f) and not _is_symlink(f) else None
        if size is None:
            node = _field_node(raw, "attachments", i, "file")
            line, col = raw.source.loc.pos(node) if node is not None else (raw.source.fence_line, 1)
            problems.append(problem(path, line, col, "attachment-missing", file=item["file"],
                                    available=", ".join(raw.bundle_files) or "-"))
            continue
        out.append({**item, "size": size})
    return out


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except (OSError, ValueError):
        return None


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
