"""Paged listings: a kind's entries, its archive, a facet value's entries.

A :class:`Listing` is the declared value (what it lists, its URL folder, its title and the
text around the list); :func:`pages` cuts it into pages of ``page_size`` entries rendered by
``listing.html``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from collections.abc import Callable

from markupsafe import Markup

from ...kinds import KINDS, facet_by_id
from .. import markup
from ..render import render
from ..urls import archive_src, facet_src, listing_src, paged_src

def fixed(markup: Markup) -> Callable[[str], Markup]:
    """An intro that is the same on every page of a listing."""
    return lambda src: markup


def _NOTHING(src: str) -> Markup:  # the default intro and lead: nothing
    return Markup("")


@dataclass
class Listing:
    base: str  # URL folder: page 1 is base/index.md, page n base/page/n.md
    title: str
    entries: list
    intro: Callable[[str], Markup] = _NOTHING  # page source -> markup above the list
    lead: Callable[[str], Markup] = _NOTHING  # first page only, after the intro
    group: Callable | None = None  # entry -> heading over each run of entries
    in_nav: bool = False


def pages(listing: Listing, kb, ctx, scope=None, preview=None):
    size = kb.settings.page_size
    entries = listing.entries
    count = max(1, math.ceil(len(entries) / size))
    wanted = (preview.listing_pages(scope, ctx.page_src(listing.base), tuple(e.rel for e in entries), size)
              if preview else None)
    for n in range(1, count + 1):
        if wanted is not None and n not in wanted:
            continue
        src = paged_src(listing.base, n)
        title = listing.title if n == 1 else ctx.lang.t("listing-page-title", title=listing.title, page=n)
        yield render(ctx, "listing.html", src, title, hide=("toc",), in_nav=listing.in_nav and n == 1,
                     intro=listing.intro(src), lead=listing.lead(src) if n == 1 else "", total=len(entries),
                     items=markup.items(entries[(n - 1) * size: n * size], kb, ctx, src, listing.group),
                     page=n, pages=count, page_src=lambda i: paged_src(listing.base, i))


def featured(entries, kb, ctx, src: str, title: str = "") -> Markup:
    if not entries:
        return Markup("")
    t = ctx.lang.t
    return Markup(f'<section class="kb-featured" aria-label="{markup.esc(t("featured-entries"))}">'
                  f'<h2>{markup.esc(title or t("featured"))}</h2>\n'
                  f'{markup.items(entries, kb, ctx, src)}\n</section>\n')


def _board(kind, kb, ctx, src: str) -> str:
    """Counts per value of the kind's board facets (the exchange board), linking to their pages."""
    columns = []
    for facet_id in kind.board:
        facet = facet_by_id(facet_id)
        groups = kb.facet_index(facet)
        if not groups:
            return ""
        values = [v for v in facet.vocabulary.ids() if v in groups] if facet.vocabulary else sorted(groups, key=str)
        lang = ctx.lang
        columns.append(f"<div><h2>{markup.esc(lang.t('by-facet', facet=lang.name(facet)))}</h2>\n<ul>\n" + "\n".join(
            f"<li>{markup.link(ctx.links, src, facet_src(facet.id, v), kb.facet_label(facet, v, lang.code))}"
            f"{markup.esc(lang.t('count', n=len(groups[v])))}</li>"
            for v in values) + "\n</ul></div>\n")
    return '<div class="kb-board">' + "".join(columns) + "</div>\n" if columns else ""


def _guides(kind, kb, ctx, src: str) -> str:
    tag = kind.guide_tag
    found = [e for k in KINDS.values() if k.holds_guides and tag for e in kb.by_kind(k) if tag in e.data["tags"]]
    if not found:
        return ""
    lang = ctx.lang
    return (f"<p>{markup.esc(lang.t('guides'))}"
            + lang.t("list-separator").join(markup.link(ctx.links, src, g.rel, lang.entry_text(g, "title")[0])
                                            for g in found) + "</p>\n")


def kind_listings(kb, ctx, scope=None, preview=None):
    lang = ctx.lang
    for kind in KINDS.values():
        if scope is not None and kind.id not in scope.kinds:
            continue
        archived = kb.archived(kind) if kind.expires else []

        def intro(src, kind=kind, archived=archived):
            if lang.english:
                text = f"<p>{markup.esc(kind.description_en)}</p>\n"
            else:
                text = (f"<p>{markup.esc(kind.description_zh)}</p>\n\n"
                        f"<p class=\"kb-en\">{markup.esc(kind.description_en)}</p>\n")
            if kind.expires:
                archive = markup.link(ctx.links, src, archive_src(kind), archive_name(kind, lang))
                sentence = markup.esc(lang.t("listing-open", archive="KB-ARCHIVE-LINK", n=len(archived)))
                text += f"<p>{sentence.replace('KB-ARCHIVE-LINK', archive)}</p>\n"
            return Markup(text + _guides(kind, kb, ctx, src))

        def lead(src, kind=kind):
            return Markup(_board(kind, kb, ctx, src)) + featured(kb.featured(kind), kb, ctx, src)

        entries = kb.current(kind) if kind.expires else kb.by_kind(kind)
        yield from pages(Listing(kind.folder, lang.name(kind), entries, intro, lead, in_nav=True), kb, ctx, scope, preview)
        if kind.expires:
            english_note = f"Closed {markup.esc(kind.en.lower())} postings, kept for reference, the most recently closed first."
            if lang.english:
                archive_intro = Markup(f"<p>{english_note}</p>\n")
            else:
                note = kind.archive_intro_zh or f"已過截止日期的{kind.zh}刊登，留存供參考，最近截止的在前。"
                archive_intro = Markup(f"<p>{markup.esc(note)}</p>\n<p class=\"kb-en\">{english_note}</p>\n")
            yield from pages(Listing(f"{kind.folder}/archive", lang.t("archive-title", kind=lang.name(kind),
                                                                      archive=archive_name(kind, lang)),
                                     archived, fixed(archive_intro)), kb, ctx, scope, preview)


def archive_name(kind, lang) -> str:
    """The name of a kind's archive of closed entries."""
    return lang.t("archive") if lang.english else kind.archive_zh


__all__ = ["Listing", "featured", "kind_listings", "listing_src", "pages"]
