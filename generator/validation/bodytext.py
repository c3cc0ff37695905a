"""The entry body as Python-Markdown reads it, for the body checks: code blanked out,
offsets mapped to file lines and columns, and facts about each line computed once.

The checks look at the body with code blanked out: code is shown as text, so markup in it is
harmless. Blanking is the dangerous direction (what is blanked is never checked), so only what
Python-Markdown is certain to read as code is blanked; when in doubt nothing is, and everything
is checked. The rules below follow the installed Markdown (fenced_code, the backtick pattern).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass


def attr_list_parse(inside: str) -> tuple[list[tuple[str, str]], str]:
    """Python-Markdown's attr_list reading of what is inside ``{…}``: (key, value) pairs and
    what it could not read. Markdown is imported on first need (see
    :func:`generator.validation.bodyhtml._markdown_patterns`)."""
    from markdown.extensions.attr_list import get_attrs_and_remainder

    return get_attrs_and_remainder(inside)


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
        if not m or (m.group(2) is not None and attr_list_parse(m.group(2))[1]):
            continue  # not an opening fence for Markdown
        same = closers.get(m.group(1), [])
        k = bisect.bisect_right(same, i)
        if k == len(same):
            continue  # never closed: Markdown reads it as text
        attrs_col = lines[i].find("{") if m.group(2) is not None and "=" in m.group(2) else -1
        blocks.append((i, same[k], attrs_col))
        after = same[k]
    return blocks


def backslashes_before(text: str, i: int) -> int:
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
            if backslashes_before(text, start) % 2:  # an escaped backtick opens nothing
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
class Masked:
    """The body with code blanked (columns kept) in two ways: with spaces, for the link,
    heading and placeholder checks; and with a filler character that, like Markdown's own
    placeholders, is neither a space nor part of any markup, for reading raw HTML."""

    text: str
    for_html: str
    fence_attrs: list[int]  # offsets of ``{…=…}`` on opening fences


FILL = "\x02"  # Markdown strips it from the source, so it cannot stand for anything else


def mask(body: str) -> Masked:
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
        return Masked(body, body, fence_attrs)
    text, html_text, at = [], [], 0
    for start, end in spans:
        text += [body[at:start], " " * (end - start)]
        html_text += [body[at:start], FILL * (end - start)]
        at = end
    text.append(body[at:])
    html_text.append(body[at:])
    return Masked("".join(text), "".join(html_text), fence_attrs)


class Positions:
    """Offsets in the body -> (file line, column)."""

    def __init__(self, text: str, first_line: int):
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self.first_line = first_line

    def __call__(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.first_line + i, offset - self.starts[i] + 1


class NextChar:
    """The next position of a character at or after a growing offset: each call costs
    O(1) amortised, where ``str.find`` from every candidate would rescan the same text."""

    def __init__(self, text: str, char: str):
        self.text, self.char, self.found = text, char, -2

    def __call__(self, at: int) -> int:
        if self.found == -1 or (self.found >= at):
            return self.found
        self.found = self.text.find(self.char, at)
        return self.found


class Lines:
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
            m = self._NOT_BLANK.match(self.text, self.starts[i])
            assert m is not None  # a starred class matches, if only the empty string
            self._first[i] = m.end()
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
                if escapes and backslashes_before(self.text, m.start()) % 2:
                    continue
                if m.group(0) == "[":
                    stack.append(m.start())
                elif stack:
                    closed[m.start()] = stack.pop()
            self._pairs[i] = closed
        return self._pairs[i]


_BRACKET_RE = re.compile(r"[\[\]]")
_NEWLINE = re.compile(r"\n")
SETEXT_UNDERLINE_RE = re.compile(r"[=-]+[ ]*")  # the line under a setext heading
