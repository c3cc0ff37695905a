"""Templates: autoescaped Jinja2, where every value printed is escaped by
:func:`generator.core.escape.text` (HTML and Markdown syntax alike) unless it is markup built by
:mod:`generator.site.markup`. A site overrides any template by putting a file of the same
name in ``overrides/kb/``, as it overrides Material's partials in ``overrides/``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..core import escape
from . import markup

@dataclass
class Page:
    src: str  # source path, e.g. "tags/ifla/index.md"
    title: str
    markdown: str
    in_nav: bool = False


def _finalize(value):
    """Every printed value: markup as it is, anything else as text."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return Markup(escape.text(value))


def environment(overrides: Path | None = None) -> Environment:
    """The templates' environment: a site's overrides first, then the generator's own."""
    loaders = [FileSystemLoader(str(overrides))] if overrides else []
    env = Environment(loader=ChoiceLoader([*loaders, PackageLoader("generator.site", "templates")]),
                      autoescape=True, finalize=_finalize, undefined=StrictUndefined,
                      # {# … #} is Markdown's heading-id syntax here: comments are {## … ##}
                      comment_start_string="{##", comment_end_string="##}",
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      auto_reload=False)  # a build reads each template once, not once per page
    env.filters["url"] = lambda u: Markup(escape.url(u))
    env.filters["number"] = lambda n: f"{n:,}"
    env.globals.update(anchor=markup.anchor)
    return env


def _links(ctx) -> dict:
    """``link(from, to, text)`` and ``href(from, to)`` for templates, by this build's links."""
    bound = ctx.templates_read.get(("links",))  # made once per build, as the templates are read
    if bound is None:
        links = ctx.links
        bound = ctx.templates_read[("links",)] = {
            "link": lambda from_src, to_src, text: markup.link(links, from_src, to_src, text), "href": links.href}
    return bound


def _template(ctx, name: str):
    """A template, read once per build (``ctx.templates_read``): the environment does not
    check files again (a stat() per page), and the next build sees an edited override."""
    cache = ctx.templates_read
    if None not in cache:
        cache[None] = environment(ctx.templates)
    found = cache.get(name)
    if found is None:
        found = cache[name] = cache[None].get_template(name)
    return found


def front(title: str, description: str = "", hide: tuple[str, ...] = (), extra: dict | None = None) -> str:
    """The page's metadata for the engine. Its templates print metadata without escaping: it is
    escaped here, the one place every page's title, description, social and citation tags pass
    through. JSON is YAML, and json.dumps is much faster than yaml.safe_dump over 13,000 pages."""
    meta: dict = {"title": title, **(extra or {})}
    if description:
        meta["description"] = description
    if hide:
        meta["hide"] = list(hide)
    return "---\n" + escape.front_matter_json(escape.engine_meta(meta)) + "\n---\n\n"


def render(ctx, template: str, src: str, title: str, *, description: str = "", hide: tuple[str, ...] = (),
           meta: dict | None = None, in_nav: bool = False, nav_title: str = "", **values) -> Page:
    """A page: its metadata (``title`` heads it; ``nav_title`` names it in the navigation) and
    the template's text."""
    lang = ctx.lang
    body = _template(ctx, template).render(src=src, title=title, t=lang.t, lang=lang, **_links(ctx), **values)
    # The page's language and the other language's tag (its page is at the same path in that
    # language's folder): the theme's templates read them for the page's words, the language
    # switch (overrides/partials/header.html) and the sitemap's hreflang (overrides/sitemap.xml).
    meta = {**(meta or {}), "kb_lang": lang.html}
    if len(ctx.languages) > 1:  # the same page in the other language is at the same path in its folder
        meta["kb_alternate"] = lang.other().html
    return Page(src=ctx.page_src(src), title=nav_title or title, markdown=front(title, description, hide, meta) + body,
                in_nav=in_nav)


def fragment(ctx, template: str, **values) -> Markup:
    """A template rendered as part of a page (an intro above a listing)."""
    return Markup(_template(ctx, template).render(t=ctx.lang.t, lang=ctx.lang, **_links(ctx), **values))
