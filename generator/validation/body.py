"""The checks of an entry's body: headings and required sections (present, not empty, not
the template's text), placeholders, invisible characters, raw HTML, tables pasted as text,
attribute lists, links, and Markdown too costly to render. Every check is a linear pass over
the code-masked body."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..core.escape import NOT_TEXT_RE, not_text_re
from ..core.problems import Level, Problem, problem
from ..model.fieldbase import PLACEHOLDER_END, PLACEHOLDER_START, body_placeholder
from .bodyhtml import MAX_MARKUP_PROBLEMS, check_markup, fill_autolinks
from .bodytext import SETEXT_UNDERLINE_RE, Lines, Positions, attr_list_parse, mask
from .links import Link, check_links
from .loading import RawEntry

HEADING_RE = re.compile(r"^(#{1,6})[ \t]+([^\n]+?)[ \t]*#*[ \t]*$", re.M)
_BODY_PLACEHOLDER_RE = re.compile(r"<(?:請填寫|fill in)[^<>]*>", re.IGNORECASE)


def check_body(raw: RawEntry, body: str, body_line: int) -> tuple[list[Problem], list[str], list[Link]]:
    """Every check is a linear pass over the code-masked body (a compiled regular expression
    where one is enough, a scanner where a regular expression would backtrack)."""
    path = raw.source.path
    problems: list[Problem] = []
    masked = mask(body)
    text = masked.text
    pos = Positions(text, body_line)
    problems.extend(_check_control_chars(path, pos, body))
    found_headings = _find_headings(text, pos.starts)
    headings = [h[3] for h in found_headings if h[2] >= 2]
    sections = raw.kind.sections
    firsts = _first_headings(sections, found_headings)
    section_problems, templated = _check_sections(path, pos, sections, body, found_headings, firsts)
    problems.extend(section_problems)
    html_text = fill_autolinks(masked.for_html) if "<" in text else masked.for_html
    lines = Lines(html_text, pos.starts)  # masking keeps every line break where it is
    tables: list[tuple[int, int]] = []  # pasted HTML tables, each reported once
    if "<" in text:
        for m in _BODY_PLACEHOLDER_RE.finditer(text):
            if m.start() not in templated:
                problems.append(problem(path, *pos(m.start()), "placeholder", field="body"))
        problems.extend(check_markup(path, pos, masked.for_html, html_text, body, lines, tables))
    if "\t" in text:
        problems.extend(_check_tab_tables(path, pos, text))
    problems.extend(_check_attr_lists(path, pos, text, body, masked.fence_attrs, Lines(text, pos.starts)))
    links, found = check_links(raw, text, body, pos, lines)
    if tables:  # Word's <o:p> in a pasted table reads as a link with the scheme "o:"
        spans = [(pos(a), pos(b)) for a, b in tables]
        found = [p for p in found if not any(a <= (p.line, p.column) < b for a, b in spans)]
    problems.extend(found)
    problems.extend(_check_paragraph_complexity(path, pos, text))
    for section, first in zip(sections, firsts):
        if first is None:  # no heading of level 2 or more names it
            problems.append(problem(path, body_line, 1, "section-missing", zh=section.zh, en=section.en))
    return problems, headings, links


def _find_headings(text: str, line_starts: list[int]) -> list[tuple[int, int, int, str]]:
    """(start, end, level, text) of each ATX heading: HEADING_RE's matches, looked for only
    where a line starts with "#" (the only places it can match; searching the whole text
    tried every character)."""
    found = []
    for at in line_starts:
        if text.startswith("#", at):
            m = HEADING_RE.match(text, at)
            if m:
                found.append((m.start(), m.end(), len(m.group(1)), m.group(2)))
    return found


def _first_headings(sections, headings: list[tuple[int, int, int, str]]) -> list[int | None]:
    """For each section, the index of the first heading of level 2 or more that names it, or None."""
    folded = [(k, h[3].casefold()) for k, h in enumerate(headings) if h[2] >= 2]
    firsts: list[int | None] = []
    for section in sections:
        firsts.append(next((k for k, h in folded if section.matches_casefolded(h)), None))
    return firsts


def _squash(text: str) -> str:
    """Runs of white space (Unicode's, as ``\\s`` reads it) as one space, none at the ends."""
    return " ".join(text.split())  # as re.sub(r"\s+", " ", text).strip(), eight times faster


def _unbracket(text: str) -> str:
    """A placeholder's words, without the brackets around them (removed by hand, or one of them)."""
    return text.removeprefix(PLACEHOLDER_START[0]).removesuffix(PLACEHOLDER_END).strip()


@lru_cache(maxsize=64)
def _template_texts(sections: tuple) -> tuple[frozenset[str], frozenset[str]]:
    """What the template writes under each of these sections, squashed; and without its brackets."""
    written = frozenset(_squash(body_placeholder(s.zh, s.en)) for s in sections)
    return written, frozenset(_unbracket(w) for w in written)


def _check_sections(path: str, pos: Positions, sections, body: str, headings: list[tuple[int, int, int, str]],
                    firsts: list[int | None] | None = None) -> tuple[list[Problem], set[int]]:
    """The first heading of each required section, with nothing under it (up to the next
    heading of its level or higher; its own subheadings do not count) or only the text the
    template (``kb new``) wrote there: a problem on the heading's line. The offsets of the
    template's placeholders so reported are returned, not to report them again.

    A required section with nothing under it is an error, as a missing one is: the form and
    the editor ask for it as required, and a file must not publish an empty heading.

    The placeholder as the template wrote it is an error, as every ``<請填寫 …>`` is (an
    entry holding one is not published); the same words with the brackets removed are a
    warning."""
    out: list[Problem] = []
    templated: set[int] = set()
    if not sections:
        return out, templated
    written, unbracketed = _template_texts(tuple(sections))
    done: set[int] = set()
    if firsts is None:
        firsts = _first_headings(sections, headings)
    for section, i in zip(sections, firsts):
        if i is None or i in done:
            continue  # missing: reported as such
        done.add(i)
        start, end, level, _ = headings[i]
        parts, at = [], end
        for k in range(i + 1, len(headings)):
            if headings[k][2] <= level:
                break
            parts.append(body[at:headings[k][0]])  # a subheading's own line is not content
            at = headings[k][1]
        else:
            k = len(headings)
        parts.append(body[at:headings[k][0] if k < len(headings) else len(body)])
        content = _squash("".join(parts))
        line, col = pos(start)
        if not content:  # a required section: empty is as missing (#24)
            out.append(problem(path, line, col, "body-section-empty", zh=section.zh, en=section.en))
        elif content in written:
            templated.add(body.find(PLACEHOLDER_START, end))
            out.append(problem(path, line, col, "body-section-template", zh=section.zh, en=section.en))
        elif _unbracket(content) in unbracketed:
            out.append(problem(path, line, col, "body-section-template", level=Level.WARNING, zh=section.zh,
                               en=section.en))
    return out, templated


MIN_TAB_TABLE_ROWS = 2
MAX_TAB_TABLE_PROBLEMS = 20


def _check_tab_tables(path: str, pos: Positions, text: str) -> list[Problem]:
    """Lines of cells separated by tabs, as Word or a spreadsheet copies a table: Markdown
    shows them as one run of text. One warning per run of such lines, on its first."""
    out: list[Problem] = []
    run_start, run = -1, 0
    at = 0
    for line in text.split("\n"):
        cells = sum(1 for cell in line.split("\t") if cell.strip()) if "\t" in line else 0
        if cells >= 2:
            if run == 0:
                run_start = at
            run += 1
        else:
            if run >= MIN_TAB_TABLE_ROWS:
                out.append(problem(path, *pos(run_start), "body-tab-table", level=Level.WARNING, count=run))
            run = 0
        if len(out) >= MAX_TAB_TABLE_PROBLEMS:
            return out
        at += len(line) + 1
    if run >= MIN_TAB_TABLE_ROWS:
        out.append(problem(path, *pos(run_start), "body-tab-table", level=Level.WARNING, count=run))
    return out


_CONTROL_CHAR_RE = NOT_TEXT_RE  # the same characters text values may not hold
_CONTROL_NAMES = {"\x00": "NULL", "\x08": "BACKSPACE", "\x0b": "LINE TABULATION", "\x0c": "FORM FEED",
                  "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE"}  # unicodedata names no control
MAX_CONTROL_CHAR_PROBLEMS = 100


def _check_control_chars(path: str, pos: Positions, body: str) -> list[Problem]:
    """Invisible characters that change how text reads (bidirectional overrides and
    isolates, the trick of "Trojan Source") or that no text should hold (control characters
    but tab and line feed, noncharacters): the first of each line, at its position."""
    out: list[Problem] = []
    at = 0
    found = not_text_re(body)  # _CONTROL_CHAR_RE, or its faster equal for this body
    while len(out) < MAX_CONTROL_CHAR_PROBLEMS:
        m = found.search(body, at)
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


def _attr_list_context(text: str, original: str, lines: Lines, line: int, brace: int, close: int) -> bool:
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
    return (text.startswith("#", first) or lines.has_pipe(line) or bool(SETEXT_UNDERLINE_RE.fullmatch(following))
            or following.startswith(": "))


def _check_attr_lists(path: str, pos: Positions, text: str, original: str, fence_attrs: list[int],
                      lines: Lines) -> list[Problem]:
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
                    keys = {key for key, _ in attr_list_parse(m.group(1))[0]}
                    if keys - {".", "id"}:  # anything but {.class} and {#id}
                        out.append(problem(path, *pos(brace), "attr-list"))
                        break
            brace = text.find("{", brace + 1, close)
    return out


MAX_BRACKETS_PER_PARAGRAPH = 300
MAX_NESTING = 20
_PARAGRAPH_RE = re.compile(r"(?:^[ \t]*\S[^\n]*(?:\n|$))+", re.M)
_DEEP_CANDIDATE_RE = re.compile(r"^(?:[ \t]{21,}\S|(?:[ \t]*(?:[-*+]|\d{1,9}[.)]|>)(?:[ \t]+|$)){21,})", re.M)
_BLOCK_MARKERS_RE = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)]|>)(?:[ \t]+|$))+")
_MARKER_RE = re.compile(r"(?:[-*+]|\d{1,9}[.)]|>)(?=[ \t]|$)")


# A definition line (": text", def_list's own pattern, tabs expanded as Markdown expands them).
_DEFINITION_RE = re.compile(r"^ {0,3}:[ \t]", re.M)
MAX_DEFINITIONS_PER_BLOCK = 100
# A heading as Markdown reads one: "#" to "######" alone or before a space, or a line of "=" or
# "-" under a line of text (setext). Counted generously: a rule "---" under text is one too.
_HEADING_LINE_RE = re.compile(r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|(?:=+|-+)[ \t]*$)", re.M)
MAX_HEADINGS = 200


def _check_paragraph_complexity(path: str, pos: Positions, masked: str) -> list[Problem]:
    """Python-Markdown's time grows with the square of unmatched brackets in a paragraph,
    and it recurses once per level of nested lists and quotes, and twice per definition in
    a run of definition-list lines with no blank line between them (about 400 overflow the
    stack, which stopped the whole build; one term with 3,000 definitions takes 2 s), and the
    table of contents' time grows with the square of the number of headings alike."""
    out = []
    # The table of contents gives each heading a unique id by trying _1, _2, … in turn: with the
    # same (or no) text, time grows with the square of their number (16,000 "#" lines: 7.5 s).
    if masked.count("\n") > MAX_HEADINGS:
        headings = [m for m in _HEADING_LINE_RE.finditer(masked)
                    if m.group(0).lstrip(" ")[:1] == "#" or (m.start() > 1 and masked[m.start() - 2] != "\n")]
        if len(headings) > MAX_HEADINGS:
            out.append(problem(path, pos(headings[MAX_HEADINGS].start())[0], 1, "body-headings",
                               count=len(headings), limit=MAX_HEADINGS))
    if masked.count(":") > MAX_DEFINITIONS_PER_BLOCK:
        for m in _PARAGRAPH_RE.finditer(masked):
            defs = list(_DEFINITION_RE.finditer(m.group(0)))
            if len(defs) > MAX_DEFINITIONS_PER_BLOCK:
                at = m.start() + defs[MAX_DEFINITIONS_PER_BLOCK].start()
                out.append(problem(path, pos(at)[0], 1, "body-definitions", count=len(defs),
                                   limit=MAX_DEFINITIONS_PER_BLOCK))
    # Tried at each line's start only, where its "^" can match (searching tried every character).
    for m in filter(None, (_DEEP_CANDIDATE_RE.match(masked, at) for at in pos.starts)):
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
