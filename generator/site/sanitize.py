"""The entry body after rendering: only what Markdown and the allow-list make.

The body is the one place where a contributor writes markup. Validation
(:mod:`generator.validation.entry`) refuses raw HTML outside a small allow-list with
a line and column; this module makes that rule hold whatever validation
missed: the HTML the engine rendered from the body is run through ammonia
(``nh3``, a sanitiser built on a real HTML5 parser, html5ever), which keeps
only the elements, attributes, classes and URL schemes below and closes every
element it opens, so nothing after the body can be pulled into an attribute,
a comment or a raw-text element.

The generator puts the body between two comments (:data:`BODY_START`,
:data:`BODY_END`). Everything before the first start comment and after the
last end comment is the generator's own escaped markup (a contributor's text
there is escaped, so it cannot contain ``<!--``); everything between is
cleaned. A page where the comments cannot be found is refused, never
published uncleaned.
"""

from __future__ import annotations

import html
import re

import nh3

from ..core.escape import INLINE_TAGS, SAFE_SCHEMES, as_browser_reads, url_scheme

BODY_START = "<!--kb:body-->"
BODY_END = "<!--kb:/body-->"

# What Python-Markdown makes of the body with the extensions of mkdocs.yml
# (tables, attr_list, md_in_html, admonition, def_list, toc).
MARKDOWN_TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "a", "em", "strong", "code", "pre",
                 "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "img",
                 "dl", "dt", "dd", "div"}
ATTRIBUTES = {
    "*": {"title", "lang"},
    "a": {"href"},
    "img": {"src", "alt"},
    "ol": {"start"},
    "th": {"style", "align"},
    "td": {"style", "align"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
ADMONITION_TYPES = {"note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success",
                    "check", "done", "question", "help", "faq", "warning", "caution", "attention", "failure",
                    "fail", "missing", "danger", "error", "bug", "example", "quote", "cite"}
CLASSES = {"div": {"admonition", *ADMONITION_TYPES}, "p": {"admonition-title"}, "a": {"headerlink"}}
URL_SCHEMES = set(SAFE_SCHEMES)
# A heading's id (Markdown's own, or {#anchor}): word characters and hyphens, never starting
# with "__", which is the theme's (Material reads its configuration from #__config).
SAFE_ID = re.compile(r"[^\W_][\w-]*|_[^\W_][\w-]*|_\d+")


def _attribute(element: str, name: str, value: str) -> str | None:
    if name == "id" and not SAFE_ID.fullmatch(value):
        return None
    if element == "img" and name == "src" and not is_own_file(value):
        return None  # no request to another site from a reader's browser, whatever validation let through
    return value


def is_own_file(url: str) -> bool:
    """A relative address (no scheme, not ``//host``, not ``/…``), as a browser reads it: an
    image of the site's own, never a request to another site."""
    s = as_browser_reads(html.unescape(url)).replace("\\", "/")
    return url_scheme(s) is None and not s.startswith("/")


_CLEANER = nh3.Cleaner(
    tags=INLINE_TAGS | MARKDOWN_TAGS,
    clean_content_tags={"script", "style", "template", "textarea", "title", "noscript", "xmp", "iframe",
                        "noembed", "noframes", "plaintext", "object", "embed", "svg", "math"},
    attributes=ATTRIBUTES,
    allowed_classes=CLASSES,
    filter_style_properties={"text-align"},
    url_schemes=URL_SCHEMES,
    link_rel=None,  # links in a body are the contributor's citations; they keep their referrer
    strip_comments=True,
    attribute_filter=_attribute,
)


class UnsafePage(ValueError):
    """A rendered entry page whose body could not be located, so it cannot be cleaned."""


def clean_body(html: str) -> str:
    """Rendered body HTML -> the same HTML with everything outside the allow-list removed."""
    return _CLEANER.clean(html)


def clean_entry_page(html: str, has_body: bool = True) -> str:
    """A rendered page with its body part cleaned. A page without a body (``has_body``
    false: listings, facets, statistics) is returned as it is if it has no body markers.
    Raises :class:`UnsafePage` when the body cannot be located."""
    start = html.find(BODY_START)
    end = html.rfind(BODY_END)
    if start < 0 and end < 0 and not has_body:
        return html
    if start < 0 or end < start:
        raise UnsafePage("the body's end could not be found after its start")
    inner = html[start + len(BODY_START): end]
    return html[:start] + clean_body(inner) + html[end + len(BODY_END):]


_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"}, attributes={}, link_rel=None)


def text_only(html: str) -> str:
    """HTML -> its text, still escaped for HTML (every element removed by the parser)."""
    return _TEXT_ONLY.clean(html)


def clean_toc(items) -> None:
    """The engine's table of contents (items with ``title``, ``id`` and ``children``): the
    theme prints titles and links unescaped, and a heading's text and id are the
    contributor's. Titles become text; an id the body cleaning would drop is dropped here."""
    for item in items or ():
        item.title = text_only(item.title)
        if not SAFE_ID.fullmatch(getattr(item, "id", "") or ""):
            item.id = ""
        clean_toc(getattr(item, "children", ()))
