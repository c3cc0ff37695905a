"""The markup pages repeat thousands of times, written in Python for speed: a fact's value,
an entry in a list. Every contributor string passes through :func:`generator.core.escape.text`
and every address through :func:`generator.core.escape.url` here, as in the templates.

Generated lists are raw HTML blocks: Python-Markdown stashes them instead of running its
inline patterns over every link and word (which made listing pages the most expensive part
of a 10,000-entry build).
"""

from __future__ import annotations

from markupsafe import Markup

from ..core import escape
from ..model.facts import BREAK, Link
from .i18n import ZH, Language
from .urls import Links, facet_src

esc = escape.text


def a_html(url: str, text) -> str:
    return f'<a href="{escape.url(url)}">{esc(text)}</a>'


def anchor(url: str, text) -> Markup:
    """A link to an address (http(s), mailto or relative), for templates."""
    return Markup(a_html(url, text))


def link(links: Links, from_src: str, to_src: str, text) -> Markup:
    """A link from one page to another by their source paths (templates have it bound to
    their build's links)."""
    return Markup(a_html(links.href(from_src, to_src), text))


# Stands for the way up to the site's root in markup made once for pages at any depth (a
# listed entry); replaced per page. No escaped output can hold it: escape.text and
# escape.url replace NUL, as every character that is never text.
ROOT = "\x00"


def up(links: Links, from_src: str) -> str:
    """The relative way from a page to the site's root."""
    return "../" * links.link_url(from_src).count("/")


def parts_html(parts, from_src: str | None, links: Links) -> str:
    """A fact's value as markup; links to the site's pages relative to ``from_src``, or
    (None) from the root behind the :data:`ROOT` marker."""
    out = []
    for p in parts:
        if p is BREAK:
            out.append("<br>")
        elif isinstance(p, Link):
            if not p.facet:
                target = escape.url(p.url)
            elif from_src is None:
                target = ROOT + escape.url(links.link_url(facet_src(p.facet, p.value)))
            else:
                target = escape.url(links.href(from_src, facet_src(p.facet, p.value)))
            out.append(f'<a href="{target}">{esc(p.text)}</a>')
        else:
            out.append(esc(p))
    return "".join(out)


def meta_table(rows, lang: Language = ZH) -> Markup:
    """An entry's fact panel: (label, value markup) rows. Written here, not in the template:
    it is the longest repeated part of every entry page."""
    return Markup(f'<div class="kb-meta"><table>\n<thead><tr><th>{esc(lang.t("fact-item"))}</th>'
                  f'<th>{esc(lang.t("fact-value"))}</th></tr></thead><tbody>\n'
                  + "\n".join(f"<tr><td>{esc(label)}</td><td>{value}</td></tr>" for label, value in rows)
                  + "\n</tbody></table></div>")


def fact_rows(e, kb, from_src: str, links: Links, brief: bool = False, lang: Language = ZH) -> list[tuple[str, str]]:
    """The entry's facts as (label, value markup)."""
    return [(label, parts_html(parts, from_src, links)) for label, parts in e.kind.fact_rows(e, kb, brief, lang.code)]


def entry_list(entries, from_src: str, links: Links, lang: Language = ZH) -> Markup:
    """Other entries named by title, kind and date (related entries, entries citing this one)."""
    return Markup("<ul>\n" + "\n".join(
        f"<li>{link_html(links.href(from_src, r.rel), lang.entry_html(r, 'title'))}"
        f"{esc(lang.t('entry-kind-date', kind=lang.name(r.kind), date=r.date.isoformat()))}</li>" for r in entries)
        + "\n</ul>")


def link_html(url: str, inner: Markup) -> str:
    """A link around markup made here (an entry's title in its language)."""
    return f'<a href="{escape.url(url)}">{inner}</a>'


def _rooted_item(e, kb, links: Links, lang: Language) -> str:
    facts = " · ".join(parts_html(parts, None, links) for _, parts in e.kind.fact_rows(e, kb, True, lang.code))
    closed = f'<span class="kb-closed-tag">{esc(lang.t("closed"))}</span> ' if kb.is_closed(e) else ""
    return (f'<li>{closed}<strong><a href="{ROOT}{escape.url(links.link_url(e.rel))}">{lang.entry_html(e, "title")}</a></strong><br>\n'
            f'<span class="kb-facts">{e.date.isoformat()} · {esc(lang.name(e.kind))} · </span>{facts}<br>\n'
            f"{lang.entry_html(e, 'summary')}</li>")


def item(e, kb, from_src: str, links: Links, lang: Language = ZH) -> str:
    """An entry in a list. Made once per build and language (an entry is listed on many pages:
    its kind's, each of its tags', its year's ...) with links from the root, then placed on each page."""
    return kb.memo(("item", e.rel, links.files, lang.code),
                   lambda: _rooted_item(e, kb, links, lang)).replace(ROOT, up(links, from_src))


def items(entries, kb, ctx, from_src: str, group=None) -> Markup:
    """A list of entries; with ``group`` (entry -> heading), a heading before each run of entries.
    An entry whose item fails is named in ``ctx.failures`` and left out."""
    def one(e):
        return ctx.failures.run(e, item, e, kb, from_src, ctx.links, ctx.lang, default="")

    if not entries:
        return Markup(f"<p>{esc(ctx.lang.t('no-entries'))}</p>")
    if group is None:
        return Markup('<ul class="kb-list">\n' + "\n".join(one(e) for e in entries) + "\n</ul>")
    out: list[str] = []
    current = None
    run: list = []
    for e in [*entries, None]:
        g = group(e) if e is not None else None
        if (e is None or g != current) and run:
            out.append(f"<h2>{esc(current)}</h2>\n" + '<ul class="kb-list">\n'
                       + "\n".join(one(x) for x in run) + "\n</ul>")
            run = []
        current = g
        if e is not None:
            run.append(e)
    return Markup("\n".join(out))
