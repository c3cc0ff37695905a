"""Raw HTML in an entry's body: every tag Python-Markdown would publish as HTML, read as the
HTML standard's tokenizer reads it, is refused unless it is an allowed inline tag with
allowed attributes, written plainly."""

from __future__ import annotations

import bisect
import re
from functools import cache

from ..core.escape import INLINE_TAGS, SAFE_SCHEMES
from ..core.problems import Problem, problem
from .bodytext import FILL, SETEXT_UNDERLINE_RE, Lines, NextChar, Positions, backslashes_before
from .links import AUTOLINK_RE

# Raw HTML a contributor may use: harmless inline formatting, no attributes but these.
ALLOWED_TAGS = INLINE_TAGS  # the allow-list the rendered body is cleaned to (generator/site/sanitize.py)
ALLOWED_ATTRS = {"title", "lang"}

_BLANK_LINE_RE = re.compile(r"^[ \t]*$", re.M)
_TAG_OPEN_RE = re.compile(r"<(?:[A-Za-z!?]|/[A-Za-z])")
_TAG_NAME_RE = re.compile(r"</?([A-Za-z][^\t\n\f\r />]{0,63})")  # a prefix: enough to tell, and linear


@cache
def _markdown_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Python-Markdown's own patterns (autolinks compiled as its inline processor compiles
    them), link destinations and reference definitions. Imported on first need: importing
    Markdown costs every kb validate 25 ms, and a body without ``<`` never needs them."""
    from markdown.blockprocessors import ReferenceProcessor
    from markdown.inlinepatterns import AUTOLINK_RE, AUTOMAIL_RE, LinkInlineProcessor

    return (re.compile(f"{AUTOLINK_RE}|{AUTOMAIL_RE}", re.DOTALL | re.UNICODE), LinkInlineProcessor.RE_LINK,
            ReferenceProcessor.RE)


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
# A table pasted from Word or a web page is one problem, on its first tag: every tag up to
# its </table> (cells, paragraphs, spans, comments Word writes) is covered by it.
TABLE_TAGS = frozenset({"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"})
_TABLE_TAG_RE = re.compile(r"<(/?)table(?=[\t\n\f\r />])", re.I)


_ANY_TABLE_TAG_RE = re.compile(r"</?(?:table|caption|colgroup|col|thead|tbody|tfoot|tr|th|td)(?=[\t\n\f\r />])[^>]*>?",
                               re.I)


def _table_end(text: str, start: int) -> int:
    """The end of the pasted table whose first tag is at ``start``: after the ``</table>``
    that closes it (tables inside it counted). Cells without their ``<table>``, or a table
    never closed, end after their last table tag: what follows is checked on its own."""
    if _TABLE_TAG_RE.match(text, start):
        depth = 0
        for m in _TABLE_TAG_RE.finditer(text, start):
            depth += -1 if m.group(1) else 1
            if depth <= 0:
                gt = text.find(">", m.end())
                return gt + 1 if gt >= 0 else len(text)
    end = start + 1
    for m in _ANY_TABLE_TAG_RE.finditer(text, start):
        end = m.end()
    return end


def _run_end(pattern: re.Pattern[str], text: str, i: int, end: int) -> int:
    """Where the run ``pattern`` (a starred character class) reads from ``i`` ends."""
    m = pattern.match(text, i, end)
    assert m is not None  # a starred class matches, if only the empty string
    return m.end()


def _read_tag(text: str, start: int, end: int) -> tuple[str, list[str], int | None]:
    """A start or end tag as the HTML standard's tokenizer reads it (tag name, attribute
    names, both lower-cased, and the offset after its ``>``), within ``text[start:end]``;
    the offset is None when the tag does not end there."""
    m = _TAG_NAME_RE.match(text, start, end)
    assert m is not None  # start is at a tag's "<" and a letter
    attrs: list[str] = []
    name, i, state = m.group(1).lower(), m.end(), "before-name"
    i = _run_end(_NAME_REST_RE, text, i, end)
    while i < end:
        c = text[i]
        if c in _HTML_WS:
            i = _run_end(_HTML_WS_RE, text, i, end)
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
                i, state = _run_end(_UNQUOTED_VALUE_RE, text, i, end), "before-name"
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
        j = _run_end(_ATTR_NAME_REST_RE, text, i + 1, end)
        if len(attrs) < MAX_ATTRIBUTES_READ:
            attrs.append(text[i:j].lower())
        i, state = j, "after-name"
    return name, attrs, None


def _is_link_destination(text: str, lines: Lines, q: int) -> bool:
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
    if paren < first or lines.has_pipe(line) or backslashes_before(text, paren - 1) % 2:
        return False
    m = _markdown_patterns()[1].match(text, paren)
    if not m or m.start(1) != q or "\\" in m.group(0):
        return False
    return paren - 1 in lines.brackets(line)


def _is_reference_destination(text: str, lines: Lines, q: int, cache: dict[int, int]) -> bool:
    """Whether the ``<`` at ``q`` is the destination of a reference definition
    ``[name]: <destination>`` on one line, which Python-Markdown removes from the page."""
    line = lines.index(q)
    if line not in cache:
        cache[line] = -1
        first, last = lines.start(line), lines.end(line)
        if text.startswith("[", lines.first_char(line)) and not lines.has_pipe(line):
            m = _markdown_patterns()[2].match(text[first:last])
            following = text[last + 1:lines.end(line + 1)] if line + 1 < len(lines.starts) else ""
            if m and not SETEXT_UNDERLINE_RE.fullmatch(following):  # else the line is a heading
                cache[line] = first + m.start(2)
    return cache[line] == q


def fill_autolinks(text: str) -> str:
    """Autolinks (``<https://…>``, ``<someone@example.org>``) filled like code: Markdown makes
    them links before it looks for raw HTML. Only those on one line without a backslash (an
    escaped ``>`` would end them elsewhere for Markdown) or a backtick."""
    if "@" not in text and "://" not in text:
        return text
    parts, at = [], 0
    for m in _markdown_patterns()[0].finditer(text):
        if "\n" in m.group(0) or "\\" in m.group(0) or "`" in m.group(0):
            continue  # a code span Markdown makes could start or end inside it
        parts += [text[at:m.start()], FILL * (m.end() - m.start())]
        at = m.end()
    return "".join(parts) + text[at:] if parts else text


MAX_MARKUP_PROBLEMS = 200


def check_markup(path: str, pos: Positions, unfilled: str, text: str, original: str, lines: Lines,
                 tables: list[tuple[int, int]] | None = None) -> list[Problem]:
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

    A table pasted as HTML (Word, a web page) is one problem, ``raw-html-table``, on its first
    tag: nothing up to its ``</table>`` is reported again (the offsets of each such table are
    added to ``tables``, for the other checks to do the same). A pasted ``<img>`` without
    event-handler attributes is ``raw-html-image``, whose hint says how to show a picture.
    """
    out: list[Problem] = []
    # ``text`` has autolinks filled (see fill_autolinks), ``unfilled`` not: ">" is looked for
    # there, because a code span Markdown makes where this check does not dare to (see
    # bodytext._code_spans) may hide an autolink's "<" and leave its ">".
    para_end = [m.start() for m in _BLANK_LINE_RE.finditer(text)]
    next_lt = NextChar(text, "<")
    # A raw block's ">" need not be in the body: the page goes on after it (the generator's closing
    # marker, then the theme's markup), so Markdown finds one there and the block swallows the rest
    # of the page. A tag at the start of a line is therefore a raw block, ">" or not.
    opened: set[str] = set()
    allowed = ", ".join(sorted(ALLOWED_TAGS))
    references: dict[int, int] = {}
    end = -1  # the end of the current paragraph
    gt = -2  # the first ">" at or after the current "<"
    table_end = -1  # the end of a pasted table already reported
    folder = bundle_folder(path)
    for mo in _TAG_OPEN_RE.finditer(text):
        if len(out) >= MAX_MARKUP_PROBLEMS:
            break  # the entry is refused anyway: a screenful is enough to fix it
        q = mo.start()
        if q < table_end:
            continue  # inside a pasted table: its one problem covers it
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
        raw_block = (before == "\n" or (before.isspace() and lines.first_char(lines.index(q)) == q))
        if text[q + 1] in "!?":
            if in_paragraph or raw_block:
                out.append(problem(path, *pos(q), "html-markup", markup=text[q:q + 2]))
            continue
        if not (in_paragraph or raw_block):
            continue  # no ">" after it: Markdown shows it as text
        m = _TAG_NAME_RE.match(text, q)
        assert m is not None  # "<" and a letter, or "</" and a letter: "<!" and "<?" are past
        name = m.group(1).lower()
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
        if name in TABLE_TAGS:
            table_end = _table_end(text, q)
            if tables is not None:
                tables.append((q, table_end))
            opened.update(TABLE_TAGS)  # closing tags left after it are covered too
            out.append(problem(path, *pos(q), "raw-html-table", tag=name))
            continue
        if name == "img" and not closing:
            nxt = next_lt(q + 1)
            stop = min(len(text), gt + 1 if gt >= 0 else len(text), nxt if nxt >= 0 else len(text))
            if not any(a.startswith("on") for a in _read_tag(text, q, stop)[1]):
                # A picture pasted from Word or a web page, not a script: say how to show one.
                out.append(problem(path, *pos(q), "raw-html-image", folder=folder))
                continue
        out.append(problem(path, *pos(q), "raw-html", tag=name, allowed=allowed))
    return out


def bundle_folder(path: str) -> str:
    """The folder of the entry at ``path`` (a display path) once it holds files:
    ``…/slug/`` for ``…/slug.md`` or ``…/slug/index.md``."""
    if path.endswith("/index.md"):
        return path[:-len("index.md")]
    return f"{path.removesuffix('.md')}/"
