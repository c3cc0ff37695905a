"""The generator's own HTML blocks pass the engine's Markdown unparsed.

A generated page is Markdown with the generator's markup in raw HTML blocks (the
summary, the fact panel, lists of entries, the citation) around the contributor's
body. Python-Markdown hands raw HTML through unchanged, but only after parsing
it with its pure-Python HTML parser to find where each block ends: at 2,000
entries that was about a fifth of the whole build, spent on markup the
generator had just written and escaped.

:func:`stash` takes those blocks out before the engine converts the page,
leaving a placeholder paragraph for each; :func:`restore` puts them back, as they
were, in the HTML the engine made. The output is the same HTML Markdown would
have made (a test converts every generated page both ways). The contributor's body,
between :data:`~generator.site.sanitize.BODY_START` and the last
:data:`~generator.site.sanitize.BODY_END`, is never stashed: the engine renders it and
the sanitiser cleans it as before. Placeholders carry a token drawn at random for
each build, which no contributor can know, and a page where a placeholder went
missing is refused (:class:`Unrestored`), never published without its markup.

A page written without the adapter (an engine run on the generated folder without
hooks) is plain Markdown with raw HTML and renders the same, only slower.
"""

from __future__ import annotations

import re
import secrets

from .sanitize import BODY_END, BODY_START

# Elements Python-Markdown treats as starting a raw HTML block (markdown.util.BLOCK_LEVEL_ELEMENTS
# and what the generator writes): a block opening with one of them is passed through as written.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "menu", "nav", "ol", "p",
    "pre", "section", "table", "ul", "canvas", "colgroup", "dd", "body", "dt", "group", "html", "iframe",
    "li", "legend", "math", "map", "noscript", "output", "object", "option", "progress", "script", "style",
    "summary", "tbody", "td", "textarea", "tfoot", "th", "thead", "tr", "video",
})
_OPENING = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s>]")
_MARKDOWN_INSIDE = re.compile(r"<[a-zA-Z][^>]*\smarkdown(?:[\s=>/])")  # md_in_html: Markdown within the block
_BLANK_LINES = re.compile(r"(\n(?:[ \t]*\n)+)")


class Unrestored(ValueError):
    """A page whose generated blocks could not all be put back."""


def new_token() -> str:
    """A placeholder prefix for one build: letters and digits only (Markdown leaves them as
    they are), random so that no page text can imitate it."""
    return f"kbraw{secrets.token_hex(8)}x"


def _stashable(chunk: str) -> bool:
    text = chunk.strip("\n")
    m = _OPENING.match(text)
    return m is not None and m.group(1).lower() in BLOCK_TAGS and text.endswith(">") and BODY_START not in text \
        and BODY_END not in text and not _MARKDOWN_INSIDE.search(text)


def _stash_part(part: str, token: str, blocks: list[str], followed: bool = False) -> str:
    """``part`` with each run of stashable chunks replaced by a placeholder. Markdown passes
    raw HTML blocks that follow one another through as one, with one blank line between
    them, and ends a raw block with a blank line when anything follows it (in ``part``, or
    after it: ``followed``); a run is stashed with those."""
    pieces = _BLANK_LINES.split(part)  # even indexes are chunks, odd ones the blank lines between
    out: list[str] = []
    i = 0
    while i < len(pieces):
        if not _stashable(pieces[i]):
            out.append(pieces[i])
            i += 1
            continue
        j = i
        while j + 2 < len(pieces) and _stashable(pieces[j + 2]):
            j += 2
        first, last = pieces[i], pieces[j]
        lead = first[: len(first) - len(first.lstrip("\n"))]
        trail = last[len(last.rstrip("\n")):]
        block = "\n\n".join(p.strip("\n") for p in pieces[i:j + 1:2])
        if followed or "".join(pieces[j + 1:]).strip():
            block += "\n"
        blocks.append(block)
        out.append(f"{lead}{token}{len(blocks) - 1}{trail}")
        i = j + 1
    return "".join(out)


def stash(markdown: str, token: str) -> tuple[str, list[str]]:
    """(the page with the generator's HTML blocks replaced by placeholders, the blocks).
    Only what lies outside the body markers is touched; a page whose markers are out of
    order is returned as it is (the sanitiser refuses it later)."""
    start = markdown.find(BODY_START)
    end = markdown.rfind(BODY_END)
    blocks: list[str] = []
    if start < 0 and end < 0:
        return _stash_part(markdown, token, blocks), blocks
    if start < 0 or end < start:
        return markdown, []
    end += len(BODY_END)
    before = _stash_part(markdown[:start], token, blocks, followed=True)
    after = _stash_part(markdown[end:], token, blocks)
    return before + markdown[start:end] + after, blocks


def restore(html: str, token: str, blocks: list[str]) -> str:
    """The engine's HTML with every placeholder paragraph replaced by its block.
    Raises :class:`Unrestored` unless each block is put back exactly once."""
    if not blocks:
        return html
    seen: list[int] = []

    def put(m: re.Match) -> str:
        i = int(m.group(1))
        if i >= len(blocks):
            return m.group(0)
        seen.append(i)
        return blocks[i]

    out = re.sub(rf"<p>{re.escape(token)}(\d+)</p>", put, html)
    if sorted(seen) != list(range(len(blocks))):
        raise Unrestored(f"{len(blocks)} generated blocks, {len(seen)} placeholders found")
    return out
