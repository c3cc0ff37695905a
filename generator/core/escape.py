"""One escaping function per output context. Contributor text reaches every
output through exactly one of these; nothing else in ``generator`` escapes.

=================  ============================================================
context            function
=================  ============================================================
page text          :func:`text` (HTML element text and attribute values of the
                   generated pages; safe in raw HTML blocks *and* where the
                   engine's Markdown runs over it)
URLs in pages      :func:`url` (only ``http(s)``, ``mailto``, ``tel``, relative)
engine metadata    :func:`engine_meta` (title, description, social and citation
                   tags handed to the engine's templates, which print them raw)
JSON in a page     :func:`script_json` (structured data, JSON-LD: the whole text
                   of a ``<script type="application/ld+json">``)
XML (feeds)        :func:`xml_document` (characters XML 1.0 forbids)
CSV (exports)      :func:`csv_cell` (spreadsheet formulas)
GitHub comments    :func:`gfm_text` (validation reports in pull request and
                   issue comments and the job summary: GitHub Markdown)
=================  ============================================================

The entry body is Markdown written by the contributor: it is not escaped but
sanitised after rendering (:mod:`generator.site.sanitize`). Search shards and JSON
exports are JSON (``json.dumps``) and shown by the search page with
``textContent``; BibTeX has its own escaping in :mod:`generator.outputs.citations`;
GitHub annotations in :mod:`generator.validation.reporting`.
"""

from __future__ import annotations

import html
import json
import re

# Every character Python-Markdown (or an HTML parser) could read as syntax becomes a
# numeric character reference: the browser shows the character, Markdown sees none.
_TEXT_TABLE = {ord(c): f"&#{ord(c)};" for c in "'`*_[](){}#!|~\\"}
_TEXT_TABLE.update({ord("\n"): " ", ord("\r"): " "})
_TEXT_TABLE[ord("&")] = "&amp;"
_TEXT_TABLE[ord("<")] = "&lt;"
_TEXT_TABLE[ord(">")] = "&gt;"
_TEXT_TABLE[ord('"')] = "&quot;"
# Characters that are never text, however written: C0 and C1 controls (but tab and line
# feed), noncharacters (U+FFFE, U+FFFF and their kin: XML, and so every feed, forbids some),
# lone surrogates, and the bidirectional embeddings, overrides and isolates, which can make
# text read backwards (a title that shows "fdp.exe" as "exe.pdf"). Validation refuses them
# (text-control-char, body-control-char); every output replaces any that got past it.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
NOT_TEXT_RE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069{_NONCHARACTERS}]")
# The same characters up to U+FFFF: a class of eight ranges, which the regular expression engine
# tests with one table look-up per character; NOT_TEXT_RE's 32 noncharacters beyond U+FFFF make
# it test each character against every range in turn, ten times slower (30 us for an entry's body).
_NOT_TEXT_BMP_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]")
_BEYOND_BMP_RE = re.compile("[\U00010000-\U0010ffff]")


def not_text_re(s: str) -> re.Pattern[str]:
    """A pattern that finds in ``s`` exactly what NOT_TEXT_RE finds: the faster one when ``s``
    holds no character beyond U+FFFF (no noncharacter of the other planes can be there)."""
    return NOT_TEXT_RE if _BEYOND_BMP_RE.search(s) else _NOT_TEXT_BMP_RE


_NEEDS_TEXT_ESCAPE = re.compile(r"[&<>\"'`*_\[\](){}#!|~\\\n\r]")
# Either of the two: one search decides the common case (nothing to replace or escape).
_NOT_PLAIN_RE = re.compile(f"{NOT_TEXT_RE.pattern}|{_NEEDS_TEXT_ESCAPE.pattern}")


def clean(s: str) -> str:
    """Text without the characters no output may carry (validation refuses them first)."""
    return NOT_TEXT_RE.sub("\ufffd", s)


def text(value) -> str:
    """Contributor text -> markup showing exactly that text, in element text or a quoted
    attribute value of a generated page, whether or not Markdown runs over it."""
    s = value if type(value) is str else str(value)
    indented = s.startswith(("    ", "\t", " \t", "  \t", "   \t"))
    if _NOT_PLAIN_RE.search(s) is None and not indented:
        return s  # the common case (Chinese prose without punctuation of ASCII)
    out = clean(s).translate(_TEXT_TABLE)
    if indented:
        # Four spaces (or a tab) that start the text make Markdown show it as code where a
        # template prints it at the start of a line. As references they stay plain text.
        stripped = out.lstrip(" \t")
        out = "".join(f"&#{ord(c)};" for c in out[: len(out) - len(stripped)]) + stripped
    return out


SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # links, images, the body's cleaning
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_DROPPED = re.compile(r"[\x00-\x20\x7f]+")


def as_browser_reads(url: str) -> str:
    """An (entity-decoded) URL without what browsers drop from it: spaces, tabs, line breaks
    and other control characters, around and inside."""
    return _URL_DROPPED.sub("", url)


def url_scheme(url: str) -> str | None:
    """The scheme, lower case, a browser sees in an (entity-decoded) URL, or None."""
    m = _SCHEME.match(as_browser_reads(url))
    return m.group(1).lower() if m else None


def is_safe_url(value: str) -> bool:
    """A URL a page may link to: one of the safe schemes, or relative (no scheme,
    not protocol-relative), judged as a browser reads it (entities decoded, tabs,
    line breaks and spaces dropped)."""
    s = as_browser_reads(html.unescape(str(value)))
    scheme = url_scheme(s)
    if scheme is not None:
        return scheme in SAFE_SCHEMES
    return not s.startswith(("//", "\\\\", "/\\", "\\/"))


_PLAIN_RELATIVE = re.compile(r"(?!//)[\w./#%-]*")  # no scheme, nothing to escape: the site's own links


def url(value) -> str:
    """A URL for an ``href``/``src`` attribute: escaped, and ``#`` when unsafe."""
    s = str(value)
    if _PLAIN_RELATIVE.fullmatch(s):
        return s
    s = clean(s)
    if not is_safe_url(s):
        return "#"
    return html.escape(s, quote=True)


class ScriptJson(str):
    """JSON text made by :func:`script_json`, and only there: safe as the whole content of a
    ``<script type="application/ld+json">``. Its type is how :func:`engine_meta` knows to pass
    it on as it is (escaped once, here) rather than escape it again as page text, which would
    turn its quotes into ``&quot;`` and leave JSON no reader parses."""

    __slots__ = ()


# Inside <script> an HTML parser reads no entities and ends the element at the first "</script"
# (and "<!--" can make it swallow the rest of the page): the text must hold no "<" at all. ">"
# and "&" follow ("]]>" in XHTML, an entity in an engine that would decode one), "'" in case a
# template ever quotes it in an attribute; U+2028 and U+2029 end a line in YAML (the page's
# front matter) and in JavaScript before ES2019. Characters that are never text (controls,
# lone surrogates, bidirectional overrides, noncharacters: NOT_TEXT_RE) are written as escapes
# too: the page holds only printable text, and the JSON still reads back the exact value.
# A class holding characters beyond U+FFFF is some 30 times slower to match (measured: 170 µs against
# 6 µs for a page's kilobyte): those (the noncharacters of the other planes) are looked for only in
# text that has such a character at all.
_SCRIPT_JSON_RE = re.compile(f"[<>&'\u2028\u2029{''.join(c for c in NOT_TEXT_RE.pattern[1:-1] if ord(c) <= 0xFFFF)}]")
_SCRIPT_JSON_ALL_RE = re.compile(f"[<>&'\u2028\u2029{NOT_TEXT_RE.pattern[1:-1]}]")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


def _json_escape(m: re.Match) -> str:
    c = ord(m.group())
    if c > 0xFFFF:  # a noncharacter of another plane: JSON escapes it as its UTF-16 pair
        c -= 0x10000
        return f"\\u{0xD800 + (c >> 10):04x}\\u{0xDC00 + (c & 0x3FF):04x}"
    return f"\\u{c:04x}"


def script_json(value) -> ScriptJson:
    """A JSON value as the text of a ``<script type="application/ld+json">`` (structured data):
    serialised here once, with every character that could end the element, start markup or
    break a line written as a ``\\uXXXX`` escape, so that ``</script>``, ``<!--`` and ``]]>``
    in a value stay data and ``json.loads`` gives back exactly the value. Dates and other
    values JSON lacks are written as ``str()`` of them (ISO 8601 for dates)."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    escapes = _SCRIPT_JSON_ALL_RE if _ASTRAL_RE.search(raw) else _SCRIPT_JSON_RE
    return ScriptJson(escapes.sub(_json_escape, raw))


def engine_meta(value):
    """Page metadata for the engine's templates (title, description, social and citation
    tags). MkDocs renders theme templates without autoescaping, so every string is escaped
    here, once, as page text (:func:`text`): safe in element text and quoted attributes, and
    inert even where an engine would show unparsable metadata as Markdown. JSON made by
    :func:`script_json` is already escaped for its one place and passes as it is."""
    if isinstance(value, ScriptJson):
        return str(value)
    if isinstance(value, str):
        return text(value)
    if isinstance(value, dict):
        return {k: engine_meta(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [engine_meta(v) for v in value]
    return value


_YAML_BREAKS = {ord("\u2028"): "\\u2028", ord("\u2029"): "\\u2029", ord("\x85"): "\\u0085"}


def front_matter_json(meta: dict) -> str:
    """Page metadata as the JSON (which is YAML) of a generated page's front matter. YAML
    counts U+2028, U+2029 and U+0085 as line breaks: written raw, a title holding one could
    end the front matter early and MkDocs would then show it as Markdown. JSON's escapes
    for them are valid YAML."""
    return json.dumps(meta, ensure_ascii=False, default=str).translate(_YAML_BREAKS)


# XML 1.0: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_document(serialized: str) -> str:
    """A serialised XML document without the characters XML 1.0 forbids (ElementTree
    escapes markup but writes those as they are, and no reader accepts the file then)."""
    return _XML_ILLEGAL.sub("\ufffd", serialized)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading ``=``, ``+``, ``-``, ``@`` (or its
    full-width form, which Excel also reads as a formula) gets a ``'`` before it (OWASP's
    advice against CSV injection), and characters no output may carry are replaced."""
    s = clean(value)
    if s.startswith(_FORMULA_START) and not _NUMBER.match(s):
        return "'" + s
    return s


_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)*$")


# GitHub Markdown (comments, job summaries): every ASCII punctuation character GFM may read
# as syntax is backslash-escaped, and "<" and "&" are written as references, so that a
# value is shown as typed and never becomes a link, an image, a table cell, raw HTML or a
# code span; an "@" or "#" gets a word joiner after it, so that a value cannot mention
# (notify) anyone or link to an issue; line breaks become spaces.
_GFM_TABLE = {ord(c): "\\" + c for c in "\\`*_{}[]()+-.!|~>\"'$%:;=?^"}
_GFM_TABLE.update({ord("<"): "&lt;", ord("&"): "&amp;", ord("@"): "@\u2060", ord("#"): "\\#",
                   ord("\n"): " ", ord("\r"): " ", ord("\u2028"): " ", ord("\u2029"): " "})
# A "#" before a letter or digit could link an issue (#12, owner/repo#12): a word joiner breaks
# that. Any other "#" is backslash-escaped, which copies as itself: a hint such as "## 檢討"
# must paste as a heading, and the joiner is invisible but copied (tried as a librarian).
_GFM_REF = re.compile(r"\\#(?=[0-9A-Za-z_])")


# GitHub also links what no Markdown escape stops, since it reads the text after Markdown:
# "GH-12" (an issue, which then shows a cross-reference), a run of 7 to 40 hexadecimal digits
# (a commit, if one starts so; digits alone are hexadecimal too) and ":name:" (an emoji). A word
# joiner breaks each: after "GH-", after the first ":", and after every sixth digit of a run
# (a shorter run is no commit). "owner/repo#12" and "owner@sha" are broken at their "#" and "@".
_GFM_GH = re.compile(r"(?i)(?<![0-9A-Za-z_])(gh-)(?=[0-9])")
_GFM_HEX = re.compile(r"(?<![0-9A-Za-z_])[0-9A-Fa-f]{7,}(?![0-9A-Za-z_])")
_GFM_EMOJI = re.compile(r":(?=[A-Za-z0-9_+-]+:)")
_GFM_LINKED = re.compile(f"{_GFM_GH.pattern}|{_GFM_HEX.pattern}|{_GFM_EMOJI.pattern}")


def _break_link(m: re.Match) -> str:
    s = m.group()
    if s[0] == ":" or m.group(1):
        return s + "\u2060"
    return "\u2060".join(s[i:i + 6] for i in range(0, len(s), 6))


def gfm_text(value) -> str:
    """Text -> GitHub Markdown showing exactly that text, inline (one line)."""
    s = clean(str(value))
    if _GFM_LINKED.search(s) is not None:
        s = _GFM_LINKED.sub(_break_link, s)
    return _GFM_REF.sub("#\u2060", s.translate(_GFM_TABLE))


def gfm_code_block(value: str, info: str = "text") -> str:
    """Text -> a fenced code block showing it as it is: the fence is longer than any run of
    backticks in the text."""
    body = clean(str(value)).replace("\r", "")
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{body}\n{fence}"


# What a contributor may write as raw HTML in an entry body (see README, Safety): validation
# reports anything else (generator/validation/bodyhtml.py), and the rendered body is cleaned to these
# and what Markdown makes of it (generator/site/sanitize.py).
INLINE_TAGS = {"kbd", "sup", "sub", "br", "abbr", "mark", "small", "ruby", "rt", "rp", "del", "ins", "s", "u", "wbr"}
